#include "server/historystore.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>

namespace Roomcast::Server {

Q_LOGGING_CATEGORY(lcHistory, "roomcast.server.history", QtWarningMsg)

namespace {

// Schema migrations: entry N-1 takes a database from version N-1 to version N. Append a step for
// every schema change; never edit a step that has shipped.
struct Migration
{
    int version;
    QList<const char *> statements;
};

const QList<Migration> &migrations()
{
    // AUTOINCREMENT: ids are never reused, even if the newest rows are deleted one day (retention),
    // so a client's `beforeId` never points at a different message.
    static const QList<Migration> steps = {
        {1,
         {"CREATE TABLE room_messages ("
          " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " room TEXT NOT NULL,"
          " sender_user_id TEXT NOT NULL,"
          " sender_name TEXT NOT NULL,"
          " sender_socket_id TEXT NOT NULL,"
          " text TEXT NOT NULL,"
          " timestamp_ms INTEGER NOT NULL)",
          "CREATE INDEX room_messages_by_room ON room_messages (room, id)",
          "CREATE TABLE private_messages ("
          " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " from_user_id TEXT NOT NULL,"
          " from_name TEXT NOT NULL,"
          " to_user_id TEXT NOT NULL,"
          " text TEXT NOT NULL,"
          " timestamp_ms INTEGER NOT NULL,"
          " delivered INTEGER NOT NULL DEFAULT 0)",
          "CREATE INDEX private_messages_by_pair"
          " ON private_messages (from_user_id, to_user_id, id)",
          "CREATE INDEX private_messages_undelivered"
          " ON private_messages (to_user_id, id) WHERE delivered = 0"}},
        // The client's own message id: a message sent again (its ack was lost with the
        // connection) is found, not stored twice.
        {2,
         {"ALTER TABLE room_messages ADD COLUMN client_id TEXT NOT NULL DEFAULT ''",
          "CREATE UNIQUE INDEX room_messages_by_client_id"
          " ON room_messages (room, client_id) WHERE client_id <> ''"}},
    };
    return steps;
}

QAtomicInteger<quint64> connectionCounter;

QDateTime fromMSecs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// A null QString binds as SQL NULL; an empty field (no user id on an open server) is stored as ''.
QString notNull(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

qint64 upperBound(qint64 beforeId)
{
    return beforeId < 0 ? std::numeric_limits<qint64>::max() : beforeId;
}

RoomMessage readRoomMessage(const QSqlQuery &q)
{
    RoomMessage m;
    m.id = q.value(0).toLongLong();
    m.room = q.value(1).toString();
    m.senderUserId = q.value(2).toString();
    m.senderName = q.value(3).toString();
    m.senderSocketId = q.value(4).toString();
    m.text = q.value(5).toString();
    m.timestamp = fromMSecs(q.value(6).toLongLong());
    m.clientId = q.value(7).toString();
    return m;
}

const QString roomColumns = QStringLiteral(
    "id, room, sender_user_id, sender_name, sender_socket_id, text, timestamp_ms, client_id");

PrivateMessage readPrivateMessage(const QSqlQuery &q)
{
    PrivateMessage m;
    m.id = q.value(0).toLongLong();
    m.fromUserId = q.value(1).toString();
    m.fromName = q.value(2).toString();
    m.toUserId = q.value(3).toString();
    m.text = q.value(4).toString();
    m.timestamp = fromMSecs(q.value(5).toLongLong());
    m.delivered = q.value(6).toBool();
    return m;
}

// Rows were read newest first, one more than the page holds: the extra one only says that older
// rows remain.
template<typename Message>
HistoryPage<Message> toPage(QList<Message> newestFirst, int limit)
{
    HistoryPage<Message> page;
    page.hasMore = newestFirst.size() > limit;
    if (page.hasMore)
        newestFirst.resize(limit);
    std::reverse(newestFirst.begin(), newestFirst.end());
    page.messages = std::move(newestFirst);
    return page;
}

const QString privateColumns = QStringLiteral(
    "id, from_user_id, from_name, to_user_id, text, timestamp_ms, delivered");

} // namespace

QString HistoryStore::fileName()
{
    return QStringLiteral("history.sqlite");
}

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
{
}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::open(const QString &directory)
{
    close();
    clearError();

    if (directory.isEmpty())
        return fail(OpenFailed, tr("No history directory given"));
    if (!QDir().mkpath(directory) || !QFileInfo(directory).isDir())
        return fail(OpenFailed, tr("Cannot create the history directory %1")
                                    .arg(QDir::toNativeSeparators(directory)));

    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(OpenFailed, tr("The Qt SQLite driver (QSQLITE) is not available"));

    const QString path = QDir(directory).absoluteFilePath(fileName());
    const QString name = QStringLiteral("roomcast.history.%1").arg(++connectionCounter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        // Never wait for another process's lock: the server owns its data directory.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return fail(OpenFailed, tr("Cannot open %1: %2")
                                        .arg(QDir::toNativeSeparators(path), reason));
        }
    }
    m_connectionName = name;
    m_directory = directory;

