// Bad and hostile input to our Engine.IO server over real loopback sockets: each request gets
// the reference server's exact answer (or a clean close), and only the offending session is
// closed, while a well-behaved client (the real Node engine.io-client) keeps exchanging messages
// with the same server.
#include "rawhttp.h"
#include "serverharness.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace Roomcast::EngineIO;

namespace {

constexpr int Timeout = 10000;

ServerOptions strictOptions()
{
    ServerOptions options;
    options.pingInterval = 300;
    options.pingTimeout = 300;
    options.upgradeTimeout = 1000;
    options.maxHttpBufferSize = 10000;
    options.requestTimeoutMs = 1000;
    options.keepAliveTimeoutMs = 1000;
    options.allowedOrigins = {QStringLiteral("http://good.example")};
    options.corsOrigins = {QStringLiteral("http://good.example")};
    options.allowRequest = [](const HandshakeRequest &request, QString *message) {
        if (!request.query().hasQueryItem(QStringLiteral("deny")))
            return true;
        *message = QStringLiteral("denied by test");
        return false;
    };
    return options;
}

QByteArray json(int code, const char *message)
{
    return R"({"code":)" + QByteArray::number(code) + R"(,"message":")" + message + R"("})";
}

//! A Qt WebSocket speaking raw Engine.IO, answering pings unless told not to.
class WsClient : public QObject
{
public:
    explicit WsClient(const QUrl &url, bool answerPings = true)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this, answerPings](const QString &text) {
            messages.append(text);
            if (answerPings && text == QLatin1String("2"))
                socket.sendTextMessage(QStringLiteral("3"));
        });
        socket.open(url);
    }
    bool waitForMessage(const QString &text, int timeoutMs = Timeout)
    {
        return QTest::qWaitFor([&] { return messages.contains(text); }, timeoutMs);
    }
    bool waitForDisconnected(int timeoutMs = Timeout)
    {
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }

    QWebSocket socket;
    QStringList messages;
};

} // namespace

class tst_EngineIOServerBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void refusedRequests_data();
    void refusedRequests();
    void preflight();
    void keepAliveAndPipelining();
    void concurrentGet();
    void concurrentPost();
    void requestsAfterUpgrade();
    void upgradeTimeout();
    void oversizedWebSocketMessage();
    void zeroLengthFragmentFlood();
    void garbageAfterUpgradeRequest();
    void hundredLineHeader();
    void neverFinishingRequest_data();
    void neverFinishingRequest();
    void clientNeverPongs();
    void pendingConnectionsCap();

private:
    quint16 port() const { return m_harness->server.serverPort(); }
    QByteArray path(const QByteArray &query) const { return "/engine.io/?" + query; }
    //! Opens a polling session with raw HTTP and returns its sid.
    QString openPollingSession(quint16 port);
    //! One message from the good client, echoed back.
    bool goodRoundTrip();
    //! The good client keeps exchanging messages until `done` holds; false on a timeout or if an
    //! exchange fails.
    bool exchangeUntil(const std::function<bool()> &done, int timeoutMs = Timeout);

    ServerHarness *m_harness = nullptr;
    NodeClients *m_clients = nullptr;
    std::shared_ptr<SessionRecord> m_good;
    int m_ticks = 0;
};

void tst_EngineIOServerBadInput::initTestCase()
{
    m_harness = new ServerHarness(strictOptions(), true, this);
    QVERIFY(m_harness->listen());
    m_clients = new NodeClients(this);
    QVERIFY2(m_clients->start(port()), qPrintable(m_clients->errorString()));
    m_clients->open(QStringLiteral("good"), m_harness->server.serverUrl());
    QVERIFY(!m_clients->waitFor(QStringLiteral("good"), QStringLiteral("upgrade")).isEmpty());
    m_good = m_harness->waitForSession(0);
    QVERIFY(m_good);
    QVERIFY(goodRoundTrip());
}

