// The main window's way in: the Join dialog (a pasted token) and host-a-room (the chat server
// inside the app, its invite link joined by another client, Stop hosting, a port already taken),
// on the offscreen platform with a real in-process server and real ChatClients.
#include "ui/models/chatsession.h"
#include "ui/models/messagemodel.h"
#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/session/recentservers.h"
#include "ui/widgets/composer.h"
#include "ui/widgets/conversationview.h"
#include "ui/widgets/hostingpanel.h"
#include "ui/widgets/joindialog.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/startpage.h"

#include "chat/chatclient.h"
#include "chat/discovery.h"
#include "chat/jwt.h"
#include "server/chatserver.h"

#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;
using Ui::ConversationId;
using Ui::HostController;
using Ui::MainWindow;
using Ui::MessageModel;

namespace {

const QByteArray Secret = "hostwindow-secret";
constexpr int Timeout = 10000;

QStringList texts(const QAbstractItemModel *model)
{
    QStringList list;
    for (int row = 0; model && row < model->rowCount(); ++row)
        list.append(model->index(row, 0).data(MessageModel::TextRole).toString());
    return list;
}

} // namespace

class tst_HostWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void pastedTokenConnectsThroughTheJoinDialog();
    void hostInviteAndStop();
    void portInUseIsShownInTheWindow();

private:
    QTemporaryDir m_data;
    std::unique_ptr<Chat::Discovery::DiscoveryBrowser> m_browser;
    std::unique_ptr<MainWindow> m_window;
};

void tst_HostWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_data.isValid());
}

