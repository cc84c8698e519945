// A TCP proxy (faultyproxy.h) between our Socket.IO client and a server — ours in process, or
// the real Node socket.io 4.8 server (tests/interop/node/socketio-server.mjs) — that cuts,
// stalls and slows the link while the server broadcasts a numbered tick every 25 ms. The
// client notices within the heartbeat window (pingInterval + pingTimeout), reconnects within
// the back-off maximum plus a second, and with connection state recovery it gets every tick
// exactly once, in order. Then the chat layer: a message whose ack is lost with the connection
// is sent again, and stored and relayed once.
#include "chat/chatclient.h"
#include "server/chatserver.h"
#include "socketio/client.h"
#include "socketio/server.h"

#include "faultyproxy.h"
#include "nodepeer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <numeric>

using namespace Roomcast;
using namespace std::chrono_literals;

namespace {

constexpr int PingInterval = 400;
constexpr int PingTimeout = 300;
// Timers and a busy machine: what "within" allows beyond the figure it names.
constexpr int Slack = 700;
constexpr int TickMs = 25;

enum class Fault { Cut, Stall, Slow };
enum class Peer { Ours, Node };

} // namespace

Q_DECLARE_METATYPE(Fault)
Q_DECLARE_METATYPE(Peer)
Q_DECLARE_METATYPE(Roomcast::EngineIO::TransportType)

class tst_ProxyFaults : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void recoversThroughFaults_data();
    void recoversThroughFaults();
    void disconnectionLongerThanTheWindowIsNotRecovered();
    void messageWhoseAckWasLostIsStoredOnce();
    void messagesWrittenOfflineAllGoOutInOrder();

private:
    //! Starts the server of `peer` with a short heartbeat and recovery; returns its port.
    quint16 startServer(Peer peer, qint64 maxDisconnectionDurationMs = 10000);
    void emitTick(int n);
    //! Logs `sender` in through the proxy and `reader` straight to `server`, both into "lobby".
    void joinLobby(Chat::ChatClient &sender, Chat::ChatClient &reader, const Server::ChatServer &server);

    std::unique_ptr<SocketIO::Server> m_ours;
    std::unique_ptr<NodePeer> m_node;
    std::unique_ptr<FaultyProxy> m_proxy;
    std::unique_ptr<SocketIO::Manager> m_manager;
};

void tst_ProxyFaults::cleanup()
{
    m_manager.reset();
    m_proxy.reset();
    m_ours.reset();
    m_node.reset();
}

quint16 tst_ProxyFaults::startServer(Peer peer, qint64 maxDisconnectionDurationMs)
{
    if (peer == Peer::Node) {
        m_node = std::make_unique<NodePeer>(QStringLiteral("socketio-server.mjs"));
        if (!m_node->start({QStringLiteral("--recovery"), QStringLiteral("--ping-interval"), QString::number(PingInterval),
                            QStringLiteral("--ping-timeout"), QString::number(PingTimeout)})) {
            qWarning("%s", qPrintable(m_node->errorString()));
            return 0;
        }
        return m_node->port();
    }
    SocketIO::ServerOptions options;
    options.engine.pingInterval = PingInterval;
    options.engine.pingTimeout = PingTimeout;
    options.connectionStateRecovery.enabled = true;
    options.connectionStateRecovery.maxDisconnectionDurationMs = maxDisconnectionDurationMs;
    m_ours = std::make_unique<SocketIO::Server>(options);
    return m_ours->listen(QHostAddress::LocalHost, 0) ? m_ours->serverPort() : 0;
}

void tst_ProxyFaults::emitTick(int n)
{
    if (m_ours)
        m_ours->emitEvent(QStringLiteral("tick"), {n});
    else
        m_node->send({{QStringLiteral("cmd"), QStringLiteral("emit")}, {QStringLiteral("event"), QStringLiteral("tick")},
                      {QStringLiteral("args"), QJsonArray{n}}});
}

void tst_ProxyFaults::joinLobby(Chat::ChatClient &sender, Chat::ChatClient &reader, const Server::ChatServer &server)
{
    QSignalSpy senderIn(&sender, &Chat::ChatClient::loggedIn);
    QSignalSpy readerIn(&reader, &Chat::ChatClient::loggedIn);
    sender.connectToServer(m_proxy->url(), {}, QStringLiteral("sender"));
    reader.connectToServer(server.serverUrl(), {}, QStringLiteral("reader"));
    QTRY_COMPARE_WITH_TIMEOUT(senderIn.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(readerIn.size(), 1, 10000);
    int joined = 0;
    for (Chat::ChatClient *client : {&sender, &reader})
        client->joinRoom(QStringLiteral("lobby"), this, [&joined](const Chat::Reply &reply) { joined += reply.ok; });
    QTRY_COMPARE_WITH_TIMEOUT(joined, 2, 5000);
}

void tst_ProxyFaults::recoversThroughFaults_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<QList<EngineIO::TransportType>>("transports");
    const QList<EngineIO::TransportType> upgrade{EngineIO::TransportType::Polling, EngineIO::TransportType::WebSocket};
    const QList<EngineIO::TransportType> polling{EngineIO::TransportType::Polling};
    for (const auto &[peer, name] : {std::pair{Peer::Ours, "ours"}, std::pair{Peer::Node, "node"}}) {
        QTest::addRow("%s: cut", name) << peer << Fault::Cut << upgrade;
        QTest::addRow("%s: stall", name) << peer << Fault::Stall << upgrade;
        QTest::addRow("%s: stall, polling", name) << peer << Fault::Stall << polling;
        QTest::addRow("%s: slow", name) << peer << Fault::Slow << upgrade;
    }
}

