#include "chatclient.h"

#include "chat/protocol.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <algorithm>

Q_LOGGING_CATEGORY(lcChatClient, "roomcast.chat.client", QtInfoMsg)

namespace Roomcast::Chat {

using SocketIO::AckResult;

namespace {

QDateTime fromMs(const QVariant &ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC);
}

//! A `message` event or a history entry.
ChatMessage roomMessage(const QVariantMap &m)
{
    ChatMessage message;
    message.id = m.value(QStringLiteral("messageId"), -1).toLongLong();
    message.room = m.value(QStringLiteral("roomName")).toString();
    message.fromSocket = m.value(QStringLiteral("id")).toString();
    message.senderName = m.value(QStringLiteral("name")).toString();
    message.text = m.value(QStringLiteral("message")).toString();
    message.timestamp = fromMs(m.value(QStringLiteral("timestamp")));
    message.clientMessageId = m.value(QStringLiteral("clientMessageId")).toString();
    return message;
}

RoomInfo roomInfo(const QVariantMap &m)
{
    return {m.value(QStringLiteral("name")).toString(), m.value(QStringLiteral("members")).toInt(),
            m.value(QStringLiteral("topic")).toString()};
}

} // namespace

class ChatClient::Private
{
public:
    explicit Private(ChatClient *q)
        : q(q)
    {
        drainTimer.setSingleShot(true);
        QObject::connect(&drainTimer, &QTimer::timeout, q, [this] {
            drainBusy = false;
            pumpOutbox();
        });
    }

    void setState(State newState);
    void closeSession();
    void installHandlers();
    using OnOk = std::function<void(const QVariantMap &ack)>;
    //! A request of the user's: sent now when logged in, queued while the connection is being
    //! restored (sent once our rooms are joined again), refused otherwise.
    void request(const QString &event, const QVariantList &args, QObject *context, Callback callback,
                 OnOk onOk = {}, bool resendIfDropped = false);
    //! Emits @p event and turns its ack into a Reply for @p callback (and @p onOk first).
    void send(const QString &event, const QVariantList &args, QObject *context, Callback callback, OnOk onOk = {});
    struct Queued;
    void send(const Queued &request);
    //! Runs @p request's callback with @p reply, unless its context or the client is going.
    void answer(const Queued &request, const Reply &reply) const;
    //! A request whose ack was lost with the connection goes out again once it is restored
    //! (before what was asked meanwhile). False if it cannot wait.
    bool resend(const Queued &request);
    void rejoined(); //!< one rejoin answered: the outbox goes out after the last
    //! Sends the outbox, one request at a time, in order; new requests queue behind it.
    void startDrain();
    void pumpOutbox();
    void stopDrain();
    void failOutbox();

    void onWelcome(const QVariantMap &welcome);
    void onJoined(const QString &room, const QVariantMap &ack);
    void forgetRoom(const QString &room);
    void onRoomList(const QVariantList &list);
    void onRoomUpdated(const RoomInfo &room);
    void onDisconnected(const QString &reason);
    void onConnectError(const QString &message);

    ChatClient *q;
    Options options;
    SocketIO::Manager *manager = nullptr;
    SocketIO::Socket *socket = nullptr;
    State state = State::Disconnected;
    QUrl url;
    QString error;
    QString shutdownReason; //!< the server said it is closing: the coming drop is not a fault
    bool welcomedOnce = false; //!< in this session: a later failure is a drop, not a refusal
    //! In ~ChatClient: what is still in flight is dropped, not answered, as the owners of the
    //! callbacks may be going too (our parent, say, no longer whole while its children go).
    bool destroying = false;

    QString socketId;
    QString nickname;
    QString userId;
    QHash<QString, QString> nicknames;
    QList<RoomInfo> rooms; // sorted by name
    QStringList joinedRooms;
    QHash<QString, QStringList> members; // room → socket ids, in arrival order

