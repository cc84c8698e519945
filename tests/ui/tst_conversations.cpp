// The conversation models of the main window — MessageModel, ConversationListModel and the
// ChatSession that feeds them — each under QAbstractItemModelTester for its whole life. The pure
// model cases build ChatMessages by hand (grouping, day separators, overlapping pages, 100,000
// rows); the session cases run a real ChatServer in process with real ChatClients as peers.
#include "ui/models/chatsession.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/models/messagemodel.h"

#include "chat/chatclient.h"
#include "chat/jwt.h"
#include "server/chatserver.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>
#include <vector>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;
using Chat::Reply;
using Ui::ChatSession;
using Ui::ConversationId;
using Ui::ConversationListModel;
using Ui::MessageModel;
using State = Ui::MessageModel::DeliveryState;

namespace {

const QByteArray Secret = "conversations-secret";
constexpr int Timeout = 5000;

//! The model checked after every change, until it is destroyed.
void watch(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal, model);
}

QVariant at(const QAbstractItemModel *model, int row, int role)
{
    return model->index(row, 0).data(role);
}

State stateAt(const MessageModel *model, int row)
{
    return at(model, row, MessageModel::StateRole).value<State>();
}

QList<qint64> idsOf(const MessageModel *model)
{
    QList<qint64> ids;
    for (int row = 0; row < model->rowCount(); ++row)
        ids.append(at(model, row, MessageModel::MessageIdRole).toLongLong());
    return ids;
}

QStringList textsOf(const MessageModel *model)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts.append(at(model, row, MessageModel::TextRole).toString());
    return texts;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> ids;
    for (qint64 id = first; id <= last; ++id)
        ids.append(id);
    return ids;
}

ChatMessage roomMessage(qint64 id, const QString &sender, const QDateTime &timestamp, const QString &text = {})
{
    ChatMessage message;
    message.id = id;
    message.room = QStringLiteral("general");
    message.fromSocket = QStringLiteral("socket-") + sender;
    message.senderName = sender;
    message.text = text.isEmpty() ? QStringLiteral("message %1").arg(id) : text;
    message.timestamp = timestamp.toUTC();
    return message;
}

QList<ChatMessage> roomPage(qint64 first, qint64 last)
{
    const QDateTime start(QDate(2024, 5, 6), QTime(9, 0), Qt::LocalTime);
    QList<ChatMessage> page;
    for (qint64 id = first; id <= last; ++id)
        page.append(roomMessage(id, QStringLiteral("Ann"), start.addSecs(id * 10)));
    return page;
}

//! A local time on 1 March 2024 (or the next day), as the server would send it: in UTC.
QDateTime local(int hour, int minute, int dayOffset = 0)
{
    return QDateTime(QDate(2024, 3, 1).addDays(dayOffset), QTime(hour, minute), Qt::LocalTime).toUTC();
}

//! Rows whose grouping roles were announced as changed by the dataChanged signals in @p spy.
QSet<int> groupingChanges(const QSignalSpy &spy)
{
    QSet<int> rows;
    for (const QList<QVariant> &signal : spy) {
        const auto roles = signal.at(2).value<QList<int>>();
        if (!roles.isEmpty() && !roles.contains(MessageModel::FirstInGroupRole))
            continue;
        for (int row = signal.at(0).toModelIndex().row(); row <= signal.at(1).toModelIndex().row(); ++row)
            rows.insert(row);
    }
    return rows;
}

} // namespace

class tst_Conversations : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    // the models on their own
    void conversationId();
    void groupingAndDaySeparators();
    void overlappingPagesMergeById();
    void pendingMessagesFollowTheServersOrder();
    void privateMessagesMergeByTime();
    void randomChangesKeepRowsAndIdsInStep_data();
    void randomChangesKeepRowsAndIdsInStep();
    void hundredThousandMessages();
    void listCountsUnreadAndAsksForAttention();

    // the session over a real server
    void joinListsTheRoomWithItsHistory();
    void peerMessagesCountUnreadOutsideTheCurrentRoom();
    void sendGoesPendingThenSent();
    void failedSendsCanBeRetried();
    void privateMessagesBothWays();
    void renameAndDisconnectOfAPeer();
    void rejoinAfterADroppedConnectionShowsNothingTwice();
    void olderPagesOnRequest();
    void mentionsAndMutedRooms();
    void userConversationWithOfflineMessagesAndHistory();

private:
    Server::ChatServer *startServer(Server::ChatServerOptions options = {});
    ChatClient *newClient();
    bool connectClient(ChatClient *client, const QString &name, const QString &userId = {});
    ChatClient *login(const QString &name, const QString &userId = {});
    //! A session over @p client whose models are all watched by a tester.
    ChatSession *startSession(ChatClient *client);
    bool join(ChatClient *client, const QString &room);
    bool sessionJoin(const QString &room);
    //! Posts @p text as @p client and returns the server's message id (-1 on failure).
    qint64 post(ChatClient *client, const QString &room, const QString &text);

    std::unique_ptr<Server::ChatServer> m_server;
    std::vector<std::unique_ptr<ChatClient>> m_clients;
    std::unique_ptr<ChatSession> m_session;
};

void tst_Conversations::cleanup()
{
    m_session.reset();
    m_clients.clear();
    m_server.reset();
}

Server::ChatServer *tst_Conversations::startServer(Server::ChatServerOptions options)
{
    m_server = std::make_unique<Server::ChatServer>(options);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        qWarning() << "cannot listen:" << m_server->errorString();
        m_server.reset();
    }
    return m_server.get();
}

