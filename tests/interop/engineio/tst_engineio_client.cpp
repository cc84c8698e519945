// Our Engine.IO client against the real Node engine.io 6.6 server
// (tests/interop/node/engineio-server.mjs), which echoes every message back.
#include "engineio/client.h"
#include "nodepeer.h"
#include "selfsignedcert.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QSet>
#include <QTimer>

#include <memory>

using namespace Roomcast::EngineIO;

namespace {

//! How the client is configured: polling only, WebSocket only, or polling that upgrades.
enum class Mode { Polling, WebSocket, Upgrade };

constexpr int Timeout = 15000;

ClientOptions optionsFor(Mode mode)
{
    ClientOptions options;
    options.path = QStringLiteral("/engine.io/");
    switch (mode) {
    case Mode::Polling:
        options.transports = {TransportType::Polling};
        break;
    case Mode::WebSocket:
        options.transports = {TransportType::WebSocket};
        break;
    case Mode::Upgrade:
        options.transports = {TransportType::Polling, TransportType::WebSocket};
        break;
    }
    return options;
}

struct Received
{
    bool binary = false;
    QByteArray data;
    friend bool operator==(const Received &, const Received &) = default;
};

char *toString(const Received &received)
{
    return QTest::toString(QByteArray(received.binary ? "binary:" : "text:") + received.data.left(80));
}

//! A client and everything it says.
class Session
{
public:
    explicit Session(const QUrl &url, const ClientOptions &options)
        : client(url, options)
        , opened(&client, &Client::opened)
        , closed(&client, &Client::closed)
        , errors(&client, &Client::errorOccurred)
        , upgraded(&client, &Client::upgraded)
    {
        QObject::connect(&client, &Client::messageReceived, &client,
                         [this](const QByteArray &text) { received.append({false, text}); });
        QObject::connect(&client, &Client::binaryMessageReceived, &client,
                         [this](const QByteArray &bytes) { received.append({true, bytes}); });
    }

    QString closeReason() const { return closed.isEmpty() ? QString() : closed.first().first().toString(); }
    Client::Error firstError() const
    {
        return errors.isEmpty() ? Client::Error::NoError : errors.first().first().value<Client::Error>();
    }
    QString firstErrorMessage() const { return errors.isEmpty() ? QString() : errors.first().at(1).toString(); }

    Client client;
    QSignalSpy opened;
    QSignalSpy closed;
    QSignalSpy errors;
    QSignalSpy upgraded;
    QList<Received> received;
};

QString eventOf(const QJsonObject &message)
{
    return message.value(QLatin1String("event")).toString();
}

QList<QJsonObject> eventsOf(const NodePeer &peer, const QString &event)
{
    QList<QJsonObject> out;
    for (const QJsonObject &message : peer.messages())
        if (eventOf(message) == event)
            out.append(message);
    return out;
}

//! What the server printed for a message it received.
Received receivedByServer(const QJsonObject &message)
{
    const bool binary = message.value(QLatin1String("binary")).toBool();
    const QByteArray data = message.value(QLatin1String("data")).toString().toUtf8();
    return {binary, binary ? QByteArray::fromBase64(data) : data};
}

QList<Received> messagesSeenByServer(const NodePeer &peer)
{
    QList<Received> out;
    for (const QJsonObject &message : eventsOf(peer, QStringLiteral("message")))
        out.append(receivedByServer(message));
    return out;
}

//! A port on which nothing listens.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    return server.serverPort();
}

} // namespace

Q_DECLARE_METATYPE(Mode)

class tst_EngineIOClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void opens_data();
    void opens();
    void echo_data();
    void echo();
    void upgradeKeepsOrder();
    void batchingRespectsMaxPayload_data();
    void batchingRespectsMaxPayload();
    void heartbeatKeepsSessionAlive_data();
    void heartbeatKeepsSessionAlive();
    void pingTimeout_data();
    void pingTimeout();
    void serverClose_data();
    void serverClose();
    void clientClose_data();
    void clientClose();
    void closeWhileOpening_data();
    void closeWhileOpening();
    void connectionRefused_data();
    void connectionRefused();
    void invalidUrl_data();
    void invalidUrl();
    void httpError_data();
    void httpError();
    void handshakeError_data();
    void handshakeError();
    void parseError_data();
    void parseError();
    void requestTimeout_data();
    void requestTimeout();
    void extraHeadersAndQuery_data();
    void extraHeadersAndQuery();
    void tls_data();
    void tls();
    void isWritable();

