// The chat server in process, driven by our own ChatClient: the nickname map, the room and
// member lists, topics, history across a restart, offline delivery, flood control, rejoining
// after a dropped connection, and the LAN beacon. (tst_chat_login covers logins and
// eavesdropping; tests/interop/chat the same server against Node's socket.io-client.)
#include "chat/chatclient.h"
#include "chat/discovery.h"
#include "chat/jwt.h"
#include "server/chatserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;
using Chat::Reply;

namespace {

const QByteArray Secret = "integration-secret";
constexpr int Timeout = 5000;

//! Collects the replies of requests, in the order they arrive.
struct Replies : QObject
{
    QList<Reply> list;
    ChatClient::Callback callback()
    {
        return [this](const Reply &reply) { list.append(reply); };
    }
};

//! A member list in a fixed order (the server lists a room's members in no particular order).
QList<Chat::Member> sorted(QList<Chat::Member> members)
{
    std::sort(members.begin(), members.end(), [](const Chat::Member &a, const Chat::Member &b) { return a.id < b.id; });
    return members;
}

} // namespace

class tst_ChatClient : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void nicknameMapFollowsConnectRenameAndDisconnect();
    void roomAndMemberListsUpdateLive();
    void onlyMembersPost();
    void historySurvivesARestart();
    void offlineMessagesAndPrivateHistory();
    void privateMessageBySocketId();
    void floodIsToldThenDisconnectedWithoutSlowingOthers();
    void droppedConnectionRejoinsRooms();
    void shutdownIsToldThenRetried_data();
    void shutdownIsToldThenRetried();
    void requestsWaitForTheConnectionToComeBack();
    void destroyedClientDropsWhatIsInFlight();
    void refusedLoginIsFinal();
    void unreachableServerFailsTheLogin();
    void hostingServerIsFoundOnTheLan();

private:
    Server::ChatServer *startServer(Server::ChatServerOptions options = {}, quint16 port = 0);
    //! A client logged in to the current server (with a token when it has a secret).
    ChatClient *login(const QString &name, const QString &userId = {});
    QUrl serverUrl() const { return m_server->serverUrl(); }

    std::unique_ptr<Server::ChatServer> m_server;
    std::vector<std::unique_ptr<ChatClient>> m_clients;
};

void tst_ChatClient::cleanup()
{
    m_clients.clear();
    m_server.reset();
}

Server::ChatServer *tst_ChatClient::startServer(Server::ChatServerOptions options, quint16 port)
{
    m_server = std::make_unique<Server::ChatServer>(options);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qWarning() << "cannot listen:" << m_server->errorString();
        m_server.reset();
    }
    return m_server.get();
}

ChatClient *tst_ChatClient::login(const QString &name, const QString &userId)
{
    auto client = std::make_unique<ChatClient>();
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 20;
    options.manager.reconnectionDelayMaxMs = 100;
    client->setOptions(options);
    QSignalSpy loggedIn(client.get(), &ChatClient::loggedIn);
    const QString token = m_server->isOpen()
                              ? QString()
                              : QString::fromLatin1(Chat::mintToken(userId, name, std::chrono::hours(1), Secret));
    client->connectToServer(serverUrl(), token, m_server->isOpen() ? name : QString());
    if (!loggedIn.wait(Timeout)) {
        qWarning() << "login failed:" << client->errorString();
        return nullptr;
    }
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

void tst_ChatClient::nicknameMapFollowsConnectRenameAndDisconnect()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    QVERIFY(ann);
    QCOMPARE(ann->state(), ChatClient::State::Connected);
    QCOMPARE(ann->nicknames(), (QHash<QString, QString>{{ann->socketId(), QStringLiteral("Ann")}}));

    // a second Ann is told apart; the first hears of the newcomer
    QSignalSpy connected(ann, &ChatClient::userConnected);
    ChatClient *other = login(QStringLiteral("ann"));
    QVERIFY(other);
    QCOMPARE(other->nickname(), QStringLiteral("ann (2)"));
    QCOMPARE(other->nicknames().value(ann->socketId()), QStringLiteral("Ann"));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Timeout);
    QCOMPARE(connected.first().at(0).toString(), other->socketId());
    QCOMPARE(ann->nicknames(), other->nicknames());

    // a rename reaches everyone, sharing a room or not
    QSignalSpy renamed(ann, &ChatClient::nicknameChanged);
    Replies replies;
    other->setNickname(QStringLiteral("Bea"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QVERIFY(replies.list.first().ok);
    QCOMPARE(other->nickname(), QStringLiteral("Bea"));
    QTRY_COMPARE_WITH_TIMEOUT(renamed.size(), 1, Timeout);
    QCOMPARE(ann->nicknames().value(other->socketId()), QStringLiteral("Bea"));
    QCOMPARE(m_server->nickname(other->socketId()), QStringLiteral("Bea"));

    // a refused rename changes nothing
    other->setNickname(QStringLiteral(" spaced "), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 2, Timeout);
    QCOMPARE(replies.list.last().error, QStringLiteral("invalid nickname"));
    QCOMPARE(other->nickname(), QStringLiteral("Bea"));

    // leaving takes the entry out of everyone's map
    QSignalSpy gone(ann, &ChatClient::userDisconnected);
    const QString otherId = other->socketId();
    other->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, Timeout);
    QCOMPARE(gone.first().at(0).toString(), otherId);
    QCOMPARE(gone.first().at(1).toString(), QStringLiteral("Bea"));
    QCOMPARE(ann->nicknames(), (QHash<QString, QString>{{ann->socketId(), QStringLiteral("Ann")}}));
}

