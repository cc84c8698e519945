// HostController: host a room with the real chat server in process, join it with real
// ChatClients through the invite link, and stop it. Two registrations of this one binary, as
// tst_tokenstore:
//
// - tst_hostcontroller: a Secret Service is reachable (dbus-run-session with an unlocked
//   gnome-keyring-daemon, scripts/test.sh): the hosting secret goes to the keychain and a second
//   start (another controller, another store object) signs with the same one;
// - tst_hostcontroller_nokeychain (ROOMCAST_TEST_KEYCHAIN=absent, the session bus pointed
//   nowhere): the secret lives in memory, secretNotSaved() says so, and nothing under a fresh
//   HOME holds it or a token in any form.
//
// The server listens on every address, as the app's does; the clients reach it through the
// invite link's address, a local one. The LAN beacon is aimed at a browser on loopback.
#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/session/recentservers.h"
#include "ui/session/tokenstore.h"

#include "chat/chatclient.h"
#include "chat/discovery.h"
#include "chat/jwt.h"

#include <QDirIterator>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Ui::HostController;
using Ui::HostSettings;
using Ui::JoinUrl;
using Ui::TokenStore;

namespace {

constexpr int Timeout = 10000;

bool keychainAbsentMode()
{
    return qEnvironmentVariable("ROOMCAST_TEST_KEYCHAIN") == QLatin1String("absent");
}

HostSettings settings(bool requireToken, quint16 port = 0)
{
    HostSettings s;
    s.roomName = QStringLiteral("général");
    s.port = port;
    s.requireToken = requireToken;
    s.serverName = QStringLiteral("Ann's laptop");
    return s;
}

//! Starts @p host and waits for the outcome; the failure message, if any, in @p failure.
bool startAndWait(HostController &host, const HostSettings &settings, QString *failure = nullptr)
{
    QSignalSpy started(&host, &HostController::started);
    QSignalSpy failed(&host, &HostController::startFailed);
    host.start(settings);
    if (host.state() != HostController::State::Starting || !started.isEmpty() || !failed.isEmpty()) {
        qWarning("start() answered before returning");
        return false;
    }
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, Timeout)) {
        qWarning("no answer from start()");
        return false;
    }
    if (!failed.isEmpty()) {
        if (failure)
            *failure = failed.first().at(0).toString();
        else
            qWarning() << "start failed:" << failed.first().at(0).toString();
        return false;
    }
    return true;
}

std::unique_ptr<ChatClient> newClient()
{
    auto client = std::make_unique<ChatClient>();
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 50;
    options.manager.reconnectionDelayMaxMs = 200;
    client->setOptions(options);
    return client;
}

//! Connects @p client as @p link says and joins its room; false (with a warning) if either fails.
bool joinWithLink(ChatClient &client, const QString &link, const QString &nickname = {})
{
    const JoinUrl::Result parsed = JoinUrl::parse(link);
    if (!parsed.isValid()) {
        qWarning() << "the invite link does not parse:" << parsed.errorString;
        return false;
    }
    QSignalSpy loggedIn(&client, &ChatClient::loggedIn);
    QSignalSpy failed(&client, &ChatClient::loginFailed);
    client.connectToServer(parsed.request.serverUrl, parsed.request.token, nickname);
    if (!QTest::qWaitFor([&] { return !loggedIn.isEmpty() || !failed.isEmpty(); }, Timeout) || loggedIn.isEmpty()) {
        qWarning() << "login failed:" << client.errorString();
        return false;
    }
    QSignalSpy joined(&client, &ChatClient::joined);
    client.joinRoom(parsed.request.room);
    return joined.wait(Timeout) && joined.first().at(0).toString() == parsed.request.room;
}

//! The reason the server gives @p token (empty when it lets it in).
QString loginRefusal(const QUrl &url, const QString &token, const QString &nickname = {})
{
    auto client = newClient();
    QSignalSpy loggedIn(client.get(), &ChatClient::loggedIn);
    QSignalSpy failed(client.get(), &ChatClient::loginFailed);
    client->connectToServer(url, token, nickname);
    if (!QTest::qWaitFor([&] { return !loggedIn.isEmpty() || !failed.isEmpty(); }, Timeout))
        return QStringLiteral("(test) no answer");
    return failed.isEmpty() ? QString() : failed.first().at(0).toString();
}

//! The files under @p root whose bytes contain any of @p needles.
QStringList filesContaining(const QString &root, const QList<QByteArray> &needles)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            hits.append(path + QStringLiteral(" (unreadable)"));
            continue;
        }
        const QByteArray content = file.readAll();
        for (const QByteArray &needle : needles) {
            if (!needle.isEmpty() && content.contains(needle)) {
                hits.append(path);
                break;
            }
        }
    }
    return hits;
}

