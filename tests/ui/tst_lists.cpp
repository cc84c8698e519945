// The list models of the window, fed by a real chat server in process and real ChatClients:
// MemberModel (and SortedMemberModel, what a QListView shows), RoomDirectoryModel, and
// DiscoveredServersModel over a DiscoveryBrowser hearing a hosting server on loopback. Every
// model is watched by a QAbstractItemModelTester (Fatal) for its whole life, and the updates
// are checked to be incremental: no model reset but setRoom().
#include "chat/chatclient.h"
#include "chat/discovery.h"
#include "chat/jwt.h"
#include "server/chatserver.h"
#include "ui/models/discoveredserversmodel.h"
#include "ui/models/membermodel.h"
#include "ui/models/roomdirectorymodel.h"

#include <QAbstractItemModelTester>
#include <QListView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::Discovery::DiscoveredServer;
using Chat::Discovery::DiscoveryBeacon;
using Chat::Discovery::DiscoveryBrowser;
using Ui::DiscoveredServersModel;
using Ui::MemberModel;
using Ui::RoomDirectoryModel;
using Ui::SortedMemberModel;

namespace {

const QByteArray Secret = "lists-secret";
constexpr int Timeout = 5000;
const QString General = QStringLiteral("general");

//! The display texts of @p model's rows, top to bottom.
QStringList names(const QAbstractItemModel *model)
{
    QStringList list;
    for (int row = 0; row < model->rowCount(); ++row)
        list.append(model->index(row, 0).data().toString());
    return list;
}

//! What @p view shows, top to bottom.
QStringList shown(const QListView &view)
{
    return names(view.model());
}

QVariant roleOf(const QAbstractItemModel &model, int row, int role)
{
    return model.index(row, 0).data(role);
}

//! Counts a model's structural signals, to prove updates are incremental.
struct Changes
{
    explicit Changes(QAbstractItemModel *model)
        : resets(model, &QAbstractItemModel::modelReset)
        , inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
    {
    }
    //! The roles of the last dataChanged.
    QList<int> lastRoles() const { return changed.isEmpty() ? QList<int>() : changed.last().at(2).value<QList<int>>(); }

    QSignalSpy resets;
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
};

} // namespace

class tst_Lists : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void membersFollowTheRoom();
    void membersOfAnotherRoomAfterADropAndWithoutAClient();
    void sortedMembersBreakTies();
    void roomDirectoryFollowsTheServer();
    void discoveredServersFollowTheBrowser();

private:
    Server::ChatServer *startServer(Server::ChatServerOptions options = {});
    //! A client logged in to the current server (with a token when it has a secret).
    ChatClient *login(const QString &name);
    bool relogin(ChatClient *client, const QString &name);

    std::unique_ptr<Server::ChatServer> m_server;
    std::vector<std::unique_ptr<ChatClient>> m_clients;
};

void tst_Lists::cleanup()
{
    m_clients.clear();
    m_server.reset();
}

Server::ChatServer *tst_Lists::startServer(Server::ChatServerOptions options)
{
    m_server = std::make_unique<Server::ChatServer>(options);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        qWarning() << "cannot listen:" << m_server->errorString();
        m_server.reset();
    }
    return m_server.get();
}

