// The main window on the offscreen platform, driven as a user drives it — typing in the
// composer, double-clicking a member, picking a conversation — against a real ChatServer in
// process, with real ChatClients as the people on the other side.
#include "ui/models/chatsession.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/models/membermodel.h"
#include "ui/models/messagemodel.h"
#include "ui/models/roomdirectorymodel.h"
#include "ui/widgets/composer.h"
#include "ui/widgets/connectionstatus.h"
#include "ui/widgets/conversationpane.h"
#include "ui/widgets/conversationview.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/memberpane.h"
#include "ui/widgets/messagedelegate.h"
#include "ui/widgets/notifier.h"
#include "ui/widgets/roombrowser.h"

#include "chat/chatclient.h"
#include "chat/discovery.h"
#include "chat/jwt.h"
#include "chat/protocol.h"
#include "server/chatserver.h"
#include "server/historystore.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;
using Ui::ConversationId;
using Ui::MainWindow;
using Ui::MessageModel;

namespace {

const QByteArray Secret = "mainwindow-secret";
constexpr int Timeout = 5000;
const QString General = QStringLiteral("general");

QString token(const QString &id, const QString &name)
{
    return QString::fromLatin1(Chat::mintToken(id, name, std::chrono::hours(1), Secret));
}

QStringList texts(const QAbstractItemModel *model)
{
    QStringList list;
    for (int row = 0; model && row < model->rowCount(); ++row)
        list.append(model->index(row, 0).data(MessageModel::TextRole).toString());
    return list;
}

QStringList names(const QAbstractItemModel *model)
{
    QStringList list;
    for (int row = 0; model && row < model->rowCount(); ++row)
        list.append(model->index(row, 0).data().toString());
    return list;
}

//! Types @p text into the composer and presses Enter, as a user would.
void typeAndSend(Ui::Composer *composer, const QString &text)
{
    composer->setFocus();
    QTest::keyClicks(composer, text);
    QTest::keyClick(composer, Qt::Key_Return);
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void tokenLoginJoinAndSendBothWays();
    void shiftEnterStartsANewLine();
    void privateMessagesBySocketIdBothWays();
    void renameShowsInMembersAndConversation();
    void offlineMessagesGoOutWhenTheServerIsBack();
    void countdownThenRetryNow();
    void mentionsNotifyUnlessMuted();
    void refusedLoginIsShownInTheWindow();
    void hostileLinkIsRefusedWithAMessage();
    void failedMessageCanBeRetried();
    void scrollingUpLoadsOlderMessagesInPlace();
    void browsingTheServersRoomsJoinsOne();
    void closingWithARequestInFlightLeavesTheWindowAlone();

private:
    bool startServer(quint16 port = 0);
    //! The window, logged in with a token and in `room`.
    bool loginWindow(const QString &name, const QString &room = General);
    ChatClient *peer(const QString &id, const QString &name, const QString &room = General);

    QTemporaryDir m_data;
    Chat::Discovery::DiscoveryBrowser m_browser;
    std::unique_ptr<Server::ChatServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<ChatClient>> m_peers;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings of our own, not the user's
    QVERIFY(m_data.isValid());
}

void tst_MainWindow::init()
{
    QSettings().clear(); // test mode: ~/.qttest, kept between runs
    QVERIFY(startServer());
    // the start page's LAN list: a browser that is never started, so no test binds the real port
    m_window = std::make_unique<MainWindow>(&m_browser);
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 50;
    options.manager.reconnectionDelayMaxMs = 200;
    m_window->client()->setOptions(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_window->session()->conversations()),
                                      static_cast<QAbstractItemModel *>(m_window->memberPane()->model()),
                                      m_window->conversationPane()->list()->model()})
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal, model);
}

void tst_MainWindow::cleanup()
{
    m_peers.clear();
    m_window.reset();
    m_server.reset();
}

