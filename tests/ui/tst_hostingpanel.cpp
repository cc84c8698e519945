// HostingPanel over a real HostController on the offscreen platform: what it says while idle,
// hosting and stopping; the invite link, copied to the clipboard and renewed (a new token that
// still opens the room); Stop hosting. Registered twice, as tst_tokenstore: with a Secret
// Service, and without one (tst_hostingpanel_nokeychain), where the panel says the secret is
// kept for this session only.
#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/session/tokenstore.h"
#include "ui/widgets/hostingpanel.h"
#include "ui/widgets/inlinemessage.h"

#include "chat/chatclient.h"
#include "chat/jwt.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Roomcast;
using Ui::HostController;
using Ui::HostingPanel;
using Ui::JoinUrl;
using Ui::TokenStore;

namespace {

constexpr int Timeout = 10000;

bool keychainAbsentMode()
{
    return qEnvironmentVariable("ROOMCAST_TEST_KEYCHAIN") == QLatin1String("absent");
}

template<typename T>
T *child(QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

//! Whether a client gets into the room with @p link.
bool opens(const QString &link)
{
    const JoinUrl::Result parsed = JoinUrl::parse(link);
    if (!parsed.isValid())
        return false;
    Chat::ChatClient client;
    QSignalSpy loggedIn(&client, &Chat::ChatClient::loggedIn);
    QSignalSpy failed(&client, &Chat::ChatClient::loginFailed);
    client.connectToServer(parsed.request.serverUrl, parsed.request.token, QStringLiteral("Bob"));
    return QTest::qWaitFor([&] { return !loggedIn.isEmpty() || !failed.isEmpty(); }, Timeout) && !loggedIn.isEmpty();
}

} // namespace

class tst_HostingPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void idle();
    void protectedRoom();
    void openRoom();
    void cleanupTestCase();

private:
    bool start(bool requireToken);

    QString m_service = QStringLiteral("Roomcast test ") + QUuid::createUuid().toString(QUuid::Id128);
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<TokenStore> m_tokens;
    std::unique_ptr<HostController> m_host;
};

void tst_HostingPanel::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    m_tokens = std::make_unique<TokenStore>(m_service);
    m_host = std::make_unique<HostController>(m_tokens.get());
    m_host->setDataDirectory(m_data->path());
    Server::ChatServerOptions options;
    options.announce.targets = {QHostAddress(QHostAddress::LocalHost)}; // a port nobody listens on
    options.announce.port = 9;
    m_host->setBaseOptions(options);
}

void tst_HostingPanel::cleanup()
{
    m_host.reset();
    m_tokens.reset();
    m_data.reset();
}

bool tst_HostingPanel::start(bool requireToken)
{
    QSignalSpy started(m_host.get(), &HostController::started);
    m_host->start({QStringLiteral("général"), 0, requireToken, {}});
    return started.wait(Timeout);
}

void tst_HostingPanel::idle()
{
    HostingPanel panel(m_host.get());
    panel.show();
    QCOMPARE(panel.host(), m_host.get());
    QCOMPARE(child<QLabel>(panel, "status")->text(), QStringLiteral("Not hosting."));
    QVERIFY(panel.inviteUrl().isEmpty());
    QVERIFY(!child<QPushButton>(panel, "copy")->isEnabled());
    QVERIFY(!child<QPushButton>(panel, "newLink")->isEnabled());
    QVERIFY(!child<QPushButton>(panel, "stop")->isEnabled());
    QCOMPARE(child<QComboBox>(panel, "addresses")->count(), 0);
}

