// Our Socket.IO server against the real Node socket.io-client 4.8 (tests/interop/node/socketio-client.mjs).
#include "nodepeer.h"
#include "peerjson.h"
#include "socketio/json.h"
#include "socketio/server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace Roomcast;
using namespace Roomcast::SocketIO;
using namespace std::chrono_literals;

namespace {


QVariantList everyJsonType()
{
    return {QStringLiteral("text \"quoted\" \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 42, -1.25, true, false, Json::null(),
            QVariantList{1, QStringLiteral("two"), QVariantList{3}},
            QVariantMap{{QStringLiteral("a"), QVariantMap{{QStringLiteral("b"), QVariantList{}}}}}, QVariantMap{}};
}

QVariantList withBinary()
{
    return {QByteArray("\x00\x01\x02\xff", 4),
            QVariantMap{{QStringLiteral("file"), QByteArray(100000, 'x')},
                        {QStringLiteral("parts"), QVariantList{QByteArray("a"), QStringLiteral("b"), QByteArray()}}}};
}

bool isEvent(const QJsonObject &message, const char *event, const QString &client)
{
    return message.value(QLatin1String("event")) == QLatin1String(event)
           && message.value(QLatin1String("client")) == client;
}

} // namespace

class tst_SocketIOServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void nodeClientConnects_data();
    void nodeClientConnects();
    void customNamespaceAndAuth();
    void middlewareRejection();
    void unknownNamespace();
    void eventsWithEveryJsonType();
    void binaryBothWays_data();
    void binaryBothWays();
    void acksBothWays();
    void broadcastAckWithTimeout();
    void roomsAndExcept();
    void disconnectReasons();
    void connectionStateRecovery();

private:
    //! Starts our server with the test handlers.
    void startServer(ServerOptions options = {});
    //! Connects Node client `client` to `nsp`; returns its socket id ("" on failure).
    QString connectClient(const QString &client, const QString &nsp = QStringLiteral("/"),
                          const QJsonObject &options = {});
    void emitFromClient(const QString &client, const QString &event, const QVariantList &args, bool ack = false,
                        int timeoutMs = 0);
    QJsonObject waitFor(const char *event, const QString &client, int timeoutMs = 10000);

    std::unique_ptr<Server> m_server;
    std::unique_ptr<NodePeer> m_client;
    QHash<QString, QPointer<ServerSocket>> m_sockets; // by socket id
    QList<QPair<QString, QVariantList>> m_received;   // (event, args) seen by the server
};

void tst_SocketIOServer::init()
{
    m_client = std::make_unique<NodePeer>(QStringLiteral("socketio-client.mjs"));
    QVERIFY2(m_client->startClient(), qPrintable(m_client->errorString()));
}

void tst_SocketIOServer::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_sockets.clear();
    m_received.clear();
}