    if (!configure() || !migrate()) {
        const Error error = m_error;
        const QString message = m_errorString;
        close();
        m_error = error;
        m_errorString = message;
        return false;
    }
    qCDebug(lcHistory) << "opened" << path << "schema version" << SchemaVersion;
    return true;
}

// SQLite caveat: opening never fails for a file it cannot create; the first statement does, so
// the pragmas double as the check that the file is usable.
bool HistoryStore::configure()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next())
        return fail(OpenFailed, tr("Cannot open the history database: %1").arg(q.lastError().text()));
    const QString mode = q.value(0).toString();
    if (mode.compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
        // Still durable with synchronous=FULL, only slower and readers block the writer.
        qCWarning(lcHistory) << "SQLite refused WAL journal mode, using" << mode;
    }
    // WAL + FULL: every commit syncs the WAL file before returning, so an acknowledged message
    // survives power loss, not only a crash of the process (NORMAL would only guarantee the latter).
    if (!q.exec(QStringLiteral("PRAGMA synchronous=FULL")))
        return fail(OpenFailed, tr("Cannot configure the history database: %1")
                                    .arg(q.lastError().text()));
    return true;
}

bool HistoryStore::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return fail(SchemaError, tr("Cannot start a transaction: %1").arg(db.lastError().text()));

    const auto rollback = [&](const QString &message) {
        db.rollback();
        return fail(SchemaError, message);
    };

    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")))
        return rollback(tr("Cannot create the schema version table: %1").arg(q.lastError().text()));
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version")))
        return rollback(tr("Cannot read the schema version: %1").arg(q.lastError().text()));
    const bool hasVersion = q.next();
    const int version = hasVersion ? q.value(0).toInt() : 0;
    q.finish();

    if (version > SchemaVersion) {
        return rollback(tr("The history database has schema version %1; this build knows %2 at most")
                            .arg(version)
                            .arg(SchemaVersion));
    }

    for (const Migration &step : migrations()) {
        if (step.version <= version)
            continue;
        qCInfo(lcHistory) << "migrating the history schema to version" << step.version;
        for (const char *statement : step.statements) {
            if (!q.exec(QString::fromLatin1(statement)))
                return rollback(tr("Cannot migrate the history schema to version %1: %2")
                                    .arg(step.version)
                                    .arg(q.lastError().text()));
        }
    }

    if (version != SchemaVersion) {
        q.prepare(hasVersion ? QStringLiteral("UPDATE schema_version SET version = ?")
                             : QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"));
        q.addBindValue(SchemaVersion);
        if (!q.exec())
            return rollback(tr("Cannot record the schema version: %1").arg(q.lastError().text()));
    }
    if (!db.commit())
        return rollback(tr("Cannot commit the schema: %1").arg(db.lastError().text()));
    return true;
}

void HistoryStore::close()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
    m_directory.clear();
}

bool HistoryStore::isOpen() const
{
    return !m_connectionName.isEmpty();
}

QString HistoryStore::directory() const
{
    return m_directory;
}