ChatClient *tst_Conversations::newClient()
{
    auto client = std::make_unique<ChatClient>();
    ChatClient::Options options;
    options.manager.reconnectionDelayMs = 20;
    options.manager.reconnectionDelayMaxMs = 100;
    client->setOptions(options);
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

bool tst_Conversations::connectClient(ChatClient *client, const QString &name, const QString &userId)
{
    QSignalSpy loggedIn(client, &ChatClient::loggedIn);
    const bool open = m_server->isOpen();
    const QString token =
        open ? QString() : QString::fromLatin1(Chat::mintToken(userId, name, std::chrono::hours(1), Secret));
    client->connectToServer(m_server->serverUrl(), token, open ? name : QString());
    if (!loggedIn.wait(Timeout)) {
        qWarning() << "login failed:" << client->errorString();
        return false;
    }
    return true;
}

ChatClient *tst_Conversations::login(const QString &name, const QString &userId)
{
    ChatClient *client = newClient();
    return connectClient(client, name, userId) ? client : nullptr;
}

ChatSession *tst_Conversations::startSession(ChatClient *client)
{
    m_session = std::make_unique<ChatSession>(client);
    watch(m_session->conversations());
    connect(m_session.get(), &ChatSession::messageModelCreated, this,
            [](const ConversationId &, MessageModel *model) { watch(model); });
    return m_session.get();
}

bool tst_Conversations::join(ChatClient *client, const QString &room)
{
    QSignalSpy joined(client, &ChatClient::joined);
    client->joinRoom(room);
    return joined.wait(Timeout);
}

bool tst_Conversations::sessionJoin(const QString &room)
{
    m_session->joinRoom(room);
    return QTest::qWaitFor([&] { return m_session->conversations()->contains(ConversationId::room(room)); }, Timeout);
}

qint64 tst_Conversations::post(ChatClient *client, const QString &room, const QString &text)
{
    qint64 id = -1;
    bool answered = false;
    client->sendMessage(room, text, this, [&](const Reply &reply) {
        answered = true;
        if (reply.ok)
            id = reply.data.value(QStringLiteral("messageId")).toLongLong();
    });
    if (!QTest::qWaitFor([&] { return answered; }, Timeout))
        return -1;
    return id;
}

// ---------------------------------------------------------------------------------------------

void tst_Conversations::conversationId()
{
    const ConversationId room = ConversationId::room(QStringLiteral("general"));
    const ConversationId socket{ConversationId::Kind::Socket, QStringLiteral("general")};
    QVERIFY(room != socket);
    QCOMPARE(room, (ConversationId{ConversationId::Kind::Room, QStringLiteral("general")}));
    QCOMPARE(qHash(room), qHash(ConversationId::room(QStringLiteral("general"))));
    QSet<ConversationId> set{room, socket, ConversationId::user(QStringLiteral("general")), room};
    QCOMPARE(set.size(), 3);

    for (const ConversationId &id : {room, socket, ConversationId::user(QStringLiteral("u:1"))})
        QCOMPARE(ConversationId::fromKey(id.key()), id);
    QCOMPARE(room.key(), QStringLiteral("room:general"));
    QCOMPARE(ConversationId::user(QStringLiteral("u:1")).key(), QStringLiteral("user:u:1"));
    QVERIFY(!ConversationId::fromKey(QStringLiteral("general")).isValid());
    QVERIFY(!ConversationId::fromKey(QStringLiteral("chat:general")).isValid());
    QVERIFY(!ConversationId().isValid());

    const QVariant variant = QVariant::fromValue(socket);
    QCOMPARE(variant.value<ConversationId>(), socket);
}

void tst_Conversations::groupingAndDaySeparators()
{
    MessageModel model;
    watch(&model);
    const QString ann = QStringLiteral("Ann");
    const QString bob = QStringLiteral("Bob");

    // the newer part first, as the join page would bring it
    model.prependHistory({roomMessage(30, ann, local(23, 50)), roomMessage(40, bob, local(23, 51)),
                          roomMessage(50, bob, local(23, 55)), roomMessage(60, bob, local(0, 1, 1)),
                          roomMessage(70, bob, local(0, 2, 1)), roomMessage(80, ann, local(0, 3, 1))},
                         true);
    struct Expected
    {
        qint64 id;
        bool first;
        bool day;
    };
    const auto check = [&model](const QList<Expected> &expected) {
        if (model.rowCount() != expected.size())
            return false;
        for (int row = 0; row < expected.size(); ++row) {
            const Expected &e = expected.at(row);
            if (at(&model, row, MessageModel::MessageIdRole).toLongLong() != e.id
                || at(&model, row, MessageModel::FirstInGroupRole).toBool() != e.first
                || at(&model, row, MessageModel::DaySeparatorRole).toBool() != e.day) {
                qWarning() << "row" << row << "id" << at(&model, row, MessageModel::MessageIdRole)
                           << "first" << at(&model, row, MessageModel::FirstInGroupRole) << "day"
                           << at(&model, row, MessageModel::DaySeparatorRole);
                return false;
            }
        }
        return true;
    };
    QVERIFY(check({{30, true, true}, {40, true, false}, {50, false, false}, // Bob, 4 minutes later
                   {60, true, true},                                         // under 5 minutes, but a new day
                   {70, false, false}, {80, true, false}}));
    QCOMPARE(at(&model, 0, MessageModel::TimestampRole).toDateTime(), local(23, 50).toLocalTime());
    QCOMPARE(at(&model, 0, MessageModel::TimestampRole).toDateTime().timeSpec(), Qt::LocalTime);

    // an older page: the old first row continues Ann's group now, and is told so
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.prependHistory({roomMessage(10, ann, local(23, 40)), roomMessage(20, ann, local(23, 43))}, false);
    QVERIFY(check({{10, true, true}, {20, false, false}, {30, true, false}, // 7 minutes: a new group
                   {40, true, false}, {50, false, false}, {60, true, true}, {70, false, false}, {80, true, false}}));
    QVERIFY(groupingChanges(changed).contains(2));
    QVERIFY(!model.hasMoreHistory());

    // a message between two others (a page that fills a hole): its follower is told too
    changed.clear();
    model.prependHistory({roomMessage(55, bob, local(23, 57))}, false);
    QVERIFY(check({{10, true, true}, {20, false, false}, {30, true, false}, {40, true, false}, {50, false, false},
                   {55, false, false}, {60, true, true}, {70, false, false}, {80, true, false}}));
    QVERIFY(groupingChanges(changed).contains(6));

    // a live message continuing Ann's group
    QVERIFY(model.append(roomMessage(90, ann, local(0, 7, 1))));
    QCOMPARE(at(&model, 9, MessageModel::FirstInGroupRole).toBool(), false);
    QCOMPARE(at(&model, 9, MessageModel::DaySeparatorRole).toBool(), false);
    QVERIFY(model.append(roomMessage(100, ann, local(0, 13, 1)))); // 6 minutes later
    QCOMPARE(at(&model, 10, MessageModel::FirstInGroupRole).toBool(), true);
}

void tst_Conversations::overlappingPagesMergeById()
{
    MessageModel model;
    watch(&model);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy more(&model, &MessageModel::hasMoreHistoryChanged);
    QVERIFY(model.hasMoreHistory());
    QCOMPARE(model.oldestId(), qint64(-1));

    QCOMPARE(model.prependHistory(roomPage(50, 59), true), 10);
    QCOMPARE(inserted.size(), 1); // one insertion for a page, not one per row
    QCOMPARE(model.oldestId(), qint64(50));
    QVERIFY(model.hasMoreHistory());

    // an older page overlapping the first rows
    QCOMPARE(model.prependHistory(roomPage(45, 54), true), 5);
    QCOMPARE(idsOf(&model), range(45, 59));
    QCOMPARE(inserted.size(), 2);

    // the page after a rejoin: the last rows again and two new ones
    QList<ChatMessage> rejoin = roomPage(55, 61);
    std::reverse(rejoin.begin(), rejoin.end()); // whatever order a page comes in
    QCOMPARE(model.prependHistory(rejoin, true), 2);
    QCOMPARE(idsOf(&model), range(45, 61));
    QCOMPARE(model.oldestId(), qint64(45));
    QVERIFY(more.isEmpty()); // the rejoin page did not reach further back: nothing learnt

    // a page reaching back and forward at once: one insertion at each end
    inserted.clear();
    QCOMPARE(model.prependHistory(roomPage(40, 47) + roomPage(60, 63), false), 7);
    QCOMPARE(idsOf(&model), range(40, 63));
    QCOMPARE(inserted.size(), 2);
    QVERIFY(!model.hasMoreHistory());
    QCOMPARE(more.size(), 1);

    // live messages already shown are not shown twice; ids find their rows
    QVERIFY(!model.append(roomPage(63, 63).first()));
    QVERIFY(!model.append(roomPage(40, 40).first()));
    QCOMPARE(model.rowCount(), 24);
    QCOMPARE(model.rowOfId(40), 0);
    QCOMPARE(model.rowOfId(63), 23);
    QCOMPARE(model.rowOfId(64), -1);
    QVERIFY(model.append(roomPage(64, 64).first()));
    QCOMPARE(model.rowOfId(64), 24);

    // a page with duplicates inside itself
    QCOMPARE(model.prependHistory(roomPage(30, 31) + roomPage(30, 31), false), 2);
    QCOMPARE(idsOf(&model), range(30, 31) + range(40, 64));
    // the last page: empty, nothing more
    model.setHasMoreHistory(true);
    model.prependHistory({}, false);
    QVERIFY(!model.hasMoreHistory());
    for (qint64 id : idsOf(&model))
        QCOMPARE(idsOf(&model).at(model.rowOfId(id)), id);
}

void tst_Conversations::pendingMessagesFollowTheServersOrder()
{
    MessageModel model;
    watch(&model);
    model.prependHistory(roomPage(1, 5), false);

    const qint64 first = model.addPending(QStringLiteral("one"), QStringLiteral("Ann"), QStringLiteral("s-ann"));
    QVERIFY(first > 0);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(stateAt(&model, 5), State::Pending);
    QCOMPARE(at(&model, 5, MessageModel::MessageIdRole).toLongLong(), qint64(-1));
    QCOMPARE(at(&model, 5, MessageModel::OutgoingRole).toBool(), true);
    QCOMPARE(at(&model, 5, MessageModel::LocalIdRole).toLongLong(), first);
    QCOMPARE(model.pendingText(first), QStringLiteral("one"));

    // messages the server had before ours come before it
    model.prependHistory(roomPage(6, 7), false);
    QCOMPARE(model.rowOfLocalId(first), 7);
    QVERIFY(model.markSent(first, 8, QDateTime::currentDateTimeUtc()));
    QCOMPARE(stateAt(&model, 7), State::Sent);
    QCOMPARE(model.rowOfId(8), 7);

    // a peer's message arrives while ours waits, and the server put ours after it: it moves
    const qint64 second = model.addPending(QStringLiteral("two"), QStringLiteral("Ann"), QStringLiteral("s-ann"));
    QVERIFY(model.append(roomPage(9, 9).first()));
    QCOMPARE(model.rowOfLocalId(second), 8);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QVERIFY(model.markSent(second, 10, QDateTime::currentDateTimeUtc()));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(model.rowOfLocalId(second), 9);
    QCOMPARE(idsOf(&model), range(1, 10));

    // ours read back in a page before its ack: one row, ours
    const qint64 third = model.addPending(QStringLiteral("three"), QStringLiteral("Ann"), QStringLiteral("s-ann"));
    model.prependHistory(roomPage(11, 11), false);
    QCOMPARE(model.rowCount(), 12);
    QVERIFY(model.markSent(third, 11, QDateTime::currentDateTimeUtc()));
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(idsOf(&model), range(1, 11));
    QCOMPARE(model.rowOfId(11), model.rowOfLocalId(third));
    QCOMPARE(at(&model, 10, MessageModel::TextRole).toString(), QStringLiteral("three"));
    QCOMPARE(at(&model, 10, MessageModel::OutgoingRole).toBool(), true);

    // failed, then retried
    const qint64 fourth = model.addPending(QStringLiteral("four"), QStringLiteral("Ann"), QStringLiteral("s-ann"));
    QVERIFY(model.markFailed(fourth, QStringLiteral("not a member")));
    QCOMPARE(stateAt(&model, 11), State::Failed);
    QCOMPARE(at(&model, 11, MessageModel::ErrorRole).toString(), ChatClient::translatedError(QStringLiteral("not a member")));
    QCOMPARE(at(&model, 11, MessageModel::ErrorRole).toString(), QStringLiteral("You are not in that room."));
    QVERIFY(!model.markPending(third)); // only a failed message goes back to pending
    QVERIFY(model.markPending(fourth));
    QCOMPARE(stateAt(&model, 11), State::Pending);
    QCOMPARE(at(&model, 11, MessageModel::ErrorRole).toString(), QString());
    QVERIFY(!model.markSent(12345, 1, {}));
    QVERIFY(!model.markFailed(12345, {}));
}

void tst_Conversations::privateMessagesMergeByTime()
{
    MessageModel model(MessageModel::Ordering::ByTime);
    watch(&model);
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const auto message = [](const QString &from, const QDateTime &when, const QString &text, qint64 id = -1) {
        ChatMessage m;
        m.id = id;
        m.fromUser = from;
        m.senderName = from;
        m.text = text;
        m.timestamp = when;
        return m;
    };

    // live messages carry no id
    QVERIFY(model.append(message(QStringLiteral("bob"), t0.addSecs(60), QStringLiteral("hi"))));
    QVERIFY(model.append(message(QStringLiteral("bob"), t0.addSecs(120), QStringLiteral("there?"))));
    QVERIFY(!model.append(message(QStringLiteral("bob"), t0.addSecs(60), QStringLiteral("hi")))); // delivered twice
    const qint64 mine = model.addPending(QStringLiteral("yes"), QStringLiteral("ann"), QString(), QStringLiteral("ann"));
    QVERIFY(model.markSent(mine, -1, t0.addSecs(180)));
    QCOMPARE(model.oldestId(), qint64(-1));

    // the stored conversation: what is shown takes its id, the rest comes in by time
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    ChatMessage own = message(QStringLiteral("ann"), t0.addSecs(180), QStringLiteral("yes"), 4);
    own.outgoing = true;
    const int added = model.prependHistory({message(QStringLiteral("bob"), t0, QStringLiteral("earlier"), 1),
                                            message(QStringLiteral("bob"), t0.addSecs(60), QStringLiteral("hi"), 2),
                                            message(QStringLiteral("bob"), t0.addSecs(120), QStringLiteral("there?"), 3),
                                            own},
                                           false);
    QCOMPARE(added, 1);
    QCOMPARE(textsOf(&model), (QStringList{QStringLiteral("earlier"), QStringLiteral("hi"), QStringLiteral("there?"),
                                           QStringLiteral("yes")}));
    QCOMPARE(idsOf(&model), (QList<qint64>{1, 2, 3, 4}));
    QCOMPARE(model.rowOfLocalId(mine), 3);
    QCOMPARE(stateAt(&model, 3), State::Sent);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.oldestId(), qint64(1));
    QVERIFY(!model.hasMoreHistory());
    QVERIFY(!model.append(message(QStringLiteral("bob"), t0.addSecs(120), QStringLiteral("there?"))));
}

