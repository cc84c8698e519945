// A real roomcast-server process against Node socket.io-client 4.8 sockets used the way the
// common chat tutorials use them (tests/interop/node/socketio-client.mjs).
#include "nodepeer.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace {

const QString Secret = QStringLiteral("tutorial-secret");

bool isEvent(const QJsonObject &message, const char *event, const QString &client)
{
    return message.value(QLatin1String("event")) == QLatin1String(event)
           && message.value(QLatin1String("client")) == client;
}

} // namespace

class tst_ChatServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void tokenLogin_data();
    void tokenLogin();
    void roomMessagesReachTheOthers();
    void onlyMembersMayPost();
    void privateMessagesBySocketId();
    void nicknamesAreSharedAndUnique();
    void eavesdroppingIsRefused();
    void openServerTakesANickname();
    void sigtermShutsDownCleanly();
    void historySurvivesARestart();
    void roomListUpdatesLive();
    void floodIsToldThenDisconnected();
    void offlineMessagesWaitForTheUser();
    void tutorialContractAloneForBenchmarks();
    void nicknamesAreFreedAndKept();

private:
    bool startServer(const QStringList &extra = {QStringLiteral("--secret"), Secret});
    QByteArray mintToken(const QString &id, const QString &name, int ttl = 3600);
    //! Connects tutorial client `client` with `auth`; returns its welcome event (empty on failure).
    QJsonObject connectClient(const QString &client, const QJsonObject &auth, const QStringList &transports = {});
    void emitFromClient(const QString &client, const QString &event, const QJsonArray &args, bool ack = false);
    QJsonObject waitFor(const char *event, const QString &client, const QString &name = {});
    //! Every event `client` received so far with that name.
    QList<QJsonObject> received(const QString &client, const QString &name) const;

    QProcess m_server;
    quint16 m_port = 0;
    std::unique_ptr<NodePeer> m_clients;
};

void tst_ChatServer::init()
{
    m_clients = std::make_unique<NodePeer>(QStringLiteral("socketio-client.mjs"));
    QVERIFY2(m_clients->startClient(), qPrintable(m_clients->errorString()));
}

void tst_ChatServer::cleanup()
{
    m_clients.reset();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

bool tst_ChatServer::startServer(const QStringList &extra)
{
    m_server.setProcessChannelMode(QProcess::SeparateChannels);
    m_server.start(QStringLiteral(ROOMCAST_SERVER),
                   QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                               QStringLiteral("127.0.0.1")} + extra);
    if (!m_server.waitForStarted(10000))
        return false;
    if (!QTest::qWaitFor([&] { return m_server.canReadLine(); }, 10000))
        return false;
    const QString line = QString::fromUtf8(m_server.readLine()).trimmed();
    // "listening on http://127.0.0.1:PORT"
    if (!line.startsWith(QLatin1String("listening on http://127.0.0.1:")))
        return false;
    m_port = quint16(line.section(u':', -1).toUInt());
    return m_port != 0;
}

QByteArray tst_ChatServer::mintToken(const QString &id, const QString &name, int ttl)
{
    QProcess mint;
    mint.start(QStringLiteral(ROOMCAST_SERVER),
               {QStringLiteral("--secret"), Secret, QStringLiteral("--mint-token"), QStringLiteral("--id"), id,
                QStringLiteral("--name"), name, QStringLiteral("--ttl"), QString::number(ttl)});
    if (!mint.waitForFinished(10000) || mint.exitCode() != 0)
        return {};
    return mint.readAllStandardOutput().trimmed();
}

QJsonObject tst_ChatServer::connectClient(const QString &client, const QJsonObject &auth, const QStringList &transports)
{
    QJsonObject options{{QStringLiteral("auth"), auth}, {QStringLiteral("reconnection"), false}};
    if (!transports.isEmpty())
        options.insert(QStringLiteral("transports"), QJsonArray::fromStringList(transports));
    m_clients->send({{QStringLiteral("cmd"), QStringLiteral("connect")},
                     {QStringLiteral("client"), client},
                     {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(m_port)},
                     {QStringLiteral("options"), options}});
    const QJsonObject outcome = m_clients->waitForMessage([&](const QJsonObject &m) {
        return isEvent(m, "connect", client) || isEvent(m, "connect_error", client);
    });
    if (!isEvent(outcome, "connect", client))
        return {};
    return waitFor("event", client, QStringLiteral("welcome"));
}