void tst_ChatClient::roomAndMemberListsUpdateLive()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    QVERIFY(bob->rooms().isEmpty());

    // a join creates the room; everyone's list shows it
    QSignalSpy joined(ann, &ChatClient::joined);
    ann->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);
    QCOMPARE(ann->members(QStringLiteral("general")), (QList<Chat::Member>{{ann->socketId(), QStringLiteral("Ann")}}));
    QTRY_COMPARE_WITH_TIMEOUT(bob->rooms(), (QList<Chat::RoomInfo>{{QStringLiteral("general"), 1, {}}}), Timeout);

    // a second member: the first sees them arrive, the count follows
    QSignalSpy memberJoined(ann, &ChatClient::memberJoined);
    bob->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(memberJoined.size(), 1, Timeout);
    QCOMPARE(memberJoined.first().at(0).toString(), QStringLiteral("general"));
    const QList<Chat::Member> both = sorted({{ann->socketId(), QStringLiteral("Ann")}, {bob->socketId(), QStringLiteral("Bob")}});
    QCOMPARE(sorted(ann->members(QStringLiteral("general"))), both);
    QTRY_COMPARE_WITH_TIMEOUT(sorted(bob->members(QStringLiteral("general"))), both, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(ann->room(QStringLiteral("general")).members, 2, Timeout);

    // a member renames: member lists show the new name through the map
    bob->setNickname(QStringLiteral("Robert"));
    QTRY_COMPARE_WITH_TIMEOUT(ann->members(QStringLiteral("general")).last().name, QStringLiteral("Robert"), Timeout);

    // a topic, set by a member, reaches everyone's list
    Replies replies;
    bob->setTopic(QStringLiteral("general"), QStringLiteral("Friday plans"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QVERIFY(replies.list.first().ok);
    QTRY_COMPARE_WITH_TIMEOUT(ann->room(QStringLiteral("general")).topic, QStringLiteral("Friday plans"), Timeout);
    bob->setTopic(QStringLiteral("general"), QString(201, QLatin1Char('x')), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 2, Timeout);
    QCOMPARE(replies.list.last().error, QStringLiteral("topic too long"));

    // leaving: the other sees the member go, the count drops
    QSignalSpy memberLeft(ann, &ChatClient::memberLeft);
    QSignalSpy bobLeft(bob, &ChatClient::left);
    bob->leaveRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(memberLeft.size(), 1, Timeout);
    QCOMPARE(memberLeft.first().at(1).toString(), bob->socketId());
    QTRY_COMPARE_WITH_TIMEOUT(bobLeft.size(), 1, Timeout);
    QVERIFY(!bob->isJoined(QStringLiteral("general")));
    QVERIFY(bob->members(QStringLiteral("general")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(bob->room(QStringLiteral("general")).members, 1, Timeout);

    // the last member leaves: the room is gone from every list, its topic with it
    QSignalSpy removed(bob, &ChatClient::roomRemoved);
    ann->leaveRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, Timeout);
    QVERIFY(bob->rooms().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(ann->rooms().isEmpty(), Timeout);
    bob->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(ann->rooms().size(), 1, Timeout);
    QCOMPARE(ann->room(QStringLiteral("general")).topic, QString());
}

void tst_ChatClient::onlyMembersPost()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    QSignalSpy joined(ann, &ChatClient::joined);
    ann->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);

    QSignalSpy annReceived(ann, &ChatClient::messageReceived);
    Replies replies;
    bob->sendMessage(QStringLiteral("general"), QStringLiteral("let me in"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QCOMPARE(replies.list.first().error, QStringLiteral("not a member"));

    // once a member, the message reaches the others, and the sender sees its own once acked
    QSignalSpy bobReceived(bob, &ChatClient::messageReceived);
    bob->joinRoom(QStringLiteral("general"));
    bob->sendMessage(QStringLiteral("general"), QStringLiteral("hello"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 2, Timeout);
    QVERIFY(replies.list.last().ok);
    QTRY_COMPARE_WITH_TIMEOUT(annReceived.size(), 1, Timeout);
    const auto heard = annReceived.first().at(0).value<ChatMessage>();
    QCOMPARE(heard.text, QStringLiteral("hello"));
    QCOMPARE(heard.fromSocket, bob->socketId());
    QCOMPARE(heard.senderName, QStringLiteral("Bob"));
    QVERIFY(!heard.outgoing);
    QCOMPARE(bobReceived.size(), 1);
    const auto own = bobReceived.first().at(0).value<ChatMessage>();
    QVERIFY(own.outgoing);
    QCOMPARE(own.id, heard.id);
    QCOMPARE(own.id, replies.list.last().data.value(QStringLiteral("messageId")).toLongLong());
    QCOMPARE(own.timestamp, heard.timestamp);
}

void tst_ChatClient::historySurvivesARestart()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.dataDirectory = data.path();
    QVERIFY(startServer(options));
    const quint16 port = m_server->serverPort();

    ChatClient *ann = login(QStringLiteral("Ann"));
    QVERIFY(ann);
    ann->joinRoom(QStringLiteral("general"));
    Replies replies;
    for (int i = 0; i < 5; ++i)
        ann->sendMessage(QStringLiteral("general"), QStringLiteral("message %1").arg(i), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 5, Timeout);
    QList<qint64> ids;
    for (const Reply &reply : std::as_const(replies.list)) {
        QVERIFY2(reply.ok, qPrintable(reply.error));
        ids.append(reply.data.value(QStringLiteral("messageId")).toLongLong());
    }

    // the server goes away and comes back on the same data; Ann's client reconnects by itself
    // (a server that closes is a dropped connection to its clients, as with socket.io)
    QSignalSpy disconnected(ann, &ChatClient::disconnected);
    QSignalSpy joined(ann, &ChatClient::joined);
    QSignalSpy loggedIn(ann, &ChatClient::loggedIn);
    m_server->close();
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Timeout);
    QCOMPARE(ann->state(), ChatClient::State::Reconnecting);
    m_server.reset();
    QVERIFY(startServer(options, port));
    QVERIFY(loggedIn.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);
    QCOMPARE(ann->members(QStringLiteral("general")).size(), 1);

    // joining delivers the recent history…
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(bob);
    QSignalSpy history(bob, &ChatClient::historyReceived);
    bob->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 1, Timeout);
    auto page = history.first().at(1).value<QList<ChatMessage>>();
    QCOMPARE(page.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(page.at(i).id, ids.at(i));
        QCOMPARE(page.at(i).text, QStringLiteral("message %1").arg(i));
        QCOMPARE(page.at(i).senderName, QStringLiteral("Ann"));
    }
    QCOMPARE(history.first().at(2).toBool(), false);

    // …and older pages on request
    bob->fetchHistory(QStringLiteral("general"), ids.at(3), 2);
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 2, Timeout);
    page = history.last().at(1).value<QList<ChatMessage>>();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.at(0).id, ids.at(1));
    QCOMPARE(page.at(1).id, ids.at(2));
    QCOMPARE(history.last().at(2).toBool(), true);
}

