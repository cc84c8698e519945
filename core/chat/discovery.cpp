#include "chat/discovery.h"

#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QPointer>
#include <QUdpSocket>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace Roomcast::Chat::Discovery {

namespace {

Q_LOGGING_CATEGORY(lcDiscovery, "roomcast.discovery", QtWarningMsg)

const QString AppName = QStringLiteral("roomcast");
const QString TypeAnnounce = QStringLiteral("announce");
const QString TypeBye = QStringLiteral("bye");

namespace Key {
const QString App = QStringLiteral("app");
const QString Version = QStringLiteral("v");
const QString Type = QStringLiteral("type");
const QString Id = QStringLiteral("id");
const QString Name = QStringLiteral("name");
const QString Port = QStringLiteral("port");
const QString Token = QStringLiteral("token");
const QString Interval = QStringLiteral("interval");
} // namespace Key

// An integral JSON number within [min, max].
std::optional<qint64> integerIn(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::trunc(d) || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

// Characters a server name never contains: C0/C1 controls, line and paragraph separators, and
// the bidi embeddings, overrides and isolates that could make a name display as another.
bool isForbiddenNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
        || c.category() == QChar::Separator_Paragraph || (u >= 0x202A && u <= 0x202E)
        || (u >= 0x2066 && u <= 0x2069);
}

bool isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > MaxNameLength || !name.isValidUtf16())
        return false;
    if (name.trimmed().isEmpty())
        return false;
    for (QChar c : name) {
        if (isForbiddenNameChar(c))
            return false;
    }
    return true;
}

bool isValidInstanceId(const QString &id)
{
    if (id.isEmpty() || id.size() > MaxInstanceIdLength)
        return false;
    for (QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-'
            || u == '_' || u == '.';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<Announcement> reject(const char *reason)
{
    qCDebug(lcDiscovery) << "dropped datagram:" << reason;
    return std::nullopt;
}

int lostAfterMs(int intervalMs)
{
    return int(std::ceil(intervalMs * LostAfterIntervals));
}

} // namespace

std::optional<Announcement> parseAnnouncement(QByteArrayView datagram)
{
    if (datagram.size() > MaxDatagramSize)
        return reject("too large");
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(datagram.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return reject("not JSON");
    if (!document.isObject())
        return reject("not a JSON object");
    const QJsonObject object = document.object();

    if (object.value(Key::App) != AppName)
        return reject("not a roomcast announcement");
    const auto version = integerIn(object.value(Key::Version), 0, std::numeric_limits<int>::max());
    if (!version)
        return reject("bad version");
    if (*version != ProtocolVersion)
        return reject("unknown version");

    Announcement result;
    const QJsonValue type = object.value(Key::Type);
    if (type == TypeAnnounce)
        result.type = Announcement::Type::Announce;
    else if (type == TypeBye)
        result.type = Announcement::Type::Bye;
    else
        return reject("bad type");

    const QJsonValue id = object.value(Key::Id);
    if (!id.isString() || !isValidInstanceId(id.toString()))
        return reject("bad id");
    result.instanceId = id.toString();
    if (result.type == Announcement::Type::Bye)
        return result;

    const QJsonValue name = object.value(Key::Name);
    if (!name.isString() || !isValidName(name.toString()))
        return reject("bad name");
    result.name = name.toString();

    const auto port = integerIn(object.value(Key::Port), 1, 65535);
    if (!port)
        return reject("bad port");
    result.port = quint16(*port);

    const QJsonValue token = object.value(Key::Token);
    if (!token.isBool())
        return reject("bad token flag");
    result.tokenRequired = token.toBool();

    const auto interval = integerIn(object.value(Key::Interval), MinIntervalMs, MaxIntervalMs);
    if (!interval)
        return reject("bad interval");
    result.intervalMs = int(*interval);
    return result;
}

QByteArray encodeAnnouncement(const Announcement &announcement)
{
    QJsonObject object{
        {Key::App, AppName},
        {Key::Version, ProtocolVersion},
        {Key::Id, announcement.instanceId},
    };
    if (announcement.type == Announcement::Type::Bye) {
        object.insert(Key::Type, TypeBye);
    } else {
        object.insert(Key::Type, TypeAnnounce);
        object.insert(Key::Name, announcement.name);
        object.insert(Key::Port, int(announcement.port));
        object.insert(Key::Token, announcement.tokenRequired);
        object.insert(Key::Interval, announcement.intervalMs);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString sanitizedServerName(const QString &name)
{
    QString cleaned = name;
    for (qsizetype i = 0; i < cleaned.size(); ++i) {
        const QChar c = cleaned.at(i);
        const bool loneSurrogate = (c.isHighSurrogate()
                                    && (i + 1 >= cleaned.size() || !cleaned.at(i + 1).isLowSurrogate()))
            || (c.isLowSurrogate() && (i == 0 || !cleaned.at(i - 1).isHighSurrogate()));
        if (isForbiddenNameChar(c) || loneSurrogate)
            cleaned[i] = QLatin1Char(' ');
    }
    cleaned = cleaned.simplified();
    if (cleaned.size() > MaxNameLength) {
        qsizetype cut = MaxNameLength;
        if (cleaned.at(cut - 1).isHighSurrogate())
            --cut;
        cleaned.truncate(cut);
        cleaned = cleaned.trimmed();
    }
    return cleaned;
}

QList<QHostAddress> defaultTargets()
{
    QList<QHostAddress> targets;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack) || !flags.testFlag(QNetworkInterface::CanBroadcast))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress broadcast = entry.broadcast();
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol && !broadcast.isNull()
                && !targets.contains(broadcast))
                targets.append(broadcast);
        }
    }
    targets.append(QHostAddress(QLatin1String(DefaultMulticastGroup)));
    return targets;
}