void tst_HostWindow::init()
{
    QSettings().clear(); // test mode: ~/.qttest, kept between runs
    // the start page hears the LAN through a browser on loopback, not the real discovery port
    m_browser = std::make_unique<Chat::Discovery::DiscoveryBrowser>();
    m_browser->setPort(0);
    m_browser->setMulticastGroup(QHostAddress());
    QVERIFY(m_browser->start());
    m_window = std::make_unique<MainWindow>(m_browser.get());
    m_window->hostController()->setDataDirectory(m_data.path() + u'/' + QString::fromLatin1(QTest::currentTestFunction()));
    Server::ChatServerOptions base;
    base.announce.targets = {QHostAddress(QHostAddress::LocalHost)};
    base.announce.port = m_browser->boundPort();
    base.announce.intervalMs = 200;
    m_window->hostController()->setBaseOptions(base);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_HostWindow::cleanup()
{
    m_window.reset();
    m_browser.reset();
}

void tst_HostWindow::pastedTokenConnectsThroughTheJoinDialog()
{
    Server::ChatServerOptions options;
    options.secret = Secret;
    Server::ChatServer server(options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    ChatClient bob;
    QSignalSpy bobIn(&bob, &ChatClient::loggedIn);
    bob.connectToServer(server.serverUrl(), QString::fromLatin1(Chat::mintToken(QStringLiteral("b"), QStringLiteral("Bob"),
                                                                                 std::chrono::hours(1), Secret)));
    QVERIFY(bobIn.wait(Timeout));
    QSignalSpy bobJoined(&bob, &ChatClient::joined);
    bob.joinRoom(QStringLiteral("lobby"));
    QVERIFY(bobJoined.wait(Timeout));

    // the start page's Join opens the dialog
    QVERIFY(!m_window->isShowingChat());
    auto *join = m_window->startPage()->findChild<QAbstractButton *>(QStringLiteral("join"));
    QVERIFY(join);
    QTest::mouseClick(join, Qt::LeftButton);
    Ui::JoinDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<Ui::JoinDialog *>()) && dialog->isVisible(), Timeout);

    // the user types the address and pastes a token from the clipboard
    auto *address = dialog->findChild<QLineEdit *>(QStringLiteral("server"));
    auto *room = dialog->findChild<QLineEdit *>(QStringLiteral("room"));
    auto *token = dialog->findChild<QLineEdit *>(QStringLiteral("token"));
    QVERIFY(address && room && token);
    QTest::keyClicks(address, QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
    QTest::keyClicks(room, QStringLiteral("lobby"));
    const QString minted = QString::fromLatin1(
        Chat::mintToken(QStringLiteral("u-alice"), QStringLiteral("Alice"), std::chrono::hours(2), Secret));
    QApplication::clipboard()->setText(QStringLiteral("  ") + minted + QStringLiteral("\n"));
    token->setFocus();
    QTest::keyClick(token, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(dialog->input().token, minted); // trimmed
    auto *preview = dialog->findChild<QWidget *>(QStringLiteral("tokenMessage"));
    QVERIFY(preview);
    QTRY_VERIFY_WITH_TIMEOUT(preview->property("text").toString().contains(QStringLiteral("Alice")), Timeout);
    auto *connectButton = dialog->findChild<QPushButton *>(QStringLiteral("connect"));
    QVERIFY(connectButton && connectButton->isEnabled());
    QTest::mouseClick(connectButton, Qt::LeftButton);

    // logged in as the token says, in the room, and the room's people hear us
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::room(QStringLiteral("lobby")),
                              Timeout);
    QCOMPARE(m_window->client()->nickname(), QStringLiteral("Alice"));
    QCOMPARE(m_window->client()->userId(), QStringLiteral("u-alice"));
    QSignalSpy bobGot(&bob, &ChatClient::messageReceived);
    m_window->conversationView()->composer()->setFocus();
    QTest::keyClicks(m_window->conversationView()->composer(), QStringLiteral("hi from a pasted token"));
    QTest::keyClick(m_window->conversationView()->composer(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, Timeout);
    QCOMPARE(bobGot.first().at(0).value<ChatMessage>().text, QStringLiteral("hi from a pasted token"));

    // the server is remembered (without its token) for the start page
    QTRY_VERIFY_WITH_TIMEOUT(m_window->recentServers()->indexOf(server.serverUrl()) >= 0, Timeout);
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(minted.toLatin1().split('.').at(2)));
}

void tst_HostWindow::hostInviteAndStop()
{
    QSignalSpy found(m_browser.get(), &Chat::Discovery::DiscoveryBrowser::serverFound);
    m_window->hostRoom({QStringLiteral("general"), 0, true, QStringLiteral("Test host")});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::room(QStringLiteral("general")),
                              Timeout);
    HostController *host = m_window->hostController();
    QVERIFY(host->isHosting());
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("hostingDock"));
    QVERIFY(dock && dock->isVisible());
    // the room is announced on the (loopback) LAN
    QTRY_VERIFY_WITH_TIMEOUT(!found.isEmpty(), Timeout);
    QCOMPARE(found.first().at(0).value<Chat::Discovery::DiscoveredServer>().port, host->port());

    // the invite link the panel shows lets a second client in, into the room
    const QString invite = m_window->hostingPanel()->inviteUrl();
    const Ui::JoinUrl::Result link = Ui::JoinUrl::parse(invite);
    QVERIFY2(link.isValid(), qPrintable(invite));
    QCOMPARE(link.request.room, QStringLiteral("general"));
    QVERIFY(!link.request.token.isEmpty());
    ChatClient guest;
    QSignalSpy guestIn(&guest, &ChatClient::loggedIn);
    QUrl local = link.request.serverUrl;
    local.setHost(QStringLiteral("127.0.0.1")); // the link names a LAN address; loopback reaches the same server
    guest.connectToServer(local, link.request.token);
    QVERIFY2(guestIn.wait(Timeout), qPrintable(guest.errorString()));
    QSignalSpy guestJoined(&guest, &ChatClient::joined);
    guest.joinRoom(link.request.room);
    QVERIFY(guestJoined.wait(Timeout));

    // and they talk, both ways
    QSignalSpy guestGot(&guest, &ChatClient::messageReceived);
    m_window->session()->send(ConversationId::room(QStringLiteral("general")), QStringLiteral("welcome, guest"));
    QTRY_COMPARE_WITH_TIMEOUT(guestGot.size(), 1, Timeout);
    guest.sendMessage(QStringLiteral("general"), QStringLiteral("thanks, host"));
    QTRY_COMPARE_WITH_TIMEOUT(texts(m_window->conversationView()->messageList()->model()).constLast(),
                              QStringLiteral("thanks, host"), Timeout);

    // a client without a token is refused by a protected room
    ChatClient stranger;
    QSignalSpy refused(&stranger, &ChatClient::loginFailed);
    stranger.connectToServer(local, {}, QStringLiteral("Stranger"));
    QVERIFY(refused.wait(Timeout));
    QCOMPARE(refused.first().at(0).toString(), QStringLiteral("token required"));

    // Stop hosting: the guest is told why, the window goes back to the start page
    QSignalSpy guestDropped(&guest, &ChatClient::disconnected);
    QSignalSpy stopped(host, &HostController::stopped);
    auto *stop = m_window->hostingPanel()->findChild<QPushButton *>(QStringLiteral("stop"));
    QVERIFY(stop);
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(stopped.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(guestDropped.size(), 1, Timeout);
    QCOMPARE(guestDropped.first().at(0).toString(), QStringLiteral("server shutting down"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isShowingChat(), Timeout);
    QCOMPARE(m_window->client()->state(), ChatClient::State::Disconnected);
    QVERIFY(!dock->isVisible());
    // our own hosted room is not a "recent server"
    QCOMPARE(m_window->recentServers()->rowCount(), 0);
}

void tst_HostWindow::portInUseIsShownInTheWindow()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any, 0));
    QSignalSpy failed(m_window->hostController(), &HostController::startFailed);
    m_window->hostRoom({QStringLiteral("general"), squatter.serverPort(), false, {}});
    QVERIFY(failed.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->bannerText().isEmpty(), Timeout);
    QVERIFY2(m_window->bannerText().contains(QString::number(squatter.serverPort())), qPrintable(m_window->bannerText()));
    QVERIFY(m_window->bannerText().contains(QStringLiteral("already in use")));
    QVERIFY(!m_window->isShowingChat());
    QVERIFY(!m_window->hostController()->isHosting());

    // any free port then works
    m_window->hostRoom({QStringLiteral("general"), 0, false, {}});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->isJoined(QStringLiteral("general")), Timeout);
    QVERIFY(m_window->bannerText().isEmpty());

    // closing the window while hosting tells the room first, then closes
    ChatClient guest;
    QSignalSpy in(&guest, &ChatClient::loggedIn);
    guest.connectToServer(m_window->hostController()->localUrl(), {}, QStringLiteral("Guest"));
    QVERIFY(in.wait(Timeout));
    QSignalSpy dropped(&guest, &ChatClient::disconnected);
    QVERIFY(!m_window->close()); // not yet: the room is being closed
    QVERIFY(m_window->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), Timeout);
    QVERIFY(!m_window->hostController()->isHosting());
    QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, Timeout);
    QCOMPARE(dropped.first().at(0).toString(), QStringLiteral("server shutting down"));
}

QTEST_MAIN(tst_HostWindow)
#include "tst_hostwindow.moc"