void tst_ChatClient::offlineMessagesAndPrivateHistory()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.secret = Secret;
    options.dataDirectory = data.path();
    QVERIFY(startServer(options));

    ChatClient *ann = login(QStringLiteral("Ann"), QStringLiteral("ann"));
    QVERIFY(ann);
    QCOMPARE(ann->userId(), QStringLiteral("ann"));
    Replies replies;
    ann->sendPrivateMessageToUser(QStringLiteral("bob"), QStringLiteral("are you there?"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QVERIFY2(replies.list.first().ok, qPrintable(replies.list.first().error));
    QCOMPARE(replies.list.first().data.value(QStringLiteral("delivered")).toBool(), false);
    QCOMPARE(replies.list.first().data.value(QStringLiteral("stored")).toBool(), true);

    // Bob connects later: the message is waiting for him, once
    auto bob = std::make_unique<ChatClient>();
    QList<ChatMessage> received;
    connect(bob.get(), &ChatClient::privateMessageReceived, this, [&received](const ChatMessage &message) {
        if (!message.outgoing)
            received.append(message);
    });
    bob->connectToServer(serverUrl(), QString::fromLatin1(Chat::mintToken(QStringLiteral("bob"), QStringLiteral("Bob"),
                                                                          std::chrono::hours(1), Secret)));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Timeout);
    const ChatMessage waiting = received.first();
    QCOMPARE(waiting.text, QStringLiteral("are you there?"));
    QCOMPARE(waiting.fromUser, QStringLiteral("ann"));
    QCOMPARE(waiting.senderName, QStringLiteral("Ann"));
    QVERIFY(waiting.offline);

    // an answer while both are online is delivered at once
    QSignalSpy annReceived(ann, &ChatClient::privateMessageReceived);
    bob->sendPrivateMessageToUser(QStringLiteral("ann"), QStringLiteral("here now"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(annReceived.size(), 1, Timeout);
    QCOMPARE(annReceived.first().at(0).value<ChatMessage>().fromUser, QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 2, Timeout);
    QCOMPARE(replies.list.last().data.value(QStringLiteral("delivered")).toBool(), true);

    // both sides read the same conversation back
    QSignalSpy annHistory(ann, &ChatClient::privateHistoryReceived);
    ann->fetchPrivateHistory(QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(annHistory.size(), 1, Timeout);
    const auto conversation = annHistory.first().at(1).value<QList<ChatMessage>>();
    QCOMPARE(conversation.size(), 2);
    QCOMPARE(conversation.at(0).text, QStringLiteral("are you there?"));
    QVERIFY(conversation.at(0).outgoing);
    QCOMPARE(conversation.at(1).text, QStringLiteral("here now"));
    QVERIFY(!conversation.at(1).outgoing);

    // a reconnection delivers nothing twice
    QSignalSpy loggedIn(bob.get(), &ChatClient::loggedIn);
    bob->connectToServer(serverUrl(), QString::fromLatin1(Chat::mintToken(QStringLiteral("bob"), QStringLiteral("Bob"),
                                                                          std::chrono::hours(1), Secret)));
    QVERIFY(loggedIn.wait(Timeout));
    bob->refreshRooms(&replies, replies.callback()); // a round trip: anything waiting came first
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 3, Timeout);
    QCOMPARE(received.size(), 1);
}

void tst_ChatClient::privateMessageBySocketId()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    ChatClient *eve = login(QStringLiteral("Eve"));
    QVERIFY(ann && bob && eve);
    QSignalSpy bobReceived(bob, &ChatClient::privateMessageReceived);
    QSignalSpy eveReceived(eve, &ChatClient::privateMessageReceived);
    QSignalSpy annOwn(ann, &ChatClient::privateMessageReceived);
    Replies replies;
    ann->sendPrivateMessage(bob->socketId(), QStringLiteral("psst"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, Timeout);
    const auto message = bobReceived.first().at(0).value<ChatMessage>();
    QCOMPARE(message.fromSocket, ann->socketId());
    QCOMPARE(message.text, QStringLiteral("psst"));
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QCOMPARE(replies.list.first().data.value(QStringLiteral("delivered")).toBool(), true);
    QCOMPARE(annOwn.size(), 1);
    QCOMPARE(annOwn.first().at(0).value<ChatMessage>().toSocket, bob->socketId());

    // a socket that is gone: the ack says so
    const QString bobId = bob->socketId();
    bob->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!ann->nicknames().contains(bobId), Timeout);
    ann->sendPrivateMessage(bobId, QStringLiteral("still there?"), &replies, replies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 2, Timeout);
    QCOMPARE(replies.list.last().error, QStringLiteral("no such socket"));

    // Eve heard nothing: a last message to her arrives alone
    ann->sendPrivateMessage(eve->socketId(), QStringLiteral("marker"));
    QTRY_COMPARE_WITH_TIMEOUT(eveReceived.size(), 1, Timeout);
    QCOMPARE(eveReceived.first().at(0).value<ChatMessage>().text, QStringLiteral("marker"));
}

void tst_ChatClient::floodIsToldThenDisconnectedWithoutSlowingOthers()
{
    Server::ChatServerOptions options;
    options.flood.burst = 5;
    options.flood.perSecond = 1;
    options.flood.disconnectAfter = 10;
    QVERIFY(startServer(options));
    ChatClient *flood = login(QStringLiteral("Flo"));
    ChatClient *calm = login(QStringLiteral("Cal"));
    QVERIFY(flood && calm);
    QSignalSpy calmJoined(calm, &ChatClient::joined);
    calm->joinRoom(QStringLiteral("quiet"));
    QTRY_COMPARE_WITH_TIMEOUT(calmJoined.size(), 1, Timeout);

    QSignalSpy told(flood, &ChatClient::rateLimited);
    QSignalSpy disconnected(flood, &ChatClient::disconnected);
    Replies floodReplies;
    for (int i = 0; i < 30; ++i)
        flood->setTopic(QStringLiteral("nowhere"), QStringLiteral("spam %1").arg(i), &floodReplies, floodReplies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Timeout);
    QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("io server disconnect"));
    QCOMPARE(flood->state(), ChatClient::State::Disconnected);
    QCOMPARE(told.size(), 1);
    QVERIFY(told.first().at(0).toInt() > 0);
    // Every request is answered: those that had a token were refused for what they asked (the
    // login's room list took one), the next ten for the flood, and the rest never went out.
    QTRY_COMPARE_WITH_TIMEOUT(floodReplies.list.size(), 30, Timeout);
    QStringList errors;
    for (const Reply &reply : std::as_const(floodReplies.list))
        errors.append(reply.error);
    const qsizetype served = errors.count(QStringLiteral("not a member"));
    QCOMPARE(served, 4);
    QCOMPARE(errors.mid(0, served), QStringList(served, QStringLiteral("not a member")));
    QCOMPARE(errors.mid(served, 10), QStringList(10, QStringLiteral("rate limited")));
    QCOMPARE(errors.mid(served + 10), QStringList(30 - served - 10, QStringLiteral("not connected")));

    // the other client was not slowed: its message goes through at once
    Replies calmReplies;
    calm->sendMessage(QStringLiteral("quiet"), QStringLiteral("still fine"), &calmReplies, calmReplies.callback());
    QTRY_COMPARE_WITH_TIMEOUT(calmReplies.list.size(), 1, Timeout);
    QVERIFY(calmReplies.list.first().ok);
}

