// Our Socket.IO client against our Socket.IO server, in one process. (The interop tests hold
// each side against the Node reference; this one covers what only both of ours together can:
// restarts in process, and hostile input next to a well-behaved client.)
#include "socketio/client.h"
#include "socketio/json.h"
#include "socketio/server.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include "../common/canonicaljson.h"
#include <QWebSocket>

#include <algorithm>
#include <memory>
#include <optional>

using namespace Roomcast;
using namespace Roomcast::SocketIO;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Roomcast::EngineIO::TransportType)

namespace {

QVariantList everyJsonType()
{
    return {QStringLiteral("text \"quoted\" \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 42, -1.25, true, false, Json::null(),
            QVariantList{1, QStringLiteral("two"), QVariantList{3}},
            QVariantMap{{QStringLiteral("a"), QVariantMap{{QStringLiteral("b"), QVariantList{}}}}}, QVariantMap{},
            QVariantMap{{QStringLiteral("bin"), QVariantList{QByteArray("\x00\xff", 2), QByteArray()}}}};
}

} // namespace

class tst_ClientServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void connectsOverEachTransport_data();
    void connectsOverEachTransport();
    void namespacesAndRefusals();
    void eventsAndBinaryRoundTrip();
    void acksBothWaysWithTimeouts();
    void broadcastsToRoomsExceptSender();
    void broadcastAckCollectsEveryAnswer();
    void disconnectReasons();
    void reconnectsAfterServerRestart();
    void serverMakesSocketsJoinLeaveAndDisconnect();
    void connectionStateRecovery();
    void hostilePacketsCloseOnlyTheirConnection_data();
    void hostilePacketsCloseOnlyTheirConnection();
    void connectTimeoutClosesIdleConnection();
    void deletedManagerLeavesItsClosingEngineToTheApplication();
    void closingWebSocketBelongsToTheApplication();

private:
    void startServer(ServerOptions options = {}, quint16 port = 0);
    Socket *connectClient(const QString &nsp = QStringLiteral("/"), ManagerOptions options = {}, const QVariantMap &auth = {});

    std::unique_ptr<Server> m_server;
    QList<ServerSocket *> m_connected;
    QStringList m_serverEvents; // every event the server received, in order
    QObject *m_clients = nullptr; // owns the Managers of a test
};

void tst_ClientServer::init()
{
    m_clients = new QObject(this);
}

void tst_ClientServer::cleanup()
{
    delete m_clients;
    m_clients = nullptr;
    m_server.reset();
    m_connected.clear();
    m_serverEvents.clear();
}

void tst_ClientServer::startServer(ServerOptions options, quint16 port)
{
    m_server = std::make_unique<Server>(options);
    m_server->of(QStringLiteral("/chat"));
    m_server->of(QStringLiteral("/private"))->use([](ServerSocket *socket, const Next &next) {
        if (socket->auth().value(QStringLiteral("token")) == QLatin1String("secret"))
            next(std::nullopt);
        else
            next(ConnectError{QStringLiteral("bad token"), QVariantMap{{QStringLiteral("retry"), false}}});
    });
    for (Namespace *nsp : {m_server->of(QStringLiteral("/")), m_server->of(QStringLiteral("/chat")),
                           m_server->of(QStringLiteral("/private"))}) {
        connect(nsp, &Namespace::connection, this, [this](ServerSocket *socket) {
            m_connected.append(socket);
            socket->onAny(this, [this](const QString &event, const QVariantList &, const Acknowledger &) {
                m_serverEvents.append(event);
            });
            socket->on(QStringLiteral("echo"), this, [socket](const QVariantList &args, const Acknowledger &) {
                socket->emitEvent(QStringLiteral("echo"), args);
            });
            socket->on(QStringLiteral("echo-ack"), this, [](const QVariantList &args, const Acknowledger &ack) { ack(args); });
            socket->on(QStringLiteral("join"), this, [socket](const QVariantList &args, const Acknowledger &ack) {
                socket->join(args.value(0).toString());
                ack();
            });
            socket->on(QStringLiteral("say"), this, [socket](const QVariantList &args, const Acknowledger &) {
                socket->to(args.value(0).toString()).emitEvent(QStringLiteral("said"), args.mid(1));
            });
        });
    }
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, port), qPrintable(m_server->errorString()));
}

