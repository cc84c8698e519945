#include "socketio/client.h"

#include "socketio/backoff.h"

#include "socketio/json.h"
#include "socketio/logging.h"
#include "socketio/packet.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHash>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace Roomcast::SocketIO {

namespace {

QString eventName(const QVariant &name)
{
    return name.typeId() == QMetaType::QString ? name.toString() : QString::fromUtf8(Json::serialize(name));
}

// Engines that Managers have let go of while they were still closing, on the application's
// thread. They are deleted from a post routine, which QCoreApplication runs while it is still
// whole. As its children they would be deleted later, after QCoreApplication::instance() is
// gone: a polling transport's QNetworkAccessManager then stops its HTTP thread when Qt no
// longer delivers that thread's last deferred deletions, and every request still open leaks.
QPointer<QObject> closingEngines;

void deleteClosingEngines()
{
    delete closingEngines.data();
}

//! Where an engine still closing waits: with the application, or (on another thread) alone.
QObject *closingEnginesOwner(const QObject *engine)
{
    QCoreApplication *application = QCoreApplication::instance();
    if (!application || application->thread() != engine->thread())
        return nullptr;
    if (!closingEngines) {
        closingEngines = new QObject(application);
        closingEngines->setObjectName(QStringLiteral("Roomcast::SocketIO closing engines"));
        qAddPostRoutine(deleteClosingEngines);
    }
    return closingEngines;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Manager

class Manager::Private
{
public:
    Private(Manager *q, const QUrl &url, const ManagerOptions &options)
        : q(q)
        , url(url)
        , options(options)
    {
        reconnectTimer.setSingleShot(true);
        openTimer.setSingleShot(true);
    }

    void openEngine();
    //! The sockets, guarded: user code run from a loop over them may delete any of them.
    QList<QPointer<Socket>> guardedSockets() const { return {socketOrder.cbegin(), socketOrder.cend()}; }
    void onEngineOpened();
    void onEngineError(const QString &message);
    void onEngineClosed(const QString &reason);
    void onData(Decoder::Status status);
    //! Stops listening to the engine and lets it close in the background.
    void detachEngine();
    //! The connection is gone (`reason`); reconnects unless told not to.
    void handleClose(const QString &reason);
    void reconnect();
    void attemptReconnect(); // the reconnection timer fired (or reconnectNow())
    //! Closes the connection once no Socket is active any more.
    void closeIfUnused();
    void sendPacket(const Packet &packet);
    bool isWritable() const { return state == State::Open && engine && engine->isWritable(); }

    Manager *q;
    QUrl url;
    ManagerOptions options;
    EngineIO::Client *engine = nullptr;
    Decoder decoder;
    QHash<QString, Socket *> sockets;
    QList<Socket *> socketOrder; //!< the same sockets in creation order: CONNECTs go out in it
    State state = State::Closed;
    bool skipReconnect = false;
    bool reconnecting = false;
    Backoff backoff{options.reconnectionDelayMs, options.reconnectionDelayMaxMs, options.randomizationFactor};
    QTimer reconnectTimer;
    QTimer openTimer;
};

// ---------------------------------------------------------------------------------------------
// Socket

class Socket::Private
{
public:
    Private(Socket *q, Manager *manager, const QString &nsp)
        : q(q)
        , manager(manager)
        , nsp(nsp)
        , acks(q)
    {
        // As socket.io-client: an emit still in the offline buffer is not sent after its timeout.
        acks.setTimeoutHook([this](qint64 id) {
            sendBuffer.removeIf([id](const Packet &packet) { return packet.id == id; });
        });
    }

    void onManagerOpened();
    void onManagerClosed(const QString &reason);
    void onPacket(Packet &&packet);
    void onConnected(const QString &sid, const QString &pid);
    void onEvent(Packet &&packet);
    void onAck(Packet &&packet);
    void setConnected(bool value);
    //! Leaves the Manager's active set; the Manager closes its connection if none is left.
    void deactivate();
    //! As socket.io-client's destroy() then onclose(): leaves the Manager's active set (which
    //! may close the connection), then reports the disconnection, so that a handler of
    //! disconnected() may connect again.
    void deactivateAndClose(const QString &reason);
    bool send(Packet &&packet, bool isVolatile);
    void sendAck(qint64 id, const QVariantList &args);

    Socket *q;
    Manager *manager;
    QString nsp;
    QString id;
    QString pid;
    QString lastOffset;
    bool connected = false;
    bool active = false;
    bool connectSent = false;
    bool recovered = false;
    QVariantMap auth;
    QPointer<QObject> authProviderContext;
    std::function<QVariantMap()> authProvider;
    QList<Packet> sendBuffer;
    QList<Packet> receiveBuffer;
    EventHandlers handlers;
    PendingAcks acks;
    qint64 nextAckId = 0;
};

// ---------------------------------------------------------------------------------------------
// Manager implementation

Manager::Manager(const QUrl &url, const ManagerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, url, options))
{
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] { d->attemptReconnect(); });
    connect(&d->openTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcSocketIO) << "connection attempt timed out after" << d->options.timeoutMs << "ms";
        d->detachEngine();
        d->onEngineError(tr("Connection timed out"));
        d->handleClose(QStringLiteral("transport error"));
    });
}

