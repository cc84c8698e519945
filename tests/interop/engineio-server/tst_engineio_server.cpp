// Our Engine.IO server against the real Node engine.io-client 6.6 (tests/interop/node/engineio-client.mjs).
#include "selfsignedcert.h"
#include "serverharness.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Roomcast::EngineIO;

Q_DECLARE_METATYPE(Roomcast::EngineIO::TransportType)

namespace {

constexpr int Timeout = 10000;

enum class Mode { Polling, WebSocket, Upgrade };

QJsonObject clientOptions(Mode mode)
{
    switch (mode) {
    case Mode::Polling:
        return {{QStringLiteral("transports"), QJsonArray{QStringLiteral("polling")}}};
    case Mode::WebSocket:
        return {{QStringLiteral("transports"), QJsonArray{QStringLiteral("websocket")}}};
    case Mode::Upgrade:
        return {{QStringLiteral("transports"), QJsonArray{QStringLiteral("polling"), QStringLiteral("websocket")}}};
    }
    return {};
}

ServerOptions fastHeartbeat()
{
    ServerOptions options;
    options.pingInterval = 200;
    options.pingTimeout = 400;
    return options;
}

//! The TCP_NODELAY setting of every socket of this process that the server at `port` accepted
//! (local port `port`, with a peer): the server's sockets are ours, in process.
QList<int> acceptedNoDelay(quint16 port)
{
    QList<int> values;
    const QStringList fds = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System);
    for (const QString &name : fds) {
        const int fd = name.toInt();
        sockaddr_in local{};
        sockaddr_in peer{};
        socklen_t size = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &size) != 0 || local.sin_family != AF_INET
            || ntohs(local.sin_port) != port)
            continue;
        size = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &size) != 0)
            continue; // the listening socket
        int value = -1;
        socklen_t valueSize = sizeof value;
        if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, &valueSize) == 0)
            values.append(value);
    }
    return values;
}

} // namespace

Q_DECLARE_METATYPE(Mode)

class tst_EngineIOServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void opens_data();
    void opens();
    void textAndBinaryBothWays_data();
    void textAndBinaryBothWays();
    void heartbeat_data();
    void heartbeat();
    void serverCloses_data();
    void serverCloses();
    void clientCloses_data();
    void clientCloses();
    void serverShutsDown_data();
    void serverShutsDown();
    void upgradeWithMessagesInFlight();
    void groupsAreNotSplit();
    void sharedPacketsKeepTheirOrder_data() { addModes(); }
    void sharedPacketsKeepTheirOrder();
    void queryAndHeaders();
    void tls_data();
    void tls();
    void listenOnBusyPort();
    void burstOfConnections();
    void nagleOnRequest();

private:
    void addModes();
    //! Starts `harness` and the Node clients, opens client "a" in `mode` and waits until it is
    //! open (and upgraded, for Mode::Upgrade). Returns its server session.
    std::shared_ptr<SessionRecord> openClient(ServerHarness &harness, Mode mode, const QString &scheme = QStringLiteral("http"),
                                              QJsonObject extra = {});

    NodeClients *m_clients = nullptr;
};

void tst_EngineIOServer::init()
{
    m_clients = new NodeClients(this);
}

void tst_EngineIOServer::cleanup()
{
    delete m_clients;
    m_clients = nullptr;
}

void tst_EngineIOServer::addModes()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("polling then upgrade") << Mode::Upgrade;
    QTest::newRow("websocket only") << Mode::WebSocket;
    QTest::newRow("polling only") << Mode::Polling;
}

