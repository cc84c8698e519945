#include "pollingtransport.h"

#include "engineio/logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

namespace Roomcast::EngineIO {

namespace {

// The JSON body engine.io answers a refused request with: {"code":1,"message":"Session ID unknown"}.
QString serverMessage(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        const QString message = document.object().value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            return message;
    }
    return QString::fromUtf8(body.left(200)).trimmed();
}

} // namespace

PollingTransport::PollingTransport(const Endpoint &endpoint, QObject *parent)
    : Transport(endpoint, parent)
    , m_network(new QNetworkAccessManager(this))
    , m_incomingLimit(2 * incomingMessageLimit(Handshake().maxPayload))
{
}

PollingTransport::~PollingTransport()
{
    abort();
}

QNetworkRequest PollingTransport::makeRequest(bool timed) const
{
    QNetworkRequest request(m_endpoint.url(TransportType::Polling, m_sid, true));
    for (const auto &[name, value] : m_endpoint.headers)
        request.setRawHeader(name, value);
    if (m_endpoint.secure)
        request.setSslConfiguration(m_endpoint.sslConfiguration);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    // 0 disables the timeout: the long-polling GET is bounded by the heartbeat instead.
    request.setTransferTimeout(timed ? qMax(1, m_endpoint.requestTimeoutMs) : 0);
    return request;
}

void PollingTransport::open()
{
    qCDebug(lcEngineIO) << "polling: handshake with" << m_endpoint.describe(TransportType::Polling);
    poll();
}

void PollingTransport::poll()
{
    Q_ASSERT(!m_poll);
    // The handshake GET is an ordinary request; the ones after it wait for the server.
    m_poll = m_network->get(makeRequest(m_sid.isEmpty()));
    QNetworkReply *reply = m_poll;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPollFinished(reply); });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64) {
        if (reply == m_poll && received > m_incomingLimit)
            fail(Client::Error::ConnectionError,
                 tr("The server sent more than %1 bytes in one polling response.").arg(m_incomingLimit));
    });
}

void PollingTransport::onPollFinished(QNetworkReply *reply)
{
    Q_ASSERT(reply == m_poll);
    m_poll = nullptr;
    reply->deleteLater();
    if (!checkReply(reply))
        return;

    QString error;
    const auto packets = decodePayload(reply->readAll(), &error);
    if (!packets) {
        fail(Client::Error::ParseError, tr("The server sent an invalid polling payload: %1").arg(error));
        return;
    }
    Q_EMIT packetsReceived(*packets);
    if (m_done)
        return;
    if (m_pausing)
        checkPaused();
    else if (!m_sid.isEmpty())
        poll();
}

bool PollingTransport::isWritable() const
{
    return !m_done && !m_sid.isEmpty() && !m_post;
}

void PollingTransport::write(const QList<Packet> &packets)
{
    Q_ASSERT(isWritable());
    QNetworkRequest request = makeRequest(true);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain;charset=UTF-8"));
    QNetworkReply *reply = m_network->post(request, encodePayload(packets));
    m_post = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPostFinished(reply); });
}

void PollingTransport::onPostFinished(QNetworkReply *reply)
{
    Q_ASSERT(reply == m_post);
    m_post = nullptr;
    reply->deleteLater();
    if (!checkReply(reply))
        return;
    Q_EMIT drained();
    if (!m_done && m_pausing)
        checkPaused();
}

bool PollingTransport::checkReply(QNetworkReply *reply)
{
    // Some of Qt's messages quote the request URL; its query may hold the caller's secrets.
    const QString detail = reply->errorString().replace(reply->url().toString(), m_endpoint.describe(TransportType::Polling));
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    const int code = status.toInt();
    if (error == QNetworkReply::NoError && code >= 200 && code < 300)
        return true;

    if (error == QNetworkReply::SslHandshakeFailedError) {
        fail(Client::Error::SslError,
             tr("The secure connection to %1 failed: %2").arg(m_endpoint.host, detail));
    } else if (status.isValid() && (code < 200 || code >= 300)) {
        fail(Client::Error::HttpError, tr("The server answered HTTP %1: %2")
                                           .arg(code)
                                           .arg(serverMessage(reply->readAll())));
    } else if (error == QNetworkReply::OperationCanceledError) {
        // Only the transfer timeout cancels a reply we still hold; abort() forgets them first.
        fail(Client::Error::ConnectionError,
             tr("The request to %1 timed out after %2 ms.").arg(m_endpoint.host).arg(m_endpoint.requestTimeoutMs));
    } else {
        fail(Client::Error::ConnectionError,
             tr("Could not reach %1: %2").arg(m_endpoint.host, detail));
    }
    return false;
}

void PollingTransport::fail(Client::Error error, const QString &message)
{
    if (m_done)
        return;
    abort();
    Q_EMIT failed(error, message);
}

void PollingTransport::pause()
{
    m_pausing = true;
    checkPaused();
}

void PollingTransport::resume()
{
    m_pausing = false;
    if (!m_done && !m_poll && !m_sid.isEmpty())
        poll();
}

void PollingTransport::checkPaused()
{
    if (m_done || m_poll || m_post)
        return;
    m_pausing = false;
    Q_EMIT paused();
}

void PollingTransport::dropReply(QNetworkReply *&reply)
{
    if (!reply)
        return;
    QNetworkReply *old = std::exchange(reply, nullptr);
    disconnect(old, nullptr, this, nullptr);
    old->abort();
    old->deleteLater();
}

void PollingTransport::abort()
{
    m_done = true;
    dropReply(m_poll);
    dropReply(m_post);
}

} // namespace Roomcast::EngineIO