void tst_ChatServer::emitFromClient(const QString &client, const QString &event, const QJsonArray &args, bool ack)
{
    m_clients->send({{QStringLiteral("cmd"), QStringLiteral("emit")}, {QStringLiteral("client"), client},
                     {QStringLiteral("event"), event}, {QStringLiteral("args"), args}, {QStringLiteral("ack"), ack}});
}

QJsonObject tst_ChatServer::waitFor(const char *event, const QString &client, const QString &name)
{
    return m_clients->waitForMessage([&](const QJsonObject &m) {
        return isEvent(m, event, client) && (name.isEmpty() || m.value(QLatin1String("name")) == name
                                             || m.value(QLatin1String("for")) == name);
    });
}

QList<QJsonObject> tst_ChatServer::received(const QString &client, const QString &name) const
{
    QList<QJsonObject> events;
    for (const QJsonObject &m : m_clients->messages())
        if (isEvent(m, "event", client) && m.value(QLatin1String("name")) == name)
            events.append(m);
    return events;
}

void tst_ChatServer::tokenLogin_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("error");
    QTest::newRow("no token") << QString() << QStringLiteral("token required");
    QTest::newRow("garbage") << QStringLiteral("not-a-token") << QStringLiteral("malformed token");
    // {"id":"42","name":"eve"} signed with "another-secret" (Node's crypto, as jwt.io would)
    QTest::newRow("wrong secret") << QStringLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjQyIiwibmFtZSI6ImV2ZSJ9."
                                                    "YWrqhU5hJYpAqPIHlZcMvThiBAWRxMXzOtpn15Tb3_M")
                                  << QStringLiteral("bad signature");
    QTest::newRow("alg none") << QStringLiteral("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpZCI6IjQyIiwibmFtZSI6ImV2ZSJ9.")
                              << QStringLiteral("algorithm not allowed");
}

void tst_ChatServer::tokenLogin()
{
    QFETCH(QString, token);
    QFETCH(QString, error);
    QVERIFY(startServer());
    QJsonObject auth;
    if (!token.isEmpty())
        auth.insert(QStringLiteral("token"), token);
    QVERIFY(connectClient(QStringLiteral("x"), auth).isEmpty());
    QCOMPARE(waitFor("connect_error", QStringLiteral("x")).value(QLatin1String("message")).toString(), error);

    // and a token the server minted gets in, named by it
    const QByteArray good = mintToken(QStringLiteral("42"), QStringLiteral("Alice"));
    QVERIFY(!good.isEmpty());
    const QJsonObject welcome = connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(good)}});
    QVERIFY(!welcome.isEmpty());
    const QJsonObject session = welcome.value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(session.value(QLatin1String("name")).toString(), QStringLiteral("Alice"));
    QVERIFY(session.value(QLatin1String("nicknames")).toObject().contains(session.value(QLatin1String("id")).toString()));
}

void tst_ChatServer::roomMessagesReachTheOthers()
{
    QVERIFY(startServer());
    const QString a = connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    QVERIFY(!connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}}).isEmpty());
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")}) {
        emitFromClient(client, QStringLiteral("join"), {QStringLiteral("general")}, true);
        const QJsonObject ack = waitFor("ack", client, QStringLiteral("join"));
        QCOMPARE(ack.value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("ok"));
    }
    emitFromClient(QStringLiteral("a"), QStringLiteral("message"),
                   {QJsonObject{{QStringLiteral("message"), QStringLiteral("hello room")},
                                {QStringLiteral("roomName"), QStringLiteral("general")}}},
                   true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("a"), QStringLiteral("message"))
                                .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QVERIFY(ack.value(QLatin1String("messageId")).toInteger() > 0);

    const QJsonObject message = waitFor("event", QStringLiteral("b"), QStringLiteral("message"))
                                    .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(message.value(QLatin1String("message")).toString(), QStringLiteral("hello room"));
    QCOMPARE(message.value(QLatin1String("roomName")).toString(), QStringLiteral("general"));
    QCOMPARE(message.value(QLatin1String("name")).toString(), QStringLiteral("Alice"));
    QCOMPARE(message.value(QLatin1String("id")).toString(), a);
    QCOMPARE(message.value(QLatin1String("messageId")), ack.value(QLatin1String("messageId")));
    QVERIFY(received(QStringLiteral("a"), QStringLiteral("message")).isEmpty()); // not echoed to the sender
}