std::shared_ptr<SessionRecord> tst_EngineIOServer::openClient(ServerHarness &harness, Mode mode, const QString &scheme,
                                                               QJsonObject extra)
{
    if (!harness.server.isListening() && !harness.listen())
        return nullptr;
    if (!m_clients->start(harness.server.serverPort())) {
        qWarning().noquote() << m_clients->errorString();
        return nullptr;
    }
    const QJsonObject options = clientOptions(mode);
    for (auto it = options.begin(); it != options.end(); ++it)
        extra.insert(it.key(), it.value());
    QUrl url = harness.server.serverUrl();
    url.setScheme(scheme);
    m_clients->open(QStringLiteral("a"), url, extra);
    if (m_clients->waitFor(QStringLiteral("a"), QStringLiteral("open"), Timeout).isEmpty()) {
        qWarning() << "the client did not open:" << m_clients->events(QStringLiteral("a"), QStringLiteral("error"));
        return nullptr;
    }
    if (mode == Mode::Upgrade && m_clients->waitFor(QStringLiteral("a"), QStringLiteral("upgrade"), Timeout).isEmpty()) {
        qWarning() << "the client did not upgrade";
        return nullptr;
    }
    return harness.waitForSession(0);
}

// ---------------------------------------------------------------------------------------------

void tst_EngineIOServer::opens_data()
{
    addModes();
}

void tst_EngineIOServer::opens()
{
    QFETCH(Mode, mode);
    ServerHarness harness(ServerOptions{});
    QSignalSpy connections(&harness.server, &Server::newConnection);
    const auto session = openClient(harness, mode);
    QVERIFY(session);
    QCOMPARE(connections.size(), 1);

    const QJsonObject open = m_clients->events(QStringLiteral("a"), QStringLiteral("open")).first();
    QCOMPARE(open.value(QLatin1String("sid")).toString(), session->id);
    QCOMPARE(session->id.size(), 20);
    const QJsonObject handshake = m_clients->events(QStringLiteral("a"), QStringLiteral("handshake")).first();
    const QJsonObject data = handshake.value(QLatin1String("data")).toObject();
    QCOMPARE(data.value(QLatin1String("pingInterval")).toInt(), 25000);
    QCOMPARE(data.value(QLatin1String("pingTimeout")).toInt(), 20000);
    QCOMPARE(data.value(QLatin1String("maxPayload")).toInt(), 1000000);
    QCOMPARE(data.value(QLatin1String("upgrades")).toArray(),
             mode == Mode::WebSocket ? QJsonArray{} : QJsonArray{QStringLiteral("websocket")});

    QCOMPARE(session->firstTransport, mode == Mode::WebSocket ? TransportType::WebSocket : TransportType::Polling);
    QCOMPARE(session->request.query().queryItemValue(QStringLiteral("EIO")), QStringLiteral("4"));
    QCOMPARE(session->request.query().queryItemValue(QStringLiteral("transport")),
             transportName(session->firstTransport));
    QCOMPARE(session->request.remoteAddress, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(!session->request.secure);

    // A round trip, after which a polling-only client would long since have probed if it were to.
    m_clients->send(QStringLiteral("a"), "ping?");
    QVERIFY(!m_clients->waitFor(QStringLiteral("a"), QStringLiteral("message")).isEmpty());
    QCOMPARE(session->upgrades, mode == Mode::Upgrade ? 1 : 0);
    QCOMPARE(session->socket->transport(), mode == Mode::Polling ? TransportType::Polling : TransportType::WebSocket);
    QCOMPARE(harness.server.sockets(), QList<ServerSocket *>{session->socket});
    QCOMPARE(harness.server.socket(session->id), session->socket);
    QVERIFY(session->closeReason.isEmpty());
}

void tst_EngineIOServer::textAndBinaryBothWays_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QList<Received>>("messages");

    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QByteArray big(300 * 1000, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) >> 3);
    const QList<Received> messages{
        {false, "hello"},
        {false, "h\xc3\xa9llo \xe2\x80\x94 \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x8e\x89"},
        {false, QByteArray()},
        {true, everyByte},
        {true, QByteArray()},
        {true, big},
        {false, QByteArray(200 * 1000, 'x')},
    };
    const struct
    {
        const char *name;
        Mode mode;
    } modes[] = {{"polling then upgrade", Mode::Upgrade}, {"websocket only", Mode::WebSocket}, {"polling only", Mode::Polling}};
    for (const auto &mode : modes)
        QTest::addRow("%s", mode.name) << mode.mode << messages;
}