void tst_SocketIOServer::startServer(ServerOptions options)
{
    options.engine.pingInterval = 1000;
    options.engine.pingTimeout = 1000;
    m_server = std::make_unique<Server>(options);
    m_server->of(QStringLiteral("/custom"));
    m_server->of(QStringLiteral("/private"))->use([](ServerSocket *socket, const Next &next) {
        if (socket->auth().value(QStringLiteral("token")) == QLatin1String("let-me-in"))
            return next(std::nullopt);
        next(ConnectError{QStringLiteral("not authorized"),
                          QVariantMap{{QStringLiteral("code"), 401}, {QStringLiteral("hint"), QStringLiteral("send a token")}}});
    });
    for (const QString &name : {QStringLiteral("/"), QStringLiteral("/custom"), QStringLiteral("/private")}) {
        connect(m_server->of(name), &Namespace::connection, this, [this](ServerSocket *socket) {
            m_sockets.insert(socket->id(), socket);
            socket->onAny(this, [this, socket](const QString &event, const QVariantList &args, const Acknowledger &ack) {
                m_received.append({event, args});
                if (event == QLatin1String("echo"))
                    socket->emitEvent(QStringLiteral("echo"), args);
                else if (event == QLatin1String("echo-ack"))
                    ack(args);
                else if (event == QLatin1String("join"))
                    socket->join(args.value(0).toString()), ack({QStringLiteral("joined")});
                else if (event == QLatin1String("to-room"))
                    socket->to(args.value(0).toString()).emitEvent(QStringLiteral("room-message"), args.mid(1));
                else if (event == QLatin1String("disconnect-me"))
                    socket->disconnectFromNamespace();
            });
        });
    }
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

QString tst_SocketIOServer::connectClient(const QString &client, const QString &nsp, const QJsonObject &options)
{
    QUrl url = m_server->serverUrl();
    url.setPath(nsp);
    m_client->send({{QStringLiteral("cmd"), QStringLiteral("connect")},
                    {QStringLiteral("client"), client},
                    {QStringLiteral("url"), url.toString()},
                    {QStringLiteral("options"), options}});
    const QJsonObject connected = m_client->waitForMessage([&](const QJsonObject &m) {
        return isEvent(m, "connect", client) || isEvent(m, "connect_error", client);
    });
    return connected.value(QLatin1String("id")).toString();
}

void tst_SocketIOServer::emitFromClient(const QString &client, const QString &event, const QVariantList &args, bool ack,
                                        int timeoutMs)
{
    m_client->send({{QStringLiteral("cmd"), QStringLiteral("emit")}, {QStringLiteral("client"), client},
                    {QStringLiteral("event"), event}, {QStringLiteral("args"), toPeerArgs(args)},
                    {QStringLiteral("ack"), ack}, {QStringLiteral("timeout"), timeoutMs}});
}

QJsonObject tst_SocketIOServer::waitFor(const char *event, const QString &client, int timeoutMs)
{
    return m_client->waitForMessage([&](const QJsonObject &m) { return isEvent(m, event, client); }, timeoutMs);
}

void tst_SocketIOServer::nodeClientConnects_data()
{
    QTest::addColumn<QJsonArray>("transports");
    QTest::addColumn<QString>("finalTransport");
    QTest::newRow("default: polling then websocket") << QJsonArray{QStringLiteral("polling"), QStringLiteral("websocket")}
                                                     << QStringLiteral("websocket");
    QTest::newRow("websocket only") << QJsonArray{QStringLiteral("websocket")} << QStringLiteral("websocket");
    QTest::newRow("polling only") << QJsonArray{QStringLiteral("polling")} << QStringLiteral("polling");
}

void tst_SocketIOServer::nodeClientConnects()
{
    QFETCH(QJsonArray, transports);
    QFETCH(QString, finalTransport);
    startServer();
    QSignalSpy connections(m_server->sockets(), &Namespace::connection);
    const QString id = connectClient(QStringLiteral("a"), QStringLiteral("/"), {{QStringLiteral("transports"), transports}});
    QVERIFY(!id.isEmpty());
    QCOMPARE(connections.size(), 1);
    auto *socket = connections.first().at(0).value<ServerSocket *>();
    QCOMPARE(socket->id(), id);
    QVERIFY(socket->id() != socket->conn()->id());
    QVERIFY(socket->rooms().contains(id));

    if (finalTransport == QLatin1String("websocket") && transports.size() == 2)
        QVERIFY(!waitFor("upgrade", QStringLiteral("a")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(EngineIO::transportName(socket->conn()->transport()), finalTransport, 10000);

    emitFromClient(QStringLiteral("a"), QStringLiteral("echo"), {QStringLiteral("hello")});
    const QJsonObject echo = waitFor("event", QStringLiteral("a"));
    QCOMPARE(echo.value(QLatin1String("name")).toString(), QStringLiteral("echo"));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), QJsonArray{QStringLiteral("hello")});
}

void tst_SocketIOServer::customNamespaceAndAuth()
{
    startServer();
    QSignalSpy connections(m_server->of(QStringLiteral("/custom")), &Namespace::connection);
    // Every kind of JSON value, as the socket keeps the payload for its lifetime.
    const QJsonObject auth{{QStringLiteral("token"), QStringLiteral("abc")},
                           {QStringLiteral("n"), 1},
                           {QStringLiteral("x"), -2.5},
                           {QStringLiteral("nested"),
                            QJsonObject{{QStringLiteral("list"), QJsonArray{true, QJsonValue::Null, QStringLiteral("é ✓")}}}}};
    QVERIFY(!connectClient(QStringLiteral("a"), QStringLiteral("/custom"), {{QStringLiteral("auth"), auth}}).isEmpty());
    QCOMPARE(connections.size(), 1);
    auto *socket = connections.first().at(0).value<ServerSocket *>();
    QCOMPARE(toPeerJson(socket->auth()).toObject(), auth);
    QCOMPARE(socket->nsp()->name(), QStringLiteral("/custom"));
    QCOMPARE(m_server->sockets()->sockets().size(), 0);
}

void tst_SocketIOServer::middlewareRejection()
{
    startServer();
    connectClient(QStringLiteral("a"), QStringLiteral("/private"), {{QStringLiteral("reconnection"), false}});
    const QJsonObject error = waitFor("connect_error", QStringLiteral("a"));
    QCOMPARE(error.value(QLatin1String("message")).toString(), QStringLiteral("not authorized"));
    QCOMPARE(error.value(QLatin1String("data")).toObject(),
             (QJsonObject{{QStringLiteral("code"), 401}, {QStringLiteral("hint"), QStringLiteral("send a token")}}));
    QVERIFY(m_server->of(QStringLiteral("/private"))->sockets().isEmpty());

    const QString id = connectClient(QStringLiteral("b"), QStringLiteral("/private"),
                                     {{QStringLiteral("auth"), QJsonObject{{QStringLiteral("token"), QStringLiteral("let-me-in")}}}});
    QVERIFY(!id.isEmpty());
    QVERIFY(m_server->of(QStringLiteral("/private"))->socket(id));
}

void tst_SocketIOServer::unknownNamespace()
{
    startServer();
    connectClient(QStringLiteral("a"), QStringLiteral("/nope"), {{QStringLiteral("reconnection"), false}});
    const QJsonObject error = waitFor("connect_error", QStringLiteral("a"));
    QCOMPARE(error.value(QLatin1String("message")).toString(), QStringLiteral("Invalid namespace"));
}

void tst_SocketIOServer::eventsWithEveryJsonType()
{
    startServer();
    QVERIFY(!connectClient(QStringLiteral("a")).isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("echo"), everyJsonType());
    const QJsonObject echo = waitFor("event", QStringLiteral("a"));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), toPeerArgs(everyJsonType()));
    QCOMPARE(m_received.size(), 1);
    QCOMPARE(toPeerArgs(m_received.first().second), toPeerArgs(everyJsonType()));
}