    struct Queued
    {
        QString event;
        QVariantList args;
        QPointer<QObject> context;
        bool hasContext = false;
        Callback callback;
        OnOk onOk;
        //! Safe to send twice (a message with its client message id): when the connection drops
        //! before its ack, it is sent again after reconnecting instead of failing.
        bool resendIfDropped = false;
        bool fromOutbox = false; //!< sent by the drain, which waits for its answer
    };
    QList<Queued> outbox;
    qsizetype resendAt = 0; //!< where the next request to send again goes in the outbox
    bool draining = false;  //!< the outbox is going out
    bool drainBusy = false; //!< one of it is in flight, or waits out a rate limit
    QTimer drainTimer;
    //! What the server last said to wait when it refused us for sending too fast.
    int retryAfterMs = 1000;
    int rejoinsPending = 0;
};

namespace {
//! Requests kept while the connection is restored; more are refused ("not connected").
constexpr qsizetype MaxQueuedRequests = 500;
} // namespace

void ChatClient::Private::setState(State newState)
{
    if (state == newState)
        return;
    state = newState;
    Q_EMIT q->stateChanged(state);
}

void ChatClient::Private::closeSession()
{
    if (manager) {
        // Our handlers hang on `q` as context: cut them before the Manager goes, so a late
        // signal of the old session cannot reach the new one.
        QObject::disconnect(manager, nullptr, q, nullptr);
        QObject::disconnect(socket, nullptr, q, nullptr);
        socket->off(q);
        socket->disconnectFromNamespace();
        manager->close();
        manager->deleteLater();
    }
    manager = nullptr;
    socket = nullptr;
    socketId.clear();
    nicknames.clear();
    members.clear();
    joinedRooms.clear();
    rooms.clear();
    welcomedOnce = false;
    shutdownReason.clear();
    rejoinsPending = 0;
    stopDrain();
    failOutbox();
}

void ChatClient::Private::failOutbox()
{
    const QList<Queued> failed = std::exchange(outbox, {});
    const QPointer<ChatClient> guard(q);
    for (const Queued &queued : failed) {
        if (!guard)
            return;
        answer(queued, {false, QStringLiteral("not connected"), {}});
    }
}

void ChatClient::Private::answer(const Queued &request, const Reply &reply) const
{
    if (!destroying && request.callback && (!request.hasContext || request.context))
        request.callback(reply);
}

void ChatClient::Private::request(const QString &event, const QVariantList &args, QObject *context,
                                  Callback callback, OnOk onOk, bool resendIfDropped)
{
    Queued entry{event, args, context, context != nullptr, std::move(callback), std::move(onOk), resendIfDropped};
    const bool restoring = state == State::Reconnecting || (state == State::Connected && (rejoinsPending > 0 || draining));
    if (socket && restoring && outbox.size() < MaxQueuedRequests) {
        outbox.append(std::move(entry));
        return;
    }
    send(entry);
}

bool ChatClient::Private::resend(const Queued &request)
{
    if (!socket || state != State::Reconnecting || outbox.size() >= MaxQueuedRequests)
        return false;
    outbox.insert(std::min(resendAt++, outbox.size()), request);
    return true;
}

void ChatClient::Private::rejoined()
{
    if (rejoinsPending > 0 && --rejoinsPending == 0)
        startDrain();
}

void ChatClient::Private::startDrain()
{
    draining = true;
    pumpOutbox();
}

void ChatClient::Private::pumpOutbox()
{
    // One at a time, each after the answer to the one before: the order holds, and a burst of
    // what waited (a minute of messages written offline) never trips the server's flood
    // control; if it does all the same, the refused one waits and goes again.
    if (!draining || drainBusy || state != State::Connected)
        return;
    while (!outbox.isEmpty() && outbox.first().hasContext && !outbox.first().context)
        outbox.removeFirst();
    if (outbox.isEmpty()) {
        draining = false;
        resendAt = 0;
        return;
    }
    Queued entry = outbox.takeFirst();
    resendAt = 0;
    entry.fromOutbox = true;
    drainBusy = true;
    send(entry);
}

