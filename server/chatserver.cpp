#include "chatserver.h"

#include "chat/discovery.h"
#include "chat/jwt.h"
#include "chat/protocol.h"
#include "historystore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

#include <cmath>
#include <memory>

Q_LOGGING_CATEGORY(lcChatServer, "roomcast.server", QtInfoMsg)

namespace Roomcast::Server {

using namespace Roomcast::SocketIO;
namespace Events = Roomcast::Chat::Events;
namespace Limits = Roomcast::Chat::Limits;

namespace {

QVariantMap ok(QVariantMap fields = {})
{
    fields.insert(QStringLiteral("status"), QStringLiteral("ok"));
    return fields;
}

QVariantMap failure(const QString &error)
{
    return {{QStringLiteral("status"), QStringLiteral("error")}, {QStringLiteral("error"), error}};
}

//! A name a person can read: trimmed, not empty, within `maxLength`, no control characters.
bool isPrintableName(const QString &name, int maxLength)
{
    if (name.isEmpty() || name.size() > maxLength || name != name.trimmed())
        return false;
    return std::none_of(name.cbegin(), name.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

class ChatServer::Private
{
public:
    Private(ChatServer *q, const ChatServerOptions &options);

    void authenticate(ServerSocket *socket, const Next &next);
    void onConnection(ServerSocket *socket);
    void onDisconnecting(ServerSocket *socket);

    void join(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void leave(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void message(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void sendMsgTo(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void setNickname(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void history(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void deliverPrivate(ServerSocket *target, const QString &fromSocket, const QString &fromUser, const QString &name,
                        const QString &text, qint64 timestamp, bool offline);
    //! Sends a user who just connected what was kept for them while they were away.
    void deliverOffline(ServerSocket *socket, const QString &userId);
    void listRooms(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void setTopic(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    void privateHistory(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack);
    //! Takes a token from the socket's bucket; false (and the socket told) when there is none.
    bool allow(ServerSocket *socket, const Acknowledger &ack);
    //! Tells everyone a room's member count or topic changed (`members` 0: the room is gone).
    void announceRoom(const Room &room, qsizetype members);
    QVariantMap roomEntry(const Room &room, qsizetype members) const;
    //! {id, name} of a socket, as the nickname events carry it.
    QVariantMap person(const QString &socketId) const;
    void startBeacon();
    //! A page of `room`'s history as the protocol sends it, or nothing without a store.
    QVariantMap historyPage(const Room &room, int limit, qint64 beforeId);

    //! `wanted`, or `wanted (2)`, `wanted (3)`… if another socket has it already.
    QString uniqueNickname(const QString &wanted, const QString &socketId) const;
    //! Gives `socketId` its nickname / takes it away, keeping the count of each name in use.
    void assignNickname(const QString &socketId, const QString &name);
    void dropNickname(const QString &socketId);
    //! The chat rooms `socket` is in (its private room excluded).
    QSet<Room> chatRoomsOf(const ServerSocket *socket) const;
    bool isForbiddenRoomName(const QString &room) const;
    QVariantList members(const Room &room) const;
    void forgetRoomIfEmpty(const Room &room);

    ChatServer *q;
    ChatServerOptions options;
    SocketIO::Server *io;
    QHash<QString, QString> nicknames; // socket id → nickname
    QHash<QString, int> nicknameUse;   // case-folded nickname → sockets that have it
    QHash<QString, QString> userIds;        // socket id → token user id (authenticated servers)
    QMultiHash<QString, QString> userSockets; // the reverse: user id → its sockets
    QSet<QString> knownUsers; // every user id that logged in since the start, online or not
    QSet<Room> chatRooms;
    QHash<Room, QString> topics; // while the room exists
    Chat::Discovery::DiscoveryBeacon *beacon = nullptr;
    qint64 lastMessageId = 0; //!< without a history store
    HistoryStore *store = nullptr;
    QString error;
    QTimer *shutdownTimer = nullptr; //!< the grace period of shutDown()
    bool shuttingDown = false;       //!< from shutDown() until listen() again
    bool closed = true;

    struct Bucket
    {
        double tokens = 0;
        qint64 refilledAt = 0; //!< ms since the epoch
        int refused = 0;       //!< events refused in a row
    };
    QHash<QString, Bucket> buckets; // socket id → its flood-control bucket

    //! Without a history store: the messages sent lately under a client message id, so that one
    //! sent again is recognised (the store does it with a unique index otherwise).
    struct Sent
    {
        qint64 id;
        qint64 timestamp;
    };
    QHash<QPair<Room, QString>, Sent> recentClientIds;
    QList<QPair<Room, QString>> recentOrder; // oldest first, at most MaxRecentClientIds
    static constexpr qsizetype MaxRecentClientIds = 10000;
    //! The message `room` already has under `clientId`; nothing if none, or (with `failed` set)
    //! if the store could not say.
    std::optional<Sent> alreadySent(const Room &room, const QString &clientId, bool *failed);
    void rememberSent(const Room &room, const QString &clientId, const Sent &sent);

    using Handler = void (Private::*)(ServerSocket *, const QVariantList &, const Acknowledger &);
    const QHash<QString, Handler> handlers{
        {Events::Join, &Private::join},       {Events::Leave, &Private::leave},
        {Events::Message, &Private::message}, {Events::SendMsgTo, &Private::sendMsgTo},
        {Events::SetNickname, &Private::setNickname}, {Events::History, &Private::history},
        {Events::Rooms, &Private::listRooms}, {Events::SetTopic, &Private::setTopic},
        {Events::PrivateHistory, &Private::privateHistory},
    };
};

namespace {

QVariantMap toProtocol(const RoomMessage &message)
{
    QVariantMap event{{QStringLiteral("name"), message.senderName},       {QStringLiteral("id"), message.senderSocketId},
                      {QStringLiteral("message"), message.text},          {QStringLiteral("roomName"), message.room},
                      {QStringLiteral("messageId"), message.id},
                      {QStringLiteral("timestamp"), message.timestamp.toMSecsSinceEpoch()}};
    if (!message.clientId.isEmpty())
        event.insert(QStringLiteral("clientMessageId"), message.clientId);
    return event;
}

} // namespace

ChatServer::Private::Private(ChatServer *q, const ChatServerOptions &options)
    : q(q)
    , options(options)
    , io(new SocketIO::Server(options.io, q))
{
    Namespace *nsp = io->sockets();
    nsp->use([this](ServerSocket *socket, const Next &next) { authenticate(socket, next); });
    QObject::connect(nsp, &Namespace::connection, q, [this](ServerSocket *socket) { onConnection(socket); });
}

void ChatServer::Private::authenticate(ServerSocket *socket, const Next &next)
{
    const QVariantMap auth = socket->auth();
    if (shuttingDown)
        return next(ConnectError{QStringLiteral("server shutting down"), {}});
    QVariantMap identity;
    if (!options.secret.isEmpty()) {
        const QVariant token = auth.value(QStringLiteral("token"));
        if (token.typeId() != QMetaType::QString || token.toString().isEmpty())
            return next(ConnectError{QStringLiteral("token required"), {}});
        Chat::VerifyOptions verify;
        verify.requireExp = options.requireExp;
        const Chat::TokenResult result = Chat::verifyToken(token.toString().toUtf8(), options.secret, verify);
        if (!result.isValid()) {
            qCInfo(lcChatServer) << "refused a token from" << socket->request().remoteAddress << ":"
                                 << result.errorString();
            return next(ConnectError{result.errorString(), {}});
        }
        // A long name is cut (on a character boundary); one no person can read is refused, as
        // an open server refuses it.
        QString name = result.name.trimmed();
        if (name.size() > Limits::MaxNicknameLength)
            name = name.left(Limits::MaxNicknameLength - (name.at(Limits::MaxNicknameLength - 1).isHighSurrogate() ? 1 : 0))
                       .trimmed();
        if (!isPrintableName(name, Limits::MaxNicknameLength))
            return next(ConnectError{QStringLiteral("invalid nickname"), {}});
        identity.insert(QStringLiteral("userId"), result.id);
        identity.insert(QStringLiteral("name"), name);
    } else {
        const QString name = auth.value(QStringLiteral("name")).toString().trimmed();
        if (!name.isEmpty() && !isPrintableName(name, Limits::MaxNicknameLength))
            return next(ConnectError{QStringLiteral("invalid nickname"), {}});
        identity.insert(QStringLiteral("name"), name);
    }
    socket->setData(identity);
    next(std::nullopt);
}

void ChatServer::Private::onConnection(ServerSocket *socket)
{
    const QString id = socket->id();
    const QVariantMap identity = socket->data().toMap();
    QString name = identity.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        name = QStringLiteral("guest-") + id.left(4);
    assignNickname(id, uniqueNickname(name, id));
    const QString userId = identity.value(QStringLiteral("userId")).toString();
    if (!userId.isEmpty()) {
        userIds.insert(id, userId);
        userSockets.insert(userId, id);
        knownUsers.insert(userId);
    }

    if (options.presence) {
        QVariantMap map;
        for (auto it = nicknames.cbegin(); it != nicknames.cend(); ++it)
            map.insert(it.key(), it.value());
        QVariantMap welcome{{QStringLiteral("id"), id},
                            {QStringLiteral("name"), nicknames.value(id)},
                            {QStringLiteral("nicknames"), map}};
        if (!userId.isEmpty())
            welcome.insert(QStringLiteral("userId"), userId);
        socket->emitEvent(Events::Welcome, {welcome});
        // The map is the whole server's, so everyone already connected learns of the newcomer.
        socket->broadcast().emitEvent(Events::UserConnected, {person(id)});
    }

    buckets.insert(id, Bucket{double(options.flood.burst), nowMs(), 0});
    if (store && !userId.isEmpty())
        deliverOffline(socket, userId);

    // One dispatcher for every event, so that flood control counts unknown events too.
    socket->onAny(q, [this, socket](const QString &event, const QVariantList &args, const Acknowledger &ack) {
        if (!allow(socket, ack))
            return;
        if (const Handler handler = handlers.value(event))
            (this->*handler)(socket, args, ack);
    });
    QObject::connect(socket, &ServerSocket::disconnecting, q, [this, socket] { onDisconnecting(socket); });
}

void ChatServer::Private::onDisconnecting(ServerSocket *socket)
{
    const QString id = socket->id();
    if (shuttingDown) {
        // everyone is leaving: nobody needs to hear of anyone else
        dropNickname(id);
        userSockets.remove(userIds.take(id), id);
        buckets.remove(id);
        return;
    }
    const QSet<Room> rooms = chatRoomsOf(socket);
    if (options.presence) {
        for (const Room &room : rooms) {
            QVariantMap left = person(id);
            left.insert(QStringLiteral("roomName"), room);
            socket->to(room).emitEvent(Events::UserLeft, {left});
        }
        socket->broadcast().emitEvent(Events::UserDisconnected, {person(id)});
    }
    dropNickname(id);
    userSockets.remove(userIds.take(id), id);
    buckets.remove(id);
    for (const Room &room : rooms) {
        // the adapter drops the socket after this signal: count it out already
        const qsizetype left = io->sockets()->adapter().roomSize(room) - 1;
        if (left <= 0)
            chatRooms.remove(room);
        announceRoom(room, left);
    }
}

void ChatServer::Private::join(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QString room = args.value(0).toString();
    if (args.value(0).typeId() != QMetaType::QString || !isPrintableName(room, Limits::MaxRoomNameLength))
        return ack({failure(QStringLiteral("invalid room name"))});
    if (isForbiddenRoomName(room))
        return ack({failure(QStringLiteral("room name not allowed"))});
    const QSet<Room> mine = chatRoomsOf(socket);
    if (!mine.contains(room)) {
        if (mine.size() >= Limits::MaxRoomsPerSocket)
            return ack({failure(QStringLiteral("too many rooms joined"))});
        if (!chatRooms.contains(room) && chatRooms.size() >= Limits::MaxRooms)
            return ack({failure(QStringLiteral("too many rooms on this server"))});
        socket->join(room);
        chatRooms.insert(room);
        announceRoom(room, io->sockets()->adapter().roomSize(room));
        if (options.presence) {
            QVariantMap joined = person(socket->id());
            joined.insert(QStringLiteral("roomName"), room);
            socket->to(room).emitEvent(Events::UserJoined, {joined});
        }
    }
    QVariantMap answer = ok({{QStringLiteral("roomName"), room}, {QStringLiteral("topic"), topics.value(room)}});
    if (options.presence)
        answer.insert(QStringLiteral("members"), members(room));
    answer.insert(historyPage(room, options.historyOnJoin, -1));
    ack({answer});
}

void ChatServer::Private::leave(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QString room = args.value(0).toString();
    if (!chatRoomsOf(socket).contains(room))
        return ack({failure(QStringLiteral("not a member"))});
    socket->leave(room);
    if (options.presence) {
        QVariantMap left = person(socket->id());
        left.insert(QStringLiteral("roomName"), room);
        socket->to(room).emitEvent(Events::UserLeft, {left});
    }
    announceRoom(room, io->sockets()->adapter().roomSize(room));
    forgetRoomIfEmpty(room);
    ack({ok({{QStringLiteral("roomName"), room}})});
}

void ChatServer::Private::message(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QVariantMap payload = args.value(0).toMap();
    const QVariant text = payload.value(QStringLiteral("message"));
    const QString room = payload.value(QStringLiteral("roomName")).toString();
    if (text.typeId() != QMetaType::QString || text.toString().isEmpty())
        return ack({failure(QStringLiteral("empty message"))});
    if (text.toString().size() > Limits::MaxMessageLength)
        return ack({failure(QStringLiteral("message too long"))});
    QString clientId;
    if (payload.contains(QStringLiteral("clientMessageId"))) {
        const QVariant value = payload.value(QStringLiteral("clientMessageId"));
        clientId = value.toString();
        if (value.typeId() != QMetaType::QString || !isPrintableName(clientId, Limits::MaxClientMessageIdLength))
            return ack({failure(QStringLiteral("invalid client message id"))});
    }
    if (!chatRoomsOf(socket).contains(room))
        return ack({failure(QStringLiteral("not a member"))});

    if (!clientId.isEmpty()) {
        // Sent again (its ack was lost with the connection): the same answer, nothing relayed.
        bool failed = false;
        if (const std::optional<Sent> sent = alreadySent(room, clientId, &failed)) {
            return ack({ok({{QStringLiteral("messageId"), sent->id},
                            {QStringLiteral("timestamp"), sent->timestamp},
                            {QStringLiteral("duplicate"), true}})});
        }
        if (failed)
            return ack({failure(QStringLiteral("message not stored"))});
    }

    const QString id = socket->id();
    RoomMessage stored{-1, room, userIds.value(id), nicknames.value(id), id, text.toString(),
                       QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC), clientId};
    if (store) {
        // stored (durably) before anyone is told: an acknowledged message is never lost
        const std::optional<RoomMessage> saved = store->append(stored.room, stored.senderUserId, stored.senderName,
                                                               stored.senderSocketId, stored.text, stored.timestamp,
                                                               stored.clientId);
        if (!saved) {
            qCWarning(lcChatServer) << "could not store a message:" << store->errorString();
            return ack({failure(QStringLiteral("message not stored"))});
        }
        stored = *saved;
    } else {
        stored.id = ++lastMessageId;
        if (!clientId.isEmpty())
            rememberSent(room, clientId, {stored.id, stored.timestamp.toMSecsSinceEpoch()});
    }
    socket->to(room).emitEvent(Events::Message, {toProtocol(stored)});
    ack({ok({{QStringLiteral("messageId"), stored.id}, {QStringLiteral("timestamp"), stored.timestamp.toMSecsSinceEpoch()}})});
}

std::optional<ChatServer::Private::Sent> ChatServer::Private::alreadySent(const Room &room, const QString &clientId,
                                                                          bool *failed)
{
    *failed = false;
    if (!store) {
        const auto it = recentClientIds.constFind({room, clientId});
        return it == recentClientIds.cend() ? std::nullopt : std::optional<Sent>(*it);
    }
    if (const std::optional<RoomMessage> found = store->roomMessageByClientId(room, clientId))
        return Sent{found->id, found->timestamp.toMSecsSinceEpoch()};
    if (store->error() != HistoryStore::NoError) {
        qCWarning(lcChatServer) << "could not look a message up:" << store->errorString();
        *failed = true;
    }
    return std::nullopt;
}

void ChatServer::Private::rememberSent(const Room &room, const QString &clientId, const Sent &sent)
{
    const QPair<Room, QString> key{room, clientId};
    recentClientIds.insert(key, sent);
    recentOrder.append(key);
    if (recentOrder.size() > MaxRecentClientIds)
        recentClientIds.remove(recentOrder.takeFirst());
}

void ChatServer::Private::sendMsgTo(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QVariantMap payload = args.value(0).toMap();
    const QVariant text = payload.value(QStringLiteral("msg"));
    if (text.typeId() != QMetaType::QString || text.toString().isEmpty())
        return ack({failure(QStringLiteral("empty message"))});
    if (text.toString().size() > Limits::MaxMessageLength)
        return ack({failure(QStringLiteral("message too long"))});
    const QString fromUser = userIds.value(socket->id());

    // By socket id (the tutorial way): that socket alone.
    if (payload.contains(QStringLiteral("to"))) {
        ServerSocket *target = io->sockets()->socket(payload.value(QStringLiteral("to")).toString());
        if (!target)
            return ack({failure(QStringLiteral("no such socket"))});
        const QString toUser = userIds.value(target->id());
        if (store && !fromUser.isEmpty() && !toUser.isEmpty()
            && !store->appendPrivate(fromUser, nicknames.value(socket->id()), toUser, text.toString(),
                                     QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC), true)) {
            return ack({failure(QStringLiteral("message not stored"))});
        }
        const qint64 timestamp = nowMs();
        deliverPrivate(target, socket->id(), fromUser, nicknames.value(socket->id()), text.toString(), timestamp, false);
        return ack({ok({{QStringLiteral("delivered"), true}, {QStringLiteral("timestamp"), timestamp}})});
    }

    // By user id (logged-in users): every socket of that user, or kept until they connect.
    const QString toUser = payload.value(QStringLiteral("toUser")).toString();
    if (toUser.isEmpty())
        return ack({failure(QStringLiteral("no recipient"))});
    if (fromUser.isEmpty())
        return ack({failure(QStringLiteral("private messages to users need a login"))});
    QList<ServerSocket *> targets;
    for (const QString &socketId : userSockets.values(toUser))
        if (ServerSocket *target = io->sockets()->socket(socketId))
            targets.append(target);
    if (targets.isEmpty() && !store)
        return ack({failure(QStringLiteral("user is offline"))});
    const QDateTime timestamp = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    if (store && !store->appendPrivate(fromUser, nicknames.value(socket->id()), toUser, text.toString(), timestamp,
                                       !targets.isEmpty())) {
        return ack({failure(QStringLiteral("message not stored"))});
    }
    for (ServerSocket *target : std::as_const(targets))
        deliverPrivate(target, socket->id(), fromUser, nicknames.value(socket->id()), text.toString(),
                       timestamp.toMSecsSinceEpoch(), false);
    ack({ok({{QStringLiteral("delivered"), !targets.isEmpty()},
             {QStringLiteral("stored"), store != nullptr},
             {QStringLiteral("timestamp"), timestamp.toMSecsSinceEpoch()}})});
}

void ChatServer::Private::deliverPrivate(ServerSocket *target, const QString &fromSocket, const QString &fromUser,
                                         const QString &name, const QString &text, qint64 timestamp, bool offline)
{
    QVariantMap message{{QStringLiteral("msg"), text},
                        {QStringLiteral("from"), fromSocket},
                        {QStringLiteral("name"), name},
                        {QStringLiteral("timestamp"), timestamp}};
    if (!fromUser.isEmpty())
        message.insert(QStringLiteral("fromUser"), fromUser);
    if (offline)
        message.insert(QStringLiteral("offline"), true);
    // to the socket itself, not to a room: nobody else can be reached this way
    target->emitEvent(Events::PrivateMsg, {message});
}

void ChatServer::Private::deliverOffline(ServerSocket *socket, const QString &userId)
{
    const std::optional<PrivateHistoryPage> waiting = store->undelivered(userId);
    if (!waiting) {
        qCWarning(lcChatServer) << "could not read the offline messages:" << store->errorString();
        return;
    }
    QList<qint64> delivered;
    for (const PrivateMessage &message : waiting->messages) {
        deliverPrivate(socket, QString(), message.fromUserId, message.fromName, message.text,
                       message.timestamp.toMSecsSinceEpoch(), true);
        delivered.append(message.id);
    }
    if (!delivered.isEmpty() && !store->markDelivered(delivered))
        qCWarning(lcChatServer) << "could not mark offline messages delivered:" << store->errorString();
}

void ChatServer::Private::setNickname(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QString wanted = args.value(0).toString();
    if (args.value(0).typeId() != QMetaType::QString || !isPrintableName(wanted, Limits::MaxNicknameLength))
        return ack({failure(QStringLiteral("invalid nickname"))});
    const QString id = socket->id();
    const QString name = uniqueNickname(wanted, id);
    assignNickname(id, name);
    // everyone, the socket itself included: the map is the whole server's
    if (options.presence)
        io->sockets()->emitEvent(Events::Nickname, {person(id)});
    ack({ok({{QStringLiteral("name"), name}})});
}

void ChatServer::Private::history(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QVariantMap request = args.value(0).toMap();
    const QString room = request.value(QStringLiteral("roomName")).toString();
    if (!chatRoomsOf(socket).contains(room))
        return ack({failure(QStringLiteral("not a member"))});
    const int limit = std::clamp(request.value(QStringLiteral("limit"), options.historyOnJoin).toInt(), 1,
                                 int(HistoryStore::MaxPageSize));
    const qint64 before = request.value(QStringLiteral("beforeId"), -1).toLongLong();
    QVariantMap answer = ok({{QStringLiteral("roomName"), room}});
    answer.insert(historyPage(room, limit, before));
    ack({answer});
}

void ChatServer::Private::listRooms(ServerSocket *, const QVariantList &, const Acknowledger &ack)
{
    QStringList names(chatRooms.cbegin(), chatRooms.cend());
    names.sort();
    QVariantList rooms;
    for (const QString &name : std::as_const(names))
        rooms.append(roomEntry(name, io->sockets()->adapter().roomSize(name)));
    ack({ok({{QStringLiteral("rooms"), rooms}})});
}

void ChatServer::Private::setTopic(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QVariantMap request = args.value(0).toMap();
    const QString room = request.value(QStringLiteral("roomName")).toString();
    const QVariant topic = request.value(QStringLiteral("topic"));
    if (!chatRoomsOf(socket).contains(room))
        return ack({failure(QStringLiteral("not a member"))});
    if (topic.typeId() != QMetaType::QString)
        return ack({failure(QStringLiteral("invalid topic"))});
    const QString text = topic.toString().trimmed();
    if (text.size() > Limits::MaxTopicLength)
        return ack({failure(QStringLiteral("topic too long"))});
    if (std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        return ack({failure(QStringLiteral("invalid topic"))});
    if (text.isEmpty())
        topics.remove(room);
    else
        topics.insert(room, text);
    announceRoom(room, io->sockets()->adapter().roomSize(room));
    ack({ok({{QStringLiteral("roomName"), room}, {QStringLiteral("topic"), text}})});
}

void ChatServer::Private::privateHistory(ServerSocket *socket, const QVariantList &args, const Acknowledger &ack)
{
    const QString me = userIds.value(socket->id());
    if (me.isEmpty())
        return ack({failure(QStringLiteral("private history needs a login"))});
    const QVariantMap request = args.value(0).toMap();
    const QString other = request.value(QStringLiteral("withUser")).toString();
    if (other.isEmpty())
        return ack({failure(QStringLiteral("no user"))});
    QVariantMap answer = ok({{QStringLiteral("withUser"), other}});
    QVariantList messages;
    bool hasMore = false;
    if (store) {
        const int limit = std::clamp(request.value(QStringLiteral("limit"), options.historyOnJoin).toInt(), 1,
                                     int(HistoryStore::MaxPageSize));
        const qint64 before = request.value(QStringLiteral("beforeId"), -1).toLongLong();
        // only conversations the asking user is part of: `me` is always one side
        const std::optional<PrivateHistoryPage> page = store->privateHistory(me, other, limit, before);
        if (!page) {
            qCWarning(lcChatServer) << "could not read a private history:" << store->errorString();
            return ack({failure(QStringLiteral("history not available"))});
        }
        for (const PrivateMessage &message : page->messages)
            messages.append(QVariantMap{{QStringLiteral("messageId"), message.id},
                                        {QStringLiteral("fromUser"), message.fromUserId},
                                        {QStringLiteral("name"), message.fromName},
                                        {QStringLiteral("toUser"), message.toUserId},
                                        {QStringLiteral("msg"), message.text},
                                        {QStringLiteral("timestamp"), message.timestamp.toMSecsSinceEpoch()}});
        hasMore = page->hasMore;
    }
    answer.insert(QStringLiteral("history"), messages);
    answer.insert(QStringLiteral("hasMore"), hasMore);
    ack({answer});
}

void ChatServer::Private::announceRoom(const Room &room, qsizetype members)
{
    if (!options.presence)
        return;
    io->sockets()->emitEvent(Events::RoomUpdated, {roomEntry(room, members)});
}

QVariantMap ChatServer::Private::roomEntry(const Room &room, qsizetype members) const
{
    return {{QStringLiteral("name"), room},
            {QStringLiteral("members"), members},
            {QStringLiteral("topic"), members > 0 ? topics.value(room) : QString()}};
}

QVariantMap ChatServer::Private::person(const QString &socketId) const
{
    return {{QStringLiteral("id"), socketId}, {QStringLiteral("name"), nicknames.value(socketId)}};
}

void ChatServer::Private::startBeacon()
{
    const ChatServerOptions::Announce &announce = options.announce;
    if (!announce.enabled || beacon)
        return;
    beacon = new Chat::Discovery::DiscoveryBeacon(q);
    beacon->setServerName(announce.name);
    beacon->setServerPort(io->serverPort());
    beacon->setTokenRequired(!options.secret.isEmpty());
    if (announce.port)
        beacon->setPort(announce.port);
    if (!announce.targets.isEmpty())
        beacon->setTargets(announce.targets);
    if (announce.intervalMs)
        beacon->setIntervalMs(announce.intervalMs);
    // Not being found on the LAN is no reason to refuse clients: the server still listens.
    if (!beacon->start())
        qCWarning(lcChatServer) << "LAN discovery is off:" << beacon->errorString();
}

bool ChatServer::Private::allow(ServerSocket *socket, const Acknowledger &ack)
{
    if (!options.flood.enabled)
        return true;
    const auto it = buckets.find(socket->id());
    if (it == buckets.end())
        return false;
    const ChatServerOptions::FloodControl &limits = options.flood;
    const qint64 now = nowMs();
    it->tokens = std::min(double(limits.burst), it->tokens + (now - it->refilledAt) * limits.perSecond / 1000.0);
    it->refilledAt = now;
    if (it->tokens >= 1) {
        it->tokens -= 1;
        it->refused = 0;
        return true;
    }
    const int refused = ++it->refused;
    ack({failure(QStringLiteral("rate limited"))});
    if (refused == 1) {
        const int retryAfterMs = int(std::ceil((1 - it->tokens) * 1000.0 / std::max(limits.perSecond, 0.001)));
        socket->emitEvent(Events::RateLimited, {QVariantMap{{QStringLiteral("retryAfterMs"), retryAfterMs}}});
    } else if (refused >= limits.disconnectAfter) {
        qCInfo(lcChatServer) << "disconnecting a socket that kept flooding after being told:" << socket->id();
        socket->disconnectFromNamespace(true);
    }
    return false;
}

QVariantMap ChatServer::Private::historyPage(const Room &room, int limit, qint64 beforeId)
{
    QVariantList messages;
    bool hasMore = false;
    if (store && limit > 0) {
        if (const std::optional<RoomHistoryPage> page = store->roomHistory(room, limit, beforeId)) {
            for (const RoomMessage &message : page->messages)
                messages.append(toProtocol(message));
            hasMore = page->hasMore;
        } else {
            qCWarning(lcChatServer) << "could not read the history:" << store->errorString();
        }
    }
    return {{QStringLiteral("history"), messages}, {QStringLiteral("hasMore"), hasMore}};
}

QString ChatServer::Private::uniqueNickname(const QString &wanted, const QString &socketId) const
{
    // A lookup, not a scan of every socket: a server filling up with N sockets would otherwise
    // compare N² names.
    const auto own = nicknames.constFind(socketId);
    const QString ownFolded = own == nicknames.cend() ? QString() : own->toCaseFolded();
    auto taken = [&](const QString &candidate) {
        const QString folded = candidate.toCaseFolded();
        return nicknameUse.value(folded) - (own != nicknames.cend() && folded == ownFolded ? 1 : 0) > 0;
    };
    if (!taken(wanted))
        return wanted;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(wanted).arg(n);
        if (!taken(candidate))
            return candidate;
    }
}

void ChatServer::Private::assignNickname(const QString &socketId, const QString &name)
{
    dropNickname(socketId);
    nicknames.insert(socketId, name);
    ++nicknameUse[name.toCaseFolded()];
}

void ChatServer::Private::dropNickname(const QString &socketId)
{
    const auto it = nicknames.constFind(socketId);
    if (it == nicknames.cend())
        return;
    const auto use = nicknameUse.find(it->toCaseFolded());
    if (use != nicknameUse.end() && --*use <= 0)
        nicknameUse.erase(use);
    nicknames.erase(it);
}

QSet<Room> ChatServer::Private::chatRoomsOf(const ServerSocket *socket) const
{
    QSet<Room> rooms = socket->rooms();
    rooms.remove(socket->id());
    return rooms;
}

bool ChatServer::Private::isForbiddenRoomName(const QString &room) const
{
    // Another socket's private room, or a user's id: a room by either name would look like a
    // way to read what is meant for someone else. (Private messages never travel through a room
    // anyway: they are written to the recipient's sockets directly.)
    return io->sockets()->socket(room) || knownUsers.contains(room);
}

QVariantList ChatServer::Private::members(const Room &room) const
{
    QVariantList list;
    for (ServerSocket *member : io->sockets()->to(room).sockets())
        list.append(QVariantMap{{QStringLiteral("id"), member->id()}, {QStringLiteral("name"), nicknames.value(member->id())}});
    return list;
}

void ChatServer::Private::forgetRoomIfEmpty(const Room &room)
{
    if (io->sockets()->adapter().roomSize(room) == 0) {
        chatRooms.remove(room);
        topics.remove(room);
    }
}

ChatServer::ChatServer(const ChatServerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, options))
{
}

ChatServer::~ChatServer()
{
    d->io->close();
}

bool ChatServer::listen(const QHostAddress &address, quint16 port)
{
    d->error.clear();
    if (!d->options.dataDirectory.isEmpty() && !d->store) {
        d->store = new HistoryStore(this);
        if (!d->store->open(d->options.dataDirectory)) {
            d->error = d->store->errorString();
            delete std::exchange(d->store, nullptr);
            return false;
        }
    }
    if (!d->io->listen(address, port))
        return false;
    d->closed = false;
    d->shuttingDown = false;
    d->startBeacon();
    return true;
}

void ChatServer::close()
{
    if (QTimer *grace = std::exchange(d->shutdownTimer, nullptr)) {
        grace->stop();
        grace->deleteLater(); // close() may be running in its timeout
    }
    if (d->beacon) {
        d->beacon->stop(); // the bye: browsers drop this server at once
        delete std::exchange(d->beacon, nullptr);
    }
    d->io->close();
    if (d->store)
        d->store->close();
    if (!std::exchange(d->closed, true))
        Q_EMIT closed();
}

void ChatServer::shutDown(int graceMs)
{
    if (d->closed || d->shuttingDown)
        return;
    d->shuttingDown = true;
    if (d->beacon) {
        d->beacon->stop();
        delete std::exchange(d->beacon, nullptr);
    }
    // Socket.IO's DISCONNECT carries no reason, and a closed transport reads as a dropped
    // connection: say why first, so clients can tell a shutdown from a network fault.
    d->io->sockets()->emitEvent(Events::ServerShutdown,
                                {QVariantMap{{QStringLiteral("reason"), QStringLiteral("server shutting down")}}});
    d->shutdownTimer = new QTimer(this);
    d->shutdownTimer->setSingleShot(true);
    connect(d->shutdownTimer, &QTimer::timeout, this, &ChatServer::close);
    d->shutdownTimer->start(graceMs);
    // Each connection sends what it has queued, then closes; a polling client that is between
    // two requests gets it with the next one (the server still listens until close()).
    const QList<EngineIO::ServerSocket *> sessions = d->io->engine()->sockets();
    if (sessions.isEmpty())
        return close();
    auto remaining = std::make_shared<qsizetype>(sessions.size());
    for (EngineIO::ServerSocket *session : sessions) {
        connect(session, &EngineIO::ServerSocket::closed, d->shutdownTimer, [this, remaining] {
            if (--*remaining == 0)
                QMetaObject::invokeMethod(this, &ChatServer::close, Qt::QueuedConnection);
        });
        session->close();
    }
}

bool ChatServer::isShuttingDown() const
{
    return d->shuttingDown && !d->closed;
}

quint16 ChatServer::serverPort() const
{
    return d->io->serverPort();
}

QUrl ChatServer::serverUrl() const
{
    return d->io->serverUrl();
}

QString ChatServer::errorString() const
{
    return d->error.isEmpty() ? d->io->errorString() : d->error;
}

bool ChatServer::isOpen() const
{
    return d->options.secret.isEmpty();
}

bool ChatServer::isAnnouncing() const
{
    return d->beacon && d->beacon->isActive();
}

SocketIO::Server *ChatServer::io() const
{
    return d->io;
}

QString ChatServer::nickname(const QString &socketId) const
{
    return d->nicknames.value(socketId);
}

QStringList ChatServer::rooms() const
{
    QStringList list(d->chatRooms.cbegin(), d->chatRooms.cend());
    list.sort();
    return list;
}

} // namespace Roomcast::Server
