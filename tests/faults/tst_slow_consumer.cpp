// Slow consumers: a client that stops reading while its room is flooded is disconnected once
// its pending output passes EngineIO::ServerOptions::maxPendingOutputBytes ("slow consumer"),
// over WebSocket (a raw socket that stops reading, with a small receive buffer) and over
// long-polling (a raw client that stops polling). Meanwhile no session's pending output ever
// goes past the bound plus one packet, and the clients that do read keep receiving every
// message with a bounded delay.
#include "chat/chatclient.h"
#include "server/chatserver.h"

#include "../interop/engineio-server/rawhttp.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <memory>

using namespace Roomcast;
using Chat::ChatClient;
using Chat::ChatMessage;

namespace {

constexpr qint64 Bound = 512 * 1024;
const QString Room = QStringLiteral("flood");
// Each flood message is a little over 3 KB on the wire; a batch stays well under the bound,
// so that a client that polls between batches is never mistaken for a slow one.
constexpr int MessageLength = 3000;
constexpr int Batch = 40;
// Enough to fill the kernel's buffers on both ends of a loopback connection (the send buffer
// grows to tcp_wmem's maximum, 4 MB by default) and then the bound.
constexpr qint64 MaxFloodBytes = 48 * 1024 * 1024;
// What "not slowed" means here: an upper bound, not a measurement.
constexpr qint64 MaxLatencyMs = 3000;

//! The payloads of the whole unmasked text frames at the start of `buffer` (a server's frames),
//! taken out of it.
QList<QByteArray> takeServerFrames(QByteArray &buffer)
{
    QList<QByteArray> frames;
    for (;;) {
        if (buffer.size() < 2)
            return frames;
        const auto second = uchar(buffer.at(1));
        qsizetype header = 2;
        quint64 length = second & 0x7f;
        if (length == 126) {
            if (buffer.size() < 4)
                return frames;
            length = qFromBigEndian<quint16>(buffer.constData() + 2);
            header = 4;
        } else if (length == 127) {
            if (buffer.size() < 10)
                return frames;
            length = qFromBigEndian<quint64>(buffer.constData() + 2);
            header = 10;
        }
        if (quint64(buffer.size()) < header + length)
            return frames;
        frames.append(buffer.mid(header, qsizetype(length)));
        buffer.remove(0, header + qsizetype(length));
    }
}

} // namespace

class tst_SlowConsumer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void webSocketThatStopsReadingIsDisconnected();
    void pollerThatStopsPollingIsDisconnected();

private:
    ChatClient *login(const QString &name, EngineIO::TransportType transport = EngineIO::TransportType::WebSocket);
    //! The server-side socket of the client called `name`, once it has joined the room.
    QPointer<SocketIO::ServerSocket> waitForMember(const QString &name);
    //! Floods the room from the sender until `done` holds (or MaxFloodBytes went out); the
    //! readers' checks run on every message they get.
    void flood(const std::function<bool()> &done);

    std::unique_ptr<Server::ChatServer> m_server;
    std::vector<std::unique_ptr<ChatClient>> m_clients;
    ChatClient *m_sender = nullptr;
    QList<ChatClient *> m_readers;
    QHash<ChatClient *, int> m_received;
    qint64 m_worstLatencyMs = 0;
    qint64 m_peakPending = 0;
    int m_sent = 0;
    int m_acked = 0;
};