void ChatClient::Private::stopDrain()
{
    draining = false;
    drainBusy = false;
    drainTimer.stop();
    resendAt = 0;
}

void ChatClient::Private::send(const QString &event, const QVariantList &args, QObject *context,
                               Callback callback, OnOk onOk)
{
    send(Queued{event, args, context, context != nullptr, std::move(callback), std::move(onOk)});
}

void ChatClient::Private::send(const Queued &request)
{
    if (!socket || state != State::Connected)
        return answer(request, {false, QStringLiteral("not connected"), {}});
    socket->emitWithAck(
        request.event, request.args, q,
        [this, request](const AckResult &result) {
            if (!result.isAcknowledged() && result.status == AckResult::Status::Disconnected && request.resendIfDropped
                && resend(request)) {
                return;
            }
            const QVariantMap ack = result.args.value(0).toMap();
            const QString error = ack.value(QStringLiteral("error")).toString();
            if (request.fromOutbox && result.isAcknowledged() && error == QLatin1String("rate limited")) {
                // Refused, so not stored: it goes again, first, once the bucket has refilled.
                outbox.prepend(request);
                drainTimer.start(retryAfterMs);
                return;
            }
            const QPointer<ChatClient> guard(q);
            if (!result.isAcknowledged()) {
                const bool timedOut = result.status == AckResult::Status::TimedOut;
                answer(request, {false, timedOut ? QStringLiteral("timed out") : QStringLiteral("not connected"), {}});
            } else if (ack.value(QStringLiteral("status")).toString() != QLatin1String("ok")) {
                answer(request, {false, error, ack});
            } else {
                if (request.onOk)
                    request.onOk(ack);
                answer(request, {true, {}, ack});
            }
            if (guard && request.fromOutbox && drainBusy) {
                drainBusy = false;
                pumpOutbox();
            }
        },
        std::chrono::milliseconds(options.ackTimeoutMs));
}

void ChatClient::Private::installHandlers()
{
    namespace E = Events;
    socket->on(E::Welcome, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        onWelcome(args.value(0).toMap());
    });
    socket->on(E::UserConnected, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        const QString id = m.value(QStringLiteral("id")).toString();
        nicknames.insert(id, m.value(QStringLiteral("name")).toString());
        Q_EMIT q->userConnected(id, nicknames.value(id));
    });
    socket->on(E::UserDisconnected, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        const QString id = m.value(QStringLiteral("id")).toString();
        const QString name = nicknames.take(id);
        Q_EMIT q->userDisconnected(id, name.isEmpty() ? m.value(QStringLiteral("name")).toString() : name);
    });
    socket->on(E::Nickname, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        const QString id = m.value(QStringLiteral("id")).toString();
        const QString name = m.value(QStringLiteral("name")).toString();
        nicknames.insert(id, name);
        if (id == socketId)
            nickname = name;
        Q_EMIT q->nicknameChanged(id, name);
    });
    socket->on(E::UserJoined, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        const QString room = m.value(QStringLiteral("roomName")).toString();
        const Member member{m.value(QStringLiteral("id")).toString(), m.value(QStringLiteral("name")).toString()};
        if (!members.contains(room) || members[room].contains(member.id))
            return;
        members[room].append(member.id);
        nicknames.insert(member.id, member.name);
        Q_EMIT q->memberJoined(room, member);
    });
    socket->on(E::UserLeft, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        const QString room = m.value(QStringLiteral("roomName")).toString();
        const QString id = m.value(QStringLiteral("id")).toString();
        if (members.contains(room) && members[room].removeAll(id) > 0)
            Q_EMIT q->memberLeft(room, id);
    });
    socket->on(E::RoomUpdated, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        onRoomUpdated(roomInfo(args.value(0).toMap()));
    });
    socket->on(E::Message, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const ChatMessage message = roomMessage(args.value(0).toMap());
        if (joinedRooms.contains(message.room))
            Q_EMIT q->messageReceived(message);
    });
    socket->on(E::PrivateMsg, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const QVariantMap m = args.value(0).toMap();
        ChatMessage message;
        message.fromSocket = m.value(QStringLiteral("from")).toString();
        message.fromUser = m.value(QStringLiteral("fromUser")).toString();
        message.senderName = m.value(QStringLiteral("name")).toString();
        if (message.senderName.isEmpty())
            message.senderName = nicknames.value(message.fromSocket);
        message.text = m.value(QStringLiteral("msg")).toString();
        message.timestamp = m.contains(QStringLiteral("timestamp")) ? fromMs(m.value(QStringLiteral("timestamp")))
                                                                     : QDateTime::currentDateTimeUtc();
        message.offline = m.value(QStringLiteral("offline")).toBool();
        message.toSocket = socketId;
        message.toUser = userId;
        Q_EMIT q->privateMessageReceived(message);
    });
    socket->on(E::ServerShutdown, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        shutdownReason = args.value(0).toMap().value(QStringLiteral("reason")).toString();
    });
    socket->on(E::RateLimited, q, [this](const QVariantList &args, const SocketIO::Acknowledger &) {
        const int wait = args.value(0).toMap().value(QStringLiteral("retryAfterMs")).toInt();
        retryAfterMs = std::clamp(wait, 50, 10000);
        Q_EMIT q->rateLimited(wait);
    });
}