void tst_EngineIOServer::textAndBinaryBothWays()
{
    QFETCH(Mode, mode);
    QFETCH(QList<Received>, messages);
    ServerHarness harness(ServerOptions{}, false);
    const auto session = openClient(harness, mode);
    QVERIFY(session);

    // Client → server, one by one (a polling POST would otherwise bundle them over maxPayload).
    for (const Received &message : messages) {
        if (message.binary)
            m_clients->sendBinary(QStringLiteral("a"), message.data);
        else
            m_clients->send(QStringLiteral("a"), message.data);
    }
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), messages.size(), Timeout);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(session->received.at(i).binary, messages.at(i).binary);
        QVERIFY2(session->received.at(i).data == messages.at(i).data, qPrintable(QString::number(i)));
    }

    // Server → client.
    for (const Received &message : messages) {
        if (message.binary)
            session->socket->sendBinary(message.data);
        else
            session->socket->send(message.data);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QStringLiteral("a")).size(), messages.size(), Timeout);
    const QList<Received> received = m_clients->received(QStringLiteral("a"));
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(received.at(i).binary, messages.at(i).binary);
        QVERIFY2(received.at(i).data == messages.at(i).data, qPrintable(QString::number(i)));
    }
    QVERIFY(session->closeReason.isEmpty());
    QVERIFY(m_clients->events(QStringLiteral("a"), QStringLiteral("close")).isEmpty());
}

void tst_EngineIOServer::heartbeat_data()
{
    addModes();
}

void tst_EngineIOServer::heartbeat()
{
    QFETCH(Mode, mode);
    ServerHarness harness(fastHeartbeat());
    const auto session = openClient(harness, mode);
    QVERIFY(session);
    const QJsonObject data = m_clients->events(QStringLiteral("a"), QStringLiteral("handshake")).first()
                                 .value(QLatin1String("data")).toObject();
    QCOMPARE(data.value(QLatin1String("pingInterval")).toInt(), 200);
    QCOMPARE(data.value(QLatin1String("pingTimeout")).toInt(), 400);

    // Five pings answered: the session outlives many pingInterval + pingTimeout.
    QTRY_VERIFY_WITH_TIMEOUT(m_clients->events(QStringLiteral("a"), QStringLiteral("ping")).size() >= 5, Timeout);
    QVERIFY(session->closeReason.isEmpty());
    m_clients->send(QStringLiteral("a"), "still here");
    QVERIFY(!m_clients->waitFor(QStringLiteral("a"), QStringLiteral("message")).isEmpty());

    // A client that stops answering (killed) is closed for "ping timeout" — or, when its
    // connection drop is seen first, for the transport.
    m_clients->kill();
    QTRY_VERIFY_WITH_TIMEOUT(!session->closeReason.isEmpty(), Timeout);
    QVERIFY2(QStringList({QStringLiteral("ping timeout"), QStringLiteral("transport close"),
                          QStringLiteral("transport error")})
                 .contains(session->closeReason),
             qPrintable(session->closeReason));
    QTRY_VERIFY_WITH_TIMEOUT(harness.server.sockets().isEmpty(), Timeout);
}

void tst_EngineIOServer::serverCloses_data()
{
    addModes();
}

void tst_EngineIOServer::serverCloses()
{
    QFETCH(Mode, mode);
    ServerHarness harness(ServerOptions{});
    const auto session = openClient(harness, mode);
    QVERIFY(session);

    // What is queued before close() still arrives.
    session->socket->send("last words");
    QSignalSpy closed(session->socket.data(), &ServerSocket::closed);
    QSignalSpy destroyed(session->socket.data(), &QObject::destroyed);
    session->socket->close();
    const QJsonObject close = m_clients->waitFor(QStringLiteral("a"), QStringLiteral("close"), Timeout);
    QCOMPARE(close.value(QLatin1String("reason")).toString(), QStringLiteral("transport close"));
    QCOMPARE(m_clients->received(QStringLiteral("a")), QList<Received>{(Received{false, "last words"})});
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
    QCOMPARE(closed.first().first().toString(), QStringLiteral("forced close"));
    QTRY_COMPARE_WITH_TIMEOUT(destroyed.size(), 1, Timeout); // deleteLater()'d
    QVERIFY(harness.server.sockets().isEmpty());
}

