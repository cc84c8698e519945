// Engine.IO v4 client: one session over HTTP long-polling and/or WebSocket, with the upgrade
// from polling to WebSocket, the server-driven heartbeat and maxPayload-aware batching.
#pragma once

#include "engineio/packet.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace Roomcast::EngineIO {

enum class TransportType { Polling, WebSocket };

//! The name of a transport as it appears on the wire (`polling`, `websocket`).
QString transportName(TransportType type);

struct ClientOptions
{
    //! The request path; Socket.IO uses /socket.io/, plain Engine.IO /engine.io/.
    QString path = QStringLiteral("/socket.io/");
    //! Transports to try, in order; the first one opens the session. With polling first and
    //! `upgrade` on, the session upgrades to WebSocket when the server offers it.
    QList<TransportType> transports{TransportType::Polling, TransportType::WebSocket};
    bool upgrade = true;
    //! Extra query parameters sent with every request (EIO, transport, sid and t are ours).
    QUrlQuery query;
    //! Extra HTTP headers sent with every request and with the WebSocket handshake.
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    //! TLS for https/wss. Certificates are verified against the system CAs by default; to trust
    //! a self-signed server, add its CA with QSslConfiguration::addCaCertificate().
    QSslConfiguration sslConfiguration = QSslConfiguration::defaultConfiguration();
    //! How long a single HTTP request may take before it counts as failed (the long-polling GET
    //! is exempt: it is bounded by the heartbeat instead).
    int requestTimeoutMs = 20000;
};

//! The server's answer in the open packet.
struct Handshake
{
    QString sid;
    QStringList upgrades;
    int pingInterval = 25000;
    int pingTimeout = 20000;
    qint64 maxPayload = 1000000;
};

//! Reads the data of the server's open packet (its JSON object): std::nullopt when a field the
//! client needs is missing, of the wrong type or out of range.
std::optional<Handshake> parseHandshake(QByteArrayView data);

class Client : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Opening, Open, Closing };
    Q_ENUM(State)

    enum class Error {
        NoError,
        ConnectionError, //!< the transport could not reach the server, or lost it
        SslError,        //!< TLS failed: certificate not trusted, host name mismatch, …
        HttpError,       //!< the server answered an HTTP request with an error status
        HandshakeError,  //!< the open packet was missing or malformed
        ParseError,      //!< the server sent something that is not Engine.IO
        PingTimeout,     //!< no ping within pingInterval + pingTimeout
    };
    Q_ENUM(Error)

    //! `url` is http(s)://host:port or ws(s)://host:port; its path is ignored (see
    //! ClientOptions::path) and its query is merged into the options' query.
    explicit Client(const QUrl &url, const ClientOptions &options = {}, QObject *parent = nullptr);
    ~Client() override;

    //! Starts the handshake. opened() follows, or errorOccurred() then closed().
    void open();
    //! Flushes what is queued, sends a close packet and closes; closed("forced close") follows.
    void close();

    //! Queues a text message packet (the data of a `4` packet).
    void send(const QByteArray &text);
    //! Queues a binary message packet.
    void sendBinary(const QByteArray &bytes);
    //! Queues several packets that must go out together and in order (a Socket.IO packet and
    //! its attachments): they are never split by an upgrade.
    void sendPackets(const QList<Packet> &packets);

    State state() const;
    //! Whether a packet sent now would be written at once rather than queued (used for
    //! volatile emits, which are dropped rather than queued).
    bool isWritable() const;
    TransportType transport() const;
    Handshake handshake() const;
    Error error() const;
    QString errorString() const;

Q_SIGNALS:
    void opened();
    void messageReceived(const QByteArray &text);
    void binaryMessageReceived(const QByteArray &bytes);
    //! The session moved from polling to WebSocket.
    void upgraded();
    //! Emitted before closed() when an error ends (or prevents) the session.
    void errorOccurred(Roomcast::EngineIO::Client::Error error, const QString &message);
    //! The session is over. `reason` is engine.io-client's: "transport close",
    //! "transport error", "ping timeout", "parse error" or "forced close".
    void closed(const QString &reason);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::EngineIO
