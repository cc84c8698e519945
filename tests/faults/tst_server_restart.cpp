// A real roomcast-server process (with a data directory) and 200 of our ChatClients chatting in
// five rooms with acks. The server is killed (SIGKILL) while messages are in flight, stays down
// while the clients send more, and is started again on the same port and data directory:
// - every client is back within the back-off maximum (5 s) plus one second of the restart;
// - every message acknowledged before the kill is in the history after it;
// - what was sent while the server was down (or in flight when it died) is delivered after the
//   reconnection, exactly once as far as the clients can tell: one ack each, one entry in the
//   history per message, no message relayed to anyone twice.
#include "chat/chatclient.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;

namespace {

constexpr int Clients = 200;
constexpr int Rooms = 5;
constexpr int BackoffMaxMs = 5000; // socket.io-client's reconnectionDelayMax, our default too

#if defined(__SANITIZE_ADDRESS__)
#define ROOMCAST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROOMCAST_ASAN 1
#endif
#endif
// The time a client may take, after its last back-off step, to be logged in again: one second,
// as the issue asks of a normal build. Under AddressSanitizer the server and the 200 clients of
// this process run several times slower, and logging 200 clients in at once takes more than
// the second itself (6.5 s in all seen in CI's sanitizer run); the back-off is what is
// checked there, with three seconds for the login.
#ifdef ROOMCAST_ASAN
constexpr int LoginAllowanceMs = 3000;
#else
constexpr int LoginAllowanceMs = 1000;
#endif

QString roomOf(int client)
{
    return QStringLiteral("room-%1").arg(client % Rooms);
}

struct Sent
{
    int client = 0;
    QString room;
    QString text;
    bool ackedBeforeKill = false;
    int replies = 0;
    bool ok = false;
    qint64 messageId = -1;
};

} // namespace

class tst_ServerRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedServerLosesNothingAcknowledged();

private:
    //! Starts roomcast-server on `port` (0: any) and returns the port it reports.
    quint16 startServer(quint16 port);
    void send(int client, const QString &text);

    QTemporaryDir m_data;
    QProcess m_server;
    QElapsedTimer m_clock;
    std::vector<std::unique_ptr<ChatClient>> m_clients;
    QList<Sent> m_sent;
    bool m_killed = false;
};

void tst_ServerRestart::initTestCase()
{
    QVERIFY(m_data.isValid());
    m_clock.start();
}