void tst_ProxyFaults::recoversThroughFaults()
{
    QFETCH(Peer, peer);
    QFETCH(Fault, fault);
    QFETCH(QList<EngineIO::TransportType>, transports);
    const quint16 port = startServer(peer);
    QVERIFY(port);
    m_proxy = std::make_unique<FaultyProxy>(port);
    QVERIFY(m_proxy->listen());

    SocketIO::ManagerOptions options; // socket.io-client's back-off: 1000 ms doubling to 5000, ±50 %
    options.engine.transports = transports;
    m_manager = std::make_unique<SocketIO::Manager>(m_proxy->url(), options);
    SocketIO::Socket *socket = m_manager->socket();
    QList<int> ticks;
    connect(socket, &SocketIO::Socket::eventReceived, this, [&ticks](const QString &event, const QVariantList &args) {
        if (event == QLatin1String("tick"))
            ticks.append(args.value(0).toInt());
    });
    QSignalSpy connected(socket, &SocketIO::Socket::connected);
    QSignalSpy disconnected(socket, &SocketIO::Socket::disconnected);
    socket->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
    const EngineIO::TransportType final = transports.last();
    QTRY_COMPARE_WITH_TIMEOUT(m_manager->engine()->transport(), final, 5000);
    const QString firstId = socket->id();

    int next = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { emitTick(next++); });
    ticker.start(TickMs);
    QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 10, 5000);

    QElapsedTimer sinceFault;
    sinceFault.start();
    switch (fault) {
    case Fault::Cut:
        m_proxy->cut();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Slack);
        QVERIFY2(QStringList({QStringLiteral("transport close"), QStringLiteral("transport error")})
                     .contains(disconnected.first().at(0).toString()),
                 qPrintable(disconnected.first().at(0).toString()));
        break;
    case Fault::Stall:
        m_proxy->stall();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, PingInterval + PingTimeout + Slack);
        QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("ping timeout"));
        break;
    case Fault::Slow: {
        // 100 ms each way, 16 KB/s: the heartbeat's round trip stays inside pingTimeout, so the
        // session lives through it, a little late.
        m_proxy->setSlow(100, 16000);
        const int before = int(ticks.size());
        QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= before + 40, 5000);
        QCOMPARE(disconnected.size(), 0);
        m_proxy->setSlow(0, 0);
        break;
    }
    }
    const qint64 noticedAfter = sinceFault.elapsed();

    if (fault != Fault::Slow) {
        // Back in at most the back-off maximum (plus the time to connect), with the same id.
        QElapsedTimer sinceDrop;
        sinceDrop.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, options.reconnectionDelayMaxMs + 1000);
        QVERIFY(socket->isRecovered());
        QCOMPARE(socket->id(), firstId);
        qInfo("noticed after %lld ms, back after %lld ms", noticedAfter, sinceDrop.elapsed());
    }

    // Some more ticks on the new link, then the last one is awaited: none missing, none twice.
    const int resumedAt = next;
    QTRY_VERIFY_WITH_TIMEOUT(!ticks.isEmpty() && ticks.last() >= resumedAt + 10, 5000);
    ticker.stop();
    const int last = next - 1;
    QTRY_VERIFY_WITH_TIMEOUT(!ticks.isEmpty() && ticks.last() == last, 5000);
    QList<int> expected(last + 1);
    std::iota(expected.begin(), expected.end(), 0);
    QCOMPARE(ticks, expected);
    QCOMPARE(disconnected.size(), fault == Fault::Slow ? 0 : 1);
}

void tst_ProxyFaults::disconnectionLongerThanTheWindowIsNotRecovered()
{
    const quint16 port = startServer(Peer::Ours, 1000);
    QVERIFY(port);
    m_proxy = std::make_unique<FaultyProxy>(port);
    QVERIFY(m_proxy->listen());
    SocketIO::ManagerOptions options;
    options.reconnectionDelayMs = 200;
    options.reconnectionDelayMaxMs = 400;
    m_manager = std::make_unique<SocketIO::Manager>(m_proxy->url(), options);
    SocketIO::Socket *socket = m_manager->socket();
    QSignalSpy connected(socket, &SocketIO::Socket::connected);
    QSignalSpy attempts(m_manager.get(), &SocketIO::Manager::reconnectAttempt);
    socket->connectToNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
    const QString firstId = socket->id();

    m_proxy->setAccepting(false);
    m_proxy->cut();
    QElapsedTimer away;
    away.start();
    // Away for twice the window, retrying (and refused) all along.
    QTRY_VERIFY_WITH_TIMEOUT(away.elapsed() > 2000 && attempts.size() >= 3, 10000);
    QCOMPARE(connected.size(), 1);
    m_proxy->setAccepting(true);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 5000);
    QVERIFY(!socket->isRecovered());
    QVERIFY(socket->id() != firstId);
}

