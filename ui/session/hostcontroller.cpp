#include "hostcontroller.h"

#include "ui/session/joinurl.h"
#include "ui/session/tokenstore.h"

#include "chat/jwt.h"
#include "engineio/server.h"

#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHost, "roomcast.ui.host", QtInfoMsg)

namespace Roomcast::Ui {

namespace {

//! A stored secret shorter than this is not trusted to sign invites: a new one replaces it.
constexpr qsizetype MinSecretBytes = 16;

QByteArray newSecret()
{
    QByteArray secret(HostController::SecretBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(secret.data()),
                                         reinterpret_cast<quint32 *>(secret.data() + secret.size()));
    return secret;
}

//! A user id no other invite has: "guest-" and 48 random bits in hex.
QString newGuestId()
{
    const quint64 bits = QRandomGenerator::system()->generate64() & 0xffffffffffffULL;
    return QStringLiteral("guest-") + QString::number(bits, 16).rightJustified(12, u'0');
}

} // namespace

HostController::HostController(TokenStore *tokens, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
{
    Q_ASSERT(tokens);
}

HostController::~HostController()
{
    if (m_server) {
        disconnect(m_server, nullptr, this, nullptr);
        delete m_server;
    }
}

void HostController::start(const HostSettings &settings)
{
    if (m_state != State::Idle) {
        qCWarning(lcHost) << "start() while" << m_state << "ignored";
        return;
    }
    m_settings = settings;
    m_secretSaved = false;
    const quint64 attempt = ++m_attempt;
    setState(State::Starting);

    if (!settings.requireToken) {
        // An open room needs no secret; still answer after start() has returned, as always.
        QTimer::singleShot(0, this, [this, attempt] {
            if (attempt == m_attempt && m_state == State::Starting)
                secretReady({});
        });
        return;
    }

    m_tokens->loadHostingSecret(this, [this, attempt](const TokenStore::Result &loaded) {
        if (attempt != m_attempt || m_state != State::Starting)
            return; // stopped (and maybe started again) meanwhile
        if (loaded.isOk() && loaded.secret.size() >= MinSecretBytes) {
            m_secretSaved = true;
            return secretReady(loaded.secret);
        }
        // Nothing usable stored. Without a keychain, this session's copy (the store's, or ours
        // from an earlier start) keeps earlier invites valid; otherwise a new secret.
        QByteArray secret = loaded.secret.size() >= MinSecretBytes ? loaded.secret : m_secret;
        if (secret.size() < MinSecretBytes)
            secret = newSecret();
        if (loaded.status == TokenStore::Status::Denied) {
            // The keychain is there but refused us: never overwrite what it may hold.
            Q_EMIT secretNotSaved(loaded.errorString);
            return secretReady(secret);
        }
        m_tokens->storeHostingSecret(secret, this, [this, attempt, secret](const TokenStore::Result &stored) {
            if (attempt != m_attempt || m_state != State::Starting)
                return;
            m_secretSaved = stored.isOk();
            if (!m_secretSaved) {
                qCInfo(lcHost) << "the hosting secret is kept for this session only:" << stored.status;
                Q_EMIT secretNotSaved(stored.errorString);
            }
            secretReady(secret);
        });
    });
}

void HostController::secretReady(const QByteArray &secret)
{
    m_secret = secret.isEmpty() ? m_secret : secret; // an open room keeps the session's secret
    listen();
}

void HostController::listen()
{
    Server::ChatServerOptions options = m_baseOptions;
    options.secret = m_settings.requireToken ? m_secret : QByteArray();
    // Every token this room accepts was minted here, and every one expires.
    options.requireExp = m_settings.requireToken;
    options.dataDirectory = dataDirectory();
    options.announce.enabled = true;
    options.announce.name = m_settings.serverName; // the beacon uses the host name when empty

    auto *server = new Server::ChatServer(options, this);
    if (!server->listen(QHostAddress::Any, m_settings.port)) {
        const QString message = listenErrorMessage(*server, m_settings.port);
        qCWarning(lcHost) << "cannot host on port" << m_settings.port << ":" << server->errorString();
        delete server;
        return fail(message);
    }
    m_server = server;
    // Queued: shutDown() closes at once when nobody is connected, and stopped() always comes
    // after stop() has returned, as started() comes after start().
    connect(server, &Server::ChatServer::closed, this, &HostController::onServerClosed, Qt::QueuedConnection);
    qCInfo(lcHost) << "hosting on port" << server->serverPort() << (m_settings.requireToken ? "(protected)" : "(open)");
    setState(State::Hosting);
    Q_EMIT started();
}

QString HostController::listenErrorMessage(const Server::ChatServer &server, quint16 port) const
{
    using Error = EngineIO::Server::Error;
    switch (server.io()->engine()->error()) {
    case Error::AddressInUseError:
        return tr("Port %1 is already in use, perhaps by another Roomcast. Choose another port, or 0 for any "
                  "free port.")
            .arg(port);
    case Error::SocketAccessError:
        return tr("This user may not open port %1. Choose a port above 1023, or 0 for any free port.").arg(port);
    case Error::NoError:
        // The engine never got to listen: the history could not be opened.
        return tr("The room's history cannot be kept in %1 (%2). Check that the folder can be written to.")
            .arg(dataDirectory(), server.errorString());
    case Error::TlsConfigurationError:
    case Error::ListenError:
    case Error::AcceptError:
        break;
    }
    return tr("Cannot host on port %1 (%2). Choose another port, or 0 for any free port.")
        .arg(port)
        .arg(server.errorString());
}

void HostController::fail(const QString &message)
{
    setState(State::Idle);
    Q_EMIT startFailed(message);
}

void HostController::stop()
{
    switch (m_state) {
    case State::Idle:
    case State::Stopping:
        return;
    case State::Starting:
        ++m_attempt; // the keychain's answer, when it comes, is for nobody
        setState(State::Idle);
        QTimer::singleShot(0, this, &HostController::stopped);
        return;
    case State::Hosting:
        setState(State::Stopping);
        m_server->shutDown(ShutdownGraceMs);
        return;
    }
}

void HostController::onServerClosed()
{
    if (m_server)
        m_server->deleteLater();
    m_server = nullptr;
    qCInfo(lcHost) << "stopped hosting";
    setState(State::Idle);
    Q_EMIT stopped();
}

void HostController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

HostController::State HostController::state() const
{
    return m_state;
}

bool HostController::isHosting() const
{
    return m_state == State::Hosting;
}

HostSettings HostController::settings() const
{
    return m_settings;
}

quint16 HostController::port() const
{
    return isHosting() ? m_server->serverPort() : 0;
}

QUrl HostController::localUrl() const
{
    if (!isHosting())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QHostAddress(QHostAddress::LocalHost).toString());
    url.setPort(port());
    return url;
}

QList<QHostAddress> HostController::lanAddresses() const
{
    QList<QHostAddress> ipv4;
    QList<QHostAddress> ipv6;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isNull())
                continue;
            if (address.protocol() == QAbstractSocket::IPv4Protocol) {
                if (!ipv4.contains(address))
                    ipv4.append(address);
            } else if (address.protocol() == QAbstractSocket::IPv6Protocol && address.isGlobal()
                       && !address.isLinkLocal()) {
                address.setScopeId({});
                if (!ipv6.contains(address))
                    ipv6.append(address);
            }
        }
    }
    QList<QHostAddress> all = ipv4 + ipv6;
    if (all.isEmpty())
        all.append(QHostAddress(QHostAddress::LocalHost));
    return all;
}