void tst_HostingPanel::protectedRoom()
{
    HostingPanel panel(m_host.get());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *status = child<QLabel>(panel, "status");
    auto *invite = child<QLineEdit>(panel, "invite");
    auto *copy = child<QPushButton>(panel, "copy");
    auto *newLink = child<QPushButton>(panel, "newLink");
    auto *stop = child<QPushButton>(panel, "stop");
    auto *secretNote = child<Ui::InlineMessage>(panel, "secretNote");
    QVERIFY(status && invite && copy && newLink && stop && secretNote);

    QVERIFY(start(true));
    QCOMPARE(status->text(), QStringLiteral("Hosting \"général\" on port %1.").arg(m_host->port()));
    QCOMPARE(child<QLabel>(panel, "access")->text(), QStringLiteral("Protected: only people with an invite link can join."));
    QVERIFY(invite->isReadOnly());
    QCOMPARE(child<QComboBox>(panel, "addresses")->count(), m_host->lanAddresses().size());

    // the link shown is an invite into the room, with a token, for the first address
    const QString link = panel.inviteUrl();
    QCOMPARE(invite->text(), link);
    const JoinUrl::Result parsed = JoinUrl::parse(link);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString));
    QCOMPARE(parsed.request.room, QStringLiteral("général"));
    QCOMPARE(QHostAddress(parsed.request.serverUrl.host()), m_host->lanAddresses().constFirst());
    const Chat::TokenResult claims = Chat::decodeUnverified(parsed.request.token.toLatin1());
    QVERIFY(claims.isValid());
    QVERIFY(child<QLabel>(panel, "inviteNote")
                ->text()
                .contains(QLocale().toString(claims.expiresAt.toLocalTime(), QLocale::ShortFormat)));
    QVERIFY(opens(link));

    // Copy puts it on the clipboard, and says so
    QSignalSpy copied(&panel, &HostingPanel::inviteCopied);
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(copied.size(), 1);
    QCOMPARE(QGuiApplication::clipboard()->text(), link);
    QCOMPARE(child<QLabel>(panel, "copied")->text(), QStringLiteral("Link copied."));

    // New link: another token, which opens the room too; the old one still does
    QVERIFY(newLink->isVisible() && newLink->isEnabled());
    QTest::mouseClick(newLink, Qt::LeftButton);
    const QString renewed = panel.inviteUrl();
    QVERIFY(renewed != link);
    const JoinUrl::Result renewedParsed = JoinUrl::parse(renewed);
    QCOMPARE(renewedParsed.request.serverUrl, parsed.request.serverUrl);
    QVERIFY(renewedParsed.request.token != parsed.request.token);
    QVERIFY(opens(renewed));
    QVERIFY(opens(link));
    QVERIFY(child<QLabel>(panel, "copied")->text().isEmpty());

    // the keychain: saved, or said plainly that it is not
    if (keychainAbsentMode()) {
        QVERIFY(!secretNote->isHidden());
        QVERIFY(secretNote->text().startsWith(TokenStore::hostingSecretUnavailableMessage()));
    } else {
        QVERIFY(secretNote->isHidden());
    }

    // Stop hosting
    QSignalSpy stopped(m_host.get(), &HostController::stopped);
    QTest::mouseClick(stop, Qt::LeftButton);
    QCOMPARE(m_host->state(), HostController::State::Stopping);
    QVERIFY(status->text().startsWith(QLatin1String("Stopping")));
    QVERIFY(!stop->isEnabled());
    QVERIFY(stopped.wait(Timeout));
    QCOMPARE(status->text(), QStringLiteral("Not hosting."));
    QVERIFY(panel.inviteUrl().isEmpty());
    QVERIFY(!copy->isEnabled());
}

void tst_HostingPanel::openRoom()
{
    HostingPanel panel(m_host.get());
    panel.show();
    QVERIFY(start(false));
    QCOMPARE(child<QLabel>(panel, "access")->text(), QStringLiteral("Open: anyone on your network can join with a nickname."));
    const JoinUrl::Result parsed = JoinUrl::parse(panel.inviteUrl());
    QVERIFY(parsed.isValid());
    QVERIFY(parsed.request.token.isEmpty());
    QVERIFY(!child<QPushButton>(panel, "newLink")->isVisible()); // an open room's link never changes
    QCOMPARE(child<QLabel>(panel, "inviteNote")->text(), QStringLiteral("Anyone who opens this link joins the room."));
    QVERIFY(child<Ui::InlineMessage>(panel, "secretNote")->isHidden()); // no secret, no keychain
    QVERIFY(opens(panel.inviteUrl()));
}

void tst_HostingPanel::cleanupTestCase()
{
    if (keychainAbsentMode())
        return;
    TokenStore store(m_service);
    QList<TokenStore::Result> results;
    store.removeHostingSecret(this, [&](const TokenStore::Result &result) { results.append(result); });
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, Timeout);
}

QTEST_MAIN(tst_HostingPanel)
#include "tst_hostingpanel.moc"