void tst_EngineIOServerBadInput::cleanupTestCase()
{
    delete m_clients;
    delete m_harness;
}

void tst_EngineIOServerBadInput::init()
{
    QVERIFY(m_good && m_good->closeReason.isEmpty());
}

void tst_EngineIOServerBadInput::cleanup()
{
    // Whatever the test did, the good client was not disturbed.
    QVERIFY(m_good->closeReason.isEmpty());
    QVERIFY(m_clients->events(QStringLiteral("good"), QStringLiteral("close")).isEmpty());
    QVERIFY(goodRoundTrip());
}

QString tst_EngineIOServerBadInput::openPollingSession(quint16 port)
{
    RawConnection connection(port);
    connection.write(Raw::request("GET", path("EIO=4&transport=polling")));
    const auto response = connection.response();
    return response ? Raw::sidOf(response->body) : QString();
}

bool tst_EngineIOServerBadInput::goodRoundTrip()
{
    const QByteArray text = "tick " + QByteArray::number(++m_ticks);
    m_clients->send(QStringLiteral("good"), text);
    return !m_clients
                ->waitFor(QStringLiteral("good"), QStringLiteral("message"), Timeout,
                          [&](const QJsonObject &message) { return message.value(QLatin1String("data")).toString().toUtf8() == text; })
                .isEmpty();
}

