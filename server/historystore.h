// The chat server's history: room messages and private conversations between authenticated
// users, kept in SQLite (Qt Sql, QSQLITE) in `history.sqlite` under the server's data directory.
//
// Every call runs on the caller's thread and returns when SQLite has answered; the store must be
// used on the thread that opened it (a QSqlDatabase connection belongs to one thread). A write
// that returns success is committed and synced to disk (journal_mode=WAL, synchronous=FULL), so
// a message the chat server has acknowledged survives a crash of the process or of the machine.
//
// Inputs are bounded here as well as in the chat server: an over-long text, name, room or user
// id is refused with InvalidArgument, never truncated.
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace Roomcast::Server {

//! A message posted to a room, as stored.
struct RoomMessage
{
    qint64 id = -1;          //!< assigned by the store, increasing, never reused
    QString room;
    QString senderUserId;    //!< the token's `id` claim, or empty on an open server
    QString senderName;
    QString senderSocketId;
    QString text;
    QDateTime timestamp;     //!< UTC, millisecond precision
    //! The sender's own id for the message (`clientMessageId`), unique in its room; empty if
    //! the client gave none. A message sent again under the same id is the same message.
    QString clientId;
};

//! A private message between two authenticated users (known by their token `id`).
struct PrivateMessage
{
    qint64 id = -1;          //!< assigned by the store, increasing, never reused
    QString fromUserId;
    QString fromName;
    QString toUserId;
    QString text;
    QDateTime timestamp;     //!< UTC, millisecond precision
    bool delivered = false;
};

//! One page of history, oldest message first; `hasMore` says whether older messages remain
//! (for roomHistory() and privateHistory()) or further undelivered ones (for undelivered()).
template<typename Message>
struct HistoryPage
{
    QList<Message> messages;
    bool hasMore = false;
};

using RoomHistoryPage = HistoryPage<RoomMessage>;
using PrivateHistoryPage = HistoryPage<PrivateMessage>;

class HistoryStore : public QObject
{
    Q_OBJECT

public:
    enum Error {
        NoError,
        NotOpen,          //!< open() has not succeeded, or close() was called
        OpenFailed,       //!< the directory or the database file could not be created or opened
        SchemaError,      //!< the schema could not be created or migrated, or is newer than ours
        InvalidArgument,  //!< an input is empty, too long, or otherwise refused
        WriteFailed,      //!< SQLite refused a write (disk full, I/O error, …); nothing was stored
        ReadFailed,       //!< SQLite failed to read
    };
    Q_ENUM(Error)

    //! Caps enforced at the store boundary (UTF-16 code units).
    static constexpr qsizetype MaxTextLength = 16 * 1024;
    static constexpr qsizetype MaxNameLength = 256;   //!< nicknames, room names, user and socket ids
    static constexpr int MaxPageSize = 1000;          //!< the largest `limit` a read accepts
    //! The schema this build writes; open() migrates older files up to it.
    static constexpr int SchemaVersion = 2;
    //! The database file's name inside the data directory.
    static QString fileName();

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override;

    //! Creates \a directory if needed and opens (or creates) history.sqlite in it, migrating its
    //! schema. Closes a database already open first. On failure, error() says why.
    bool open(const QString &directory);
    void close();
    bool isOpen() const;
    QString directory() const;

    //! Stores a room message; the result carries its id and timestamp. Returns nothing on failure
    //! (see error()); success means the message is committed to disk. A non-empty \a clientId
    //! already stored in \a room is refused (InvalidArgument): look it up first with
    //! roomMessageByClientId().
    std::optional<RoomMessage> append(const QString &room, const QString &senderUserId,
                                      const QString &senderName, const QString &senderSocketId,
                                      const QString &text, const QDateTime &timestampUtc,
                                      const QString &clientId = {});
    //! The message of \a room stored under \a clientId. Nothing when there is none (error() is
    //! NoError then) or on failure.
    std::optional<RoomMessage> roomMessageByClientId(const QString &room, const QString &clientId);
    //! The newest \a limit messages of \a room older than \a beforeId (all when -1), oldest first.
    std::optional<RoomHistoryPage> roomHistory(const QString &room, int limit,
                                               qint64 beforeId = -1);

    //! Stores a private message; \a delivered is false when the recipient was offline.
    std::optional<PrivateMessage> appendPrivate(const QString &fromUserId, const QString &fromName,
                                                const QString &toUserId, const QString &text,
                                                const QDateTime &timestampUtc, bool delivered);
    //! The conversation between \a userA and \a userB in both directions, as roomHistory().
    std::optional<PrivateHistoryPage> privateHistory(const QString &userA, const QString &userB,
                                                     int limit, qint64 beforeId = -1);
    //! The oldest \a limit private messages to \a toUserId not yet delivered, oldest first.
    std::optional<PrivateHistoryPage> undelivered(const QString &toUserId, int limit = MaxPageSize);
    //! Marks private messages delivered, all or none (one transaction). Unknown ids are ignored.
    bool markDelivered(const QList<qint64> &ids);

    Error error() const;
    QString errorString() const;

Q_SIGNALS:
    void errorOccurred(Roomcast::Server::HistoryStore::Error error);

private:
    bool fail(Error error, const QString &message);
    bool checkOpen();
    bool checkText(const QString &text);
    bool checkName(const QString &value, const QString &what, bool allowEmpty);
    bool checkTimestamp(const QDateTime &timestamp);
    bool checkPage(int limit);
    bool configure();
    bool migrate();
    void clearError();

    QString m_connectionName;
    QString m_directory;
    Error m_error = NoError;
    QString m_errorString;
};

} // namespace Roomcast::Server
