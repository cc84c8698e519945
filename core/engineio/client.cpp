// engineio::Client: the session state machine over the transports. It follows engine.io-client
// (lib/socket.ts): the handshake is the first packet, pings are answered with pongs and reset a
// timer of pingInterval + pingTimeout, writes are queued and flushed whenever the transport can
// take them, and a polling session probes a WebSocket with the sid and moves to it once polling
// has paused.
#include "engineio/client.h"

#include "engineio/logging.h"
#include "pollingtransport.h"
#include "websockettransport.h"
#include "writebuffer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <limits>

namespace Roomcast::EngineIO {

namespace {

const QString ForcedClose = QStringLiteral("forced close");
const QString TransportClose = QStringLiteral("transport close");
const QString TransportErrorReason = QStringLiteral("transport error");
const QString ParseErrorReason = QStringLiteral("parse error");
const QString PingTimeoutReason = QStringLiteral("ping timeout");

} // namespace

std::optional<Handshake> parseHandshake(QByteArrayView data)
{
    const QJsonDocument document = QJsonDocument::fromJson(data.toByteArray());
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    constexpr double maxInt = std::numeric_limits<int>::max();

    Handshake handshake;
    handshake.sid = object.value(QLatin1String("sid")).toString();
    const QJsonValue pingInterval = object.value(QLatin1String("pingInterval"));
    const QJsonValue pingTimeout = object.value(QLatin1String("pingTimeout"));
    if (handshake.sid.isEmpty() || !pingInterval.isDouble() || !pingTimeout.isDouble())
        return std::nullopt;
    if (pingInterval.toDouble() <= 0 || pingInterval.toDouble() > maxInt || pingTimeout.toDouble() < 0
        || pingTimeout.toDouble() > maxInt)
        return std::nullopt;
    handshake.pingInterval = int(pingInterval.toDouble());
    handshake.pingTimeout = int(pingTimeout.toDouble());

    const QJsonValue upgrades = object.value(QLatin1String("upgrades"));
    if (!upgrades.isUndefined() && !upgrades.isArray())
        return std::nullopt;
    for (const QJsonValue &upgrade : upgrades.toArray()) {
        if (!upgrade.isString())
            return std::nullopt;
        handshake.upgrades.append(upgrade.toString());
    }

    // Servers before engine.io 6.1 do not send maxPayload; their maxHttpBufferSize defaulted to
    // 1e6 as well, so the default stays.
    const QJsonValue maxPayload = object.value(QLatin1String("maxPayload"));
    if (!maxPayload.isUndefined()) {
        if (!maxPayload.isDouble() || maxPayload.toDouble() <= 0)
            return std::nullopt;
        handshake.maxPayload = qint64(qMin(maxPayload.toDouble(), 1e15));
    }
    return handshake;
}

class Client::Private
{
public:
    Private(Client *q, const QUrl &url, const ClientOptions &options)
        : q(q)
        , url(url)
        , options(options)
        , transportType(options.transports.value(0, TransportType::Polling))
        , pingTimer(new QTimer(q))
    {
        pingTimer->setSingleShot(true);
    }

    Transport *createTransport(TransportType type);
    void failLater(Error error, const QString &message);

    void onPackets(const QList<Packet> &packets);
    void onPacket(const Packet &packet);
    void onHandshake(const QByteArray &data);
    void onDrained();
    void onTransportFailed(Error error, const QString &message);
    void onTransportClosed();
    void resetPingTimer();

    void maybeProbe();
    void onProbeOpened();
    void onProbePackets(const QList<Packet> &packets);
    void onProbeFailed(const QString &why);
    void onPaused();
    void dropProbe();

    void enqueue(QList<Packet> group);
    void flush();
    void sendClose();

    void fail(Error error, const QString &message, const QString &reason);
    void finish(const QString &reason);
    void teardown();