ChatClient *tst_Lists::login(const QString &name)
{
    auto client = std::make_unique<ChatClient>();
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 20;
    options.manager.reconnectionDelayMaxMs = 100;
    client->setOptions(options);
    if (!relogin(client.get(), name))
        return nullptr;
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

bool tst_Lists::relogin(ChatClient *client, const QString &name)
{
    QSignalSpy loggedIn(client, &ChatClient::loggedIn);
    const QString token = m_server->isOpen()
                              ? QString()
                              : QString::fromLatin1(Chat::mintToken(name.toLower(), name, std::chrono::hours(1), Secret));
    client->connectToServer(m_server->serverUrl(), token, m_server->isOpen() ? name : QString());
    if (!loggedIn.wait(Timeout)) {
        qWarning() << "login failed:" << client->errorString();
        return false;
    }
    return true;
}

void tst_Lists::membersFollowTheRoom()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *zoe = login(QStringLiteral("Zoe"));
    ChatClient *bob = login(QStringLiteral("bob"));
    QVERIFY(ann && zoe && bob);

    MemberModel model(ann);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SortedMemberModel sorted;
    sorted.setSourceModel(&model);
    QAbstractItemModelTester sortedTester(&sorted, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QListView view;
    view.setModel(&sorted);
    view.show();

    QCOMPARE(model.client(), ann);
    QSignalSpy roomChanged(&model, &MemberModel::roomChanged);
    model.setRoom(General);
    QCOMPARE(model.room(), General);
    QCOMPARE(roomChanged.size(), 1);
    QCOMPARE(model.rowCount(), 0); // not joined yet
    Changes changes(&model);

    // joins, in arrival order in the source, sorted case-insensitively in the window
    ann->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, Timeout);
    QCOMPARE(roleOf(model, 0, Qt::DisplayRole).toString(), QStringLiteral("Ann"));
    QCOMPARE(roleOf(model, 0, MemberModel::SocketIdRole).toString(), ann->socketId());
    QCOMPARE(roleOf(model, 0, MemberModel::IsSelfRole).toBool(), true);
    zoe->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, Timeout);
    bob->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, Timeout);
    QCOMPARE(names(&model), (QStringList{QStringLiteral("Ann"), QStringLiteral("Zoe"), QStringLiteral("bob")}));
    QCOMPARE(shown(view), (QStringList{QStringLiteral("Ann"), QStringLiteral("bob"), QStringLiteral("Zoe")}));
    QCOMPARE(model.indexOf(bob->socketId()), 2);
    QCOMPARE(roleOf(model, 1, MemberModel::SocketIdRole).toString(), zoe->socketId());
    QCOMPARE(roleOf(model, 1, MemberModel::IsSelfRole).toBool(), false);
    QCOMPARE(roleOf(model, 2, MemberModel::IsSelfRole).toBool(), false);
    QCOMPARE(changes.inserted.size(), 3);

    // a rename shows at once: dataChanged on the display, and the window re-sorts
    bob->setNickname(QStringLiteral("Aaron"));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("Aaron"), QStringLiteral("Ann"), QStringLiteral("Zoe")}),
                              Timeout);
    QCOMPARE(names(&model), (QStringList{QStringLiteral("Ann"), QStringLiteral("Zoe"), QStringLiteral("Aaron")}));
    QCOMPARE(changes.lastRoles(), QList<int>{Qt::DisplayRole});
    QCOMPARE(roleOf(sorted, 0, MemberModel::SocketIdRole).toString(), bob->socketId());

    zoe->setNickname(QStringLiteral("ben"));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("Aaron"), QStringLiteral("Ann"), QStringLiteral("ben")}),
                              Timeout);

    // our own rename: the self row moves with it
    ann->setNickname(QStringLiteral("Zed"));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("Aaron"), QStringLiteral("ben"), QStringLiteral("Zed")}),
                              Timeout);
    QCOMPARE(roleOf(sorted, 2, MemberModel::IsSelfRole).toBool(), true);
    QCOMPARE(roleOf(sorted, 0, MemberModel::IsSelfRole).toBool(), false);
    QCOMPARE(changes.inserted.size(), 3);
    QCOMPARE(changes.removed.size(), 0);

    // leaving the room, and leaving the server, take the row away
    zoe->leaveRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("Aaron"), QStringLiteral("Zed")}), Timeout);
    bob->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), QStringList{QStringLiteral("Zed")}, Timeout);
    QCOMPARE(changes.removed.size(), 2);

    // and our own leave empties the list
    ann->leaveRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, Timeout);
    QCOMPARE(sorted.rowCount(), 0);
    QCOMPARE(changes.resets.size(), 0);
}