void tst_ChatClient::droppedConnectionRejoinsRooms()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    QSignalSpy joined(ann, &ChatClient::joined);
    ann->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);
    bob->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(ann->members(QStringLiteral("general")).size(), 2, Timeout);

    // the server drops Ann's connection (not a namespace disconnect): she comes back by herself
    const QString oldId = ann->socketId();
    QSignalSpy states(ann, &ChatClient::stateChanged);
    QSignalSpy loggedIn(ann, &ChatClient::loggedIn);
    m_server->io()->sockets()->socket(oldId)->conn()->close();
    QVERIFY(loggedIn.wait(Timeout));
    QCOMPARE(states.first().at(0).value<ChatClient::State>(), ChatClient::State::Reconnecting);
    QCOMPARE(ann->state(), ChatClient::State::Connected);
    QVERIFY(ann->socketId() != oldId);
    QCOMPARE(ann->joinedRooms(), QStringList{QStringLiteral("general")});
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 2, Timeout);
    QCOMPARE(ann->members(QStringLiteral("general")).size(), 2);

    // and messages reach her again
    QSignalSpy received(ann, &ChatClient::messageReceived);
    bob->sendMessage(QStringLiteral("general"), QStringLiteral("welcome back"));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Timeout);
    QCOMPARE(received.first().at(0).value<ChatMessage>().text, QStringLiteral("welcome back"));
}