Socket *tst_ClientServer::connectClient(const QString &nsp, ManagerOptions options, const QVariantMap &auth)
{
    auto *manager = new Manager(m_server->serverUrl(), options, m_clients);
    Socket *socket = manager->socket(nsp);
    socket->setAuth(auth);
    QSignalSpy connected(socket, &Socket::connected);
    socket->connectToNamespace();
    return QTest::qWaitFor([&] { return !connected.isEmpty(); }, 10000) ? socket : nullptr;
}

void tst_ClientServer::connectsOverEachTransport_data()
{
    QTest::addColumn<QList<EngineIO::TransportType>>("transports");
    QTest::addColumn<EngineIO::TransportType>("final");
    using T = EngineIO::TransportType;
    QTest::newRow("polling then websocket") << QList<T>{T::Polling, T::WebSocket} << T::WebSocket;
    QTest::newRow("websocket only") << QList<T>{T::WebSocket} << T::WebSocket;
    QTest::newRow("polling only") << QList<T>{T::Polling} << T::Polling;
}

void tst_ClientServer::connectsOverEachTransport()
{
    QFETCH(QList<EngineIO::TransportType>, transports);
    QFETCH(EngineIO::TransportType, final);
    startServer();
    ManagerOptions options;
    options.engine.transports = transports;
    Socket *socket = connectClient(QStringLiteral("/"), options);
    QVERIFY(socket);
    QCOMPARE(m_connected.size(), 1);
    QCOMPARE(m_connected.first()->id(), socket->id());
    QTRY_COMPARE_WITH_TIMEOUT(socket->manager()->engine()->transport(), final, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_connected.first()->conn()->transport(), final, 10000);

    QSignalSpy events(socket, &Socket::eventReceived);
    socket->emitEvent(QStringLiteral("echo"), {QStringLiteral("ping")});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 5000);
    QCOMPARE(events.first().at(1).toList(), QVariantList{QStringLiteral("ping")});
}

void tst_ClientServer::namespacesAndRefusals()
{
    startServer();
    Socket *chat = connectClient(QStringLiteral("/chat"));
    QVERIFY(chat);
    Socket *root = chat->manager()->socket(QStringLiteral("/"));
    QSignalSpy rootConnected(root, &Socket::connected);
    root->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(rootConnected.size(), 1, 5000);
    QCOMPARE(m_server->engine()->sockets().size(), 1); // one connection for both

    Socket *priv = chat->manager()->socket(QStringLiteral("/private"));
    QSignalSpy errors(priv, &Socket::connectError);
    priv->setAuth({{QStringLiteral("token"), QStringLiteral("wrong")}});
    priv->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 5000);
    QCOMPARE(errors.first().at(0).toString(), QStringLiteral("bad token"));
    QCOMPARE(errors.first().at(1).toMap().value(QStringLiteral("retry")).toBool(), false);

    Socket *unknown = chat->manager()->socket(QStringLiteral("/unknown"));
    QSignalSpy unknownErrors(unknown, &Socket::connectError);
    unknown->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(unknownErrors.size(), 1, 5000);
    QCOMPARE(unknownErrors.first().at(0).toString(), QStringLiteral("Invalid namespace"));
    QVERIFY(chat->isConnected() && root->isConnected());
}

void tst_ClientServer::eventsAndBinaryRoundTrip()
{
    startServer();
    Socket *socket = connectClient();
    QVERIFY(socket);
    QSignalSpy events(socket, &Socket::eventReceived);
    QSignalSpy serverEvents(m_connected.first(), &ServerSocket::eventReceived);
    socket->emitEvent(QStringLiteral("echo"), everyJsonType());
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 5000);
    QCOMPARE(canonicalJson(serverEvents.first().at(1)), canonicalJson(everyJsonType()));
    QCOMPARE(canonicalJson(events.first().at(1)), canonicalJson(everyJsonType()));
}

