// Socket.IO v5 client: a Manager owns one Engine.IO connection and multiplexes the Sockets of
// every namespace over it; it reconnects with exponential back-off. A Socket is one namespace.
#pragma once

#include "engineio/client.h"
#include "socketio/ack.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>

namespace Roomcast::SocketIO {

class Socket;

struct ManagerOptions
{
    EngineIO::ClientOptions engine;

    //! Reconnection as socket.io-client does it: delay doubles from reconnectionDelay up to
    //! reconnectionDelayMax, each delay randomised by ±randomizationFactor.
    bool reconnection = true;
    int reconnectionAttempts = -1; //!< -1: unlimited
    int reconnectionDelayMs = 1000;
    int reconnectionDelayMaxMs = 5000;
    double randomizationFactor = 0.5;
    //! How long one attempt to open the Engine.IO connection may take.
    int timeoutMs = 20000;
    //! Packets a Socket keeps while it is not connected (sent in order once it is).
    int maxBufferedPackets = 1000;
};

class Manager : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Opening, Open };
    Q_ENUM(State)

    //! `url` is http(s)://host:port or ws(s)://host:port; its path, if any, is not a namespace
    //! here (pass namespaces to socket()).
    explicit Manager(const QUrl &url, const ManagerOptions &options = {}, QObject *parent = nullptr);
    ~Manager() override;

    //! The Socket of namespace `nsp`, created on first use and owned by the Manager.
    Socket *socket(const QString &nsp = QStringLiteral("/"));

    //! Opens the Engine.IO connection (Sockets call it when they connect).
    void open();
    //! While a reconnection is scheduled (reconnecting() was emitted), attempts it now instead of
    //! waiting out the delay. Nothing happens otherwise.
    void reconnectNow();
    //! Closes the connection for good: no reconnection until open() is called again.
    void close();

    State state() const;
    const ManagerOptions &options() const;
    QUrl url() const;
    //! The Engine.IO connection, while there is one.
    EngineIO::Client *engine() const;
    //! Whether a reconnection is scheduled or under way.
    bool isReconnecting() const;

Q_SIGNALS:
    void opened();
    //! The Engine.IO connection closed; `reason` as in Socket::disconnected().
    void closed(const QString &reason);
    //! Opening (or reopening) the connection failed.
    void errorOccurred(const QString &message);
    //! A reconnection attempt is scheduled in `delayMs`.
    void reconnecting(int attempt, int delayMs);
    //! Reconnection attempt `attempt` starts now.
    void reconnectAttempt(int attempt);
    //! Reconnected after `attempt` attempts.
    void reconnected(int attempt);
    //! Gave up after reconnectionAttempts attempts.
    void reconnectFailed();

private:
    friend class Socket;
    class Private;
    std::unique_ptr<Private> d;
};

class Socket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)

public:
    ~Socket() override;

    Manager *manager() const;
    QString nsp() const;
    //! The socket's id on the server, while connected (distinct from the Engine.IO sid).
    QString id() const;
    bool isConnected() const;
    //! Whether connect() was called and disconnect() was not: the socket reconnects.
    bool isActive() const;
    //! Whether the last connection restored the previous session (connection state recovery).
    bool isRecovered() const;

    //! The payload of the CONNECT packet (e.g. {"token": …}), sent on every (re)connection.
    void setAuth(const QVariantMap &auth);
    QVariantMap auth() const;
    //! Called before each CONNECT for a fresh payload (a refreshed token); overrides setAuth.
    void setAuthProvider(QObject *context, std::function<QVariantMap()> provider);

    //! Connects to the namespace, opening the Manager's connection if needed.
    void connectToNamespace();
    //! Leaves the namespace: sends DISCONNECT, no reconnection.
    void disconnectFromNamespace();

    //! Emits an event. While disconnected it is buffered and sent after connecting, unless the
    //! buffer is full (returns false). `args` may hold QByteArrays anywhere.
    bool emitEvent(const QString &event, const QVariantList &args = {});
    //! Emits an event and asks for an acknowledgement; `callback` runs once, on this thread,
    //! unless `context` is destroyed first. A negative timeout waits forever.
    void emitWithAck(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
    //! Emits an event only if it can be written now; otherwise drops it (returns false).
    bool emitVolatile(const QString &event, const QVariantList &args = {});

    //! Calls `handler` for each `event` while `context` lives. Several handlers may listen.
    void on(const QString &event, QObject *context, EventHandler handler);
    //! Calls `handler` for every event while `context` lives (after the named handlers).
    void onAny(QObject *context, AnyEventHandler handler);
    //! Removes every handler that `context` installed.
    void off(QObject *context);

Q_SIGNALS:
    void connected();
    //! The server refused the CONNECT (middleware error, unknown namespace) or the connection
    //! could not be opened. `data` is the error's `data` field, if any.
    void connectError(const QString &message, const QVariant &data);
    //! `reason` as socket.io-client names it: "io server disconnect", "io client disconnect",
    //! "ping timeout", "transport close", "transport error", "parse error".
    void disconnected(const QString &reason);
    void connectedChanged(bool connected);
    //! Every event, after its handlers ran.
    void eventReceived(const QString &event, const QVariantList &args);

private:
    friend class Manager;
    Socket(Manager *manager, const QString &nsp);
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::SocketIO