private:
    void addModes();
    //! Starts the Node server with `args`.
    bool startServer(const QStringList &args = {});
    //! Opens a session in `mode` and waits until it is open (and upgraded, for Mode::Upgrade).
    std::unique_ptr<Session> openSession(Mode mode, ClientOptions options, const QString &scheme = QStringLiteral("http"));

    NodePeer *m_server = nullptr;
};

void tst_EngineIOClient::init()
{
    m_server = new NodePeer(QStringLiteral("engineio-server.mjs"), this);
}

void tst_EngineIOClient::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

void tst_EngineIOClient::addModes()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("polling") << Mode::Polling;
    QTest::newRow("websocket") << Mode::WebSocket;
    QTest::newRow("upgrade") << Mode::Upgrade;
}

bool tst_EngineIOClient::startServer(const QStringList &args)
{
    if (m_server->start(args))
        return true;
    qWarning().noquote() << m_server->errorString();
    return false;
}

std::unique_ptr<Session> tst_EngineIOClient::openSession(Mode mode, ClientOptions options, const QString &scheme)
{
    auto session = std::make_unique<Session>(m_server->url(scheme), options);
    session->client.open();
    if (!QTest::qWaitFor([&] { return !session->opened.isEmpty() || !session->closed.isEmpty(); }, Timeout)
        || session->opened.isEmpty()) {
        qWarning().noquote() << "the session did not open:" << session->firstErrorMessage();
        return nullptr;
    }
    if (mode == Mode::Upgrade
        && (!QTest::qWaitFor([&] { return !session->upgraded.isEmpty(); }, Timeout)
            || session->client.transport() != TransportType::WebSocket)) {
        qWarning() << "the session did not upgrade";
        return nullptr;
    }
    return session;
}

// ---------------------------------------------------------------------------------------------

void tst_EngineIOClient::opens_data()
{
    addModes();
}

void tst_EngineIOClient::opens()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    Session session(m_server->url(), optionsFor(mode));
    QCOMPARE(session.client.state(), Client::State::Closed);
    session.client.open();
    QCOMPARE(session.client.state(), Client::State::Opening);
    QTRY_COMPARE_WITH_TIMEOUT(session.opened.size(), 1, Timeout);
    QCOMPARE(session.client.state(), Client::State::Open);
    QCOMPARE(session.client.error(), Client::Error::NoError);

    const QJsonObject connection = m_server->waitForEvent(QStringLiteral("connection"));
    QCOMPARE(session.client.handshake().sid, connection.value(QLatin1String("id")).toString());
    QCOMPARE(session.client.handshake().pingInterval, 25000);
    QCOMPARE(session.client.handshake().pingTimeout, 20000);
    QCOMPARE(session.client.handshake().maxPayload, 1000000);
    QCOMPARE(connection.value(QLatin1String("transport")).toString(),
             mode == Mode::WebSocket ? QStringLiteral("websocket") : QStringLiteral("polling"));

    if (mode == Mode::Upgrade) {
        QTRY_COMPARE_WITH_TIMEOUT(session.upgraded.size(), 1, Timeout);
        QCOMPARE(session.client.transport(), TransportType::WebSocket);
        const QJsonObject upgrade = m_server->waitForEvent(QStringLiteral("upgrade"));
        QCOMPARE(upgrade.value(QLatin1String("transport")).toString(), QStringLiteral("websocket"));
        QCOMPARE(upgrade.value(QLatin1String("id")).toString(), session.client.handshake().sid);
    }

    // A round trip, after which a polling-only client would long since have probed if it were to.
    session.client.send("ping?");
    QTRY_COMPARE_WITH_TIMEOUT(session.received.size(), 1, Timeout);
    QCOMPARE(session.received.first(), (Received{false, "ping?"}));

    const auto requests = eventsOf(*m_server, QStringLiteral("request"));
    const qsizetype upgradeRequests = std::count_if(requests.begin(), requests.end(), [](const QJsonObject &request) {
        return request.value(QLatin1String("upgrade")).toBool();
    });
    switch (mode) {
    case Mode::Polling:
        QCOMPARE(upgradeRequests, 0);
        QCOMPARE(session.upgraded.size(), 0);
        QCOMPARE(session.client.transport(), TransportType::Polling);
        break;
    case Mode::WebSocket:
        QCOMPARE(upgradeRequests, requests.size()); // not one polling request
        QCOMPARE(session.client.transport(), TransportType::WebSocket);
        break;
    case Mode::Upgrade:
        QCOMPARE(upgradeRequests, 1);
        break;
    }
    QCOMPARE(session.errors.size(), 0);
    QCOMPARE(session.closed.size(), 0);
}

