#include "serverwebsocket_p.h"

#include "engineio/logging.h"
#include "engineio/server.h"

#include <QCoreApplication>
#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace Roomcast::EngineIO {

namespace {

// RFC 6455 §7.1.1: after our Close frame, how long we wait for the client's (or for it to
// close), reading and dropping what it still sends, before we drop the connection.
constexpr int LingerTimeoutMs = 2000;

// Browsers and `ws` send each message in one frame. A message split into more fragments than
// this is an attack (an endless run of empty non-final frames never grows the message, so the
// size limits alone would never end it).
constexpr int MaxFragmentsPerMessage = 1024;

// RFC 6455 opcodes (QWebSocketProtocol keeps its own private).
constexpr int ContinuationFrame = 0x0;
constexpr int TextFrame = 0x1;
constexpr int BinaryFrame = 0x2;
constexpr int CloseFrame = 0x8;
constexpr int PingFrame = 0x9;
constexpr int PongFrame = 0xa;

// What the longest header says: 2 bytes, a 64-bit length, a masking key.
constexpr qint64 MaxHeaderSize = 14;
// A Close frame's reason, after its 2-byte code, within a control frame's 125 bytes.
constexpr qsizetype MaxCloseReasonSize = 123;

//! Appends an unmasked, unfragmented frame (RFC 6455 §5.2) — what a server sends.
void appendFrame(QByteArray &out, int opcode, QByteArrayView prefix, QByteArrayView payload)
{
    const quint64 length = quint64(prefix.size() + payload.size());
    char header[10];
    header[0] = char(0x80 | opcode); // FIN
    qsizetype headerSize = 2;
    if (length < 126) {
        header[1] = char(length);
    } else if (length <= 0xffff) {
        header[1] = char(126);
        qToBigEndian(quint16(length), header + 2);
        headerSize = 4;
    } else {
        header[1] = char(127);
        qToBigEndian(length, header + 2);
        headerSize = 10;
    }
    out.append(header, headerSize);
    out.append(prefix);
    out.append(payload);
}

QByteArray closePayload(int code, const QString &reason)
{
    char bytes[2];
    qToBigEndian(quint16(code), bytes);
    QByteArray payload(bytes, 2);
    QString shortened = reason;
    QByteArray utf8 = shortened.toUtf8();
    while (utf8.size() > MaxCloseReasonSize) { // cut whole characters, never a UTF-8 sequence
        shortened.chop(1);
        utf8 = shortened.toUtf8();
    }
    return payload + utf8;
}

//! The close codes a client may send (RFC 6455 §7.4; the registered ones as `ws` accepts them).
bool isValidCloseCode(int code)
{
    return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
           || (code >= 3000 && code <= 4999);
}

//! Close codes that say the client found fault with us, or we with it: the session ends with
//! "transport error" rather than "transport close".
bool isErrorCloseCode(int code)
{
    switch (code) {
    case QWebSocketProtocol::CloseCodeProtocolError:
    case QWebSocketProtocol::CloseCodeDatatypeNotSupported:
    case QWebSocketProtocol::CloseCodeWrongDatatype:
    case QWebSocketProtocol::CloseCodePolicyViolated:
    case QWebSocketProtocol::CloseCodeTooMuchData:
        return true;
    default:
        return false;
    }
}

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

QByteArray webSocketFrames(const QList<Packet> &packets)
{
    QByteArray out;
    qsizetype size = 0;
    for (const Packet &packet : packets)
        size += 10 + 1 + packet.data.size();
    out.reserve(size);
    for (const Packet &packet : packets) {
        if (packet.binary) {
            appendFrame(out, BinaryFrame, {}, packet.data);
            continue;
        }
        // The type digit, then the data (encodeText()), without a copy of the data.
        const char type = char('0' + int(packet.type));
        if (packet.data.isValidUtf8())
            appendFrame(out, TextFrame, QByteArrayView(&type, 1), packet.data);
        else // never put invalid UTF-8 in a text frame: the client would drop the connection
            appendFrame(out, TextFrame, QByteArrayView(&type, 1), QString::fromUtf8(packet.data).toUtf8());
    }
    return out;
}

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

ClientFrameReader::ClientFrameReader(qint64 maxMessageSize)
    : m_maxMessageSize(maxMessageSize)
{
}

ClientFrameReader::Result ClientFrameReader::read(QIODevice *device)
{
    for (;;) {
        switch (m_state) {
        case State::Closed:
            device->skip(device->bytesAvailable());
            return Result::NeedMore;
        case State::Header:
            if (const std::optional<Result> result = readHeader(device))
                return *result;
            break; // on to the payload
        case State::Payload:
            if (m_remaining > 0) {
                const qint64 wanted = qint64(qMin(m_remaining, quint64(device->bytesAvailable())));
                if (wanted <= 0)
                    return Result::NeedMore;
                qint64 got = 0;
                if (m_skip) {
                    got = device->skip(wanted);
                } else {
                    QByteArray &target = (m_opcode & 0x8) ? m_control : m_message;
                    const qsizetype start = target.size();
                    target.resize(start + wanted);
                    got = qMax<qint64>(0, device->read(target.data() + start, wanted));
                    target.resize(start + got);
                    char *data = target.data() + start;
                    for (qint64 i = 0; i < got; ++i)
                        data[i] = char(data[i] ^ m_mask[(m_offset + quint64(i)) & 3]);
                }
                if (got <= 0)
                    return Result::NeedMore;
                m_remaining -= quint64(got);
                m_offset += quint64(got);
                if (m_remaining > 0)
                    return Result::NeedMore;
            }
            m_state = State::Header;
            if (const std::optional<Result> result = finishFrame())
                return *result;
            break;
        }
    }
}

std::optional<ClientFrameReader::Result> ClientFrameReader::readHeader(QIODevice *device)
{
    char header[MaxHeaderSize];
    const qint64 available = device->peek(header, MaxHeaderSize);
    if (available < 2)
        return Result::NeedMore;
    const auto first = uchar(header[0]);
    const auto second = uchar(header[1]);
    const bool masked = second & 0x80;
    const int shortLength = second & 0x7f;
    const qint64 lengthSize = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
    const qint64 size = 2 + lengthSize + (masked ? 4 : 0);
    if (available < size)
        return Result::NeedMore;
    quint64 length = quint64(shortLength);
    if (shortLength == 126)
        length = qFromBigEndian<quint16>(header + 2);
    else if (shortLength == 127)
        length = qFromBigEndian<quint64>(header + 2);
    device->skip(size);

    m_opcode = first & 0x0f;
    m_final = first & 0x80;
    m_remaining = length;
    m_offset = 0;
    m_skip = false;
    if (masked)
        std::memcpy(m_mask, header + size - 4, 4);
    m_state = State::Payload;

    // Malformed frames (RFC 6455 §5.2, §5.5). Each says how long it is all the same, so the
    // stream can be followed past it (to the client's answer to our Close frame).
    const auto malformed = [this](const QString &why) { return fail(QWebSocketProtocol::CloseCodeProtocolError, why); };
    if (first & 0x70)
        return malformed(QStringLiteral("reserved bits set")); // no extension is negotiated
    if (!masked)
        return malformed(QStringLiteral("an unmasked frame"));
    if ((shortLength == 126 && length < 126) || (shortLength == 127 && length <= 0xffff) || (length >> 63))
        return malformed(QStringLiteral("a badly encoded frame length"));
    if (m_opcode & 0x8) {
        if (m_opcode > PongFrame)
            return malformed(QStringLiteral("a reserved opcode"));
        if (!m_final)
            return malformed(QStringLiteral("a fragmented control frame"));
        if (length > 125)
            return malformed(QStringLiteral("a control frame over 125 bytes"));
        m_control.clear();
        return std::nullopt;
    }
    if (m_opcode > BinaryFrame)
        return malformed(QStringLiteral("a reserved opcode"));

    // A data frame.
    if (m_discarding) {
        m_skip = true;
        return std::nullopt;
    }
    if (m_opcode == ContinuationFrame) {
        if (!m_fragmented)
            return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("a continuation with nothing to continue"));
    } else {
        if (m_fragmented)
            return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("a new message inside a fragmented one"));
        m_binary = m_opcode == BinaryFrame;
        m_message.clear();
        m_fragments = 0;
    }
    m_fragmented = !m_final;
    if (!m_final && ++m_fragments > MaxFragmentsPerMessage) {
        return fail(QWebSocketProtocol::CloseCodePolicyViolated,
                    QStringLiteral("more than %1 fragments in one message").arg(MaxFragmentsPerMessage));
    }
    if (length > quint64(m_maxMessageSize - m_message.size()))
        return fail(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("a message over %1 bytes").arg(m_maxMessageSize));
    if (m_message.isEmpty())
        m_message.reserve(qsizetype(length));
    return std::nullopt;
}