bool tst_MainWindow::startServer(quint16 port)
{
    Server::ChatServerOptions options;
    options.secret = Secret;
    options.dataDirectory = m_data.path() + QStringLiteral("/") + QString::fromLatin1(QTest::currentTestFunction());
    m_server = std::make_unique<Server::ChatServer>(options);
    return m_server->listen(QHostAddress::LocalHost, port);
}

bool tst_MainWindow::loginWindow(const QString &name, const QString &room)
{
    QSignalSpy shown(m_window.get(), &MainWindow::conversationShown);
    Ui::ConnectRequest request;
    request.serverUrl = m_server->serverUrl();
    request.token = token(QStringLiteral("u-") + name.toLower(), name);
    request.room = room;
    m_window->connectToServer(request);
    return QTest::qWaitFor([&] { return m_window->conversationView()->conversation() == ConversationId::room(room); },
                           Timeout);
}

ChatClient *tst_MainWindow::peer(const QString &id, const QString &name, const QString &room)
{
    auto client = std::make_unique<ChatClient>();
    QSignalSpy loggedIn(client.get(), &ChatClient::loggedIn);
    client->connectToServer(m_server->serverUrl(), token(id, name));
    if (!loggedIn.wait(Timeout))
        return nullptr;
    if (!room.isEmpty()) {
        QSignalSpy joined(client.get(), &ChatClient::joined);
        client->joinRoom(room);
        if (!joined.wait(Timeout))
            return nullptr;
    }
    m_peers.push_back(std::move(client));
    return m_peers.back().get();
}

void tst_MainWindow::tokenLoginJoinAndSendBothWays()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    QVERIFY(m_window->isShowingChat());
    QCOMPARE(m_window->client()->nickname(), QStringLiteral("Alice"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().contains(QStringLiteral("Alice")), Timeout);
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    QTRY_COMPARE_WITH_TIMEOUT(names(m_window->memberPane()->list()->model()),
                              (QStringList{QStringLiteral("Alice"), QStringLiteral("Bob")}), Timeout);

    // window → Bob: typed, shown at once, acknowledged, received
    QSignalSpy bobGot(bob, &ChatClient::messageReceived);
    typeAndSend(m_window->conversationView()->composer(), QStringLiteral("hello from the window"));
    QVERIFY(m_window->conversationView()->composer()->toPlainText().isEmpty());
    const QAbstractItemModel *shown = m_window->conversationView()->messageList()->model();
    QCOMPARE(texts(shown).constLast(), QStringLiteral("hello from the window"));
    QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, Timeout);
    const auto received = bobGot.first().at(0).value<ChatMessage>();
    QCOMPARE(received.text, QStringLiteral("hello from the window"));
    QCOMPARE(received.senderName, QStringLiteral("Alice"));
    QCOMPARE(received.room, General);
    const int last = shown->rowCount() - 1;
    QTRY_COMPARE_WITH_TIMEOUT(shown->index(last, 0).data(MessageModel::StateRole).value<MessageModel::DeliveryState>(),
                              MessageModel::DeliveryState::Sent, Timeout);

    // Bob → window
    bob->sendMessage(General, QStringLiteral("hi Alice"));
    QTRY_COMPARE_WITH_TIMEOUT(texts(shown).constLast(), QStringLiteral("hi Alice"), Timeout);
    QCOMPARE(shown->index(shown->rowCount() - 1, 0).data(MessageModel::SenderNameRole).toString(),
             QStringLiteral("Bob"));
    QVERIFY(m_window->conversationView()->isAtBottom());
}

