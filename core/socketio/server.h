// Socket.IO v5 server: Server → Namespace → ServerSocket, on the Engine.IO server. Rooms live
// in each Namespace's Adapter; broadcasts are encoded once and the same bytes go to every
// recipient.
#pragma once

#include "engineio/server.h"
#include "socketio/ack.h"
#include "socketio/adapter.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Roomcast::SocketIO {

class Connection;
class Namespace;
class Server;
class ServerSocket;

struct ServerOptions
{
    ServerOptions() { engine.path = QStringLiteral("/socket.io/"); }

    EngineIO::ServerOptions engine;
    //! A connection that joins no namespace within this time (ms) is closed.
    int connectTimeoutMs = 45000;
    //! Binary attachments accepted in one packet.
    int maxAttachments = DefaultMaxAttachments;

    //! Connection state recovery: a socket that reconnects within maxDisconnectionDuration gets
    //! its id, rooms and data back and the broadcasts it missed.
    struct Recovery
    {
        bool enabled = false;
        qint64 maxDisconnectionDurationMs = 2 * 60 * 1000;
        //! Whether a recovered socket skips the middlewares (it passed them before).
        bool skipMiddlewares = true;
        //! Broadcasts kept per namespace for replay, at most (the oldest go first).
        qsizetype maxStoredPackets = 10000;
    } connectionStateRecovery;
};

//! What a middleware refuses a connection with: CONNECT_ERROR {"message", "data"}.
struct ConnectError
{
    QString message;
    QVariant data;
};

//! Calls the next middleware, or refuses the connection when given an error. Call it once.
using Next = std::function<void(const std::optional<ConnectError> &error)>;
using Middleware = std::function<void(ServerSocket *socket, const Next &next)>;

//! The answers to a broadcast with an acknowledgement: one entry per recipient that answered.
struct BroadcastAckResult
{
    bool timedOut = false;
    QHash<SocketId, QVariantList> responses;
};
using BroadcastAckCallback = std::function<void(const BroadcastAckResult &result)>;

//! Who an emit reaches and how: `to`/`in` rooms, `except` rooms, volatile, a timeout for acks.
//! A value type: every call returns a new operator, as in socket.io.
class BroadcastOperator
{
public:
    BroadcastOperator to(const Room &room) const;
    BroadcastOperator to(const QSet<Room> &rooms) const;
    BroadcastOperator in(const Room &room) const { return to(room); }
    BroadcastOperator except(const Room &room) const;
    BroadcastOperator except(const QSet<Room> &rooms) const;
    //! Skips recipients that cannot be written to right now.
    BroadcastOperator asVolatile() const;
    BroadcastOperator timeout(std::chrono::milliseconds timeout) const;

    //! Sends the event to every recipient; encoded once.
    void emitEvent(const QString &event, const QVariantList &args = {}) const;
    //! Sends the event and collects every recipient's acknowledgement; `callback` runs once all
    //! answered or the timeout (see timeout(); 5000 ms if unset) passed, whichever is first.
    void emitWithAck(const QString &event, const QVariantList &args, QObject *context,
                     BroadcastAckCallback callback) const;

    //! The recipients, as sockets.
    QList<ServerSocket *> sockets() const;
    //! Makes every recipient join / leave `room`.
    void socketsJoin(const Room &room) const;
    void socketsLeave(const Room &room) const;
    //! Disconnects every recipient; with `close`, their whole connections.
    void disconnectSockets(bool close = false) const;

private:
    friend class Namespace;
    friend class ServerSocket;
    explicit BroadcastOperator(Namespace *nsp) : m_nsp(nsp) {}

    QPointer<Namespace> m_nsp;
    BroadcastTarget m_target;
    bool m_volatile = false;
    std::optional<std::chrono::milliseconds> m_timeout;
};

class ServerSocket : public QObject
{
    Q_OBJECT

public:
    ~ServerSocket() override;

    //! The socket's id: its private room's name, distinct from the Engine.IO session id.
    QString id() const;
    Namespace *nsp() const;
    Server *server() const;
    //! The Engine.IO session under it.
    EngineIO::ServerSocket *conn() const;
    //! The HTTP request that opened the connection.
    const EngineIO::HandshakeRequest &request() const;
    //! The CONNECT payload (`auth` in socket.io).
    QVariantMap auth() const;
    bool isConnected() const;
    //! Whether this socket was restored by connection state recovery.
    bool isRecovered() const;

