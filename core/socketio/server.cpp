#include "socketio/server.h"

#include "socketio/connection_p.h"
#include "socketio/json.h"
#include "socketio/logging.h"

#include <QJsonValue>
#include <QRandomGenerator>
#include <QTimerEvent>
#include <QVarLengthArray>

namespace Roomcast::SocketIO {

namespace {

//! 20 URL-safe characters from 120 random bits: unpredictable socket and private ids.
QString randomId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

//! Disconnections after which socket.io keeps the session for recovery.
bool isRecoverable(const QString &reason)
{
    static const QStringList Recoverable{QStringLiteral("transport error"), QStringLiteral("transport close"),
                                         QStringLiteral("forced close"), QStringLiteral("ping timeout"),
                                         QStringLiteral("server shutting down"), QStringLiteral("forced server close")};
    return Recoverable.contains(reason);
}

QString eventName(const QVariant &name)
{
    return name.typeId() == QMetaType::QString ? name.toString() : QString::fromUtf8(Json::serialize(name));
}

constexpr std::chrono::milliseconds DefaultBroadcastAckTimeout(5000);

} // namespace

QList<EngineIO::Packet> toFrames(const EncodedPacket &encoded)
{
    QList<EngineIO::Packet> frames;
    frames.reserve(1 + encoded.attachments.size());
    frames.append(EngineIO::Packet::message(encoded.text));
    for (const QByteArray &attachment : encoded.attachments)
        frames.append(EngineIO::Packet::binaryMessage(attachment));
    return frames;
}

// ---------------------------------------------------------------------------------------------
// Private classes

class Server::Private
{
public:
    ServerOptions options;
    EngineIO::Server *engine = nullptr;
    QHash<QString, Namespace *> namespaces;
    QList<Middleware> middlewares;
};

class Namespace::Private
{
public:
    Server *server = nullptr;
    QString name;
    Adapter adapter;
    QList<Middleware> middlewares;
    QHash<SocketId, ServerSocket *> sockets;
    qint64 nextAckId = 0;
    QTimer expiryTimer; //!< forgets expired recovery sessions and packets
};

class ServerSocket::Private
{
public:
    Private(ServerSocket *q) : acks(q) {}

    void onPacket(Packet &&packet);
    void onEvent(Packet &&packet);
    //! Leaves the namespace for `reason`; deletes the socket later.
    void onClose(const QString &reason);
    void runMiddlewares(const QList<Middleware> &chain, qsizetype index);
    void finishConnect(QList<Packet> missedPackets);
    void send(const Packet &packet);

    ServerSocket *q = nullptr;
    Namespace *nsp = nullptr;
    QString id;
    QString pid;
    QPointer<Connection> connection;
    //! The CONNECT payload as JSON text, empty for none: a socket keeps it for its lifetime
    //! and it is read once or twice (a token's UTF-8 is half its QString).
    QByteArray auth;
    QVariant data;
    bool connected = false;
    bool recovered = false;
    QSet<Room> restoredRooms;
    EventHandlers handlers;
    PendingAcks acks;
};

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(Server *server, EngineIO::ServerSocket *conn)
    : QObject(conn)
    , m_server(server)
    , m_conn(conn)
    , m_decoder(server->options().maxAttachments)
{
    connect(conn, &EngineIO::ServerSocket::messageReceived, this,
            [this](const QByteArray &text) { onData(m_decoder.addText(text)); });
    connect(conn, &EngineIO::ServerSocket::binaryMessageReceived, this,
            [this](const QByteArray &bytes) { onData(m_decoder.addBinary(bytes)); });
    connect(conn, &EngineIO::ServerSocket::closed, this, [this](const QString &reason) { onClosed(reason); });

    m_connectTimer.start(server->options().connectTimeoutMs, this);
}

void Connection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimer.timerId())
        return QObject::timerEvent(event);
    m_connectTimer.stop();
    if (m_sockets.isEmpty()) {
        qCDebug(lcSocketIO) << "closing a connection that joined no namespace in time";
        close(QStringLiteral("forced close"));
    }
}

void Connection::send(const Packet &packet)
{
    sendFrames(toFrames(encode(packet)));
}