void tst_ChatServer::onlyMembersMayPost()
{
    QVERIFY(startServer());
    QVERIFY(!connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}}).isEmpty());
    QVERIFY(!connectClient(QStringLiteral("c"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("3"), QStringLiteral("Carol")))}}).isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("join"), {QStringLiteral("general")}, true);
    QVERIFY(!waitFor("ack", QStringLiteral("a"), QStringLiteral("join")).isEmpty());
    emitFromClient(QStringLiteral("c"), QStringLiteral("message"),
                   {QJsonObject{{QStringLiteral("message"), QStringLiteral("let me in")},
                                {QStringLiteral("roomName"), QStringLiteral("general")}}},
                   true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("c"), QStringLiteral("message"))
                                .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("error"));
    QCOMPARE(ack.value(QLatin1String("error")).toString(), QStringLiteral("not a member"));
    // a message posted after it proves the refused one never reached a
    emitFromClient(QStringLiteral("c"), QStringLiteral("join"), {QStringLiteral("general")}, true);
    QVERIFY(!waitFor("ack", QStringLiteral("c"), QStringLiteral("join")).isEmpty());
    emitFromClient(QStringLiteral("c"), QStringLiteral("message"),
                   {QJsonObject{{QStringLiteral("message"), QStringLiteral("now a member")},
                                {QStringLiteral("roomName"), QStringLiteral("general")}}});
    QVERIFY(!waitFor("event", QStringLiteral("a"), QStringLiteral("message")).isEmpty());
    const QList<QJsonObject> atA = received(QStringLiteral("a"), QStringLiteral("message"));
    QCOMPARE(atA.size(), 1);
    QCOMPARE(atA.first().value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("message")).toString(),
             QStringLiteral("now a member"));
}

void tst_ChatServer::privateMessagesBySocketId()
{
    QVERIFY(startServer());
    const QString a = connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    const QString b = connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    QVERIFY(!connectClient(QStringLiteral("c"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("3"), QStringLiteral("Carol")))}}).isEmpty());
    QVERIFY(!a.isEmpty() && !b.isEmpty());

    emitFromClient(QStringLiteral("a"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("psst")}, {QStringLiteral("to"), b}}}, true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("a"), QStringLiteral("sendMsgTo"))
                                .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    const QJsonObject privateMsg = waitFor("event", QStringLiteral("b"), QStringLiteral("privateMsg"))
                                       .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(privateMsg.value(QLatin1String("msg")).toString(), QStringLiteral("psst"));
    QCOMPARE(privateMsg.value(QLatin1String("from")).toString(), a);

    emitFromClient(QStringLiteral("a"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("anyone?")}, {QStringLiteral("to"), QStringLiteral("nobody")}}},
                   true);
    const QList<QJsonObject> acks = [&] {
        QList<QJsonObject> list;
        (void)QTest::qWaitFor([&] {
            list.clear();
            for (const QJsonObject &m : m_clients->messages())
                if (isEvent(m, "ack", QStringLiteral("a")) && m.value(QLatin1String("for")) == QLatin1String("sendMsgTo"))
                    list.append(m);
            return list.size() == 2;
        }, 5000);
        return list;
    }();
    QCOMPARE(acks.size(), 2);
    QCOMPARE(acks.last().value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("error")).toString(),
             QStringLiteral("no such socket"));
    QVERIFY(received(QStringLiteral("c"), QStringLiteral("privateMsg")).isEmpty());
}