void tst_Conversations::randomChangesKeepRowsAndIdsInStep_data()
{
    QTest::addColumn<MessageModel::Ordering>("ordering");
    QTest::newRow("by id") << MessageModel::Ordering::ById;
    QTest::newRow("by time") << MessageModel::Ordering::ByTime;
}

void tst_Conversations::randomChangesKeepRowsAndIdsInStep()
{
    QFETCH(MessageModel::Ordering, ordering);
    MessageModel model(ordering);
    watch(&model);
    QRandomGenerator random(20240506);
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-10);
    // message n: id n, n seconds after start, its own text; in a ByTime model a live one has no id
    const auto make = [&](qint64 id, bool live) {
        ChatMessage message = roomMessage(id, QStringLiteral("Bob"), start.addSecs(id));
        if (live && ordering == MessageModel::Ordering::ByTime)
            message.id = -1;
        return message;
    };
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QList<qint64> pending;
    qint64 serverIds = 100000; // ids the server gives our messages, above any page's
    const auto check = [&] {
        qint64 previous = std::numeric_limits<qint64>::min();
        for (int row = 0; row < model.rowCount(); ++row) {
            const ChatMessage message = model.messageAt(row);
            const State state = model.stateAt(row);
            if (message.id >= 0 && model.rowOfId(message.id) != row)
                return false;
            if (const qint64 localId = model.localIdAt(row); localId > 0 && model.rowOfLocalId(localId) != row)
                return false;
            if (state == State::Pending || state == State::Failed)
                continue;
            const qint64 key = ordering == MessageModel::Ordering::ById ? message.id
                                                                       : message.timestamp.toMSecsSinceEpoch();
            if (key < previous)
                return false;
            previous = key;
        }
        return true;
    };
    for (int step = 0; step < 1500; ++step) {
        const int choice = random.bounded(10);
        if (choice < 4) { // a page: anywhere, overlapping whatever
            const qint64 first = random.bounded(1, 3000);
            QList<ChatMessage> page;
            for (qint64 id = first; id < first + random.bounded(1, 40); ++id)
                if (random.bounded(4))
                    page.append(make(id, false));
            model.prependHistory(page, true);
        } else if (choice < 6) { // a live message, usually the newest
            model.append(make(random.bounded(2) ? 3000 + step : random.bounded(1, 3000), true));
        } else if (choice < 8) {
            pending.append(model.addPending(QStringLiteral("mine %1").arg(step), QStringLiteral("Ann"),
                                            QStringLiteral("socket-Ann")));
        } else if (!pending.isEmpty()) { // an answer for one of ours
            const qint64 localId = pending.takeAt(random.bounded(int(pending.size())));
            if (random.bounded(3) == 0) {
                QVERIFY(model.markFailed(localId, QStringLiteral("timed out")));
                QVERIFY(model.markPending(localId));
                pending.append(localId);
            } else {
                const qint64 id = random.bounded(4) ? ++serverIds : random.bounded(1, 3000);
                QVERIFY(model.markSent(localId, ordering == MessageModel::Ordering::ById ? id : -1,
                                       start.addSecs(id)));
            }
        }
        QVERIFY2(check(), qPrintable(QStringLiteral("step %1").arg(step)));
    }
    QVERIFY(model.rowCount() > 500);
    QVERIFY(!moved.isEmpty()); // acks that put ours elsewhere
    if (ordering == MessageModel::Ordering::ById)
        QVERIFY(!removed.isEmpty()); // acks for ours already read back
}