void tst_ClientServer::acksBothWaysWithTimeouts()
{
    startServer();
    Socket *socket = connectClient();
    QVERIFY(socket);
    std::optional<AckResult> fromServer;
    socket->emitWithAck(QStringLiteral("echo-ack"), {QByteArray("\x01\x02", 2)}, this,
                        [&](const AckResult &r) { fromServer = r; }, 5s);
    QTRY_VERIFY_WITH_TIMEOUT(fromServer.has_value(), 5000);
    QCOMPARE(fromServer->args, QVariantList{QByteArray("\x01\x02", 2)});

    std::optional<AckResult> timedOut;
    socket->emitWithAck(QStringLiteral("nobody-answers"), {}, this, [&](const AckResult &r) { timedOut = r; }, 200ms);
    QTRY_VERIFY_WITH_TIMEOUT(timedOut.has_value(), 5000);
    QCOMPARE(timedOut->status, AckResult::Status::TimedOut);

    socket->on(QStringLiteral("question"), this, [](const QVariantList &args, const Acknowledger &ack) {
        ack({args.value(0).toInt() * 2});
    });
    std::optional<AckResult> fromClient;
    m_connected.first()->emitWithAck(QStringLiteral("question"), {21}, this, [&](const AckResult &r) { fromClient = r; }, 5s);
    QTRY_VERIFY_WITH_TIMEOUT(fromClient.has_value(), 5000);
    QCOMPARE(fromClient->status, AckResult::Status::Acknowledged);
    QCOMPARE(fromClient->args.value(0).toInt(), 42);
}

void tst_ClientServer::broadcastsToRoomsExceptSender()
{
    startServer();
    QList<Socket *> clients;
    QList<std::shared_ptr<QSignalSpy>> spies;
    for (int i = 0; i < 3; ++i) {
        clients.append(connectClient());
        QVERIFY(clients.last());
        spies.append(std::make_shared<QSignalSpy>(clients.last(), &Socket::eventReceived));
    }
    for (int i = 0; i < 2; ++i) {
        std::optional<AckResult> joined;
        clients.at(i)->emitWithAck(QStringLiteral("join"), {QStringLiteral("room")}, this, [&](const AckResult &r) { joined = r; });
        QTRY_VERIFY_WITH_TIMEOUT(joined.has_value(), 5000);
    }
    clients.at(0)->emitEvent(QStringLiteral("say"), {QStringLiteral("room"), QStringLiteral("hello")});
    QTRY_COMPARE_WITH_TIMEOUT(spies.at(1)->size(), 1, 5000);
    QCOMPARE(spies.at(1)->first().at(1).toList(), QVariantList{QStringLiteral("hello")});

    // a marker to everyone: nothing else reached the sender or the outsider before it
    m_server->emitEvent(QStringLiteral("marker"));
    for (const auto &spy : spies)
        QTRY_VERIFY_WITH_TIMEOUT(!spy->isEmpty() && spy->last().at(0).toString() == QLatin1String("marker"), 5000);
    QCOMPARE(spies.at(0)->size(), 1);
    QCOMPARE(spies.at(2)->size(), 1);
}