    Client *const q;
    const QUrl url;
    const ClientOptions options;
    Endpoint endpoint;
    State state = State::Closed;
    Error error = Error::NoError;
    QString errorString;
    Handshake handshake;
    TransportType transportType;
    Transport *transport = nullptr;
    //! The WebSocket being probed while the session runs over polling.
    Transport *probe = nullptr;
    //! The probe answered: polling is pausing, and writes wait for the switch.
    bool upgrading = false;
    //! close() was called: the close packet follows the write buffer ...
    bool closeQueued = false;
    //! ... and it has gone to the transport.
    bool closeSent = false;
    //! Counts open() calls, so that a failure scheduled for one attempt cannot end the next.
    quint64 attempt = 0;
    WriteBuffer writeBuffer;
    QTimer *pingTimer;
};

// ---------------------------------------------------------------------------------------------
// Transports

Transport *Client::Private::createTransport(TransportType type)
{
    Transport *t = nullptr;
    if (type == TransportType::Polling)
        t = new PollingTransport(endpoint, q);
    else
        t = new WebSocketTransport(endpoint, q);

    // Each transport reports to the role it has now: the session's, the probe's, or none (an
    // old transport on its way out is aborted, so it says nothing more).
    QObject::connect(t, &Transport::opened, q, [this, t] {
        if (t == probe)
            onProbeOpened();
    });
    QObject::connect(t, &Transport::packetsReceived, q, [this, t](const QList<Packet> &packets) {
        if (t == transport)
            onPackets(packets);
        else if (t == probe)
            onProbePackets(packets);
    });
    QObject::connect(t, &Transport::drained, q, [this, t] {
        if (t == transport)
            onDrained();
    });
    QObject::connect(t, &Transport::paused, q, [this, t] {
        if (t == transport)
            onPaused();
    });
    QObject::connect(t, &Transport::failed, q, [this, t](Error error, const QString &message) {
        if (t == transport)
            onTransportFailed(error, message);
        else if (t == probe)
            onProbeFailed(message);
    });
    QObject::connect(t, &Transport::closed, q, [this, t] {
        if (t == transport)
            onTransportClosed();
        else if (t == probe)
            onProbeFailed(QStringLiteral("the probe connection closed"));
    });
    return t;
}

void Client::Private::failLater(Error error, const QString &message)
{
    QTimer::singleShot(0, q, [this, error, message, current = attempt] {
        if (attempt == current)
            fail(error, message, TransportErrorReason);
    });
}

// ---------------------------------------------------------------------------------------------
// Receiving

void Client::Private::onPackets(const QList<Packet> &packets)
{
    Transport *const from = transport;
    for (const Packet &packet : packets) {
        // A slot connected to one of our signals may have closed the session.
        if (state == State::Closed || transport != from)
            return;
        onPacket(packet);
    }
}

void Client::Private::onPacket(const Packet &packet)
{
    if (state == State::Opening) {
        if (packet.type != PacketType::Open) {
            fail(Error::HandshakeError, Client::tr("The server did not begin the session with a handshake."),
                 ParseErrorReason);
            return;
        }
        onHandshake(packet.data);
        return;
    }

    switch (packet.type) {
    case PacketType::Open:
        qCWarning(lcEngineIO) << "ignoring a second open packet";
        break;
    case PacketType::Close:
        qCDebug(lcEngineIO) << "the server closed the session";
        finish(state == State::Closing ? ForcedClose : TransportClose);
        break;
    case PacketType::Ping:
        resetPingTimer();
        if (state == State::Open)
            enqueue({Packet::of(PacketType::Pong, packet.data)});
        break;
    case PacketType::Message:
        if (packet.binary)
            Q_EMIT q->binaryMessageReceived(packet.data);
        else
            Q_EMIT q->messageReceived(packet.data);
        break;
    case PacketType::Pong:
    case PacketType::Upgrade:
    case PacketType::Noop:
        break;
    }
}

void Client::Private::onHandshake(const QByteArray &data)
{
    const auto parsed = parseHandshake(data);
    if (!parsed) {
        fail(Error::HandshakeError, Client::tr("The server sent an invalid handshake: %1").arg(QString::fromUtf8(data.left(200))),
             ParseErrorReason);
        return;
    }
    handshake = *parsed;
    transport->setSid(handshake.sid);
    transport->setIncomingLimit(incomingMessageLimit(handshake.maxPayload));
    state = State::Open;
    qCDebug(lcEngineIO).nospace() << "open over " << transportName(transport->type()) << " (pingInterval "
                                  << handshake.pingInterval << ", pingTimeout " << handshake.pingTimeout
                                  << ", maxPayload " << handshake.maxPayload << ", upgrades " << handshake.upgrades
                                  << ")";
    resetPingTimer();
    Q_EMIT q->opened();
    if (state != State::Open)
        return;
    flush();
    maybeProbe();
}

void Client::Private::resetPingTimer()
{
    const qint64 delay = qint64(handshake.pingInterval) + handshake.pingTimeout;
    pingTimer->start(int(qMin<qint64>(delay, std::numeric_limits<int>::max())));
}

void Client::Private::onDrained()
{
    if (closeSent) {
        finish(ForcedClose);
        return;
    }
    flush();
}

void Client::Private::onTransportFailed(Error error, const QString &message)
{
    if (state == State::Closing) {
        qCDebug(lcEngineIO) << "the transport failed while closing:" << message;
        finish(ForcedClose);
        return;
    }
    if (state == State::Opening && error == Error::ParseError)
        error = Error::HandshakeError;
    const bool garbled = error == Error::ParseError || error == Error::HandshakeError;
    fail(error, message, garbled ? ParseErrorReason : TransportErrorReason);
}

void Client::Private::onTransportClosed()
{
    if (state == State::Opening) {
        fail(Error::ConnectionError, Client::tr("The server closed the connection during the handshake."),
             TransportErrorReason);
        return;
    }
    finish(state == State::Closing ? ForcedClose : TransportClose);
}

// ---------------------------------------------------------------------------------------------
// Upgrade: probe a WebSocket with the sid (2probe/3probe), pause polling, switch, send 5.

void Client::Private::maybeProbe()
{
    if (!options.upgrade || transport->type() != TransportType::Polling || probe)
        return;
    if (!options.transports.contains(TransportType::WebSocket)
        || !handshake.upgrades.contains(transportName(TransportType::WebSocket)))
        return;
    probe = createTransport(TransportType::WebSocket);
    probe->setSid(handshake.sid);
    probe->setIncomingLimit(incomingMessageLimit(handshake.maxPayload));
    probe->open();
}

void Client::Private::onProbeOpened()
{
    probe->write({Packet::of(PacketType::Ping, QByteArrayLiteral("probe"))});
}

void Client::Private::onProbePackets(const QList<Packet> &packets)
{
    if (upgrading) {
        qCWarning(lcEngineIO) << "ignoring a packet on the WebSocket before the upgrade completed";
        return;
    }
    const Packet &first = packets.first();
    if (first.type != PacketType::Pong || first.data != "probe") {
        onProbeFailed(QStringLiteral("unexpected answer to the probe"));
        return;
    }
    qCDebug(lcEngineIO) << "probe answered; pausing polling";
    upgrading = true;
    transport->pause();
}

void Client::Private::onProbeFailed(const QString &why)
{
    qCDebug(lcEngineIO) << "staying on polling: upgrade probe failed:" << why;
    const bool wasUpgrading = upgrading;
    upgrading = false;
    dropProbe();
    if (wasUpgrading && transport) {
        transport->resume();
        flush();
    }
}

void Client::Private::onPaused()
{
    if (!upgrading || !probe)
        return; // paused to close
    Q_ASSERT(!writeBuffer.hasPartialGroup());
    Transport *old = std::exchange(transport, std::exchange(probe, nullptr));
    old->abort();
    old->deleteLater();
    transportType = transport->type();
    upgrading = false;
    transport->write({Packet::of(PacketType::Upgrade)});
    qCDebug(lcEngineIO) << "upgraded to websocket";
    Q_EMIT q->upgraded();
    flush();
}

void Client::Private::dropProbe()
{
    if (!probe)
        return;
    Transport *old = std::exchange(probe, nullptr);
    old->abort();
    old->deleteLater();
}

// ---------------------------------------------------------------------------------------------
// Sending

void Client::Private::enqueue(QList<Packet> group)
{
    writeBuffer.append(std::move(group));
    flush();
}

void Client::Private::flush()
{
    if ((state != State::Open && state != State::Closing) || !transport || closeSent || !transport->isWritable())
        return;
    if (writeBuffer.isEmpty()) {
        if (closeQueued && !upgrading)
            sendClose();
        return;
    }
    // While polling pauses for the upgrade, only the rest of a group already begun may go: a
    // group never straddles the two transports.
    if (upgrading && !writeBuffer.hasPartialGroup())
        return;
    const QList<Packet> packets = transport->type() == TransportType::Polling
        ? writeBuffer.takeBatch(handshake.maxPayload, upgrading)
        : writeBuffer.takeAll();
    if (packets.isEmpty())
        return;
    transport->write(packets);
    // A WebSocket is writable again at once; polling comes back here on drained().
    if (writeBuffer.isEmpty() && closeQueued && !upgrading && transport->isWritable())
        sendClose();
}

void Client::Private::sendClose()
{
    // The close packet goes alone, once all before it has been delivered (as engine.io-client
    // does): socket.io handles a namespace's packets on the next tick but the engine's close at
    // once, so in one payload the close would overtake the DISCONNECTs before it.
    closeSent = true;
    transport->write({Packet::of(PacketType::Close)});
    if (transport->type() == TransportType::WebSocket)
        transport->closeGracefully(); // closed() follows
    else
        transport->pause(); // no more polls; drained() ends the session
}

// ---------------------------------------------------------------------------------------------
// Ending

void Client::Private::teardown()
{
    pingTimer->stop();
    dropProbe();
    if (transport) {
        Transport *old = std::exchange(transport, nullptr);
        old->abort();
        old->deleteLater();
    }
    writeBuffer.clear();
    upgrading = false;
    closeQueued = false;
    closeSent = false;
    state = State::Closed;
}

void Client::Private::fail(Error e, const QString &message, const QString &reason)
{
    if (state == State::Closed)
        return;
    teardown();
    error = e;
    errorString = message;
    qCDebug(lcEngineIO) << "session failed:" << e << message;
    Q_EMIT q->errorOccurred(e, message);
    Q_EMIT q->closed(reason);
}

void Client::Private::finish(const QString &reason)
{
    if (state == State::Closed)
        return;
    teardown();
    qCDebug(lcEngineIO) << "session closed:" << reason;
    Q_EMIT q->closed(reason);
}

// ---------------------------------------------------------------------------------------------
// Client

Client::Client(const QUrl &url, const ClientOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, url, options))
{
    connect(d->pingTimer, &QTimer::timeout, this, [this] {
        d->fail(Error::PingTimeout,
                tr("The server sent no ping for %1 ms.").arg(d->handshake.pingInterval + d->handshake.pingTimeout),
                PingTimeoutReason);
    });
}

