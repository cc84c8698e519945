#include "serverwebsocket_p.h"

#include "engineio/logging.h"
#include "engineio/server.h"

#include <QCoreApplication>
#include <QTcpSocket>
#include <QWebSocket>

#include <algorithm>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace Roomcast::EngineIO {

using WebSocket::FrameParser;
using WebSocket::Opcode;
namespace CloseCode = WebSocket::CloseCode;

namespace {

//! The WebSocket transports with broadcast frames waiting, flushed together once the event
//! loop is done with the pass that queued them (one posted call per pass, not per client).
class WriteCoalescer : public QObject
{
public:
    static WriteCoalescer &current()
    {
        // One per thread, as the transports live on theirs; reachable until the thread ends.
        static thread_local WriteCoalescer *coalescer = new WriteCoalescer;
        return *coalescer;
    }

    void schedule(ServerWebSocketTransport *transport)
    {
        if (m_waiting.empty())
            QMetaObject::invokeMethod(this, &WriteCoalescer::flushAll, Qt::QueuedConnection);
        m_waiting.push_back(transport);
    }
    void cancel(ServerWebSocketTransport *transport)
    {
        m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), transport), m_waiting.end());
    }

private:
    void flushAll()
    {
        // A flush may close a transport (a write error), which cancels itself from the list.
        while (!m_waiting.empty()) {
            ServerWebSocketTransport *transport = m_waiting.back();
            m_waiting.pop_back();
            transport->flushPending();
        }
    }

    std::vector<ServerWebSocketTransport *> m_waiting;
};

} // namespace

SharedPackets::SharedPackets(QList<Packet> packets)
    : m_packets(std::move(packets))
{
}

const QByteArray &SharedPackets::webSocketFrames() const
{
    if (m_frames.isEmpty() && !m_packets.isEmpty())
        m_frames = EngineIO::webSocketFrames(m_packets);
    return m_frames;
}

// ---------------------------------------------------------------------------------------------

ServerWebSocketTransport::ServerWebSocketTransport(qint64 maxMessageSize, QObject *parent)
    : ServerTransport(parent)
    , m_parser(maxMessageSize)
{
}

ServerWebSocketTransport::~ServerWebSocketTransport()
{
    // The subclass has closed the connection (closeConnection() in its destructor).
    if (m_flushScheduled)
        WriteCoalescer::current().cancel(this);
}

void ServerWebSocketTransport::send(const QList<Packet> &packets)
{
    if (!isConnectionOpen() || !isWritable())
        return;
    write(webSocketFrames(packets));
}

void ServerWebSocketTransport::sendEncoded(const QByteArray &frames)
{
    if (!isConnectionOpen() || !isWritable())
        return;
    if (m_pending.isEmpty())
        m_pending = frames; // shared, not copied
    else
        m_pending.append(frames);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        WriteCoalescer::current().schedule(this);
    }
}

void ServerWebSocketTransport::flushPending()
{
    m_flushScheduled = false;
    if (!m_pending.isEmpty())
        write({});
}

qint64 ServerWebSocketTransport::pendingBytes() const
{
    // A broadcast's frames waiting for the end of the pass count too.
    return m_pending.size() + (isConnectionOpen() ? connectionPendingBytes() : 0);
}

void ServerWebSocketTransport::write(QByteArrayView bytes)
{
    // Our frames go straight to the connection, onto the wire now, not on the next event-loop
    // pass: a client reading several connections sees our packets in the order we sent them
    // (a 3probe before the answer to a GET).
    if (!m_pending.isEmpty()) { // what waits for the end of the pass goes first
        const QByteArray pending = std::exchange(m_pending, {});
        write(pending);
    }
    if (!isConnectionOpen() || bytes.isEmpty())
        return;
    writeToConnection(bytes);
}