Manager::~Manager()
{
    d->skipReconnect = true;
    d->detachEngine();
    // Sockets are children: let them go while the Manager is still whole.
    const auto sockets = std::exchange(d->socketOrder, {});
    d->sockets.clear();
    qDeleteAll(sockets);
}

Socket *Manager::socket(const QString &nsp)
{
    const QString name = nsp.isEmpty() ? QStringLiteral("/") : nsp;
    Socket *&socket = d->sockets[name];
    if (!socket) {
        socket = new Socket(this, name);
        d->socketOrder.append(socket);
    }
    return socket;
}

void Manager::open()
{
    d->skipReconnect = false;
    if (d->state != State::Closed || d->reconnecting)
        return;
    d->openEngine();
}

void Manager::reconnectNow()
{
    if (!d->reconnectTimer.isActive())
        return;
    d->reconnectTimer.stop();
    d->attemptReconnect();
}

void Manager::close()
{
    d->skipReconnect = true;
    d->reconnecting = false;
    d->reconnectTimer.stop();
    d->backoff.reset();
    if (d->state == State::Closed && !d->engine)
        return;
    d->detachEngine();
    d->handleClose(QStringLiteral("forced close"));
}

Manager::State Manager::state() const
{
    return d->state;
}

const ManagerOptions &Manager::options() const
{
    return d->options;
}

QUrl Manager::url() const
{
    return d->url;
}

EngineIO::Client *Manager::engine() const
{
    return d->engine;
}

bool Manager::isReconnecting() const
{
    return d->reconnecting;
}

void Manager::Private::openEngine()
{
    if (engine)
        return;
    state = State::Opening;
    decoder.reset();
    engine = new EngineIO::Client(url, options.engine, q);
    QObject::connect(engine, &EngineIO::Client::opened, q, [this] { onEngineOpened(); });
    QObject::connect(engine, &EngineIO::Client::messageReceived, q,
                     [this](const QByteArray &text) { onData(decoder.addText(text)); });
    QObject::connect(engine, &EngineIO::Client::binaryMessageReceived, q,
                     [this](const QByteArray &bytes) { onData(decoder.addBinary(bytes)); });
    QObject::connect(engine, &EngineIO::Client::errorOccurred, q,
                     [this](EngineIO::Client::Error, const QString &message) { onEngineError(message); });
    QObject::connect(engine, &EngineIO::Client::closed, q, [this](const QString &reason) { onEngineClosed(reason); });
    if (options.timeoutMs >= 0)
        openTimer.start(options.timeoutMs);
    engine->open();
}

// Every emit below may run user code that deletes the Manager (and so this Private) or any
// Socket: each is followed by a check of a guard before anything else is touched.

void Manager::Private::onEngineOpened()
{
    openTimer.stop();
    state = State::Open;
    const bool wasReconnecting = reconnecting;
    const int attempts = backoff.attempts();
    reconnecting = false;
    if (wasReconnecting)
        backoff.reset();
    const QPointer<Manager> guard(q);
    Q_EMIT q->opened();
    if (!guard)
        return;
    if (wasReconnecting) {
        Q_EMIT q->reconnected(attempts);
        if (!guard)
            return;
    }
    for (const QPointer<Socket> &socket : guardedSockets()) {
        if (!guard || state != State::Open)
            return;
        if (socket && socket->d->active)
            socket->d->onManagerOpened();
    }
}

void Manager::Private::onEngineError(const QString &message)
{
    qCDebug(lcSocketIO) << "connection error:" << message;
    const QPointer<Manager> guard(q);
    Q_EMIT q->errorOccurred(message);
    for (const QPointer<Socket> &socket : guardedSockets()) {
        if (!guard)
            return;
        if (socket && socket->d->active && !socket->d->connected)
            Q_EMIT socket->connectError(message, QVariant());
    }
}