void tst_ChatServer::nicknamesAreSharedAndUnique()
{
    QVERIFY(startServer());
    const QString a = connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    const QJsonObject welcomeB = connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}})
                                     .value(QLatin1String("args")).toArray().first().toObject();
    // b learns the whole map on connecting, a included
    QCOMPARE(welcomeB.value(QLatin1String("nicknames")).toObject().value(a).toString(), QStringLiteral("Alice"));
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")}) {
        emitFromClient(client, QStringLiteral("join"), {QStringLiteral("general")}, true);
        QVERIFY(!waitFor("ack", client, QStringLiteral("join")).isEmpty());
    }
    // a second "Alice" is told apart, and a (sharing the room) hears of it
    emitFromClient(QStringLiteral("b"), QStringLiteral("setNickname"), {QStringLiteral("Alice")}, true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("b"), QStringLiteral("setNickname"))
                                .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(ack.value(QLatin1String("name")).toString(), QStringLiteral("Alice (2)"));
    const QJsonObject change = waitFor("event", QStringLiteral("a"), QStringLiteral("nickname"))
                                   .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(change.value(QLatin1String("name")).toString(), QStringLiteral("Alice (2)"));
    QCOMPARE(change.value(QLatin1String("id")).toString(), welcomeB.value(QLatin1String("id")).toString());
}

void tst_ChatServer::eavesdroppingIsRefused()
{
    QVERIFY(startServer());
    const QString a = connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("alice-id"), QStringLiteral("Alice")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    const QString b = connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}})
                          .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("id")).toString();
    QVERIFY(!connectClient(QStringLiteral("m"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("3"), QStringLiteral("Mallory")))}}).isEmpty());

    for (const QString &room : {a, QStringLiteral("alice-id")}) {
        m_clients->clearMessages();
        emitFromClient(QStringLiteral("m"), QStringLiteral("join"), {room}, true);
        const QJsonObject ack = waitFor("ack", QStringLiteral("m"), QStringLiteral("join"))
                                    .value(QLatin1String("args")).toArray().first().toObject();
        QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("error"));
        QCOMPARE(ack.value(QLatin1String("error")).toString(), QStringLiteral("room name not allowed"));
        // nor can it post to them as rooms
        emitFromClient(QStringLiteral("m"), QStringLiteral("message"),
                       {QJsonObject{{QStringLiteral("message"), QStringLiteral("hi")}, {QStringLiteral("roomName"), room}}}, true);
        QCOMPARE(waitFor("ack", QStringLiteral("m"), QStringLiteral("message")).value(QLatin1String("args")).toArray()
                     .first().toObject().value(QLatin1String("error")).toString(),
                 QStringLiteral("not a member"));
    }
    // b's private message to a reaches a alone
    emitFromClient(QStringLiteral("b"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("secret")}, {QStringLiteral("to"), a}}}, true);
    QVERIFY(!waitFor("event", QStringLiteral("a"), QStringLiteral("privateMsg")).isEmpty());
    QVERIFY(received(QStringLiteral("m"), QStringLiteral("privateMsg")).isEmpty());
    QVERIFY(received(QStringLiteral("m"), QStringLiteral("message")).isEmpty());
}

void tst_ChatServer::openServerTakesANickname()
{
    QVERIFY(startServer({}));
    const QJsonObject welcome = connectClient(QStringLiteral("a"), {{QStringLiteral("name"), QStringLiteral("Dora")}})
                                    .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(welcome.value(QLatin1String("name")).toString(), QStringLiteral("Dora"));
    // a client that sends nothing at all (the simplest tutorial) gets a guest name
    const QJsonObject guest = connectClient(QStringLiteral("b"), {}).value(QLatin1String("args")).toArray().first().toObject();
    QVERIFY(guest.value(QLatin1String("name")).toString().startsWith(QLatin1String("guest-")));
}

