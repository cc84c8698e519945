// Engine.IO v4 server: one listening port serving HTTP long-polling and WebSocket (a fresh
// WebSocket session or the upgrade of a polling one), the server-driven heartbeat, and the
// reference server's limits and error answers.
#pragma once

#include "engineio/client.h" // TransportType, transportName()
#include "engineio/packet.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace Roomcast::EngineIO {

//! The HTTP request that opened a session (also what ServerOptions::allowRequest judges).
//! A session keeps it for its lifetime, so it holds the target and the headers as compact
//! bytes; the URL, the query and the header list are made from them on each call.
struct HandshakeRequest
{
    QByteArray method;
    //! The request target as sent: path and query, e.g. `/engine.io/?EIO=4&transport=polling`.
    QByteArray target;
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    //! Whether the request came over TLS.
    bool secure = false;
    //! When the request was received.
    QDateTime time;

    //! `target` as a URL.
    QUrl url() const;
    //! The query of `target`. Values are percent-encoded as sent: read them with
    //! `queryItemValue(key, QUrl::FullyDecoded)`.
    QUrlQuery query() const;
    //! Every header as received, in order; names are lower-cased (as Node's `req.headers`).
    QList<QPair<QByteArray, QByteArray>> headers() const;
    void setHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);
    //! The value of a header (name matched case-insensitively); several headers of the same
    //! name are joined with ", " as Node does. Empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;

private:
    //! `name '\n' value '\n'` for each header, in order: one allocation instead of two per
    //! header and a list (neither a name nor a value holds a line feed once parsed).
    QByteArray headerLines;
};

struct ServerOptions
{
    //! The request path; Socket.IO uses /socket.io/. A trailing '/' is added if missing.
    QString path = QStringLiteral("/engine.io/");
    //! The transports a client may use. With both, a polling session is offered the upgrade.
    QList<TransportType> transports{TransportType::Polling, TransportType::WebSocket};
    bool allowUpgrades = true;

    //! Heartbeat (ms): the server pings every pingInterval and closes the session when the pong
    //! has not come within pingTimeout.
    int pingInterval = 25000;
    int pingTimeout = 20000;
    //! How long (ms) a WebSocket may take to complete the upgrade of a polling session.
    int upgradeTimeout = 10000;
    //! The largest message accepted (bytes): a POST body, a WebSocket frame or message. It is
    //! announced to clients as maxPayload. Larger POSTs are answered 413; larger WebSocket
    //! messages close the WebSocket.
    qint64 maxHttpBufferSize = 1000000;
    //! Slow consumers: a session whose output is waiting beyond this many bytes when another
    //! packet is queued — packets not yet handed to a transport, plus what a WebSocket's TCP
    //! connection has yet to write — is closed with the reason "slow consumer", its output
    //! dropped and its connection reset. A client that stops reading cannot grow the server's
    //! memory beyond this bound plus one packet group. 0: no bound.
    qint64 maxPendingOutputBytes = 8 * 1024 * 1024;

    //! The HTTP front. A request head larger than maxHeaderBytes or with more than
    //! maxHeaderCount header lines is answered 431 and its connection closed.
    int maxHeaderBytes = 16 * 1024;
    int maxHeaderCount = 64;
    //! A request (head and body) must arrive within this time (ms), or it is answered 408 and
    //! its connection closed; a new connection must also send its first request (or finish its
    //! TLS handshake) within it.
    int requestTimeoutMs = 10000;
    //! An idle keep-alive connection between two requests is closed after this time (ms).
    int keepAliveTimeoutMs = 5000;
    //! At most this many connections may be open without having sent a complete request yet.
    //! A burst beyond it (every client of a restarted server reconnecting at once) waits in the
    //! listen backlog while the first are read; if the cap stays full for a second (or half
    //! requestTimeoutMs, if shorter), further connections are refused (503) until some
    //! complete or time out.
    int maxPendingConnections = 128;

    //! If not empty, a request whose Origin header is present and not in this list is refused
    //! with 403 {"code":4,"message":"Forbidden"}. Requests without an Origin are not affected.
    QStringList allowedOrigins;
    //! CORS: empty means no CORS headers; {"*"} answers `Access-Control-Allow-Origin: *`;
    //! otherwise the request's Origin is echoed when it is in the list. OPTIONS preflights for
    //! the path are answered 204 when CORS is on.
    QStringList corsOrigins;
    //! Adds `Access-Control-Allow-Credentials: true` (the Origin is then echoed, never `*`).
    bool corsCredentials = false;
    //! TCP_NODELAY on every accepted connection, as Node's http server (`noDelay`, on by
    //! default): a frame is sent at once instead of waiting for the peer's ACK of the previous
    //! one. Off, the kernel holds a small write while an earlier one is unacknowledged (Nagle).
    bool noDelay = true;
    //! Called for every handshake (a request without sid) that passed the protocol checks.
    //! Return false to refuse it with 403 {"code":4,"message":…}; `message` is "Forbidden"
    //! unless the hook sets it.
    std::function<bool(const HandshakeRequest &request, QString *message)> allowRequest;