void tst_ClientServer::broadcastAckCollectsEveryAnswer()
{
    startServer();
    for (int i = 0; i < 3; ++i) {
        Socket *socket = connectClient();
        QVERIFY(socket);
        if (i < 2)
            socket->on(QStringLiteral("poll"), this, [i](const QVariantList &, const Acknowledger &ack) { ack({i}); });
    }
    std::optional<BroadcastAckResult> result;
    m_server->sockets()->all().timeout(500ms).emitWithAck(QStringLiteral("poll"), {}, this,
                                                           [&](const BroadcastAckResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(result->timedOut);
    QCOMPARE(result->responses.size(), 2);
}

void tst_ClientServer::disconnectReasons()
{
    startServer();
    Socket *socket = connectClient();
    QVERIFY(socket);
    QSignalSpy clientDisconnected(socket, &Socket::disconnected);
    QSignalSpy reconnecting(socket->manager(), &Manager::reconnecting);
    m_connected.first()->disconnectFromNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(clientDisconnected.size(), 1, 5000);
    QCOMPARE(clientDisconnected.first().at(0).toString(), QStringLiteral("io server disconnect"));
    QVERIFY(!socket->manager()->isReconnecting());
    QCOMPARE(reconnecting.size(), 0);

    Socket *second = connectClient();
    QVERIFY(second);
    QSignalSpy serverDisconnected(m_connected.last(), &ServerSocket::disconnected);
    second->disconnectFromNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(serverDisconnected.size(), 1, 5000);
    QCOMPARE(serverDisconnected.first().at(0).toString(), QStringLiteral("client namespace disconnect"));
}

void tst_ClientServer::reconnectsAfterServerRestart()
{
    startServer();
    const quint16 port = m_server->serverPort();
    ManagerOptions options;
    options.reconnectionDelayMs = 100;
    options.reconnectionDelayMaxMs = 400;
    auto *manager = new Manager(m_server->serverUrl(), options, m_clients);
    Socket *socket = manager->socket();
    // a fresh auth payload on every connection, as a client refreshing its token would send
    int tokens = 0;
    socket->setAuthProvider(this, [&tokens] { return QVariantMap{{QStringLiteral("token"), QStringLiteral("t%1").arg(++tokens)}}; });
    QSignalSpy disconnected(socket, &Socket::disconnected);
    QSignalSpy connected(socket, &Socket::connected);
    socket->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
    QCOMPARE(m_connected.first()->auth().value(QStringLiteral("token")).toString(), QStringLiteral("t1"));
    connected.clear();

    m_server.reset(); // as abrupt as a crash: the connection may end with or without a close frame
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    const QString reason = disconnected.first().at(0).toString();
    QVERIFY2(reason == QLatin1String("transport close") || reason == QLatin1String("transport error"), qPrintable(reason));
    QVERIFY(socket->emitEvent(QStringLiteral("while-away"), {1}));

    m_connected.clear();
    startServer({}, port);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
    socket->emitEvent(QStringLiteral("after"), {2});
    // the buffered emit went first, once
    QTRY_COMPARE_WITH_TIMEOUT(m_serverEvents, (QStringList{QStringLiteral("while-away"), QStringLiteral("after")}), 5000);
    QCOMPARE(m_connected.size(), 1);
    QCOMPARE(m_connected.first()->auth().value(QStringLiteral("token")).toString(), QStringLiteral("t%1").arg(tokens));
    QVERIFY(tokens >= 2);
}

void tst_ClientServer::serverMakesSocketsJoinLeaveAndDisconnect()
{
    startServer();
    Socket *first = connectClient();
    Socket *second = connectClient();
    QVERIFY(first && second);
    Namespace *nsp = m_server->sockets();

    nsp->all().socketsJoin(QStringLiteral("everyone"));
    QCOMPARE(nsp->to(QStringLiteral("everyone")).sockets().size(), 2);
    nsp->to(first->id()).socketsLeave(QStringLiteral("everyone"));
    QCOMPARE(nsp->to(QStringLiteral("everyone")).sockets(), QList<ServerSocket *>{nsp->socket(second->id())});
    QCOMPARE(nsp->socket(first->id())->rooms(), QSet<Room>{first->id()});

    // leave the namespace only: the connection stays for others on it
    QSignalSpy firstDisconnected(first, &Socket::disconnected);
    nsp->to(first->id()).disconnectSockets();
    QTRY_COMPARE_WITH_TIMEOUT(firstDisconnected.size(), 1, 5000);
    QCOMPARE(firstDisconnected.first().at(0).toString(), QStringLiteral("io server disconnect"));

    // close the whole connection: as socket.io, every namespace on it is told first, so that
    // the client does not come back
    QSignalSpy secondDisconnected(second, &Socket::disconnected);
    QSignalSpy serverSide(nsp->socket(second->id()), &ServerSocket::disconnected);
    nsp->to(second->id()).disconnectSockets(true);
    QTRY_COMPARE_WITH_TIMEOUT(secondDisconnected.size(), 1, 5000);
    QCOMPARE(serverSide.first().at(0).toString(), QStringLiteral("server namespace disconnect"));
    QCOMPARE(secondDisconnected.first().at(0).toString(), QStringLiteral("io server disconnect"));
    QVERIFY(!second->manager()->isReconnecting());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sockets().size(), 0, 5000);
}

void tst_ClientServer::connectionStateRecovery()
{
    ServerOptions serverOptions;
    serverOptions.connectionStateRecovery.enabled = true;
    startServer(serverOptions);
    ManagerOptions options;
    options.reconnectionDelayMs = 300;
    options.randomizationFactor = 0;
    Socket *socket = connectClient(QStringLiteral("/"), options);
    QVERIFY(socket);
    const QString id = socket->id();
    QPointer<ServerSocket> serverSocket = m_connected.first();
    serverSocket->join(QStringLiteral("news"));
    QSignalSpy events(socket, &Socket::eventReceived);
    m_server->to(QStringLiteral("news")).emitEvent(QStringLiteral("headline"), {1});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 5000);

    QSignalSpy disconnected(socket, &Socket::disconnected);
    QSignalSpy connected(socket, &Socket::connected);
    serverSocket->conn()->close();
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    m_server->to(QStringLiteral("news")).emitEvent(QStringLiteral("headline"), {2});
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
    QVERIFY(socket->isRecovered());
    QCOMPARE(socket->id(), id);
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 5000);
    QCOMPARE(events.last().at(1).toList().value(0).toInt(), 2);
    QVERIFY(m_server->sockets()->socket(id)->rooms().contains(QStringLiteral("news")));
}