// ---------------------------------------------------------------------------------------------
// DiscoveryBeacon

DiscoveryBeacon::DiscoveryBeacon(QObject *parent)
    : QObject(parent)
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    setServerName(QString());
    m_timer.setInterval(DefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { send(announcement()); });
}

DiscoveryBeacon::~DiscoveryBeacon()
{
    stop();
}

QString DiscoveryBeacon::instanceId() const
{
    return m_instanceId;
}

QString DiscoveryBeacon::serverName() const
{
    return m_serverName;
}

void DiscoveryBeacon::setServerName(const QString &name)
{
    QString cleaned = sanitizedServerName(name);
    if (cleaned.isEmpty())
        cleaned = sanitizedServerName(QHostInfo::localHostName());
    if (cleaned.isEmpty())
        cleaned = AppName;
    if (cleaned == m_serverName)
        return;
    m_serverName = cleaned;
    announceIfActive();
}

quint16 DiscoveryBeacon::serverPort() const
{
    return m_serverPort;
}

void DiscoveryBeacon::setServerPort(quint16 port)
{
    if (port == m_serverPort)
        return;
    m_serverPort = port;
    announceIfActive();
}

bool DiscoveryBeacon::isTokenRequired() const
{
    return m_tokenRequired;
}

void DiscoveryBeacon::setTokenRequired(bool required)
{
    if (required == m_tokenRequired)
        return;
    m_tokenRequired = required;
    announceIfActive();
}

int DiscoveryBeacon::intervalMs() const
{
    return m_timer.interval();
}

void DiscoveryBeacon::setIntervalMs(int ms)
{
    m_timer.setInterval(std::clamp(ms, MinIntervalMs, MaxIntervalMs));
}

quint16 DiscoveryBeacon::port() const
{
    return m_port;
}

void DiscoveryBeacon::setPort(quint16 port)
{
    m_port = port;
}

QList<QHostAddress> DiscoveryBeacon::targets() const
{
    return m_targets.isEmpty() ? defaultTargets() : m_targets;
}

void DiscoveryBeacon::setTargets(const QList<QHostAddress> &addresses)
{
    m_targets = addresses;
}

bool DiscoveryBeacon::start()
{
    if (isActive())
        return true;
    if (m_serverPort == 0) {
        setError(Error::NoServerPort);
        return false;
    }
    auto *socket = new QUdpSocket(this);
    if (!socket->bind(QHostAddress(QHostAddress::AnyIPv4), 0)) {
        setError(Error::BindFailed, socket->errorString());
        delete socket;
        return false;
    }
    // Multicast stays on the LAN, and reaches browsers on this machine too.
    socket->setSocketOption(QAbstractSocket::MulticastTtlOption, 1);
    socket->setSocketOption(QAbstractSocket::MulticastLoopbackOption, 1);
    m_socket = socket;
    m_error = Error::NoError;
    m_errorDetail.clear();
    qCDebug(lcDiscovery) << "beacon" << m_instanceId << "announcing port" << m_serverPort << "every"
                         << intervalMs() << "ms to port" << m_port;
    send(announcement());
    m_timer.start();
    return true;
}

void DiscoveryBeacon::stop()
{
    if (!isActive())
        return;
    m_timer.stop();
    Announcement bye;
    bye.type = Announcement::Type::Bye;
    bye.instanceId = m_instanceId;
    send(bye);
    qCDebug(lcDiscovery) << "beacon" << m_instanceId << "stopped";
    delete m_socket;
    m_socket = nullptr;
}

bool DiscoveryBeacon::isActive() const
{
    return m_socket != nullptr;
}