void Connection::sendFrames(const QList<EngineIO::Packet> &frames)
{
    if (m_closed || !m_conn)
        return;
    if (frames.size() == 1)
        m_conn->send(frames.first().data);
    else
        m_conn->sendPackets(frames);
}

void Connection::sendShared(const EngineIO::SharedPackets &frames)
{
    if (m_closed || !m_conn)
        return;
    m_conn->sendShared(frames);
}

void Connection::attach(const QString &nsp, ServerSocket *socket)
{
    m_connectTimer.stop(); // it joined something: the connect timeout is over, as in socket.io
    connectFinished(nsp);
    for (auto &[name, joined] : m_sockets) {
        if (name == nsp) {
            joined = socket;
            return;
        }
    }
    m_sockets.emplaceBack(nsp, socket);
}

void Connection::detach(const QString &nsp, ServerSocket *socket)
{
    m_sockets.removeIf([&](const auto &entry) { return entry.first == nsp && entry.second == socket; });
    if (m_sockets.isEmpty())
        m_sockets = {}; // its capacity too
}

void Connection::connectFinished(const QString &nsp)
{
    m_connecting.removeOne(nsp);
    if (m_connecting.isEmpty())
        m_connecting = {};
}

ServerSocket *Connection::socketOf(const QString &nsp) const
{
    for (const auto &[name, socket] : m_sockets)
        if (name == nsp)
            return socket;
    return nullptr;
}

void Connection::disconnectAll()
{
    const auto sockets = m_sockets;
    for (const auto &[nsp, socket] : sockets)
        if (socket)
            socket->disconnectFromNamespace(false);
    close(QStringLiteral("forced server close"));
}

void Connection::close(const QString &reason)
{
    if (m_closed)
        return;
    onClosed(reason);
    if (m_conn)
        m_conn->close();
}

void Connection::onClosed(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_connectTimer.stop();
    m_decoder.reset();
    const auto sockets = std::exchange(m_sockets, {});
    for (const auto &[nsp, socket] : sockets)
        if (socket)
            socket->d->onClose(reason);
}

void Connection::onData(Decoder::Status status)
{
    if (status == Decoder::Status::NeedMore || m_closed)
        return;
    if (status == Decoder::Status::Error) {
        const QString message = m_decoder.errorString();
        qCDebug(lcSocketIO) << "closing a connection that sent an invalid packet:" << message;
        Q_EMIT m_server->protocolError(message);
        close(QStringLiteral("parse error"));
        return;
    }
    onPacket(m_decoder.takePacket());
}

void Connection::onPacket(Packet &&packet)
{
    const QPointer<ServerSocket> socket = socketOf(packet.nsp);
    const bool joinedOrJoining = socket || m_connecting.contains(packet.nsp);
    if (packet.type == PacketType::Connect && !joinedOrJoining) {
        connectToNamespace(packet.nsp, packet.data.toMap());
        return;
    }
    if (socket && packet.type != PacketType::Connect && packet.type != PacketType::ConnectError) {
        socket->d->onPacket(std::move(packet));
        return;
    }
    // As socket.io: a second CONNECT, a CONNECT_ERROR from a client, or a packet for a namespace
    // the client has not joined closes the connection.
    const QString message = QStringLiteral("invalid state: packet type %1 for namespace %2")
                                .arg(int(packet.type))
                                .arg(packet.nsp);
    qCDebug(lcSocketIO) << "closing a connection:" << message;
    Q_EMIT m_server->protocolError(message);
    close(QStringLiteral("forced close"));
}