void tst_EngineIOServer::clientCloses_data()
{
    addModes();
}

void tst_EngineIOServer::clientCloses()
{
    QFETCH(Mode, mode);
    ServerHarness harness(ServerOptions{});
    const auto session = openClient(harness, mode);
    QVERIFY(session);

    m_clients->close(QStringLiteral("a"));
    const QJsonObject close = m_clients->waitFor(QStringLiteral("a"), QStringLiteral("close"), Timeout);
    QCOMPARE(close.value(QLatin1String("reason")).toString(), QStringLiteral("forced close"));
    // Polling: a close packet in a POST; WebSocket: the WebSocket close. Either is a transport close.
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("transport close"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!session->socket, Timeout);
    QVERIFY(harness.server.sockets().isEmpty());
}

void tst_EngineIOServer::serverShutsDown_data()
{
    addModes();
}

void tst_EngineIOServer::serverShutsDown()
{
    QFETCH(Mode, mode);
    ServerHarness harness(ServerOptions{});
    const auto session = openClient(harness, mode);
    QVERIFY(session);
    m_clients->open(QStringLiteral("b"), harness.server.serverUrl(), clientOptions(mode));
    QVERIFY(!m_clients->waitFor(QStringLiteral("b"), QStringLiteral("open")).isEmpty());
    QVERIFY(harness.waitForSession(1));

    harness.server.close();
    QVERIFY(!harness.server.isListening());
    QCOMPARE(harness.sessions.at(0)->closeReason, QStringLiteral("server shutting down"));
    QCOMPARE(harness.sessions.at(1)->closeReason, QStringLiteral("server shutting down"));
    // A WebSocket client sees its WebSocket close. A polling client whose GET was held gets the
    // close packet; one caught between two GETs finds the next one refused, which engine.io-client
    // reports as a transport error (so it would with the reference server).
    const QJsonObject closeA = m_clients->waitFor(QStringLiteral("a"), QStringLiteral("close"), Timeout);
    const QJsonObject closeB = m_clients->waitFor(QStringLiteral("b"), QStringLiteral("close"), Timeout);
    const QStringList pollingReasons{QStringLiteral("transport close"), QStringLiteral("transport error")};
    if (mode == Mode::Polling)
        QVERIFY(pollingReasons.contains(closeA.value(QLatin1String("reason")).toString()));
    else
        QCOMPARE(closeA.value(QLatin1String("reason")).toString(), QStringLiteral("transport close"));
    if (mode == Mode::WebSocket)
        QCOMPARE(closeB.value(QLatin1String("reason")).toString(), QStringLiteral("transport close"));
    else
        QVERIFY(pollingReasons.contains(closeB.value(QLatin1String("reason")).toString()));
    QVERIFY(harness.server.sockets().isEmpty());
}