void ChatClient::Private::onWelcome(const QVariantMap &welcome)
{
    socketId = welcome.value(QStringLiteral("id")).toString();
    nickname = welcome.value(QStringLiteral("name")).toString();
    userId = welcome.value(QStringLiteral("userId")).toString();
    nicknames.clear();
    const QVariantMap map = welcome.value(QStringLiteral("nicknames")).toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        nicknames.insert(it.key(), it.value().toString());
    welcomedOnce = true;
    error.clear();
    const QPointer<ChatClient> guard(q);
    setState(State::Connected);
    Q_EMIT q->nicknamesReset();
    if (!guard)
        return;
    Q_EMIT q->loggedIn();
    if (!guard || state != State::Connected)
        return;

    send(Events::Rooms, {}, q, {},
         [this](const QVariantMap &ack) { onRoomList(ack.value(QStringLiteral("rooms")).toList()); });
    // A new connection is a new socket on the server, in no room: join ours again. Their
    // member lists start over; the history page that comes with each join overlaps what was
    // shown, and messages are identified by id. What the user asked for meanwhile goes out
    // once every room is joined again, so a message to a room finds us a member.
    const QStringList rejoin = joinedRooms;
    rejoinsPending = int(rejoin.size());
    for (const QString &room : rejoin) {
        send(Events::Join, {room}, q, [this, room](const Reply &reply) {
            if (!reply.ok) {
                // Dropped again meanwhile: the room stays ours, the next welcome rejoins it.
                if (state != State::Connected)
                    return;
                qCInfo(lcChatClient) << "could not rejoin" << room << ":" << reply.error;
                forgetRoom(room);
            }
            rejoined();
        }, [this, room](const QVariantMap &ack) { onJoined(room, ack); });
    }
    if (rejoin.isEmpty())
        startDrain();
}

void ChatClient::Private::onJoined(const QString &room, const QVariantMap &ack)
{
    if (!joinedRooms.contains(room))
        joinedRooms.append(room);
    QStringList ids;
    for (const QVariant &entry : ack.value(QStringLiteral("members")).toList()) {
        const QVariantMap m = entry.toMap();
        const QString id = m.value(QStringLiteral("id")).toString();
        ids.append(id);
        nicknames.insert(id, m.value(QStringLiteral("name")).toString());
    }
    members.insert(room, ids);
    const QPointer<ChatClient> guard(q);
    Q_EMIT q->joined(room);
    QList<ChatMessage> history;
    for (const QVariant &entry : ack.value(QStringLiteral("history")).toList())
        history.append(roomMessage(entry.toMap()));
    if (guard)
        Q_EMIT q->historyReceived(room, history, ack.value(QStringLiteral("hasMore")).toBool());
}