bool tst_EngineIOServerBadInput::exchangeUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done()) {
        if (elapsed.elapsed() > timeoutMs || !goodRoundTrip())
            return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------

void tst_EngineIOServerBadInput::refusedRequests_data()
{
    QTest::addColumn<QByteArray>("request"); // %SID% stands for the sid of a fresh polling session
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("sessionCloses"); // the reason the session closes with; empty: it stays

    const auto get = [this](const QByteArray &query, const QByteArray &headers = {}) {
        return Raw::request("GET", path(query), headers);
    };
    const auto upgrade = [this](const QByteArray &query, const QByteArray &headers = {}) {
        return Raw::upgradeRequest(path(query), headers);
    };
    const QString open;

    // The reference server's answers to a handshake.
    QTest::newRow("unknown transport") << get("EIO=4&transport=carrier-pigeon") << 400 << json(0, "Transport unknown") << open;
    QTest::newRow("transport=__proto__") << get("EIO=4&transport=__proto__") << 400 << json(0, "Transport unknown") << open;
    QTest::newRow("no transport") << get("EIO=4") << 400 << json(0, "Transport unknown") << open;
    QTest::newRow("transport twice") << get("EIO=4&transport=polling&transport=polling") << 400
                                     << json(0, "Transport unknown") << open;
    QTest::newRow("unknown sid") << get("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA") << 400
                                 << json(1, "Session ID unknown") << open;
    QTest::newRow("POST handshake") << Raw::request("POST", path("EIO=4&transport=polling"), {}, "4hi") << 400
                                    << json(2, "Bad handshake method") << open;
    QTest::newRow("PUT handshake") << Raw::request("PUT", path("EIO=4&transport=polling")) << 400
                                   << json(2, "Bad handshake method") << open;
    QTest::newRow("websocket without upgrade") << get("EIO=4&transport=websocket") << 400 << json(3, "Bad request") << open;
    QTest::newRow("EIO=3") << get("EIO=3&transport=polling") << 400 << json(5, "Unsupported protocol version") << open;
    QTest::newRow("no EIO") << get("transport=polling") << 400 << json(5, "Unsupported protocol version") << open;
    QTest::newRow("EIO=abc") << get("EIO=abc&transport=polling") << 400 << json(5, "Unsupported protocol version") << open;
    QTest::newRow("origin not allowed") << get("EIO=4&transport=polling", "Origin: http://evil.example\r\n") << 403
                                        << json(4, "Forbidden") << open;
    QTest::newRow("allowRequest refuses") << get("EIO=4&transport=polling&deny=1") << 403 << json(4, "denied by test")
                                          << open;

    // A WebSocket handshake refused: as engine.io's abortUpgrade(), 400 and the message as text.
    QTest::newRow("upgrade: unknown sid") << upgrade("EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA") << 400
                                          << QByteArray("Session ID unknown") << open;
    QTest::newRow("upgrade: EIO=3") << upgrade("EIO=3&transport=websocket") << 400
                                    << QByteArray("Unsupported protocol version") << open;
    QTest::newRow("upgrade: transport=__proto__") << upgrade("EIO=4&transport=__proto__") << 400
                                                  << QByteArray("Transport unknown") << open;
    QTest::newRow("upgrade: polling") << upgrade("EIO=4&transport=polling") << 400 << QByteArray("Bad request") << open;
    QTest::newRow("upgrade: origin not allowed") << upgrade("EIO=4&transport=websocket", "Origin: http://evil.example\r\n")
                                                 << 400 << QByteArray("Forbidden") << open;

    // HTTP itself.
    QTest::newRow("not our path") << Raw::request("GET", "/elsewhere/?EIO=4&transport=polling") << 404
                                  << QByteArray("Not Found") << open;
    QTest::newRow("malformed request line") << QByteArray("GET /engine.io/ what HTTP/1.1\r\nHost: x\r\n\r\n") << 400
                                            << QByteArray("Bad Request") << open;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /engine.io/?EIO=4&transport=polling HTTP/2.0\r\nHost: x\r\n\r\n") << 505
                              << QByteArray("HTTP Version Not Supported") << open;
    QTest::newRow("TLS on the plain port") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400
                                           << QByteArray("Bad Request") << open;
    QTest::newRow("smuggling") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"),
                                               "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")
                               << 400 << QByteArray("Bad Request") << open;

    // Requests for a session.
    QTest::newRow("binary POST") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"),
                                                 "Content-Type: application/octet-stream\r\n", "\x04\x01\x02")
                                 << 400 << json(3, "Bad request") << QStringLiteral("transport error");
    QTest::newRow("POST over maxHttpBufferSize") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), {},
                                                                 "4" + QByteArray(10000, 'x'))
                                                 << 413 << QByteArray() << open;
    QTest::newRow("chunked POST over maxHttpBufferSize")
        << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), "Transfer-Encoding: chunked\r\n",
                        "2711\r\n4" + QByteArray(10000, 'x') + "\r\n0\r\n\r\n")
        << 413 << QByteArray() << open;
    QTest::newRow("undecodable payload") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), {}, "abc")
                                         << 400 << json(3, "Bad request") << QStringLiteral("parse error");
    QTest::newRow("empty payload") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), {}, {}) << 400
                                   << json(3, "Bad request") << QStringLiteral("parse error");
    QTest::newRow("bad base64") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), {}, "b!!!") << 400
                                << json(3, "Bad request") << QStringLiteral("parse error");
    QTest::newRow("ping from the client") << Raw::request("POST", path("EIO=4&transport=polling&sid=%SID%"), {}, "2")
                                          << 200 << QByteArray("ok") << QStringLiteral("transport error");
    QTest::newRow("PUT with sid") << Raw::request("PUT", path("EIO=4&transport=polling&sid=%SID%")) << 500 << QByteArray()
                                  << open;
    QTest::newRow("websocket GET for a polling sid") << get("EIO=4&transport=websocket&sid=%SID%") << 400
                                                     << json(3, "Bad request") << open;
    QTest::newRow("origin not allowed, with sid")
        << get("EIO=4&transport=polling&sid=%SID%", "Origin: http://evil.example\r\n") << 403 << json(4, "Forbidden")
        << open;
}