void tst_ChatServer::sigtermShutsDownCleanly()
{
    QVERIFY(startServer());
    QVERIFY(!connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}}).isEmpty());
    ::kill(pid_t(m_server.processId()), SIGTERM);
    QVERIFY(m_server.waitForFinished(10000));
    QCOMPARE(m_server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_server.exitCode(), 0);
    // the tutorial client hears why before its connection goes
    const QJsonObject told = waitFor("event", QStringLiteral("a"), QStringLiteral("serverShutdown"));
    QCOMPARE(told.value(QLatin1String("args")).toArray().at(0).toObject().value(QLatin1String("reason")).toString(),
             QStringLiteral("server shutting down"));
    QVERIFY(!waitFor("disconnect", QStringLiteral("a")).isEmpty());
}

void tst_ChatServer::historySurvivesARestart()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    const QStringList args{QStringLiteral("--secret"), Secret, QStringLiteral("--data-dir"), data.path()};
    QVERIFY(startServer(args));
    QVERIFY(!connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}}).isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("join"), {QStringLiteral("general")}, true);
    QVERIFY(!waitFor("ack", QStringLiteral("a"), QStringLiteral("join")).isEmpty());
    QList<qint64> ids;
    for (int i = 1; i <= 3; ++i) {
        m_clients->clearMessages();
        emitFromClient(QStringLiteral("a"), QStringLiteral("message"),
                       {QJsonObject{{QStringLiteral("message"), QStringLiteral("line %1").arg(i)},
                                    {QStringLiteral("roomName"), QStringLiteral("general")}}},
                       true);
        const QJsonObject ack = waitFor("ack", QStringLiteral("a"), QStringLiteral("message"))
                                    .value(QLatin1String("args")).toArray().first().toObject();
        QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        ids.append(ack.value(QLatin1String("messageId")).toInteger());
    }

    // stop and start again on the same data directory: every acknowledged message is there
    ::kill(pid_t(m_server.processId()), SIGTERM);
    QVERIFY(m_server.waitForFinished(10000));
    QVERIFY(startServer(args));
    const QJsonObject welcome = connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}});
    QVERIFY(!welcome.isEmpty());
    emitFromClient(QStringLiteral("b"), QStringLiteral("join"), {QStringLiteral("general")}, true);
    const QJsonObject joined = waitFor("ack", QStringLiteral("b"), QStringLiteral("join"))
                                   .value(QLatin1String("args")).toArray().first().toObject();
    const QJsonArray history = joined.value(QLatin1String("history")).toArray();
    QCOMPARE(history.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject message = history.at(i).toObject();
        QCOMPARE(message.value(QLatin1String("message")).toString(), QStringLiteral("line %1").arg(i + 1));
        QCOMPARE(message.value(QLatin1String("messageId")).toInteger(), ids.at(i));
        QCOMPARE(message.value(QLatin1String("name")).toString(), QStringLiteral("Alice"));
    }
    QCOMPARE(joined.value(QLatin1String("hasMore")).toBool(), false);

    // an older page on request
    emitFromClient(QStringLiteral("b"), QStringLiteral("history"),
                   {QJsonObject{{QStringLiteral("roomName"), QStringLiteral("general")},
                                {QStringLiteral("beforeId"), ids.at(1)}, {QStringLiteral("limit"), 1}}},
                   true);
    const QJsonObject page = waitFor("ack", QStringLiteral("b"), QStringLiteral("history"))
                                 .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(page.value(QLatin1String("history")).toArray().size(), 1);
    QCOMPARE(page.value(QLatin1String("history")).toArray().first().toObject().value(QLatin1String("messageId")).toInteger(),
             ids.at(0));
    QCOMPARE(page.value(QLatin1String("hasMore")).toBool(), false);
}