void ChatClient::Private::forgetRoom(const QString &room)
{
    if (joinedRooms.removeAll(room) == 0)
        return;
    members.remove(room);
    Q_EMIT q->left(room);
}

void ChatClient::Private::onRoomList(const QVariantList &list)
{
    rooms.clear();
    for (const QVariant &entry : list)
        rooms.append(roomInfo(entry.toMap()));
    std::sort(rooms.begin(), rooms.end(), [](const RoomInfo &a, const RoomInfo &b) { return a.name < b.name; });
    Q_EMIT q->roomsReset();
}

void ChatClient::Private::onRoomUpdated(const RoomInfo &room)
{
    const auto it = std::lower_bound(rooms.begin(), rooms.end(), room.name,
                                     [](const RoomInfo &r, const QString &name) { return r.name < name; });
    const bool known = it != rooms.end() && it->name == room.name;
    if (room.members <= 0) {
        if (known) {
            rooms.erase(it);
            Q_EMIT q->roomRemoved(room.name);
        }
        return;
    }
    if (known)
        *it = room;
    else
        rooms.insert(it, room);
    Q_EMIT q->roomUpdated(room);
}

void ChatClient::Private::onDisconnected(const QString &transportReason)
{
    const QString reason = shutdownReason.isEmpty() ? transportReason : std::exchange(shutdownReason, {});
    error = reason;
    stopDrain();
    socketId.clear();
    members.clear();
    // "io server disconnect" (kicked, shutting down) and our own leave end the session; anything
    // else is a dropped connection the Manager retries.
    const bool final = !socket || !socket->isActive();
    const QPointer<ChatClient> guard(q);
    if (final) {
        joinedRooms.clear();
        rejoinsPending = 0;
        setState(State::Disconnected);
        failOutbox();
        if (!guard)
            return;
    } else {
        setState(State::Reconnecting);
    }
    if (guard)
        Q_EMIT q->disconnected(reason);
}

void ChatClient::Private::onConnectError(const QString &message)
{
    error = message;
    // A refusal by the server (CONNECT_ERROR) deactivates the socket: it is final. A transport
    // failure leaves it active: the Manager retries, unless we never got in at all.
    const bool refused = !socket->isActive();
    if (!refused && welcomedOnce)
        return;
    qCInfo(lcChatClient) << "login failed:" << message;
    const QPointer<ChatClient> guard(q);
    closeSession();
    setState(State::Disconnected);
    if (guard)
        Q_EMIT q->loginFailed(message);
}

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    qRegisterMetaType<ChatMessage>();
    qRegisterMetaType<RoomInfo>();
    qRegisterMetaType<Member>();
}

ChatClient::~ChatClient()
{
    d->destroying = true;
    d->closeSession();
}

ChatClient::Options ChatClient::options() const
{
    return d->options;
}

void ChatClient::setOptions(const Options &options)
{
    d->options = options;
}