std::optional<ClientFrameReader::Result> ClientFrameReader::finishFrame()
{
    if (m_skip) // dropped, or malformed (a Close frame among them)
        return std::nullopt;
    switch (m_opcode) {
    case CloseFrame:
        return readClose();
    case PingFrame:
        if (m_discarding)
            return std::nullopt;
        return Result::Ping;
    case PongFrame: // we never ping at this level (Engine.IO has its own heartbeat)
        return std::nullopt;
    default:
        if (!m_final)
            return std::nullopt;
        if (!m_binary && !m_message.isValidUtf8())
            return fail(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("invalid UTF-8 in a text message"));
        return Result::Message;
    }
}

std::optional<ClientFrameReader::Result> ClientFrameReader::readClose()
{
    // Whatever it holds, the client sends nothing after it.
    m_closeReceived = true;
    m_discarding = true;
    m_state = State::Closed;
    if (m_control.size() == 1)
        return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("a one-byte Close frame"));
    int code = QWebSocketProtocol::CloseCodeMissingStatusCode;
    QByteArray reason;
    if (m_control.size() >= 2) {
        code = qFromBigEndian<quint16>(m_control.constData());
        if (!isValidCloseCode(code))
            return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("invalid close code %1").arg(code));
        reason = m_control.mid(2);
        if (!reason.isValidUtf8())
            return fail(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("invalid UTF-8 in a close reason"));
    }
    m_closeCode = code;
    m_closeReason = QString::fromUtf8(reason);
    return Result::Close;
}

