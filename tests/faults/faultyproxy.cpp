#include "faultyproxy.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace {

constexpr int TickMs = 5;

} // namespace

FaultyProxy::FaultyProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_targetPort(targetPort)
{
    m_clock.start();
    m_ticker.setInterval(TickMs);
    m_ticker.setTimerType(Qt::PreciseTimer);
    connect(&m_ticker, &QTimer::timeout, this, &FaultyProxy::tick);
    connect(&m_server, &QTcpServer::newConnection, this, &FaultyProxy::onNewConnection);
}

FaultyProxy::~FaultyProxy()
{
    for (const QPointer<Link> &link : std::as_const(m_links)) {
        if (!link)
            continue;
        disconnect(link->client, nullptr, this, nullptr);
        disconnect(link->server, nullptr, this, nullptr);
        link->client->abort();
        link->server->abort();
        delete link.data();
    }
}

bool FaultyProxy::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

QUrl FaultyProxy::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

int FaultyProxy::openLinks() const
{
    return int(std::count_if(m_links.cbegin(), m_links.cend(), [](const QPointer<Link> &link) { return !link.isNull(); }));
}

void FaultyProxy::reset(QTcpSocket *socket)
{
    // SO_LINGER 0: the close is a reset, and nothing still queued is delivered.
    if (const qintptr fd = socket->socketDescriptor(); fd != -1) {
        const linger now{1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &now, sizeof now);
    }
    socket->abort();
}

void FaultyProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        if (!m_accepting) {
            reset(client);
            client->deleteLater();
            continue;
        }
        ++m_accepted;
        auto *link = new Link;
        link->setParent(this);
        link->client = client;
        client->setParent(link);
        link->server = new QTcpSocket(link);
        link->up.from = link->client;
        link->up.to = link->server;
        link->down.from = link->server;
        link->down.to = link->client;
        m_links.removeIf([](const QPointer<Link> &l) { return l.isNull(); });
        m_links.append(link);

        connect(link->client, &QIODevice::readyRead, link, [this, link] { relay(link, link->up); });
        connect(link->server, &QIODevice::readyRead, link, [this, link] { relay(link, link->down); });
        connect(link->server, &QAbstractSocket::connected, link, [this, link] { flush(link, link->up); });
        connect(link->client, &QAbstractSocket::disconnected, link, [this, link] { onEndClosed(link); });
        connect(link->server, &QAbstractSocket::disconnected, link, [this, link] { onEndClosed(link); });
        connect(link->server, &QAbstractSocket::errorOccurred, link, [this, link](QAbstractSocket::SocketError) {
            if (link->server->state() == QAbstractSocket::UnconnectedState)
                onEndClosed(link);
        });
        link->server->connectToHost(QHostAddress::LocalHost, m_targetPort);
        if (link->client->bytesAvailable())
            relay(link, link->up);
    }
}

void FaultyProxy::relay(Link *link, Pipe &pipe)
{
    if (link->stalled)
        return; // left unread: Qt's buffer is capped, the rest waits in the kernel
    const QByteArray bytes = pipe.from->readAll();
    if (bytes.isEmpty() || pipe.blackhole)
        return;
    pipe.queue.emplace_back(m_clock.elapsed() + m_latencyMs, bytes);
    if (!isSlow())
        flush(link, pipe); // slow: the ticker paces it

}

void FaultyProxy::flush(Link *link, Pipe &pipe)
{
    if (link->stalled || pipe.to->state() != QAbstractSocket::ConnectedState)
        return;
    const qint64 now = m_clock.elapsed();
    const bool slow = isSlow();
    // Called once a tick when slow: the budget is one tick's worth.
    qint64 budget = slow && m_bytesPerSecond > 0 ? std::max<qint64>(1, m_bytesPerSecond * TickMs / 1000) : -1;
    while (!pipe.queue.empty() && (!slow || pipe.queue.front().first <= now) && budget != 0) {
        QByteArray &chunk = pipe.queue.front().second;
        const qint64 size = budget < 0 ? chunk.size() : std::min<qint64>(budget, chunk.size());
        pipe.to->write(chunk.constData(), size);
        if (budget > 0)
            budget -= size;
        if (size == chunk.size())
            pipe.queue.pop_front();
        else
            chunk.remove(0, size);
    }
}

void FaultyProxy::tick()
{
    for (const QPointer<Link> &link : std::as_const(m_links)) {
        if (!link)
            continue;
        flush(link, link->up);
        flush(link, link->down);
    }
}

void FaultyProxy::onEndClosed(Link *link)
{
    const bool clientGone = link->client->state() == QAbstractSocket::UnconnectedState;
    const bool serverGone = link->server->state() == QAbstractSocket::UnconnectedState;
    if (clientGone && serverGone) {
        link->deleteLater();
        return;
    }
    if (link->stalled || link->closing)
        return; // a stalled link passes nothing on, not even a close
    link->closing = true;
    // What is still held goes first, then the close.
    for (Pipe *pipe : {&link->up, &link->down}) {
        if (pipe->to->state() == QAbstractSocket::ConnectedState) {
            for (const auto &[due, chunk] : pipe->queue)
                pipe->to->write(chunk);
        }
        pipe->queue.clear();
    }
    if (clientGone)
        link->server->disconnectFromHost();
    if (serverGone)
        link->client->disconnectFromHost();
}

void FaultyProxy::cut()
{
    for (const QPointer<Link> &link : std::as_const(m_links)) {
        if (!link)
            continue;
        disconnect(link->client, nullptr, link, nullptr);
        disconnect(link->server, nullptr, link, nullptr);
        reset(link->client);
        reset(link->server);
        link->deleteLater();
    }
    m_links.clear();
}

void FaultyProxy::stall()
{
    for (const QPointer<Link> &link : std::as_const(m_links)) {
        if (!link)
            continue;
        link->stalled = true;
        link->client->setReadBufferSize(1);
        link->server->setReadBufferSize(1);
    }
}

void FaultyProxy::blackholeDownstream()
{
    for (const QPointer<Link> &link : std::as_const(m_links))
        if (link)
            link->down.blackhole = true;
}

void FaultyProxy::setSlow(int latencyMs, qint64 bytesPerSecond)
{
    m_latencyMs = std::max(0, latencyMs);
    m_bytesPerSecond = std::max<qint64>(0, bytesPerSecond);
    if (m_latencyMs > 0 || m_bytesPerSecond > 0) {
        m_ticker.start();
    } else {
        m_ticker.stop();
        tick(); // what was held goes now
    }
}