void tst_MainWindow::shiftEnterStartsANewLine()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    QSignalSpy bobGot(bob, &ChatClient::messageReceived);
    Ui::Composer *composer = m_window->conversationView()->composer();
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("first line"));
    QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(composer, QStringLiteral("second line"));
    QCOMPARE(composer->toPlainText(), QStringLiteral("first line\nsecond line"));
    QCOMPARE(bobGot.size(), 0);
    QTest::keyClick(composer, Qt::Key_Enter); // the keypad's Enter sends too
    QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, Timeout);
    QCOMPARE(bobGot.first().at(0).value<ChatMessage>().text, QStringLiteral("first line\nsecond line"));
    // a blank message is not sent
    QTest::keyClicks(composer, QStringLiteral("   "));
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(texts(m_window->conversationView()->messageList()->model()).size(), 1);
}

void tst_MainWindow::privateMessagesBySocketIdBothWays()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    QListView *members = m_window->memberPane()->list();
    QTRY_COMPARE_WITH_TIMEOUT(members->model()->rowCount(), 2, Timeout);
    int bobRow = names(members->model()).indexOf(QStringLiteral("Bob"));
    QVERIFY(bobRow >= 0);

    // double-clicking Bob opens a private conversation with his socket
    const QModelIndex bobIndex = members->model()->index(bobRow, 0);
    members->scrollTo(bobIndex);
    const QPoint centre = members->visualRect(bobIndex).center();
    QTest::mouseClick(members->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(members->viewport(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::socket(bob->socketId()),
                              Timeout);

    QSignalSpy bobPrivate(bob, &ChatClient::privateMessageReceived);
    typeAndSend(m_window->conversationView()->composer(), QStringLiteral("just between us"));
    QTRY_COMPARE_WITH_TIMEOUT(bobPrivate.size(), 1, Timeout);
    const auto message = bobPrivate.first().at(0).value<ChatMessage>();
    QCOMPARE(message.text, QStringLiteral("just between us"));
    QCOMPARE(message.fromSocket, m_window->client()->socketId());

    // Bob answers by socket id: it lands in the same conversation, and counts as unread while
    // the window shows the room
    m_window->showConversation(ConversationId::room(General));
    QSignalSpy notified(m_window->notifier(), &Ui::Notifier::notified);
    bob->sendPrivateMessage(m_window->client()->socketId(), QStringLiteral("sure"));
    const ConversationId withBob = ConversationId::socket(bob->socketId());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->conversations()->unread(withBob), 1, Timeout);
    QCOMPARE(texts(m_window->session()->messages(withBob)),
             (QStringList{QStringLiteral("just between us"), QStringLiteral("sure")}));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
    QCOMPARE(notified.first().at(0).value<ConversationId>(), withBob);
    QVERIFY(notified.first().at(2).toString().contains(QStringLiteral("sure")));
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("(1)")));

    // opening it reads it
    m_window->showConversation(withBob);
    QCOMPARE(m_window->session()->conversations()->unread(withBob), 0);

    // Bob leaves the server: the conversation says so and the composer is off
    bob->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->conversationView()->composer()->isEnabled(), Timeout);
    auto *notice = m_window->conversationView()->findChild<QLabel *>(QStringLiteral("conversationNotice"));
    QVERIFY(notice && notice->isVisible());
    QVERIFY(notice->text().contains(QStringLiteral("Bob")));
}