//! Every form a secret could take in a file.
QList<QByteArray> formsOf(const QByteArray &secret)
{
    const QString text = QString::fromLatin1(secret);
    return {secret,
            secret.toBase64(),
            secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            secret.toHex(),
            QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2),
            QUrl::toPercentEncoding(text)};
}

QString tokenOf(const QString &link)
{
    return JoinUrl::parse(link).request.token;
}

} // namespace

class tst_HostController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void openRoom();
    void protectedRoom();
    void stopTellsEveryone();
    void stopWhileStarting();
    void portInUse();
    void secretSurvivesARestart();
    void withoutKeychainTheSecretStaysInMemory();
    void settingsHoldNoSecret();
    void cleanupTestCase();

private:
    TokenStore::Result loadHostingSecret(TokenStore &store);

    QString m_service = QStringLiteral("Roomcast test ") + QUuid::createUuid().toString(QUuid::Id128);
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<TokenStore> m_tokens;
    std::unique_ptr<HostController> m_host;
    Chat::Discovery::DiscoveryBrowser *m_browser = nullptr;
};

void tst_HostController::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Roomcast tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_hostcontroller"));
    if (keychainAbsentMode()) {
        // Everything could write under a fresh HOME, scanned afterwards.
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        qputenv("HOME", QFile::encodeName(m_home->path()));
        for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
            qputenv(variable, QFile::encodeName(m_home->path() + u'/' + QString::fromLatin1(variable).toLower()));
        QVERIFY(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("nonexistent")));
    } else {
        QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's
    }
}

void tst_HostController::init()
{
    m_data = std::make_unique<QTemporaryDir>(keychainAbsentMode() ? m_home->filePath(QStringLiteral("data-XXXXXX"))
                                                                   : QDir::tempPath() + QStringLiteral("/host-XXXXXX"));
    QVERIFY(m_data->isValid());
    m_tokens = std::make_unique<TokenStore>(m_service);
    m_host = std::make_unique<HostController>(m_tokens.get());
    m_host->setDataDirectory(m_data->path());
    // The beacon announces to a browser on loopback only.
    m_browser = new Chat::Discovery::DiscoveryBrowser(m_host.get());
    m_browser->setPort(0);
    m_browser->setMulticastGroup(QHostAddress());
    QVERIFY(m_browser->start());
    Server::ChatServerOptions options;
    options.announce.port = m_browser->boundPort();
    options.announce.targets = {QHostAddress(QHostAddress::LocalHost)};
    options.announce.intervalMs = 100;
    m_host->setBaseOptions(options);
}

void tst_HostController::cleanup()
{
    m_host.reset();
    m_tokens.reset();
    m_data.reset();
}

TokenStore::Result tst_HostController::loadHostingSecret(TokenStore &store)
{
    QList<TokenStore::Result> results;
    QObject context;
    store.loadHostingSecret(&context, [&](const TokenStore::Result &result) { results.append(result); });
    if (!QTest::qWaitFor([&] { return !results.isEmpty(); }, Timeout))
        return {TokenStore::Status::Unavailable, {}, QStringLiteral("(test) timed out")};
    return results.first();
}