void ServerWebSocketTransport::receive(QByteArrayView data)
{
    const QPointer<ServerWebSocketTransport> self(this);
    m_unparsed = data;
    // A handler of what we deliver may close us: the rest of the bytes is then the closer's.
    while (self && isConnectionOpen() && !isClosed()) {
        qsizetype consumed = 0;
        const FrameParser::Result result = m_parser.parse(m_unparsed, &consumed);
        m_unparsed = m_unparsed.sliced(consumed);
        bool goOn = true;
        switch (result) {
        case FrameParser::Result::NeedMore:
            goOn = false;
            break;
        case FrameParser::Result::Message:
            goOn = onMessage();
            break;
        case FrameParser::Result::Ping:
            write(WebSocket::frame(Opcode::Pong, m_parser.payload()));
            break;
        case FrameParser::Result::Close:
            onClientClose();
            goOn = false;
            break;
        case FrameParser::Result::Error:
            fail(QStringLiteral("transport error"), m_parser.closeReason(), m_parser.closeCode());
            goOn = false;
            break;
        }
        if (!goOn)
            break;
    }
    if (self)
        m_unparsed = {};
}

bool ServerWebSocketTransport::onMessage()
{
    const QByteArray message = m_parser.takeMessage();
    if (m_parser.isBinary()) {
        reportPacket(decodeBinaryFrame(message));
        return true;
    }
    QString error;
    const auto packet = decodeText(message, &error);
    if (!packet) {
        fail(QStringLiteral("parse error"), error, CloseCode::Normal);
        return false;
    }
    if (packet->type == PacketType::Close) {
        // engine.io-client closes the WebSocket itself; a close packet asks the same.
        qCDebug(lcEngineIO) << "the client sent a close packet";
        closeConnection(CloseCode::Normal, {});
        finishClose();
        return false;
    }
    reportPacket(*packet);
    return true;
}

void ServerWebSocketTransport::onClientClose()
{
    const int code = m_parser.closeCode();
    const QString reason = m_parser.closeReason();
    qCDebug(lcEngineIO) << "the client closed its WebSocket:" << code << reason;
    // Our answer echoes its code (RFC 6455 §5.5.1), "normal" when it gave none.
    closeConnection(code == CloseCode::MissingStatusCode ? CloseCode::Normal : code, reason);
    if (WebSocket::isErrorCloseCode(code))
        reportFailure(QStringLiteral("transport error"), reason);
    else
        finishClose();
}

void ServerWebSocketTransport::onDisconnected()
{
    if (isClosed())
        return;
    setWritable(false);
    finishClose();
}

void ServerWebSocketTransport::fail(const QString &reason, const QString &description, int closeCode)
{
    qCDebug(lcEngineIO) << "closing a WebSocket:" << description;
    closeConnection(closeCode, description);
    reportFailure(reason, description);
}

void ServerWebSocketTransport::doClose()
{
    closeConnection(CloseCode::Normal, {});
    finishClose();
}

void ServerWebSocketTransport::doAbort()
{
    // No Close frame: it would wait behind everything the client is not reading. The reset
    // drops our unwritten output at once, the frames waiting for the end of the pass with it.
    setWritable(false);
    m_pending.clear();
    if (isConnectionOpen())
        resetConnection();
    finishClose();
}

void ServerWebSocketTransport::closeConnection(int closeCode, const QString &closeReason)
{
    setWritable(false);
    if (!isConnectionOpen())
        return;
    write(WebSocket::frame(Opcode::Close, WebSocket::closePayload(closeCode, closeReason)));
    m_pending.clear();
    handOverConnection();
}

// ---------------------------------------------------------------------------------------------

TlsWebSocketTransport::TlsWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize,
                                             QObject *parent)
    : ServerWebSocketTransport(maxMessageSize, parent)
    , m_socket(socket)
    , m_connection(connection)
{
    Q_ASSERT(connection);
    m_socket->setParent(this);
    // QWebSocket has answered the opening handshake; from here on we read the client's frames
    // ourselves, as we write ours. Its own reading cannot be stopped at a frame boundary, and
    // its only close closes the TCP connection at once, unread input and all, which resets the
    // connection (see WebSocketCloser). Left with the connection, it follows its state, and
    // writes nothing when deleted once the connection is closed.
    if (!QObject::disconnect(m_connection, &QIODevice::readyRead, m_socket, nullptr))
        qCWarning(lcEngineIO) << "could not stop QWebSocket reading its connection";
    connect(m_connection, &QIODevice::readyRead, this, &TlsWebSocketTransport::readAvailable);
    connect(m_connection, &QAbstractSocket::disconnected, this, &TlsWebSocketTransport::onDisconnected);
    if (m_socket->state() == QAbstractSocket::ConnectedState
        && m_connection->state() == QAbstractSocket::ConnectedState) {
        setWritable(true);
        if (m_connection->bytesAvailable())
            QMetaObject::invokeMethod(this, &TlsWebSocketTransport::readAvailable, Qt::QueuedConnection);
    } else { // closed while its handshake was being answered (garbage right after the request)
        QMetaObject::invokeMethod(this, &TlsWebSocketTransport::onDisconnected, Qt::QueuedConnection);
    }
}