void tst_MainWindow::renameShowsInMembersAndConversation()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    QTRY_COMPARE_WITH_TIMEOUT(names(m_window->memberPane()->list()->model()),
                              (QStringList{QStringLiteral("Alice"), QStringLiteral("Bob")}), Timeout);
    const ConversationId withBob = m_window->session()->openPrivate(bob->socketId());
    bob->sendMessage(General, QStringLiteral("before"));
    QTRY_COMPARE_WITH_TIMEOUT(texts(m_window->conversationView()->messageList()->model()).size(), 1, Timeout);

    // Bob renames: the member list re-sorts, the private conversation is retitled; his old
    // message keeps the name it was sent under, his next one carries the new one
    bob->setNickname(QStringLiteral("Aaron"));
    QTRY_COMPARE_WITH_TIMEOUT(names(m_window->memberPane()->list()->model()),
                              (QStringList{QStringLiteral("Aaron"), QStringLiteral("Alice")}), Timeout);
    QCOMPARE(m_window->session()->conversations()->title(withBob), QStringLiteral("Aaron"));
    bob->sendMessage(General, QStringLiteral("after"));
    const QAbstractItemModel *shown = m_window->conversationView()->messageList()->model();
    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 2, Timeout);
    QCOMPARE(shown->index(0, 0).data(MessageModel::SenderNameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(shown->index(1, 0).data(MessageModel::SenderNameRole).toString(), QStringLiteral("Aaron"));

    // and our own rename reaches Bob
    QSignalSpy renamed(bob, &ChatClient::nicknameChanged);
    bool done = false;
    m_window->client()->setNickname(QStringLiteral("Alicia"), this, [&done](const Chat::Reply &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bob->nicknames().value(m_window->client()->socketId()), QStringLiteral("Alicia"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().contains(QStringLiteral("Alicia")), Timeout);
}

void tst_MainWindow::offlineMessagesGoOutWhenTheServerIsBack()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    const quint16 port = m_server->serverPort();
    // the server goes away: the window says it is reconnecting, with a countdown and Retry now
    m_server.reset();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ChatClient::State::Reconnecting, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().contains(QStringLiteral("Reconnecting")), Timeout);
    QVERIFY(m_window->connectionStatus()->retryButton()->isVisible());
    QVERIFY(m_window->conversationView()->composer()->isEnabled());

    // typed while offline: pending, not lost
    typeAndSend(m_window->conversationView()->composer(), QStringLiteral("typed while offline"));
    const QAbstractItemModel *shown = m_window->conversationView()->messageList()->model();
    QCOMPARE(texts(shown).constLast(), QStringLiteral("typed while offline"));
    QCOMPARE(shown->index(shown->rowCount() - 1, 0).data(MessageModel::StateRole).value<MessageModel::DeliveryState>(),
             MessageModel::DeliveryState::Pending);

    // the server comes back on the same port (same data dir): the window rejoins, the message goes out
    QVERIFY(startServer(port));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ChatClient::State::Connected, 2 * Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        shown->index(shown->rowCount() - 1, 0).data(MessageModel::StateRole).value<MessageModel::DeliveryState>(),
        MessageModel::DeliveryState::Sent, Timeout);
    QVERIFY(!m_window->connectionStatus()->retryButton()->isVisible());
    // it reached the room: a newcomer finds it in the history
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"), {});
    QVERIFY(bob);
    QSignalSpy history(bob, &ChatClient::historyReceived);
    bob->joinRoom(General);
    QVERIFY(history.wait(Timeout));
    QStringList seen;
    for (const ChatMessage &message : history.first().at(1).value<QList<ChatMessage>>())
        seen.append(message.text);
    QCOMPARE(seen.count(QStringLiteral("typed while offline")), 1);
}

void tst_MainWindow::countdownThenRetryNow()
{
    // a back-off so long that only Retry now brings the window back within the test
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 60000;
    options.manager.reconnectionDelayMaxMs = 60000;
    options.manager.randomizationFactor = 0;
    m_window->client()->setOptions(options);
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    const quint16 port = m_server->serverPort();
    m_server.reset();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().contains(QStringLiteral("Reconnecting in 60 s")),
                             Timeout);
    // it counts down, a second at a time
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().contains(QStringLiteral("Reconnecting in 59 s")),
                             Timeout);
    QVERIFY(startServer(port));
    QPushButton *retry = m_window->connectionStatus()->retryButton();
    QVERIFY(retry->isVisible());
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ChatClient::State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->isJoined(General), Timeout);
    QVERIFY(m_window->connectionStatus()->text().contains(QStringLiteral("Connected")));
    QVERIFY(!retry->isVisible());
}