void tst_SlowConsumer::init()
{
    Server::ChatServerOptions options;
    options.io.engine.maxPendingOutputBytes = Bound;
    // The heartbeat must not be what closes the silent client: only its backlog may.
    options.io.engine.pingInterval = 120000;
    options.io.engine.pingTimeout = 60000;
    options.flood.burst = 1000000;
    options.flood.perSecond = 1000000;
    m_server = std::make_unique<Server::ChatServer>(options);
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));

    m_sender = login(QStringLiteral("sender"));
    m_readers = {login(QStringLiteral("reader-ws")), login(QStringLiteral("reader-polling"), EngineIO::TransportType::Polling)};
    for (ChatClient *client : QList<ChatClient *>{m_sender} + m_readers) {
        QVERIFY(client);
        bool joined = false;
        client->joinRoom(Room, this, [&joined](const Chat::Reply &reply) { joined = reply.ok; });
        QTRY_VERIFY_WITH_TIMEOUT(joined, 5000);
    }
    for (ChatClient *reader : std::as_const(m_readers)) {
        connect(reader, &ChatClient::messageReceived, this, [this, reader](const ChatMessage &message) {
            if (message.room != Room)
                return;
            ++m_received[reader];
            m_worstLatencyMs = std::max(m_worstLatencyMs, QDateTime::currentMSecsSinceEpoch() - message.timestamp.toMSecsSinceEpoch());
            for (EngineIO::ServerSocket *session : m_server->io()->engine()->sockets())
                m_peakPending = std::max(m_peakPending, session->pendingOutputBytes());
        });
    }
}

void tst_SlowConsumer::cleanup()
{
    m_clients.clear();
    m_readers.clear();
    m_sender = nullptr;
    m_server.reset();
    m_received.clear();
    m_worstLatencyMs = m_peakPending = 0;
    m_sent = m_acked = 0;
}

ChatClient *tst_SlowConsumer::login(const QString &name, EngineIO::TransportType transport)
{
    auto client = std::make_unique<ChatClient>();
    ChatClient::Options options;
    options.manager.engine.transports = {transport};
    client->setOptions(options);
    QSignalSpy loggedIn(client.get(), &ChatClient::loggedIn);
    client->connectToServer(m_server->serverUrl(), {}, name);
    if (!QTest::qWaitFor([&] { return !loggedIn.isEmpty(); }, 5000))
        return nullptr;
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

QPointer<SocketIO::ServerSocket> tst_SlowConsumer::waitForMember(const QString &name)
{
    QPointer<SocketIO::ServerSocket> found;
    (void)QTest::qWaitFor([&] {
        for (SocketIO::ServerSocket *socket : m_server->io()->sockets()->to(Room).sockets())
            if (m_server->nickname(socket->id()) == name)
                found = socket;
        return !found.isNull();
    }, 5000);
    return found;
}

void tst_SlowConsumer::flood(const std::function<bool()> &done)
{
    const QString text(MessageLength, u'x');
    while (!done() && qint64(m_sent) * MessageLength < MaxFloodBytes) {
        for (int i = 0; i < Batch; ++i) {
            m_sender->sendMessage(Room, text, this, [this](const Chat::Reply &reply) {
                if (reply.ok)
                    ++m_acked;
            });
        }
        m_sent += Batch;
        // The sender waits for its acks: the flood is as fast as the server takes it, no faster.
        QVERIFY2(QTest::qWaitFor([this] { return m_acked == m_sent; }, 10000),
                 qPrintable(QStringLiteral("%1 of %2 acked").arg(m_acked).arg(m_sent)));
    }
}

void tst_SlowConsumer::webSocketThatStopsReadingIsDisconnected()
{
    RawConnection raw(m_server->serverPort());
    QVERIFY(raw.isConnected());
    raw.write(Raw::upgradeRequest("/socket.io/?EIO=4&transport=websocket"));
    const std::optional<RawResponse> handshake = raw.response();
    QVERIFY(handshake);
    QCOMPARE(handshake->status, 101);
    QList<QByteArray> frames;
    QTRY_VERIFY_WITH_TIMEOUT((frames += takeServerFrames(raw.buffer()), !frames.isEmpty()), 5000);
    QVERIFY(frames.first().startsWith("0{"));
    raw.write(Raw::frame(0x1, R"(40{"name":"slow"})"));
    raw.write(Raw::frame(0x1, R"(42["join","flood"])"));
    QPointer<SocketIO::ServerSocket> slow = waitForMember(QStringLiteral("slow"));
    QVERIFY(slow);
    QSignalSpy disconnected(slow.data(), &SocketIO::ServerSocket::disconnected);

    // From now on nothing is read: Qt's buffer holds a few bytes at most, the kernel's little more.
    QTcpSocket &socket = raw.socket();
    QObject::disconnect(&socket, &QTcpSocket::readyRead, &raw, nullptr);
    socket.setReadBufferSize(1024);
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);

    flood([&] { return !disconnected.isEmpty(); });
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("slow consumer"));
    qInfo("slow WebSocket reader disconnected after %d messages (%lld KB), peak pending output %lld KB, "
          "worst latency %lld ms", m_sent, qint64(m_sent) * MessageLength / 1024, m_peakPending / 1024, m_worstLatencyMs);

    // Its connection was reset, not closed behind a backlog: once it reads again, it finds the end.
    socket.setReadBufferSize(0);
    QTRY_VERIFY_WITH_TIMEOUT((socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 5000);

    // The bound held, and the readers got everything, promptly, and are still connected.
    QVERIFY2(m_peakPending <= Bound + 64 * 1024, qPrintable(QString::number(m_peakPending)));
    for (ChatClient *reader : std::as_const(m_readers)) {
        QTRY_COMPARE_WITH_TIMEOUT(m_received.value(reader), m_sent, 10000);
        QCOMPARE(reader->state(), ChatClient::State::Connected);
    }
    QVERIFY2(m_worstLatencyMs <= MaxLatencyMs, qPrintable(QString::number(m_worstLatencyMs)));
    QCOMPARE(m_server->io()->sockets()->to(Room).sockets().size(), 3);
}