void tst_HostController::openRoom()
{
    QSignalSpy secretNotSaved(m_host.get(), &HostController::secretNotSaved);
    QSignalSpy found(m_browser, &Chat::Discovery::DiscoveryBrowser::serverFound);
    QVERIFY(startAndWait(*m_host, settings(false)));
    QVERIFY(m_host->isHosting());
    QVERIFY(m_host->port() > 0);
    QCOMPARE(m_host->server()->serverPort(), m_host->port());
    QVERIFY(m_host->server()->isOpen());
    QCOMPARE(m_host->localUrl(), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_host->port())));
    QCOMPARE(m_host->roomName(), QStringLiteral("général"));
    QVERIFY(!m_host->requiresToken());
    QVERIFY(!m_host->isSecretSaved());
    QVERIFY(secretNotSaved.isEmpty()); // an open room needs no keychain
    QVERIFY(m_host->hostToken(QStringLiteral("Ann")).isEmpty());

    // the LAN addresses: none loopback unless alone, no zone ids
    const QList<QHostAddress> addresses = m_host->lanAddresses();
    QVERIFY(!addresses.isEmpty());
    for (const QHostAddress &address : addresses) {
        QVERIFY2(!address.isLoopback() || addresses.size() == 1, qPrintable(address.toString()));
        QVERIFY(address.scopeId().isEmpty());
    }

    // the invite link: this machine's first address, the port, the room, no token
    const QString link = m_host->inviteUrl();
    const JoinUrl::Result parsed = JoinUrl::parse(link);
    QVERIFY2(parsed.isValid(), qPrintable(link + u' ' + parsed.errorString));
    QCOMPARE(QHostAddress(parsed.request.serverUrl.host()), addresses.first());
    QCOMPARE(parsed.request.serverUrl.port(), int(m_host->port()));
    QCOMPARE(parsed.request.room, QStringLiteral("général"));
    QVERIFY(parsed.request.token.isEmpty());
    // …or the address asked for
    const JoinUrl::Result loopback = JoinUrl::parse(m_host->inviteUrl(QHostAddress(QHostAddress::LocalHost)));
    QCOMPARE(loopback.request.serverUrl, m_host->localUrl());

    // a second client joins the room with it, and the host's own client sees her
    auto host = newClient();
    QVERIFY(joinWithLink(*host, m_host->inviteUrl(QHostAddress(QHostAddress::LocalHost)), QStringLiteral("Ann")));
    auto guest = newClient();
    QSignalSpy memberJoined(host.get(), &ChatClient::memberJoined);
    QVERIFY(joinWithLink(*guest, link, QStringLiteral("Bob")));
    QTRY_VERIFY_WITH_TIMEOUT(!memberJoined.isEmpty(), Timeout);
    QCOMPARE(memberJoined.first().at(1).value<Chat::Member>().name, QStringLiteral("Bob"));

    // and the LAN hears about it under the name given
    QVERIFY(m_host->server()->isAnnouncing());
    QTRY_VERIFY_WITH_TIMEOUT(!found.isEmpty(), Timeout);
    const auto server = found.first().at(0).value<Chat::Discovery::DiscoveredServer>();
    QCOMPARE(server.name, QStringLiteral("Ann's laptop"));
    QCOMPARE(server.port, m_host->port());
    QVERIFY(!server.tokenRequired);
}

void tst_HostController::protectedRoom()
{
    QVERIFY(startAndWait(*m_host, settings(true)));
    QVERIFY(m_host->requiresToken());
    QVERIFY(!m_host->server()->isOpen());
    QCOMPARE(m_host->isSecretSaved(), !keychainAbsentMode());

    // the invite carries a freshly minted guest token that expires in inviteTtl()
    QCOMPARE(m_host->inviteTtl(), std::chrono::seconds(std::chrono::hours(24)));
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QString link = m_host->inviteUrl();
    const JoinUrl::Result parsed = JoinUrl::parse(link);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString));
    QCOMPARE(parsed.request.room, QStringLiteral("général"));
    const Chat::TokenResult claims = Chat::decodeUnverified(parsed.request.token.toLatin1());
    QVERIFY(claims.isValid());
    QCOMPARE(claims.name, QStringLiteral("guest"));
    QVERIFY(claims.id.startsWith(QLatin1String("guest-")));
    QVERIFY(qAbs(before.secsTo(claims.expiresAt) - 24 * 3600) <= 5);
    // every link is another token, another user id
    const Chat::TokenResult other = Chat::decodeUnverified(tokenOf(m_host->inviteUrl()).toLatin1());
    QVERIFY(other.isValid());
    QVERIFY(other.id != claims.id);

    // a guest gets in with the link
    auto guest = newClient();
    QVERIFY(joinWithLink(*guest, link));
    QCOMPARE(guest->nickname(), QStringLiteral("guest"));
    QCOMPARE(guest->userId(), claims.id);

    // the host's own client, with its token
    const QString hostToken = m_host->hostToken(QStringLiteral("Ann"));
    const Chat::TokenResult hostClaims = Chat::decodeUnverified(hostToken.toLatin1());
    QCOMPARE(hostClaims.id, QStringLiteral("host"));
    QCOMPARE(hostClaims.name, QStringLiteral("Ann"));
    QVERIFY(loginRefusal(m_host->localUrl(), hostToken).isEmpty());

    // nobody without a token, nor with one signed by another key, nor with an expired invite
    QCOMPARE(loginRefusal(m_host->localUrl(), {}, QStringLiteral("Mallory")), QStringLiteral("token required"));
    const QString forged = QString::fromLatin1(Chat::mintToken(QStringLiteral("x"), QStringLiteral("Mallory"),
                                                               std::chrono::hours(1), "another secret"));
    QCOMPARE(loginRefusal(m_host->localUrl(), forged), QStringLiteral("bad signature"));
    m_host->setInviteTtl(std::chrono::seconds(1));
    const QString shortLived = tokenOf(m_host->inviteUrl());
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() >= Chat::decodeUnverified(shortLived.toLatin1()).expiresAt,
                             Timeout);
    QCOMPARE(loginRefusal(m_host->localUrl(), shortLived), QStringLiteral("token expired"));
}