void tst_MainWindow::mentionsNotifyUnlessMuted()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    QSignalSpy joined(m_window->client(), &ChatClient::joined);
    m_window->session()->joinRoom(QStringLiteral("random"));
    QVERIFY(joined.wait(Timeout));
    m_window->showConversation(ConversationId::room(QStringLiteral("random")));
    QCOMPARE(m_window->conversationView()->conversation(), ConversationId::room(QStringLiteral("random")));
    QSignalSpy notified(m_window->notifier(), &Ui::Notifier::notified);
    Ui::ConversationListModel *conversations = m_window->session()->conversations();
    const ConversationId general = ConversationId::room(General);

    // a plain message in another room: unread, no notification
    bob->sendMessage(General, QStringLiteral("lunch?"));
    QTRY_COMPARE_WITH_TIMEOUT(conversations->unread(general), 1, Timeout);
    // a mention: a notification naming the room
    bob->sendMessage(General, QStringLiteral("alice, lunch?"));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
    QCOMPARE(notified.first().at(0).value<ConversationId>(), general);
    QVERIFY(notified.first().at(1).toString().contains(General));
    QCOMPARE(conversations->unread(general), 2);

    // muted: still counted, never notified, and the mute is remembered for this server
    m_window->conversationPane()->muteToggled(general, true);
    QVERIFY(conversations->isMuted(general));
    bob->sendMessage(General, QStringLiteral("Alice? hello?"));
    QTRY_COMPARE_WITH_TIMEOUT(conversations->unread(general), 3, Timeout);
    bob->sendPrivateMessage(m_window->client()->socketId(), QStringLiteral("ping")); // a marker after it
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, Timeout);
    QCOMPARE(notified.last().at(0).value<ConversationId>(), ConversationId::socket(bob->socketId()));
    QCOMPARE(conversations->unreadTotal(), 1); // muted rooms do not count in the badge

    // a new session on the same server finds the room muted again
    m_window->disconnectFromServer();
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    QTRY_VERIFY_WITH_TIMEOUT(conversations->isMuted(general), Timeout);
}

void tst_MainWindow::refusedLoginIsShownInTheWindow()
{
    Ui::ConnectRequest request;
    request.serverUrl = m_server->serverUrl();
    request.token = QString::fromLatin1(Chat::mintToken(QStringLiteral("x"), QStringLiteral("Mallory"),
                                                        std::chrono::hours(1), QByteArrayLiteral("another secret")));
    m_window->connectToServer(request);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->bannerText().isEmpty(), Timeout);
    QVERIFY2(m_window->bannerText().contains(ChatClient::translatedError(QStringLiteral("bad signature"))),
             qPrintable(m_window->bannerText()));
    QVERIFY(!m_window->isShowingChat());
    QCOMPARE(m_window->client()->state(), ChatClient::State::Disconnected);
}

void tst_MainWindow::hostileLinkIsRefusedWithAMessage()
{
    QVERIFY(!m_window->openUrl(QStringLiteral("javascript:alert(1)")));
    QVERIFY(!m_window->bannerText().isEmpty());
    QCOMPARE(m_window->client()->state(), ChatClient::State::Disconnected);
    QVERIFY(!m_window->openUrl(QStringLiteral("roomcast://user:pw@127.0.0.1:1/?room=x")));
    QCOMPARE(m_window->client()->state(), ChatClient::State::Disconnected);

    // a good link connects and joins its room
    const QString link = QStringLiteral("roomcast://127.0.0.1:%1/?room=lobby&token=%2")
                             .arg(m_server->serverPort())
                             .arg(token(QStringLiteral("u-l"), QStringLiteral("Linda")));
    QVERIFY(m_window->openUrl(link));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::room(QStringLiteral("lobby")),
                              Timeout);
    QVERIFY(m_window->bannerText().isEmpty());
}