void tst_Lists::membersOfAnotherRoomAfterADropAndWithoutAClient()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    QSignalSpy bobJoined(bob, &ChatClient::joined);
    ann->joinRoom(General);
    ann->joinRoom(QStringLiteral("other"));
    bob->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(bobJoined.size(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bob->members(General).size(), 2, Timeout);

    MemberModel model(bob);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SortedMemberModel sorted;
    sorted.setSourceModel(&model);
    QAbstractItemModelTester sortedTester(&sorted, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Changes changes(&model);

    // a room already joined lists its members at once; one we are not in lists nobody
    model.setRoom(General);
    QCOMPARE(names(&sorted), (QStringList{QStringLiteral("Ann"), QStringLiteral("Bob")}));
    model.setRoom(QStringLiteral("other"));
    QCOMPARE(model.rowCount(), 0);
    model.setRoom(General);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changes.resets.size(), 3);
    // events of other rooms change nothing
    const qsizetype before = changes.inserted.size() + changes.removed.size() + changes.changed.size();
    QSignalSpy annLeft(ann, &ChatClient::left);
    ann->leaveRoom(QStringLiteral("other"));
    QTRY_COMPARE_WITH_TIMEOUT(annLeft.size(), 1, Timeout);
    QCOMPARE(changes.inserted.size() + changes.removed.size() + changes.changed.size(), before);

    // the server drops Bob's connection: the list empties, and fills again once he is back in
    // the room, with his new socket as himself
    const QString oldId = bob->socketId();
    QSignalSpy loggedIn(bob, &ChatClient::loggedIn);
    m_server->io()->sockets()->socket(oldId)->conn()->close();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, Timeout);
    QVERIFY(loggedIn.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, Timeout);
    QVERIFY(bob->socketId() != oldId);
    QCOMPARE(model.indexOf(oldId), -1);
    const int self = model.indexOf(bob->socketId());
    QVERIFY(self >= 0);
    QCOMPARE(roleOf(model, self, MemberModel::IsSelfRole).toBool(), true);
    QCOMPARE(roleOf(model, 1 - self, MemberModel::IsSelfRole).toBool(), false);
    QCOMPARE(names(&sorted), (QStringList{QStringLiteral("Ann"), QStringLiteral("Bob")}));
    QCOMPARE(changes.resets.size(), 3);

    // the client goes first: the rows go with it, the model lives on
    m_clients.erase(std::find_if(m_clients.begin(), m_clients.end(), [bob](const auto &c) { return c.get() == bob; }));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.client(), nullptr);
    model.setRoom(QStringLiteral("elsewhere"));
    QCOMPARE(model.rowCount(), 0);
}

void tst_Lists::sortedMembersBreakTies()
{
    // The server never lets two names differ only by case; a source of our own does.
    QStandardItemModel source;
    const auto add = [&source](const QString &name, const QString &socketId) {
        auto *item = new QStandardItem(name);
        item->setData(socketId, MemberModel::SocketIdRole);
        source.appendRow(item);
    };
    add(QStringLiteral("ann"), QStringLiteral("s1"));
    add(QStringLiteral("Bob"), QStringLiteral("s2"));
    add(QStringLiteral("Ann"), QStringLiteral("s4"));
    add(QStringLiteral("Ann"), QStringLiteral("s3"));
    add(QStringLiteral("\u00c9mile"), QStringLiteral("s5"));
    SortedMemberModel sorted;
    QAbstractItemModelTester tester(&sorted, QAbstractItemModelTester::FailureReportingMode::Fatal);
    sorted.setSourceModel(&source);
    // case-insensitive first, then the exact name, then the socket id
    QCOMPARE(names(&sorted), (QStringList{QStringLiteral("Ann"), QStringLiteral("Ann"), QStringLiteral("ann"),
                                          QStringLiteral("Bob"), QStringLiteral("\u00c9mile")}));
    QCOMPARE(roleOf(sorted, 0, MemberModel::SocketIdRole).toString(), QStringLiteral("s3"));
    QCOMPARE(roleOf(sorted, 1, MemberModel::SocketIdRole).toString(), QStringLiteral("s4"));
    // and again as names change
    source.item(1)->setText(QStringLiteral("aaron"));
    QCOMPARE(names(&sorted).first(), QStringLiteral("aaron"));
}