DiscoveryBeacon::Error DiscoveryBeacon::error() const
{
    return m_error;
}

QString DiscoveryBeacon::errorString() const
{
    switch (m_error) {
    case Error::NoError:
        return QString();
    case Error::NoServerPort:
        return tr("There is no server port to announce on the local network.");
    case Error::BindFailed:
        return tr("Could not open a UDP socket to announce the server on the local network: %1")
            .arg(m_errorDetail);
    case Error::SendFailed:
        return tr("Could not announce the server on the local network: %1").arg(m_errorDetail);
    }
    return QString();
}

Announcement DiscoveryBeacon::announcement() const
{
    Announcement result;
    result.instanceId = m_instanceId;
    result.name = m_serverName;
    result.port = m_serverPort;
    result.tokenRequired = m_tokenRequired;
    result.intervalMs = intervalMs();
    return result;
}

void DiscoveryBeacon::announceIfActive()
{
    if (!isActive())
        return;
    send(announcement());
    m_timer.start(); // the next one a full interval after this
}

void DiscoveryBeacon::send(const Announcement &announcement)
{
    const QByteArray datagram = encodeAnnouncement(announcement);
    const QList<QHostAddress> addresses = targets();
    int sent = 0;
    QString lastError;
    for (const QHostAddress &address : addresses) {
        if (m_socket->writeDatagram(datagram, address, m_port) == datagram.size()) {
            ++sent;
        } else {
            // One interface without a route (multicast on a host with no default route) is normal.
            lastError = m_socket->errorString();
            qCDebug(lcDiscovery) << "beacon could not send to" << address << lastError;
        }
    }
    if (sent > 0 || addresses.isEmpty()) {
        m_error = Error::NoError;
        m_errorDetail.clear();
    } else if (m_error != Error::SendFailed) { // told once, not every interval
        setError(Error::SendFailed, lastError);
    }
}

void DiscoveryBeacon::setError(Error error, const QString &detail)
{
    m_error = error;
    m_errorDetail = detail;
    qCWarning(lcDiscovery).noquote() << errorString();
    Q_EMIT errorOccurred(error);
}

// ---------------------------------------------------------------------------------------------
// DiscoveryBrowser

DiscoveryBrowser::DiscoveryBrowser(QObject *parent)
    : QObject(parent)
    , m_multicastGroup(QLatin1String(DefaultMulticastGroup))
{
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &DiscoveryBrowser::expire);
}

DiscoveryBrowser::~DiscoveryBrowser() = default;

quint16 DiscoveryBrowser::port() const
{
    return m_port;
}

void DiscoveryBrowser::setPort(quint16 port)
{
    m_port = port;
}

QHostAddress DiscoveryBrowser::multicastGroup() const
{
    return m_multicastGroup;
}

void DiscoveryBrowser::setMulticastGroup(const QHostAddress &group)
{
    m_multicastGroup = group;
}