void ChatClient::connectToServer(const QUrl &url, const QString &token, const QString &nickname)
{
    d->closeSession();
    d->url = url;
    d->error.clear();
    d->nickname = nickname;
    d->userId.clear();

    d->manager = new SocketIO::Manager(url, d->options.manager, this);
    d->socket = d->manager->socket(QStringLiteral("/"));
    QVariantMap auth;
    if (!token.isEmpty())
        auth.insert(QStringLiteral("token"), token);
    if (!nickname.isEmpty())
        auth.insert(QStringLiteral("name"), nickname);
    d->socket->setAuth(auth);
    d->installHandlers();
    connect(d->socket, &SocketIO::Socket::connectError, this,
            [this](const QString &message, const QVariant &) { d->onConnectError(message); });
    connect(d->socket, &SocketIO::Socket::disconnected, this,
            [this](const QString &reason) { d->onDisconnected(reason); });
    connect(d->manager, &SocketIO::Manager::reconnecting, this, &ChatClient::reconnecting);
    connect(d->manager, &SocketIO::Manager::reconnectFailed, this, [this] {
        const QPointer<ChatClient> guard(this);
        d->closeSession();
        d->setState(State::Disconnected);
        if (guard)
            Q_EMIT loginFailed(d->error);
    });
    d->setState(State::Connecting);
    d->socket->connectToNamespace();
}

void ChatClient::retryNow()
{
    if (d->manager && d->state == State::Reconnecting)
        d->manager->reconnectNow();
}

void ChatClient::disconnectFromServer()
{
    const bool wasOpen = d->state != State::Disconnected;
    d->closeSession();
    d->setState(State::Disconnected);
    if (wasOpen)
        Q_EMIT disconnected(QStringLiteral("io client disconnect"));
}

ChatClient::State ChatClient::state() const
{
    return d->state;
}

QUrl ChatClient::url() const
{
    return d->url;
}

QString ChatClient::errorString() const
{
    return d->error;
}

QString ChatClient::socketId() const
{
    return d->socketId;
}

QString ChatClient::nickname() const
{
    return d->nickname;
}

QString ChatClient::userId() const
{
    return d->userId;
}

QHash<QString, QString> ChatClient::nicknames() const
{
    return d->nicknames;
}

QList<RoomInfo> ChatClient::rooms() const
{
    return d->rooms;
}

RoomInfo ChatClient::room(const QString &name) const
{
    for (const RoomInfo &room : d->rooms)
        if (room.name == name)
            return room;
    return {};
}

QStringList ChatClient::joinedRooms() const
{
    return d->joinedRooms;
}

bool ChatClient::isJoined(const QString &room) const
{
    return d->joinedRooms.contains(room);
}

QList<Member> ChatClient::members(const QString &room) const
{
    QList<Member> list;
    for (const QString &id : d->members.value(room))
        list.append({id, d->nicknames.value(id)});
    return list;
}

void ChatClient::joinRoom(const QString &room, QObject *context, Callback callback)
{
    d->request(Events::Join, {room}, context, std::move(callback),
               [this, room](const QVariantMap &ack) { d->onJoined(room, ack); });
}

void ChatClient::leaveRoom(const QString &room, QObject *context, Callback callback)
{
    d->request(Events::Leave, {room}, context, std::move(callback),
               [this, room](const QVariantMap &) { d->forgetRoom(room); });
}

void ChatClient::sendMessage(const QString &room, const QString &text, QObject *context, Callback callback)
{
    // Our own id for the message: if the connection drops before its ack, it is sent again
    // under the same id, and the server, which may have stored it already, does not store or
    // relay it twice (docs/chat-protocol.md, "Exactly once").
    const QString clientMessageId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    d->request(Events::Message,
               {QVariantMap{{QStringLiteral("message"), text},
                            {QStringLiteral("roomName"), room},
                            {QStringLiteral("clientMessageId"), clientMessageId}}},
               context, std::move(callback), [this, room, text, clientMessageId](const QVariantMap &ack) {
                   ChatMessage message;
                   message.id = ack.value(QStringLiteral("messageId"), -1).toLongLong();
                   message.room = room;
                   message.fromSocket = d->socketId;
                   message.fromUser = d->userId;
                   message.senderName = d->nickname;
                   message.text = text;
                   message.timestamp = fromMs(ack.value(QStringLiteral("timestamp")));
                   message.clientMessageId = clientMessageId;
                   message.outgoing = true;
                   Q_EMIT messageReceived(message);
               }, true);
}