void Manager::Private::onEngineClosed(const QString &reason)
{
    detachEngine();
    handleClose(reason);
}

void Manager::Private::onData(Decoder::Status status)
{
    if (status == Decoder::Status::NeedMore)
        return;
    if (status == Decoder::Status::Error) {
        qCWarning(lcSocketIO) << "closing the connection: the server sent an invalid packet:" << decoder.errorString();
        detachEngine();
        handleClose(QStringLiteral("parse error"));
        return;
    }
    Packet packet = decoder.takePacket();
    Socket *socket = sockets.value(packet.nsp);
    if (!socket || !socket->d->active) {
        qCDebug(lcSocketIO) << "dropping a packet for namespace" << packet.nsp << "that is not connected";
        return;
    }
    socket->d->onPacket(std::move(packet));
}

void Manager::Private::detachEngine()
{
    openTimer.stop();
    if (!engine)
        return;
    EngineIO::Client *old = std::exchange(engine, nullptr);
    QObject::disconnect(old, nullptr, q, nullptr);
    // It may be in the middle of emitting (the Manager being deleted from a handler): it is
    // never deleted here, only later, and no longer with the Manager. Until then it waits with
    // the application (when it lives on the application's thread), so that an engine still
    // closing when the program ends goes with the application instead of leaking.
    old->setParent(closingEnginesOwner(old));
    if (old->state() == EngineIO::Client::State::Closed) {
        old->deleteLater();
        return;
    }
    QObject::connect(old, &EngineIO::Client::closed, old, &QObject::deleteLater);
    old->close();
}

void Manager::Private::handleClose(const QString &reason)
{
    const State previous = state;
    state = State::Closed;
    decoder.reset();
    if (previous == State::Open) {
        qCDebug(lcSocketIO) << "connection closed:" << reason;
        backoff.reset();
        const QPointer<Manager> guard(q);
        Q_EMIT q->closed(reason);
        for (const QPointer<Socket> &socket : guardedSockets()) {
            if (!guard)
                return;
            if (socket && socket->d->active)
                socket->d->onManagerClosed(reason);
        }
        if (!guard)
            return;
    } else if (reconnecting) {
        reconnecting = false; // this attempt failed; schedule the next one
    } else if (backoff.attempts() != 0) {
        return; // not ours to retry
    }
    if (options.reconnection && !skipReconnect)
        reconnect();
}

void Manager::Private::attemptReconnect()
{
    if (skipReconnect)
        return;
    qCDebug(lcSocketIO) << "reconnection attempt" << backoff.attempts();
    const QPointer<Manager> guard(q);
    Q_EMIT q->reconnectAttempt(backoff.attempts());
    if (guard && !skipReconnect)
        openEngine();
}

void Manager::Private::reconnect()
{
    if (reconnecting || skipReconnect)
        return;
    if (options.reconnectionAttempts >= 0 && backoff.attempts() >= options.reconnectionAttempts) {
        qCDebug(lcSocketIO) << "giving up after" << backoff.attempts() << "reconnection attempts";
        backoff.reset();
        Q_EMIT q->reconnectFailed();
        return;
    }
    const int delay = backoff.nextDelay();
    reconnecting = true;
    qCDebug(lcSocketIO) << "reconnecting in" << delay << "ms";
    reconnectTimer.start(delay);
    Q_EMIT q->reconnecting(backoff.attempts(), delay);
}

void Manager::Private::closeIfUnused()
{
    for (Socket *socket : std::as_const(socketOrder))
        if (socket->d->active)
            return;
    q->close();
}

void Manager::Private::sendPacket(const Packet &packet)
{
    if (state != State::Open || !engine) {
        qCDebug(lcSocketIO) << "dropping a packet: the connection is not open";
        return;
    }
    EncodedPacket encoded = encode(packet);
    if (encoded.attachments.isEmpty()) {
        engine->send(encoded.text);
        return;
    }
    QList<EngineIO::Packet> frames;
    frames.reserve(1 + encoded.attachments.size());
    frames.append(EngineIO::Packet::message(encoded.text));
    for (const QByteArray &attachment : std::as_const(encoded.attachments))
        frames.append(EngineIO::Packet::binaryMessage(attachment));
    engine->sendPackets(frames);
}

// ---------------------------------------------------------------------------------------------
// Socket implementation

Socket::Socket(Manager *manager, const QString &nsp)
    : QObject(manager)
    , d(std::make_unique<Private>(this, manager, nsp))
{
}

Socket::~Socket()
{
    d->manager->d->sockets.remove(d->nsp);
    d->manager->d->socketOrder.removeOne(this);
}