void tst_Conversations::hundredThousandMessages()
{
    constexpr int Count = 100000;
    constexpr qint64 FirstId = 100001;
    const QDateTime start(QDate(2024, 1, 1), QTime(8, 0), Qt::LocalTime);
    // a message a minute, senders taking turns every three messages
    const auto make = [&start](qint64 id) {
        return roomMessage(id, (id / 3) % 2 ? QStringLiteral("Bob") : QStringLiteral("Ann"), start.addSecs(id * 60));
    };
    const auto expectedFirst = [&start](qint64 id, qint64 previousId) {
        if (previousId < 0 || id % 3 == 0)
            return true;
        return start.addSecs(id * 60).date() != start.addSecs(previousId * 60).date();
    };

    MessageModel model;
    watch(&model);
    QList<ChatMessage> page;
    page.reserve(Count);
    for (qint64 id = FirstId; id < FirstId + Count; ++id)
        page.append(make(id));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(model.prependHistory(page, true), Count);
    QCOMPARE(inserted.size(), 1);
    page.clear();

    for (qint64 id = FirstId + Count; id < FirstId + Count + 5; ++id)
        QVERIFY(model.append(make(id)));
    QList<ChatMessage> older;
    for (qint64 id = FirstId - 1000; id < FirstId; ++id)
        older.append(make(id));
    QCOMPARE(model.prependHistory(older, false), 1000);
    QList<ChatMessage> overlap;
    for (qint64 id = FirstId + Count - 10; id < FirstId + Count + 10; ++id)
        overlap.append(make(id));
    QCOMPARE(model.prependHistory(overlap, true), 5);
    const qint64 pending = model.addPending(QStringLiteral("mine"), QStringLiteral("Ann"), QStringLiteral("socket-Ann"));
    QVERIFY(model.markSent(pending, FirstId + Count + 10, QDateTime::currentDateTimeUtc()));

    const int total = Count + 1000 + 5 + 5 + 1;
    QCOMPARE(model.rowCount(), total);
    QCOMPARE(model.oldestId(), FirstId - 1000);
    QVERIFY(!model.hasMoreHistory());
    for (const int row : {0, 1, 2, 999, 1000, 1001, 50000, 77777, total - 12, total - 2}) {
        const qint64 id = FirstId - 1000 + row;
        QCOMPARE(at(&model, row, MessageModel::MessageIdRole).toLongLong(), id);
        QCOMPARE(model.rowOfId(id), row);
        QCOMPARE(at(&model, row, MessageModel::TextRole).toString(), QStringLiteral("message %1").arg(id));
        QCOMPARE(at(&model, row, MessageModel::FirstInGroupRole).toBool(), expectedFirst(id, row ? id - 1 : -1));
        QCOMPARE(at(&model, row, MessageModel::DaySeparatorRole).toBool(),
                 row == 0 || start.addSecs(id * 60).date() != start.addSecs((id - 1) * 60).date());
    }
    QCOMPARE(model.rowOfLocalId(pending), total - 1);
    QCOMPARE(stateAt(&model, total - 1), State::Sent);
}