void tst_SocketIOServer::binaryBothWays_data()
{
    QTest::addColumn<QString>("transport");
    QTest::newRow("websocket") << QStringLiteral("websocket");
    QTest::newRow("polling") << QStringLiteral("polling");
}

void tst_SocketIOServer::binaryBothWays()
{
    QFETCH(QString, transport);
    startServer();
    QVERIFY(!connectClient(QStringLiteral("a"), QStringLiteral("/"), {{QStringLiteral("transports"), QJsonArray{transport}}})
                 .isEmpty());
    emitFromClient(QStringLiteral("a"), QStringLiteral("echo"), withBinary());
    const QJsonObject echo = waitFor("event", QStringLiteral("a"));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), toPeerArgs(withBinary()));
    QCOMPARE(m_received.size(), 1);
    QCOMPARE(m_received.first().second.value(0).typeId(), QMetaType::QByteArray);
    QCOMPARE(toPeerArgs(m_received.first().second), toPeerArgs(withBinary()));
}

void tst_SocketIOServer::acksBothWays()
{
    startServer();
    const QString id = connectClient(QStringLiteral("a"));
    QVERIFY(!id.isEmpty());

    // client → server
    emitFromClient(QStringLiteral("a"), QStringLiteral("echo-ack"), {1, QByteArray("\x01", 1)}, true);
    const QJsonObject ack = waitFor("ack", QStringLiteral("a"));
    QCOMPARE(ack.value(QLatin1String("args")).toArray(), toPeerArgs({1, QByteArray("\x01", 1)}));

    // server → client, and a timeout when the client does not answer
    m_client->send({{QStringLiteral("cmd"), QStringLiteral("answer")}, {QStringLiteral("client"), QStringLiteral("a")},
                    {QStringLiteral("event"), QStringLiteral("question")},
                    {QStringLiteral("args"), toPeerArgs({QStringLiteral("yes"), QByteArray("\x02", 1)})}});
    QVERIFY(!waitFor("answering", QStringLiteral("a")).isEmpty());
    ServerSocket *socket = m_sockets.value(id);
    QVERIFY(socket);
    std::optional<AckResult> answer;
    socket->emitWithAck(QStringLiteral("question"), {QStringLiteral("?")}, this, [&](const AckResult &r) { answer = r; }, 5s);
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QCOMPARE(answer->status, AckResult::Status::Acknowledged);
    QCOMPARE(toPeerArgs(answer->args), toPeerArgs({QStringLiteral("yes"), QByteArray("\x02", 1)}));

    std::optional<AckResult> silence;
    socket->emitWithAck(QStringLiteral("unanswered"), {}, this, [&](const AckResult &r) { silence = r; }, 300ms);
    QTRY_VERIFY_WITH_TIMEOUT(silence.has_value(), 5000);
    QCOMPARE(silence->status, AckResult::Status::TimedOut);
}

