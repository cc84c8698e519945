#include "server.h"

#include "engineio/handshakequery.h"
#include "engineio/logging.h"
#include "engineio/serverconnection_p.h"
#include "engineio/serverhttp.h"
#include "engineio/serverpolling_p.h"
#include "engineio/serversocket_p.h"
#include "engineio/serverwebsocket_p.h"
#include "engineio/websocketframe.h"
#ifdef Q_OS_UNIX
#include "engineio/serverrawwebsocket_p.h"
#endif

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <optional>

namespace Roomcast::EngineIO {

namespace {

QByteArray headerValue(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    QByteArray value;
    bool found = false;
    for (const auto &[key, v] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            value += ", ";
        value += v;
        found = true;
    }
    return value;
}

QString errorMessage(Server::RequestError code)
{
    // The reference server's messages, sent as they are (not translated: clients match them).
    switch (code) {
    case Server::RequestError::UnknownTransport: return QStringLiteral("Transport unknown");
    case Server::RequestError::UnknownSid: return QStringLiteral("Session ID unknown");
    case Server::RequestError::BadHandshakeMethod: return QStringLiteral("Bad handshake method");
    case Server::RequestError::BadRequest: return QStringLiteral("Bad request");
    case Server::RequestError::Forbidden: return QStringLiteral("Forbidden");
    case Server::RequestError::UnsupportedProtocolVersion: return QStringLiteral("Unsupported protocol version");
    }
    return {};
}

constexpr int ListenBacklog = 1024;

struct Refusal
{
    Server::RequestError code;
    QString message;
};

} // namespace

QUrl HandshakeRequest::url() const
{
    return QUrl::fromEncoded(target, QUrl::TolerantMode);
}

QUrlQuery HandshakeRequest::query() const
{
    const qsizetype question = target.indexOf('?');
    return question < 0 ? QUrlQuery() : QUrlQuery(QString::fromLatin1(target.sliced(question + 1)));
}

QList<QPair<QByteArray, QByteArray>> HandshakeRequest::headers() const
{
    QList<QPair<QByteArray, QByteArray>> list;
    const QList<QByteArray> lines = headerLines.split('\n');
    // the last element is what follows the final '\n': nothing
    for (qsizetype i = 0; i + 1 < lines.size(); i += 2)
        list.append({lines[i], lines[i + 1]});
    return list;
}

void HandshakeRequest::setHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    headerLines.clear();
    for (const auto &[name, value] : headers) {
        Q_ASSERT(!name.contains('\n') && !value.contains('\n'));
        headerLines += name + '\n' + value + '\n';
    }
    headerLines.squeeze();
}

QByteArray HandshakeRequest::header(QByteArrayView name) const
{
    return headerValue(headers(), name);
}