void tst_Conversations::listCountsUnreadAndAsksForAttention()
{
    ConversationListModel list;
    watch(&list);
    QSignalSpy attention(&list, &ConversationListModel::attention);
    QSignalSpy total(&list, &ConversationListModel::unreadTotalChanged);
    const ConversationId general = ConversationId::room(QStringLiteral("general"));
    const ConversationId bob = ConversationId::socket(QStringLiteral("s-bob"));
    QCOMPARE(list.add(general), 0);
    QCOMPARE(list.add(bob, QStringLiteral("Bob")), 1);
    QCOMPARE(list.add(general, QStringLiteral("ignored")), 0);
    QCOMPARE(at(&list, 0, Qt::DisplayRole).toString(), QStringLiteral("general"));
    QCOMPARE(at(&list, 1, Qt::DisplayRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(at(&list, 1, ConversationListModel::KindRole).value<ConversationId::Kind>(), ConversationId::Kind::Socket);
    QCOMPARE(at(&list, 1, ConversationListModel::ConversationIdRole).value<ConversationId>(), bob);
    list.setOwnNickname(QStringLiteral("Ann (2)"));

    ChatMessage message;
    message.senderName = QStringLiteral("Bob");
    message.timestamp = QDateTime::currentDateTimeUtc();
    const auto say = [&](const ConversationId &to, const QString &text) {
        message.text = text;
        message.room = to.kind == ConversationId::Kind::Room ? to.id : QString();
        return list.recordMessage(to, message);
    };
    QVERIFY(say(general, QStringLiteral("morning")));
    QVERIFY(say(general, QStringLiteral("hello ann (2)!")));
    QVERIFY(say(general, QStringLiteral("Ann (2)x is not a word")));
    QCOMPARE(attention.size(), 1);
    QCOMPARE(attention.first().at(0).value<ConversationId>(), general);
    QCOMPARE(list.unread(general), 3);
    QCOMPARE(list.unreadTotal(), 3);
    QCOMPARE(total.last().at(0).toInt(), 3);
    QCOMPARE(at(&list, 0, ConversationListModel::LastActivityRole).toDateTime(), message.timestamp.toLocalTime());

    // the current conversation: no unread, no attention while the window is active
    list.setCurrent(bob);
    QVERIFY(say(bob, QStringLiteral("psst")));
    QCOMPARE(list.unread(bob), 0);
    QCOMPARE(attention.size(), 1);
    list.setWindowActive(false);
    QVERIFY(say(bob, QStringLiteral("are you there?")));
    QCOMPARE(attention.size(), 2);
    QCOMPARE(list.unread(bob), 0);
    QCOMPARE(at(&list, 1, ConversationListModel::CurrentRole).toBool(), true);

    // muted: still counted in its row, never attention, and out of the total
    list.setMuted(general, true);
    QCOMPARE(list.unreadTotal(), 0);
    QVERIFY(say(general, QStringLiteral("ann (2), look")));
    QCOMPARE(attention.size(), 2);
    QCOMPARE(list.unread(general), 4);
    QCOMPARE(at(&list, 0, ConversationListModel::MutedRole).toBool(), true);

    // looking at it clears it
    list.setMuted(general, false);
    QCOMPARE(list.unreadTotal(), 4);
    list.setCurrent(general);
    QCOMPARE(list.unread(general), 0);
    QCOMPARE(total.last().at(0).toInt(), 0);
    QVERIFY(list.remove(bob));
    QVERIFY(!list.remove(bob));
    QVERIFY(!say(bob, QStringLiteral("gone")));
    QCOMPARE(list.rowCount(), 1);
}

// ---------------------------------------------------------------------------------------------

void tst_Conversations::joinListsTheRoomWithItsHistory()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.dataDirectory = data.path();
    QVERIFY(startServer(options));
    ChatClient *bob = login(QStringLiteral("Bob"));
    ChatClient *ann = login(QStringLiteral("Ann"));
    QVERIFY(bob && ann);
    QVERIFY(join(bob, QStringLiteral("general")));
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i)
        ids.append(post(bob, QStringLiteral("general"), QStringLiteral("hello %1").arg(i)));
    QVERIFY(!ids.contains(-1));

    ChatSession *session = startSession(ann);
    const ConversationId general = ConversationId::room(QStringLiteral("general"));
    QVERIFY(sessionJoin(QStringLiteral("general")));
    ConversationListModel *list = session->conversations();
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(at(list, 0, Qt::DisplayRole).toString(), QStringLiteral("general"));
    QCOMPARE(at(list, 0, ConversationListModel::KindRole).value<ConversationId::Kind>(), ConversationId::Kind::Room);
    QCOMPARE(at(list, 0, ConversationListModel::ConversationIdRole).value<ConversationId>(), general);
    QCOMPARE(at(list, 0, ConversationListModel::UnreadRole).toInt(), 0); // history is not news

    MessageModel *messages = session->messages(general);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 3, Timeout);
    QCOMPARE(idsOf(messages), ids);
    QCOMPARE(textsOf(messages), (QStringList{QStringLiteral("hello 0"), QStringLiteral("hello 1"), QStringLiteral("hello 2")}));
    QCOMPARE(at(messages, 0, MessageModel::SenderNameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(at(messages, 0, MessageModel::SenderIdRole).toString(), bob->socketId());
    QCOMPARE(at(messages, 0, MessageModel::OutgoingRole).toBool(), false);
    QCOMPARE(stateAt(messages, 0), State::Received);
    QVERIFY(at(messages, 0, MessageModel::FirstInGroupRole).toBool());
    QVERIFY(!at(messages, 1, MessageModel::FirstInGroupRole).toBool());
    QVERIFY(!messages->hasMoreHistory());
    QVERIFY(at(list, 0, ConversationListModel::LastActivityRole).toDateTime().isValid());

    // the topic follows the room list
    bob->setTopic(QStringLiteral("general"), QStringLiteral("Friday plans"));
    QTRY_COMPARE_WITH_TIMEOUT(at(list, 0, ConversationListModel::TopicRole).toString(), QStringLiteral("Friday plans"),
                              Timeout);

    // leaving unlists it; its messages stay for a later visit
    session->leaveRoom(QStringLiteral("general"));
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 0, Timeout);
    QCOMPARE(session->existingMessages(general), messages);
    QCOMPARE(messages->rowCount(), 3);
    QVERIFY(!session->fetchOlder(general));
    QVERIFY(sessionJoin(QStringLiteral("general")));
    QVERIFY(post(bob, QStringLiteral("general"), QStringLiteral("welcome back")) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 4, Timeout);
    QCOMPARE(idsOf(messages).mid(0, 3), ids);
}