void tst_ChatClient::shutdownIsToldThenRetried_data()
{
    using EngineIO::TransportType;
    QTest::addColumn<QList<TransportType>>("transports");
    QTest::newRow("websocket") << QList<TransportType>{TransportType::WebSocket};
    QTest::newRow("polling") << QList<TransportType>{TransportType::Polling};
}

void tst_ChatClient::shutdownIsToldThenRetried()
{
    QFETCH(QList<EngineIO::TransportType>, transports);
    QVERIFY(startServer());
    const quint16 port = m_server->serverPort();
    ChatClient ann;
    ChatClient::Options options;
    options.manager.engine.transports = transports;
    options.manager.reconnectionDelayMs = 20;
    options.manager.reconnectionDelayMaxMs = 100;
    ann.setOptions(options);
    QSignalSpy loggedIn(&ann, &ChatClient::loggedIn);
    ann.connectToServer(serverUrl(), {}, QStringLiteral("Ann"));
    QVERIFY(loggedIn.wait(Timeout));

    // the client hears why the connection goes, rather than a bare "transport close"…
    QSignalSpy disconnected(&ann, &ChatClient::disconnected);
    QSignalSpy closed(m_server.get(), &Server::ChatServer::closed);
    m_server->shutDown(Timeout);
    QVERIFY(m_server->isShuttingDown());
    QVERIFY(disconnected.wait(Timeout));
    // the last client gone, the server closes without waiting out its grace period
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout / 2);
    QVERIFY(!m_server->isShuttingDown());
    QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("server shutting down"));
    QCOMPARE(ann.errorString(), QStringLiteral("server shutting down"));
    QCOMPARE(ann.state(), ChatClient::State::Reconnecting);

    // …and still comes back when a server listens there again (a restart)
    m_server.reset();
    QVERIFY(startServer({}, port));
    QVERIFY(loggedIn.wait(Timeout));
    QCOMPARE(ann.state(), ChatClient::State::Connected);
    QVERIFY(ann.errorString().isEmpty());
}

