#include "messagemodel.h"

#include <QSet>

#include <algorithm>
#include <iterator>
#include <limits>

namespace Roomcast::Ui {

using Chat::ChatMessage;

namespace {

//! The same person: by user id when both messages carry one, else by socket id, else by name.
bool sameSender(const ChatMessage &a, const ChatMessage &b)
{
    if (!a.fromUser.isEmpty() && !b.fromUser.isEmpty())
        return a.fromUser == b.fromUser;
    if (!a.fromSocket.isEmpty() && !b.fromSocket.isEmpty())
        return a.fromSocket == b.fromSocket;
    return a.senderName == b.senderName;
}

} // namespace

MessageModel::MessageModel(Ordering ordering, QObject *parent)
    : QAbstractListModel(parent)
    , m_ordering(ordering)
{
    qRegisterMetaType<Chat::ChatMessage>();
}

MessageModel::~MessageModel() = default;

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Entry &entry = m_rows[size_t(row)];
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return entry.message.text;
    case SenderNameRole:
        return entry.message.senderName;
    case SenderIdRole:
        return entry.message.fromSocket;
    case SenderUserIdRole:
        return entry.message.fromUser;
    case MessageIdRole:
        return entry.message.id;
    case LocalIdRole:
        return entry.localId;
    case TimestampRole:
        return entry.message.timestamp.toLocalTime();
    case OutgoingRole:
        return entry.message.outgoing;
    case StateRole:
        return QVariant::fromValue(entry.state);
    case ErrorRole:
        return entry.state == DeliveryState::Failed ? Chat::ChatClient::translatedError(entry.error) : QString();
    case FirstInGroupRole:
        return isFirstInGroup(row);
    case DaySeparatorRole:
        return startsDay(row);
    case OfflineRole:
        return entry.message.offline;
    case MessageRole:
        return QVariant::fromValue(entry.message);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {TextRole, "text"},
        {SenderNameRole, "senderName"},
        {SenderIdRole, "senderId"},
        {SenderUserIdRole, "senderUserId"},
        {MessageIdRole, "messageId"},
        {LocalIdRole, "localId"},
        {TimestampRole, "timestamp"},
        {OutgoingRole, "outgoing"},
        {StateRole, "state"},
        {ErrorRole, "error"},
        {FirstInGroupRole, "firstInGroup"},
        {DaySeparatorRole, "daySeparator"},
        {OfflineRole, "offline"},
        {MessageRole, "message"},
    };
}

MessageModel::Ordering MessageModel::ordering() const
{
    return m_ordering;
}

bool MessageModel::append(const ChatMessage &message)
{
    if (duplicateRow(message) >= 0)
        return false;
    const int count = int(m_rows.size());
    int row = count;
    const qint64 key = keyOf(message);
    if (key != std::numeric_limits<qint64>::min()) {
        // Live messages come last, unless the server's order says otherwise (a page read ahead).
        for (int last = count - 1; last >= 0; --last) {
            qint64 lastKey = 0;
            if (keyOf(last, &lastKey)) {
                if (lastKey > key)
                    row = insertionRow(key);
                break;
            }
        }
    }
    std::vector<Entry> entries;
    entries.push_back(entryFor(message));
    insertEntries(row, std::move(entries));
    return true;
}