bool HandshakeRequest::hasHeader(QByteArrayView name) const
{
    const auto list = headers();
    return std::any_of(list.begin(), list.end(),
                       [name](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

bool ServerOptions::loadTls(const QString &certificatePath, const QString &keyPath, QString *errorString)
{
    const auto fail = [errorString](const QString &message) {
        if (errorString)
            *errorString = message;
        return false;
    };
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificatePath, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return fail(QCoreApplication::translate("Roomcast::EngineIO::Server", "Cannot read a PEM certificate from %1.")
                        .arg(certificatePath));
    QFile file(keyPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QCoreApplication::translate("Roomcast::EngineIO::Server", "Cannot open the key file %1: %2")
                        .arg(keyPath, file.errorString()));
    const QByteArray pem = file.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return fail(QCoreApplication::translate("Roomcast::EngineIO::Server",
                                                "Cannot read an unencrypted RSA or EC private key from %1.")
                        .arg(keyPath));
    tlsCertificateChain = chain;
    tlsPrivateKey = key;
    return true;
}

class Server::Private
{
public:
    Private(Server *q, const ServerOptions &options);

    void setError(Error code, const QString &message);
    void acceptConnections();
    void onRequest(Http::Connection *connection);
    std::optional<Refusal> verify(const HandshakeRequest &request, const HandshakeQuery &query, bool upgrade) const;
    void refuse(Http::Connection *connection, const HandshakeRequest &request, const Refusal &refusal, bool upgrade,
                const Http::Headers &cors);
    Http::Headers corsHeaders(const Http::RequestHead &head) const;
    void answerPreflight(Http::Connection *connection, const Http::Headers &cors);
    HandshakeRequest handshakeRequest(Http::Connection *connection) const;
    void handOverUpgrade(Http::Connection *connection, const HandshakeRequest &request, const QString &sid);
    //! Answers a plain upgrade request ourselves and runs the WebSocket on the descriptor.
    void acceptRawWebSocket(Http::Connection *connection, const HandshakeRequest &request, const QString &sid);
    void acceptWebSockets();
    //! A WebSocket is open: a new session on it, or the upgrade of session `sid`.
    void startWebSocket(ServerWebSocketTransport *transport, const HandshakeRequest &request, const QString &sid);
    ServerSocket *createSession(const HandshakeRequest &request);
    QString generateId() const;
    void forget(Http::Connection *connection);
    void closeEverything();
    //! Whether the pending-connections cap has been reached for longer than a burst lasts
    //! (starts counting at the first call).
    bool capFullTooLong();
    //! Stops taking connections from the listen backlog for a moment.
    void deferAccepting();

    Server *const q;
    const ServerOptions options;
    QString path;
    QTcpServer *tcpServer = nullptr;
    QWebSocketServer *webSocketServer = nullptr;
    QHash<QString, ServerSocket *> sessions;
    QSet<Http::Connection *> connections;
    //! Connections that have not sent a whole request yet.
    QSet<Http::Connection *> pending;
    //! Since when `pending` has been at the cap (invalid: it is not, as far as we know).
    QElapsedTimer capFullSince;
    bool acceptDeferred = false;
    //! A full cap is waited out this long at most (half the request timeout if shorter),
    //! checking every AcceptRetryMs, before newcomers are refused.
    static constexpr int MaxAcceptDeferralMs = 1000;
    static constexpr int AcceptRetryMs = 10;

    //! A socket handed to the QWebSocketServer, until it comes back as a QWebSocket.
    struct PendingUpgrade
    {
        QPointer<QTcpSocket> socket;
        QHostAddress address;
        quint16 port = 0;
        HandshakeRequest request;
        QString sid;
    };
    QList<PendingUpgrade> upgrades;

    Error error = Error::NoError;
    QString errorString;
};

Server::Private::Private(Server *q, const ServerOptions &options)
    : q(q)
    , options(options)
{
    path = options.path;
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    if (!path.endsWith(u'/'))
        path.append(u'/');
    // It never listens: the HTTP front hands it the upgrade requests. The connection is
    // already encrypted for TLS, so it stays in non-secure mode.
    webSocketServer = new QWebSocketServer(QStringLiteral("Roomcast"), QWebSocketServer::NonSecureMode, q);
    QObject::connect(webSocketServer, &QWebSocketServer::newConnection, q, [this] { acceptWebSockets(); });
}

void Server::Private::setError(Error code, const QString &message)
{
    error = code;
    errorString = message;
    if (code != Error::NoError)
        Q_EMIT q->errorOccurred(code, message);
}

void Server::Private::acceptConnections()
{
    Http::ConnectionLimits limits;
    limits.head.maxBytes = options.maxHeaderBytes;
    limits.head.maxCount = options.maxHeaderCount;
    limits.maxBodySize = options.maxHttpBufferSize;
    limits.requestTimeoutMs = options.requestTimeoutMs;
    limits.keepAliveTimeoutMs = options.keepAliveTimeoutMs;
    while (tcpServer && tcpServer->hasPendingConnections()) {
        if (pending.size() < options.maxPendingConnections) {
            capFullSince.invalidate();
        } else if (!capFullTooLong()) {
            // A burst (every client of a restarted server coming back at once): the connections
            // accepted a moment ago have not been read yet. The newcomers wait in the listen
            // backlog while they are; a cap that stays full is refused below.
            deferAccepting();
            return;
        }
        QTcpSocket *socket = tcpServer->nextPendingConnection();
        // No Nagle by default: an answer written in two parts (a 101 and the open packet, an
        // event and its ack) must not wait for the client's delayed ACK of the first. Writes
        // are coalesced by us, not by the kernel. Node's http server sets the same (noDelay).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, options.noDelay ? 1 : 0);
        if (pending.size() >= options.maxPendingConnections) {
            qCDebug(lcEngineIO) << "too many pending connections: refusing" << socket->peerAddress();
            socket->write(Http::response(503, {{"Connection", "close"}}, Http::reasonPhrase(503)));
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        auto *connection = new Http::Connection(socket, limits, q);
        connections.insert(connection);
        pending.insert(connection);
        QObject::connect(connection, &Http::Connection::requestReceived, q,
                         [this](Http::Connection *c) { onRequest(c); });
        QObject::connect(connection, &Http::Connection::closed, q, [this](Http::Connection *c) { forget(c); });
        connection->start();
    }
}

void Server::Private::forget(Http::Connection *connection)
{
    connections.remove(connection);
    pending.remove(connection);
}

bool Server::Private::capFullTooLong()
{
    if (!capFullSince.isValid())
        capFullSince.start();
    return capFullSince.elapsed() >= std::min(MaxAcceptDeferralMs, options.requestTimeoutMs / 2);
}

void Server::Private::deferAccepting()
{
    if (acceptDeferred)
        return;
    acceptDeferred = true;
    tcpServer->pauseAccepting();
    QTimer::singleShot(AcceptRetryMs, q, [this] {
        acceptDeferred = false;
        if (!tcpServer)
            return;
        tcpServer->resumeAccepting();
        acceptConnections();
    });
}

HandshakeRequest Server::Private::handshakeRequest(Http::Connection *connection) const
{
    const Http::RequestHead &head = connection->request();
    HandshakeRequest request;
    request.method = head.method;
    request.target = head.target;
    request.setHeaders(head.headers);
    request.remoteAddress = connection->socket()->peerAddress();
    request.remotePort = connection->socket()->peerPort();
    request.secure = connection->isSecure();
    request.time = QDateTime::currentDateTimeUtc();
    return request;
}

Http::Headers Server::Private::corsHeaders(const Http::RequestHead &head) const
{
    Http::Headers headers;
    if (options.corsOrigins.isEmpty())
        return headers;
    const QByteArray origin = head.header("origin");
    const bool any = options.corsOrigins.contains(QStringLiteral("*"));
    if (any && !options.corsCredentials) {
        headers.emplaceBack("Access-Control-Allow-Origin", "*");
    } else {
        if (!origin.isEmpty() && (any || options.corsOrigins.contains(QString::fromLatin1(origin))))
            headers.emplaceBack("Access-Control-Allow-Origin", origin);
        headers.emplaceBack("Vary", "Origin");
    }
    if (options.corsCredentials)
        headers.emplaceBack("Access-Control-Allow-Credentials", "true");
    return headers;
}

void Server::Private::answerPreflight(Http::Connection *connection, const Http::Headers &cors)
{
    const Http::RequestHead &head = connection->request();
    Http::Headers headers = cors;
    headers.emplaceBack("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
    if (head.hasHeader("access-control-request-headers")) {
        headers.emplaceBack("Access-Control-Allow-Headers", head.header("access-control-request-headers"));
        headers.emplaceBack("Vary", "Access-Control-Request-Headers");
    }
    connection->respond(204, headers, {});
}

std::optional<Refusal> Server::Private::verify(const HandshakeRequest &request, const HandshakeQuery &query,
                                              bool upgrade) const
{
    // The reference server's order of checks (engine.io's Server#verify).
    const QueryValue &transport = query.transport;
    const bool knownTransport = !transport.several
                                && std::any_of(options.transports.cbegin(), options.transports.cend(),
                                               [&](TransportType type) { return transportName(type) == transport.value; });
    if (!knownTransport)
        return Refusal{RequestError::UnknownTransport, {}};

    const auto allowedOrigin = [&] {
        if (options.allowedOrigins.isEmpty() || !request.hasHeader("origin"))
            return true;
        return options.allowedOrigins.contains(QString::fromLatin1(request.header("origin")));
    };

    const QueryValue &sid = query.sid;
    if (sid.present && (sid.several || !sid.value.isEmpty())) {
        ServerSocket *session = sid.several ? nullptr : sessions.value(sid.value);
        if (!session)
            return Refusal{RequestError::UnknownSid, {}};
        if (!upgrade && transportName(session->d->transportType) != transport.value)
            return Refusal{RequestError::BadRequest, {}}; // TRANSPORT_MISMATCH
        if (!allowedOrigin())
            return Refusal{RequestError::Forbidden, {}};
        return std::nullopt;
    }
    if (request.method != "GET")
        return Refusal{RequestError::BadHandshakeMethod, {}};
    if (transport.value == transportName(TransportType::WebSocket) && !upgrade)
        return Refusal{RequestError::BadRequest, {}}; // TRANSPORT_HANDSHAKE_ERROR
    if (!allowedOrigin())
        return Refusal{RequestError::Forbidden, {}};
    if (options.allowRequest) {
        QString message;
        if (!options.allowRequest(request, &message))
            return Refusal{RequestError::Forbidden, message};
    }
    return std::nullopt;
}

void Server::Private::refuse(Http::Connection *connection, const HandshakeRequest &request, const Refusal &refusal,
                             bool upgrade, const Http::Headers &cors)
{
    const QString message = refusal.message.isEmpty() ? errorMessage(refusal.code) : refusal.message;
    qCDebug(lcEngineIO) << "refusing" << request.method << request.target << "from" << request.remoteAddress
                        << ":" << message;
    if (upgrade) {
        // As engine.io's abortUpgrade(): always 400, the message as text, and the end.
        connection->respond(400, {{"Content-Type", "text/html"}}, message.toUtf8(), true);
    } else {
        Http::Headers headers = cors;
        headers.emplaceBack("Content-Type", "application/json");
        const QJsonObject body{{QStringLiteral("code"), int(refusal.code)}, {QStringLiteral("message"), message}};
        connection->respond(refusal.code == RequestError::Forbidden ? 403 : 400, headers,
                            QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    Q_EMIT q->requestRefused(request, refusal.code, message);
}

void Server::Private::onRequest(Http::Connection *connection)
{
    pending.remove(connection);
    const Http::RequestHead &head = connection->request();
    qCDebug(lcEngineIO) << head.method << head.target << "from" << connection->socket()->peerAddress()
                        << connection->socket()->peerPort();
    if (!head.path.startsWith(path.toUtf8())) {
        connection->respond(404, {{"Content-Type", "text/plain; charset=utf-8"}}, Http::reasonPhrase(404));
        return;
    }
    const Http::Headers cors = corsHeaders(head);
    if (head.method == "OPTIONS" && !options.corsOrigins.isEmpty()) {
        answerPreflight(connection, cors);
        return;
    }
    const bool upgrade = head.isWebSocketUpgrade();
    const HandshakeQuery query = parseHandshakeQuery(head.query);
    const HandshakeRequest request = handshakeRequest(connection);
    if (const auto refusal = verify(request, query, upgrade)) {
        refuse(connection, request, *refusal, upgrade, cors);
        return;
    }
    const QString &transport = query.transport.value;
    const QString &sid = query.sid.value;
    const bool handshake = sid.isEmpty();
    if (handshake && query.eio.value != QLatin1String("4")) {
        refuse(connection, request, {RequestError::UnsupportedProtocolVersion, {}}, upgrade, cors);
        return;
    }

    if (upgrade) {
        if (transport != transportName(TransportType::WebSocket)) {
            refuse(connection, request, {RequestError::BadRequest, {}}, true, cors);
            return;
        }
        // A second WebSocket for a session (upgrading, upgraded, or begun on a WebSocket) is
        // accepted and closed at once, as the reference server does and the protocol test
        // suite expects (its client has no handler for a refused handshake).
        handOverUpgrade(connection, request, sid);
        return;
    }

    if (handshake) {
        ServerSocket *session = createSession(request);
        auto *polling = new ServerPollingTransport(session);
        session->d->open(polling);
        polling->handleRequest(connection, cors);
        Q_EMIT q->newConnection(session);
        return;
    }
    ServerSocket *session = sessions.value(sid);
    auto *polling = qobject_cast<ServerPollingTransport *>(session->d->currentTransport());
    if (!polling) {
        refuse(connection, request, {RequestError::BadRequest, {}}, false, cors);
        return;
    }
    polling->handleRequest(connection, cors);
}

void Server::Private::handOverUpgrade(Http::Connection *connection, const HandshakeRequest &request, const QString &sid)
{
#ifdef Q_OS_UNIX
    if (!connection->isSecure()) {
        acceptRawWebSocket(connection, request, sid);
        return;
    }
#endif
    forget(connection);
    QTcpSocket *socket = connection->takeSocket();
    socket->setParent(q);
    upgrades.append({socket, socket->peerAddress(), socket->peerPort(), request, sid});
    QObject::connect(socket, &QObject::destroyed, q, [this, socket] {
        upgrades.removeIf([socket](const PendingUpgrade &upgrade) { return upgrade.socket == socket || !upgrade.socket; });
    });
    // The request head is still unread in the socket: QWebSocketServer reads it again.
    webSocketServer->handleConnection(socket);
}

#ifdef Q_OS_UNIX
void Server::Private::acceptRawWebSocket(Http::Connection *connection, const HandshakeRequest &request,
                                         const QString &sid)
{
    // No QWebSocket: it would keep a QTcpSocket with its read buffer (16 KiB) and the write
    // buffer its 101 answer allocates (32 KiB) for as long as the connection lives.
    const Http::RequestHead &head = connection->request();
    if (const auto error = WebSocket::checkOpeningHandshake(head)) {
        qCDebug(lcEngineIO) << "refusing a WebSocket handshake from" << request.remoteAddress << ":" << error->message;
        Http::Headers headers = error->headers;
        headers.emplaceBack("Content-Type", "text/html");
        connection->respond(error->status, headers, error->message, true);
        return;
    }
    const QByteArray response = WebSocket::switchingProtocolsResponse(head);
    forget(connection);
    Http::Connection::Descriptor taken = connection->takeDescriptor();
    if (taken.fd < 0)
        return; // gone meanwhile
    startWebSocket(new RawWebSocketTransport(taken.fd, std::move(taken.unread), response, options.maxHttpBufferSize,
                                             nullptr),
                   request, sid);
}
#endif

void Server::Private::acceptWebSockets()
{
    while (webSocketServer->hasPendingConnections()) {
        QWebSocket *websocket = webSocketServer->nextPendingConnection();
        const auto it = std::find_if(upgrades.begin(), upgrades.end(), [websocket](const PendingUpgrade &upgrade) {
            return upgrade.socket && upgrade.port == websocket->peerPort() && upgrade.address == websocket->peerAddress();
        });
        if (it == upgrades.end()) {
            qCDebug(lcEngineIO) << "a WebSocket whose connection is already gone";
            websocket->abort();
            websocket->deleteLater();
            continue;
        }
        const PendingUpgrade upgrade = *it;
        upgrades.erase(it);
        QObject::disconnect(upgrade.socket, &QObject::destroyed, q, nullptr);
        // The QWebSocket does not own its socket; make it, so that they go together.
        upgrade.socket->setParent(websocket);
        upgrade.socket->setReadBufferSize(0); // a frame must fit in it
        startWebSocket(new TlsWebSocketTransport(websocket, upgrade.socket, options.maxHttpBufferSize, nullptr),
                       upgrade.request, upgrade.sid);
    }
}

void Server::Private::startWebSocket(ServerWebSocketTransport *transport, const HandshakeRequest &request,
                                     const QString &sid)
{
    if (sid.isEmpty()) {
        ServerSocket *session = createSession(request);
        session->d->open(transport);
        Q_EMIT q->newConnection(session);
        return;
    }
    ServerSocket *session = sessions.value(sid);
    if (!session || session->state() != ServerSocket::State::Open || session->d->isUpgradingOrUpgraded()
        || session->d->transportType == TransportType::WebSocket) {
        qCDebug(lcEngineIO) << "upgrade attempt for a closed, upgrading or upgraded session" << sid;
        transport->setParent(q);
        transport->close();
        transport->deleteLater();
        return;
    }
    session->d->maybeUpgrade(transport);
}

ServerSocket *Server::Private::createSession(const HandshakeRequest &request)
{
    const QString id = generateId();
    auto *session = new ServerSocket(id, request, q);
    sessions.insert(id, session);
    // It takes itself out just before closed(): during closed() it is no longer found. Not a
    // connection to closed(): one fewer per session.
    session->d->registry = &sessions;
    qCDebug(lcEngineIO) << "new session" << id << "from" << request.remoteAddress;
    return session;
}

QString Server::Private::generateId() const
{
    // 15 random bytes from the system's CSPRNG, base64url: 20 characters, as engine.io's base64id.
    QString id;
    do {
        quint32 words[4];
        QRandomGenerator::system()->fillRange(words);
        const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
        id = QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
    } while (sessions.contains(id));
    return id;
}

void Server::Private::closeEverything()
{
    if (tcpServer)
        tcpServer->close();
    const QList<ServerSocket *> open = sessions.values();
    for (ServerSocket *session : open)
        session->d->closeWith(QStringLiteral("server shutting down"), true);
    const QList<Http::Connection *> remaining = connections.values();
    for (Http::Connection *connection : remaining)
        connection->shutdown();
    connections.clear();
    pending.clear();
    const QList<PendingUpgrade> handedOver = std::exchange(upgrades, {});
    for (const PendingUpgrade &upgrade : handedOver) {
        if (upgrade.socket)
            upgrade.socket->abort();
    }
}

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, options))
{
}

Server::~Server()
{
    d->closeEverything();
}

const ServerOptions &Server::options() const
{
    return d->options;
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    if (d->tcpServer) {
        d->tcpServer->close();
        delete d->tcpServer;
        d->tcpServer = nullptr;
    }
    d->error = Error::NoError;
    d->errorString.clear();
    if (d->options.isTls()) {
        if (d->options.tlsCertificateChain.first().isNull() || d->options.tlsPrivateKey.isNull()) {
            d->setError(Error::TlsConfigurationError, tr("The TLS certificate or its private key is missing or invalid."));
            return false;
        }
        auto *server = new QSslServer(this);
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(d->options.tlsCertificateChain);
        configuration.setPrivateKey(d->options.tlsPrivateKey);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        server->setSslConfiguration(configuration);
        server->setHandshakeTimeout(d->options.requestTimeoutMs);
        connect(server, &QSslServer::sslErrors, this, [](QSslSocket *socket, const QList<QSslError> &errors) {
            qCDebug(lcEngineIO) << "TLS errors with" << socket->peerAddress() << errors;
        });
        d->tcpServer = server;
    } else {
        d->tcpServer = new QTcpServer(this);
    }
    connect(d->tcpServer, &QTcpServer::pendingConnectionAvailable, this, [this] { d->acceptConnections(); },
            Qt::QueuedConnection);
    connect(d->tcpServer, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError) {
        d->setError(Error::AcceptError, tr("Cannot accept a connection: %1").arg(d->tcpServer->errorString()));
    });
    // Room in the kernel for every client of a restarted server coming back at once (Qt's default
    // is 50; beyond it the kernel drops handshakes, which clients only retry a second later).
    d->tcpServer->setListenBacklogSize(ListenBacklog);
    if (d->tcpServer->listen(address, port))
        return true;
    switch (d->tcpServer->serverError()) {
    case QAbstractSocket::AddressInUseError:
        d->setError(Error::AddressInUseError,
                    tr("Port %1 is already in use on %2.").arg(port).arg(address.toString()));
        break;
    case QAbstractSocket::SocketAccessError:
        d->setError(Error::SocketAccessError,
                    tr("Not allowed to listen on port %1 of %2.").arg(port).arg(address.toString()));
        break;
    default:
        d->setError(Error::ListenError, tr("Cannot listen on port %1 of %2: %3")
                                            .arg(port)
                                            .arg(address.toString(), d->tcpServer->errorString()));
        break;
    }
    return false;
}

bool Server::isListening() const
{
    return d->tcpServer && d->tcpServer->isListening();
}

quint16 Server::serverPort() const
{
    return d->tcpServer ? d->tcpServer->serverPort() : 0;
}

QHostAddress Server::serverAddress() const
{
    return d->tcpServer ? d->tcpServer->serverAddress() : QHostAddress();
}

QUrl Server::serverUrl() const
{
    QUrl url;
    url.setScheme(d->options.isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    const QHostAddress address = serverAddress();
    const bool wildcard = address.isNull() || address == QHostAddress::Any || address == QHostAddress::AnyIPv4
                          || address == QHostAddress::AnyIPv6;
    url.setHost(wildcard ? QStringLiteral("127.0.0.1") : address.toString());
    url.setPort(serverPort());
    return url;
}

void Server::close()
{
    d->closeEverything();
}

QList<ServerSocket *> Server::sockets() const
{
    return d->sessions.values();
}

ServerSocket *Server::socket(const QString &id) const
{
    return d->sessions.value(id);
}

Server::Error Server::error() const
{
    return d->error;
}

QString Server::errorString() const
{
    return d->errorString;
}

} // namespace Roomcast::EngineIO
