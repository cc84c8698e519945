// A screenshot of the real window in a real X server (Xvfb, the xcb platform): Roomcast hosting
// a room, with a few people talking in it and a private message waiting. The PNG goes to the
// build tree (ROOMCAST_SCREENSHOT_DIR) for people to look at; the test checks it was drawn.
#include "ui/models/chatsession.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/session/hostcontroller.h"
#include "ui/widgets/conversationview.h"
#include "ui/widgets/mainwindow.h"

#include "chat/chatclient.h"
#include "chat/discovery.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QListView>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Ui::ConversationId;

namespace {
constexpr int Timeout = 10000;
const QString General = QStringLiteral("general");
} // namespace

class tst_Screenshot : public QObject
{
    Q_OBJECT

private slots:
    void hostedRoomWithMessages();
};

void tst_Screenshot::hostedRoomWithMessages()
{
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb")); // a real window, not offscreen
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QSettings().setValue(QStringLiteral("identity/nickname"), QStringLiteral("Ann"));
    QTemporaryDir data;
    QVERIFY(data.isValid());

    Chat::Discovery::DiscoveryBrowser browser; // never started: the start page hears nothing
    Ui::MainWindow window(&browser);
    window.hostController()->setDataDirectory(data.path());
    Server::ChatServerOptions base;
    base.announce.targets = {QHostAddress(QHostAddress::LocalHost)};
    window.hostController()->setBaseOptions(base);
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    window.hostRoom({General, 0, false, QStringLiteral("Ann's laptop")});
    QTRY_COMPARE_WITH_TIMEOUT(window.conversationView()->conversation(), ConversationId::room(General), Timeout);

    std::vector<std::unique_ptr<ChatClient>> people;
    for (const QString &name : {QStringLiteral("Bruno"), QStringLiteral("Chloé")}) {
        auto client = std::make_unique<ChatClient>();
        QSignalSpy in(client.get(), &ChatClient::loggedIn);
        client->connectToServer(window.hostController()->localUrl(), {}, name);
        QVERIFY(in.wait(Timeout));
        QSignalSpy joined(client.get(), &ChatClient::joined);
        client->joinRoom(General);
        QVERIFY(joined.wait(Timeout));
        people.push_back(std::move(client));
    }
    const QList<std::pair<int, QString>> script{
        {0, QStringLiteral("Morning! Is the projector in room 2 free at ten?")},
        {1, QStringLiteral("It is. I booked it for the demo, but we only need it until half past.")},
        {-1, QStringLiteral("Perfect, I'll bring the slides. Bruno, can you print the agenda?")},
        {0, QStringLiteral("On it.")},
        {0, QStringLiteral("Twelve copies enough?")},
    };
    const QAbstractItemModel *shown = window.conversationView()->messageList()->model();
    for (const auto &[who, text] : script) {
        const int before = shown->rowCount();
        if (who < 0)
            window.session()->send(ConversationId::room(General), text);
        else
            people[size_t(who)]->sendMessage(General, text);
        QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), before + 1, Timeout);
    }
    people[1]->sendPrivateMessage(window.client()->socketId(), QStringLiteral("Coffee after?"));
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->conversations()->unreadTotal(), 1, Timeout);

    const QImage image = window.grab().toImage();
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    const QString dir = QStringLiteral(ROOMCAST_SCREENSHOT_DIR);
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/roomcast-hosted-room.png");
    QVERIFY(image.save(path));
    qInfo("screenshot: %s", qPrintable(path));

    // drawn, not blank: a window full of text has many colours
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    QVERIFY(QImage(path).size() == image.size());
    window.stopHosting();
}

QTEST_MAIN(tst_Screenshot)
#include "tst_screenshot.moc"