void tst_EngineIOServerBadInput::refusedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, sessionCloses);

    std::shared_ptr<SessionRecord> session;
    if (request.contains("%SID%")) {
        const QString sid = openPollingSession(port());
        QVERIFY(!sid.isEmpty());
        request.replace("%SID%", sid.toLatin1());
        session = m_harness->session(sid);
        QVERIFY(session);
    }
    QSignalSpy refused(&m_harness->server, &Server::requestRefused);
    RawConnection connection(port());
    QVERIFY(connection.isConnected());
    connection.write(request);
    const auto response = connection.response();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->body, body);
    if (body.startsWith('{')) {
        QCOMPARE(response->header("content-type"), "application/json");
    }
    // The server's own refusals are reported (engine.io's "connection_error"); what a session's
    // transport refuses closes that session instead.
    if (body.startsWith('{') && !(session && !sessionCloses.isEmpty())) {
        QCOMPARE(refused.size(), 1);
        QCOMPARE(int(refused.first().at(1).value<Server::RequestError>()), QJsonDocument::fromJson(body).object().value(QLatin1String("code")).toInt());
    }
    if (session) {
        if (sessionCloses.isEmpty())
            QVERIFY2(session->closeReason.isEmpty(), qPrintable(session->closeReason));
        else
            QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, sessionCloses, Timeout);
    }
    QVERIFY(goodRoundTrip());
}

void tst_EngineIOServerBadInput::preflight()
{
    RawConnection connection(port());
    connection.write(Raw::request("OPTIONS", path("EIO=4&transport=polling"),
                                  "Origin: http://good.example\r\nAccess-Control-Request-Method: POST\r\n"
                                  "Access-Control-Request-Headers: content-type\r\n"));
    auto response = connection.response();
    QVERIFY(response);
    QCOMPARE(response->status, 204);
    QCOMPARE(response->header("access-control-allow-origin"), "http://good.example");
    QCOMPARE(response->header("access-control-allow-methods"), "GET,HEAD,PUT,PATCH,POST,DELETE");
    QCOMPARE(response->header("access-control-allow-headers"), "content-type");

    // An allowed origin gets the CORS header on the handshake too.
    connection.write(Raw::request("GET", path("EIO=4&transport=polling"), "Origin: http://good.example\r\n"));
    response = connection.response();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("access-control-allow-origin"), "http://good.example");
    QVERIFY(!Raw::sidOf(response->body).isEmpty());
}

void tst_EngineIOServerBadInput::keepAliveAndPipelining()
{
    // A handshake, then a POST and a GET written together on the same connection.
    RawConnection connection(port());
    connection.write(Raw::request("GET", path("EIO=4&transport=polling")));
    const auto open = connection.response();
    QVERIFY(open);
    const QByteArray sid = Raw::sidOf(open->body).toLatin1();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(open->header("connection"), "keep-alive");
    connection.write(Raw::request("POST", path("EIO=4&transport=polling&sid=" + sid), {}, "4one\x1e" "4two")
                     + Raw::request("GET", path("EIO=4&transport=polling&sid=" + sid)));
    const auto posted = connection.response();
    QVERIFY(posted);
    QCOMPARE(posted->status, 200);
    QCOMPARE(posted->body, "ok");
    const auto polled = connection.response();
    QVERIFY(polled);
    QCOMPARE(polled->status, 200);
    QCOMPARE(polled->body, "4one\x1e" "4two");

    // An idle keep-alive connection is closed after keepAliveTimeoutMs.
    QVERIFY(exchangeUntil([&] { return !connection.isConnected(); }));
}