ClientFrameReader::Result ClientFrameReader::fail(int closeCode, const QString &reason)
{
    m_closeCode = closeCode;
    m_closeReason = reason;
    m_discarding = true;
    m_skip = true;
    m_fragmented = false;
    m_message.clear();
    return Result::Error;
}

// ---------------------------------------------------------------------------------------------

ServerWebSocketTransport::ServerWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize,
                                                   QObject *parent)
    : ServerTransport(parent)
    , m_socket(socket)
    , m_connection(connection)
    , m_direct(!qobject_cast<QSslSocket *>(connection))
    , m_reader(maxMessageSize)
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
    connect(m_connection, &QIODevice::readyRead, this, &ServerWebSocketTransport::readFrames);
    connect(m_connection, &QAbstractSocket::disconnected, this, &ServerWebSocketTransport::onDisconnected);
    if (m_socket->state() == QAbstractSocket::ConnectedState
        && m_connection->state() == QAbstractSocket::ConnectedState) {
        setWritable(true);
        if (m_connection->bytesAvailable())
            QMetaObject::invokeMethod(this, &ServerWebSocketTransport::readFrames, Qt::QueuedConnection);
    } else { // closed while its handshake was being answered (garbage right after the request)
        QMetaObject::invokeMethod(this, &ServerWebSocketTransport::onDisconnected, Qt::QueuedConnection);
    }
}

ServerWebSocketTransport::~ServerWebSocketTransport()
{
    // Deleted while open (its session deleted without being closed): going away, cleanly.
    closeConnection(QWebSocketProtocol::CloseCodeGoingAway, {});
    if (m_flushScheduled)
        WriteCoalescer::current().cancel(this);
}