void tst_Lists::roomDirectoryFollowsTheServer()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);

    RoomDirectoryModel model(bob);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QListView view;
    view.setModel(&model);
    view.show();
    QCOMPARE(model.client(), bob);
    QCOMPARE(model.rowCount(), 0);
    Changes changes(&model);
    const auto row = [&model](const QString &room) { return model.indexOf(room); };

    // someone else opens a room: listed, not joined
    ann->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, Timeout);
    QCOMPARE(roleOf(model, 0, Qt::DisplayRole).toString(), General);
    QCOMPARE(roleOf(model, 0, RoomDirectoryModel::MembersRole).toInt(), 1);
    QCOMPARE(roleOf(model, 0, RoomDirectoryModel::TopicRole).toString(), QString());
    QCOMPARE(roleOf(model, 0, RoomDirectoryModel::JoinedRole).toBool(), false);

    // we join: the count and the joined flag follow
    bob->joinRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 0, RoomDirectoryModel::JoinedRole).toBool(), true, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 0, RoomDirectoryModel::MembersRole).toInt(), 2, Timeout);

    // a room sorted before: inserted in its place
    ann->joinRoom(QStringLiteral("alpha"));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("alpha"), General}), Timeout);
    QCOMPARE(changes.inserted.last().at(1).toInt(), 0);
    QCOMPARE(roleOf(model, row(QStringLiteral("alpha")), RoomDirectoryModel::JoinedRole).toBool(), false);

    // a topic: dataChanged with that role only
    ann->setTopic(General, QStringLiteral("Friday plans"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, row(General), RoomDirectoryModel::TopicRole).toString(),
                              QStringLiteral("Friday plans"), Timeout);
    QCOMPARE(changes.lastRoles(), QList<int>{RoomDirectoryModel::TopicRole});

    // the last member leaves: the room is gone
    ann->leaveRoom(QStringLiteral("alpha"));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), QStringList{General}, Timeout);

    // we leave: still listed (Ann is in it), not joined, one member
    bob->leaveRoom(General);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 0, RoomDirectoryModel::JoinedRole).toBool(), false, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 0, RoomDirectoryModel::MembersRole).toInt(), 1, Timeout);

    // a fresh room list that says the same changes nothing
    const qsizetype before = changes.inserted.size() + changes.removed.size() + changes.changed.size();
    QSignalSpy reset(bob, &ChatClient::roomsReset);
    bob->refreshRooms();
    QTRY_COMPARE_WITH_TIMEOUT(reset.size(), 1, Timeout);
    QCOMPARE(changes.inserted.size() + changes.removed.size() + changes.changed.size(), before);

    // leaving the server empties the list; coming back fills it again
    bob->disconnectFromServer();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(relogin(bob, QStringLiteral("Bob")));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), QStringList{General}, Timeout);
    QCOMPARE(roleOf(model, 0, RoomDirectoryModel::TopicRole).toString(), QStringLiteral("Friday plans"));
    QCOMPARE(changes.resets.size(), 0);

    // the client goes first
    m_clients.erase(std::find_if(m_clients.begin(), m_clients.end(), [bob](const auto &c) { return c.get() == bob; }));
    QCOMPARE(model.rowCount(), 0);
}

