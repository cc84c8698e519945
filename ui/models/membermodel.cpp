#include "membermodel.h"

#include <QSet>

namespace Roomcast::Ui {

using Chat::ChatClient;

MemberModel::MemberModel(ChatClient *client, QObject *parent)
    : QAbstractListModel(parent)
    , m_client(client)
{
    if (!client)
        return;
    connect(client, &ChatClient::joined, this, &MemberModel::onJoinedOrLeft);
    connect(client, &ChatClient::left, this, &MemberModel::onJoinedOrLeft);
    connect(client, &ChatClient::memberJoined, this, &MemberModel::onMemberJoined);
    connect(client, &ChatClient::memberLeft, this, &MemberModel::onMemberLeft);
    connect(client, &ChatClient::nicknameChanged, this, &MemberModel::onNicknameChanged);
    connect(client, &ChatClient::userDisconnected, this, &MemberModel::onUserDisconnected);
    connect(client, &ChatClient::nicknamesReset, this, &MemberModel::sync);
    // A dropped or closed connection empties the client's member lists without a `left`.
    connect(client, &ChatClient::stateChanged, this, &MemberModel::sync);
    connect(client, &QObject::destroyed, this, &MemberModel::onClientDestroyed);
}

MemberModel::~MemberModel() = default;

ChatClient *MemberModel::client() const
{
    return m_client;
}

QString MemberModel::room() const
{
    return m_room;
}

void MemberModel::setRoom(const QString &room)
{
    if (room == m_room)
        return;
    // Another room is another list: the one place the model is reset.
    beginResetModel();
    m_room = room;
    m_rows.clear();
    endResetModel();
    sync();
    Q_EMIT roomChanged(room);
}

int MemberModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MemberModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.nickname;
    case SocketIdRole:
        return row.socketId;
    case IsSelfRole:
        return !m_selfId.isEmpty() && row.socketId == m_selfId;
    default:
        return {};
    }
}

QHash<int, QByteArray> MemberModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(SocketIdRole, "socketId");
    names.insert(IsSelfRole, "isSelf");
    return names;
}

int MemberModel::indexOf(const QString &socketId) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).socketId == socketId)
            return row;
    return -1;
}

void MemberModel::sync()
{
    // What the client knows: the room's members that are still in the nickname map (a socket
    // that disconnected has left it, even if its `userLeft` has not arrived yet).
    QList<Chat::Member> members;
    if (m_client && !m_room.isEmpty()) {
        const QHash<QString, QString> nicknames = m_client->nicknames();
        const QList<Chat::Member> listed = m_client->members(m_room);
        for (const Chat::Member &member : listed)
            if (nicknames.contains(member.id))
                members.append(member);
    }
    QHash<QString, QString> nicknameOf;
    for (const Chat::Member &member : std::as_const(members))
        nicknameOf.insert(member.id, member.name);

    const QString oldSelf = m_selfId;
    m_selfId = m_client ? m_client->socketId() : QString();

    // those who left
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (!nicknameOf.contains(m_rows.at(row).socketId))
            removeRow(row);
    // renames, and a row whose self flag changed with our socket id
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &current = m_rows[row];
        QList<int> roles;
        const QString nickname = nicknameOf.value(current.socketId);
        if (current.nickname != nickname) {
            current.nickname = nickname;
            roles.append(Qt::DisplayRole);
        }
        if (oldSelf != m_selfId && (current.socketId == oldSelf || current.socketId == m_selfId))
            roles.append(IsSelfRole);
        if (!roles.isEmpty())
            Q_EMIT dataChanged(index(row), index(row), roles);
    }
    // those who arrived, in the client's order
    QList<Row> arrived;
    for (const Chat::Member &member : std::as_const(members))
        if (indexOf(member.id) < 0)
            arrived.append({member.id, member.name});
    if (!arrived.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(arrived.size()) - 1);
        m_rows.append(arrived);
        endInsertRows();
    }
}

void MemberModel::removeRow(int row)
{
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void MemberModel::onJoinedOrLeft(const QString &room)
{
    if (room == m_room)
        sync();
}

void MemberModel::onMemberJoined(const QString &room, const Chat::Member &)
{
    if (room == m_room)
        sync();
}

void MemberModel::onMemberLeft(const QString &room, const QString &)
{
    if (room == m_room)
        sync();
}

void MemberModel::onNicknameChanged(const QString &socketId, const QString &nickname)
{
    const int row = indexOf(socketId);
    if (row < 0 || m_rows.at(row).nickname == nickname)
        return;
    m_rows[row].nickname = nickname;
    Q_EMIT dataChanged(index(row), index(row), {Qt::DisplayRole});
}

void MemberModel::onUserDisconnected(const QString &socketId)
{
    const int row = indexOf(socketId);
    if (row >= 0)
        removeRow(row);
}

void MemberModel::onClientDestroyed()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
    m_selfId.clear();
}

SortedMemberModel::SortedMemberModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0, Qt::AscendingOrder);
}

bool SortedMemberModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QString a = left.data(Qt::DisplayRole).toString();
    const QString b = right.data(Qt::DisplayRole).toString();
    if (const int order = QString::compare(a, b, Qt::CaseInsensitive))
        return order < 0;
    if (const int order = QString::compare(a, b, Qt::CaseSensitive))
        return order < 0;
    return left.data(MemberModel::SocketIdRole).toString() < right.data(MemberModel::SocketIdRole).toString();
}

} // namespace Roomcast::Ui