void tst_SocketIOServer::broadcastAckWithTimeout()
{
    startServer();
    QStringList ids;
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
        ids.append(connectClient(client));
        QVERIFY(!ids.last().isEmpty());
    }
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")}) {
        m_client->send({{QStringLiteral("cmd"), QStringLiteral("answer")}, {QStringLiteral("client"), client},
                        {QStringLiteral("event"), QStringLiteral("poll")}, {QStringLiteral("args"), QJsonArray{client}}});
        QVERIFY(!waitFor("answering", client).isEmpty());
    }

    // everyone answers: done before the timeout
    std::optional<BroadcastAckResult> partial;
    m_server->sockets()->all().timeout(700ms).emitWithAck(QStringLiteral("poll"), {}, this,
                                                           [&](const BroadcastAckResult &r) { partial = r; });
    QTRY_VERIFY_WITH_TIMEOUT(partial.has_value(), 5000);
    QVERIFY(partial->timedOut); // c never answers
    QCOMPARE(partial->responses.size(), 2);
    QCOMPARE(partial->responses.value(ids.at(0)), QVariantList{QStringLiteral("a")});
    QCOMPARE(partial->responses.value(ids.at(1)), QVariantList{QStringLiteral("b")});

    std::optional<BroadcastAckResult> complete;
    m_server->sockets()->except(ids.at(2)).timeout(5s).emitWithAck(QStringLiteral("poll"), {}, this,
                                                                    [&](const BroadcastAckResult &r) { complete = r; });
    QTRY_VERIFY_WITH_TIMEOUT(complete.has_value(), 5000);
    QVERIFY(!complete->timedOut);
    QCOMPARE(complete->responses.size(), 2);
}

