// The state of one server session: its transport (and the one it may upgrade to), the write
// buffer, the heartbeat. Private to core/engineio.
#pragma once

#include "engineio/server.h"

#include <QPointer>
#include <QTimer>

namespace Roomcast::EngineIO {

class ServerTransport;
class ServerWebSocketTransport;

// A plain class behind ServerSocket; the Server drives it too (open, upgrade, close).
class ServerSocket::Private
{
public:
    Private(ServerSocket *q, const QString &id, const HandshakeRequest &request, const ServerOptions &options);

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
    const QString id;
    const HandshakeRequest request;
    const ServerOptions &options;

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
    QTimer pingIntervalTimer;
    QTimer pingTimeoutTimer;
    QTimer upgradeTimeoutTimer;
};

} // namespace Roomcast::EngineIO