void tst_ChatClient::requestsWaitForTheConnectionToComeBack()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions serverOptions;
    serverOptions.dataDirectory = data.path();
    QVERIFY(startServer(serverOptions));
    const quint16 port = m_server->serverPort();

    // a back-off so long that only retryNow() brings the client back within the test
    ChatClient ann;
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 60000;
    options.manager.reconnectionDelayMaxMs = 60000;
    ann.setOptions(options);
    QSignalSpy loggedIn(&ann, &ChatClient::loggedIn);
    QSignalSpy joined(&ann, &ChatClient::joined);
    ann.connectToServer(serverUrl(), {}, QStringLiteral("Ann"));
    QVERIFY(loggedIn.wait(Timeout));
    ann.joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);

    QSignalSpy reconnecting(&ann, &ChatClient::reconnecting);
    m_server->close();
    QVERIFY(reconnecting.wait(Timeout));
    QVERIFY(reconnecting.first().at(1).toInt() >= 30000);
    QCOMPARE(ann.state(), ChatClient::State::Reconnecting);

    // typed while offline: it waits
    Replies replies;
    ann.sendMessage(QStringLiteral("general"), QStringLiteral("typed offline"), &replies, replies.callback());
    m_server.reset();
    QVERIFY(startServer(serverOptions, port));
    QVERIFY(replies.list.isEmpty());

    // back now, not in a minute: rejoined first, then the message goes out
    ann.retryNow();
    QVERIFY(loggedIn.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(replies.list.size(), 1, Timeout);
    QVERIFY2(replies.list.first().ok, qPrintable(replies.list.first().error));
    QCOMPARE(joined.size(), 2);

    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(bob);
    QSignalSpy history(bob, &ChatClient::historyReceived);
    bob->joinRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 1, Timeout);
    const auto page = history.first().at(1).value<QList<ChatMessage>>();
    QCOMPARE(page.size(), 1);
    QCOMPARE(page.first().text, QStringLiteral("typed offline"));

    // a session that ends for good fails what waits instead of keeping it forever
    QSignalSpy reconnectingAgain(&ann, &ChatClient::reconnecting);
    m_server->close();
    QVERIFY(reconnectingAgain.wait(Timeout));
    ann.sendMessage(QStringLiteral("general"), QStringLiteral("never sent"), &replies, replies.callback());
    ann.disconnectFromServer();
    QCOMPARE(replies.list.size(), 2);
    QCOMPARE(replies.list.last().error, QStringLiteral("not connected"));
}