void ChatClient::sendPrivateMessage(const QString &toSocket, const QString &text, QObject *context,
                                    Callback callback)
{
    d->request(Events::SendMsgTo, {QVariantMap{{QStringLiteral("msg"), text}, {QStringLiteral("to"), toSocket}}},
               context, std::move(callback), [this, toSocket, text](const QVariantMap &ack) {
                   ChatMessage message;
                   message.fromSocket = d->socketId;
                   message.fromUser = d->userId;
                   message.toSocket = toSocket;
                   message.senderName = d->nickname;
                   message.text = text;
                   message.timestamp = fromMs(ack.value(QStringLiteral("timestamp")));
                   message.outgoing = true;
                   Q_EMIT privateMessageReceived(message);
               });
}

void ChatClient::sendPrivateMessageToUser(const QString &toUser, const QString &text, QObject *context,
                                          Callback callback)
{
    d->request(Events::SendMsgTo, {QVariantMap{{QStringLiteral("msg"), text}, {QStringLiteral("toUser"), toUser}}},
               context, std::move(callback), [this, toUser, text](const QVariantMap &ack) {
                   ChatMessage message;
                   message.fromSocket = d->socketId;
                   message.fromUser = d->userId;
                   message.toUser = toUser;
                   message.senderName = d->nickname;
                   message.text = text;
                   message.timestamp = fromMs(ack.value(QStringLiteral("timestamp")));
                   message.outgoing = true;
                   Q_EMIT privateMessageReceived(message);
               });
}

void ChatClient::setNickname(const QString &nickname, QObject *context, Callback callback)
{
    d->request(Events::SetNickname, {nickname}, context, std::move(callback), [this](const QVariantMap &ack) {
        d->nickname = ack.value(QStringLiteral("name")).toString();
    });
}

void ChatClient::setTopic(const QString &room, const QString &topic, QObject *context, Callback callback)
{
    d->request(Events::SetTopic, {QVariantMap{{QStringLiteral("roomName"), room}, {QStringLiteral("topic"), topic}}},
               context, std::move(callback));
}

void ChatClient::fetchHistory(const QString &room, qint64 beforeId, int limit, QObject *context, Callback callback)
{
    QVariantMap query{{QStringLiteral("roomName"), room}, {QStringLiteral("limit"), limit}};
    if (beforeId >= 0)
        query.insert(QStringLiteral("beforeId"), beforeId);
    d->request(Events::History, {query}, context, std::move(callback), [this, room](const QVariantMap &ack) {
        QList<ChatMessage> history;
        for (const QVariant &entry : ack.value(QStringLiteral("history")).toList())
            history.append(roomMessage(entry.toMap()));
        Q_EMIT historyReceived(room, history, ack.value(QStringLiteral("hasMore")).toBool());
    });
}

void ChatClient::fetchPrivateHistory(const QString &withUser, qint64 beforeId, int limit, QObject *context,
                                     Callback callback)
{
    QVariantMap query{{QStringLiteral("withUser"), withUser}, {QStringLiteral("limit"), limit}};
    if (beforeId >= 0)
        query.insert(QStringLiteral("beforeId"), beforeId);
    d->request(Events::PrivateHistory, {query}, context, std::move(callback), [this, withUser](const QVariantMap &ack) {
        QList<ChatMessage> history;
        for (const QVariant &entry : ack.value(QStringLiteral("history")).toList()) {
            const QVariantMap m = entry.toMap();
            ChatMessage message;
            message.id = m.value(QStringLiteral("messageId"), -1).toLongLong();
            message.fromUser = m.value(QStringLiteral("fromUser")).toString();
            message.toUser = m.value(QStringLiteral("toUser")).toString();
            message.senderName = m.value(QStringLiteral("name")).toString();
            message.text = m.value(QStringLiteral("msg")).toString();
            message.timestamp = fromMs(m.value(QStringLiteral("timestamp")));
            message.outgoing = message.fromUser == d->userId;
            history.append(message);
        }
        Q_EMIT privateHistoryReceived(withUser, history, ack.value(QStringLiteral("hasMore")).toBool());
    });
}