void tst_MainWindow::failedMessageCanBeRetried()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"));
    QVERIFY(bob);
    // too long for the server: refused, shown as failed with the reason
    Ui::Composer *composer = m_window->conversationView()->composer();
    composer->setPlainText(QString(Chat::Limits::MaxMessageLength + 1, u'x')); // pasted, not typed
    composer->setFocus();
    QTest::keyClick(composer, Qt::Key_Return);
    const QAbstractItemModel *shown = m_window->conversationView()->messageList()->model();
    const QModelIndex failed = shown->index(shown->rowCount() - 1, 0);
    QTRY_COMPARE_WITH_TIMEOUT(failed.data(MessageModel::StateRole).value<MessageModel::DeliveryState>(),
                              MessageModel::DeliveryState::Failed, Timeout);
    QCOMPARE(failed.data(MessageModel::ErrorRole).toString(),
             ChatClient::translatedError(QStringLiteral("message too long")));

    // offline, a message fails as "not connected" once the queue gives up; here: leave the room so
    // the server refuses it as "not a member", rejoin, then click Retry
    QSignalSpy left(m_window->client(), &ChatClient::left);
    m_window->session()->leaveRoom(General);
    QVERIFY(left.wait(Timeout));
    MessageModel *model = m_window->session()->messages(ConversationId::room(General));
    const qint64 localId = m_window->session()->send(ConversationId::room(General), QStringLiteral("second try"));
    const auto stateOf = [&] { return model->stateAt(model->rowOfLocalId(localId)); };
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(), MessageModel::DeliveryState::Failed, Timeout);
    m_window->session()->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::room(General), Timeout);

    QListView *list = m_window->conversationView()->messageList();
    QSignalSpy bobGot(bob, &ChatClient::messageReceived);
    const QModelIndex index = list->model()->index(model->rowOfLocalId(localId), 0);
    list->scrollTo(index);
    QTRY_VERIFY_WITH_TIMEOUT(list->visualRect(index).isValid(), Timeout);
    // a click on the Retry link, where the delegate draws it
    auto *delegate = qobject_cast<Ui::MessageDelegate *>(list->itemDelegate());
    QVERIFY(delegate);
    QStyleOptionViewItem option;
    option.initFrom(list->viewport());
    option.font = list->font();
    option.rect = list->visualRect(index);
    const QRect retry = delegate->retryRect(option, index);
    QVERIFY(!retry.isEmpty());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, retry.center());
    QVERIFY(stateOf() != MessageModel::DeliveryState::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(), MessageModel::DeliveryState::Sent, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, Timeout);
    QCOMPARE(bobGot.first().at(0).value<ChatMessage>().text, QStringLiteral("second try"));
}