void ServerWebSocketTransport::send(const QList<Packet> &packets)
{
    if (!m_connection || !isWritable())
        return;
    writeBytes(webSocketFrames(packets));
}

void ServerWebSocketTransport::sendEncoded(const QByteArray &frames)
{
    if (!m_connection || !isWritable())
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
        writeBytes({});
}

qint64 ServerWebSocketTransport::pendingBytes() const
{
    // A broadcast's frames waiting for the end of the pass count too.
    return m_pending.size() + (m_connection ? m_connection->bytesToWrite() : 0);
}

void ServerWebSocketTransport::writeFrame(int opcode, QByteArrayView payload)
{
    if (!m_connection)
        return;
    QByteArray frame;
    frame.reserve(10 + payload.size());
    appendFrame(frame, opcode, {}, payload);
    writeBytes(frame);
}

void ServerWebSocketTransport::writeBytes(QByteArrayView bytes)
{
    // Our frames go straight to the connection: QWebSocket's own API takes text as a QString
    // and converts it back to UTF-8 for every socket, where a broadcast's payload should be
    // shared, not re-encoded. And onto the wire now, not on the next event-loop pass: a client
    // reading several connections sees our packets in the order we sent them (a 3probe before
    // the answer to a GET).
    if (!m_pending.isEmpty()) { // what waits for the end of the pass goes first
        const QByteArray pending = std::exchange(m_pending, {});
        writeBytes(pending);
    }
    if (!m_connection || bytes.isEmpty())
        return;
    if (m_direct && m_connection->bytesToWrite() == 0 && m_connection->state() == QAbstractSocket::ConnectedState) {
        // One system call, and no copy into a write buffer that the connection would then keep
        // (32 KiB for every idle client). What the kernel does not take yet (or an error, which
        // the connection then meets itself) goes the usual way.
        const ssize_t sent = ::send(int(m_connection->socketDescriptor()), bytes.data(), size_t(bytes.size()),
                                    MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent == bytes.size())
            return;
        bytes = bytes.sliced(qMax<ssize_t>(0, sent));
    }
    m_connection->write(bytes.data(), bytes.size());
    m_connection->flush();
}

void ServerWebSocketTransport::readFrames()
{
    const QPointer<ServerWebSocketTransport> self(this);
    // A handler of what we deliver may close us: the connection is then the closer's.
    while (self && m_connection && !isClosed()) {
        switch (m_reader.read(m_connection)) {
        case ClientFrameReader::Result::NeedMore:
            return;
        case ClientFrameReader::Result::Message:
            if (!onMessage())
                return;
            break;
        case ClientFrameReader::Result::Ping:
            writeFrame(PongFrame, m_reader.payload());
            break;
        case ClientFrameReader::Result::Close:
            onClientClose();
            return;
        case ClientFrameReader::Result::Error:
            fail(QStringLiteral("transport error"), m_reader.closeReason(), m_reader.closeCode());
            return;
        }
    }
}

bool ServerWebSocketTransport::onMessage()
{
    const QByteArray message = m_reader.takeMessage();
    if (m_reader.isBinary()) {
        Q_EMIT packetReceived(decodeBinaryFrame(message));
        return true;
    }
    QString error;
    const auto packet = decodeText(message, &error);
    if (!packet) {
        fail(QStringLiteral("parse error"), error, QWebSocketProtocol::CloseCodeNormal);
        return false;
    }
    if (packet->type == PacketType::Close) {
        // engine.io-client closes the WebSocket itself; a close packet asks the same.
        qCDebug(lcEngineIO) << "the client sent a close packet";
        closeConnection(QWebSocketProtocol::CloseCodeNormal, {});
        finishClose();
        return false;
    }
    Q_EMIT packetReceived(*packet);
    return true;
}

void ServerWebSocketTransport::onClientClose()
{
    const int code = m_reader.closeCode();
    const QString reason = m_reader.closeReason();
    qCDebug(lcEngineIO) << "the client closed its WebSocket:" << code << reason;
    // Our answer echoes its code (RFC 6455 §5.5.1), "normal" when it gave none.
    closeConnection(code == QWebSocketProtocol::CloseCodeMissingStatusCode ? int(QWebSocketProtocol::CloseCodeNormal) : code,
                    reason);
    if (isErrorCloseCode(code))
        Q_EMIT failed(QStringLiteral("transport error"), reason);
    else
        finishClose();
}