void Connection::connectToNamespace(const QString &name, const QVariantMap &auth)
{
    if (!m_server->hasNamespace(name)) {
        send(Packet::connectError(name, QStringLiteral("Invalid namespace")));
        return;
    }
    m_connecting.append(name);
    Namespace *nsp = m_server->of(name);
    const ServerOptions::Recovery &recovery = m_server->options().connectionStateRecovery;

    if (recovery.enabled) {
        const QString pid = auth.value(QStringLiteral("pid")).toString();
        const QString offset = auth.value(QStringLiteral("offset")).toString();
        auto restored = pid.isEmpty() ? std::nullopt : nsp->d->adapter.restoreSession(pid, offset);
        if (restored && nsp->d->sockets.contains(restored->first.id)) {
            qCDebug(lcSocketIO) << "not recovering a session whose socket id is in use again";
            restored.reset();
        }
        if (restored) {
            Adapter::Session &session = restored->first;
            QVariantMap cleanAuth = auth;
            cleanAuth.remove(QStringLiteral("pid"));
            cleanAuth.remove(QStringLiteral("offset"));
            auto *socket = new ServerSocket(nsp, session.id, this, cleanAuth);
            socket->d->pid = session.pid;
            socket->d->recovered = true;
            socket->d->data = session.data;
            socket->d->restoredRooms = session.rooms;
            qCDebug(lcSocketIO) << "recovered socket" << session.id << "with" << restored->second.size()
                                << "missed packets";
            if (recovery.skipMiddlewares) {
                socket->d->finishConnect(restored->second);
                return;
            }
            // run the middlewares, then replay
            const QList<Packet> missed = restored->second;
            QList<Middleware> chain = m_server->d->middlewares + nsp->d->middlewares;
            chain.append([missed](ServerSocket *s, const Next &) { s->d->finishConnect(missed); });
            socket->d->runMiddlewares(chain, 0);
            return;
        }
    }

    auto *socket = new ServerSocket(nsp, randomId(), this, auth);
    if (recovery.enabled)
        socket->d->pid = randomId();
    QList<Middleware> chain = m_server->d->middlewares + nsp->d->middlewares;
    chain.append([](ServerSocket *s, const Next &) { s->d->finishConnect({}); });
    socket->d->runMiddlewares(chain, 0);
}

// ---------------------------------------------------------------------------------------------
// ServerSocket

ServerSocket::ServerSocket(Namespace *nsp, const QString &id, Connection *connection, const QVariantMap &auth)
    : QObject(nsp)
    , d(std::make_unique<Private>(this))
{
    d->q = this;
    d->nsp = nsp;
    d->id = id;
    d->connection = connection;
    // The payload came as JSON, so it goes back to the same QVariant tree.
    if (!auth.isEmpty())
        d->auth = Json::serialize(auth);
}

ServerSocket::~ServerSocket()
{
    if (d->connected) {
        d->nsp->d->adapter.leaveAll(d->id);
        d->nsp->d->sockets.remove(d->id);
        if (d->connection)
            d->connection->detach(d->nsp->name(), this);
    }
}

void ServerSocket::Private::runMiddlewares(const QList<Middleware> &chain, qsizetype index)
{
    if (!connection || !connection->isOpen()) {
        q->deleteLater();
        return;
    }
    const QPointer<ServerSocket> guard(q);
    auto called = std::make_shared<bool>(false);
    const Next next = [guard, chain, index, called](const std::optional<ConnectError> &error) {
        if (*called || !guard)
            return;
        *called = true;
        Private *d = guard->d.get();
        if (error) {
            qCDebug(lcSocketIO) << "middleware refused a connection to" << d->nsp->name() << ":" << error->message;
            if (d->connection) {
                d->connection->connectFinished(d->nsp->name());
                d->connection->send(Packet::connectError(d->nsp->name(), error->message, error->data));
            }
            guard->deleteLater();
            return;
        }
        d->runMiddlewares(chain, index + 1);
    };
    chain.at(index)(q, next);
}

void ServerSocket::Private::finishConnect(QList<Packet> missedPackets)
{
    if (!connection || !connection->isOpen()) {
        q->deleteLater();
        return;
    }
    if (nsp->d->sockets.contains(id)) { // a recovered id taken in the meantime: start afresh
        id = randomId();
        recovered = false;
        restoredRooms.clear();
        data = QVariant();
        missedPackets.clear();
    }
    if (recovered)
        nsp->d->adapter.dropSession(pid);
    connected = true;
    connection->attach(nsp->name(), q);
    nsp->d->sockets.insert(id, q);
    nsp->d->adapter.join(id, id);
    for (const Room &room : std::as_const(restoredRooms))
        nsp->d->adapter.join(id, room);
    restoredRooms.clear();

    QVariantMap payload{{QStringLiteral("sid"), id}};
    if (!pid.isEmpty())
        payload.insert(QStringLiteral("pid"), pid);
    connection->send(Packet::connect(nsp->name(), payload));
    for (const Packet &packet : std::as_const(missedPackets))
        connection->send(packet);
    Q_EMIT nsp->connection(q);
}