bool DiscoveryBrowser::start()
{
    if (isActive())
        return true;
    auto *socket = new QUdpSocket(this);
    if (!socket->bind(QHostAddress(QHostAddress::AnyIPv4), m_port,
                      QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        setError(Error::BindFailed, socket->errorString());
        delete socket;
        return false;
    }
    if (!m_multicastGroup.isNull() && !socket->joinMulticastGroup(m_multicastGroup)) {
        qCDebug(lcDiscovery) << "browser could not join" << m_multicastGroup << socket->errorString()
                             << "- listening for broadcasts only";
    }
    connect(socket, &QUdpSocket::readyRead, this, &DiscoveryBrowser::readDatagrams);
    m_socket = socket;
    m_error = Error::NoError;
    m_errorDetail.clear();
    qCDebug(lcDiscovery) << "browser listening on port" << boundPort();
    return true;
}

void DiscoveryBrowser::stop()
{
    if (!isActive())
        return;
    // Later: stop() may run in a slot called from this socket's readyRead.
    m_socket->disconnect(this);
    m_socket->close();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_expiryTimer.stop();
    const QList<Entry> entries = std::exchange(m_entries, {});
    for (const Entry &entry : entries)
        Q_EMIT serverLost(entry.server);
}

bool DiscoveryBrowser::isActive() const
{
    return m_socket != nullptr;
}

quint16 DiscoveryBrowser::boundPort() const
{
    return m_socket ? m_socket->localPort() : 0;
}

QList<DiscoveredServer> DiscoveryBrowser::servers() const
{
    QList<DiscoveredServer> result;
    result.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        result.append(entry.server);
    return result;
}

DiscoveryBrowser::Error DiscoveryBrowser::error() const
{
    return m_error;
}

QString DiscoveryBrowser::errorString() const
{
    switch (m_error) {
    case Error::NoError:
        return QString();
    case Error::BindFailed:
        return tr("Could not listen for servers on the local network (UDP port %1): %2")
            .arg(m_port)
            .arg(m_errorDetail);
    }
    return QString();
}

void DiscoveryBrowser::readDatagrams()
{
    // A slot connected to a signal emitted from handle() may stop (or restart) the browser.
    const QPointer<QUdpSocket> socket = m_socket;
    while (socket && socket == m_socket && socket->hasPendingDatagrams()) {
        // One byte more than allowed tells an oversized datagram from one exactly at the cap.
        const QNetworkDatagram datagram = socket->receiveDatagram(MaxDatagramSize + 1);
        if (!datagram.isValid())
            break;
        const auto announcement = parseAnnouncement(datagram.data());
        if (announcement)
            handle(*announcement, datagram.senderAddress());
    }
}

void DiscoveryBrowser::handle(const Announcement &announcement, const QHostAddress &sender)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &entry) {
        return entry.server.instanceId == announcement.instanceId;
    });

    if (announcement.type == Announcement::Type::Bye) {
        // Only from the address the server is listed at, so a bye heard another way cannot
        // remove it; it is still lost when its announcements stop.
        if (it == m_entries.end() || it->server.hostAddress != sender)
            return;
        const DiscoveredServer server = it->server;
        m_entries.erase(it);
        qCDebug(lcDiscovery) << "bye from" << server.instanceId << server.hostAddress;
        scheduleExpiry();
        Q_EMIT serverLost(server);
        return;
    }

    const auto expiry = QDeadlineTimer(lostAfterMs(announcement.intervalMs));
    const auto hostFresh = QDeadlineTimer(announcement.intervalMs * 3 / 2);
    if (it == m_entries.end()) {
        Entry entry;
        entry.server.hostAddress = sender;
        entry.server.port = announcement.port;
        entry.server.name = announcement.name;
        entry.server.tokenRequired = announcement.tokenRequired;
        entry.server.instanceId = announcement.instanceId;
        entry.server.lastSeen = QDateTime::currentDateTimeUtc();
        entry.expiry = expiry;
        entry.hostFresh = hostFresh;
        m_entries.append(entry);
        qCDebug(lcDiscovery) << "found" << entry.server.name << entry.server.hostAddress << entry.server.port;
        scheduleExpiry();
        Q_EMIT serverFound(entry.server);
        return;
    }

    // A host with several interfaces is heard from several addresses: keep the one it is listed
    // at while that one is still heard, and follow the server when it moves.
    DiscoveredServer updated = it->server;
    if (sender != updated.hostAddress) {
        if (!it->hostFresh.hasExpired()) {
            it->expiry = expiry;
            scheduleExpiry();
            return;
        }
        updated.hostAddress = sender;
    }
    updated.port = announcement.port;
    updated.name = announcement.name;
    updated.tokenRequired = announcement.tokenRequired;
    updated.lastSeen = QDateTime::currentDateTimeUtc();
    const bool changed = updated.hostAddress != it->server.hostAddress || updated.port != it->server.port
        || updated.name != it->server.name || updated.tokenRequired != it->server.tokenRequired;
    it->server = updated;
    it->expiry = expiry;
    it->hostFresh = hostFresh;
    scheduleExpiry();
    if (changed) {
        qCDebug(lcDiscovery) << "updated" << updated.name << updated.hostAddress << updated.port;
        Q_EMIT serverUpdated(updated);
    }
}

void DiscoveryBrowser::expire()
{
    QList<DiscoveredServer> lost;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->expiry.hasExpired()) {
            lost.append(it->server);
            it = m_entries.erase(it);
        } else {
            ++it;
        }
    }
    scheduleExpiry();
    for (const DiscoveredServer &server : std::as_const(lost)) {
        qCDebug(lcDiscovery) << "lost" << server.name << server.hostAddress << "(silent)";
        Q_EMIT serverLost(server);
    }
}

void DiscoveryBrowser::scheduleExpiry()
{
    if (m_entries.isEmpty()) {
        m_expiryTimer.stop();
        return;
    }
    qint64 nearest = std::numeric_limits<qint64>::max();
    for (const Entry &entry : std::as_const(m_entries))
        nearest = std::min(nearest, entry.expiry.remainingTime());
    m_expiryTimer.start(int(std::clamp<qint64>(nearest, 0, MaxIntervalMs * 4)));
}

void DiscoveryBrowser::setError(Error error, const QString &detail)
{
    m_error = error;
    m_errorDetail = detail;
    qCWarning(lcDiscovery).noquote() << errorString();
    Q_EMIT errorOccurred(error);
}

} // namespace Roomcast::Chat::Discovery
