// StartPage on the offscreen platform: a DiscoveryBeacon on loopback shows up in "Rooms on your
// network" and leaves it with its bye; activating it (double-click, Enter) asks to join its
// URL; the recent servers are listed, chosen, edited and forgotten; the two big actions.
#include "ui/models/discoveredserversmodel.h"
#include "ui/session/recentservers.h"
#include "ui/widgets/startpage.h"

#include "chat/discovery.h"

#include <QCommandLinkButton>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Roomcast;
using Chat::Discovery::DiscoveryBeacon;
using Chat::Discovery::DiscoveryBrowser;
using Ui::RecentServers;
using Ui::StartPage;

namespace {

constexpr int Timeout = 5000;

template<typename T>
T *child(QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

void doubleClick(QListView *view, int row)
{
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

} // namespace

class tst_StartPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void roomsOnTheNetwork();
    void bigActions();
    void recentServers();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<RecentServers> m_recent;
    std::unique_ptr<DiscoveryBrowser> m_browser;
};

void tst_StartPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("roomcast.conf")), QSettings::IniFormat);
    m_recent = std::make_unique<RecentServers>(m_settings.get());
    // A browser on a free port that joins no multicast group: beacons reach it on loopback.
    m_browser = std::make_unique<DiscoveryBrowser>();
    m_browser->setPort(0);
    m_browser->setMulticastGroup(QHostAddress());
    QVERIFY(m_browser->start());
}

void tst_StartPage::cleanup()
{
    m_browser.reset();
    m_recent.reset();
    m_settings.reset();
    m_dir.reset();
}

void tst_StartPage::roomsOnTheNetwork()
{
    StartPage page(m_recent.get(), m_browser.get());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.browser(), m_browser.get());
    auto *list = child<QListView>(page, "lanRooms");
    auto *placeholder = child<QLabel>(page, "lanPlaceholder");
    QVERIFY(list && placeholder);
    QVERIFY(!list->isVisible());
    QVERIFY(placeholder->isVisible());
    QVERIFY(placeholder->text().contains(QLatin1String("No room heard")));

    DiscoveryBeacon beacon;
    beacon.setTargets({QHostAddress(QHostAddress::LocalHost)});
    beacon.setPort(m_browser->boundPort());
    beacon.setIntervalMs(100);
    beacon.setServerPort(4321);
    beacon.setServerName(QStringLiteral("Ann's room"));
    beacon.setTokenRequired(true);
    QVERIFY(beacon.start());

    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, Timeout);
    QVERIFY(list->isVisible());
    QVERIFY(!placeholder->isVisible());
    const QModelIndex index = list->model()->index(0, 0);
    QCOMPARE(index.data().toString(), QStringLiteral("Ann's room"));
    // the line shown says where it is and that it wants an invite
    QCOMPARE(StartPage::lanRoomText(index), QStringLiteral("Ann's room — 127.0.0.1:4321 (invite only)"));
    const QUrl url(QStringLiteral("http://127.0.0.1:4321"));
    QCOMPARE(index.data(Ui::DiscoveredServersModel::UrlRole).toUrl(), url);

    // activating it asks to join it: a double-click…
    QSignalSpy join(&page, &StartPage::joinRequested);
    QSignalSpy chosen(&page, &StartPage::recentChosen);
    doubleClick(list, 0);
    QCOMPARE(join.size(), 1);
    QCOMPARE(join.first().at(0).toUrl(), url);
    // …or Enter
    list->setFocus();
    list->setCurrentIndex(index);
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(join.size(), 2);
    QCOMPARE(join.last().at(0).toUrl(), url);
    QVERIFY(chosen.isEmpty());

    // its bye takes it off the list
    beacon.stop();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 0, Timeout);
    QVERIFY(placeholder->isVisible());
}

void tst_StartPage::bigActions()
{
    StartPage page(m_recent.get(), m_browser.get());
    page.show();
    QSignalSpy host(&page, &StartPage::hostRequested);
    QSignalSpy join(&page, &StartPage::joinRequested);
    auto *hostButton = child<QCommandLinkButton>(page, "host");
    auto *joinButton = child<QCommandLinkButton>(page, "join");
    QVERIFY(hostButton && joinButton);
    QTest::mouseClick(hostButton, Qt::LeftButton);
    QCOMPARE(host.size(), 1);
    QVERIFY(join.isEmpty());
    QTest::mouseClick(joinButton, Qt::LeftButton);
    QCOMPARE(join.size(), 1);
    QVERIFY(join.first().at(0).toUrl().isEmpty()); // the Join dialog starts blank
    QCOMPARE(host.size(), 1);
}

void tst_StartPage::recentServers()
{
    StartPage page(m_recent.get(), m_browser.get());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *list = child<QListView>(page, "recentServers");
    auto *placeholder = child<QLabel>(page, "recentPlaceholder");
    auto *edit = child<QPushButton>(page, "editRecent");
    auto *forget = child<QPushButton>(page, "forgetRecent");
    QVERIFY(list && placeholder && edit && forget);
    QVERIFY(placeholder->isVisible());
    QVERIFY(!list->isVisible());

    const QUrl first(QStringLiteral("http://10.0.0.1:3000"));
    const QUrl second(QStringLiteral("http://10.0.0.2:3000"));
    m_recent->add(first, QStringLiteral("Ann"), QStringLiteral("general"));
    m_recent->add(second, QStringLiteral("Bob"), QStringLiteral("random"));
    QVERIFY(list->isVisible());
    QVERIFY(!placeholder->isVisible());
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("10.0.0.2:3000 — random"));
    QVERIFY(!edit->isEnabled()); // nothing chosen yet

    // a double-click joins again as before
    QSignalSpy chosen(&page, &StartPage::recentChosen);
    QSignalSpy join(&page, &StartPage::joinRequested);
    doubleClick(list, 1);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.first().at(0).toUrl(), first);
    QCOMPARE(chosen.first().at(1).toString(), QStringLiteral("Ann"));
    QCOMPARE(chosen.first().at(2).toString(), QStringLiteral("general"));
    QVERIFY(join.isEmpty());

    // Edit… opens the Join dialog pre-filled
    QVERIFY(edit->isEnabled());
    QTest::mouseClick(edit, Qt::LeftButton);
    QCOMPARE(join.size(), 1);
    QCOMPARE(join.first().at(0).toUrl(), first);

    // Forget removes it, from the list and the settings
    QTest::mouseClick(forget, Qt::LeftButton);
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(RecentServers(m_settings.get()).entries().value(0).serverUrl, second);
    list->setCurrentIndex(list->model()->index(0, 0));
    QTest::mouseClick(forget, Qt::LeftButton);
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(placeholder->isVisible());
    QVERIFY(!edit->isVisible());
}

QTEST_MAIN(tst_StartPage)
#include "tst_startpage.moc"