void tst_HostController::stopTellsEveryone()
{
    QVERIFY(startAndWait(*m_host, settings(false)));
    auto guest = newClient();
    QVERIFY(joinWithLink(*guest, m_host->inviteUrl(), QStringLiteral("Bob")));
    QPointer<Server::ChatServer> server = m_host->server();

    QSignalSpy stopped(m_host.get(), &HostController::stopped);
    QSignalSpy states(m_host.get(), &HostController::stateChanged);
    QSignalSpy disconnected(guest.get(), &ChatClient::disconnected);
    m_host->stop();
    QCOMPARE(m_host->state(), HostController::State::Stopping);
    QVERIFY(!m_host->isHosting());
    QVERIFY(m_host->inviteUrl().isEmpty());
    m_host->stop(); // once is enough
    QVERIFY(stopped.wait(Timeout));
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("server shutting down"));
    QCOMPARE(m_host->state(), HostController::State::Idle);
    QVERIFY(!m_host->server());
    QCOMPARE(m_host->port(), quint16(0));
    QTRY_VERIFY_WITH_TIMEOUT(server.isNull(), Timeout); // the server object goes too
    QCOMPARE(states.size(), 2); // Stopping, Idle
    QCOMPARE(stopped.size(), 1);

    // and the same controller hosts again
    QVERIFY(startAndWait(*m_host, settings(false)));
    QVERIFY(m_host->isHosting());
}

void tst_HostController::stopWhileStarting()
{
    QSignalSpy started(m_host.get(), &HostController::started);
    QSignalSpy stopped(m_host.get(), &HostController::stopped);
    m_host->start(settings(true));
    QCOMPARE(m_host->state(), HostController::State::Starting);
    m_host->stop();
    QCOMPARE(m_host->state(), HostController::State::Idle);
    QVERIFY(stopped.wait(Timeout));
    // the keychain's answer comes to nobody: no server is started behind the user's back. (A
    // later operation's answer comes after it: the store's jobs run in order.)
    loadHostingSecret(*m_tokens);
    QVERIFY(started.isEmpty());
    QCOMPARE(m_host->state(), HostController::State::Idle);
    QVERIFY(!m_host->server());
}

void tst_HostController::portInUse()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    const quint16 port = squatter.serverPort();
    QString failure;
    QSignalSpy states(m_host.get(), &HostController::stateChanged);
    QVERIFY(!startAndWait(*m_host, settings(false, port), &failure));
    QCOMPARE(failure, QStringLiteral("Port %1 is already in use, perhaps by another Roomcast. Choose another port, "
                                     "or 0 for any free port.")
                          .arg(port));
    QCOMPARE(m_host->state(), HostController::State::Idle);
    QVERIFY(!m_host->server());
    QCOMPARE(states.size(), 2); // Starting, Idle

    // a port that is free again works
    squatter.close();
    QVERIFY(startAndWait(*m_host, settings(false, port)));
    QCOMPARE(m_host->port(), port);
}

void tst_HostController::secretSurvivesARestart()
{
    if (keychainAbsentMode())
        QSKIP("this run has no keychain: see withoutKeychainTheSecretStaysInMemory");
    QSignalSpy notSaved(m_host.get(), &HostController::secretNotSaved);
    QVERIFY(startAndWait(*m_host, settings(true)));
    QVERIFY2(notSaved.isEmpty(), qPrintable(notSaved.value(0).value(0).toString()));
    QVERIFY(m_host->isSecretSaved());
    const QString invite = tokenOf(m_host->inviteUrl());
    const QString hostToken = m_host->hostToken(QStringLiteral("Ann"));

    // the secret is in the keychain, read by any store object
    TokenStore other(m_service);
    const TokenStore::Result stored = loadHostingSecret(other);
    QVERIFY2(stored.isOk(), qPrintable(stored.errorString));
    QCOMPARE(stored.secret.size(), HostController::SecretBytes);
    QVERIFY(Chat::verifyToken(invite.toLatin1(), stored.secret).isValid());

    QSignalSpy stopped(m_host.get(), &HostController::stopped);
    m_host->stop();
    QVERIFY(stopped.wait(Timeout));

    // another controller (as after a restart of the app) signs with the same secret: the
    // links given out before still open the room
    HostController second(&other);
    second.setDataDirectory(m_data->path());
    QVERIFY(startAndWait(second, settings(true)));
    QVERIFY(second.isSecretSaved());
    QVERIFY(loginRefusal(second.localUrl(), invite).isEmpty());
    QVERIFY(loginRefusal(second.localUrl(), hostToken).isEmpty());
    QCOMPARE(loadHostingSecret(other).secret, stored.secret); // not replaced
}