void tst_EngineIOClient::echo_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("data");

    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QByteArray megabyte(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < megabyte.size(); ++i)
        megabyte[i] = char((i * 7919) >> 3);

    const struct
    {
        const char *name;
        bool binary;
        QByteArray data;
    } payloads[] = {
        {"ascii", false, "hello world"},
        {"utf-8", false, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x80\x94 \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x8e\x89"},
        {"empty text", false, QByteArray()},
        {"text like v3 separators", false, "2:b4|c:4"},
        {"every byte", true, everyByte},
        {"empty binary", true, QByteArray()},
        {"1 MB binary", true, megabyte},
    };
    const struct
    {
        const char *name;
        Mode mode;
    } modes[] = {{"polling", Mode::Polling}, {"websocket", Mode::WebSocket}, {"upgrade", Mode::Upgrade}};
    for (const auto &mode : modes)
        for (const auto &payload : payloads)
            QTest::addRow("%s: %s", mode.name, payload.name) << mode.mode << payload.binary << payload.data;
}

void tst_EngineIOClient::echo()
{
    QFETCH(Mode, mode);
    QFETCH(bool, binary);
    QFETCH(QByteArray, data);
    // 1 MB travels as 1.4 MB of base64 over polling; the default maxHttpBufferSize is 1e6.
    QVERIFY(startServer({QStringLiteral("--max-payload"), QStringLiteral("3000000")}));
    auto session = openSession(mode, optionsFor(mode));
    QVERIFY(session);

    if (binary)
        session->client.sendBinary(data);
    else
        session->client.send(data);
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), 1, Timeout);
    QCOMPARE(session->received.first().binary, binary);
    QCOMPARE(session->received.first().data.size(), data.size());
    QVERIFY(session->received.first().data == data);

    const QJsonObject seen = m_server->waitForEvent(QStringLiteral("message"));
    QCOMPARE(seen.value(QLatin1String("binary")).toBool(), binary);
    QCOMPARE(seen.value(QLatin1String("length")).toInteger(), data.size());
    if (seen.contains(QLatin1String("sha256")))
        QCOMPARE(seen.value(QLatin1String("sha256")).toString().toLatin1(),
                 QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    else
        QCOMPARE(receivedByServer(seen), (Received{binary, data}));
    QCOMPARE(session->errors.size(), 0);
}