void tst_MainWindow::scrollingUpLoadsOlderMessagesInPlace()
{
    // a room with a long past, written before the server starts
    const quint16 port = m_server->serverPort();
    const QString dataDir = m_data.path() + QStringLiteral("/") + QString::fromLatin1(QTest::currentTestFunction());
    m_server.reset();
    {
        Server::HistoryStore store;
        QVERIFY(store.open(dataDir));
        const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-2);
        for (int n = 1; n <= 130; ++n)
            QVERIFY(store.append(General, QStringLiteral("u-old"), QStringLiteral("Olga"), QStringLiteral("gone"),
                                 QStringLiteral("old %1").arg(n), start.addSecs(n * 600)));
    }
    QVERIFY(startServer(port));
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    QListView *list = m_window->conversationView()->messageList();
    const QAbstractItemModel *shown = list->model();
    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 50, Timeout); // the join's page: the newest 50
    QCOMPARE(texts(shown).constFirst(), QStringLiteral("old 81"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->conversationView()->isAtBottom(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(list->verticalScrollBar()->maximum() > 0, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->conversationView()->isAtBottom(), Timeout);

    // scrolled to the top: the page before arrives above, and what was in view stays in view
    list->verticalScrollBar()->setValue(0);
    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 100, Timeout);
    QCOMPARE(texts(shown).constFirst(), QStringLiteral("old 31"));
    const QModelIndex wasFirst = shown->index(50, 0);
    QCOMPARE(wasFirst.data(MessageModel::TextRole).toString(), QStringLiteral("old 81"));
    QTRY_VERIFY_WITH_TIMEOUT(qAbs(list->visualRect(wasFirst).top()) < 40, Timeout);
    QVERIFY(!m_window->conversationView()->isAtBottom());

    // once more: the last 30, and then there is no more
    list->verticalScrollBar()->setValue(0);
    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 130, Timeout);
    QCOMPARE(texts(shown).constFirst(), QStringLiteral("old 1"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->messages(ConversationId::room(General))->hasMoreHistory(), Timeout);
    // day separators mark the two past days
    int separators = 0;
    for (int row = 0; row < shown->rowCount(); ++row)
        separators += shown->index(row, 0).data(MessageModel::DaySeparatorRole).toBool() ? 1 : 0;
    QVERIFY(separators >= 1);
}

void tst_MainWindow::browsingTheServersRoomsJoinsOne()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    ChatClient *bob = peer(QStringLiteral("u-bob"), QStringLiteral("Bob"), QStringLiteral("random"));
    QVERIFY(bob);
    bob->setTopic(QStringLiteral("random"), QStringLiteral("anything goes"));

    auto *browse = m_window->conversationPane()->findChild<QPushButton *>(QStringLiteral("browseRoomsButton"));
    QVERIFY(browse);
    QTest::mouseClick(browse, Qt::LeftButton);
    Ui::RoomBrowser *browser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((browser = m_window->findChild<Ui::RoomBrowser *>()) && browser->isVisible(), Timeout);
    // the server's rooms, live: both rooms, with their members and topics
    QListView *rooms = browser->list();
    QTRY_COMPARE_WITH_TIMEOUT(rooms->model()->rowCount(), 2, Timeout);
    const QStringList listed{rooms->model()->index(0, 0).data().toString(), rooms->model()->index(1, 0).data().toString()};
    QCOMPARE(listed, (QStringList{General, QStringLiteral("random")}));
    const QModelIndex random = rooms->model()->index(1, 0);
    QTRY_COMPARE_WITH_TIMEOUT(random.data(Ui::RoomDirectoryModel::TopicRole).toString(), QStringLiteral("anything goes"),
                              Timeout);
    QCOMPARE(random.data(Ui::RoomDirectoryModel::MembersRole).toInt(), 1);
    QVERIFY(rooms->model()->index(0, 0).data(Ui::RoomDirectoryModel::JoinedRole).toBool());

    // typing filters; Enter on the one left joins it and brings it to the front
    QTest::keyClicks(browser->nameEdit(), QStringLiteral("ran"));
    QCOMPARE(rooms->model()->rowCount(), 1);
    rooms->setCurrentIndex(rooms->model()->index(0, 0));
    QTest::keyClick(rooms, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->conversationView()->conversation(), ConversationId::room(QStringLiteral("random")),
                              Timeout);
    QVERIFY(m_window->client()->isJoined(QStringLiteral("random")));
    QTRY_COMPARE_WITH_TIMEOUT(names(m_window->memberPane()->list()->model()),
                              (QStringList{QStringLiteral("Alice"), QStringLiteral("Bob")}), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<Ui::RoomBrowser *>(), Timeout); // closed and gone
}

void tst_MainWindow::closingWithARequestInFlightLeavesTheWindowAlone()
{
    QVERIFY(loginWindow(QStringLiteral("Alice")));
    // a join the server has not answered yet (and perhaps the room's first page of history)
    m_window->session()->joinRoom(QStringLiteral("random"));
    QSignalSpy failed(m_window->session(), &Ui::ChatSession::errorOccurred);
    m_window.reset();
    // the client going with the window drops them: nothing is reported to a window half taken
    // down (it would show the failure in its banner; the sanitizer build catches that call)
    QCOMPARE(failed.count(), 0);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