void tst_ChatServer::roomListUpdatesLive()
{
    QVERIFY(startServer());
    QVERIFY(!connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Alice")))}}).isEmpty());
    QVERIFY(!connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}}).isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("join"), {QStringLiteral("general")}, true);
    const QJsonObject created = waitFor("event", QStringLiteral("b"), QStringLiteral("roomUpdated"))
                                    .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(created, (QJsonObject{{QStringLiteral("name"), QStringLiteral("general")}, {QStringLiteral("members"), 1},
                                   {QStringLiteral("topic"), QString()}}));

    // a member sets the topic: everyone hears it, and the list carries it
    m_clients->clearMessages();
    emitFromClient(QStringLiteral("a"), QStringLiteral("setTopic"),
                   {QJsonObject{{QStringLiteral("roomName"), QStringLiteral("general")}, {QStringLiteral("topic"), QStringLiteral("Fridays")}}},
                   true);
    QCOMPARE(waitFor("ack", QStringLiteral("a"), QStringLiteral("setTopic")).value(QLatin1String("args")).toArray().first()
                 .toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("ok"));
    const QJsonObject topic = waitFor("event", QStringLiteral("b"), QStringLiteral("roomUpdated"))
                                  .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(topic.value(QLatin1String("topic")).toString(), QStringLiteral("Fridays"));

    emitFromClient(QStringLiteral("b"), QStringLiteral("rooms"), {}, true);
    const QJsonArray rooms = waitFor("ack", QStringLiteral("b"), QStringLiteral("rooms"))
                                 .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms, (QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("general")}, {QStringLiteral("members"), 1},
                                            {QStringLiteral("topic"), QStringLiteral("Fridays")}}}));

    m_clients->clearMessages();
    emitFromClient(QStringLiteral("a"), QStringLiteral("leave"), {QStringLiteral("general")}, true);
    const QJsonObject gone = waitFor("event", QStringLiteral("b"), QStringLiteral("roomUpdated"))
                                 .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(gone.value(QLatin1String("members")).toInt(), 0);
}

void tst_ChatServer::floodIsToldThenDisconnected()
{
    QVERIFY(startServer());
    QVERIFY(!connectClient(QStringLiteral("flood"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("1"), QStringLiteral("Flo")))}}).isEmpty());
    QVERIFY(!connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("2"), QStringLiteral("Bob")))}}).isEmpty());
    emitFromClient(QStringLiteral("b"), QStringLiteral("join"), {QStringLiteral("quiet")}, true);
    QVERIFY(!waitFor("ack", QStringLiteral("b"), QStringLiteral("join")).isEmpty());

    for (int i = 0; i < 200; ++i)
        emitFromClient(QStringLiteral("flood"), QStringLiteral("setNickname"), {QStringLiteral("Flo%1").arg(i)});
    QVERIFY(!waitFor("event", QStringLiteral("flood"), QStringLiteral("rateLimited")).isEmpty());
    // Told, then disconnected: by the DISCONNECT, or, when flood events still in flight reach
    // the server after it (a protocol violation, as in socket.io), by the connection closing.
    const QString reason = waitFor("disconnect", QStringLiteral("flood")).value(QLatin1String("reason")).toString();
    QVERIFY2(reason == QLatin1String("io server disconnect") || reason == QLatin1String("transport close"),
             qPrintable(reason));

    // the others are served as before
    m_clients->clearMessages();
    emitFromClient(QStringLiteral("b"), QStringLiteral("message"),
                   {QJsonObject{{QStringLiteral("message"), QStringLiteral("still fine")},
                                {QStringLiteral("roomName"), QStringLiteral("quiet")}}},
                   true);
    QCOMPARE(waitFor("ack", QStringLiteral("b"), QStringLiteral("message")).value(QLatin1String("args")).toArray()
                 .first().toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("ok"));
}