void tst_EngineIOClient::upgradeKeepsOrder()
{
    QVERIFY(startServer());
    Session session(m_server->url(), optionsFor(Mode::Upgrade));

    // Messages go out before the upgrade starts (a burst when the session opens), while it runs
    // (one batch per event-loop pass, some as groups), and after it, until 50 have followed it.
    QList<Received> sent;
    int sentBeforeUpgrade = -1;
    const auto sendOne = [&] {
        const int i = int(sent.size());
        const QByteArray text = "message " + QByteArray::number(i);
        if (i % 10 == 9) {
            const QList<Packet> group{Packet::message(text), Packet::binaryMessage(QByteArray::number(i) + "-a"),
                                      Packet::binaryMessage(QByteArray::number(i) + "-b")};
            session.client.sendPackets(group);
            sent << Received{false, text} << Received{true, QByteArray::number(i) + "-a"}
                 << Received{true, QByteArray::number(i) + "-b"};
        } else if (i % 7 == 3) {
            session.client.sendBinary(text);
            sent << Received{true, text};
        } else {
            session.client.send(text);
            sent << Received{false, text};
        }
    };
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (!session.upgraded.isEmpty() && sentBeforeUpgrade < 0)
            sentBeforeUpgrade = int(sent.size());
        if (sentBeforeUpgrade >= 0 && sent.size() >= sentBeforeUpgrade + 50) {
            ticker.stop();
            return;
        }
        sendOne();
    });
    connect(&session.client, &Client::opened, this, [&] {
        for (int i = 0; i < 100; ++i)
            sendOne();
        ticker.start();
    });

    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.upgraded.size(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!ticker.isActive(), Timeout);
    QVERIFY2(sentBeforeUpgrade > 100, "no message was sent while the upgrade ran");
    QTRY_COMPARE_WITH_TIMEOUT(session.received.size(), sent.size(), Timeout);
    QCOMPARE(session.received, sent);
    QTRY_COMPARE_WITH_TIMEOUT(messagesSeenByServer(*m_server).size(), sent.size(), Timeout);
    QCOMPARE(messagesSeenByServer(*m_server), sent);
    QVERIFY(!m_server->waitForEvent(QStringLiteral("upgrade")).isEmpty());
    QCOMPARE(session.errors.size(), 0);
    QCOMPARE(session.closed.size(), 0);
}

void tst_EngineIOClient::batchingRespectsMaxPayload_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("polling") << Mode::Polling;
    QTest::newRow("upgrade") << Mode::Upgrade;
}

void tst_EngineIOClient::batchingRespectsMaxPayload()
{
    QFETCH(Mode, mode);
    constexpr int maxPayload = 100;
    QVERIFY(startServer({QStringLiteral("--max-payload"), QString::number(maxPayload)}));
    Session session(m_server->url(), optionsFor(mode));

    // Queued before the handshake is answered, so that they all wait for the first POST.
    session.client.open();
    QList<Received> sent;
    for (int i = 0; i < 60; ++i) {
        const QByteArray text = QByteArray::number(i) + ':' + QByteArray(i, 'x');
        session.client.send(text);
        sent << Received{false, text};
    }
    // A group too large for one POST (3 x 42 bytes) is cut between its packets.
    const QList<Packet> group{Packet::message(QByteArray(40, 'a')), Packet::message(QByteArray(40, 'b')),
                              Packet::message(QByteArray(40, 'c'))};
    session.client.sendPackets(group);
    sent << Received{false, QByteArray(40, 'a')} << Received{false, QByteArray(40, 'b')}
         << Received{false, QByteArray(40, 'c')};
    session.client.sendBinary(QByteArray(30, '\xff'));
    sent << Received{true, QByteArray(30, '\xff')};
    QTRY_COMPARE_WITH_TIMEOUT(session.received.size(), sent.size(), Timeout);
    QCOMPARE(session.received, sent);
    QCOMPARE(messagesSeenByServer(*m_server), sent);

    int posts = 0;
    for (const QJsonObject &request : eventsOf(*m_server, QStringLiteral("request"))) {
        if (request.value(QLatin1String("method")).toString() != QLatin1String("POST"))
            continue;
        ++posts;
        QVERIFY2(request.value(QLatin1String("length")).toInt() <= maxPayload,
                 qPrintable(QStringLiteral("a POST of %1 bytes").arg(request.value(QLatin1String("length")).toInt())));
    }
    // Over polling alone the 1.9 kB take at least 20 POSTs; an upgrading session moves to the
    // WebSocket as soon as it can.
    const int minimumPosts = mode == Mode::Polling ? 20 : 1;
    QVERIFY2(posts >= minimumPosts, qPrintable(QStringLiteral("only %1 POSTs").arg(posts)));
    QCOMPARE(session.errors.size(), 0);
    QCOMPARE(session.closed.size(), 0);
}

void tst_EngineIOClient::heartbeatKeepsSessionAlive_data()
{
    addModes();
}

