#include "conversationlistmodel.h"

namespace Roomcast::Ui {

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    qRegisterMetaType<ConversationId>();
    qRegisterMetaType<Chat::ChatMessage>();
}

ConversationListModel::~ConversationListModel() = default;

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.title.isEmpty() ? row.id.id : row.title;
    case ConversationIdRole:
        return QVariant::fromValue(row.id);
    case KindRole:
        return QVariant::fromValue(row.id.kind);
    case UnreadRole:
        return row.unread;
    case MutedRole:
        return row.muted;
    case PeerGoneRole:
        return row.peerGone;
    case TopicRole:
        return row.topic;
    case LastActivityRole:
        return row.lastActivity.isValid() ? row.lastActivity.toLocalTime() : QDateTime();
    case CurrentRole:
        return row.id == m_current;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},   {ConversationIdRole, "conversationId"},
        {KindRole, "kind"},             {UnreadRole, "unread"},
        {MutedRole, "muted"},           {PeerGoneRole, "peerGone"},
        {TopicRole, "topic"},           {LastActivityRole, "lastActivity"},
        {CurrentRole, "current"},
    };
}

int ConversationListModel::add(const ConversationId &conversation, const QString &title)
{
    if (const int row = indexOf(conversation); row >= 0)
        return row;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row entry;
    entry.id = conversation;
    entry.title = conversation.kind == ConversationId::Kind::Room ? conversation.id : title;
    m_rows.append(entry);
    endInsertRows();
    return row;
}

bool ConversationListModel::remove(const ConversationId &conversation)
{
    const int row = indexOf(conversation);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    updateUnreadTotal();
    return true;
}

int ConversationListModel::indexOf(const ConversationId &conversation) const
{
    // a handful of rows: a scan is as fast as any index, and always right
    for (int row = 0; row < int(m_rows.size()); ++row)
        if (m_rows.at(row).id == conversation)
            return row;
    return -1;
}

ConversationId ConversationListModel::conversationAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows.at(row).id : ConversationId();
}

void ConversationListModel::setTitle(const ConversationId &conversation, const QString &title)
{
    const int row = indexOf(conversation);
    if (row < 0 || title.isEmpty() || m_rows.at(row).title == title)
        return;
    m_rows[row].title = title;
    changed(row, {Qt::DisplayRole});
}

QString ConversationListModel::title(const ConversationId &conversation) const
{
    const int row = indexOf(conversation);
    return row < 0 ? QString() : data(index(row), Qt::DisplayRole).toString();
}

void ConversationListModel::setTopic(const ConversationId &conversation, const QString &topic)
{
    const int row = indexOf(conversation);
    if (row < 0 || m_rows.at(row).topic == topic)
        return;
    m_rows[row].topic = topic;
    changed(row, {TopicRole});
}

void ConversationListModel::setPeerGone(const ConversationId &conversation, bool gone)
{
    const int row = indexOf(conversation);
    if (row < 0 || m_rows.at(row).peerGone == gone)
        return;
    m_rows[row].peerGone = gone;
    changed(row, {PeerGoneRole});
}

bool ConversationListModel::isPeerGone(const ConversationId &conversation) const
{
    const int row = indexOf(conversation);
    return row >= 0 && m_rows.at(row).peerGone;
}

void ConversationListModel::setMuted(const ConversationId &conversation, bool muted)
{
    const int row = indexOf(conversation);
    if (row < 0 || m_rows.at(row).muted == muted)
        return;
    m_rows[row].muted = muted;
    changed(row, {MutedRole});
    updateUnreadTotal();
}

bool ConversationListModel::isMuted(const ConversationId &conversation) const
{
    const int row = indexOf(conversation);
    return row >= 0 && m_rows.at(row).muted;
}

void ConversationListModel::setLastActivity(const ConversationId &conversation, const QDateTime &timestamp)
{
    const int row = indexOf(conversation);
    if (row < 0 || !timestamp.isValid())
        return;
    QDateTime &last = m_rows[row].lastActivity;
    if (last.isValid() && last >= timestamp)
        return;
    last = timestamp.toUTC();
    changed(row, {LastActivityRole});
}

void ConversationListModel::setCurrent(const ConversationId &conversation)
{
    const int row = indexOf(conversation);
    if (row >= 0)
        setUnread(row, 0);
    if (m_current == conversation)
        return;
    const int previous = indexOf(m_current);
    m_current = conversation;
    if (previous >= 0)
        changed(previous, {CurrentRole});
    if (row >= 0)
        changed(row, {CurrentRole});
    Q_EMIT currentChanged(m_current);
}

ConversationId ConversationListModel::current() const
{
    return m_current;
}

void ConversationListModel::setWindowActive(bool active)
{
    m_windowActive = active;
}

bool ConversationListModel::isWindowActive() const
{
    return m_windowActive;
}

void ConversationListModel::setOwnNickname(const QString &nickname)
{
    if (m_nickname == nickname)
        return;
    m_nickname = nickname;
    // a word of its own: not inside another word, whatever the nickname's characters
    m_mention = nickname.isEmpty()
                    ? QRegularExpression()
                    : QRegularExpression(QStringLiteral("(?<!\\w)") + QRegularExpression::escape(nickname)
                                             + QStringLiteral("(?!\\w)"),
                                         QRegularExpression::CaseInsensitiveOption
                                             | QRegularExpression::UseUnicodePropertiesOption);
}

QString ConversationListModel::ownNickname() const
{
    return m_nickname;
}

bool ConversationListModel::mentionsUs(const QString &text) const
{
    return !m_nickname.isEmpty() && m_mention.match(text).hasMatch();
}

bool ConversationListModel::recordMessage(const ConversationId &conversation, const Chat::ChatMessage &message)
{
    const int row = indexOf(conversation);
    if (row < 0)
        return false;
    setLastActivity(conversation, message.timestamp.isValid() ? message.timestamp : QDateTime::currentDateTimeUtc());
    if (message.outgoing)
        return true;
    const bool isCurrent = conversation == m_current;
    if (!isCurrent)
        setUnread(row, m_rows.at(row).unread + 1);
    const bool inFront = isCurrent && m_windowActive;
    const bool deserves = conversation.isPrivate() || mentionsUs(message.text);
    if (deserves && !inFront && !m_rows.at(row).muted)
        Q_EMIT attention(conversation, message);
    return true;
}

int ConversationListModel::unread(const ConversationId &conversation) const
{
    const int row = indexOf(conversation);
    return row < 0 ? 0 : m_rows.at(row).unread;
}

int ConversationListModel::unreadTotal() const
{
    return m_unreadTotal;
}

void ConversationListModel::changed(int row, const QList<int> &roles)
{
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, roles);
}

void ConversationListModel::setUnread(int row, int unread)
{
    if (m_rows.at(row).unread == unread)
        return;
    m_rows[row].unread = unread;
    changed(row, {UnreadRole});
    updateUnreadTotal();
}

void ConversationListModel::updateUnreadTotal()
{
    int total = 0;
    for (const Row &row : std::as_const(m_rows))
        if (!row.muted)
            total += row.unread;
    if (total == m_unreadTotal)
        return;
    m_unreadTotal = total;
    Q_EMIT unreadTotalChanged(total);
}

} // namespace Roomcast::Ui