void tst_EngineIOServerBadInput::concurrentGet()
{
    const QByteArray sid = openPollingSession(port()).toLatin1();
    const auto session = m_harness->session(QString::fromLatin1(sid));
    QVERIFY(session);
    RawConnection first(port());
    first.write(Raw::request("GET", path("EIO=4&transport=polling&sid=" + sid)));
    QVERIFY(goodRoundTrip()); // the first GET is held by now
    RawConnection second(port());
    second.write(Raw::request("GET", path("EIO=4&transport=polling&sid=" + sid)));
    const auto refused = second.response();
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    const auto ended = first.response();
    QVERIFY(ended);
    QCOMPARE(ended->status, 200);
    QCOMPARE(ended->body, "1"); // the close packet
    QCOMPARE(session->closeReason, QStringLiteral("transport error"));

    RawConnection after(port());
    after.write(Raw::request("GET", path("EIO=4&transport=polling&sid=" + sid)));
    const auto gone = after.response();
    QVERIFY(gone);
    QCOMPARE(gone->body, json(1, "Session ID unknown"));
}

void tst_EngineIOServerBadInput::concurrentPost()
{
    const QByteArray sid = openPollingSession(port()).toLatin1();
    const auto session = m_harness->session(QString::fromLatin1(sid));
    QVERIFY(session);
    // A POST whose body is still arriving, and a second one.
    RawConnection first(port());
    first.write("POST " + path("EIO=4&transport=polling&sid=" + sid)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n4partial");
    QVERIFY(goodRoundTrip());
    RawConnection second(port());
    second.write(Raw::request("POST", path("EIO=4&transport=polling&sid=" + sid), {}, "4second"));
    const auto refused = second.response();
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("transport error"), Timeout);
    QVERIFY(first.waitForClosed()); // the unfinished POST is dropped with its session
    QVERIFY(session->received.isEmpty());
}

void tst_EngineIOServerBadInput::requestsAfterUpgrade()
{
    const QByteArray sid = openPollingSession(port()).toLatin1();
    const auto session = m_harness->session(QString::fromLatin1(sid));
    QVERIFY(session);
    QUrl url = m_harness->server.serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/engine.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket&sid=") + QString::fromLatin1(sid));
    WsClient websocket(url);
    QTRY_COMPARE_WITH_TIMEOUT(websocket.socket.state(), QAbstractSocket::ConnectedState, Timeout);
    websocket.socket.sendTextMessage(QStringLiteral("2probe"));
    QVERIFY(websocket.waitForMessage(QStringLiteral("3probe")));
    websocket.socket.sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE_WITH_TIMEOUT(session->upgrades, 1, Timeout);

    // Polling requests for an upgraded session are refused; the session goes on.
    for (const QByteArray &request : {Raw::request("GET", path("EIO=4&transport=polling&sid=" + sid)),
                                      Raw::request("POST", path("EIO=4&transport=polling&sid=" + sid), {}, "4x")}) {
        RawConnection connection(port());
        connection.write(request);
        const auto response = connection.response();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QCOMPARE(response->body, json(3, "Bad request"));
    }
    // So is a second WebSocket: accepted, then closed at once (as the reference server).
    WsClient second(url);
    QVERIFY(second.waitForDisconnected());
    QVERIFY(second.messages.isEmpty());

    websocket.socket.sendTextMessage(QStringLiteral("4still here"));
    QVERIFY(websocket.waitForMessage(QStringLiteral("4still here")));
    QVERIFY(session->closeReason.isEmpty());
    websocket.socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("transport close"), Timeout);
}

void tst_EngineIOServerBadInput::upgradeTimeout()
{
    // A server of its own: the raw polling client here does not answer pings.
    ServerOptions options;
    options.pingInterval = 60000;
    options.upgradeTimeout = 500;
    ServerHarness harness(options);
    QVERIFY(harness.listen());
    const QByteArray sid = openPollingSession(harness.server.serverPort()).toLatin1();
    const auto session = harness.session(QString::fromLatin1(sid));
    QVERIFY(session);

    QUrl url = harness.server.serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/engine.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket&sid=") + QString::fromLatin1(sid));
    WsClient websocket(url);
    QTRY_COMPARE_WITH_TIMEOUT(websocket.socket.state(), QAbstractSocket::ConnectedState, Timeout);
    websocket.socket.sendTextMessage(QStringLiteral("2probe"));
    QVERIFY(websocket.waitForMessage(QStringLiteral("3probe")));
    // No "5": the upgrade is abandoned, the WebSocket closed, the polling session goes on.
    QVERIFY(websocket.waitForDisconnected(5000));
    QCOMPARE(session->upgrades, 0);
    QVERIFY(session->closeReason.isEmpty());
    RawConnection connection(harness.server.serverPort());
    connection.write(Raw::request("POST", path("EIO=4&transport=polling&sid=" + sid), {}, "4after"));
    const auto response = connection.response();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), 1, Timeout);
    QCOMPARE(session->received.first().data, "after");
}