void tst_EngineIOClient::heartbeatKeepsSessionAlive()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer({QStringLiteral("--ping-interval"), QStringLiteral("200"), QStringLiteral("--ping-timeout"),
                         QStringLiteral("200")}));
    auto session = openSession(mode, optionsFor(mode));
    QVERIFY(session);
    QCOMPARE(session->client.handshake().pingInterval, 200);
    QCOMPARE(session->client.handshake().pingTimeout, 200);

    // Each heartbeat is a pong the server received in time; five are a second of pinging.
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf(*m_server, QStringLiteral("heartbeat")).size() >= 5, Timeout);
    QCOMPARE(eventsOf(*m_server, QStringLiteral("close")).size(), 0);
    QCOMPARE(session->closed.size(), 0);
    QCOMPARE(session->client.state(), Client::State::Open);

    session->client.send("still there");
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), 1, Timeout);
}

void tst_EngineIOClient::pingTimeout_data()
{
    addModes();
}

void tst_EngineIOClient::pingTimeout()
{
    QFETCH(Mode, mode);
    constexpr int pingInterval = 200;
    constexpr int pingTimeout = 300;
    QVERIFY(startServer({QStringLiteral("--ping-interval"), QString::number(pingInterval),
                         QStringLiteral("--ping-timeout"), QString::number(pingTimeout)}));
    auto session = openSession(mode, optionsFor(mode));
    QVERIFY(session);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf(*m_server, QStringLiteral("heartbeat")).isEmpty(), Timeout);

    m_server->send({{QStringLiteral("cmd"), QStringLiteral("stop-pinging")}});
    QVERIFY(!m_server->waitForEvent(QStringLiteral("done")).isEmpty());
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_COMPARE_WITH_TIMEOUT(session->closed.size(), 1, Timeout);
    // The last ping came at most pingInterval before the server went silent.
    QVERIFY2(elapsed.elapsed() <= pingInterval + pingTimeout + 1000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(session->closeReason(), QStringLiteral("ping timeout"));
    QCOMPARE(session->errors.size(), 1);
    QCOMPARE(session->firstError(), Client::Error::PingTimeout);
    QCOMPARE(session->client.error(), Client::Error::PingTimeout);
    QVERIFY(!session->client.errorString().isEmpty());
    QCOMPARE(session->client.state(), Client::State::Closed);
}

void tst_EngineIOClient::serverClose_data()
{
    addModes();
}

void tst_EngineIOClient::serverClose()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    auto session = openSession(mode, optionsFor(mode));
    QVERIFY(session);

    m_server->send({{QStringLiteral("cmd"), QStringLiteral("close")}});
    QTRY_COMPARE_WITH_TIMEOUT(session->closed.size(), 1, Timeout);
    QCOMPARE(session->closeReason(), QStringLiteral("transport close"));
    QCOMPARE(session->errors.size(), 0);
    QCOMPARE(session->client.state(), Client::State::Closed);
    QCOMPARE(session->client.error(), Client::Error::NoError);
}

void tst_EngineIOClient::clientClose_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<bool>("waitForUpgrade");
    QTest::newRow("polling") << Mode::Polling << false;
    QTest::newRow("websocket") << Mode::WebSocket << false;
    QTest::newRow("upgrade under way") << Mode::Upgrade << false;
    QTest::newRow("upgraded") << Mode::Upgrade << true;
}

void tst_EngineIOClient::clientClose()
{
    QFETCH(Mode, mode);
    QFETCH(bool, waitForUpgrade);
    QVERIFY(startServer());
    Session session(m_server->url(), optionsFor(mode));
    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.opened.size(), 1, Timeout);
    if (waitForUpgrade)
        QTRY_COMPARE_WITH_TIMEOUT(session.upgraded.size(), 1, Timeout);

    // What was sent before close() still goes out, ahead of the close packet.
    QList<Received> sent;
    for (int i = 0; i < 5; ++i) {
        session.client.send("bye " + QByteArray::number(i));
        sent << Received{false, "bye " + QByteArray::number(i)};
    }
    session.client.close();
    // A WebSocket may finish closing before close() returns; polling waits for its last POST.
    QVERIFY(session.client.state() == Client::State::Closing || session.client.state() == Client::State::Closed);
    session.client.send("too late");
    QVERIFY(!session.client.isWritable());

    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QCOMPARE(session.closeReason(), QStringLiteral("forced close"));
    QCOMPARE(session.errors.size(), 0);
    QCOMPARE(session.client.state(), Client::State::Closed);

    const QJsonObject closed = m_server->waitForEvent(QStringLiteral("close"), Timeout);
    QVERIFY2(closed.value(QLatin1String("reason")).toString() == QLatin1String("transport close"),
             QJsonDocument(closed).toJson().constData());
    QCOMPARE(closed.value(QLatin1String("id")).toString(), session.client.handshake().sid);
    QCOMPARE(messagesSeenByServer(*m_server), sent);

    // Over polling the close packet travels alone, after the POSTs before it were answered, as
    // engine.io-client sends it (socket.io would let it overtake packets in the same payload).
    if (session.client.transport() == TransportType::Polling) {
        QJsonObject lastPost;
        for (const QJsonObject &request : eventsOf(*m_server, QStringLiteral("request")))
            if (request.value(QLatin1String("method")).toString() == QLatin1String("POST"))
                lastPost = request;
        QCOMPARE(lastPost.value(QLatin1String("length")).toInt(), 1);
    }
}