Manager *Socket::manager() const
{
    return d->manager;
}

QString Socket::nsp() const
{
    return d->nsp;
}

QString Socket::id() const
{
    return d->id;
}

bool Socket::isConnected() const
{
    return d->connected;
}

bool Socket::isActive() const
{
    return d->active;
}

bool Socket::isRecovered() const
{
    return d->recovered;
}

void Socket::setAuth(const QVariantMap &auth)
{
    d->auth = auth;
}

QVariantMap Socket::auth() const
{
    return d->auth;
}

void Socket::setAuthProvider(QObject *context, std::function<QVariantMap()> provider)
{
    d->authProviderContext = context;
    d->authProvider = std::move(provider);
}

void Socket::connectToNamespace()
{
    if (d->connected)
        return;
    d->active = true;
    Manager::Private *io = d->manager->d.get();
    if (!io->reconnecting)
        d->manager->open();
    if (io->state == Manager::State::Open)
        d->onManagerOpened();
}

void Socket::disconnectFromNamespace()
{
    if (d->connected)
        d->manager->d->sendPacket(Packet::disconnect(d->nsp));
    d->deactivateAndClose(QStringLiteral("io client disconnect"));
}

bool Socket::emitEvent(const QString &event, const QVariantList &args)
{
    if (isReservedEventName(event)) {
        qCWarning(lcSocketIO) << "refusing to emit the reserved event name" << event;
        return false;
    }
    return d->send(Packet::event(d->nsp, QVariantList{event} + args), false);
}

bool Socket::emitVolatile(const QString &event, const QVariantList &args)
{
    if (isReservedEventName(event)) {
        qCWarning(lcSocketIO) << "refusing to emit the reserved event name" << event;
        return false;
    }
    return d->send(Packet::event(d->nsp, QVariantList{event} + args), true);
}

void Socket::emitWithAck(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                         std::chrono::milliseconds timeout)
{
    const qint64 id = d->nextAckId++;
    d->acks.add(id, context, std::move(callback), timeout);
    const bool sent = !isReservedEventName(event) && d->send(Packet::event(d->nsp, QVariantList{event} + args, id), false);
    if (!sent) {
        // Report on the next event-loop turn, as every other outcome is reported.
        QTimer::singleShot(0, this, [this, id] { d->acks.finish(id, AckResult::Status::Dropped); });
    }
}

void Socket::on(const QString &event, QObject *context, EventHandler handler)
{
    d->handlers.on(event, context, std::move(handler));
}

void Socket::onAny(QObject *context, AnyEventHandler handler)
{
    d->handlers.onAny(context, std::move(handler));
}

void Socket::off(QObject *context)
{
    d->handlers.off(context);
}

void Socket::Private::onManagerOpened()
{
    if (connectSent || connected)
        return;
    QVariantMap payload = authProvider && authProviderContext ? authProvider() : auth;
    if (!pid.isEmpty()) {
        payload.insert(QStringLiteral("pid"), pid);
        if (!lastOffset.isEmpty())
            payload.insert(QStringLiteral("offset"), lastOffset);
    }
    connectSent = true;
    manager->d->sendPacket(Packet::connect(nsp, payload.isEmpty() ? QVariant() : QVariant(payload)));
}

void Socket::Private::onManagerClosed(const QString &reason)
{
    connectSent = false;
    if (!connected)
        return;
    id.clear();
    const QPointer<Socket> guard(q);
    setConnected(false);
    if (!guard)
        return;
    Q_EMIT q->disconnected(reason);
    if (!guard)
        return;
    // As socket.io-client's _clearAcks(): an emit still in the offline buffer keeps its ack;
    // the others can no longer be answered: those with a timeout fail now, the rest are dropped.
    QSet<qint64> buffered;
    for (const Packet &packet : std::as_const(sendBuffer))
        if (packet.hasId())
            buffered.insert(packet.id);
    acks.clearExcept(buffered, AckResult::Status::Disconnected);
}

void Socket::Private::setConnected(bool value)
{
    if (connected == value)
        return;
    connected = value;
    Q_EMIT q->connectedChanged(value);
}

void Socket::Private::deactivate()
{
    active = false;
    connectSent = false;
    manager->d->closeIfUnused();
}

void Socket::Private::deactivateAndClose(const QString &reason)
{
    const QPointer<Socket> guard(q);
    deactivate();
    if (guard)
        onManagerClosed(reason);
}

