// MessageModel: the messages of one conversation, oldest first, for the middle pane. Live
// messages are appended, history pages merged in (they may overlap what is shown: a message
// with a server id is never shown twice), and our own messages go Pending → Sent or Failed.
#pragma once

#include "chat/chatclient.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include <deque>

namespace Roomcast::Ui {

class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(bool hasMoreHistory READ hasMoreHistory WRITE setHasMoreHistory NOTIFY hasMoreHistoryChanged)

public:
    enum Roles {
        TextRole = Qt::UserRole + 1, //!< also Qt::DisplayRole
        SenderNameRole,   //!< the name the message was sent under (a later rename does not change it)
        SenderIdRole,     //!< the sender's socket id (empty for a message kept while we were away)
        SenderUserIdRole, //!< the sender's user id, on a server with logins
        MessageIdRole,    //!< the server's id; -1 while pending, and for messages that have none
        LocalIdRole,      //!< addPending()'s id for our own messages, 0 for the others
        TimestampRole,    //!< QDateTime, local time
        OutgoingRole,     //!< ours
        StateRole,        //!< DeliveryState
        ErrorRole,        //!< why it failed, in the user's language (empty unless Failed)
        FirstInGroupRole, //!< not a continuation of the previous message (same sender, < 5 min, same day)
        DaySeparatorRole, //!< the first message of its (local) day, or the first row
        OfflineRole,      //!< kept by the server while we were away
        MessageRole,      //!< the whole Chat::ChatMessage
    };
    Q_ENUM(Roles)

    enum class DeliveryState {
        Received, //!< someone else's
        Pending,  //!< ours, waiting for the server's ack
        Sent,     //!< ours, acknowledged (or read back from the history, OutgoingRole set)
        Failed,   //!< ours, refused or not answered: ErrorRole says why; it can be retried
    };
    Q_ENUM(DeliveryState)

    //! How a page of history is merged: rooms by server id (ids grow with time on a server),
    //! private conversations by timestamp (their live messages carry no id).
    enum class Ordering { ById, ByTime };
    Q_ENUM(Ordering)

    //! Messages closer than this (same sender, same day) are shown as one group.
    static constexpr qint64 GroupWindowMs = 5 * 60 * 1000;

    explicit MessageModel(Ordering ordering = Ordering::ById, QObject *parent = nullptr);
    ~MessageModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    Ordering ordering() const;

    //! A live message, at the end (in id order if it is older than the newest shown). Returns
    //! false, and changes nothing, if it is already shown (same server id; in a ByTime model
    //! also same timestamp, sender name and text).
    bool append(const Chat::ChatMessage &message);
    //! Merges a page of history (any order; it may overlap or interleave with what is shown):
    //! messages already shown are skipped — a ByTime model gives the server id to a matching
    //! row that had none — and the rest inserted in order, one insertion per contiguous run.
    //! @p hasMore is taken when the page reaches further back than the oldest row (or the model
    //! is empty); an empty page with @p hasMore false ends the history. Returns the rows added.
    int prependHistory(const QList<Chat::ChatMessage> &page, bool hasMore);
    //! Whether older messages may exist on the server (true until a page says otherwise).
    bool hasMoreHistory() const;
    void setHasMoreHistory(bool hasMore);
    //! The server id of the oldest row that has one (the `beforeId` of the next page), or -1.
    qint64 oldestId() const;

    //! Our message, shown at once as Pending; returns its local id (> 0) for markSent/markFailed.
    qint64 addPending(const QString &text, const QString &senderName, const QString &senderId,
                      const QString &senderUserId = {});
    //! The server acknowledged it: its @p serverId (-1 when the server gives none, as for private
    //! messages) and @p timestamp (UTC; ignored if invalid). The row moves if the server's order
    //! puts it elsewhere; if the server id is already shown (read back in a history page first),
    //! that copy is removed. Returns false for an unknown local id.
    bool markSent(qint64 localId, qint64 serverId, const QDateTime &timestamp);
    //! The server refused it or did not answer: @p error is the English reason of Chat::Reply.
    bool markFailed(qint64 localId, const QString &error);
    //! A failed message is being sent again (retry): back to Pending.
    bool markPending(qint64 localId);
    //! The text of our message @p localId (to send it again), empty if unknown.
    QString pendingText(qint64 localId) const;

    int rowOfId(qint64 serverId) const;     //!< -1 if not shown
    int rowOfLocalId(qint64 localId) const; //!< -1 if not shown
    qint64 localIdAt(int row) const;        //!< 0 for messages that are not ours
    Chat::ChatMessage messageAt(int row) const;
    DeliveryState stateAt(int row) const;

Q_SIGNALS:
    void hasMoreHistoryChanged(bool hasMore);

private:
    struct Entry
    {
        Chat::ChatMessage message;
        qint64 localId = 0;
        DeliveryState state = DeliveryState::Received;
        QString error; //!< English, as the Reply said
    };
    //! What identifies a message without a server id in a ByTime model.
    struct Print
    {
        qint64 ms = 0;
        QString sender;
        QString text;
        friend bool operator==(const Print &, const Print &) = default;
        friend size_t qHash(const Print &print, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, print.ms, print.sender, print.text);
        }
    };

    static Entry entryFor(const Chat::ChatMessage &message);
    bool hasPrint(const Entry &entry) const;
    static Print printOf(const Chat::ChatMessage &message);
    //! The row already showing @p message (by id, or by print in a ByTime model), or -1.
    int duplicateRow(const Chat::ChatMessage &message) const;

    //! Row positions: a key maps to an absolute position, row = position - m_base, so a page
    //! inserted at the front shifts nothing; an insertion elsewhere re-indexes the shorter side.
    void indexRow(int row);
    void unindexRow(int row);
    void insertEntries(int row, std::vector<Entry> entries);
    void removeEntry(int row);
    void moveEntry(int from, int to);
    //! Emits dataChanged for the grouping roles of @p row (its predecessor changed), if it exists.
    void neighbourChanged(int row);

    //! The ordering key of @p row, or false for a row without one (ById: no server id yet).
    bool keyOf(int row, qint64 *key) const;
    qint64 keyOf(const Chat::ChatMessage &message) const;
    //! Where a message with @p key goes: before the first row whose key (or the key of the next
    //! row that has one, for a row without) is greater.
    int insertionRow(qint64 key) const;
    //! Where @p row belongs among the others, if not where it is (-1 then): a destination for
    //! beginMoveRows.
    int misplacedDestination(int row) const;

    bool isFirstInGroup(int row) const;
    bool startsDay(int row) const;

    Ordering m_ordering;
    std::deque<Entry> m_rows;
    qint64 m_base = 0;
    QHash<qint64, qint64> m_byId;    // server id → position
    QHash<qint64, qint64> m_byLocal; // local id → position
    QHash<Print, qint64> m_byPrint;  // ByTime only: rows with a server timestamp → position
    qint64 m_nextLocalId = 1;
    bool m_hasMore = true;
};

} // namespace Roomcast::Ui