void tst_EngineIOClient::closeWhileOpening_data()
{
    addModes();
}

void tst_EngineIOClient::closeWhileOpening()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    Session session(m_server->url(), optionsFor(mode));
    session.client.open();
    session.client.close();
    QCOMPARE(session.closed.size(), 1);
    QCOMPARE(session.closeReason(), QStringLiteral("forced close"));
    QCOMPARE(session.client.state(), Client::State::Closed);

    // Nothing more is heard of that attempt, and the client can open again.
    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.opened.size(), 1, Timeout);
    QCOMPARE(session.closed.size(), 1);
    QCOMPARE(session.errors.size(), 0);
}

void tst_EngineIOClient::connectionRefused_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("polling") << Mode::Polling;
    QTest::newRow("websocket") << Mode::WebSocket;
}

void tst_EngineIOClient::connectionRefused()
{
    QFETCH(Mode, mode);
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    Session session(url, optionsFor(mode));
    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QCOMPARE(session.closeReason(), QStringLiteral("transport error"));
    QCOMPARE(session.errors.size(), 1);
    QCOMPARE(session.firstError(), Client::Error::ConnectionError);
    QVERIFY2(session.firstErrorMessage().contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(session.firstErrorMessage()));
    QCOMPARE(session.opened.size(), 0);
}

void tst_EngineIOClient::invalidUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::newRow("unknown scheme") << QUrl(QStringLiteral("ftp://127.0.0.1:1/"));
    QTest::newRow("no host") << QUrl(QStringLiteral("http:///socket"));
}

void tst_EngineIOClient::invalidUrl()
{
    QFETCH(QUrl, url);
    Session session(url, optionsFor(Mode::Upgrade));
    session.client.open();
    QCOMPARE(session.closed.size(), 0); // reported from the event loop, not from open()
    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QCOMPARE(session.closeReason(), QStringLiteral("transport error"));
    QCOMPARE(session.firstError(), Client::Error::ConnectionError);
    QCOMPARE(session.client.state(), Client::State::Closed);
}

void tst_EngineIOClient::httpError_data()
{
    QTest::addColumn<QStringList>("serverArgs");
    QTest::addColumn<bool>("forgetSession");
    QTest::addColumn<QString>("serverMessage");
    QTest::newRow("transport not allowed") << QStringList{QStringLiteral("--transports"), QStringLiteral("websocket")}
                                           << false << QStringLiteral("Transport unknown");
    QTest::newRow("unknown session") << QStringList() << true << QStringLiteral("Session ID unknown");
}

void tst_EngineIOClient::httpError()
{
    QFETCH(QStringList, serverArgs);
    QFETCH(bool, forgetSession);
    QFETCH(QString, serverMessage);
    QVERIFY(startServer(serverArgs));
    Session session(m_server->url(), optionsFor(Mode::Polling));
    session.client.open();
    if (forgetSession) {
        QTRY_COMPARE_WITH_TIMEOUT(session.opened.size(), 1, Timeout);
        m_server->send({{QStringLiteral("cmd"), QStringLiteral("forget")}});
        QVERIFY(!m_server->waitForEvent(QStringLiteral("done")).isEmpty());
        session.client.send("anyone there?");
    }
    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QCOMPARE(session.closeReason(), QStringLiteral("transport error"));
    QCOMPARE(session.firstError(), Client::Error::HttpError);
    QVERIFY2(session.firstErrorMessage().contains(serverMessage), qPrintable(session.firstErrorMessage()));
    QVERIFY2(session.firstErrorMessage().contains(QLatin1String("400")), qPrintable(session.firstErrorMessage()));
}