void tst_Conversations::peerMessagesCountUnreadOutsideTheCurrentRoom()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    ConversationListModel *list = session->conversations();
    const ConversationId a = ConversationId::room(QStringLiteral("a"));
    const ConversationId b = ConversationId::room(QStringLiteral("b"));
    QVERIFY(sessionJoin(a.id));
    QVERIFY(sessionJoin(b.id));
    QVERIFY(join(bob, a.id));
    QVERIFY(join(bob, b.id));
    list->setCurrent(a);
    QSignalSpy total(list, &ConversationListModel::unreadTotalChanged);

    QVERIFY(post(bob, a.id, QStringLiteral("in a")) > 0);
    QVERIFY(post(bob, b.id, QStringLiteral("in b")) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(session->messages(b)->rowCount(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(session->messages(a)->rowCount(), 1, Timeout);
    QCOMPARE(at(session->messages(a), 0, MessageModel::TextRole).toString(), QStringLiteral("in a"));
    QCOMPARE(at(session->messages(b), 0, MessageModel::TextRole).toString(), QStringLiteral("in b"));
    QCOMPARE(list->unread(a), 0);
    QCOMPARE(list->unread(b), 1);
    QCOMPARE(at(list, list->indexOf(b), ConversationListModel::UnreadRole).toInt(), 1);
    QCOMPARE(list->unreadTotal(), 1);
    QCOMPARE(total.size(), 1);
    QCOMPARE(total.first().at(0).toInt(), 1);

    QVERIFY(post(bob, b.id, QStringLiteral("again")) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(list->unread(b), 2, Timeout);
    list->setCurrent(b);
    QCOMPARE(list->unread(b), 0);
    QCOMPARE(list->unreadTotal(), 0);
    QCOMPARE(total.last().at(0).toInt(), 0);
}

void tst_Conversations::sendGoesPendingThenSent()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    const ConversationId general = ConversationId::room(QStringLiteral("general"));
    QVERIFY(sessionJoin(general.id));
    QVERIFY(join(bob, general.id));
    QSignalSpy heard(bob, &ChatClient::messageReceived);

    MessageModel *messages = session->messages(general);
    const qint64 localId = session->send(general, QStringLiteral("hello"));
    QVERIFY(localId > 0);
    QCOMPARE(messages->rowCount(), 1);
    QCOMPARE(stateAt(messages, 0), State::Pending);
    QCOMPARE(at(messages, 0, MessageModel::MessageIdRole).toLongLong(), qint64(-1));
    QCOMPARE(at(messages, 0, MessageModel::OutgoingRole).toBool(), true);
    QCOMPARE(at(messages, 0, MessageModel::SenderNameRole).toString(), QStringLiteral("Ann"));
    QCOMPARE(at(messages, 0, MessageModel::SenderIdRole).toString(), ann->socketId());

    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 0), State::Sent, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(heard.size(), 1, Timeout);
    const auto received = heard.first().at(0).value<ChatMessage>();
    QCOMPARE(received.text, QStringLiteral("hello"));
    QCOMPARE(at(messages, 0, MessageModel::MessageIdRole).toLongLong(), received.id);
    QCOMPARE(at(messages, 0, MessageModel::TimestampRole).toDateTime(), received.timestamp.toLocalTime());
    QCOMPARE(messages->rowCount(), 1); // our own echo is not shown twice
    QCOMPARE(session->conversations()->unread(general), 0);
}

void tst_Conversations::failedSendsCanBeRetried()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);

    // a room we are not in: refused; once joined, the same message goes
    const ConversationId elsewhere = ConversationId::room(QStringLiteral("elsewhere"));
    MessageModel *messages = session->messages(elsewhere);
    session->send(elsewhere, QStringLiteral("anyone?"));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 0), State::Failed, Timeout);
    QCOMPARE(at(messages, 0, MessageModel::ErrorRole).toString(), QStringLiteral("You are not in that room."));
    QVERIFY(!session->retry(elsewhere, 1));
    QVERIFY(sessionJoin(elsewhere.id));
    QVERIFY(session->retry(elsewhere, 0));
    QCOMPARE(stateAt(messages, 0), State::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 0), State::Sent, Timeout);
    QVERIFY(at(messages, 0, MessageModel::MessageIdRole).toLongLong() >= 0);
    QCOMPARE(at(messages, 0, MessageModel::ErrorRole).toString(), QString());
    QVERIFY(!session->retry(elsewhere, 0)); // sent: nothing to retry

    // a private conversation whose peer left: "no such socket", and again on a retry
    const ConversationId withBob = session->openPrivate(bob->socketId());
    QCOMPARE(at(session->conversations(), session->conversations()->indexOf(withBob), Qt::DisplayRole).toString(),
             QStringLiteral("Bob"));
    bob->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(session->conversations()->isPeerGone(withBob), Timeout);
    MessageModel *privateMessages = session->messages(withBob);
    session->send(withBob, QStringLiteral("still there?"));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(privateMessages, 0), State::Failed, Timeout);
    QCOMPARE(at(privateMessages, 0, MessageModel::ErrorRole).toString(),
             ChatClient::translatedError(QStringLiteral("no such socket")));
    QCOMPARE(at(privateMessages, 0, MessageModel::ErrorRole).toString(), QStringLiteral("That person is no longer connected."));
    QVERIFY(session->retry(withBob, 0));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(privateMessages, 0), State::Failed, Timeout);
    QCOMPARE(privateMessages->rowCount(), 1);
}