void tst_ChatServer::offlineMessagesWaitForTheUser()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QVERIFY(startServer({QStringLiteral("--secret"), Secret, QStringLiteral("--data-dir"), data.path()}));
    QVERIFY(!connectClient(QStringLiteral("a"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("alice"), QStringLiteral("Alice")))}}).isEmpty());

    // bob is not connected: the message is kept for him
    emitFromClient(QStringLiteral("a"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("call me")}, {QStringLiteral("toUser"), QStringLiteral("bob")}}},
                   true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("a"), QStringLiteral("sendMsgTo"))
                                .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(ack.value(QLatin1String("delivered")).toBool(), false);
    QCOMPARE(ack.value(QLatin1String("stored")).toBool(), true);

    // he connects (a new socket id, the same user id) and gets it, once
    QVERIFY(!connectClient(QStringLiteral("b"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("bob"), QStringLiteral("Bob")))}}).isEmpty());
    const QJsonObject kept = waitFor("event", QStringLiteral("b"), QStringLiteral("privateMsg"))
                                 .value(QLatin1String("args")).toArray().first().toObject();
    QCOMPARE(kept.value(QLatin1String("msg")).toString(), QStringLiteral("call me"));
    QCOMPARE(kept.value(QLatin1String("fromUser")).toString(), QStringLiteral("alice"));
    QCOMPARE(kept.value(QLatin1String("offline")).toBool(), true);

    // now online: delivered at once, by user id
    emitFromClient(QStringLiteral("a"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("hi again")}, {QStringLiteral("toUser"), QStringLiteral("bob")}}});
    QTRY_COMPARE_WITH_TIMEOUT(received(QStringLiteral("b"), QStringLiteral("privateMsg")).size(), 2, 5000);
    QCOMPARE(received(QStringLiteral("b"), QStringLiteral("privateMsg")).last().value(QLatin1String("args")).toArray()
                 .first().toObject().value(QLatin1String("msg")).toString(),
             QStringLiteral("hi again"));

    // a second connection of bob's does not get the first one again
    QVERIFY(!connectClient(QStringLiteral("b2"), {{QStringLiteral("token"), QString::fromLatin1(mintToken(QStringLiteral("bob"), QStringLiteral("Bob")))}}).isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("sendMsgTo"),
                   {QJsonObject{{QStringLiteral("msg"), QStringLiteral("to both")}, {QStringLiteral("toUser"), QStringLiteral("bob")}}});
    QVERIFY(!waitFor("event", QStringLiteral("b2"), QStringLiteral("privateMsg")).isEmpty());
    QCOMPARE(received(QStringLiteral("b2"), QStringLiteral("privateMsg")).size(), 1);
}

void tst_ChatServer::tutorialContractAloneForBenchmarks()
{
    // What bench/run.sh measures: --no-presence sends the tutorial events alone, and
    // --no-flood-limit takes every event however fast it comes.
    QVERIFY(startServer({QStringLiteral("--secret"), Secret, QStringLiteral("--no-presence"), QStringLiteral("--no-flood-limit")}));
    const auto connectTutorial = [&](const QString &client, const QString &id, const QString &name) {
        m_clients->send({{QStringLiteral("cmd"), QStringLiteral("connect")},
                         {QStringLiteral("client"), client},
                         {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(m_port)},
                         {QStringLiteral("options"),
                          QJsonObject{{QStringLiteral("auth"), QJsonObject{{QStringLiteral("token"),
                                                                           QString::fromLatin1(mintToken(id, name))}}},
                                      {QStringLiteral("reconnection"), false}}}});
        return isEvent(m_clients->waitForMessage([&](const QJsonObject &m) {
            return isEvent(m, "connect", client) || isEvent(m, "connect_error", client);
        }), "connect", client);
    };
    QVERIFY(connectTutorial(QStringLiteral("a"), QStringLiteral("1"), QStringLiteral("Alice")));
    QVERIFY(connectTutorial(QStringLiteral("b"), QStringLiteral("2"), QStringLiteral("Bob")));
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")}) {
        emitFromClient(client, QStringLiteral("join"), {QStringLiteral("general")}, true);
        const QJsonObject ack = waitFor("ack", client, QStringLiteral("join"))
                                    .value(QLatin1String("args")).toArray().first().toObject();
        QCOMPARE(ack.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QVERIFY(!ack.contains(QLatin1String("members")));
    }

    // Five times the flood burst, at once: every one is taken.
    constexpr int Count = 100;
    for (int i = 0; i < Count; ++i)
        emitFromClient(QStringLiteral("b"), QStringLiteral("message"),
                       {QJsonObject{{QStringLiteral("message"), QStringLiteral("fast %1").arg(i)},
                                    {QStringLiteral("roomName"), QStringLiteral("general")}}},
                       true);
    const auto acks = [&] {
        QList<QJsonObject> list;
        for (const QJsonObject &m : m_clients->messages())
            if (isEvent(m, "ack", QStringLiteral("b")) && m.value(QLatin1String("for")) == QLatin1String("message"))
                list.append(m);
        return list;
    };
    QTRY_COMPARE_WITH_TIMEOUT(acks().size(), Count, 20000);
    for (const QJsonObject &ack : acks())
        QCOMPARE(ack.value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("ok"));
    QTRY_COMPARE_WITH_TIMEOUT(received(QStringLiteral("a"), QStringLiteral("message")).size(), Count, 20000);

    // a heard b's messages, and nothing of b's arrival before them: no presence events at all.
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")})
        for (const QString &event : {QStringLiteral("welcome"), QStringLiteral("userConnected"),
                                     QStringLiteral("userJoined"), QStringLiteral("roomUpdated"),
                                     QStringLiteral("rateLimited")})
            QVERIFY2(received(client, event).isEmpty(), qPrintable(client + u' ' + event));
}