void ServerSocket::Private::send(const Packet &packet)
{
    if (connection)
        connection->send(packet);
}

void ServerSocket::Private::onPacket(Packet &&packet)
{
    switch (packet.type) {
    case PacketType::Event:
    case PacketType::BinaryEvent:
        onEvent(std::move(packet));
        break;
    case PacketType::Ack:
    case PacketType::BinaryAck:
        acks.finish(packet.id, AckResult::Status::Acknowledged, packet.data.toList());
        break;
    case PacketType::Disconnect:
        onClose(QStringLiteral("client namespace disconnect"));
        break;
    case PacketType::Connect:
    case PacketType::ConnectError:
        break; // handled by the connection, or not for a server
    }
}

void ServerSocket::Private::onEvent(Packet &&packet)
{
    QVariantList args = packet.data.toList();
    const QString event = eventName(args.takeFirst());
    Acknowledger ack;
    if (packet.hasId()) {
        const QPointer<ServerSocket> socket(q);
        const qint64 ackId = packet.id;
        ack = Acknowledger([socket, ackId](const QVariantList &answer) {
            if (socket && socket->d->connected)
                socket->d->send(Packet::ack(socket->d->nsp->name(), ackId, answer));
        });
    }
    const QPointer<QObject> guard(q);
    if (handlers.dispatch(event, args, ack, guard))
        Q_EMIT q->eventReceived(event, args);
}

void ServerSocket::Private::onClose(const QString &reason)
{
    if (!connected)
        return;
    const QPointer<ServerSocket> guard(q);
    Q_EMIT q->disconnecting(reason);
    if (!guard || !connected)
        return;
    Adapter &adapter = nsp->d->adapter;
    if (adapter.isRecoveryEnabled() && isRecoverable(reason))
        adapter.persistSession({id, pid, adapter.rooms(id), data, {}});
    adapter.leaveAll(id);
    nsp->d->sockets.remove(id);
    if (connection)
        connection->detach(nsp->name(), q);
    connected = false;
    acks.clearExcept({}, AckResult::Status::Disconnected);
    if (!guard)
        return;
    Q_EMIT q->disconnected(reason);
    if (guard)
        q->deleteLater();
}

QString ServerSocket::id() const
{
    return d->id;
}

Namespace *ServerSocket::nsp() const
{
    return d->nsp;
}

Server *ServerSocket::server() const
{
    return d->nsp->server();
}

EngineIO::ServerSocket *ServerSocket::conn() const
{
    return d->connection ? d->connection->conn() : nullptr;
}

const EngineIO::HandshakeRequest &ServerSocket::request() const
{
    static const EngineIO::HandshakeRequest None;
    const EngineIO::ServerSocket *engine = conn();
    return engine ? engine->request() : None;
}

QVariantMap ServerSocket::auth() const
{
    if (d->auth.isEmpty())
        return {};
    const auto parsed = Json::parse(d->auth);
    const auto value = parsed ? Json::toVariant(*parsed) : std::nullopt;
    return value ? value->toMap() : QVariantMap();
}

bool ServerSocket::isConnected() const
{
    return d->connected;
}

bool ServerSocket::isRecovered() const
{
    return d->recovered;
}

QVariant ServerSocket::data() const
{
    return d->data;
}

void ServerSocket::setData(const QVariant &data)
{
    d->data = data;
}

QSet<Room> ServerSocket::rooms() const
{
    return d->nsp->d->adapter.rooms(d->id);
}

void ServerSocket::join(const Room &room)
{
    if (d->connected)
        d->nsp->d->adapter.join(d->id, room);
    else
        d->restoredRooms.insert(room); // joined in a middleware: applied on connection
}

void ServerSocket::join(const QSet<Room> &rooms)
{
    for (const Room &room : rooms)
        join(room);
}

void ServerSocket::leave(const Room &room)
{
    if (d->connected)
        d->nsp->d->adapter.leave(d->id, room);
    else
        d->restoredRooms.remove(room);
}