void tst_EngineIOServer::upgradeWithMessagesInFlight()
{
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    QVERIFY(m_clients->start(harness.server.serverPort()));

    // The server sends from the moment the session opens until 50 messages after the upgrade,
    // one per event-loop pass; the client sends a burst as soon as it is open and another one
    // when it starts upgrading. Both sides must see everything exactly once, in order.
    QList<Received> serverSent;
    int sentAtUpgrade = -1;
    QTimer ticker;
    ticker.setInterval(0);
    QPointer<ServerSocket> socket;
    connect(&harness.server, &Server::newConnection, this, [&](ServerSocket *s) {
        socket = s;
        connect(s, &ServerSocket::upgraded, this, [&] { sentAtUpgrade = int(serverSent.size()); });
        ticker.start();
    });
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (!socket || (sentAtUpgrade >= 0 && serverSent.size() >= sentAtUpgrade + 50)) {
            ticker.stop();
            return;
        }
        const int i = int(serverSent.size());
        const Received message{i % 3 == 2, "server " + QByteArray::number(i)};
        if (message.binary)
            socket->sendBinary(message.data);
        else
            socket->send(message.data);
        serverSent.append(message);
    });

    QList<Received> clientSent;
    for (int i = 0; i < 300; ++i)
        clientSent.append({i % 4 == 3, "client " + QByteArray::number(i)});
    m_clients->open(QStringLiteral("a"), harness.server.serverUrl(), clientOptions(Mode::Upgrade));
    QVERIFY(!m_clients->waitFor(QStringLiteral("a"), QStringLiteral("open")).isEmpty());
    m_clients->sendAll(QStringLiteral("a"), clientSent.mid(0, 150));
    QVERIFY(!m_clients->waitFor(QStringLiteral("a"), QStringLiteral("upgrading")).isEmpty());
    m_clients->sendAll(QStringLiteral("a"), clientSent.mid(150));
    QVERIFY(!m_clients->waitFor(QStringLiteral("a"), QStringLiteral("upgrade")).isEmpty());

    const auto session = harness.waitForSession(0);
    QVERIFY(session);
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), clientSent.size(), Timeout);
    QCOMPARE(session->received, clientSent);
    QCOMPARE(session->upgrades, 1);
    QVERIFY2(session->receivedAtUpgrade > 0, "no client message arrived over polling");

    QTRY_VERIFY_WITH_TIMEOUT(!ticker.isActive(), Timeout);
    QVERIFY2(sentAtUpgrade > 0, "no server message went out before the upgrade");
    QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QStringLiteral("a")).size(), serverSent.size(), Timeout);
    QCOMPARE(m_clients->received(QStringLiteral("a")), serverSent);
    QVERIFY(session->closeReason.isEmpty());
}

void tst_EngineIOServer::groupsAreNotSplit()
{
    // A group sent while the client is on polling arrives in one payload; Node cannot show us
    // payload boundaries, but the order of a group around an upgrade must hold.
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    QVERIFY(m_clients->start(harness.server.serverPort()));
    QList<Received> expected;
    connect(&harness.server, &Server::newConnection, this, [&](ServerSocket *socket) {
        for (int g = 0; g < 20; ++g) {
            const QList<Packet> group{Packet::message("group " + QByteArray::number(g)),
                                      Packet::binaryMessage(QByteArray::number(g) + "-a"),
                                      Packet::binaryMessage(QByteArray::number(g) + "-b")};
            socket->sendPackets(group);
            expected << Received{false, "group " + QByteArray::number(g)} << Received{true, QByteArray::number(g) + "-a"}
                     << Received{true, QByteArray::number(g) + "-b"};
        }
    });
    m_clients->open(QStringLiteral("a"), harness.server.serverUrl(), clientOptions(Mode::Upgrade));
    QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QStringLiteral("a")).size(), 60, Timeout);
    QCOMPARE(m_clients->received(QStringLiteral("a")), expected);
}

void tst_EngineIOServer::sharedPacketsKeepTheirOrder()
{
    // Broadcast frames (sendShared) wait for the end of the event loop's pass to be written
    // together; whatever else is sent meanwhile must not overtake them, on either transport.
    // Several sessions share the same SharedPackets, as a broadcast's recipients do.
    QFETCH(Mode, mode);
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    QVERIFY(m_clients->start(harness.server.serverPort()));
    constexpr int Clients = 3;
    constexpr int Rounds = 30;
    QList<ServerSocket *> sessions;
    connect(&harness.server, &Server::newConnection, this, [&](ServerSocket *socket) { sessions.append(socket); });
    for (int c = 0; c < Clients; ++c)
        m_clients->open(QString::number(c), harness.server.serverUrl(), clientOptions(mode));
    for (int c = 0; c < Clients; ++c)
        QVERIFY(!m_clients->waitFor(QString::number(c), mode == Mode::Upgrade ? QStringLiteral("upgrade") : QStringLiteral("open"))
                     .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sessions.size(), Clients, Timeout);

    QList<Received> expected;
    for (int i = 0; i < Rounds; ++i) { // all in one pass
        const QByteArray text = QByteArray::number(i);
        if (i % 3 == 2) {
            for (ServerSocket *session : std::as_const(sessions))
                session->send("direct " + text);
            expected << Received{false, "direct " + text};
        } else {
            const SharedPackets shared({Packet::message("shared " + text), Packet::binaryMessage(text)});
            for (ServerSocket *session : std::as_const(sessions))
                session->sendShared(shared);
            expected << Received{false, "shared " + text} << Received{true, text};
        }
    }
    for (int c = 0; c < Clients; ++c) {
        QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QString::number(c)).size(), expected.size(), Timeout);
        QCOMPARE(m_clients->received(QString::number(c)), expected);
    }
    // And closing right after a broadcast: its frames go out before the close.
    for (ServerSocket *session : std::as_const(sessions)) {
        session->sendShared(SharedPackets({Packet::message("last")}));
        session->close();
    }
    for (int c = 0; c < Clients; ++c) {
        QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QString::number(c)).size(), expected.size() + 1, Timeout);
        QCOMPARE(m_clients->received(QString::number(c)).last(), (Received{false, "last"}));
    }
}