void Socket::Private::onPacket(Packet &&packet)
{
    switch (packet.type) {
    case PacketType::Connect: {
        const QVariantMap data = packet.data.toMap();
        const QVariant sid = data.value(QStringLiteral("sid"));
        if (sid.typeId() == QMetaType::QString) {
            onConnected(sid.toString(), data.value(QStringLiteral("pid")).toString());
        } else {
            Q_EMIT q->connectError(Socket::tr("The server answered CONNECT without a socket id: "
                                              "it does not speak Socket.IO v5 (socket.io 3 or later)"),
                                   QVariant());
        }
        break;
    }
    case PacketType::Event:
    case PacketType::BinaryEvent:
        if (connected)
            onEvent(std::move(packet));
        else
            receiveBuffer.append(std::move(packet));
        break;
    case PacketType::Ack:
    case PacketType::BinaryAck:
        onAck(std::move(packet));
        break;
    case PacketType::Disconnect:
        qCDebug(lcSocketIO) << "server disconnected namespace" << nsp;
        deactivateAndClose(QStringLiteral("io server disconnect"));
        break;
    case PacketType::ConnectError: {
        QString message;
        QVariant data;
        if (packet.data.typeId() == QMetaType::QString) {
            message = packet.data.toString();
        } else {
            const QVariantMap error = packet.data.toMap();
            message = error.value(QStringLiteral("message")).toString();
            data = error.value(QStringLiteral("data"));
        }
        qCDebug(lcSocketIO) << "namespace" << nsp << "refused the connection:" << message;
        const QPointer<Socket> guard(q);
        deactivate();
        if (guard)
            Q_EMIT q->connectError(message, data);
        break;
    }
    }
}

void Socket::Private::onConnected(const QString &sid, const QString &newPid)
{
    id = sid;
    recovered = !newPid.isEmpty() && newPid == pid;
    pid = newPid;
    if (!recovered)
        lastOffset.clear();
    connectSent = false;
    setConnected(true);

    const QList<Packet> queued = std::exchange(sendBuffer, {});
    for (const Packet &packet : queued)
        manager->d->sendPacket(packet);

    QPointer<Socket> guard(q);
    Q_EMIT q->connected();
    if (!guard)
        return;
    QList<Packet> received = std::exchange(receiveBuffer, {});
    for (Packet &packet : received) {
        if (!guard || !connected)
            break;
        onEvent(std::move(packet));
    }
}

void Socket::Private::onEvent(Packet &&packet)
{
    QVariantList args = packet.data.toList();
    const QString event = eventName(args.takeFirst());
    // With connection state recovery, the server appends the packet's offset as a last string
    // argument; the client keeps it, as socket.io-client does, to resume from it. An event that
    // asks for an ack never carries one.
    if (!pid.isEmpty() && !packet.hasId() && !args.isEmpty() && args.last().typeId() == QMetaType::QString)
        lastOffset = args.last().toString();

    Acknowledger ack;
    if (packet.hasId()) {
        const QPointer<Socket> socket(q);
        const qint64 ackId = packet.id;
        ack = Acknowledger([socket, ackId](const QVariantList &answer) {
            if (socket)
                socket->d->sendAck(ackId, answer);
        });
    }

    const QPointer<QObject> guard(q);
    if (handlers.dispatch(event, args, ack, guard))
        Q_EMIT q->eventReceived(event, args);
}

void Socket::Private::onAck(Packet &&packet)
{
    if (!acks.contains(packet.id)) {
        qCDebug(lcSocketIO) << "ignoring an acknowledgement for unknown id" << packet.id;
        return;
    }
    acks.finish(packet.id, AckResult::Status::Acknowledged, packet.data.toList());
}

bool Socket::Private::send(Packet &&packet, bool isVolatile)
{
    if (isVolatile) {
        if (!connected || !manager->d->isWritable())
            return false;
        manager->d->sendPacket(packet);
        return true;
    }
    if (connected && manager->d->state == Manager::State::Open) {
        manager->d->sendPacket(packet);
        return true;
    }
    // not connected, or the connection just went and the socket does not know yet: keep it
    if (sendBuffer.size() >= manager->d->options.maxBufferedPackets) {
        qCWarning(lcSocketIO) << "offline buffer of namespace" << nsp << "is full; dropping an emit";
        return false;
    }
    sendBuffer.append(std::move(packet));
    return true;
}

void Socket::Private::sendAck(qint64 ackId, const QVariantList &args)
{
    if (!connected)
        return; // the namespace was left: the server would take the packet as a protocol error
    manager->d->sendPacket(Packet::ack(nsp, ackId, args));
}

} // namespace Roomcast::SocketIO