std::optional<RoomMessage> HistoryStore::append(const QString &room, const QString &senderUserId,
                                                const QString &senderName,
                                                const QString &senderSocketId, const QString &text,
                                                const QDateTime &timestampUtc, const QString &clientId)
{
    clearError();
    if (!checkOpen() || !checkName(room, tr("room name"), false)
        || !checkName(senderUserId, tr("user id"), true)
        || !checkName(senderName, tr("sender name"), true)
        || !checkName(senderSocketId, tr("socket id"), true) || !checkText(text)
        || !checkTimestamp(timestampUtc) || !checkName(clientId, tr("client message id"), true)) {
        return std::nullopt;
    }

    RoomMessage m;
    m.room = room;
    m.senderUserId = senderUserId;
    m.senderName = senderName;
    m.senderSocketId = senderSocketId;
    m.text = text;
    m.timestamp = timestampUtc.toUTC();
    m.clientId = clientId;

    // One statement in autocommit mode: its own transaction, committed and synced when exec()
    // returns.
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO room_messages"
                             " (room, sender_user_id, sender_name, sender_socket_id, text, timestamp_ms, client_id)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(notNull(m.room));
    q.addBindValue(notNull(m.senderUserId));
    q.addBindValue(notNull(m.senderName));
    q.addBindValue(notNull(m.senderSocketId));
    q.addBindValue(notNull(m.text));
    q.addBindValue(m.timestamp.toMSecsSinceEpoch());
    q.addBindValue(notNull(m.clientId));
    if (!q.exec()) {
        // SQLITE_CONSTRAINT (19; 2067 as an extended code): the only constraint a row that
        // passed the checks above can break is that client message id being taken in the room.
        const QString code = q.lastError().nativeErrorCode();
        if (code == QLatin1String("19") || code == QLatin1String("2067")) {
            fail(InvalidArgument, tr("A message with that client message id is already stored in the room"));
            return std::nullopt;
        }
        fail(WriteFailed, tr("Cannot store the message: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    m.id = q.lastInsertId().toLongLong();
    return m;
}

std::optional<RoomMessage> HistoryStore::roomMessageByClientId(const QString &room, const QString &clientId)
{
    clearError();
    if (!checkOpen() || !checkName(room, tr("room name"), false)
        || !checkName(clientId, tr("client message id"), false)) {
        return std::nullopt;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + roomColumns
              + QStringLiteral(" FROM room_messages WHERE room = ? AND client_id = ?"));
    q.addBindValue(room);
    q.addBindValue(clientId);
    if (!q.exec()) {
        fail(ReadFailed, tr("Cannot look the message up: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    if (q.next())
        return readRoomMessage(q);
    if (q.lastError().isValid())
        fail(ReadFailed, tr("Cannot look the message up: %1").arg(q.lastError().text()));
    return std::nullopt;
}

std::optional<RoomHistoryPage> HistoryStore::roomHistory(const QString &room, int limit,
                                                         qint64 beforeId)
{
    clearError();
    if (!checkOpen() || !checkName(room, tr("room name"), false) || !checkPage(limit))
        return std::nullopt;

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + roomColumns
              + QStringLiteral(" FROM room_messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?"));
    q.addBindValue(room);
    q.addBindValue(upperBound(beforeId));
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        fail(ReadFailed, tr("Cannot read the room's history: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    QList<RoomMessage> rows;
    while (q.next())
        rows.append(readRoomMessage(q));
    if (q.lastError().isValid()) {
        fail(ReadFailed, tr("Cannot read the room's history: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    return toPage(std::move(rows), limit);
}

std::optional<PrivateMessage> HistoryStore::appendPrivate(const QString &fromUserId,
                                                          const QString &fromName,
                                                          const QString &toUserId,
                                                          const QString &text,
                                                          const QDateTime &timestampUtc,
                                                          bool delivered)
{
    clearError();
    if (!checkOpen() || !checkName(fromUserId, tr("sender's user id"), false)
        || !checkName(fromName, tr("sender name"), true)
        || !checkName(toUserId, tr("recipient's user id"), false) || !checkText(text)
        || !checkTimestamp(timestampUtc)) {
        return std::nullopt;
    }

    PrivateMessage m;
    m.fromUserId = fromUserId;
    m.fromName = fromName;
    m.toUserId = toUserId;
    m.text = text;
    m.timestamp = timestampUtc.toUTC();
    m.delivered = delivered;

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO private_messages"
                             " (from_user_id, from_name, to_user_id, text, timestamp_ms, delivered)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(notNull(m.fromUserId));
    q.addBindValue(notNull(m.fromName));
    q.addBindValue(notNull(m.toUserId));
    q.addBindValue(notNull(m.text));
    q.addBindValue(m.timestamp.toMSecsSinceEpoch());
    q.addBindValue(m.delivered ? 1 : 0);
    if (!q.exec()) {
        fail(WriteFailed, tr("Cannot store the private message: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    m.id = q.lastInsertId().toLongLong();
    return m;
}

std::optional<PrivateHistoryPage> HistoryStore::privateHistory(const QString &userA,
                                                               const QString &userB, int limit,
                                                               qint64 beforeId)
{
    clearError();
    if (!checkOpen() || !checkName(userA, tr("user id"), false)
        || !checkName(userB, tr("user id"), false) || !checkPage(limit)) {
        return std::nullopt;
    }

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + privateColumns
              + QStringLiteral(" FROM private_messages"
                               " WHERE ((from_user_id = ? AND to_user_id = ?)"
                               " OR (from_user_id = ? AND to_user_id = ?))"
                               " AND id < ? ORDER BY id DESC LIMIT ?"));
    q.addBindValue(userA);
    q.addBindValue(userB);
    q.addBindValue(userB);
    q.addBindValue(userA);
    q.addBindValue(upperBound(beforeId));
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        fail(ReadFailed, tr("Cannot read the conversation: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    QList<PrivateMessage> rows;
    while (q.next())
        rows.append(readPrivateMessage(q));
    if (q.lastError().isValid()) {
        fail(ReadFailed, tr("Cannot read the conversation: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    return toPage(std::move(rows), limit);
}

std::optional<PrivateHistoryPage> HistoryStore::undelivered(const QString &toUserId, int limit)
{
    clearError();
    if (!checkOpen() || !checkName(toUserId, tr("user id"), false) || !checkPage(limit))
        return std::nullopt;

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + privateColumns
              + QStringLiteral(" FROM private_messages WHERE to_user_id = ? AND delivered = 0"
                               " ORDER BY id ASC LIMIT ?"));
    q.addBindValue(toUserId);
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        fail(ReadFailed, tr("Cannot read undelivered messages: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    PrivateHistoryPage page;
    while (q.next())
        page.messages.append(readPrivateMessage(q));
    if (q.lastError().isValid()) {
        fail(ReadFailed, tr("Cannot read undelivered messages: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    page.hasMore = page.messages.size() > limit;
    if (page.hasMore)
        page.messages.resize(limit);
    return page;
}

bool HistoryStore::markDelivered(const QList<qint64> &ids)
{
    clearError();
    if (!checkOpen())
        return false;
    if (ids.isEmpty())
        return true;

    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return fail(WriteFailed, tr("Cannot start a transaction: %1").arg(db.lastError().text()));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE private_messages SET delivered = 1 WHERE id = ?"));
    for (qint64 id : ids) {
        q.bindValue(0, id);
        if (!q.exec()) {
            const QString reason = q.lastError().text();
            db.rollback();
            return fail(WriteFailed, tr("Cannot mark messages delivered: %1").arg(reason));
        }
    }
    if (!db.commit()) {
        const QString reason = db.lastError().text();
        db.rollback();
        return fail(WriteFailed, tr("Cannot mark messages delivered: %1").arg(reason));
    }
    return true;
}

HistoryStore::Error HistoryStore::error() const
{
    return m_error;
}

QString HistoryStore::errorString() const
{
    return m_errorString;
}

bool HistoryStore::fail(Error error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    // The message names the field and the SQLite error, never a message body.
    if (error == InvalidArgument)
        qCDebug(lcHistory) << "refused:" << message;
    else
        qCWarning(lcHistory) << message;
    Q_EMIT errorOccurred(error);
    return false;
}

void HistoryStore::clearError()
{
    m_error = NoError;
    m_errorString.clear();
}

bool HistoryStore::checkOpen()
{
    return isOpen() || fail(NotOpen, tr("The history store is not open"));
}

bool HistoryStore::checkText(const QString &text)
{
    if (text.size() > MaxTextLength)
        return fail(InvalidArgument, tr("The message is too long (%1 characters, at most %2)")
                                         .arg(text.size())
                                         .arg(MaxTextLength));
    return true;
}

bool HistoryStore::checkName(const QString &value, const QString &what, bool allowEmpty)
{
    if (!allowEmpty && value.isEmpty())
        return fail(InvalidArgument, tr("The %1 is empty").arg(what));
    if (value.size() > MaxNameLength)
        return fail(InvalidArgument, tr("The %1 is too long (%2 characters, at most %3)")
                                         .arg(what)
                                         .arg(value.size())
                                         .arg(MaxNameLength));
    return true;
}

bool HistoryStore::checkTimestamp(const QDateTime &timestamp)
{
    return timestamp.isValid() || fail(InvalidArgument, tr("The message has no valid timestamp"));
}

bool HistoryStore::checkPage(int limit)
{
    if (limit < 1 || limit > MaxPageSize)
        return fail(InvalidArgument, tr("A page holds 1 to %1 messages, not %2")
                                         .arg(MaxPageSize)
                                         .arg(limit));
    return true;
}

} // namespace Roomcast::Server