void tst_SocketIOServer::roomsAndExcept()
{
    startServer();
    const QString a = connectClient(QStringLiteral("a"));
    const QString b = connectClient(QStringLiteral("b"));
    const QString c = connectClient(QStringLiteral("c"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && !c.isEmpty());
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b")}) {
        emitFromClient(client, QStringLiteral("join"), {QStringLiteral("room1")}, true);
        QVERIFY(!waitFor("ack", client).isEmpty());
    }
    QCOMPARE(m_server->sockets()->to(QStringLiteral("room1")).sockets().size(), 2);

    // from a socket: the room, never the sender
    emitFromClient(QStringLiteral("a"), QStringLiteral("to-room"), {QStringLiteral("room1"), QStringLiteral("hi")});
    const QJsonObject atB = waitFor("event", QStringLiteral("b"));
    QCOMPARE(atB.value(QLatin1String("name")).toString(), QStringLiteral("room-message"));
    QCOMPARE(atB.value(QLatin1String("args")).toArray(), QJsonArray{QStringLiteral("hi")});

    // from the namespace: everyone but room1
    m_server->sockets()->except(QStringLiteral("room1")).emitEvent(QStringLiteral("outside"), {1});
    const QJsonObject atC = waitFor("event", QStringLiteral("c"));
    QCOMPARE(atC.value(QLatin1String("name")).toString(), QStringLiteral("outside"));

    // a marker to everyone proves that a and b got nothing else in between
    m_server->emitEvent(QStringLiteral("marker"));
    for (const QString &client : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
        QVERIFY(!m_client->waitForMessage([&](const QJsonObject &m) {
                              return isEvent(m, "event", client) && m.value(QLatin1String("name")) == QLatin1String("marker");
                          }).isEmpty());
    QStringList seenByA, seenByB;
    for (const QJsonObject &m : m_client->messages()) {
        if (isEvent(m, "event", QStringLiteral("a")))
            seenByA.append(m.value(QLatin1String("name")).toString());
        if (isEvent(m, "event", QStringLiteral("b")))
            seenByB.append(m.value(QLatin1String("name")).toString());
    }
    QCOMPARE(seenByA, QStringList{QStringLiteral("marker")});
    QCOMPARE(seenByB, (QStringList{QStringLiteral("room-message"), QStringLiteral("marker")}));

    // server-side room management
    m_server->sockets()->to(QStringLiteral("room1")).socketsLeave(QStringLiteral("room1"));
    QCOMPARE(m_server->sockets()->to(QStringLiteral("room1")).sockets().size(), 0);
}

void tst_SocketIOServer::disconnectReasons()
{
    startServer();
    const QString a = connectClient(QStringLiteral("a"));
    const QString b = connectClient(QStringLiteral("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty());

    // the server disconnects a socket: the client does not come back
    QSignalSpy disconnectingA(m_sockets.value(a), &ServerSocket::disconnecting);
    QSignalSpy disconnectedA(m_sockets.value(a), &ServerSocket::disconnected);
    emitFromClient(QStringLiteral("a"), QStringLiteral("disconnect-me"), {});
    QCOMPARE(waitFor("disconnect", QStringLiteral("a")).value(QLatin1String("reason")).toString(),
             QStringLiteral("io server disconnect"));
    QCOMPARE(disconnectedA.size(), 1);
    QCOMPARE(disconnectedA.first().at(0).toString(), QStringLiteral("server namespace disconnect"));
    QCOMPARE(disconnectingA.size(), 1);

    // the client leaves
    QPointer<ServerSocket> socketB = m_sockets.value(b);
    QSignalSpy disconnectedB(socketB, &ServerSocket::disconnected);
    QStringList roomsWhileDisconnecting;
    connect(socketB, &ServerSocket::disconnecting, this,
            [&] { roomsWhileDisconnecting = QStringList(socketB->rooms().cbegin(), socketB->rooms().cend()); });
    m_client->send({{QStringLiteral("cmd"), QStringLiteral("disconnect")}, {QStringLiteral("client"), QStringLiteral("b")}});
    QVERIFY(disconnectedB.wait(5000));
    QCOMPARE(disconnectedB.first().at(0).toString(), QStringLiteral("client namespace disconnect"));
    QCOMPARE(roomsWhileDisconnecting, QStringList{b});
    QTRY_VERIFY(!socketB); // deleted later

    // the server shuts down: the client sees the transport go
    const QString c = connectClient(QStringLiteral("c"));
    QVERIFY(!c.isEmpty());
    QVERIFY(!waitFor("upgrade", QStringLiteral("c")).isEmpty());
    QSignalSpy disconnectedC(m_sockets.value(c), &ServerSocket::disconnected);
    m_server->close();
    QCOMPARE(disconnectedC.size(), 1);
    QCOMPARE(disconnectedC.first().at(0).toString(), QStringLiteral("server shutting down"));
    QCOMPARE(waitFor("disconnect", QStringLiteral("c")).value(QLatin1String("reason")).toString(),
             QStringLiteral("transport close"));
}

void tst_SocketIOServer::connectionStateRecovery()
{
    ServerOptions options;
    options.connectionStateRecovery.enabled = true;
    startServer(options);
    const QString id = connectClient(QStringLiteral("a"));
    QVERIFY(!id.isEmpty());
    QPointer<ServerSocket> socket = m_sockets.value(id);
    socket->join(QStringLiteral("kept-room"));
    socket->setData(QStringLiteral("kept data"));
    socket->emitEvent(QStringLiteral("tick"), {1});
    QVERIFY(!waitFor("event", QStringLiteral("a")).isEmpty());

    // cut the connection; while the client is away, the room gets a message
    QSignalSpy disconnected(socket, &ServerSocket::disconnected);
    socket->conn()->close();
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    m_server->to(QStringLiteral("kept-room")).emitEvent(QStringLiteral("missed"), {2});

    const QJsonObject reconnected = m_client->waitForMessage([](const QJsonObject &m) {
        return isEvent(m, "connect", QStringLiteral("a")) && m.value(QLatin1String("recovered")).toBool();
    }, 15000);
    QVERIFY(!reconnected.isEmpty());
    QCOMPARE(reconnected.value(QLatin1String("id")).toString(), id);
    const QJsonObject missed = m_client->waitForMessage([](const QJsonObject &m) {
        return isEvent(m, "event", QStringLiteral("a")) && m.value(QLatin1String("name")) == QLatin1String("missed");
    });
    QCOMPARE(missed.value(QLatin1String("args")).toArray().first().toInt(), 2);

    ServerSocket *restored = m_server->sockets()->socket(id);
    QVERIFY(restored);
    QVERIFY(restored->isRecovered());
    QVERIFY(restored->rooms().contains(QStringLiteral("kept-room")));
    QCOMPARE(restored->data().toString(), QStringLiteral("kept data"));
}

QTEST_MAIN(tst_SocketIOServer)
#include "tst_socketio_server.moc"