void tst_ChatServer::nicknamesAreFreedAndKept()
{
    // The names in use are counted per case-folded name, not found by a scan: a name is taken
    // whatever its case, kept by its holder, and free again once its holder goes or renames.
    QVERIFY(startServer());
    const auto login = [&](const QString &client, const QString &id, const QString &name) {
        return connectClient(client, {{QStringLiteral("token"), QString::fromLatin1(mintToken(id, name))}})
            .value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("name")).toString();
    };
    const auto rename = [&](const QString &client, const QString &wanted) {
        const qsizetype before = [&] {
            qsizetype n = 0;
            for (const QJsonObject &m : m_clients->messages())
                n += isEvent(m, "ack", client) && m.value(QLatin1String("for")) == QLatin1String("setNickname");
            return n;
        }();
        emitFromClient(client, QStringLiteral("setNickname"), {wanted}, true);
        const QJsonObject ack = m_clients->waitForMessage([&, seen = qsizetype(0)](const QJsonObject &m) mutable {
            return isEvent(m, "ack", client) && m.value(QLatin1String("for")) == QLatin1String("setNickname")
                   && ++seen > before;
        });
        return ack.value(QLatin1String("args")).toArray().first().toObject().value(QLatin1String("name")).toString();
    };
    QCOMPARE(login(QStringLiteral("a"), QStringLiteral("1"), QStringLiteral("Alice")), QStringLiteral("Alice"));
    QCOMPARE(login(QStringLiteral("b"), QStringLiteral("2"), QStringLiteral("alice")), QStringLiteral("alice (2)"));
    // Its own name, in any case, is not taken from itself.
    QCOMPARE(rename(QStringLiteral("b"), QStringLiteral("ALICE (2)")), QStringLiteral("ALICE (2)"));
    QCOMPARE(rename(QStringLiteral("a"), QStringLiteral("alice")), QStringLiteral("alice"));
    // a renames away: "Alice" is free, and b's old "(2)" with it once b takes "Alice".
    QCOMPARE(rename(QStringLiteral("a"), QStringLiteral("Ann")), QStringLiteral("Ann"));
    QCOMPARE(rename(QStringLiteral("b"), QStringLiteral("Alice")), QStringLiteral("Alice"));
    QCOMPARE(login(QStringLiteral("c"), QStringLiteral("3"), QStringLiteral("Alice (2)")), QStringLiteral("Alice (2)"));
    QCOMPARE(login(QStringLiteral("d"), QStringLiteral("4"), QStringLiteral("alice")), QStringLiteral("alice (3)"));
    // b goes: its name is free again, the others' are not.
    m_clients->send({{QStringLiteral("cmd"), QStringLiteral("disconnect")}, {QStringLiteral("client"), QStringLiteral("b")}});
    QVERIFY(!waitFor("event", QStringLiteral("c"), QStringLiteral("userDisconnected")).isEmpty());
    QCOMPARE(login(QStringLiteral("e"), QStringLiteral("5"), QStringLiteral("ALICE")), QStringLiteral("ALICE"));
    QCOMPARE(login(QStringLiteral("f"), QStringLiteral("6"), QStringLiteral("ann")), QStringLiteral("ann (2)"));
}

QTEST_MAIN(tst_ChatServer)
#include "tst_chat_server.moc"
