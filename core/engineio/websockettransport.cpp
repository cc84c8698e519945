#include "websockettransport.h"

#include "engineio/logging.h"

#include <QNetworkRequest>
#include <QSslError>
#include <QTimer>
#include <QWebSocket>

namespace Roomcast::EngineIO {

namespace {
const QByteArray ClosePingPayload = QByteArrayLiteral("roomcast: closing");
} // namespace

WebSocketTransport::WebSocketTransport(const Endpoint &endpoint, QObject *parent)
    : Transport(endpoint, parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_closing) {
            qCDebug(lcEngineIO) << "websocket: no answer to the closing ping";
            m_socket->close();
            finish();
        } else {
            fail(Client::Error::ConnectionError, tr("The WebSocket connection to %1 timed out after %2 ms.")
                                                     .arg(m_endpoint.host)
                                                     .arg(m_endpoint.requestTimeoutMs));
        }
    });
    setIncomingLimit(incomingMessageLimit(Handshake().maxPayload));

    connect(m_socket, &QWebSocket::connected, this, &WebSocketTransport::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &WebSocketTransport::onBinaryMessage);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &WebSocketTransport::onError);
    connect(m_socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &payload) {
        if (m_closing && payload == ClosePingPayload)
            m_socket->close(); // disconnected() follows and finishes
    });
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            m_sslErrors.append(error.errorString());
    });
}

WebSocketTransport::~WebSocketTransport()
{
    abort();
}

void WebSocketTransport::setIncomingLimit(qint64 bytes)
{
    m_incomingLimit = qMin(quint64(bytes), QWebSocket::maxIncomingMessageSize());
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_incomingLimit));
    m_socket->setMaxAllowedIncomingFrameSize(qMin(quint64(m_incomingLimit), QWebSocket::maxIncomingFrameSize()));
}

void WebSocketTransport::open()
{
    qCDebug(lcEngineIO) << "websocket: connecting to" << m_endpoint.describe(TransportType::WebSocket)
                        << (m_sid.isEmpty() ? "" : "(upgrade probe)");
    QNetworkRequest request(m_endpoint.url(TransportType::WebSocket, m_sid, false));
    for (const auto &[name, value] : m_endpoint.headers)
        request.setRawHeader(name, value);
    if (m_endpoint.secure) {
        request.setSslConfiguration(m_endpoint.sslConfiguration);
        m_socket->setSslConfiguration(m_endpoint.sslConfiguration);
    }
    if (m_endpoint.requestTimeoutMs > 0)
        m_timer->start(m_endpoint.requestTimeoutMs);
    m_socket->open(request);
}

bool WebSocketTransport::isWritable() const
{
    return m_connected && !m_done && !m_closing;
}

void WebSocketTransport::write(const QList<Packet> &packets)
{
    Q_ASSERT(isWritable());
    for (const Packet &packet : packets) {
        if (packet.binary)
            m_socket->sendBinaryMessage(packet.data);
        else
            m_socket->sendTextMessage(QString::fromUtf8(encodeText(packet)));
    }
}

void WebSocketTransport::onConnected()
{
    m_timer->stop();
    m_connected = true;
    Q_EMIT opened();
}

void WebSocketTransport::onTextMessage(const QString &message)
{
    if (m_done)
        return;
    QString error;
    auto packet = decodeText(message.toUtf8(), &error);
    if (!packet) {
        fail(Client::Error::ParseError, tr("The server sent an invalid WebSocket frame: %1").arg(error));
        return;
    }
    Q_EMIT packetsReceived({std::move(*packet)});
}

void WebSocketTransport::onBinaryMessage(const QByteArray &message)
{
    if (m_done)
        return;
    Q_EMIT packetsReceived({decodeBinaryFrame(message)});
}

void WebSocketTransport::onError(QAbstractSocket::SocketError error)
{
    if (m_done || m_closing)
        return;
    switch (error) {
    case QAbstractSocket::RemoteHostClosedError:
        // The server went away; disconnected() follows and ends the transport as a close.
        if (m_connected)
            return;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        fail(Client::Error::SslError,
             tr("The secure connection to %1 failed: %2")
                 .arg(m_endpoint.host,
                      m_sslErrors.isEmpty() ? m_socket->errorString() : m_sslErrors.join(QLatin1String("; "))));
        return;
    default:
        break;
    }
    fail(Client::Error::ConnectionError, tr("Could not reach %1: %2").arg(m_endpoint.host, m_socket->errorString()));
}

void WebSocketTransport::onDisconnected()
{
    if (m_done)
        return;
    if (m_closing) {
        finish(); // the server was first
        return;
    }
    if (!m_connected) {
        fail(Client::Error::ConnectionError, tr("Could not reach %1: %2").arg(m_endpoint.host, m_socket->errorString()));
        return;
    }
    if (m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData) {
        fail(Client::Error::ConnectionError,
             tr("The server sent a message larger than %1 bytes.").arg(m_incomingLimit));
        return;
    }
    qCDebug(lcEngineIO) << "websocket: closed by the server, code" << m_socket->closeCode();
    finish();
}

void WebSocketTransport::fail(Client::Error error, const QString &message)
{
    if (m_done)
        return;
    abort();
    Q_EMIT failed(error, message);
}

void WebSocketTransport::finish()
{
    abort();
    Q_EMIT closed();
}

void WebSocketTransport::abort()
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

void WebSocketTransport::closeGracefully()
{
    if (m_done)
        return;
    if (!m_connected) {
        finish();
        return;
    }
    // QWebSocket::close() drops the TCP connection right after its close frame, without waiting
    // for the server's. Whatever the server still writes in answer to our last frames would then
    // fail on its side ("write error"), so first a ping: its pong comes after all of that.
    m_closing = true;
    m_socket->ping(ClosePingPayload);
    if (m_endpoint.requestTimeoutMs > 0)
        m_timer->start(m_endpoint.requestTimeoutMs);
}

} // namespace Roomcast::EngineIO