    //! Free data for the application (socket.data in socket.io); restored with the session.
    QVariant data() const;
    void setData(const QVariant &data);

    QSet<Room> rooms() const;
    void join(const Room &room);
    void join(const QSet<Room> &rooms);
    void leave(const Room &room);

    //! Sends to this socket alone.
    void emitEvent(const QString &event, const QVariantList &args = {});
    void emitWithAck(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
    bool emitVolatile(const QString &event, const QVariantList &args = {});

    //! Broadcasts from this socket: to rooms, never back to itself.
    BroadcastOperator to(const Room &room) const;
    BroadcastOperator to(const QSet<Room> &rooms) const;
    BroadcastOperator except(const Room &room) const;
    //! Every other socket of the namespace.
    BroadcastOperator broadcast() const;

    void on(const QString &event, QObject *context, EventHandler handler);
    void onAny(QObject *context, AnyEventHandler handler);
    void off(QObject *context);

    //! Leaves the namespace ("server namespace disconnect"); with `closeConnection`, closes the
    //! whole connection ("forced server close") and so every namespace on it.
    void disconnectFromNamespace(bool closeConnection = false);

Q_SIGNALS:
    void eventReceived(const QString &event, const QVariantList &args);
    //! About to leave: rooms() still holds the socket's rooms.
    void disconnecting(const QString &reason);
    //! Gone; the socket is deleted later. `reason` as socket.io names it.
    void disconnected(const QString &reason);

private:
    friend class Namespace;
    friend class Server;
    friend class BroadcastOperator;
    friend class Connection;
    class Private;
    ServerSocket(Namespace *nsp, const QString &id, Connection *connection, const QVariantMap &auth);
    std::unique_ptr<Private> d;
};

class Namespace : public QObject
{
    Q_OBJECT

public:
    ~Namespace() override;

    QString name() const;
    Server *server() const;
    Adapter &adapter();

    //! Runs at CONNECT, in order, after the server's middlewares.
    void use(Middleware middleware);

    QList<ServerSocket *> sockets() const;
    ServerSocket *socket(const QString &id) const;

    BroadcastOperator to(const Room &room) const;
    BroadcastOperator to(const QSet<Room> &rooms) const;
    BroadcastOperator except(const Room &room) const;
    //! Every socket of the namespace.
    BroadcastOperator all() const;
    void emitEvent(const QString &event, const QVariantList &args = {}) const { all().emitEvent(event, args); }
    void disconnectSockets(bool close = false) const { all().disconnectSockets(close); }

Q_SIGNALS:
    //! A socket joined the namespace (after every middleware let it in).
    void connection(Roomcast::SocketIO::ServerSocket *socket);

private:
    friend class Server;
    friend class ServerSocket;
    friend class BroadcastOperator;
    friend class Connection;
    class Private;
    Namespace(Server *server, const QString &name);
    std::unique_ptr<Private> d;
};

class Server : public QObject
{
    Q_OBJECT

public:
    explicit Server(const ServerOptions &options = {}, QObject *parent = nullptr);
    ~Server() override;

    const ServerOptions &options() const;
    EngineIO::Server *engine() const;

    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    quint16 serverPort() const;
    QUrl serverUrl() const;
    QString errorString() const;
    //! Disconnects every socket ("server shutting down") and stops listening.
    void close();

    //! The namespace `name`, created on first use. "/" always exists.
    Namespace *of(const QString &name);
    bool hasNamespace(const QString &name) const;
    //! Runs at CONNECT for every namespace, before the namespace's own middlewares.
    void use(Middleware middleware);

    //! Shorthands for the main namespace.
    Namespace *sockets() { return of(QStringLiteral("/")); }
    BroadcastOperator to(const Room &room) { return sockets()->to(room); }
    void emitEvent(const QString &event, const QVariantList &args = {}) { sockets()->emitEvent(event, args); }

Q_SIGNALS:
    //! A connection was closed for breaking the protocol (`message` says how).
    void protocolError(const QString &message);

private:
    friend class Namespace;
    friend class ServerSocket;
    friend class Connection;
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::SocketIO