int MessageModel::prependHistory(const QList<ChatMessage> &page, bool hasMore)
{
    constexpr qint64 NoKey = std::numeric_limits<qint64>::min();
    qint64 oldestKey = 0;
    bool hadKey = false;
    for (int row = 0; row < int(m_rows.size()) && !hadKey; ++row)
        hadKey = keyOf(row, &oldestKey);

    std::vector<Entry> fresh;
    fresh.reserve(size_t(page.size()));
    QSet<qint64> pageIds;
    QSet<Print> pagePrints;
    qint64 pageOldest = std::numeric_limits<qint64>::max();
    int adoptedFirst = std::numeric_limits<int>::max();
    int adoptedLast = -1;
    for (const ChatMessage &message : page) {
        const qint64 key = keyOf(message);
        if (key != NoKey)
            pageOldest = std::min(pageOldest, key);
        if (const int row = duplicateRow(message); row >= 0) {
            Entry &shown = m_rows[size_t(row)];
            if (message.id >= 0 && shown.message.id < 0) {
                // a live private message, read back with the id the server stored it under
                shown.message.id = message.id;
                m_byId.insert(message.id, m_base + row);
                adoptedFirst = std::min(adoptedFirst, row);
                adoptedLast = std::max(adoptedLast, row);
            }
            continue;
        }
        if (message.id >= 0) {
            if (pageIds.contains(message.id))
                continue;
            pageIds.insert(message.id);
        } else if (m_ordering == Ordering::ByTime && message.timestamp.isValid()) {
            const Print print = printOf(message);
            if (pagePrints.contains(print))
                continue;
            pagePrints.insert(print);
        }
        fresh.push_back(entryFor(message));
    }
    if (adoptedLast >= 0)
        Q_EMIT dataChanged(index(adoptedFirst), index(adoptedLast), {MessageIdRole, MessageRole});

    // In order, then where each goes among the rows shown (computed before inserting anything:
    // the runs are inserted from the last, so the earlier positions stay right).
    std::stable_sort(fresh.begin(), fresh.end(), [this](const Entry &a, const Entry &b) {
        return keyOf(a.message) < keyOf(b.message);
    });
    std::vector<int> rows(fresh.size());
    for (size_t i = 0; i < fresh.size(); ++i) {
        const qint64 key = keyOf(fresh[i].message);
        rows[i] = key == NoKey ? 0 : insertionRow(key);
    }
    const int added = int(fresh.size());
    size_t end = fresh.size();
    while (end > 0) {
        size_t begin = end - 1;
        while (begin > 0 && rows[begin - 1] == rows[end - 1])
            --begin;
        std::vector<Entry> run(std::make_move_iterator(fresh.begin() + qsizetype(begin)),
                               std::make_move_iterator(fresh.begin() + qsizetype(end)));
        insertEntries(rows[end - 1], std::move(run));
        end = begin;
    }

    if (page.isEmpty()) {
        if (!hasMore)
            setHasMoreHistory(false);
    } else if (!hadKey || pageOldest <= oldestKey) {
        setHasMoreHistory(hasMore);
    }
    return added;
}

bool MessageModel::hasMoreHistory() const
{
    return m_hasMore;
}

void MessageModel::setHasMoreHistory(bool hasMore)
{
    if (m_hasMore == hasMore)
        return;
    m_hasMore = hasMore;
    Q_EMIT hasMoreHistoryChanged(hasMore);
}

qint64 MessageModel::oldestId() const
{
    for (const Entry &entry : m_rows)
        if (entry.message.id >= 0)
            return entry.message.id;
    return -1;
}

qint64 MessageModel::addPending(const QString &text, const QString &senderName, const QString &senderId,
                                const QString &senderUserId)
{
    Entry entry;
    entry.message.text = text;
    entry.message.senderName = senderName;
    entry.message.fromSocket = senderId;
    entry.message.fromUser = senderUserId;
    entry.message.timestamp = QDateTime::currentDateTimeUtc();
    entry.message.outgoing = true;
    entry.localId = m_nextLocalId++;
    entry.state = DeliveryState::Pending;
    const qint64 localId = entry.localId;
    std::vector<Entry> entries;
    entries.push_back(std::move(entry));
    insertEntries(int(m_rows.size()), std::move(entries));
    return localId;
}

bool MessageModel::markSent(qint64 localId, qint64 serverId, const QDateTime &timestamp)
{
    int row = rowOfLocalId(localId);
    if (row < 0)
        return false;
    unindexRow(row);
    Entry &entry = m_rows[size_t(row)];
    entry.message.id = serverId;
    if (timestamp.isValid())
        entry.message.timestamp = timestamp.toUTC();
    entry.state = DeliveryState::Sent;
    entry.error.clear();
    // Read back in a page before the ack came: keep ours (it is the one the user watched).
    if (const int copy = duplicateRow(entry.message); copy >= 0) {
        removeEntry(copy);
        if (copy < row)
            --row;
    }
    indexRow(row);
    Q_EMIT dataChanged(index(row), index(row));
    neighbourChanged(row + 1);
    if (const int destination = misplacedDestination(row); destination >= 0)
        moveEntry(row, destination);
    return true;
}

bool MessageModel::markFailed(qint64 localId, const QString &error)
{
    const int row = rowOfLocalId(localId);
    if (row < 0)
        return false;
    Entry &entry = m_rows[size_t(row)];
    if (entry.state != DeliveryState::Pending && entry.state != DeliveryState::Failed)
        return false;
    entry.state = DeliveryState::Failed;
    entry.error = error;
    Q_EMIT dataChanged(index(row), index(row), {StateRole, ErrorRole});
    return true;
}

