// One Engine.IO session seen by the Socket.IO server: decodes its packets and routes them to
// the ServerSocket of each namespace it joined. Internal to the server.
#pragma once

#include "engineio/server.h"
#include "socketio/packet.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QBasicTimer>

#include <utility>

namespace Roomcast::SocketIO {

class Server;
class ServerSocket;

//! The frames of an encoded packet, ready for EngineIO::ServerSocket::sendPackets().
QList<EngineIO::Packet> toFrames(const EncodedPacket &encoded);

class Connection : public QObject
{
    Q_OBJECT

public:
    Connection(Server *server, EngineIO::ServerSocket *conn);

    EngineIO::ServerSocket *conn() const { return m_conn; }
    Server *server() const { return m_server; }
    bool isOpen() const { return !m_closed; }

    void send(const Packet &packet);
    void sendFrames(const QList<EngineIO::Packet> &frames);
    //! A broadcast's frames, encoded once for all its recipients.
    void sendShared(const EngineIO::SharedPackets &frames);
    //! A socket joined namespace `nsp` on this connection / left it.
    void attach(const QString &nsp, ServerSocket *socket);
    void detach(const QString &nsp, ServerSocket *socket);
    //! A CONNECT to `nsp` is done with its middlewares (joined or refused).
    void connectFinished(const QString &nsp);
    //! Closes the connection; every socket on it gets `reason`.
    void close(const QString &reason);
    //! Disconnects every socket from its namespace (each is sent DISCONNECT), then closes.
    void disconnectAll();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onData(Decoder::Status status);
    void onPacket(Packet &&packet);
    void connectToNamespace(const QString &nsp, const QVariantMap &auth);
    void onClosed(const QString &reason);

    //! The socket of namespace `nsp`, if it joined.
    ServerSocket *socketOf(const QString &nsp) const;

    Server *m_server;
    QPointer<EngineIO::ServerSocket> m_conn;
    Decoder m_decoder;
    // A connection joins one namespace or a few: lists, not hashes, which cost a 1–2 KiB
    // table for a single entry (Qt 6.4) and keep it after the entry is removed.
    QList<std::pair<QString, QPointer<ServerSocket>>> m_sockets; // by namespace, once connected
    QStringList m_connecting; // namespaces whose middlewares still run
    QBasicTimer m_connectTimer; //!< not a QTimer: no QObject and connection per connection
    bool m_closed = false;
};

} // namespace Roomcast::SocketIO