void ServerSocket::emitEvent(const QString &event, const QVariantList &args)
{
    if (!d->connected || isReservedEventName(event)) {
        if (isReservedEventName(event))
            qCWarning(lcSocketIO) << "refusing to emit the reserved event name" << event;
        return;
    }
    if (d->nsp->d->adapter.isRecoveryEnabled()) {
        // through the adapter, so that the packet gets an offset and is kept for recovery
        d->nsp->to(d->id).emitEvent(event, args);
        return;
    }
    d->send(Packet::event(d->nsp->name(), QVariantList{event} + args));
}

void ServerSocket::emitWithAck(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                               std::chrono::milliseconds timeout)
{
    const qint64 id = d->nsp->d->nextAckId++;
    d->acks.add(id, context, std::move(callback), timeout);
    if (!d->connected || isReservedEventName(event)) {
        const auto status = d->connected ? AckResult::Status::Dropped : AckResult::Status::Disconnected;
        QTimer::singleShot(0, this, [this, id, status] { d->acks.finish(id, status); });
        return;
    }
    d->send(Packet::event(d->nsp->name(), QVariantList{event} + args, id));
}

bool ServerSocket::emitVolatile(const QString &event, const QVariantList &args)
{
    if (!d->connected || !conn() || !conn()->isWritable() || isReservedEventName(event))
        return false;
    d->send(Packet::event(d->nsp->name(), QVariantList{event} + args));
    return true;
}

BroadcastOperator ServerSocket::to(const Room &room) const
{
    return broadcast().to(room);
}

BroadcastOperator ServerSocket::to(const QSet<Room> &rooms) const
{
    return broadcast().to(rooms);
}

BroadcastOperator ServerSocket::except(const Room &room) const
{
    return broadcast().except(room);
}

BroadcastOperator ServerSocket::broadcast() const
{
    return d->nsp->all().except(d->id);
}

void ServerSocket::on(const QString &event, QObject *context, EventHandler handler)
{
    d->handlers.on(event, context, std::move(handler));
}

void ServerSocket::onAny(QObject *context, AnyEventHandler handler)
{
    d->handlers.onAny(context, std::move(handler));
}

void ServerSocket::off(QObject *context)
{
    d->handlers.off(context);
}

void ServerSocket::disconnectFromNamespace(bool closeConnection)
{
    if (!d->connected)
        return;
    if (closeConnection) {
        // As socket.io: every namespace of the connection is told (so that the client does not
        // come back), then the connection closes.
        if (d->connection)
            d->connection->disconnectAll();
        return;
    }
    d->send(Packet::disconnect(d->nsp->name()));
    d->onClose(QStringLiteral("server namespace disconnect"));
}

// ---------------------------------------------------------------------------------------------
// BroadcastOperator

BroadcastOperator BroadcastOperator::to(const Room &room) const
{
    BroadcastOperator copy = *this;
    copy.m_target.rooms.insert(room);
    return copy;
}

BroadcastOperator BroadcastOperator::to(const QSet<Room> &rooms) const
{
    BroadcastOperator copy = *this;
    copy.m_target.rooms.unite(rooms);
    return copy;
}

BroadcastOperator BroadcastOperator::except(const Room &room) const
{
    BroadcastOperator copy = *this;
    copy.m_target.except.insert(room);
    return copy;
}

BroadcastOperator BroadcastOperator::except(const QSet<Room> &rooms) const
{
    BroadcastOperator copy = *this;
    copy.m_target.except.unite(rooms);
    return copy;
}

BroadcastOperator BroadcastOperator::asVolatile() const
{
    BroadcastOperator copy = *this;
    copy.m_volatile = true;
    return copy;
}

BroadcastOperator BroadcastOperator::timeout(std::chrono::milliseconds timeout) const
{
    BroadcastOperator copy = *this;
    copy.m_timeout = timeout;
    return copy;
}

namespace {

bool refuseReserved(const QString &event)
{
    if (!isReservedEventName(event))
        return false;
    // the official client's parser would reject the packet and drop the connection
    qCWarning(lcSocketIO) << "refusing to emit the reserved event name" << event;
    return true;
}

} // namespace