void tst_EngineIOClient::handshakeError_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("open packet without sid") << QStringLiteral("/bad-handshake/");
    QTest::newRow("not a payload") << QStringLiteral("/garbage/");
}

void tst_EngineIOClient::handshakeError()
{
    QFETCH(QString, path);
    QVERIFY(startServer());
    ClientOptions options = optionsFor(Mode::Polling);
    options.path = path;
    Session session(m_server->url(), options);
    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QCOMPARE(session.closeReason(), QStringLiteral("parse error"));
    QCOMPARE(session.firstError(), Client::Error::HandshakeError);
    QCOMPARE(session.opened.size(), 0);
}

void tst_EngineIOClient::parseError_data()
{
    addModes();
}

void tst_EngineIOClient::parseError()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    auto session = openSession(mode, optionsFor(mode));
    QVERIFY(session);
    m_server->send({{QStringLiteral("cmd"), QStringLiteral("raw")}, {QStringLiteral("data"), QStringLiteral("9garbage")}});
    QTRY_COMPARE_WITH_TIMEOUT(session->closed.size(), 1, Timeout);
    QCOMPARE(session->closeReason(), QStringLiteral("parse error"));
    QCOMPARE(session->firstError(), Client::Error::ParseError);
}

void tst_EngineIOClient::requestTimeout_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("polling") << Mode::Polling;
    QTest::newRow("websocket") << Mode::WebSocket;
}

void tst_EngineIOClient::requestTimeout()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    ClientOptions options = optionsFor(mode);
    options.path = QStringLiteral("/hang/");
    options.requestTimeoutMs = 300;
    Session session(m_server->url(), options);
    QElapsedTimer elapsed;
    elapsed.start();
    session.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
    QVERIFY2(elapsed.elapsed() < 300 + 2000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(session.closeReason(), QStringLiteral("transport error"));
    QCOMPARE(session.firstError(), Client::Error::ConnectionError);
    QVERIFY2(session.firstErrorMessage().contains(QLatin1String("timed out")), qPrintable(session.firstErrorMessage()));
}

void tst_EngineIOClient::extraHeadersAndQuery_data()
{
    addModes();
}

void tst_EngineIOClient::extraHeadersAndQuery()
{
    QFETCH(Mode, mode);
    QVERIFY(startServer());
    ClientOptions options = optionsFor(mode);
    options.extraHeaders = {{"X-Roomcast-Test", "hello"}, {"Authorization", "Bearer not-logged"}};
    options.query.addQueryItem(QStringLiteral("room"), QStringLiteral("a+b c&d=e/\xe9"));
    options.query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("3")); // ours: ignored
    QUrl url = m_server->url();
    url.setQuery(QStringLiteral("from=url"));

    auto session = std::make_unique<Session>(url, options);
    session->client.open();
    QTRY_COMPARE_WITH_TIMEOUT(session->opened.size(), 1, Timeout);
    if (mode == Mode::Upgrade)
        QTRY_COMPARE_WITH_TIMEOUT(session->upgraded.size(), 1, Timeout);
    session->client.send("hi");
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), 1, Timeout);

    const auto requests = eventsOf(*m_server, QStringLiteral("request"));
    QSet<QString> kinds;
    for (const QJsonObject &request : requests) {
        const bool upgrade = request.value(QLatin1String("upgrade")).toBool();
        kinds.insert(upgrade ? QStringLiteral("upgrade") : request.value(QLatin1String("method")).toString());
        const QJsonObject headers = request.value(QLatin1String("headers")).toObject();
        const QJsonObject query = request.value(QLatin1String("query")).toObject();
        QCOMPARE(headers.value(QLatin1String("x-roomcast-test")).toString(), QStringLiteral("hello"));
        QCOMPARE(headers.value(QLatin1String("authorization")).toString(), QStringLiteral("Bearer not-logged"));
        QCOMPARE(query.value(QLatin1String("room")).toString(), QStringLiteral("a+b c&d=e/\xe9"));
        QCOMPARE(query.value(QLatin1String("from")).toString(), QStringLiteral("url"));
        QCOMPARE(query.value(QLatin1String("EIO")).toString(), QStringLiteral("4"));
        QCOMPARE(query.value(QLatin1String("transport")).toString(),
                 upgrade ? QStringLiteral("websocket") : QStringLiteral("polling"));
    }
    switch (mode) {
    case Mode::Polling:
        QCOMPARE(kinds, (QSet<QString>{QStringLiteral("GET"), QStringLiteral("POST")}));
        break;
    case Mode::WebSocket:
        QCOMPARE(kinds, (QSet<QString>{QStringLiteral("upgrade")}));
        break;
    case Mode::Upgrade:
        QCOMPARE(kinds, (QSet<QString>{QStringLiteral("GET"), QStringLiteral("upgrade")}));
        break;
    }
}

