#include "serverrawwebsocket_p.h"

#include "engineio/logging.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace Roomcast::EngineIO {

using WebSocket::FrameParser;

namespace {

//! What one read takes from the kernel at most.
constexpr qsizetype ReadChunkSize = 64 * 1024;
//! Written bytes are cut from the front of the queue once this many have gone.
constexpr qsizetype QueueCompactionBytes = 64 * 1024;

//! The buffer a connection reads into, borrowed for one read: one for every connection of the
//! thread, so that an idle connection holds none. A read nested in another (an event loop run
//! by a handler of what was read) gets its own.
class ReadBuffer
{
public:
    ReadBuffer()
    {
        static thread_local std::unique_ptr<char[]> shared;
        static thread_local bool busy = false;
        if (busy) {
            m_own = std::make_unique<char[]>(ReadChunkSize);
            m_data = m_own.get();
            return;
        }
        if (!shared)
            shared = std::make_unique<char[]>(ReadChunkSize);
        m_data = shared.get();
        m_busy = &busy;
        busy = true;
    }
    ~ReadBuffer()
    {
        if (m_busy)
            *m_busy = false;
    }
    ReadBuffer(const ReadBuffer &) = delete;
    ReadBuffer &operator=(const ReadBuffer &) = delete;

    char *data() const { return m_data; }
    static constexpr qsizetype size() { return ReadChunkSize; }

private:
    char *m_data = nullptr;
    bool *m_busy = nullptr;
    std::unique_ptr<char[]> m_own;
};

} // namespace

// ---------------------------------------------------------------------------------------------

RawSocket::RawSocket(int descriptor)
    : m_fd(descriptor)
{
}

RawSocket::RawSocket(RawSocket &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_context(std::exchange(other.m_context, nullptr))
    , m_handler(std::exchange(other.m_handler, nullptr))
    , m_readNotifier(std::exchange(other.m_readNotifier, nullptr))
    , m_writeNotifier(std::exchange(other.m_writeNotifier, nullptr))
    , m_queue(std::exchange(other.m_queue, {}))
    , m_queueOffset(std::exchange(other.m_queueOffset, 0))
{
}

// A socket notifier that calls its handler from event() instead of emitting activated():
// no connection record, connection list and signal vector for each of a server's sockets.
class RawSocket::Notifier final : public QSocketNotifier
{
public:
    Notifier(int descriptor, Type type, QObject *parent, Handler *handler)
        : QSocketNotifier(qintptr(descriptor), type, parent)
        , m_handler(handler)
    {
    }
    //! Who is told; nullptr once the descriptor is closed.
    void setHandler(Handler *handler) { m_handler = handler; }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != QEvent::SockAct && event->type() != QEvent::SockClose)
            return QSocketNotifier::event(event);
        if (m_handler) {
            if (type() == Read)
                m_handler->onReadable();
            else
                m_handler->onWritable();
        }
        return true;
    }

private:
    Handler *m_handler = nullptr;
};

RawSocket::~RawSocket()
{
    close();
}

void RawSocket::attach(QObject *context, Handler *handler)
{
    m_context = context;
    m_handler = handler;
    for (Notifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (!notifier)
            continue;
        // Taken over from the previous holder: safe inside its activation, unlike a deletion.
        notifier->setParent(context);
        notifier->setHandler(handler);
    }
    if (!m_readNotifier && m_fd >= 0)
        m_readNotifier = new Notifier(m_fd, QSocketNotifier::Read, context, handler);
}

qsizetype RawSocket::read(char *buffer, qsizetype size)
{
    if (m_fd < 0)
        return Failed;
    for (;;) {
        const ssize_t got = ::recv(m_fd, buffer, size_t(size), MSG_DONTWAIT);
        if (got >= 0)
            return qsizetype(got);
        if (errno == EINTR)
            continue;
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? WouldBlock : Failed;
    }
}

bool RawSocket::write(QByteArrayView bytes)
{
    if (m_fd < 0)
        return false;
    if (bytes.isEmpty())
        return true;
    if (queuedBytes() == 0) {
        // One system call, and no copy: most writes are taken whole.
        for (;;) {
            const ssize_t sent = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent >= 0) {
                bytes = bytes.sliced(sent);
                break;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return false;
        }
        if (bytes.isEmpty())
            return true;
    }
    m_queue.append(bytes);
    watchWrites(true);
    return true;
}

bool RawSocket::flush()
{
    while (m_fd >= 0 && queuedBytes() > 0) {
        const ssize_t sent = ::send(m_fd, m_queue.constData() + m_queueOffset, size_t(queuedBytes()),
                                    MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return false;
        }
        m_queueOffset += sent;
    }
    if (queuedBytes() == 0) {
        m_queue = QByteArray(); // nothing kept for an idle connection
        m_queueOffset = 0;
        watchWrites(false);
    } else if (m_queueOffset >= QueueCompactionBytes) {
        m_queue.remove(0, m_queueOffset);
        m_queueOffset = 0;
    }
    return m_fd >= 0;
}