void tst_EngineIOServerBadInput::oversizedWebSocketMessage()
{
    QUrl url = m_harness->server.serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/engine.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    WsClient websocket(url);
    QVERIFY(QTest::qWaitFor([&] { return !websocket.messages.isEmpty(); }, Timeout)); // the open packet
    const auto session = m_harness->sessions.last();
    websocket.socket.sendTextMessage(QStringLiteral("4") + QString(10000, u'x')); // 10001 bytes > 10000
    QVERIFY(exchangeUntil([&] { return websocket.socket.state() == QAbstractSocket::UnconnectedState; }));
    QCOMPARE(websocket.socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("transport error"), Timeout);
    QVERIFY(session->received.isEmpty());
}

void tst_EngineIOServerBadInput::zeroLengthFragmentFlood()
{
    RawConnection connection(port());
    connection.write(Raw::upgradeRequest(path("EIO=4&transport=websocket")));
    const auto switching = connection.response();
    QVERIFY(switching);
    QCOMPARE(switching->status, 101);
    QTRY_VERIFY_WITH_TIMEOUT(m_harness->sessions.size() >= 2 && m_harness->sessions.last() != m_good, Timeout);
    const auto session = m_harness->sessions.last();

    // A text message begun, then empty non-final continuation frames for as long as the
    // connection stays open.
    connection.write(Raw::frame(1, "4", false));
    QByteArray chunk;
    for (int i = 0; i < 2000; ++i)
        chunk += Raw::frame(0, {}, false);
    int chunks = 0;
    QTimer flood;
    flood.setInterval(0);
    connect(&flood, &QTimer::timeout, &connection, [&] {
        if (connection.isConnected() && chunks < 1000) {
            connection.write(chunk);
            ++chunks;
        }
    });
    flood.start();
    QVERIFY(exchangeUntil([&] { return !connection.isConnected(); }));
    flood.stop();
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("transport error"), Timeout);
    QVERIFY(session->received.isEmpty());
    QVERIFY2(chunks < 1000, "the flood was never cut off");
}

void tst_EngineIOServerBadInput::garbageAfterUpgradeRequest()
{
    const qsizetype before = m_harness->sessions.size();
    RawConnection connection(port());
    connection.write(Raw::upgradeRequest(path("EIO=4&transport=websocket")) + "\xff\xfe\xfd garbage \x00\x01\r\n\r\n");
    QVERIFY(exchangeUntil([&] { return !connection.isConnected(); }));
    // If a session was opened before the garbage was seen, it is closed already.
    for (qsizetype i = before; i < m_harness->sessions.size(); ++i)
        QTRY_VERIFY_WITH_TIMEOUT(!m_harness->sessions.at(i)->closeReason.isEmpty(), Timeout);
}