void tst_EngineIOServer::queryAndHeaders()
{
    ServerHarness harness(ServerOptions{});
    const QJsonObject extra{{QStringLiteral("query"), QJsonObject{{QStringLiteral("room"), QStringLiteral("a b&c")}}},
                            {QStringLiteral("extraHeaders"), QJsonObject{{QStringLiteral("X-Token"), QStringLiteral("t0k3n")}}}};
    const auto session = openClient(harness, Mode::Upgrade, QStringLiteral("http"), extra);
    QVERIFY(session);
    QCOMPARE(session->request.query().queryItemValue(QStringLiteral("room"), QUrl::FullyDecoded), QStringLiteral("a b&c"));
    QCOMPARE(session->request.header("x-token"), "t0k3n");
    QCOMPARE(session->request.header("X-TOKEN"), "t0k3n");
    QVERIFY(session->request.headers().contains(qMakePair(QByteArray("x-token"), QByteArray("t0k3n"))));
    QVERIFY(session->request.hasHeader("Host"));
    QVERIFY(!session->request.hasHeader("x-absent"));

    // The headers a session keeps come back as given: in order, empty values and repeated
    // names included; a repeated name's values are joined as Node does.
    const QList<QPair<QByteArray, QByteArray>> given{{"accept", "a"}, {"x-empty", ""}, {"accept", "b"}};
    HandshakeRequest kept;
    kept.setHeaders(given);
    QCOMPARE(kept.headers(), given);
    QCOMPARE(kept.header("Accept"), "a, b");
    QVERIFY(kept.hasHeader("x-empty"));
    QCOMPARE(kept.header("x-empty"), "");
    QCOMPARE(session->request.method, "GET");
    QVERIFY(session->request.url().path().startsWith(QStringLiteral("/engine.io/")));
    QVERIFY(session->request.time.isValid());
}

void tst_EngineIOServer::tls_data()
{
    addModes();
}

void tst_EngineIOServer::tls()
{
    QFETCH(Mode, mode);
    SelfSignedCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    ServerOptions options;
    QString error;
    QVERIFY2(options.loadTls(certificate.certificatePath(), certificate.keyPath(), &error), qPrintable(error));
    ServerHarness harness(options);
    QVERIFY(harness.listen());
    QCOMPARE(harness.server.serverUrl().scheme(), QStringLiteral("https"));

    const QJsonObject extra{{QStringLiteral("ca"), QString::fromLatin1(certificate.certificate().toPem())}};
    const auto session = openClient(harness, mode, QStringLiteral("https"), extra);
    QVERIFY(session);
    QVERIFY(session->request.secure);
    m_clients->send(QStringLiteral("a"), "over tls");
    m_clients->sendBinary(QStringLiteral("a"), QByteArray("\x00\xff", 2));
    QTRY_COMPARE_WITH_TIMEOUT(m_clients->received(QStringLiteral("a")).size(), 2, Timeout);
    QCOMPARE(m_clients->received(QStringLiteral("a")),
             (QList<Received>{{false, "over tls"}, {true, QByteArray("\x00\xff", 2)}}));
    QCOMPARE(session->socket->transport(), mode == Mode::Polling ? TransportType::Polling : TransportType::WebSocket);
}

