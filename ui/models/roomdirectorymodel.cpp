#include "roomdirectorymodel.h"

namespace Roomcast::Ui {

using Chat::ChatClient;

RoomDirectoryModel::RoomDirectoryModel(ChatClient *client, QObject *parent)
    : QAbstractListModel(parent)
    , m_client(client)
{
    if (!client)
        return;
    connect(client, &ChatClient::roomsReset, this, &RoomDirectoryModel::sync);
    connect(client, &ChatClient::roomUpdated, this, &RoomDirectoryModel::sync);
    connect(client, &ChatClient::roomRemoved, this, &RoomDirectoryModel::sync);
    connect(client, &ChatClient::joined, this, &RoomDirectoryModel::onJoinedChanged);
    connect(client, &ChatClient::left, this, &RoomDirectoryModel::onJoinedChanged);
    // Closing the session empties the client's lists without a signal of their own.
    connect(client, &ChatClient::stateChanged, this, &RoomDirectoryModel::sync);
    connect(client, &QObject::destroyed, this, &RoomDirectoryModel::onClientDestroyed);
    sync();
}

RoomDirectoryModel::~RoomDirectoryModel() = default;

ChatClient *RoomDirectoryModel::client() const
{
    return m_client;
}

int RoomDirectoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant RoomDirectoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.room.name;
    case MembersRole:
        return row.room.members;
    case TopicRole:
        return row.room.topic;
    case JoinedRole:
        return row.joined;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomDirectoryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(MembersRole, "members");
    names.insert(TopicRole, "topic");
    names.insert(JoinedRole, "joined");
    return names;
}

int RoomDirectoryModel::indexOf(const QString &room) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), room,
                                     [](const Row &row, const QString &name) { return row.room.name < name; });
    return it != m_rows.cend() && it->room.name == room ? int(it - m_rows.cbegin()) : -1;
}

void RoomDirectoryModel::sync()
{
    const QList<Chat::RoomInfo> rooms = m_client ? m_client->rooms() : QList<Chat::RoomInfo>();
    // Both lists are sorted by name: one merge pass.
    int row = 0;
    qsizetype next = 0;
    while (row < m_rows.size() || next < rooms.size()) {
        const bool rowGone = next == rooms.size()
                             || (row < m_rows.size() && m_rows.at(row).room.name < rooms.at(next).name);
        if (rowGone) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
            continue;
        }
        const Chat::RoomInfo &room = rooms.at(next++);
        const bool joined = m_client->isJoined(room.name);
        if (row == m_rows.size() || room.name < m_rows.at(row).room.name) {
            beginInsertRows({}, row, row);
            m_rows.insert(row, {room, joined});
            endInsertRows();
            ++row;
            continue;
        }
        Row &current = m_rows[row];
        QList<int> roles;
        if (current.room.members != room.members)
            roles.append(MembersRole);
        if (current.room.topic != room.topic)
            roles.append(TopicRole);
        if (current.joined != joined)
            roles.append(JoinedRole);
        if (!roles.isEmpty()) {
            current = {room, joined};
            Q_EMIT dataChanged(index(row), index(row), roles);
        }
        ++row;
    }
}

void RoomDirectoryModel::onJoinedChanged(const QString &room)
{
    const int row = indexOf(room);
    if (row < 0 || !m_client)
        return;
    const bool joined = m_client->isJoined(room);
    if (m_rows.at(row).joined == joined)
        return;
    m_rows[row].joined = joined;
    Q_EMIT dataChanged(index(row), index(row), {JoinedRole});
}

void RoomDirectoryModel::onClientDestroyed()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

} // namespace Roomcast::Ui
