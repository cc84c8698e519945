#include "serverconnection_p.h"

#include "engineio/logging.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#endif

namespace Roomcast::EngineIO::Http {

namespace {

// Beyond the head cap, so that a whole head always fits in the socket's buffer; a client that
// sends more while its request is being handled is held back by TCP instead of our memory.
constexpr qint64 ReadBufferSlack = 64 * 1024;
// How long a connection being closed waits for the client to close first.
constexpr int LingerMs = 2000;

} // namespace

Connection::Connection(QTcpSocket *socket, const ConnectionLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(m_limits.head.maxBytes + ReadBufferSlack);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Connection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readAvailable);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
}

Connection::~Connection() = default;

void Connection::start()
{
    m_timer.start(m_limits.requestTimeoutMs);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        // Gone before we looked at it.
        QMetaObject::invokeMethod(this, &Connection::onDisconnected, Qt::QueuedConnection);
        return;
    }
    readAvailable();
}

bool Connection::isSecure() const
{
    return qobject_cast<QSslSocket *>(m_socket) != nullptr;
}

void Connection::readAvailable()
{
    switch (m_state) {
    case State::Idle:
    case State::ReadingHead:
        readHead();
        break;
    case State::ReadingBody:
        readMoreBody();
        break;
    case State::Dispatched:
    case State::Handling:
        break; // a pipelined request waits for the answer to this one
    case State::Closing:
    case State::Closed:
        m_socket->skip(m_socket->bytesAvailable());
        break;
    }
}

void Connection::readHead()
{
    if (!m_socket->bytesAvailable())
        return;
    if (m_state == State::Idle) {
        m_state = State::ReadingHead;
        m_timer.start(m_limits.requestTimeoutMs);
    }
    const QByteArray data = m_socket->peek(qMin<qint64>(m_socket->bytesAvailable(), m_limits.head.maxBytes + 1));
    HeadParseResult result = parseRequestHead(data, m_limits.head);
    switch (result.status) {
    case HeadParseResult::Status::Incomplete:
        return;
    case HeadParseResult::Status::Error:
        qCDebug(lcEngineIO) << "refusing a request from" << m_socket->peerAddress() << ":" << result.error;
        fail(result.errorStatus, result.error);
        return;
    case HeadParseResult::Status::Complete:
        break;
    }
    m_head = std::move(result.head);
    m_body.clear();
    m_chunked.reset();
    ++m_requestCount;
    m_state = State::Dispatched;
    m_framing = bodyFraming(m_head);
    if (m_head.isWebSocketUpgrade()) {
        // Left in the socket for QWebSocketServer, which reads the head itself.
        m_headConsumed = false;
        m_headSize = result.size;
        m_timer.stop();
    } else {
        m_socket->skip(result.size);
        m_headConsumed = true;
        if (m_framing.kind == BodyFraming::Kind::Invalid) {
            fail(400, m_framing.error);
            return;
        }
        // The request timeout goes on until the body is in; a request waiting for its
        // answer (a long-polling GET) is bounded by the heartbeat instead.
        if (m_framing.kind == BodyFraming::Kind::None)
            m_timer.stop();
    }
    Q_EMIT requestReceived(this);
}

void Connection::readBody()
{
    if (m_state != State::Dispatched || !m_headConsumed)
        return;
    switch (m_framing.kind) {
    case BodyFraming::Kind::None:
    case BodyFraming::Kind::Invalid:
        finishBody();
        return;
    case BodyFraming::Kind::Length:
        if (m_framing.length > m_limits.maxBodySize) {
            Q_EMIT bodyTooLarge(this);
            respond(413, {}, {}, true);
            return;
        }
        m_body.reserve(m_framing.length);
        break;
    case BodyFraming::Kind::Chunked:
        m_chunked.emplace(m_limits.maxBodySize);
        break;
    }
    m_state = State::ReadingBody;
    readMoreBody();
}

void Connection::readMoreBody()
{
    if (m_framing.kind == BodyFraming::Kind::Length) {
        const qint64 missing = m_framing.length - m_body.size();
        m_body += m_socket->read(qMin(missing, m_socket->bytesAvailable()));
        if (m_body.size() == m_framing.length)
            finishBody();
        return;
    }
    const QByteArray data = m_socket->peek(m_socket->bytesAvailable());
    m_socket->skip(m_chunked->feed(data, &m_body));
    switch (m_chunked->status()) {
    case ChunkedDecoder::Status::NeedMore:
        break;
    case ChunkedDecoder::Status::Done:
        finishBody();
        break;
    case ChunkedDecoder::Status::TooLarge:
        Q_EMIT bodyTooLarge(this);
        respond(413, {}, {}, true);
        break;
    case ChunkedDecoder::Status::Error:
        fail(400, QStringLiteral("malformed chunked body"));
        break;
    }
}