void ChatClient::refreshRooms(QObject *context, Callback callback)
{
    d->request(Events::Rooms, {}, context, std::move(callback),
               [this](const QVariantMap &ack) { d->onRoomList(ack.value(QStringLiteral("rooms")).toList()); });
}

QString ChatClient::translatedError(const QString &error)
{
    // The server's errors are a stable English contract (docs/chat-protocol.md); the user reads
    // them in their language. Anything unknown is shown as the server said it.
    static const QHash<QString, const char *> known{
        {QStringLiteral("token required"), QT_TR_NOOP("This server needs a login token.")},
        {QStringLiteral("token expired"), QT_TR_NOOP("The login token has expired.")},
        {QStringLiteral("token not yet valid"), QT_TR_NOOP("The login token is not valid yet.")},
        {QStringLiteral("bad signature"), QT_TR_NOOP("The login token was not issued by this server.")},
        {QStringLiteral("malformed token"), QT_TR_NOOP("That is not a login token.")},
        {QStringLiteral("algorithm not allowed"), QT_TR_NOOP("The login token is signed in a way this server refuses.")},
        {QStringLiteral("token too large"), QT_TR_NOOP("The login token is too large.")},
        {QStringLiteral("expiry required"), QT_TR_NOOP("This server only accepts login tokens that expire.")},
        {QStringLiteral("invalid nickname"), QT_TR_NOOP("That nickname cannot be used.")},
        {QStringLiteral("invalid room name"), QT_TR_NOOP("Room names are 1 to 64 characters, without surrounding spaces.")},
        {QStringLiteral("room name not allowed"), QT_TR_NOOP("That room name is reserved.")},
        {QStringLiteral("too many rooms joined"), QT_TR_NOOP("You are in too many rooms already.")},
        {QStringLiteral("too many rooms on this server"), QT_TR_NOOP("This server has too many rooms already.")},
        {QStringLiteral("not a member"), QT_TR_NOOP("You are not in that room.")},
        {QStringLiteral("empty message"), QT_TR_NOOP("The message is empty.")},
        {QStringLiteral("message too long"), QT_TR_NOOP("The message is too long.")},
        {QStringLiteral("invalid client message id"), QT_TR_NOOP("The message could not be sent (a bad message id).")},
        {QStringLiteral("message not stored"), QT_TR_NOOP("The server could not store the message; it was not sent.")},
        {QStringLiteral("no such socket"), QT_TR_NOOP("That person is no longer connected.")},
        {QStringLiteral("user is offline"), QT_TR_NOOP("That person is offline.")},
        {QStringLiteral("rate limited"), QT_TR_NOOP("You are sending too fast; wait a moment.")},
        {QStringLiteral("topic too long"), QT_TR_NOOP("The topic is too long.")},
        {QStringLiteral("invalid topic"), QT_TR_NOOP("That topic cannot be used.")},
        {QStringLiteral("timed out"), QT_TR_NOOP("The server did not answer in time.")},
        {QStringLiteral("not connected"), QT_TR_NOOP("Not connected to the server.")},
        {QStringLiteral("server shutting down"), QT_TR_NOOP("The server is shutting down.")},
        {QStringLiteral("io server disconnect"), QT_TR_NOOP("The server ended the session.")},
        {QStringLiteral("transport close"), QT_TR_NOOP("The connection was lost.")},
        {QStringLiteral("transport error"), QT_TR_NOOP("The connection failed.")},
        {QStringLiteral("ping timeout"), QT_TR_NOOP("The server stopped answering.")},
    };
    if (const char *text = known.value(error))
        return tr(text);
    return error;
}

} // namespace Roomcast::Chat