bool MessageModel::markPending(qint64 localId)
{
    const int row = rowOfLocalId(localId);
    if (row < 0 || m_rows[size_t(row)].state != DeliveryState::Failed)
        return false;
    Entry &entry = m_rows[size_t(row)];
    entry.state = DeliveryState::Pending;
    entry.error.clear();
    Q_EMIT dataChanged(index(row), index(row), {StateRole, ErrorRole});
    return true;
}

QString MessageModel::pendingText(qint64 localId) const
{
    const int row = rowOfLocalId(localId);
    return row < 0 ? QString() : m_rows[size_t(row)].message.text;
}

int MessageModel::rowOfId(qint64 serverId) const
{
    const auto it = m_byId.constFind(serverId);
    return it == m_byId.cend() ? -1 : int(*it - m_base);
}

int MessageModel::rowOfLocalId(qint64 localId) const
{
    const auto it = m_byLocal.constFind(localId);
    return it == m_byLocal.cend() ? -1 : int(*it - m_base);
}

qint64 MessageModel::localIdAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].localId : 0;
}

ChatMessage MessageModel::messageAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].message : ChatMessage();
}

MessageModel::DeliveryState MessageModel::stateAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].state : DeliveryState::Received;
}

MessageModel::Entry MessageModel::entryFor(const ChatMessage &message)
{
    Entry entry;
    entry.message = message;
    entry.state = message.outgoing ? DeliveryState::Sent : DeliveryState::Received;
    return entry;
}

bool MessageModel::hasPrint(const Entry &entry) const
{
    return m_ordering == Ordering::ByTime && entry.message.timestamp.isValid()
           && (entry.state == DeliveryState::Received || entry.state == DeliveryState::Sent);
}

MessageModel::Print MessageModel::printOf(const ChatMessage &message)
{
    return {message.timestamp.toMSecsSinceEpoch(), message.senderName, message.text};
}

int MessageModel::duplicateRow(const ChatMessage &message) const
{
    if (message.id >= 0) {
        if (const int row = rowOfId(message.id); row >= 0)
            return row;
    }
    if (m_ordering == Ordering::ByTime && message.timestamp.isValid()) {
        const auto it = m_byPrint.constFind(printOf(message));
        if (it != m_byPrint.cend()) {
            const int row = int(*it - m_base);
            // two ids: two messages that happen to look alike
            if (message.id < 0 || m_rows[size_t(row)].message.id < 0)
                return row;
        }
    }
    return -1;
}

void MessageModel::indexRow(int row)
{
    const Entry &entry = m_rows[size_t(row)];
    const qint64 position = m_base + row;
    if (entry.message.id >= 0)
        m_byId.insert(entry.message.id, position);
    if (entry.localId > 0)
        m_byLocal.insert(entry.localId, position);
    if (hasPrint(entry))
        m_byPrint.insert(printOf(entry.message), position);
}

void MessageModel::unindexRow(int row)
{
    const Entry &entry = m_rows[size_t(row)];
    const qint64 position = m_base + row;
    if (entry.message.id >= 0 && m_byId.value(entry.message.id, -1) == position)
        m_byId.remove(entry.message.id);
    if (entry.localId > 0)
        m_byLocal.remove(entry.localId);
    if (hasPrint(entry)) {
        const Print print = printOf(entry.message);
        const auto it = m_byPrint.find(print);
        if (it != m_byPrint.end() && *it == position)
            m_byPrint.erase(it);
    }
}

void MessageModel::insertEntries(int row, std::vector<Entry> entries)
{
    if (entries.empty())
        return;
    const int count = int(m_rows.size());
    const int added = int(entries.size());
    beginInsertRows({}, row, row + added - 1);
    // The rows on the shorter side move: their positions are written again.
    const bool frontMoves = row <= count - row;
    if (frontMoves)
        m_base -= added;
    m_rows.insert(m_rows.begin() + row, std::make_move_iterator(entries.begin()),
                  std::make_move_iterator(entries.end()));
    const int first = frontMoves ? 0 : row;
    const int last = frontMoves ? row + added : count + added;
    for (int i = first; i < last; ++i)
        indexRow(i);
    endInsertRows();
    neighbourChanged(row + added);
}