TlsWebSocketTransport::~TlsWebSocketTransport()
{
    // Deleted while open (its session deleted without being closed): going away, cleanly.
    closeConnection(CloseCode::GoingAway, {});
}

void TlsWebSocketTransport::readAvailable()
{
    if (!m_connection || isClosed())
        return;
    const QByteArray data = m_connection->readAll();
    receive(data);
}

bool TlsWebSocketTransport::isConnectionOpen() const
{
    return m_connection && m_connection->state() != QAbstractSocket::UnconnectedState;
}

void TlsWebSocketTransport::writeToConnection(QByteArrayView bytes)
{
    if (m_connection->state() != QAbstractSocket::ConnectedState)
        return;
    m_connection->write(bytes.data(), bytes.size());
    m_connection->flush();
}

qint64 TlsWebSocketTransport::connectionPendingBytes() const
{
    return m_connection->bytesToWrite();
}

void TlsWebSocketTransport::handOverConnection()
{
    disconnect(m_connection, nullptr, this, nullptr);
    m_connection->flush();
    new WebSocketCloser(std::exchange(m_socket, nullptr), m_connection, std::move(m_parser), unparsed().toByteArray());
    m_connection = nullptr;
}

void TlsWebSocketTransport::resetConnection()
{
    disconnect(m_connection, nullptr, this, nullptr);
#ifdef Q_OS_UNIX
    // A reset, not a FIN: without it the kernel would keep what sits in its send buffer
    // (megabytes, for a client that does not read) and go on trying to deliver it.
    if (const qintptr fd = m_connection->socketDescriptor(); fd != -1) {
        const linger reset{1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
#endif
    m_connection->abort();
}

// ---------------------------------------------------------------------------------------------

WebSocketCloser::WebSocketCloser(QWebSocket *socket, QTcpSocket *connection, FrameParser parser, QByteArray unparsed)
    : m_connection(connection)
    , m_parser(std::move(parser))
{
    // Until it is done, the application owns it (when it lives on the application's thread):
    // a closer still lingering when the program ends goes with the application, not leaked.
    QObject *application = QCoreApplication::instance();
    if (application && application->thread() == thread())
        setParent(application);
    socket->setParent(this); // and the connection with it, its child
    m_parser.discardData();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_connection) {
            deleteLater();
            return;
        }
        qCDebug(lcEngineIO) << "no Close frame from" << m_connection->peerAddress() << "within"
                            << WebSocketLingerTimeoutMs << "ms: dropping the connection";
        m_connection->abort(); // disconnected() follows
    });
    connect(m_connection, &QIODevice::readyRead, this, &WebSocketCloser::readFrames);
    connect(m_connection, &QAbstractSocket::disconnected, this, &WebSocketCloser::onDisconnected);
    if (m_connection->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    m_timer.start(WebSocketLingerTimeoutMs);
    if (m_parser.closeReceived() || m_parser.consumeUntilClose(unparsed))
        m_connection->disconnectFromHost(); // the client has said its last: close now
    else if (m_connection->bytesAvailable()) // not from inside the transport's stack
        QMetaObject::invokeMethod(this, &WebSocketCloser::readFrames, Qt::QueuedConnection);
}

void WebSocketCloser::readFrames()
{
    if (!m_connection || m_parser.closeReceived() || m_connection->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_parser.consumeUntilClose(m_connection->readAll())) {
        // The handshake is complete and the client sends nothing more: closing now is a FIN
        // after what we wrote, not a reset. A client that closes first is fine too.
        qCDebug(lcEngineIO) << "close handshake complete with" << m_connection->peerAddress();
        m_connection->disconnectFromHost();
    }
}

void WebSocketCloser::onDisconnected()
{
    m_timer.stop();
    deleteLater();
}

} // namespace Roomcast::EngineIO