void tst_ProxyFaults::messageWhoseAckWasLostIsStoredOnce()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Server::ChatServerOptions serverOptions;
    serverOptions.dataDirectory = data.path();
    Server::ChatServer server(serverOptions);
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    m_proxy = std::make_unique<FaultyProxy>(server.serverPort());
    QVERIFY(m_proxy->listen());

    Chat::ChatClient sender; // through the proxy, over WebSocket only: one link to black-hole
    Chat::ChatClient reader;
    Chat::ChatClient::Options websocket;
    websocket.manager.engine.transports = {EngineIO::TransportType::WebSocket};
    sender.setOptions(websocket);
    joinLobby(sender, reader, server);
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(sender.members(QStringLiteral("lobby")).size(), 2, 5000);

    QList<Chat::ChatMessage> seen;
    connect(&reader, &Chat::ChatClient::messageReceived, this, [&seen](const Chat::ChatMessage &m) { seen.append(m); });
    QList<Chat::Reply> replies;
    QList<Chat::ChatMessage> ours;
    connect(&sender, &Chat::ChatClient::messageReceived, this, [&ours](const Chat::ChatMessage &m) { ours.append(m); });

    // The server gets the message, stores and relays it; its ack is lost on the way back.
    m_proxy->blackholeDownstream();
    sender.sendMessage(QStringLiteral("lobby"), QStringLiteral("once"), this,
                       [&replies](const Chat::Reply &reply) { replies.append(reply); });
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 1, 5000);
    QVERIFY(replies.isEmpty());

    // The link goes; the sender comes back, rejoins, and sends it again under the same id.
    QSignalSpy back(&sender, &Chat::ChatClient::loggedIn);
    m_proxy->cut();
    QTRY_COMPARE_WITH_TIMEOUT(back.size(), 1, 7000);
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 5000);
    QVERIFY2(replies.first().ok, qPrintable(replies.first().error));
    QCOMPARE(replies.first().data.value(QStringLiteral("duplicate")).toBool(), true);
    QCOMPARE(replies.first().data.value(QStringLiteral("messageId")).toLongLong(), seen.first().id);
    QCOMPARE(ours.size(), 1);
    QCOMPARE(ours.first().id, seen.first().id);
    QCOMPARE(ours.first().clientMessageId, seen.first().clientMessageId);

    // Nothing more was relayed: a later message is the reader's second, and the history holds
    // each once.
    sender.sendMessage(QStringLiteral("lobby"), QStringLiteral("after"));
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2, 5000);
    QCOMPARE(seen.last().text, QStringLiteral("after"));
    QList<Chat::ChatMessage> history;
    connect(&reader, &Chat::ChatClient::historyReceived, this,
            [&history](const QString &, const QList<Chat::ChatMessage> &page, bool) { history = page; });
    reader.fetchHistory(QStringLiteral("lobby"), -1);
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 2, 5000);
    QCOMPARE(history.at(0).text, QStringLiteral("once"));
    QCOMPARE(history.at(1).text, QStringLiteral("after"));
    QCOMPARE(replies.size(), 1);
}

void tst_ProxyFaults::messagesWrittenOfflineAllGoOutInOrder()
{
    // More than the server's flood control lets through at once (a burst of 20, then 10/s):
    // what was written offline goes out one at a time, and what is refused goes again.
    constexpr int Offline = 45;
    Server::ChatServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    m_proxy = std::make_unique<FaultyProxy>(server.serverPort());
    QVERIFY(m_proxy->listen());
    Chat::ChatClient sender;
    Chat::ChatClient reader;
    joinLobby(sender, reader, server);
    if (QTest::currentTestFailed())
        return;
    QStringList seen;
    connect(&reader, &Chat::ChatClient::messageReceived, this, [&seen](const Chat::ChatMessage &m) { seen.append(m.text); });

    m_proxy->setAccepting(false);
    m_proxy->cut();
    QTRY_COMPARE_WITH_TIMEOUT(sender.state(), Chat::ChatClient::State::Reconnecting, 5000);
    QStringList written;
    QList<Chat::Reply> replies;
    for (int i = 0; i < Offline; ++i) {
        written.append(QStringLiteral("offline %1").arg(i));
        sender.sendMessage(QStringLiteral("lobby"), written.last(), this,
                           [&replies](const Chat::Reply &reply) { replies.append(reply); });
    }
    m_proxy->setAccepting(true);
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), Offline, 20000);
    for (const Chat::Reply &reply : std::as_const(replies))
        QVERIFY2(reply.ok, qPrintable(reply.error));
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), Offline, 5000);
    QCOMPARE(seen, written);
}

QTEST_GUILESS_MAIN(tst_ProxyFaults)
#include "tst_proxy_faults.moc"