void tst_Lists::discoveredServersFollowTheBrowser()
{
    DiscoveryBrowser browser;
    browser.setPort(0);
    browser.setMulticastGroup(QHostAddress());
    QVERIFY(browser.start());
    DiscoveredServersModel model(&browser);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QListView view;
    view.setModel(&model);
    view.show();
    QCOMPARE(model.browser(), &browser);
    QCOMPARE(model.rowCount(), 0);
    Changes changes(&model);

    // a hosting server announces itself on loopback
    Server::ChatServerOptions options;
    options.secret = Secret;
    options.announce.enabled = true;
    options.announce.name = QStringLiteral("Ann's room");
    options.announce.port = browser.boundPort();
    options.announce.targets = {QHostAddress::LocalHost};
    QVERIFY(startServer(options));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, Timeout);
    QCOMPARE(shown(view), QStringList{QStringLiteral("Ann's room")});
    QCOMPARE(roleOf(model, 0, DiscoveredServersModel::HostRole).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(roleOf(model, 0, DiscoveredServersModel::PortRole).toInt(), int(m_server->serverPort()));
    QCOMPARE(roleOf(model, 0, DiscoveredServersModel::TokenRequiredRole).toBool(), true);
    const QUrl url = roleOf(model, 0, DiscoveredServersModel::UrlRole).toUrl();
    QCOMPARE(url, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort())));
    QVERIFY(!roleOf(model, 0, DiscoveredServersModel::InstanceIdRole).toString().isEmpty());

    // the URL is one a client logs in to
    ChatClient client;
    QSignalSpy loggedIn(&client, &ChatClient::loggedIn);
    client.connectToServer(url, QString::fromLatin1(Chat::mintToken(QStringLiteral("1"), QStringLiteral("Ann"),
                                                                    std::chrono::hours(1), Secret)));
    QVERIFY(loggedIn.wait(Timeout));
    client.disconnectFromServer();

    // a second server, found after the first; its changes are dataChanged with their roles
    DiscoveryBeacon beacon;
    beacon.setServerName(QStringLiteral("Bea"));
    beacon.setServerPort(4321);
    beacon.setPort(browser.boundPort());
    beacon.setTargets({QHostAddress::LocalHost});
    QVERIFY(beacon.start());
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), (QStringList{QStringLiteral("Ann's room"), QStringLiteral("Bea")}), Timeout);
    QCOMPARE(model.indexOf(beacon.instanceId()), 1);
    QCOMPARE(roleOf(model, 1, DiscoveredServersModel::TokenRequiredRole).toBool(), false);
    QCOMPARE(roleOf(model, 1, DiscoveredServersModel::UrlRole).toUrl(), QUrl(QStringLiteral("http://127.0.0.1:4321")));
    beacon.setServerName(QStringLiteral("Bea's room"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 1, Qt::DisplayRole).toString(), QStringLiteral("Bea's room"), Timeout);
    QCOMPARE(changes.lastRoles(), QList<int>{Qt::DisplayRole});
    beacon.setTokenRequired(true);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 1, DiscoveredServersModel::TokenRequiredRole).toBool(), true, Timeout);
    QCOMPARE(changes.lastRoles(), QList<int>{DiscoveredServersModel::TokenRequiredRole});
    beacon.setServerPort(4322);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, 1, DiscoveredServersModel::PortRole).toInt(), 4322, Timeout);
    QCOMPARE(changes.lastRoles(), (QList<int>{DiscoveredServersModel::PortRole, DiscoveredServersModel::UrlRole}));

    // a model made later lists what the browser already heard
    {
        DiscoveredServersModel late(&browser);
        QAbstractItemModelTester lateTester(&late, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(names(&late), names(&model));
    }

    // the server closes: its bye removes its row at once
    m_server->close();
    QTRY_COMPARE_WITH_TIMEOUT(shown(view), QStringList{QStringLiteral("Bea's room")}, Timeout);
    beacon.stop();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, Timeout);
    QCOMPARE(changes.inserted.size(), 2);
    QCOMPARE(changes.removed.size(), 2);
    QCOMPARE(changes.resets.size(), 0);

    // a browser that goes first takes its rows with it
    auto *shortLived = new DiscoveryBrowser;
    shortLived->setPort(0);
    shortLived->setMulticastGroup(QHostAddress());
    QVERIFY(shortLived->start());
    DiscoveredServersModel orphan(shortLived);
    QAbstractItemModelTester orphanTester(&orphan, QAbstractItemModelTester::FailureReportingMode::Fatal);
    beacon.setPort(shortLived->boundPort());
    QVERIFY(beacon.start());
    QTRY_COMPARE_WITH_TIMEOUT(orphan.rowCount(), 1, Timeout);
    delete shortLived;
    QCOMPARE(orphan.rowCount(), 0);
    QCOMPARE(orphan.browser(), nullptr);
}

QTEST_MAIN(tst_Lists)
#include "tst_lists.moc"