void tst_Conversations::privateMessagesBothWays()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    ConversationListModel *list = session->conversations();
    QSignalSpy attention(list, &ConversationListModel::attention);

    // Bob writes first: the conversation appears, with Bob's name
    bool acked = false;
    bob->sendPrivateMessage(ann->socketId(), QStringLiteral("psst"), this, [&acked](const Reply &) { acked = true; });
    const ConversationId withBob = ConversationId::socket(bob->socketId());
    QTRY_VERIFY_WITH_TIMEOUT(list->contains(withBob), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(acked, Timeout); // Bob's own copy of it is behind him
    const int row = list->indexOf(withBob);
    QCOMPARE(at(list, row, Qt::DisplayRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(at(list, row, ConversationListModel::KindRole).value<ConversationId::Kind>(), ConversationId::Kind::Socket);
    QCOMPARE(at(list, row, ConversationListModel::UnreadRole).toInt(), 1);
    QCOMPARE(at(list, row, ConversationListModel::PeerGoneRole).toBool(), false);
    QCOMPARE(attention.size(), 1);
    QCOMPARE(attention.first().at(0).value<ConversationId>(), withBob);
    QCOMPARE(attention.first().at(1).value<ChatMessage>().text, QStringLiteral("psst"));
    MessageModel *messages = session->messages(withBob);
    QCOMPARE(messages->rowCount(), 1);
    QCOMPARE(at(messages, 0, MessageModel::SenderNameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(stateAt(messages, 0), State::Received);
    QVERIFY(!messages->hasMoreHistory());
    QVERIFY(!session->fetchOlder(withBob));

    // Ann answers in the same conversation
    QSignalSpy bobReceived(bob, &ChatClient::privateMessageReceived);
    list->setCurrent(withBob);
    session->send(withBob, QStringLiteral("what?"));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 1), State::Sent, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, Timeout);
    const auto answer = bobReceived.first().at(0).value<ChatMessage>();
    QCOMPARE(answer.text, QStringLiteral("what?"));
    QCOMPARE(answer.fromSocket, ann->socketId());
    QCOMPARE(messages->rowCount(), 2);
    QCOMPARE(at(messages, 1, MessageModel::TimestampRole).toDateTime(), answer.timestamp.toLocalTime());
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(session->openPrivate(bob->socketId()), withBob);
    QCOMPARE(list->rowCount(), 1);

    // Ann opens one herself (double-clicking a member): listed before anything is said
    ChatClient *cat = login(QStringLiteral("Cat"));
    QVERIFY(cat);
    QTRY_VERIFY_WITH_TIMEOUT(ann->nicknames().contains(cat->socketId()), Timeout);
    QSignalSpy catReceived(cat, &ChatClient::privateMessageReceived);
    const ConversationId withCat = session->openPrivate(cat->socketId());
    QCOMPARE(list->rowCount(), 2);
    QCOMPARE(list->title(withCat), QStringLiteral("Cat"));
    session->send(withCat, QStringLiteral("hi Cat"));
    QTRY_COMPARE_WITH_TIMEOUT(catReceived.size(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(session->messages(withCat), 0), State::Sent, Timeout);
    QCOMPARE(attention.size(), 1);
}

void tst_Conversations::renameAndDisconnectOfAPeer()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    ConversationListModel *list = session->conversations();
    const ConversationId withBob = ConversationId::socket(bob->socketId());

    bob->sendPrivateMessage(ann->socketId(), QStringLiteral("before"));
    QTRY_VERIFY_WITH_TIMEOUT(list->contains(withBob), Timeout);
    QCOMPARE(list->title(withBob), QStringLiteral("Bob"));

    // a rename: the title follows; the rows keep the name they were sent under, new ones the new
    QSignalSpy changed(list, &QAbstractItemModel::dataChanged);
    bob->setNickname(QStringLiteral("Robert"));
    QTRY_COMPARE_WITH_TIMEOUT(list->title(withBob), QStringLiteral("Robert"), Timeout);
    QVERIFY(std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant> &signal) {
        return signal.at(2).value<QList<int>>().contains(Qt::DisplayRole);
    }));
    bob->sendPrivateMessage(ann->socketId(), QStringLiteral("after"));
    MessageModel *messages = session->messages(withBob);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 2, Timeout);
    QCOMPARE(at(messages, 0, MessageModel::SenderNameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(at(messages, 1, MessageModel::SenderNameRole).toString(), QStringLiteral("Robert"));
    QVERIFY(!at(messages, 1, MessageModel::FirstInGroupRole).toBool()); // still the same person

    // Bob leaves: the conversation stays, marked
    bob->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(at(list, list->indexOf(withBob), ConversationListModel::PeerGoneRole).toBool(), true,
                              Timeout);
    QCOMPARE(list->title(withBob), QStringLiteral("Robert"));
}

void tst_Conversations::rejoinAfterADroppedConnectionShowsNothingTwice()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.dataDirectory = data.path();
    QVERIFY(startServer(options));
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    const ConversationId general = ConversationId::room(QStringLiteral("general"));
    QVERIFY(sessionJoin(general.id));
    QVERIFY(join(bob, general.id));
    MessageModel *messages = session->messages(general);

    for (int i = 0; i < 3; ++i)
        QVERIFY(post(bob, general.id, QStringLiteral("bob %1").arg(i)) > 0);
    session->send(general, QStringLiteral("ann 0"));
    session->send(general, QStringLiteral("ann 1"));
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 5, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 4), State::Sent, Timeout);

    // the server drops Ann's connection; she types while it is down, Bob posts meanwhile
    QSignalSpy disconnected(ann, &ChatClient::disconnected);
    QSignalSpy joined(ann, &ChatClient::joined);
    m_server->io()->sockets()->socket(ann->socketId())->conn()->close();
    QVERIFY(disconnected.wait(Timeout));
    QCOMPARE(ann->state(), ChatClient::State::Reconnecting);
    const qint64 typed = session->send(general, QStringLiteral("typed while away"));
    QCOMPARE(messages->rowOfLocalId(typed), 5);
    QCOMPARE(stateAt(messages, 5), State::Pending); // waits in ChatClient's outbox
    QVERIFY(post(bob, general.id, QStringLiteral("posted while Ann was away")) > 0);

    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 7, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, messages->rowOfLocalId(typed)), State::Sent, Timeout);
    QCOMPARE(session->conversations()->rowCount(), 1);
    const QList<qint64> ids = idsOf(messages);
    QList<qint64> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(ids, sorted);
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), 7);
    QStringList texts = textsOf(messages);
    texts.sort();
    QCOMPARE(texts, (QStringList{QStringLiteral("ann 0"), QStringLiteral("ann 1"), QStringLiteral("bob 0"),
                                 QStringLiteral("bob 1"), QStringLiteral("bob 2"), QStringLiteral("posted while Ann was away"),
                                 QStringLiteral("typed while away")}));

    // and once more, to be sure the next join page is merged too
    QSignalSpy history(ann, &ChatClient::historyReceived);
    m_server->io()->sockets()->socket(ann->socketId())->conn()->close();
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 1, Timeout);
    QCOMPARE(history.first().at(1).value<QList<ChatMessage>>().size(), 7);
    QCOMPARE(messages->rowCount(), 7);
    QCOMPARE(idsOf(messages), ids);
}

void tst_Conversations::olderPagesOnRequest()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.dataDirectory = data.path();
    options.flood.burst = 1000;
    options.flood.perSecond = 1000;
    QVERIFY(startServer(options));
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    QVERIFY(join(bob, QStringLiteral("general")));
    constexpr int Stored = 120;
    int acked = 0;
    for (int i = 0; i < Stored; ++i)
        bob->sendMessage(QStringLiteral("general"), QStringLiteral("message %1").arg(i), this,
                         [&acked](const Reply &reply) { acked += reply.ok ? 1 : 0; });
    QTRY_COMPARE_WITH_TIMEOUT(acked, Stored, Timeout);

    ChatSession *session = startSession(ann);
    const ConversationId general = ConversationId::room(QStringLiteral("general"));
    MessageModel *messages = session->messages(general);
    QVERIFY(sessionJoin(general.id));
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 50, Timeout);
    QVERIFY(messages->hasMoreHistory());
    QCOMPARE(at(messages, 0, MessageModel::TextRole).toString(), QStringLiteral("message 70"));

    QVERIFY(session->fetchOlder(general));
    QVERIFY(session->isFetching(general));
    QVERIFY(!session->fetchOlder(general)); // one page at a time
    QTRY_VERIFY_WITH_TIMEOUT(!session->isFetching(general), Timeout);
    QCOMPARE(messages->rowCount(), 100);
    QVERIFY(messages->hasMoreHistory());
    QVERIFY(session->fetchOlder(general));
    QTRY_VERIFY_WITH_TIMEOUT(!session->isFetching(general), Timeout);
    QCOMPARE(messages->rowCount(), Stored);
    QVERIFY(!messages->hasMoreHistory());
    QVERIFY(!session->fetchOlder(general));

    QStringList expected;
    for (int i = 0; i < Stored; ++i)
        expected.append(QStringLiteral("message %1").arg(i));
    QCOMPARE(textsOf(messages), expected);
    const QList<qint64> ids = idsOf(messages);
    QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
    QCOMPARE(messages->oldestId(), ids.first());
    QCOMPARE(session->conversations()->unread(general), 0);
}

