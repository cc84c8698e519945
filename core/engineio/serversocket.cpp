#include "serversocket_p.h"

#include "engineio/logging.h"
#include "engineio/servertransport_p.h"
#include "engineio/serverwebsocket_p.h"

#include <QTimerEvent>

namespace Roomcast::EngineIO {

namespace {

const QString TransportClose = QStringLiteral("transport close");
const QString TransportError = QStringLiteral("transport error");

} // namespace

ServerSocket::Private::Private(ServerSocket *q, const QString &id, const HandshakeRequest &request,
                               const ServerOptions &options)
    : q(q)
    , id(id)
    , request(request)
    , options(options)
{
}

ServerSocket::Private::~Private()
{
    // The transports are the session's children and outlive this by a moment.
    if (transport)
        transport->setListener(nullptr);
    if (upgradeTransport)
        upgradeTransport->setListener(nullptr);
}

void ServerSocket::Private::transportPacket(ServerTransport *from, const Packet &packet)
{
    if (from == upgradeTransport)
        onUpgradePacket(packet);
    else
        onPacket(packet);
}

void ServerSocket::Private::transportReady(ServerTransport *from)
{
    if (from == transport)
        onReady();
}

void ServerSocket::Private::transportFailed(ServerTransport *from, const QString &reason, const QString &description)
{
    if (from == upgradeTransport) {
        abortUpgrade(description);
        return;
    }
    qCDebug(lcEngineIO) << id << reason << description;
    onClose(reason);
}

void ServerSocket::Private::transportClosed(ServerTransport *from)
{
    if (from == upgradeTransport)
        abortUpgrade(QStringLiteral("the WebSocket closed"));
    else
        onClose(closingReason.isEmpty() ? TransportClose : closingReason);
}

void ServerSocket::Private::onTimer(int timerId)
{
    if (timerId == pingIntervalTimer.timerId()) {
        pingIntervalTimer.stop();
        sendPacket(PacketType::Ping);
        startPingTimeout();
    } else if (timerId == pingTimeoutTimer.timerId()) {
        pingTimeoutTimer.stop();
        onClose(QStringLiteral("ping timeout"));
    } else if (timerId == upgradeTimeoutTimer.timerId()) {
        upgradeTimeoutTimer.stop();
        qCDebug(lcEngineIO) << id << "did not complete its upgrade in time";
        abortUpgrade(QStringLiteral("upgrade timeout"));
    }
}

void ServerSocket::Private::open(ServerTransport *first)
{
    setTransport(first);
    sendPacket(PacketType::Open, openPacketData());
    schedulePing();
}

QByteArray ServerSocket::Private::openPacketData() const
{
    // The reference server's key order.
    const bool offerUpgrade = transport->type() == TransportType::Polling && options.allowUpgrades
                              && options.transports.contains(TransportType::WebSocket);
    return R"({"sid":")" + id.toLatin1() + R"(","upgrades":)" + (offerUpgrade ? R"(["websocket"])" : "[]")
           + R"(,"pingInterval":)" + QByteArray::number(options.pingInterval) + R"(,"pingTimeout":)"
           + QByteArray::number(options.pingTimeout) + R"(,"maxPayload":)"
           + QByteArray::number(options.maxHttpBufferSize) + '}';
}

void ServerSocket::Private::setTransport(ServerTransport *next)
{
    transport = next;
    transportType = next->type();
    next->setParent(q);
    next->setListener(this);
}

void ServerSocket::Private::clearTransport()
{
    if (!transport)
        return;
    ServerTransport *old = transport;
    transport = nullptr;
    old->setListener(nullptr);
    // Nobody will route a request to it any more: close it without waiting for one.
    old->discard();
    old->close();
    old->deleteLater();
    pingTimeoutTimer.stop();
}

void ServerSocket::Private::onPacket(const Packet &packet)
{
    if (state != State::Open)
        return;
    switch (packet.type) {
    case PacketType::Ping:
        // In Engine.IO v4 only the server pings.
        qCDebug(lcEngineIO) << id << "invalid heartbeat direction";
        onClose(TransportError);
        break;
    case PacketType::Pong:
        pingTimeoutTimer.stop();
        startPingInterval();
        break;
    case PacketType::Message:
        if (packet.binary)
            Q_EMIT q->binaryMessageReceived(packet.data);
        else
            Q_EMIT q->messageReceived(packet.data);
        break;
    case PacketType::Open:
    case PacketType::Close:
    case PacketType::Upgrade:
    case PacketType::Noop:
        break;
    }
}

void ServerSocket::Private::onReady()
{
    flush();
    if (upgrading && probed)
        sendNoopForUpgrade();
}

void ServerSocket::Private::sendPacket(PacketType type, const QByteArray &data)
{
    queue({Packet::of(type, data)});
}

void ServerSocket::Private::queue(const QList<Packet> &packets)
{
    if (state != State::Open)
        return;
    // Checked before the new packets join the backlog, so that one large packet (a long history
    // page) is never refused on its own: a session stays within the bound plus one group.
    if (closeIfSlowConsumer())
        return;
    for (const Packet &packet : packets)
        writeBufferBytes += packet.data.size() + 1;
    writeBuffer.append(packets);
    flush();
}

bool ServerSocket::Private::closeIfSlowConsumer()
{
    const qint64 bound = options.maxPendingOutputBytes;
    if (bound <= 0)
        return false;
    const qint64 pending = pendingOutputBytes();
    if (pending <= bound)
        return false;
    qCInfo(lcEngineIO) << id << "is not reading:" << pending << "bytes of output pending, over" << bound
                       << "; closing it";
    abortWith(QStringLiteral("slow consumer"));
    return true;
}

qint64 ServerSocket::Private::pendingOutputBytes() const
{
    return writeBufferBytes + (transport ? transport->pendingBytes() : 0);
}

void ServerSocket::Private::flush()
{
    if (state == State::Closed || !transport || !transport->isWritable() || writeBuffer.isEmpty())
        return;
    const QList<Packet> packets = std::exchange(writeBuffer, {});
    writeBufferBytes = 0;
    transport->send(packets);
    if (closeAfterFlush && state == State::Closing && writeBuffer.isEmpty()) {
        closeAfterFlush = false;
        closeTransport();
    }
}

void ServerSocket::Private::schedulePing()
{
    startPingInterval();
}

void ServerSocket::Private::closeWith(const QString &reason, bool discard)
{
    if (state == State::Closed)
        return;
    if (discard) {
        state = State::Closing;
        closingReason = reason;
        writeBuffer.clear();
        writeBufferBytes = 0;
        if (transport)
            transport->discard();
        closeTransport();
        return;
    }
    if (state != State::Open)
        return;
    state = State::Closing;
    closingReason = reason;
    if (!writeBuffer.isEmpty()) {
        closeAfterFlush = true;
        flush();
        return;
    }
    closeTransport();
}

void ServerSocket::Private::abortWith(const QString &reason)
{
    if (state == State::Closed)
        return;
    // Nothing more is queued from now on, and what was is dropped. The transport is reset on
    // the next event-loop turn, not here: we may be inside a broadcast's loop over the rooms,
    // and the close would take this session out of them under its feet.
    state = State::Closing;
    closingReason = reason;
    closeAfterFlush = false;
    writeBuffer.clear();
    writeBufferBytes = 0;
    QMetaObject::invokeMethod(q, [this] {
        if (state == State::Closed)
            return;
        if (transport)
            transport->abort(); // closed() → onClose(closingReason)
        else
            onClose(closingReason);
    }, Qt::QueuedConnection);
}

void ServerSocket::Private::closeTransport()
{
    if (transport)
        transport->close(); // closed() → onClose(closingReason)
    else
        onClose(closingReason);
}

void ServerSocket::Private::onClose(const QString &reason)
{
    if (state == State::Closed)
        return;
    state = State::Closed;
    qCDebug(lcEngineIO) << id << "closed:" << reason;
    pingIntervalTimer.stop();
    pingTimeoutTimer.stop();
    if (upgradeTransport)
        abortUpgrade(QStringLiteral("socket closed"));
    clearTransport();
    writeBuffer.clear();
    writeBufferBytes = 0;
    if (registry)
        registry->remove(id);
    Q_EMIT q->closed(reason);
    q->deleteLater();
}

void ServerSocket::Private::maybeUpgrade(ServerWebSocketTransport *websocket)
{
    qCDebug(lcEngineIO) << id << "might upgrade to websocket";
    upgrading = true;
    probed = false;
    upgradeTransport = websocket;
    websocket->setParent(q);
    startTimer(upgradeTimeoutTimer, options.upgradeTimeout);
    websocket->setListener(this);
}

void ServerSocket::Private::onUpgradePacket(const Packet &packet)
{
    if (packet.type == PacketType::Ping && packet.data == "probe") {
        upgradeTransport->send({Packet::of(PacketType::Pong, "probe")});
        probed = true;
        // A GET held now ends with a noop, so that the client can pause polling.
        sendNoopForUpgrade();
    } else if (packet.type == PacketType::Upgrade && state != State::Closed) {
        ServerWebSocketTransport *next = upgradeTransport;
        cleanupUpgrade();
        if (transport)
            transport->discard();
        upgraded = true;
        clearTransport();
        setTransport(next);
        qCDebug(lcEngineIO) << id << "upgraded to websocket";
        Q_EMIT q->upgraded();
        flush();
        if (state == State::Closing && transport)
            closeTransport();
    } else {
        abortUpgrade(QStringLiteral("unexpected packet during the upgrade"));
    }
}

void ServerSocket::Private::sendNoopForUpgrade()
{
    if (transport && transport->type() == TransportType::Polling && transport->isWritable())
        transport->send({Packet::of(PacketType::Noop)});
}

void ServerSocket::Private::cleanupUpgrade()
{
    upgrading = false;
    probed = false;
    upgradeTimeoutTimer.stop();
    if (upgradeTransport)
        upgradeTransport->setListener(nullptr);
    upgradeTransport = nullptr;
}

void ServerSocket::Private::abortUpgrade(const QString &why)
{
    qCDebug(lcEngineIO) << id << "upgrade aborted:" << why;
    ServerWebSocketTransport *websocket = upgradeTransport;
    cleanupUpgrade();
    if (websocket) {
        websocket->close();
        websocket->deleteLater();
    }
}

ServerSocket::ServerSocket(const QString &id, const HandshakeRequest &request, Server *server)
    : QObject(server)
    , d(std::make_unique<Private>(this, id, request, server->options()))
{
}

ServerSocket::~ServerSocket() = default;

void ServerSocket::timerEvent(QTimerEvent *event)
{
    d->onTimer(event->timerId());
}

QString ServerSocket::id() const
{
    return d->id;
}

const HandshakeRequest &ServerSocket::request() const
{
    return d->request;
}

TransportType ServerSocket::transport() const
{
    return d->transportType;
}

ServerSocket::State ServerSocket::state() const
{
    return d->state;
}

bool ServerSocket::isWritable() const
{
    return d->state == State::Open && d->currentTransport() && d->currentTransport()->isWritable();
}

qint64 ServerSocket::pendingOutputBytes() const
{
    return d->pendingOutputBytes();
}

void ServerSocket::send(const QByteArray &text)
{
    d->queue({Packet::message(text)});
}

void ServerSocket::sendBinary(const QByteArray &bytes)
{
    d->queue({Packet::binaryMessage(bytes)});
}

void ServerSocket::sendPackets(const QList<Packet> &packets)
{
    d->queue(packets);
}

void ServerSocket::sendShared(const SharedPackets &packets)
{
    // Nothing queued before them and a WebSocket to write to: the shared bytes, as they are.
    if (d->state == State::Open && d->writeBuffer.isEmpty() && d->transport && d->transport->isWritable()
        && d->transport->type() == TransportType::WebSocket) {
        if (d->closeIfSlowConsumer()) // as queue() does: checked before the new frames join
            return;
        static_cast<ServerWebSocketTransport *>(d->transport.data())->sendEncoded(packets.webSocketFrames());
        return;
    }
    d->queue(packets.packets());
}

void ServerSocket::close()
{
    d->closeWith(QStringLiteral("forced close"), false);
}

} // namespace Roomcast::EngineIO