void RawSocket::watchWrites(bool on)
{
    if (!on) {
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
        return;
    }
    if (!m_writeNotifier && m_context && m_fd >= 0) {
        m_writeNotifier = new Notifier(m_fd, QSocketNotifier::Write, m_context, m_handler);
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(true);
}

void RawSocket::close(bool reset)
{
    if (m_fd < 0)
        return;
    // Off the event loop before the descriptor goes (its number may be reused at once); not
    // deleted here, as this may run inside one of their activations.
    for (Notifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (!notifier)
            continue;
        notifier->setEnabled(false);
        notifier->setHandler(nullptr);
        notifier->deleteLater();
    }
    m_readNotifier = m_writeNotifier = nullptr;
    if (reset) {
        // A reset, not a FIN: without it the kernel would keep what sits in its send buffer
        // (megabytes, for a client that does not read) and go on trying to deliver it.
        const linger option{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    }
    ::close(m_fd);
    m_fd = -1;
    m_queue = QByteArray();
    m_queueOffset = 0;
}

// ---------------------------------------------------------------------------------------------

RawWebSocketTransport::RawWebSocketTransport(int descriptor, QByteArray unread, QByteArrayView handshakeResponse,
                                             qint64 maxMessageSize, QObject *parent)
    : ServerWebSocketTransport(maxMessageSize, parent)
    , m_socket(descriptor)
    , m_unread(std::move(unread))
{
    m_socket.attach(this, this);
    if (!m_socket.write(handshakeResponse)) {
        onBroken();
        return;
    }
    setWritable(true);
    if (!m_unread.isEmpty()) // not from inside the server's stack
        QMetaObject::invokeMethod(this, [this] { onReadable(); }, Qt::QueuedConnection);
}

RawWebSocketTransport::~RawWebSocketTransport()
{
    // Deleted while open (its session deleted without being closed): going away, cleanly.
    closeConnection(WebSocket::CloseCode::GoingAway, {});
}

void RawWebSocketTransport::onReadable()
{
    if (!m_socket.isOpen() || isClosed())
        return;
    if (!m_unread.isEmpty()) {
        const QPointer<RawWebSocketTransport> self(this);
        const QByteArray unread = std::exchange(m_unread, {});
        receive(unread);
        if (!self || !m_socket.isOpen() || isClosed())
            return;
    }
    ReadBuffer buffer;
    const qsizetype got = m_socket.read(buffer.data(), buffer.size());
    if (got == RawSocket::WouldBlock)
        return;
    if (got == RawSocket::EndOfStream || got == RawSocket::Failed) {
        // The connection ended without a Close frame (or broke).
        m_socket.close();
        onDisconnected();
        return;
    }
    receive(QByteArrayView(buffer.data(), got));
}

void RawWebSocketTransport::onWritable()
{
    if (!m_socket.flush())
        onBroken();
}

void RawWebSocketTransport::onBroken()
{
    // Not from inside whoever wrote (a broadcast's loop): the session learns of it from the
    // event loop, as it would from a QTcpSocket.
    m_socket.close();
    setWritable(false);
    QMetaObject::invokeMethod(this, [this] { onDisconnected(); }, Qt::QueuedConnection);
}

void RawWebSocketTransport::writeToConnection(QByteArrayView bytes)
{
    if (!m_socket.write(bytes))
        onBroken();
}

void RawWebSocketTransport::handOverConnection()
{
    new RawWebSocketCloser(std::move(m_socket), std::move(m_parser), m_unread + unparsed().toByteArray());
    m_unread.clear();
}

void RawWebSocketTransport::resetConnection()
{
    m_socket.close(true);
}

// ---------------------------------------------------------------------------------------------

RawWebSocketCloser::RawWebSocketCloser(RawSocket socket, FrameParser parser, QByteArray unparsed)
    : m_socket(std::move(socket))
    , m_parser(std::move(parser))
{
    // It owns itself for as long as it lingers; should the event loop end first (the program
    // exits), the application deletes it, and its descriptor is closed, rather than leaked.
    if (QCoreApplication *application = QCoreApplication::instance(); application && application->thread() == thread())
        setParent(application);
    m_parser.discardData();
    m_socket.attach(this, this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngineIO) << "no Close frame within" << WebSocketLingerTimeoutMs << "ms: dropping the connection";
        finish(true);
    });
    if (!m_socket.isOpen()) {
        deleteLater();
        return;
    }
    m_timer.start(WebSocketLingerTimeoutMs);
    if (m_parser.closeReceived() || m_parser.consumeUntilClose(unparsed))
        finish(false); // the client has said its last: close once our Close frame is out
}

RawWebSocketCloser::~RawWebSocketCloser() = default;

void RawWebSocketCloser::onReadable()
{
    if (!m_socket.isOpen())
        return;
    ReadBuffer buffer;
    const qsizetype got = m_socket.read(buffer.data(), buffer.size());
    if (got == RawSocket::WouldBlock)
        return;
    if (got == RawSocket::EndOfStream || got == RawSocket::Failed) {
        finish(true); // the client is gone (or has closed first, which is fine too)
        return;
    }
    if (!m_parser.closeReceived() && m_parser.consumeUntilClose(QByteArrayView(buffer.data(), got))) {
        // The handshake is complete and the client sends nothing more: closing now is a FIN
        // after what we wrote, not a reset.
        qCDebug(lcEngineIO) << "close handshake complete";
        finish(false);
    }
}

void RawWebSocketCloser::onWritable()
{
    if (!m_socket.flush()) {
        finish(true);
        return;
    }
    if (m_closeWhenWritten && m_socket.queuedBytes() == 0)
        finish(true);
}

void RawWebSocketCloser::finish(bool now)
{
    if (!now && m_socket.queuedBytes() > 0) {
        m_closeWhenWritten = true; // onWritable() closes
        return;
    }
    m_timer.stop();
    m_socket.close();
    deleteLater();
}

} // namespace Roomcast::EngineIO