void BroadcastOperator::emitEvent(const QString &event, const QVariantList &args) const
{
    if (!m_nsp || refuseReserved(event))
        return;
    Namespace::Private *nsp = m_nsp->d.get();
    // The recipients first: a broadcast that reaches nobody (a message to a room its sender
    // is alone in) is not encoded at all, unless it is kept for connection state recovery.
    QVarLengthArray<Connection *, 64> recipients;
    nsp->adapter.forEachTarget(m_target, [&](const SocketId &id) {
        ServerSocket *socket = nsp->sockets.value(id);
        if (!socket || !socket->d->connection)
            return;
        if (m_volatile && !(socket->conn() && socket->conn()->isWritable()))
            return;
        recipients.append(socket->d->connection.data());
    });
    const bool kept = nsp->adapter.isRecoveryEnabled() && !m_volatile;
    if (recipients.isEmpty() && !kept)
        return;
    Packet packet = Packet::event(m_nsp->name(), QVariantList{event} + args);
    if (kept) {
        const QString offset = nsp->adapter.nextOffset();
        nsp->adapter.storePacket(offset, packet, m_target);
        QVariantList data = packet.data.toList();
        data.append(offset);
        packet.data = data;
    }
    // One encoding for every recipient, down to the WebSocket frames: the recipients share
    // their bytes.
    const EngineIO::SharedPackets frames(toFrames(encode(packet)));
    for (Connection *connection : std::as_const(recipients))
        connection->sendShared(frames);
}

void BroadcastOperator::emitWithAck(const QString &event, const QVariantList &args, QObject *context,
                                    BroadcastAckCallback callback) const
{
    if (!m_nsp || refuseReserved(event))
        return;
    Namespace::Private *nsp = m_nsp->d.get();
    const qint64 id = nsp->nextAckId++;
    const EngineIO::SharedPackets frames(toFrames(encode(Packet::event(m_nsp->name(), QVariantList{event} + args, id))));

    struct Collector
    {
        BroadcastAckResult result;
        qsizetype expected = 0;
        bool done = false;
        QPointer<QObject> context;
        BroadcastAckCallback callback;
        QTimer timer;
        QMetaObject::Connection timeout;
        void finish(bool timedOut)
        {
            if (done)
                return;
            done = true;
            timer.stop();
            QObject::disconnect(timeout);
            result.timedOut = timedOut;
            if (context && callback)
                callback(result);
        }
    };
    auto collector = std::make_shared<Collector>();
    collector->context = context;
    collector->callback = std::move(callback);

    QList<ServerSocket *> recipients;
    nsp->adapter.forEachTarget(m_target, [&](const SocketId &socketId) {
        ServerSocket *socket = nsp->sockets.value(socketId);
        if (!socket || !socket->d->connection)
            return;
        if (m_volatile && !(socket->conn() && socket->conn()->isWritable()))
            return;
        recipients.append(socket);
    });
    collector->expected = recipients.size();
    const auto timeout = m_timeout.value_or(DefaultBroadcastAckTimeout);
    for (ServerSocket *socket : std::as_const(recipients)) {
        const SocketId socketId = socket->id();
        socket->d->acks.add(id, m_nsp, [collector, socketId](const AckResult &result) {
            if (result.status != AckResult::Status::Acknowledged || collector->done)
                return;
            collector->result.responses.insert(socketId, result.args);
            if (collector->result.responses.size() == collector->expected)
                collector->finish(false);
        }, timeout);
        socket->d->connection->sendShared(frames);
    }
    collector->timer.setSingleShot(true);
    // The timer's connection keeps the collector alive until it finishes; finish() cuts it, so
    // that nothing keeps it after (the recipients' pending acks let go as they end).
    collector->timeout = QObject::connect(&collector->timer, &QTimer::timeout, m_nsp,
                                          [collector] { collector->finish(true); });
    if (recipients.isEmpty())
        QTimer::singleShot(0, m_nsp, [collector] { collector->finish(false); });
    else
        collector->timer.start(timeout);
}

QList<ServerSocket *> BroadcastOperator::sockets() const
{
    QList<ServerSocket *> result;
    if (!m_nsp)
        return result;
    m_nsp->d->adapter.forEachTarget(m_target, [&](const SocketId &id) {
        if (ServerSocket *socket = m_nsp->d->sockets.value(id))
            result.append(socket);
    });
    return result;
}

