#include "serverpolling_p.h"

#include "engineio/logging.h"
#include "engineio/serverconnection_p.h"

namespace Roomcast::EngineIO {

namespace {

// How long a close waits for the client's next GET to carry the close packet (as engine.io).
constexpr int CloseTimeoutMs = 30000;

Http::Headers withNoStore(Http::Headers headers, const QByteArray &contentType)
{
    headers.emplaceBack("Content-Type", contentType);
    headers.emplaceBack("Cache-Control", "no-store");
    return headers;
}

} // namespace

ServerPollingTransport::ServerPollingTransport(QObject *parent)
    : ServerTransport(parent)
{
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngineIO) << "no GET came to carry the close packet";
        m_shouldClose = false;
        finishClose();
    });
}

ServerPollingTransport::~ServerPollingTransport()
{
    // A GET still held (the session is being torn down) gets an empty answer rather than a hang.
    if (m_poll) {
        disconnect(m_poll, nullptr, this, nullptr);
        m_poll->respond(200, withNoStore(m_pollHeaders, "text/plain; charset=UTF-8"), encodeText(Packet::of(PacketType::Noop)));
    }
    releaseData();
}

void ServerPollingTransport::handleRequest(Http::Connection *connection, const Http::Headers &headers)
{
    const QByteArray &method = connection->request().method;
    if (method == "GET")
        onPollRequest(connection, headers);
    else if (method == "POST")
        onDataRequest(connection, headers);
    else
        connection->respond(500, headers, {});
}

void ServerPollingTransport::onPollRequest(Http::Connection *connection, const Http::Headers &headers)
{
    if (m_poll) {
        // Two GETs at once break packet ordering: the session ends (the first GET gets the close
        // packet) and the second is refused.
        reportFailure(QStringLiteral("transport error"), QStringLiteral("overlap from client"));
        connection->respond(400, headers, {});
        return;
    }
    if (isClosed() && !m_shouldClose) {
        connection->respond(400, headers, {});
        return;
    }
    m_poll = connection;
    m_pollHeaders = headers;
    connect(connection, &Http::Connection::closed, this, [this] {
        m_poll = nullptr;
        setWritable(false);
        reportFailure(QStringLiteral("transport error"), QStringLiteral("poll connection closed prematurely"));
    });
    setWritable(true);
    reportReady();
    if (isWritable() && m_shouldClose)
        send({Packet::of(PacketType::Noop)});
}

void ServerPollingTransport::onDataRequest(Http::Connection *connection, const Http::Headers &headers)
{
    if (m_data) {
        reportFailure(QStringLiteral("transport error"), QStringLiteral("data request overlap from client"));
        connection->respond(400, headers, {});
        return;
    }
    // Engine.IO v4 payloads are text; binary travels base64-encoded inside them.
    if (connection->request().header("content-type") == "application/octet-stream") {
        connection->respond(400, withNoStore(headers, "application/json"), R"({"code":3,"message":"Bad request"})");
        reportFailure(QStringLiteral("transport error"), QStringLiteral("invalid content"));
        return;
    }
    m_data = connection;
    m_dataHeaders = headers;
    connect(connection, &Http::Connection::bodyReceived, this, &ServerPollingTransport::onBody);
    connect(connection, &Http::Connection::bodyTooLarge, this, [this] {
        qCDebug(lcEngineIO) << "POST body over maxHttpBufferSize";
        releaseData(); // the connection answers 413 itself
    });
    connect(connection, &Http::Connection::closed, this, [this] {
        m_data = nullptr;
        reportFailure(QStringLiteral("transport error"), QStringLiteral("data request connection closed prematurely"));
    });
    connection->readBody();
}

void ServerPollingTransport::releaseData()
{
    if (m_data)
        disconnect(m_data, nullptr, this, nullptr);
    m_data = nullptr;
}

void ServerPollingTransport::onBody(Http::Connection *connection, const QByteArray &body)
{
    const Http::Headers headers = m_dataHeaders;
    releaseData();
    const QPointer<Http::Connection> answer = connection;
    QString error;
    const auto packets = decodePayload(body, &error);
    if (!packets) {
        qCDebug(lcEngineIO) << "undecodable payload:" << error;
        connection->respond(400, withNoStore(headers, "application/json"), R"({"code":3,"message":"Bad request"})");
        reportFailure(QStringLiteral("parse error"), error);
        return;
    }
    const QPointer<ServerPollingTransport> self = this;
    for (const Packet &packet : *packets) {
        if (!self || isClosed())
            break;
        if (packet.type == PacketType::Close) {
            onClientClose();
            break;
        }
        reportPacket(packet);
    }
    if (answer)
        answer->respond(200, withNoStore(headers, "text/html"), "ok");
}

void ServerPollingTransport::onClientClose()
{
    qCDebug(lcEngineIO) << "the client sent a close packet";
    if (isWritable())
        send({Packet::of(PacketType::Noop)});
    finishClose();
}

void ServerPollingTransport::send(const QList<Packet> &packets)
{
    Q_ASSERT(isWritable() && m_poll);
    if (!m_poll)
        return;
    setWritable(false);
    QByteArray payload;
    bool closing = false;
    if (m_shouldClose) {
        QList<Packet> withClose = packets;
        withClose.append(Packet::of(PacketType::Close));
        payload = encodePayload(withClose);
        m_shouldClose = false;
        m_closeTimer.stop();
        closing = true;
    } else {
        payload = encodePayload(packets);
    }
    Http::Connection *connection = m_poll;
    m_poll = nullptr;
    disconnect(connection, nullptr, this, nullptr);
    connection->respond(200, withNoStore(m_pollHeaders, "text/plain; charset=UTF-8"), payload);
    if (closing)
        finishClose();
}

void ServerPollingTransport::doClose()
{
    if (m_data) {
        Http::Connection *data = m_data;
        releaseData();
        data->abort();
    }
    if (isWritable()) {
        m_shouldClose = true;
        send({});
    } else if (isDiscarded()) {
        finishClose();
    } else {
        m_shouldClose = true;
        m_closeTimer.start(CloseTimeoutMs);
    }
}

void ServerPollingTransport::doAbort()
{
    m_shouldClose = false;
    m_closeTimer.stop();
    for (QPointer<Http::Connection> *held : {&m_poll, &m_data}) {
        if (Http::Connection *connection = *held) {
            disconnect(connection, nullptr, this, nullptr);
            *held = nullptr;
            connection->abort();
        }
    }
    setWritable(false);
    finishClose();
}

} // namespace Roomcast::EngineIO