void ServerWebSocketTransport::onDisconnected()
{
    // The connection ended without a Close frame.
    if (isClosed())
        return;
    setWritable(false);
    finishClose();
}

void ServerWebSocketTransport::fail(const QString &reason, const QString &description, int closeCode)
{
    qCDebug(lcEngineIO) << "closing a WebSocket:" << description;
    closeConnection(closeCode, description);
    Q_EMIT failed(reason, description);
}

void ServerWebSocketTransport::doClose()
{
    closeConnection(QWebSocketProtocol::CloseCodeNormal, {});
    finishClose();
}

void ServerWebSocketTransport::doAbort()
{
    // No Close frame: it would wait behind everything the client is not reading. The reset
    // drops our unwritten output at once, the frames waiting for the end of the pass with it.
    setWritable(false);
    m_pending.clear();
    if (m_connection) {
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
    finishClose();
}

void ServerWebSocketTransport::closeConnection(int closeCode, const QString &closeReason)
{
    setWritable(false);
    if (!m_connection)
        return;
    disconnect(m_connection, nullptr, this, nullptr);
    if (m_connection->state() == QAbstractSocket::UnconnectedState)
        return; // nothing left to close; the socket goes with us
    if (m_connection->state() == QAbstractSocket::ConnectedState) {
        writeFrame(CloseFrame, closePayload(closeCode, closeReason));
        m_connection->flush();
    }
    new WebSocketCloser(std::exchange(m_socket, nullptr), m_connection, std::move(m_reader));
    m_connection = nullptr;
}

// ---------------------------------------------------------------------------------------------

WebSocketCloser::WebSocketCloser(QWebSocket *socket, QTcpSocket *connection, ClientFrameReader reader)
    : m_connection(connection)
    , m_reader(std::move(reader))
{
    // Until it is done, the application owns it (when it lives on the application's thread):
    // a closer still lingering when the program ends goes with the application, not leaked.
    QObject *application = QCoreApplication::instance();
    if (application && application->thread() == thread())
        setParent(application);
    socket->setParent(this); // and the connection with it, its child
    m_reader.discardData();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_connection) {
            deleteLater();
            return;
        }
        qCDebug(lcEngineIO) << "no Close frame from" << m_connection->peerAddress() << "within" << LingerTimeoutMs
                            << "ms: dropping the connection";
        m_connection->abort(); // disconnected() follows
    });
    connect(m_connection, &QIODevice::readyRead, this, &WebSocketCloser::readFrames);
    connect(m_connection, &QAbstractSocket::disconnected, this, &WebSocketCloser::onDisconnected);
    if (m_connection->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    m_timer.start(LingerTimeoutMs);
    if (m_reader.closeReceived())
        m_connection->disconnectFromHost(); // the client has said its last: close now
    else if (m_connection->bytesAvailable()) // not from inside the transport's stack
        QMetaObject::invokeMethod(this, &WebSocketCloser::readFrames, Qt::QueuedConnection);
}

void WebSocketCloser::readFrames()
{
    if (!m_connection || m_reader.closeReceived() || m_connection->state() != QAbstractSocket::ConnectedState)
        return;
    // Data frames are dropped unread, and so are malformed ones.
    while (m_reader.read(m_connection) != ClientFrameReader::Result::NeedMore) {
        if (m_reader.closeReceived()) {
            // The handshake is complete and the client sends nothing more: closing now is a FIN
            // after what we wrote, not a reset. A client that closes first is fine too.
            qCDebug(lcEngineIO) << "close handshake complete with" << m_connection->peerAddress();
            m_connection->disconnectFromHost();
            return;
        }
    }
}

void WebSocketCloser::onDisconnected()
{
    m_timer.stop();
    deleteLater();
}

} // namespace Roomcast::EngineIO
