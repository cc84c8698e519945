#include "serverwebsocket_p.h"

#include "engineio/logging.h"

#include <QWebSocket>

namespace Roomcast::EngineIO {

namespace {

// Browsers and `ws` send each message in one frame. A message split into more fragments than
// this is an attack (an endless run of empty non-final frames never grows the message, so the
// size limits alone would never end it).
constexpr int MaxFragmentsPerMessage = 1024;

} // namespace

ServerWebSocketTransport::ServerWebSocketTransport(QWebSocket *socket, qint64 maxMessageSize, QObject *parent)
    : ServerTransport(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(maxMessageSize));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(maxMessageSize));
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ServerWebSocketTransport::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &bytes) { Q_EMIT packetReceived(decodeBinaryFrame(bytes)); });
    connect(m_socket, &QWebSocket::textFrameReceived, this,
            [this](const QString &, bool isLastFrame) { onFrame(isLastFrame); });
    connect(m_socket, &QWebSocket::binaryFrameReceived, this,
            [this](const QByteArray &, bool isLastFrame) { onFrame(isLastFrame); });
    connect(m_socket, &QWebSocket::disconnected, this, &ServerWebSocketTransport::onDisconnected);
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        setWritable(true);
    else // closed while its handshake was being answered (garbage right after the request)
        QMetaObject::invokeMethod(this, &ServerWebSocketTransport::onDisconnected, Qt::QueuedConnection);
}

ServerWebSocketTransport::~ServerWebSocketTransport() = default;

void ServerWebSocketTransport::send(const QList<Packet> &packets)
{
    for (const Packet &packet : packets) {
        if (packet.binary)
            m_socket->sendBinaryMessage(packet.data);
        else
            m_socket->sendTextMessage(QString::fromUtf8(encodeText(packet)));
    }
    // Onto the wire now, not on the next event-loop pass: a client reading several connections
    // sees our packets in the order we sent them (a 3probe before the answer to a GET).
    m_socket->flush();
}

void ServerWebSocketTransport::onTextMessage(const QString &text)
{
    QString error;
    const auto packet = decodeText(text.toUtf8(), &error);
    if (!packet) {
        fail(QStringLiteral("parse error"), error, QWebSocketProtocol::CloseCodeNormal);
        return;
    }
    if (packet->type == PacketType::Close) {
        // engine.io-client closes the WebSocket itself; a close packet asks the same.
        qCDebug(lcEngineIO) << "the client sent a close packet";
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->close();
        finishClose();
        return;
    }
    Q_EMIT packetReceived(*packet);
}

void ServerWebSocketTransport::onFrame(bool isLastFrame)
{
    if (isLastFrame) {
        m_fragments = 0;
        return;
    }
    if (++m_fragments > MaxFragmentsPerMessage) {
        fail(QStringLiteral("transport error"),
             QStringLiteral("more than %1 fragments in one message").arg(MaxFragmentsPerMessage),
             QWebSocketProtocol::CloseCodePolicyViolated);
    }
}

void ServerWebSocketTransport::onDisconnected()
{
    if (isClosed())
        return;
    setWritable(false);
    switch (m_socket->closeCode()) {
    case QWebSocketProtocol::CloseCodeProtocolError:
    case QWebSocketProtocol::CloseCodeDatatypeNotSupported:
    case QWebSocketProtocol::CloseCodeWrongDatatype:
    case QWebSocketProtocol::CloseCodePolicyViolated:
    case QWebSocketProtocol::CloseCodeTooMuchData:
        // QWebSocket refused what the client sent (a frame or message over the limit, invalid
        // UTF-8, a protocol violation) and closed.
        Q_EMIT failed(QStringLiteral("transport error"), m_socket->closeReason());
        break;
    default:
        finishClose();
        break;
    }
}

void ServerWebSocketTransport::fail(const QString &reason, const QString &description, int closeCode)
{
    qCDebug(lcEngineIO) << "closing a WebSocket:" << description;
    disconnect(m_socket, nullptr, this, nullptr);
    setWritable(false);
    m_socket->close(QWebSocketProtocol::CloseCode(closeCode), description);
    Q_EMIT failed(reason, description);
}

void ServerWebSocketTransport::doClose()
{
    disconnect(m_socket, nullptr, this, nullptr);
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close();
    finishClose();
}

} // namespace Roomcast::EngineIO