void tst_EngineIOClient::tls_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<bool>("trusted");
    const struct
    {
        const char *name;
        Mode mode;
    } modes[] = {{"polling", Mode::Polling}, {"websocket", Mode::WebSocket}, {"upgrade", Mode::Upgrade}};
    for (const auto &mode : modes) {
        QTest::addRow("%s: untrusted", mode.name) << mode.mode << false;
        QTest::addRow("%s: CA added", mode.name) << mode.mode << true;
    }
}

void tst_EngineIOClient::tls()
{
    QFETCH(Mode, mode);
    QFETCH(bool, trusted);
    const SelfSignedCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    QVERIFY(startServer({QStringLiteral("--tls-cert"), certificate.certificatePath(), QStringLiteral("--tls-key"),
                         certificate.keyPath()}));

    ClientOptions options = optionsFor(mode);
    if (trusted)
        options.sslConfiguration.addCaCertificate(certificate.certificate());
    const QString scheme = mode == Mode::WebSocket ? QStringLiteral("wss") : QStringLiteral("https");

    if (!trusted) {
        Session session(m_server->url(scheme), options);
        session.client.open();
        QTRY_COMPARE_WITH_TIMEOUT(session.closed.size(), 1, Timeout);
        QCOMPARE(session.closeReason(), QStringLiteral("transport error"));
        QCOMPARE(session.firstError(), Client::Error::SslError);
        QVERIFY2(session.firstErrorMessage().contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
                 qPrintable(session.firstErrorMessage()));
        QCOMPARE(session.opened.size(), 0);
        return;
    }

    auto session = openSession(mode, options, scheme);
    QVERIFY(session);
    session->client.send("secret");
    session->client.sendBinary(QByteArray("\x00\x01\x02", 3));
    QTRY_COMPARE_WITH_TIMEOUT(session->received.size(), 2, Timeout);
    QCOMPARE(session->received.at(0), (Received{false, "secret"}));
    QCOMPARE(session->received.at(1), (Received{true, QByteArray("\x00\x01\x02", 3)}));
    QCOMPARE(session->errors.size(), 0);
}

void tst_EngineIOClient::isWritable()
{
    QVERIFY(startServer());
    Session polling(m_server->url(), optionsFor(Mode::Polling));
    QVERIFY(!polling.client.isWritable());
    polling.client.open();
    QVERIFY(!polling.client.isWritable());
    QTRY_COMPARE_WITH_TIMEOUT(polling.opened.size(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(polling.client.isWritable(), Timeout);
    polling.client.send("one"); // a POST is in flight ...
    QVERIFY(!polling.client.isWritable());
    polling.client.send("two"); // ... so this one waits for it
    QTRY_VERIFY_WITH_TIMEOUT(polling.client.isWritable(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(polling.received.size(), 2, Timeout);

    Session websocket(m_server->url(), optionsFor(Mode::WebSocket));
    websocket.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(websocket.opened.size(), 1, Timeout);
    QVERIFY(websocket.client.isWritable());
    websocket.client.send("one");
    QVERIFY(websocket.client.isWritable());
    websocket.client.close();
    QVERIFY(!websocket.client.isWritable());
}

QTEST_MAIN(tst_EngineIOClient)
#include "tst_engineio_client.moc"