void tst_ClientServer::hostilePacketsCloseOnlyTheirConnection_data()
{
    QTest::addColumn<QStringList>("frames");
    // Engine.IO message packets ("4" + Socket.IO packet) after a valid CONNECT.
    QTest::newRow("unknown type") << QStringList{QStringLiteral("47[]")};
    QTest::newRow("bad json") << QStringList{QStringLiteral("42[\"a\",")};
    QTest::newRow("advisory: 100 KB ack id") << QStringList{QStringLiteral("42") + QString(100 * 1024, u'1') + QStringLiteral("[\"a\"]")};
    QTest::newRow("advisory: num splice") << QStringList{QStringLiteral("451-[\"a\",{\"_placeholder\":true,\"num\":\"splice\"}]"),
                                                         QStringLiteral("#binary")};
    QTest::newRow("advisory: num -1") << QStringList{QStringLiteral("451-[\"a\",{\"_placeholder\":true,\"num\":-1}]"),
                                                     QStringLiteral("#binary")};
    QTest::newRow("advisory: toString") << QStringList{QStringLiteral("42[{\"toString\":\"foo\"}]")};
    QTest::newRow("advisory: null name") << QStringList{QStringLiteral("42[null,\"bar\"]")};
    QTest::newRow("advisory: reserved name") << QStringList{QStringLiteral("42[\"connect\"]")};
    QTest::newRow("advisory: connect with array") << QStringList{QStringLiteral("40[]")};
    QTest::newRow("advisory: a million attachments") << QStringList{QStringLiteral("451000000-[\"a\"]")};
    QTest::newRow("text while reconstructing") << QStringList{QStringLiteral("452-[\"a\",{\"_placeholder\":true,\"num\":0}]"),
                                                              QStringLiteral("#binary"), QStringLiteral("42[\"b\"]")};
    QTest::newRow("stray binary") << QStringList{QStringLiteral("#binary")};
}