QString HostController::roomName() const
{
    return m_settings.roomName;
}

bool HostController::requiresToken() const
{
    return m_settings.requireToken;
}

QString HostController::inviteUrl(const QHostAddress &address) const
{
    if (!isHosting())
        return {};
    QHostAddress host = address;
    if (host.isNull())
        host = lanAddresses().constFirst();
    host.setScopeId({}); // a link carries no zone id
    bool isIPv4 = false;
    const quint32 ipv4 = host.toIPv4Address(&isIPv4);
    if (isIPv4)
        host = QHostAddress(ipv4); // ::ffff:a.b.c.d as a.b.c.d

    QUrl serverUrl;
    serverUrl.setScheme(QStringLiteral("http"));
    serverUrl.setHost(host.toString());
    serverUrl.setPort(port());
    QString token;
    if (m_settings.requireToken)
        token = QString::fromLatin1(Chat::mintToken(newGuestId(), QStringLiteral("guest"), m_inviteTtl, m_secret));
    return JoinUrl::toInviteUrl(serverUrl, m_settings.roomName, token);
}

std::chrono::seconds HostController::inviteTtl() const
{
    return m_inviteTtl;
}

void HostController::setInviteTtl(std::chrono::seconds ttl)
{
    Q_ASSERT(ttl.count() > 0);
    if (ttl.count() > 0)
        m_inviteTtl = ttl;
}

QString HostController::hostToken(const QString &nickname) const
{
    if (!isHosting() || !m_settings.requireToken)
        return {};
    return QString::fromLatin1(Chat::mintToken(QStringLiteral("host"), nickname, HostTokenTtl, m_secret));
}

bool HostController::isSecretSaved() const
{
    return m_settings.requireToken && m_secretSaved;
}

Server::ChatServer *HostController::server() const
{
    return m_server;
}

QString HostController::defaultDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/hosted");
}

QString HostController::dataDirectory() const
{
    return m_dataDirectory.isEmpty() ? defaultDataDirectory() : m_dataDirectory;
}

void HostController::setDataDirectory(const QString &directory)
{
    m_dataDirectory = directory;
}

Server::ChatServerOptions HostController::baseOptions() const
{
    return m_baseOptions;
}

void HostController::setBaseOptions(const Server::ChatServerOptions &options)
{
    m_baseOptions = options;
}

} // namespace Roomcast::Ui