void tst_ChatClient::destroyedClientDropsWhatIsInFlight()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    const auto destroy = [this](ChatClient *client) {
        std::erase_if(m_clients, [client](const std::unique_ptr<ChatClient> &owned) { return owned.get() == client; });
    };

    // the same requests in flight on both: closing one fails them...
    Replies annReplies;
    Replies bobReplies;
    for (auto [client, replies] : {std::pair{ann, &annReplies}, std::pair{bob, &bobReplies}}) {
        client->joinRoom(QStringLiteral("general"), replies, replies->callback());
        client->sendMessage(QStringLiteral("general"), QStringLiteral("hi"), replies, replies->callback());
    }
    ann->disconnectFromServer();
    QCOMPARE(annReplies.list.size(), 2);
    QCOMPARE(annReplies.list.first().error, QStringLiteral("not connected"));
    // ...destroying the other drops them: their owners may be going too
    destroy(bob);
    QVERIFY(bobReplies.list.isEmpty());

    // and so does one waiting for the connection to come back
    ChatClient *cat = login(QStringLiteral("Cat"));
    QVERIFY(cat);
    QSignalSpy reconnecting(cat, &ChatClient::reconnecting);
    m_server->close();
    QVERIFY(reconnecting.wait(Timeout));
    Replies catReplies;
    cat->sendMessage(QStringLiteral("general"), QStringLiteral("typed offline"), &catReplies, catReplies.callback());
    QCOMPARE(cat->state(), ChatClient::State::Reconnecting);
    destroy(cat);
    QVERIFY(catReplies.list.isEmpty());
}

void tst_ChatClient::refusedLoginIsFinal()
{
    Server::ChatServerOptions options;
    options.secret = Secret;
    QVERIFY(startServer(options));
    ChatClient client;
    QSignalSpy failed(&client, &ChatClient::loginFailed);
    client.connectToServer(serverUrl(), QString::fromLatin1(Chat::mintToken(QStringLiteral("1"), QStringLiteral("Mallory"),
                                                                            std::chrono::hours(1), "another secret")));
    QVERIFY(failed.wait(Timeout));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("bad signature"));
    QCOMPARE(client.state(), ChatClient::State::Disconnected);
    QCOMPARE(ChatClient::translatedError(QStringLiteral("bad signature")),
             QStringLiteral("The login token was not issued by this server."));
    QVERIFY(m_server->io()->sockets()->sockets().isEmpty());
}

void tst_ChatClient::unreachableServerFailsTheLogin()
{
    // a port nobody listens on: bind one, then free it
    QVERIFY(startServer());
    const QUrl url = serverUrl();
    m_server.reset();
    ChatClient client;
    QSignalSpy failed(&client, &ChatClient::loginFailed);
    client.connectToServer(url, {}, QStringLiteral("Ann"));
    QVERIFY(failed.wait(Timeout));
    QVERIFY(!failed.first().at(0).toString().isEmpty());
    QCOMPARE(client.state(), ChatClient::State::Disconnected);
}

void tst_ChatClient::hostingServerIsFoundOnTheLan()
{
    Chat::Discovery::DiscoveryBrowser browser;
    browser.setPort(0);
    browser.setMulticastGroup(QHostAddress());
    QVERIFY(browser.start());
    QSignalSpy found(&browser, &Chat::Discovery::DiscoveryBrowser::serverFound);
    QSignalSpy lost(&browser, &Chat::Discovery::DiscoveryBrowser::serverLost);

    Server::ChatServerOptions options;
    options.secret = Secret;
    options.announce.enabled = true;
    options.announce.name = QStringLiteral("Ann's room");
    options.announce.port = browser.boundPort();
    options.announce.targets = {QHostAddress::LocalHost};
    QVERIFY(startServer(options));
    QVERIFY(m_server->isAnnouncing());
    QVERIFY(found.wait(Timeout));
    const auto server = found.first().at(0).value<Chat::Discovery::DiscoveredServer>();
    QCOMPARE(server.name, QStringLiteral("Ann's room"));
    QCOMPARE(server.port, m_server->serverPort());
    QVERIFY(server.tokenRequired);

    // closing says goodbye: the browser drops it at once
    m_server->close();
    QVERIFY(!m_server->isAnnouncing());
    QVERIFY(lost.wait(Timeout));
    QVERIFY(browser.servers().isEmpty());
}

#ifdef ROOMCAST_EPOLL_DISPATCHER
// tst_chat_client_epoll: the same suite, client and server, on the event loop roomcast-server
// runs on (core/eventloop).
#include "eventloop/epolleventdispatcher.h"

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new Roomcast::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    tst_ChatClient test;
    return QTest::qExec(&test, argc, argv);
}
#else
QTEST_GUILESS_MAIN(tst_ChatClient)
#endif
#include "tst_chat_client.moc"