void tst_Conversations::mentionsAndMutedRooms()
{
    QVERIFY(startServer());
    ChatClient *ann = login(QStringLiteral("Ann"));
    ChatClient *bob = login(QStringLiteral("Bob"));
    QVERIFY(ann && bob);
    ChatSession *session = startSession(ann);
    ConversationListModel *list = session->conversations();
    const ConversationId a = ConversationId::room(QStringLiteral("a"));
    const ConversationId b = ConversationId::room(QStringLiteral("b"));
    QVERIFY(sessionJoin(a.id));
    QVERIFY(sessionJoin(b.id));
    QVERIFY(join(bob, a.id));
    QVERIFY(join(bob, b.id));
    list->setCurrent(a);
    QSignalSpy attention(list, &ConversationListModel::attention);
    const auto say = [&](const ConversationId &room, const QString &text, int rows) {
        return post(bob, room.id, text) > 0
               && QTest::qWaitFor([&] { return session->messages(room)->rowCount() == rows; }, Timeout);
    };

    QVERIFY(say(b, QStringLiteral("hello everyone"), 1));
    QVERIFY(say(b, QStringLiteral("annex is not a name"), 2));
    QCOMPARE(attention.size(), 0);
    QVERIFY(say(b, QStringLiteral("hey ANN, look"), 3));
    QCOMPARE(attention.size(), 1);
    QCOMPARE(attention.first().at(0).value<ConversationId>(), b);
    QCOMPARE(attention.first().at(1).value<ChatMessage>().text, QStringLiteral("hey ANN, look"));
    QCOMPARE(list->unread(b), 3);

    // in front of the user: no attention; behind an inactive window: attention
    QVERIFY(say(a, QStringLiteral("ann?"), 1));
    QCOMPARE(attention.size(), 1);
    list->setWindowActive(false);
    QVERIFY(say(a, QStringLiteral("ann!"), 2));
    QCOMPARE(attention.size(), 2);
    QCOMPARE(list->unread(a), 0);
    list->setWindowActive(true);

    // muted: counted, never attention
    list->setMuted(b, true);
    QCOMPARE(at(list, list->indexOf(b), ConversationListModel::MutedRole).toBool(), true);
    QVERIFY(say(b, QStringLiteral("ann, again"), 4));
    QCOMPARE(attention.size(), 2);
    QCOMPARE(list->unread(b), 4);
    QCOMPARE(list->unreadTotal(), 0);

    // a new nickname is what mentions look for
    QSignalSpy renamed(ann, &ChatClient::nicknameChanged);
    ann->setNickname(QStringLiteral("Annie"));
    QVERIFY(renamed.wait(Timeout));
    QCOMPARE(list->ownNickname(), QStringLiteral("Annie"));
    list->setMuted(b, false);
    QVERIFY(say(b, QStringLiteral("ann, are you there"), 5));
    QCOMPARE(attention.size(), 2);
    QVERIFY(say(b, QStringLiteral("annie, are you there"), 6));
    QCOMPARE(attention.size(), 3);
}

void tst_Conversations::userConversationWithOfflineMessagesAndHistory()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions options;
    options.secret = Secret;
    options.dataDirectory = data.path();
    QVERIFY(startServer(options));
    ChatClient *bob = login(QStringLiteral("Bob"), QStringLiteral("bob"));
    QVERIFY(bob);
    int stored = 0;
    for (const QString &text : {QStringLiteral("are you there?"), QStringLiteral("call me")})
        bob->sendPrivateMessageToUser(QStringLiteral("ann"), text, this,
                                      [&stored](const Reply &reply) { stored += reply.ok ? 1 : 0; });
    QTRY_COMPARE_WITH_TIMEOUT(stored, 2, Timeout);

    // Ann connects with a session watching: what was kept arrives, in a User conversation
    ChatClient *ann = newClient();
    ChatSession *session = startSession(ann);
    ConversationListModel *list = session->conversations();
    QSignalSpy attention(list, &ConversationListModel::attention);
    QVERIFY(connectClient(ann, QStringLiteral("Ann"), QStringLiteral("ann")));
    const ConversationId withBob = ConversationId::user(QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(list->unread(withBob), 2, Timeout);
    const int row = list->indexOf(withBob);
    QCOMPARE(at(list, row, Qt::DisplayRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(at(list, row, ConversationListModel::KindRole).value<ConversationId::Kind>(), ConversationId::Kind::User);
    QCOMPARE(attention.size(), 2);
    MessageModel *messages = session->messages(withBob);
    QCOMPARE(textsOf(messages), (QStringList{QStringLiteral("are you there?"), QStringLiteral("call me")}));
    QCOMPARE(at(messages, 0, MessageModel::OfflineRole).toBool(), true);
    QCOMPARE(at(messages, 0, MessageModel::SenderIdRole).toString(), QString());
    QCOMPARE(at(messages, 0, MessageModel::SenderUserIdRole).toString(), QStringLiteral("bob"));
    QCOMPARE(idsOf(messages), (QList<qint64>{-1, -1}));

    // the stored conversation: the same two messages, now with their ids, nothing twice
    QVERIFY(messages->hasMoreHistory());
    QVERIFY(session->fetchOlder(withBob));
    QTRY_VERIFY_WITH_TIMEOUT(!session->isFetching(withBob), Timeout);
    QCOMPARE(textsOf(messages), (QStringList{QStringLiteral("are you there?"), QStringLiteral("call me")}));
    QVERIFY(at(messages, 0, MessageModel::MessageIdRole).toLongLong() >= 0);
    QVERIFY(at(messages, 1, MessageModel::MessageIdRole).toLongLong() >= 0);
    QVERIFY(!messages->hasMoreHistory());
    QVERIFY(!session->fetchOlder(withBob));

    // an answer by user id
    QSignalSpy bobReceived(bob, &ChatClient::privateMessageReceived);
    session->send(withBob, QStringLiteral("back now"));
    QCOMPARE(stateAt(messages, 2), State::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(messages, 2), State::Sent, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, Timeout);
    QCOMPARE(bobReceived.first().at(0).value<ChatMessage>().fromUser, QStringLiteral("ann"));
    QCOMPARE(at(messages, 2, MessageModel::SenderUserIdRole).toString(), QStringLiteral("ann"));
    QCOMPARE(list->rowCount(), 1);
}

QTEST_GUILESS_MAIN(tst_Conversations)
#include "tst_conversations.moc"