void tst_ServerRestart::cleanupTestCase()
{
    m_clients.clear();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

quint16 tst_ServerRestart::startServer(quint16 port)
{
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(QStringLiteral(ROOMCAST_SERVER), {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                                     QStringLiteral("--port"), QString::number(port),
                                                     QStringLiteral("--data-dir"), m_data.path()});
    if (!m_server.waitForStarted(10000))
        return 0;
    // The first line: "listening on http://127.0.0.1:PORT".
    if (!QTest::qWaitFor([this] { return m_server.canReadLine() || m_server.state() == QProcess::NotRunning; }, 10000))
        return 0;
    const QString line = QString::fromUtf8(m_server.readLine()).trimmed();
    const QString prefix = QStringLiteral("listening on http://127.0.0.1:");
    if (!line.startsWith(prefix)) {
        qWarning("unexpected first line: %s", qPrintable(line));
        return 0;
    }
    return quint16(line.mid(prefix.size()).toUInt());
}

void tst_ServerRestart::send(int client, const QString &text)
{
    const qsizetype index = m_sent.size();
    m_sent.append({client, roomOf(client), text});
    m_clients[client]->sendMessage(roomOf(client), text, this, [this, index](const Chat::Reply &reply) {
        Sent &sent = m_sent[index];
        ++sent.replies;
        sent.ok = reply.ok;
        sent.messageId = reply.data.value(QStringLiteral("messageId"), -1).toLongLong();
        sent.ackedBeforeKill = reply.ok && !m_killed;
        if (!reply.ok)
            qWarning("%s: %s", qPrintable(sent.text), qPrintable(reply.error));
    });
}

void tst_ServerRestart::killedServerLosesNothingAcknowledged()
{
    const quint16 port = startServer(0);
    QVERIFY(port);
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);

    // Every tenth client over long-polling, the others over WebSocket; socket.io-client's
    // reconnection defaults for all (1000 ms doubling to 5000 ms, randomisation 0.5).
    QHash<ChatClient *, QSet<qint64>> relayed; // message ids each client got as events
    int duplicateEvents = 0;
    int loggedIn = 0;
    QHash<ChatClient *, qint64> backAt; // when each logged in after the restart (ms on m_clock)
    for (int i = 0; i < Clients; ++i) {
        auto client = std::make_unique<ChatClient>();
        ChatClient::Options options;
        options.manager.engine.transports = {i % 10 == 0 ? EngineIO::TransportType::Polling
                                                         : EngineIO::TransportType::WebSocket};
        client->setOptions(options);
        ChatClient *c = client.get();
        connect(c, &ChatClient::loggedIn, this, [&, c] {
            ++loggedIn;
            if (m_killed)
                backAt.insert(c, m_clock.elapsed());
        });
        connect(c, &ChatClient::messageReceived, this, [&, c](const ChatMessage &message) {
            if (message.outgoing)
                return;
            if (relayed[c].contains(message.id))
                ++duplicateEvents;
            relayed[c].insert(message.id);
        });
        client->connectToServer(url, {}, QStringLiteral("c%1").arg(i));
        m_clients.push_back(std::move(client));
    }
    QTRY_COMPARE_WITH_TIMEOUT(loggedIn, Clients, 30000);
    int joined = 0;
    for (int i = 0; i < Clients; ++i)
        m_clients[i]->joinRoom(roomOf(i), this, [&joined](const Chat::Reply &reply) { joined += reply.ok; });
    QTRY_COMPARE_WITH_TIMEOUT(joined, Clients, 20000);

    // Chatting, every message acknowledged.
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < Clients; ++i)
            send(i, QStringLiteral("c%1 says %2").arg(i).arg(round));
    const auto replied = [this] {
        return std::count_if(m_sent.cbegin(), m_sent.cend(), [](const Sent &s) { return s.replies > 0; });
    };
    QTRY_COMPARE_WITH_TIMEOUT(replied(), m_sent.size(), 20000);

    // A third round, and the kill once some of it is acknowledged: the rest is in flight, on
    // the way to the server, stored but not yet acknowledged, or not yet read.
    const qsizetype thirdRound = m_sent.size();
    for (int i = 0; i < Clients; ++i)
        send(i, QStringLiteral("c%1 says 2").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(replied() >= thirdRound + Clients / 4, 20000);
    m_server.kill();
    m_killed = true;
    QVERIFY(m_server.waitForFinished(5000));
    QCOMPARE(m_server.exitStatus(), QProcess::CrashExit);
    const qsizetype ackedBeforeKill = std::count_if(m_sent.cbegin(), m_sent.cend(), [](const Sent &s) { return s.ackedBeforeKill; });
    qInfo("killed with %lld of %lld messages acknowledged", qlonglong(ackedBeforeKill), qlonglong(m_sent.size()));
    QVERIFY(ackedBeforeKill < m_sent.size());

    // Everyone notices, and writes while the server is down; the server stays down long enough
    // for the back-off to grow past its first step.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(m_clients.cbegin(), m_clients.cend(),
                                         [](const auto &c) { return c->state() == ChatClient::State::Reconnecting; }),
                             10000);
    QElapsedTimer down;
    down.start();
    for (int i = 0; i < Clients; ++i)
        send(i, QStringLiteral("c%1 wrote while the server was down").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(down.elapsed() >= 2500, 10000);

    QCOMPARE(startServer(port), port);
    const qint64 restartedAt = m_clock.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(qsizetype(backAt.size()), qsizetype(Clients), BackoffMaxMs + 5000);
    qint64 slowest = 0;
    for (const qint64 at : std::as_const(backAt))
        slowest = std::max(slowest, at - restartedAt);
    qInfo("every client back within %lld ms of the restart", slowest);
    QVERIFY2(slowest <= BackoffMaxMs + LoginAllowanceMs, qPrintable(QString::number(slowest)));

    // Every message has its one answer, a success.
    QTRY_COMPARE_WITH_TIMEOUT(replied(), m_sent.size(), 30000);
    for (const Sent &sent : std::as_const(m_sent)) {
        QCOMPARE(sent.replies, 1);
        QVERIFY2(sent.ok, qPrintable(sent.text));
    }

    // The history after the restart: every message once, the acknowledged ones under the ids
    // their acks gave.
    QHash<QString, QList<ChatMessage>> history;
    bool morePages = false;
    for (int r = 0; r < Rooms; ++r) { // client r is in room r
        connect(m_clients[r].get(), &ChatClient::historyReceived, this,
                [&](const QString &room, const QList<ChatMessage> &page, bool hasMore) {
                    history.insert(room, page);
                    morePages = morePages || hasMore;
                });
        m_clients[r]->fetchHistory(roomOf(r), -1, 1000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), Rooms, 10000);
    QVERIFY(!morePages);
    QHash<qint64, ChatMessage> stored;
    QSet<QString> clientIds;
    for (const QList<ChatMessage> &page : std::as_const(history)) {
        for (const ChatMessage &message : page) {
            QVERIFY2(!stored.contains(message.id), qPrintable(message.text));
            stored.insert(message.id, message);
            QVERIFY2(!message.clientMessageId.isEmpty(), qPrintable(message.text));
            QVERIFY2(!clientIds.contains(message.clientMessageId), qPrintable(message.text));
            clientIds.insert(message.clientMessageId);
        }
    }
    QCOMPARE(stored.size(), m_sent.size());
    for (const Sent &sent : std::as_const(m_sent)) {
        const ChatMessage message = stored.value(sent.messageId);
        QVERIFY2(message.id == sent.messageId, qPrintable(sent.text));
        QCOMPARE(message.text, sent.text);
        QCOMPARE(message.room, sent.room);
    }
    QCOMPARE(duplicateEvents, 0);
    // what the clients were sent live: only messages of their room that are stored
    for (auto it = relayed.cbegin(); it != relayed.cend(); ++it)
        for (const qint64 id : it.value())
            QVERIFY(stored.contains(id));
}

QTEST_GUILESS_MAIN(tst_ServerRestart)
#include "tst_server_restart.moc"