void MessageModel::removeEntry(int row)
{
    const int count = int(m_rows.size());
    beginRemoveRows({}, row, row);
    unindexRow(row);
    const bool frontMoves = row < count - 1 - row;
    m_rows.erase(m_rows.begin() + row);
    if (frontMoves) {
        ++m_base;
        for (int i = 0; i < row; ++i)
            indexRow(i);
    } else {
        for (int i = row; i < count - 1; ++i)
            indexRow(i);
    }
    endRemoveRows();
    neighbourChanged(row);
}

void MessageModel::moveEntry(int from, int to)
{
    if (!beginMoveRows({}, from, from, {}, to))
        return;
    Entry entry = std::move(m_rows[size_t(from)]);
    m_rows.erase(m_rows.begin() + from);
    const int row = to > from ? to - 1 : to;
    m_rows.insert(m_rows.begin() + row, std::move(entry));
    for (int i = std::min(from, row); i <= std::max(from, row); ++i)
        indexRow(i);
    endMoveRows();
    // its new neighbours, and the row that followed it where it was
    neighbourChanged(row);
    neighbourChanged(row + 1);
    neighbourChanged(from < row ? from : from + 1);
}

void MessageModel::neighbourChanged(int row)
{
    if (row >= 0 && row < int(m_rows.size()))
        Q_EMIT dataChanged(index(row), index(row), {FirstInGroupRole, DaySeparatorRole});
}

bool MessageModel::keyOf(int row, qint64 *key) const
{
    const Entry &entry = m_rows[size_t(row)];
    if (entry.state == DeliveryState::Pending || entry.state == DeliveryState::Failed)
        return false; // not in the server's order yet
    const qint64 k = keyOf(entry.message);
    if (k == std::numeric_limits<qint64>::min())
        return false;
    *key = k;
    return true;
}

qint64 MessageModel::keyOf(const ChatMessage &message) const
{
    if (m_ordering == Ordering::ById)
        return message.id >= 0 ? message.id : std::numeric_limits<qint64>::min();
    return message.timestamp.isValid() ? message.timestamp.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

int MessageModel::insertionRow(qint64 key) const
{
    // Rows with a key are in order; a row without one counts with the key of the next that has
    // one, so the predicate below is monotonic and a binary search finds the first row after.
    int low = 0;
    int high = int(m_rows.size());
    while (low < high) {
        const int middle = low + (high - low) / 2;
        bool found = false;
        qint64 next = 0;
        for (int i = middle; i < int(m_rows.size()) && !found; ++i)
            found = keyOf(i, &next);
        if (!found || next > key)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

int MessageModel::misplacedDestination(int row) const
{
    qint64 key = 0;
    if (!keyOf(row, &key))
        return -1;
    const auto keyed = [this](int from, int step, qint64 *found) {
        for (int i = from; i >= 0 && i < int(m_rows.size()); i += step)
            if (keyOf(i, found))
                return true;
        return false;
    };
    qint64 previous = 0;
    qint64 next = 0;
    const bool tooLate = keyed(row - 1, -1, &previous) && previous > key;
    const bool tooEarly = !tooLate && keyed(row + 1, 1, &next) && next < key;
    if (!tooLate && !tooEarly)
        return -1;
    // Among the other rows: a binary search, as insertionRow(), stepping over this one.
    int low = tooLate ? 0 : row + 1;
    int high = tooLate ? row : int(m_rows.size());
    while (low < high) {
        const int middle = low + (high - low) / 2;
        bool found = false;
        qint64 candidate = 0;
        for (int i = middle; i < int(m_rows.size()) && !found; ++i)
            found = i != row && keyOf(i, &candidate);
        if (!found || candidate > key)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

bool MessageModel::isFirstInGroup(int row) const
{
    if (row == 0 || startsDay(row))
        return true;
    const ChatMessage &previous = m_rows[size_t(row - 1)].message;
    const ChatMessage &message = m_rows[size_t(row)].message;
    if (!sameSender(previous, message))
        return true;
    return qAbs(previous.timestamp.msecsTo(message.timestamp)) >= GroupWindowMs;
}

bool MessageModel::startsDay(int row) const
{
    if (row == 0)
        return true;
    return m_rows[size_t(row - 1)].message.timestamp.toLocalTime().date()
           != m_rows[size_t(row)].message.timestamp.toLocalTime().date();
}

} // namespace Roomcast::Ui