void tst_ClientServer::hostilePacketsCloseOnlyTheirConnection()
{
    QFETCH(QStringList, frames);
    startServer();
    Socket *good = connectClient();
    QVERIFY(good);
    QSignalSpy protocolErrors(m_server.get(), &Server::protocolError);

    QWebSocket attacker;
    QSignalSpy attackerMessages(&attacker, &QWebSocket::textMessageReceived);
    QSignalSpy attackerClosed(&attacker, &QWebSocket::disconnected);
    QUrl url = m_server->serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    attacker.open(url);
    QTRY_COMPARE_WITH_TIMEOUT(attackerMessages.size(), 1, 5000); // the open packet
    attacker.sendTextMessage(QStringLiteral("40"));
    QTRY_COMPARE_WITH_TIMEOUT(attackerMessages.size(), 2, 5000); // CONNECT granted
    QCOMPARE(m_connected.size(), 2);
    QSignalSpy attackerDisconnected(m_connected.last(), &ServerSocket::disconnected);
    for (const QString &frame : frames) {
        if (frame == QLatin1String("#binary"))
            attacker.sendBinaryMessage(QByteArray("\x01", 1));
        else
            attacker.sendTextMessage(frame);
    }
    QTRY_COMPARE_WITH_TIMEOUT(attackerClosed.size(), 1, 5000);
    QCOMPARE(attackerDisconnected.size(), 1);
    QCOMPARE(attackerDisconnected.first().at(0).toString(), QStringLiteral("parse error"));
    QCOMPARE(protocolErrors.size(), 1);

    // the well-behaved client keeps chatting
    QSignalSpy events(good, &Socket::eventReceived);
    good->emitEvent(QStringLiteral("echo"), {QStringLiteral("still here")});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 5000);
    QVERIFY(good->isConnected());
}

void tst_ClientServer::connectTimeoutClosesIdleConnection()
{
    ServerOptions options;
    options.connectTimeoutMs = 200;
    startServer(options);
    QWebSocket idle;
    QSignalSpy closed(&idle, &QWebSocket::disconnected);
    QUrl url = m_server->serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    idle.open(url);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 5000);
    QCOMPARE(m_server->engine()->sockets().size(), 0);
}

// Found by the AddressSanitizer build: a Manager deleted while connected lets its engine close
// on its own, and an engine still closing when a program ended leaked (LeakSanitizer, in the
// last test function of tst_chat_login and tst_conversations). Until it has closed, it waits
// under a holder that the application owns (deleted from a post routine, while the application
// is whole: tst_socketio_client::engineClosingAtExitGoesWhileTheApplicationIsWhole); once
// closed it is deleted.
void tst_ClientServer::deletedManagerLeavesItsClosingEngineToTheApplication()
{
    startServer();
    Socket *socket = connectClient();
    QVERIFY(socket);
    QPointer<EngineIO::Client> engine = socket->manager()->engine();
    QVERIFY(engine);
    QCOMPARE(engine->parent(), socket->manager());

    delete socket->manager();
    QVERIFY(engine);
    QVERIFY(engine->parent());
    QCOMPARE(engine->parent()->parent(), QCoreApplication::instance());
    QTRY_VERIFY_WITH_TIMEOUT(engine.isNull(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sockets().size(), 0, 5000);
}

QTEST_MAIN(tst_ClientServer)
// Found by the AddressSanitizer build: a server deleted with a WebSocket client connected
// leaves the connection to a closer that waits for the client's Close frame, and a closer still
// waiting when a program ended leaked with its sockets (LeakSanitizer, in tst_mainwindow and
// tst_hostingpanel, whose hosted server goes with the last test function). The application
// owns it now until it is done.
void tst_ClientServer::closingWebSocketBelongsToTheApplication()
{
    startServer();
    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QUrl url = m_server->serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    client.open(url);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 5000); // the open packet
    QVERIFY(messages.first().first().toString().startsWith(QLatin1Char('0')));

    const auto closers = [] {
        const QList<QObject *> children = QCoreApplication::instance()->findChildren<QObject *>(Qt::FindDirectChildrenOnly);
        // RawWebSocketCloser on a plain connection (POSIX), WebSocketCloser over TLS.
        return std::count_if(children.cbegin(), children.cend(), [](const QObject *child) {
            const QByteArrayView name(child->metaObject()->className());
            return name == "Roomcast::EngineIO::RawWebSocketCloser" || name == "Roomcast::EngineIO::WebSocketCloser";
        });
    };
    QCOMPARE(closers(), 0);
    m_server.reset();
    QCOMPARE(closers(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QTRY_COMPARE_WITH_TIMEOUT(closers(), 0, 5000);
}

#include "tst_client_server.moc"