void tst_EngineIOServerBadInput::hundredLineHeader()
{
    QByteArray request = "GET " + path("EIO=4&transport=polling") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 99; ++i)
        request += "X-Line-" + QByteArray::number(i) + ": padding\r\n";
    RawConnection connection(port());
    connection.write(request + "\r\n");
    const auto response = connection.response();
    QVERIFY(response);
    QCOMPARE(response->status, 431);
    QVERIFY(exchangeUntil([&] { return !connection.isConnected(); }));

    // Same for a WebSocket handshake.
    QByteArray upgrade = Raw::upgradeRequest(path("EIO=4&transport=websocket"));
    upgrade.chop(2);
    for (int i = 0; i < 99; ++i)
        upgrade += "X-Line-" + QByteArray::number(i) + ": padding\r\n";
    RawConnection websocket(port());
    websocket.write(upgrade + "\r\n");
    const auto refused = websocket.response();
    QVERIFY(refused);
    QCOMPARE(refused->status, 431);
    QVERIFY(exchangeUntil([&] { return !websocket.isConnected(); }));
}

void tst_EngineIOServerBadInput::neverFinishingRequest_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::addColumn<int>("status"); // 0: closed without an answer
    QTest::newRow("nothing sent") << QByteArray() << 408;
    QTest::newRow("half a head") << QByteArray("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.") << 408;
    QTest::newRow("half a WebSocket handshake")
        << Raw::upgradeRequest(path("EIO=4&transport=websocket")).chopped(30) << 408;
    QTest::newRow("half a body") << QByteArray("POST /engine.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: h\r\n"
                                               "Content-Length: 10\r\n\r\n4hal")
                                 << 400; // the sid is checked before the body is read
}

void tst_EngineIOServerBadInput::neverFinishingRequest()
{
    QFETCH(QByteArray, partial);
    QFETCH(int, status);
    RawConnection connection(port());
    if (!partial.isEmpty())
        connection.write(partial);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(exchangeUntil([&] { return !connection.isConnected(); }));
    const auto response = connection.response(0);
    QVERIFY(response);
    QCOMPARE(response->status, status);
    if (status == 408)
        QVERIFY2(elapsed.elapsed() >= 900, qPrintable(QString::number(elapsed.elapsed()))); // requestTimeoutMs
}

void tst_EngineIOServerBadInput::clientNeverPongs()
{
    QUrl url = m_harness->server.serverUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/engine.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    WsClient mute(url, false);
    QVERIFY(QTest::qWaitFor([&] { return !mute.messages.isEmpty(); }, Timeout));
    const auto session = m_harness->sessions.last();
    QVERIFY(exchangeUntil([&] { return mute.socket.state() == QAbstractSocket::UnconnectedState; }));
    QCOMPARE(session->closeReason, QStringLiteral("ping timeout"));
    QCOMPARE(mute.messages.count(QStringLiteral("2")), 1);

    // And a polling client that never polls again.
    const QString sid = openPollingSession(port());
    const auto polling = m_harness->session(sid);
    QVERIFY(polling);
    QVERIFY(exchangeUntil([&] { return !polling->closeReason.isEmpty(); }));
    QCOMPARE(polling->closeReason, QStringLiteral("ping timeout"));
}

void tst_EngineIOServerBadInput::pendingConnectionsCap()
{
    ServerOptions options;
    options.maxPendingConnections = 2;
    options.requestTimeoutMs = 1000;
    ServerHarness harness(options);
    QVERIFY(harness.listen());
    const quint16 port = harness.server.serverPort();

    RawConnection silent1(port);
    RawConnection silent2(port);
    silent2.write("GET /engine.io/?EIO=4&tra"); // still pending: no whole head yet
    QVERIFY(silent1.isConnected() && silent2.isConnected());
    QVERIFY(goodRoundTrip()); // both accepted by now
    RawConnection third(port);
    const auto refused = third.response();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QVERIFY(third.waitForClosed());

    // Once the silent ones time out, connections are accepted again.
    QVERIFY(exchangeUntil([&] { return !silent1.isConnected() && !silent2.isConnected(); }));
    QVERIFY(!openPollingSession(port).isEmpty());
}

QTEST_GUILESS_MAIN(tst_EngineIOServerBadInput)
#include "tst_engineio_server_badinput.moc"
