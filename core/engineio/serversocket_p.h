// The state of one server session: its transport (and the one it may upgrade to), the write
// buffer, the heartbeat. Private to core/engineio.
#pragma once

#include "engineio/server.h"
#include "engineio/servertransport_p.h"

#include <QBasicTimer>
#include <QPointer>

namespace Roomcast::EngineIO {

class ServerWebSocketTransport;

// A plain class behind ServerSocket; the Server drives it too (open, upgrade, close).
class ServerSocket::Private : public ServerTransport::Listener
{
public:
    Private(ServerSocket *q, const QString &id, const HandshakeRequest &request, const ServerOptions &options);
    ~Private();

    //! Starts the session on its first transport: queues the open packet and the heartbeat.
    void open(ServerTransport *transport);
    //! The current transport, to route a polling request to it.
    ServerTransport *currentTransport() const { return transport; }
    bool isUpgradingOrUpgraded() const { return upgrading || upgraded; }
    //! Tries `websocket` as the session's new transport (probe, noop, upgrade).
    void maybeUpgrade(ServerWebSocketTransport *websocket);
    //! Closes the session; with `discard`, without waiting for the client's next GET.
    void closeWith(const QString &reason, bool discard);
    //! Ends the session at once, its output dropped and its connection reset.
    void abortWith(const QString &reason);
    qint64 pendingOutputBytes() const;
    //! Over maxPendingOutputBytes: the session is aborted ("slow consumer") and true returned.
    bool closeIfSlowConsumer();

    ServerSocket *const q;
    //! The server's sessions by id, which this one leaves when it closes (the server's, which
    //! outlives its sessions).
    QHash<QString, ServerSocket *> *registry = nullptr;
    const QString id;
    const HandshakeRequest request;
    const ServerOptions &options;

    // ServerTransport::Listener: from the current transport, or from the one being tried as
    // its upgrade.
    void transportPacket(ServerTransport *from, const Packet &packet) override;
    void transportReady(ServerTransport *from) override;
    void transportFailed(ServerTransport *from, const QString &reason, const QString &description) override;
    void transportClosed(ServerTransport *from) override;

    void setTransport(ServerTransport *next);
    void clearTransport();
    void onPacket(const Packet &packet);
    void onReady();
    void sendPacket(PacketType type, const QByteArray &data = {});
    void queue(const QList<Packet> &packets);
    void flush();
    void schedulePing();
    void closeTransport();
    void onClose(const QString &reason);
    void onUpgradePacket(const Packet &packet);
    void sendNoopForUpgrade();
    void cleanupUpgrade();
    void abortUpgrade(const QString &why);
    QByteArray openPacketData() const;

    State state = State::Open;
    QPointer<ServerTransport> transport;
    //! The type of the current (or last) transport.
    TransportType transportType = TransportType::Polling;
    QPointer<ServerWebSocketTransport> upgradeTransport;
    bool upgrading = false;
    bool probed = false;
    bool upgraded = false;
    QList<Packet> writeBuffer;
    //! The size of what writeBuffer holds, as it would go out (packet type and data).
    qint64 writeBufferBytes = 0;
    //! close() waits for the write buffer to be handed to the transport.
    bool closeAfterFlush = false;
    //! The reason reported when the transport we are closing confirms.
    QString closingReason;
    //! Single-shot, each: stopped when it fires (ServerSocket::timerEvent()).
    QBasicTimer pingIntervalTimer;
    QBasicTimer pingTimeoutTimer;
    QBasicTimer upgradeTimeoutTimer;
    void onTimer(int timerId);
    void startTimer(QBasicTimer &timer, int ms, Qt::TimerType type = Qt::CoarseTimer) { timer.start(ms, type, q); }
    // Clients (and the protocol test suite) time the heartbeat to the millisecond: a coarse
    // timer firing 5 % late would answer a request the reference server refuses.
    void startPingInterval() { startTimer(pingIntervalTimer, options.pingInterval, Qt::PreciseTimer); }
    void startPingTimeout() { startTimer(pingTimeoutTimer, options.pingTimeout, Qt::PreciseTimer); }
};

} // namespace Roomcast::EngineIO