Client::~Client()
{
    // Transports are our children; abort them before QObject deletes them, so that none reports.
    d->pingTimer->stop();
    if (d->probe)
        d->probe->abort();
    if (d->transport)
        d->transport->abort();
}

void Client::open()
{
    if (d->state != State::Closed)
        return;
    ++d->attempt;
    d->error = Error::NoError;
    d->errorString.clear();
    d->handshake = {};
    d->state = State::Opening;

    if (d->options.transports.isEmpty()) {
        d->failLater(Error::ConnectionError, tr("No transport is enabled."));
        return;
    }
    if (!Endpoint::fromUrl(d->url, d->options, &d->endpoint)) {
        d->failLater(Error::ConnectionError,
                     tr("Cannot connect to \"%1\": the URL must be http, https, ws or wss with a host.")
                         .arg(d->url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)));
        return;
    }
    d->transportType = d->options.transports.first();
    d->transport = d->createTransport(d->transportType);
    d->transport->open();
}

void Client::close()
{
    switch (d->state) {
    case State::Closed:
    case State::Closing:
        return;
    case State::Opening:
        d->finish(ForcedClose);
        return;
    case State::Open:
        break;
    }
    d->state = State::Closing;
    // A probe not yet answered is abandoned; an upgrade under way completes first, and the close
    // packet follows on the WebSocket (as engine.io-client waits for "upgrade").
    if (!d->upgrading)
        d->dropProbe();
    d->closeQueued = true;
    d->flush();
}

void Client::send(const QByteArray &text)
{
    sendPackets({Packet::message(text)});
}

void Client::sendBinary(const QByteArray &bytes)
{
    sendPackets({Packet::binaryMessage(bytes)});
}

void Client::sendPackets(const QList<Packet> &packets)
{
    if (d->state != State::Opening && d->state != State::Open) {
        qCDebug(lcEngineIO) << "dropping" << packets.size() << "packet(s): the session is" << d->state;
        return;
    }
    d->enqueue(packets);
}

Client::State Client::state() const
{
    return d->state;
}

bool Client::isWritable() const
{
    return d->state == State::Open && !d->upgrading && d->transport && d->transport->isWritable();
}

TransportType Client::transport() const
{
    return d->transportType;
}

Handshake Client::handshake() const
{
    return d->handshake;
}

Client::Error Client::error() const
{
    return d->error;
}

QString Client::errorString() const
{
    return d->errorString;
}

} // namespace Roomcast::EngineIO