void tst_HostController::withoutKeychainTheSecretStaysInMemory()
{
    if (!keychainAbsentMode())
        QSKIP("this run has a keychain: tst_hostcontroller_nokeychain covers its absence");
    QSignalSpy notSaved(m_host.get(), &HostController::secretNotSaved);
    QSignalSpy started(m_host.get(), &HostController::started);
    QVERIFY(startAndWait(*m_host, settings(true)));
    QCOMPARE(notSaved.size(), 1);
    QCOMPARE(notSaved.first().at(0).toString(), TokenStore::hostingSecretUnavailableMessage());
    QVERIFY(!m_host->isSecretSaved());
    const QString link = m_host->inviteUrl();
    auto guest = newClient();
    QVERIFY(joinWithLink(*guest, link));
    const QString hostToken = m_host->hostToken(QStringLiteral("Ann"));
    QVERIFY(loginRefusal(m_host->localUrl(), hostToken).isEmpty());

    // the session's copy keeps the links valid across a stop and a start
    QSignalSpy stopped(m_host.get(), &HostController::stopped);
    m_host->stop();
    QVERIFY(stopped.wait(Timeout));
    QVERIFY(startAndWait(*m_host, settings(true)));
    QCOMPARE(notSaved.size(), 2);
    QVERIFY(loginRefusal(m_host->localUrl(), tokenOf(link)).isEmpty());
    guest.reset();

    // nothing under HOME holds the secret or a token, in any form (the history included)
    const TokenStore::Result kept = loadHostingSecret(*m_tokens);
    QCOMPARE(kept.status, TokenStore::Status::Unavailable);
    QCOMPARE(kept.secret.size(), HostController::SecretBytes);
    QVERIFY(Chat::verifyToken(tokenOf(link).toLatin1(), kept.secret).isValid());
    m_host->stop();
    QVERIFY(stopped.wait(Timeout));
    QList<QByteArray> needles = formsOf(kept.secret);
    needles += formsOf(tokenOf(link).toLatin1());
    needles += formsOf(hostToken.toLatin1());
    const QStringList hits = filesContaining(m_home->path(), needles);
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", ")));
    // (the scan does read the history the server wrote there)
    QVERIFY(!filesContaining(m_data->path(), {QByteArray("SQLite format 3")}).isEmpty());
}

void tst_HostController::settingsHoldNoSecret()
{
    // What the app keeps after hosting: the recent server, in QSettings. Never a secret, nor a
    // token, however the host joined its own room.
    QVERIFY(startAndWait(*m_host, settings(true)));
    const QString link = m_host->inviteUrl();
    const QString hostToken = m_host->hostToken(QStringLiteral("Ann"));
    QSettings appSettings;
    Ui::RecentServers recent(&appSettings);
    QVERIFY(recent.add(JoinUrl::parse(link).request.serverUrl, QStringLiteral("Ann"), m_host->roomName()));
    appSettings.sync();
    QVERIFY(QFile::exists(appSettings.fileName()));

    const TokenStore::Result secret = loadHostingSecret(*m_tokens);
    QCOMPARE(secret.secret.size(), HostController::SecretBytes);
    QList<QByteArray> needles = formsOf(secret.secret);
    needles += formsOf(tokenOf(link).toLatin1());
    needles += formsOf(hostToken.toLatin1());
    QFile file(appSettings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.contains("[recent]"));
    for (const QByteArray &needle : needles)
        QVERIFY2(!content.contains(needle), content.constData());
    QVERIFY(!content.contains("token"));
}

void tst_HostController::cleanupTestCase()
{
    if (keychainAbsentMode())
        return;
    TokenStore store(m_service);
    QList<TokenStore::Result> results;
    QObject context;
    store.removeHostingSecret(&context, [&](const TokenStore::Result &result) { results.append(result); });
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, Timeout);
    QSettings().clear();
}

QTEST_GUILESS_MAIN(tst_HostController)
#include "tst_hostcontroller.moc"