    //! TLS: when a certificate chain (the server's own first) and its key are set, the server
    //! speaks only https/wss.
    QList<QSslCertificate> tlsCertificateChain;
    QSslKey tlsPrivateKey;
    bool isTls() const { return !tlsCertificateChain.isEmpty(); }
    //! Loads the chain and an unencrypted RSA or EC key from PEM files. Returns false, with a
    //! translated message in `errorString`, if either cannot be read.
    bool loadTls(const QString &certificatePath, const QString &keyPath, QString *errorString = nullptr);
};

class Server;

//! Packets encoded once for many sessions (a broadcast): every WebSocket session writes the
//! same frame bytes, built at the first use and shared after; a polling session queues the
//! packets. Copies share everything.
class SharedPackets
{
public:
    SharedPackets() = default;
    explicit SharedPackets(QList<Packet> packets);

    const QList<Packet> &packets() const { return m_packets; }
    //! The WebSocket frames of the packets, back to back.
    const QByteArray &webSocketFrames() const;

private:
    QList<Packet> m_packets;
    mutable QByteArray m_frames;
};

//! One Engine.IO session on the server. Owned by its Server; deleted (deleteLater) after
//! closed().
class ServerSocket : public QObject
{
    Q_OBJECT

public:
    enum class State { Open, Closing, Closed };
    Q_ENUM(State)

    ~ServerSocket() override;

    //! The session id (20 characters, unpredictable).
    QString id() const;
    //! The request that opened the session.
    const HandshakeRequest &request() const;
    TransportType transport() const;
    State state() const;
    //! Whether a packet sent now would be written at once rather than queued (for volatile
    //! messages, which the layer above drops instead of queueing).
    bool isWritable() const;
    //! The bytes of output waiting: queued packets, and for a WebSocket what its connection
    //! has not yet written (see ServerOptions::maxPendingOutputBytes).
    qint64 pendingOutputBytes() const;

    //! Queues a text message packet (the data of a `4` packet).
    void send(const QByteArray &text);
    //! Queues a binary message packet.
    void sendBinary(const QByteArray &bytes);
    //! Queues packets that must go out together and in order (a Socket.IO packet and its
    //! attachments): they are written in one polling response or back to back on the
    //! WebSocket, never split by an upgrade. The packets' data is shared, not copied.
    void sendPackets(const QList<Packet> &packets);
    //! As sendPackets(), with bytes encoded once for every session they go to.
    void sendShared(const SharedPackets &packets);

    //! Flushes what is queued, then closes the session; closed("forced close") follows.
    void close();

Q_SIGNALS:
    void messageReceived(const QByteArray &text);
    void binaryMessageReceived(const QByteArray &bytes);
    //! The session moved from polling to WebSocket.
    void upgraded();
    //! The session is over; the socket is deleted later. `reason` is engine.io's:
    //! "transport close", "transport error", "ping timeout", "parse error", "forced close" or
    //! "server shutting down"; and ours, "slow consumer" (ServerOptions::maxPendingOutputBytes).
    void closed(const QString &reason);

protected:
    //! The heartbeat and upgrade timers (QBasicTimers: a QTimer is a QObject and a connection
    //! for each, in every session).
    void timerEvent(QTimerEvent *event) override;

private:
    friend class Server;
    ServerSocket(const QString &id, const HandshakeRequest &request, Server *server);

    class Private;
    std::unique_ptr<Private> d;
};

class Server : public QObject
{
    Q_OBJECT

public:
    enum class Error {
        NoError,
        AddressInUseError,     //!< listen(): the port is taken
        SocketAccessError,     //!< listen(): not allowed to bind (a privileged port)
        TlsConfigurationError, //!< listen(): the TLS certificate or key is unusable
        ListenError,           //!< listen(): any other failure
        AcceptError,           //!< accepting a connection failed (too many open files, …)
    };
    Q_ENUM(Error)

    //! The reference server's error codes, sent as {"code":N,"message":…} with HTTP 400
    //! (403 for Forbidden).
    enum class RequestError {
        UnknownTransport = 0,
        UnknownSid = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5,
    };
    Q_ENUM(RequestError)

    explicit Server(const ServerOptions &options = {}, QObject *parent = nullptr);
    //! Closes every session ("server shutting down") and stops listening.
    ~Server() override;

    const ServerOptions &options() const;

    //! Starts listening. Returns false, with error() and errorString(), if it cannot.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    //! http(s)://address:port, for clients (a wildcard address reads as 127.0.0.1).
    QUrl serverUrl() const;
    //! Stops listening and closes every session with "server shutting down"; the HTTP
    //! connections in flight are closed too.
    void close();

    //! The open sessions.
    QList<ServerSocket *> sockets() const;
    //! The open session with this id, or nullptr.
    ServerSocket *socket(const QString &id) const;

    Error error() const;
    QString errorString() const;

Q_SIGNALS:
    //! A session was opened; its open packet is already on its way.
    void newConnection(Roomcast::EngineIO::ServerSocket *socket);
    //! A request was refused with one of the protocol errors (engine.io's "connection_error").
    void requestRefused(const Roomcast::EngineIO::HandshakeRequest &request,
                        Roomcast::EngineIO::Server::RequestError code, const QString &message);
    void errorOccurred(Roomcast::EngineIO::Server::Error error, const QString &message);

private:
    friend class ServerSocket;
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::EngineIO

Q_DECLARE_METATYPE(Roomcast::EngineIO::HandshakeRequest)