void Connection::finishBody()
{
    m_timer.stop();
    m_state = State::Handling;
    m_framing.kind = BodyFraming::Kind::None; // read: nothing left to skip
    // Delivered from the event loop, after the other connections' pending input (as Node's
    // 'end' event): a GET sent just before this POST on another connection is seen first.
    QTimer::singleShot(0, this, [this, body = std::exchange(m_body, {})] {
        if (m_state == State::Handling)
            Q_EMIT bodyReceived(this, body);
    });
}

void Connection::respond(int status, const Headers &headers, QByteArrayView body, bool close)
{
    if (m_state == State::Closing || m_state == State::Closed || !m_socket)
        return;
    // An unread body (or an unread upgrade head) cannot be skipped safely: end the connection.
    const bool unreadBody = m_state == State::ReadingBody
                            || (m_state == State::Dispatched && m_framing.kind != BodyFraming::Kind::None);
    close = close || unreadBody || !m_headConsumed || !m_head.keepAlive();
    Headers all = headers;
    all.emplaceBack("Connection", close ? "close" : "keep-alive");
    if (!close)
        all.emplaceBack("Keep-Alive", "timeout=" + QByteArray::number(qMax(1, m_limits.keepAliveTimeoutMs / 1000)));
    m_socket->write(response(status, all, body));
    m_socket->flush(); // see ServerWebSocketTransport::send()
    m_head = {};
    if (close) {
        closeAfterWriting(true);
        return;
    }
    m_state = State::Idle;
    m_timer.start(m_limits.keepAliveTimeoutMs);
    if (m_socket->bytesAvailable()) // a pipelined request; not from inside the caller's stack
        QMetaObject::invokeMethod(this, &Connection::readAvailable, Qt::QueuedConnection);
}

QTcpSocket *Connection::takeSocket()
{
    QTcpSocket *socket = m_socket;
    if (!socket)
        return nullptr;
    m_timer.stop();
    disconnect(socket, nullptr, this, nullptr);
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_state = State::Closed;
    deleteLater();
    return socket;
}

Connection::Descriptor Connection::takeDescriptor()
{
    Descriptor taken;
    QTcpSocket *socket = m_socket;
    if (!socket || isSecure())
        return taken;
    m_timer.stop();
    disconnect(socket, nullptr, this, nullptr);
    m_state = State::Closed;
    deleteLater();
#ifdef Q_OS_UNIX
    if (socket->state() == QAbstractSocket::ConnectedState && !m_headConsumed) {
        socket->skip(m_headSize);
        taken.unread = socket->readAll();
        // A second descriptor for the same connection: closing the socket's own (below) does
        // not end the connection, which lives on as long as one of them is open.
        taken.fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        if (taken.fd < 0)
            qCWarning(lcEngineIO) << "cannot take over a connection's descriptor:" << qt_error_string(errno);
    }
#endif
    socket->abort();
    return taken;
}

void Connection::abort()
{
    if (!m_socket || m_state == State::Closed)
        return;
    m_socket->abort(); // disconnected() follows, if it was connected
    if (m_state != State::Closed)
        onDisconnected();
}

void Connection::shutdown()
{
    if (!m_socket || m_state == State::Closing || m_state == State::Closed)
        return;
    m_socket->flush();
    closeAfterWriting(false);
}

void Connection::fail(int status, const QString &why)
{
    Q_UNUSED(why);
    // The reason stays in the debug log: nothing of the request is echoed to the client.
    respond(status, {{"Content-Type", "text/plain; charset=utf-8"}}, reasonPhrase(status), true);
}

void Connection::closeAfterWriting(bool linger)
{
    m_state = State::Closing;
    m_lingering = linger;
    if (linger) {
        // Closing a socket with unread input makes the kernel reset the connection, and a reset
        // can destroy our answer before the client reads it. So (as nginx's lingering close)
        // wait for the client, who was told "Connection: close", to close first, discarding
        // what it still sends; after LingerMs we close anyway.
        m_socket->skip(m_socket->bytesAvailable());
        m_socket->flush();
        m_timer.start(qMin(m_limits.requestTimeoutMs, LingerMs));
        return;
    }
    // A peer that never reads must not keep us in the closing state forever.
    m_timer.start(m_limits.requestTimeoutMs);
    m_socket->disconnectFromHost();
}

void Connection::onTimeout()
{
    switch (m_state) {
    case State::Idle:
        qCDebug(lcEngineIO) << "closing an idle connection from" << m_socket->peerAddress();
        closeAfterWriting(false);
        break;
    case State::ReadingHead:
    case State::ReadingBody:
        qCDebug(lcEngineIO) << "request timeout for" << m_socket->peerAddress();
        // The request is incomplete: 408, and the connection cannot be reused.
        m_state = State::Handling;
        m_headConsumed = true;
        respond(408, {{"Content-Type", "text/plain; charset=utf-8"}}, reasonPhrase(408), true);
        break;
    case State::Closing:
        if (m_lingering)
            closeAfterWriting(false);
        else
            abort();
        break;
    case State::Dispatched:
    case State::Handling:
    case State::Closed:
        break;
    }
}

void Connection::onDisconnected()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    Q_EMIT closed(this);
    deleteLater();
}

} // namespace Roomcast::EngineIO::Http
