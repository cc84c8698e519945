#include "serverwebsocket_p.h"

#include "engineio/logging.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QtEndian>

namespace Roomcast::EngineIO {

namespace {

// Browsers and `ws` send each message in one frame. A message split into more fragments than
// this is an attack (an endless run of empty non-final frames never grows the message, so the
// size limits alone would never end it).
constexpr int MaxFragmentsPerMessage = 1024;

// RFC 6455 opcodes (QWebSocketProtocol keeps its own private).
constexpr int TextFrame = 0x1;
constexpr int BinaryFrame = 0x2;

//! The header of an unmasked, unfragmented frame (RFC 6455 §5.2) — what a server sends.
QByteArray frameHeader(int opcode, quint64 length)
{
    char header[10];
    header[0] = char(0x80 | opcode); // FIN
    if (length < 126) {
        header[1] = char(length);
        return QByteArray(header, 2);
    }
    if (length <= 0xffff) {
        header[1] = char(126);
        qToBigEndian(quint16(length), header + 2);
        return QByteArray(header, 4);
    }
    header[1] = char(127);
    qToBigEndian(length, header + 2);
    return QByteArray(header, 10);
}

} // namespace

ServerWebSocketTransport::ServerWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize,
                                                   QObject *parent)
    : ServerTransport(parent)
    , m_socket(socket)
    , m_connection(connection)
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
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    for (const Packet &packet : packets) {
        if (packet.binary) {
            writeFrame(BinaryFrame, packet.data);
        } else {
            const QByteArray text = encodeText(packet);
            if (text.isValidUtf8())
                writeFrame(TextFrame, text);
            else // never put invalid UTF-8 in a text frame: the client would drop the connection
                m_socket->sendTextMessage(QString::fromUtf8(text));
        }
    }
    // Onto the wire now, not on the next event-loop pass: a client reading several connections
    // sees our packets in the order we sent them (a 3probe before the answer to a GET).
    m_socket->flush();
}

void ServerWebSocketTransport::writeFrame(int opcode, const QByteArray &payload)
{
    // Our frames go straight to the connection: QWebSocket's own API takes text as a QString
    // and converts it back to UTF-8 for every socket, where a broadcast's payload should be
    // shared, not re-encoded. QWebSocket writes its own frames (pong, close) whole and on this
    // thread, so they never interleave with ours.
    if (!m_connection) {
        if (opcode == BinaryFrame)
            m_socket->sendBinaryMessage(payload);
        else
            m_socket->sendTextMessage(QString::fromUtf8(payload));
        return;
    }
    m_connection->write(frameHeader(opcode, quint64(payload.size())));
    m_connection->write(payload);
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
