#include "transport.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUrlQuery>

namespace Roomcast::EngineIO {

namespace {

// The parameters the transports set themselves; a caller's parameter of the same name is dropped.
bool isReservedParameter(const QString &key)
{
    return key == QLatin1String("EIO") || key == QLatin1String("transport") || key == QLatin1String("sid")
        || key == QLatin1String("t");
}

// engine.io-client's cache buster: the time in base 36 and a little randomness, so that no
// cache (or proxy) ever answers a poll with a stored response.
QString cacheBusterValue()
{
    return QString::number(QDateTime::currentMSecsSinceEpoch(), 36).mid(3)
        + QString::number(QRandomGenerator::global()->bounded(36 * 36 * 36), 36);
}

void appendParameter(QByteArray &query, const QString &key, const QString &value)
{
    if (!query.isEmpty())
        query += '&';
    query += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
}

} // namespace

QString transportName(TransportType type)
{
    switch (type) {
    case TransportType::Polling:
        return QStringLiteral("polling");
    case TransportType::WebSocket:
        return QStringLiteral("websocket");
    }
    Q_UNREACHABLE();
}

bool Endpoint::fromUrl(const QUrl &url, const ClientOptions &options, Endpoint *endpoint)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        endpoint->secure = true;
    else if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        endpoint->secure = false;
    else
        return false;
    if (url.host().isEmpty())
        return false;

    endpoint->host = url.host();
    endpoint->port = url.port();

    // As engine.io-client does: exactly one trailing slash.
    QString path = options.path;
    while (path.endsWith(u'/'))
        path.chop(1);
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    endpoint->path = path + u'/';
    if (endpoint->path == QLatin1String("//"))
        endpoint->path = QStringLiteral("/");

    endpoint->query.clear();
    const auto addAll = [endpoint](const QList<QPair<QString, QString>> &items) {
        for (const auto &item : items) {
            if (isReservedParameter(item.first))
                continue;
            endpoint->query.removeIf([&item](const QPair<QString, QString> &existing) {
                return existing.first == item.first;
            });
            endpoint->query.append(item);
        }
    };
    addAll(options.query.queryItems(QUrl::FullyDecoded));
    addAll(QUrlQuery(url).queryItems(QUrl::FullyDecoded));

    endpoint->headers = options.extraHeaders;
    endpoint->sslConfiguration = options.sslConfiguration;
    endpoint->requestTimeoutMs = options.requestTimeoutMs;
    return true;
}

QUrl Endpoint::url(TransportType type, const QString &sid, bool cacheBuster) const
{
    QUrl url;
    if (type == TransportType::Polling)
        url.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    else
        url.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(path);

    QByteArray encoded;
    for (const auto &[key, value] : query)
        appendParameter(encoded, key, value);
    appendParameter(encoded, QStringLiteral("EIO"), QString::number(ProtocolVersion));
    appendParameter(encoded, QStringLiteral("transport"), transportName(type));
    if (!sid.isEmpty())
        appendParameter(encoded, QStringLiteral("sid"), sid);
    if (cacheBuster)
        appendParameter(encoded, QStringLiteral("t"), cacheBusterValue());
    url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);
    return url;
}

QString Endpoint::describe(TransportType type) const
{
    return url(type, QString(), false).toString(QUrl::RemoveQuery);
}

qint64 incomingMessageLimit(qint64 maxPayload)
{
    constexpr qint64 floor = 16 * 1024 * 1024;
    qint64 rounded = 1;
    while (rounded < maxPayload && rounded < (qint64(1) << 40))
        rounded <<= 1;
    return qMax(floor, rounded * 16);
}

Transport::Transport(const Endpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
}

} // namespace Roomcast::EngineIO