void tst_SlowConsumer::pollerThatStopsPollingIsDisconnected()
{
    const QByteArray path = "/socket.io/?EIO=4&transport=polling";
    QByteArray sid;
    {
        RawConnection raw(m_server->serverPort());
        raw.write(Raw::request("GET", path));
        const std::optional<RawResponse> open = raw.response();
        QVERIFY(open);
        QCOMPARE(open->status, 200);
        sid = Raw::sidOf(open->body).toLatin1();
        QVERIFY(!sid.isEmpty());
        raw.write(Raw::request("POST", path + "&sid=" + sid, {}, R"(40{"name":"slow"})"));
        QCOMPARE(raw.response()->status, 200);
        raw.write(Raw::request("GET", path + "&sid=" + sid));
        const std::optional<RawResponse> connected = raw.response();
        QVERIFY(connected);
        QVERIFY(connected->body.startsWith("40{"));
        raw.write(Raw::request("POST", path + "&sid=" + sid, {}, R"(42["join","flood"])"));
        QCOMPARE(raw.response()->status, 200);
    }
    QPointer<SocketIO::ServerSocket> slow = waitForMember(QStringLiteral("slow"));
    QVERIFY(slow);
    QSignalSpy disconnected(slow.data(), &SocketIO::ServerSocket::disconnected);

    // It never polls again: everything for it waits in its session's buffer.
    flood([&] { return !disconnected.isEmpty(); });
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QCOMPARE(disconnected.first().at(0).toString(), QStringLiteral("slow consumer"));
    QVERIFY2(qint64(m_sent) * MessageLength < 2 * Bound, qPrintable(QString::number(m_sent)));
    qInfo("slow poller disconnected after %d messages, peak pending output %lld KB, worst latency %lld ms", m_sent,
          m_peakPending / 1024, m_worstLatencyMs);

    // Its session is gone: the next poll is told so.
    RawConnection late(m_server->serverPort());
    late.write(Raw::request("GET", path + "&sid=" + sid));
    const std::optional<RawResponse> refused = late.response();
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    QCOMPARE(QJsonDocument::fromJson(refused->body).object().value(QLatin1String("code")).toInt(), 1);

    QVERIFY2(m_peakPending <= Bound + 64 * 1024, qPrintable(QString::number(m_peakPending)));
    for (ChatClient *reader : std::as_const(m_readers)) {
        QTRY_COMPARE_WITH_TIMEOUT(m_received.value(reader), m_sent, 10000);
        QCOMPARE(reader->state(), ChatClient::State::Connected);
    }
    QVERIFY2(m_worstLatencyMs <= MaxLatencyMs, qPrintable(QString::number(m_worstLatencyMs)));
}

QTEST_GUILESS_MAIN(tst_SlowConsumer)
#include "tst_slow_consumer.moc"