void tst_EngineIOServer::listenOnBusyPort()
{
    Server first;
    QVERIFY(first.listen(QHostAddress::LocalHost, 0));
    Server second;
    QSignalSpy errors(&second, &Server::errorOccurred);
    QVERIFY(!second.listen(QHostAddress::LocalHost, first.serverPort()));
    QCOMPARE(second.error(), Server::Error::AddressInUseError);
    QVERIFY2(second.errorString().contains(QString::number(first.serverPort())), qPrintable(second.errorString()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(!second.isListening());

    ServerOptions broken;
    broken.tlsCertificateChain = {QSslCertificate()};
    Server tls(broken);
    QVERIFY(!tls.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(tls.error(), Server::Error::TlsConfigurationError);
    QString error;
    QVERIFY(!broken.loadTls(QStringLiteral("/nonexistent/cert.pem"), QStringLiteral("/nonexistent/key.pem"), &error));
    QVERIFY(!error.isEmpty());
}

void tst_EngineIOServer::burstOfConnections()
{
    // More clients connect at once than Qt's default listen backlog (50) holds, while the
    // server's event loop is busy (here: not running at all). The kernel must queue every
    // handshake (Node's backlog, 511): with 50, the SYNs past the 51st are dropped and retried
    // a second later, and again while the queue stays full.
    constexpr int Clients = 120; // within maxPendingConnections (128)
    Server server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QList<pollfd> pending;
    for (int i = 0; i < Clients; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
        const int result = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
        QVERIFY2(result == 0 || errno == EINPROGRESS, strerror(errno));
        pending.append({fd, POLLOUT, 0});
    }
    // Wait (2 s at most) for the handshakes, without letting the server accept.
    QList<int> connected;
    QElapsedTimer elapsed;
    elapsed.start();
    while (!pending.isEmpty() && elapsed.elapsed() < 2000) {
        if (poll(pending.data(), nfds_t(pending.size()), int(2000 - elapsed.elapsed())) <= 0)
            break;
        for (qsizetype i = pending.size() - 1; i >= 0; --i) {
            if (!pending[i].revents)
                continue;
            int error = 0;
            socklen_t size = sizeof error;
            getsockopt(pending[i].fd, SOL_SOCKET, SO_ERROR, &error, &size);
            QVERIFY2(error == 0, strerror(error));
            connected.append(pending[i].fd);
            pending.removeAt(i);
        }
    }
    for (const pollfd &left : std::as_const(pending))
        ::close(left.fd);
    QCOMPARE(connected.size(), Clients);

    // Each is served, over a socket without Nagle's delay: an answer written in two parts must
    // not wait for the client's delayed ACK of the first.
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (const int fd : std::as_const(connected)) {
        auto client = std::make_unique<QTcpSocket>();
        QVERIFY(client->setSocketDescriptor(fd));
        client->write("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n");
        clients.push_back(std::move(client));
    }
    const auto answered = [&] {
        return std::count_if(clients.begin(), clients.end(), [](const std::unique_ptr<QTcpSocket> &client) {
            return client->peek(12) == "HTTP/1.1 200";
        });
    };
    QTRY_COMPARE_WITH_TIMEOUT(answered(), qsizetype(Clients), Timeout);
    const QList<int> noDelay = acceptedNoDelay(port);
    QCOMPARE(noDelay.size(), Clients);
    QVERIFY(std::all_of(noDelay.begin(), noDelay.end(), [](int value) { return value == 1; }));
}

void tst_EngineIOServer::nagleOnRequest()
{
    // noDelay off leaves Nagle's algorithm on the accepted connection; the connection is
    // served as usual.
    ServerOptions options;
    options.noDelay = false;
    Server server(options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(Timeout));
    client.write("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(client.peek(12), QByteArray("HTTP/1.1 200"), Timeout);
    QCOMPARE(acceptedNoDelay(server.serverPort()), QList<int>{0});
}

QTEST_GUILESS_MAIN(tst_EngineIOServer)
#include "tst_engineio_server.moc"