void BroadcastOperator::socketsJoin(const Room &room) const
{
    for (ServerSocket *socket : sockets())
        socket->join(room);
}

void BroadcastOperator::socketsLeave(const Room &room) const
{
    for (ServerSocket *socket : sockets())
        socket->leave(room);
}

void BroadcastOperator::disconnectSockets(bool close) const
{
    QList<QPointer<ServerSocket>> targets;
    for (ServerSocket *socket : sockets())
        targets.append(socket);
    for (const QPointer<ServerSocket> &socket : std::as_const(targets))
        if (socket)
            socket->disconnectFromNamespace(close);
}

// ---------------------------------------------------------------------------------------------
// Namespace

Namespace::Namespace(Server *server, const QString &name)
    : QObject(server)
    , d(std::make_unique<Private>())
{
    d->server = server;
    d->name = name;
    const auto &recovery = server->options().connectionStateRecovery;
    if (recovery.enabled) {
        d->adapter.setRecoveryWindow(recovery.maxDisconnectionDurationMs);
        d->adapter.setMaxStoredPackets(recovery.maxStoredPackets);
        d->expiryTimer.setInterval(int(std::min<qint64>(recovery.maxDisconnectionDurationMs, 60000)));
        connect(&d->expiryTimer, &QTimer::timeout, this, [this] { d->adapter.expire(); });
        d->expiryTimer.start();
    }
}

Namespace::~Namespace()
{
    // Sockets are children, deleted after this destructor; they must go while d still exists.
    const auto children = findChildren<ServerSocket *>(QString(), Qt::FindDirectChildrenOnly);
    qDeleteAll(children);
}

QString Namespace::name() const
{
    return d->name;
}

Server *Namespace::server() const
{
    return d->server;
}

Adapter &Namespace::adapter()
{
    return d->adapter;
}

void Namespace::use(Middleware middleware)
{
    d->middlewares.append(std::move(middleware));
}

QList<ServerSocket *> Namespace::sockets() const
{
    return d->sockets.values();
}

ServerSocket *Namespace::socket(const QString &id) const
{
    return d->sockets.value(id);
}

BroadcastOperator Namespace::to(const Room &room) const
{
    return all().to(room);
}

BroadcastOperator Namespace::to(const QSet<Room> &rooms) const
{
    return all().to(rooms);
}

BroadcastOperator Namespace::except(const Room &room) const
{
    return all().except(room);
}

BroadcastOperator Namespace::all() const
{
    return BroadcastOperator(const_cast<Namespace *>(this));
}

// ---------------------------------------------------------------------------------------------
// Server

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->options = options;
    d->engine = new EngineIO::Server(options.engine, this);
    connect(d->engine, &EngineIO::Server::newConnection, this,
            [this](EngineIO::ServerSocket *conn) { new Connection(this, conn); });
    of(QStringLiteral("/"));
}

Server::~Server()
{
    close();
}

const ServerOptions &Server::options() const
{
    return d->options;
}

EngineIO::Server *Server::engine() const
{
    return d->engine;
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    return d->engine->listen(address, port);
}

quint16 Server::serverPort() const
{
    return d->engine->serverPort();
}

QUrl Server::serverUrl() const
{
    return d->engine->serverUrl();
}

QString Server::errorString() const
{
    return d->engine->errorString();
}

void Server::close()
{
    // Each socket learns why before its connection goes.
    const auto engineSockets = d->engine->sockets();
    for (EngineIO::ServerSocket *conn : engineSockets)
        if (auto *connection = conn->findChild<Connection *>(QString(), Qt::FindDirectChildrenOnly))
            connection->close(QStringLiteral("server shutting down"));
    d->engine->close();
}

Namespace *Server::of(const QString &name)
{
    const QString key = name.isEmpty() ? QStringLiteral("/") : name;
    Namespace *&nsp = d->namespaces[key];
    if (!nsp)
        nsp = new Namespace(this, key);
    return nsp;
}

bool Server::hasNamespace(const QString &name) const
{
    return d->namespaces.contains(name);
}

void Server::use(Middleware middleware)
{
    d->middlewares.append(std::move(middleware));
}

} // namespace Roomcast::SocketIO
