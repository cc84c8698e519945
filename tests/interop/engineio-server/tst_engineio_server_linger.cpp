// The server closing a WebSocket while its client is still sending (RFC 6455 §7.1.1): what the
// server wrote before the close (a last message, its Close frame) must reach the client in full,
// however fast the client keeps sending, and what the client sends after the close must not be
// delivered. Closing a TCP socket with unread input makes the kernel reset the connection, which
// destroys whatever of ours was still on its way; these tests fail on a server that does that.
#include "rawhttp.h"
#include "serverharness.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using namespace Roomcast::EngineIO;

namespace {

constexpr int Timeout = 10000;
constexpr int Rounds = 20;
// The server's bound on a close handshake (WebSocketLingerTimeoutMs in core/engineio/serverwebsocket_p.h).
constexpr int LingerTimeoutMs = 2000;

constexpr int ContinuationFrame = 0x0;
constexpr int TextFrame = 0x1;
constexpr int BinaryFrame = 0x2;
constexpr int CloseFrame = 0x8;
constexpr int PingFrame = 0x9;
constexpr int PongFrame = 0xa;

//! A client frame, masked with a random key (RFC 6455 §5.3); any length.
QByteArray clientFrame(int opcode, QByteArrayView payload, bool final = true)
{
    QByteArray frame;
    frame.append(char((final ? 0x80 : 0x00) | opcode));
    const quint64 length = quint64(payload.size());
    if (length < 126) {
        frame.append(char(0x80 | length));
    } else if (length <= 0xffff) {
        frame.append(char(0x80 | 126));
        char extended[2];
        qToBigEndian(quint16(length), extended);
        frame.append(extended, 2);
    } else {
        frame.append(char(0x80 | 127));
        char extended[8];
        qToBigEndian(length, extended);
        frame.append(extended, 8);
    }
    char key[4];
    qToBigEndian(QRandomGenerator::global()->generate(), key);
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ key[i % 4]));
    return frame;
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    char bytes[2];
    qToBigEndian(code, bytes);
    return QByteArray(bytes, 2) + reason;
}

//! The flood's messages: sizes that need each of the three length encodings, so that the server
//! is often in the middle of a frame when it closes.
const QList<qsizetype> FloodSizes = {20, 1000, 70000, 300, 5000};

QByteArray floodMessage(qsizetype size)
{
    return QByteArray(size, 'f');
}

//! Several flood frames in one buffer, ready to be written again and again.
QByteArray floodChunk()
{
    QByteArray chunk;
    for (qsizetype size : FloodSizes)
        chunk += clientFrame(TextFrame, QByteArray("4" + floodMessage(size)));
    return chunk;
}

struct ServerFrame
{
    int opcode = 0;
    QByteArray payload;
};

//! A WebSocket client written byte by byte: it opens an Engine.IO session over a WebSocket, sends
//! frames as fast as the connection takes them, and records the server's frames as they come.
//! When the server's Close frame arrives it stops sending and, if told to, answers with its own
//! Close frame, as RFC 6455 §5.5.1 asks; it never closes the connection itself.
class FloodingClient : public QObject
{
public:
    FloodingClient(quint16 port, bool answerClose)
        : m_answerClose(answerClose)
        , m_chunk(floodChunk())
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { readAvailable(); });
        connect(&socket, &QTcpSocket::bytesWritten, this, [this] { flood(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { ended.start(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.write(Raw::upgradeRequest("/engine.io/?EIO=4&transport=websocket"));
    }

    //! Waits for the open packet.
    bool waitForOpen() { return QTest::qWaitFor([this] { return !frames.isEmpty(); }, Timeout); }
    void startFlood()
    {
        m_flooding = true;
        flood();
    }
    bool closeReceived() const { return !frames.isEmpty() && frames.last().opcode == CloseFrame; }
    bool isDisconnected() const { return socket.state() == QAbstractSocket::UnconnectedState; }

    QTcpSocket socket;
    QList<ServerFrame> frames;
    QString protocolError; //!< what the server sent that it should not have
    QElapsedTimer closeFrameAt; //!< started when the server's Close frame arrived
    QElapsedTimer ended;        //!< started when the connection ended
    qint64 floodBytes = 0;

private:
    void flood()
    {
        // A little queued at a time, so that our Close frame, when we answer, is not stuck behind
        // megabytes of flood; the connection is never idle all the same.
        while (m_flooding && socket.state() == QAbstractSocket::ConnectedState && socket.bytesToWrite() < 256 * 1024) {
            socket.write(m_chunk);
            floodBytes += m_chunk.size();
        }
    }

    void readAvailable()
    {
        m_buffer += socket.readAll();
        if (!m_upgraded) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            if (!m_buffer.startsWith("HTTP/1.1 101 ")) {
                protocolError = QStringLiteral("no 101: ") + QString::fromLatin1(m_buffer.left(end));
                return;
            }
            m_upgraded = true;
            m_buffer.remove(0, end + 4);
        }
        while (m_buffer.size() >= 2 && !closeReceived()) {
            const auto b0 = uchar(m_buffer[0]);
            const auto b1 = uchar(m_buffer[1]);
            if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
                protocolError = QStringLiteral("a fragmented or masked frame from the server");
                return;
            }
            qsizetype header = 2;
            quint64 length = b1 & 0x7f;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
                header = 10;
            }
            if (quint64(m_buffer.size() - header) < length)
                return;
            frames.append({b0 & 0x0f, m_buffer.mid(header, qsizetype(length))});
            m_buffer.remove(0, header + qsizetype(length));
            if (frames.last().opcode == CloseFrame) {
                closeFrameAt.start();
                m_flooding = false;
                if (!m_buffer.isEmpty())
                    protocolError = QStringLiteral("bytes after the Close frame");
                if (m_answerClose)
                    socket.write(clientFrame(CloseFrame, frames.last().payload.left(2)));
            }
        }
    }

    const bool m_answerClose;
    const QByteArray m_chunk;
    QByteArray m_buffer;
    bool m_upgraded = false;
    bool m_flooding = false;
};

//! The ends of WebSocket connections lingering for the client's Close frame (the server's
//! closers, private classes), as children of the application.
int lingeringClosers()
{
    int count = 0;
    for (const QObject *child : QCoreApplication::instance()->children())
        count += QByteArrayView(child->metaObject()->className()).endsWith("WebSocketCloser");
    return count;
}

//! What the server side of one round saw; connections made in its context end with it.
struct ServerRecord : QObject
{
    QPointer<ServerSocket> socket;
    int received = 0;
    int receivedAfterClose = 0;
    QString badMessage;
    bool closeCalled = false;
    QString closeReason;
};

enum class CloseFrom {
    MessageHandler, //!< the server closes while handling a message (inside its read loop)
    EventLoop,      //!< a moment later, wherever the reading of the flood has got to
};

} // namespace

Q_DECLARE_METATYPE(CloseFrom)
Q_DECLARE_METATYPE(QList<Received>)

class tst_EngineIOServerLinger : public QObject
{
    Q_OBJECT

private slots:
    void clientFrames_data();
    void clientFrames();
    void lastWordsReachAFloodingClient_data();
    void lastWordsReachAFloodingClient();
    void clientThatNeverAnswersIsCutOff();
    void lastWordsReachAFloodingNodeClient();

private:
    //! Opens a session from `client` on `harness` and watches it in `record`.
    bool openSession(ServerHarness &harness, FloodingClient &client, ServerRecord &record);
};

bool tst_EngineIOServerLinger::openSession(ServerHarness &harness, FloodingClient &client, ServerRecord &record)
{
    if (!client.waitForOpen() || !client.frames.first().payload.startsWith("0{"))
        return false;
    const auto session = harness.sessions.last();
    record.socket = session->socket;
    if (!record.socket)
        return false;
    connect(record.socket, &ServerSocket::messageReceived, &record, [&record](const QByteArray &text) {
        if (record.closeCalled) {
            ++record.receivedAfterClose;
            return;
        }
        ++record.received;
        if (!FloodSizes.contains(text.size()) || text != floodMessage(text.size()))
            record.badMessage = QString::fromLatin1(text.left(40)) + QStringLiteral("... (%1 bytes)").arg(text.size());
    });
    connect(record.socket, &ServerSocket::closed, &record, [&record](const QString &reason) { record.closeReason = reason; });
    return true;
}

void tst_EngineIOServerLinger::clientFrames_data()
{
    // The frames a client sends, read by the transport itself: what it delivers, answers and
    // closes with. Rows without an error end with the client's Close frame.
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<QList<Received>>("delivered");
    QTest::addColumn<QByteArrayList>("pongs");
    QTest::addColumn<QByteArray>("serverClose"); // the payload of the server's Close frame
    QTest::addColumn<QString>("closeReason");    // the session's

    const QByteArray normal = closePayload(1000);
    const QByteArray clientClose = clientFrame(CloseFrame, normal);
    const QString transportClose = QStringLiteral("transport close");
    const QString transportError = QStringLiteral("transport error");
    const QByteArray unmasked = QByteArray("\x81\x05", 2) + "4abcd";

    QTest::newRow("text, binary and a ping")
        << clientFrame(TextFrame, "4hello") + clientFrame(BinaryFrame, QByteArray("\x00\xff", 2))
               + clientFrame(PingFrame, "are you there") + clientClose
        << QList<Received>{{false, "hello"}, {true, QByteArray("\x00\xff", 2)}} << QByteArrayList{"are you there"}
        << normal << transportClose;
    QTest::newRow("fragments with a ping between them")
        << clientFrame(TextFrame, "4hel", false) + clientFrame(PingFrame, "p") + clientFrame(ContinuationFrame, "lo ", false)
               + clientFrame(ContinuationFrame, "world") + clientClose
        << QList<Received>{{false, "hello world"}} << QByteArrayList{"p"} << normal << transportClose;
    QTest::newRow("a 64-bit length") << clientFrame(TextFrame, QByteArray("4" + QByteArray(70000, 'x'))) + clientClose
                                     << QList<Received>{{false, QByteArray(70000, 'x')}} << QByteArrayList{} << normal
                                     << transportClose;
    QTest::newRow("close with a code and reason")
        << clientFrame(TextFrame, "4a") + clientFrame(CloseFrame, closePayload(1001, "bye"))
        << QList<Received>{{false, "a"}} << QByteArrayList{} << closePayload(1001, "bye") << transportClose;
    QTest::newRow("close without a code") << clientFrame(CloseFrame, {}) << QList<Received>{} << QByteArrayList{}
                                          << normal << transportClose;
    QTest::newRow("close saying protocol error") << clientFrame(CloseFrame, closePayload(1002)) << QList<Received>{}
                                                 << QByteArrayList{} << closePayload(1002) << transportError;
    QTest::newRow("frames after the close are dropped")
        << clientClose + clientFrame(TextFrame, "4late") << QList<Received>{} << QByteArrayList{} << normal
        << transportClose;
    QTest::newRow("engine.io close packet") << clientFrame(TextFrame, "1") + clientFrame(TextFrame, "4late")
                                            << QList<Received>{} << QByteArrayList{} << normal << transportClose;

    // Broken by the client: the Close frame says why (the codes of the `ws` package).
    QTest::newRow("invalid UTF-8") << clientFrame(TextFrame, "4\xc3\x28") << QList<Received>{} << QByteArrayList{}
                                   << closePayload(1007, "invalid UTF-8 in a text message") << transportError;
    QTest::newRow("unmasked") << unmasked << QList<Received>{} << QByteArrayList{}
                              << closePayload(1002, "an unmasked frame") << transportError;
    QByteArray reservedBits = clientFrame(TextFrame, "4x");
    reservedBits[0] = char(reservedBits[0] | 0x40);
    QTest::newRow("reserved bits") << reservedBits << QList<Received>{} << QByteArrayList{}
                                   << closePayload(1002, "reserved bits set") << transportError;
    QTest::newRow("continuation of nothing")
        << clientFrame(ContinuationFrame, "x") << QList<Received>{} << QByteArrayList{}
        << closePayload(1002, "a continuation with nothing to continue") << transportError;
    QTest::newRow("message inside a message")
        << clientFrame(TextFrame, "4a", false) + clientFrame(TextFrame, "4b") << QList<Received>{} << QByteArrayList{}
        << closePayload(1002, "a new message inside a fragmented one") << transportError;
    QTest::newRow("fragmented ping") << clientFrame(PingFrame, "p", false) << QList<Received>{} << QByteArrayList{}
                                     << closePayload(1002, "a fragmented control frame") << transportError;
    QTest::newRow("invalid close code") << clientFrame(CloseFrame, closePayload(1005)) << QList<Received>{}
                                        << QByteArrayList{} << closePayload(1002, "invalid close code 1005")
                                        << transportError;
    QTest::newRow("one-byte close") << clientFrame(CloseFrame, "x") << QList<Received>{} << QByteArrayList{}
                                    << closePayload(1002, "a one-byte Close frame") << transportError;
    QTest::newRow("engine.io parse error") << clientFrame(TextFrame, "9") << QList<Received>{} << QByteArrayList{}
                                           << QByteArray() << QStringLiteral("parse error");
}

void tst_EngineIOServerLinger::clientFrames()
{
    QFETCH(QByteArray, frames);
    QFETCH(QList<Received>, delivered);
    QFETCH(QByteArrayList, pongs);
    QFETCH(QByteArray, serverClose);
    QFETCH(QString, closeReason);
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    FloodingClient client(harness.server.serverPort(), true);
    ServerRecord record;
    QVERIFY(openSession(harness, client, record));
    const auto session = harness.sessions.last();

    client.socket.write(frames);
    QTRY_VERIFY_WITH_TIMEOUT(client.closeReceived() || !client.protocolError.isEmpty(), Timeout);
    QVERIFY2(client.protocolError.isEmpty(), qPrintable(client.protocolError));
    if (serverClose.isEmpty()) // a reason of the Engine.IO parser's own
        QCOMPARE(qFromBigEndian<quint16>(client.frames.last().payload.constData()), quint16(1000));
    else
        QCOMPARE(client.frames.last().payload, serverClose);
    QByteArrayList pongsReceived;
    for (const ServerFrame &frame : std::as_const(client.frames)) {
        if (frame.opcode == PongFrame)
            pongsReceived.append(frame.payload);
    }
    QCOMPARE(pongsReceived, pongs);
    QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, closeReason, Timeout);
    QCOMPARE(session->received, delivered);
    // The client answered (or had closed first); the server then ends the connection.
    QTRY_VERIFY_WITH_TIMEOUT(client.isDisconnected(), LingerTimeoutMs * 3 / 4);
}

void tst_EngineIOServerLinger::lastWordsReachAFloodingClient_data()
{
    QTest::addColumn<CloseFrom>("closeFrom");
    QTest::addColumn<qsizetype>("lastSize");
    // A large last message is still being written when the server closes; a small one is on
    // the wire already, and only a reset of the connection can lose it.
    QTest::newRow("from a handler, short last message") << CloseFrom::MessageHandler << qsizetype(100);
    QTest::newRow("from a handler, 2 MB last message") << CloseFrom::MessageHandler << qsizetype(2000000);
    QTest::newRow("from the event loop, short last message") << CloseFrom::EventLoop << qsizetype(100);
    QTest::newRow("from the event loop, 2 MB last message") << CloseFrom::EventLoop << qsizetype(2000000);
}

void tst_EngineIOServerLinger::lastWordsReachAFloodingClient()
{
    QFETCH(CloseFrom, closeFrom);
    QFETCH(qsizetype, lastSize);
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    QByteArray lastWords = "last words ";
    while (lastWords.size() < lastSize)
        lastWords += QByteArray::number(lastWords.size()) + ' ';

    for (int round = 0; round < Rounds; ++round) {
        FloodingClient client(harness.server.serverPort(), true);
        ServerRecord record;
        QVERIFY2(openSession(harness, client, record), qPrintable(QStringLiteral("round %1").arg(round)));

        // After a few messages the server says its last words and closes; the client is
        // sending all the while.
        const int closeAfter = 3 + round % 5;
        connect(record.socket, &ServerSocket::messageReceived, &record, [&, closeAfter] {
            if (record.received != closeAfter || record.closeCalled)
                return;
            const auto closeNow = [&] {
                record.socket->send(lastWords);
                record.closeCalled = true;
                record.socket->close();
            };
            if (closeFrom == CloseFrom::MessageHandler)
                closeNow();
            else
                QTimer::singleShot(0, record.socket, closeNow);
        });
        client.startFlood();

        QTRY_VERIFY2_WITH_TIMEOUT(client.closeReceived() || client.isDisconnected() || !client.protocolError.isEmpty(),
                                  qPrintable(QStringLiteral("round %1: no Close frame, flood of %2 bytes")
                                                 .arg(round)
                                                 .arg(client.floodBytes)),
                                  Timeout);
        QVERIFY2(client.protocolError.isEmpty(), qPrintable(client.protocolError));
        QVERIFY2(client.closeReceived(),
                 qPrintable(QStringLiteral("round %1: the connection ended before the Close frame arrived; %2 frames")
                                .arg(round)
                                .arg(client.frames.size())));
        // The open packet, then the last words in full, then the Close frame: 1000, normal.
        QCOMPARE(client.frames.size(), 3);
        QCOMPARE(client.frames.at(1).opcode, TextFrame);
        QVERIFY2(client.frames.at(1).payload == QByteArray("4" + lastWords),
                 qPrintable(QStringLiteral("round %1: %2 of %3 bytes")
                                .arg(round)
                                .arg(client.frames.at(1).payload.size())
                                .arg(lastWords.size() + 1)));
        QCOMPARE(qFromBigEndian<quint16>(client.frames.at(2).payload.constData()), quint16(1000));

        // The client answered; the server then closes the connection, at once rather than when
        // its wait for that answer would have run out.
        QTRY_VERIFY_WITH_TIMEOUT(client.isDisconnected(), Timeout);
        QVERIFY2(client.closeFrameAt.elapsed() - client.ended.elapsed() < LingerTimeoutMs * 3 / 4,
                 qPrintable(QStringLiteral("round %1: closed %2 ms after the Close frame")
                                .arg(round)
                                .arg(client.closeFrameAt.elapsed() - client.ended.elapsed())));

        // What the client sent after the close was read and dropped, never delivered.
        QTRY_COMPARE_WITH_TIMEOUT(record.closeReason, QStringLiteral("forced close"), Timeout);
        QVERIFY2(record.badMessage.isEmpty(), qPrintable(record.badMessage));
        if (closeFrom == CloseFrom::MessageHandler)
            QCOMPARE(record.received, closeAfter);
        else // and whatever was read before the event loop came round to the close
            QVERIFY(record.received >= closeAfter);
        QCOMPARE(record.receivedAfterClose, 0);
    }
}

void tst_EngineIOServerLinger::clientThatNeverAnswersIsCutOff()
{
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    FloodingClient client(harness.server.serverPort(), false);
    ServerRecord record;
    QVERIFY(openSession(harness, client, record));
    client.startFlood();
    QTRY_VERIFY_WITH_TIMEOUT(record.received > 0, Timeout);

    QElapsedTimer sinceClose;
    sinceClose.start();
    record.socket->send("bye");
    record.closeCalled = true;
    record.socket->close();
    QTRY_COMPARE_WITH_TIMEOUT(record.closeReason, QStringLiteral("forced close"), Timeout);

    // The client reads everything but neither answers the Close frame nor closes: the server
    // waits for it a while, reading and dropping the flood, then drops the connection.
    QTRY_VERIFY_WITH_TIMEOUT(client.closeReceived(), Timeout);
    QCOMPARE(client.frames.size(), 3);
    QCOMPARE(client.frames.at(1).payload, QByteArray("4bye"));
    // Meanwhile the lingering end of the connection belongs to the application, so that it
    // would go with it (and not leak) if the program ended first.
    QCOMPARE(lingeringClosers(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(client.isDisconnected(), LingerTimeoutMs + Timeout);
    const qint64 lingered = sinceClose.elapsed() - client.ended.elapsed();
    QVERIFY2(lingered >= LingerTimeoutMs / 2 && lingered < LingerTimeoutMs * 2,
             qPrintable(QStringLiteral("the connection ended %1 ms after the close").arg(lingered)));
    QCOMPARE(record.receivedAfterClose, 0);
    QTRY_COMPARE_WITH_TIMEOUT(lingeringClosers(), 0, Timeout); // and it deletes itself once done
}

void tst_EngineIOServerLinger::lastWordsReachAFloodingNodeClient()
{
    // The same with the real engine.io-client (over the `ws` package): a burst of messages
    // queued in one go, and the server closing after the first while the rest pours in.
    ServerHarness harness(ServerOptions{}, false);
    QVERIFY(harness.listen());
    NodeClients clients;
    QVERIFY2(clients.start(harness.server.serverPort()), qPrintable(clients.errorString()));
    const QByteArray lastWords = QByteArray(1000000, 'z');
    QList<Received> burst;
    for (int i = 0; i < 300; ++i)
        burst.append({false, floodMessage(FloodSizes.at(i % FloodSizes.size()))});

    for (int round = 0; round < Rounds / 4; ++round) {
        const QString id = QStringLiteral("c%1").arg(round);
        const qsizetype before = harness.sessions.size();
        clients.open(id, harness.server.serverUrl(), {{QStringLiteral("transports"), QJsonArray{QStringLiteral("websocket")}}});
        QVERIFY(!clients.waitFor(id, QStringLiteral("open"), Timeout).isEmpty());
        const auto session = harness.waitForSession(int(before));
        QVERIFY(session && session->socket);
        ServerRecord record;
        connect(session->socket, &ServerSocket::messageReceived, &record, [&](const QByteArray &) {
            if (record.closeCalled) {
                ++record.receivedAfterClose;
                return;
            }
            record.closeCalled = true;
            session->socket->send(lastWords);
            session->socket->close();
        });
        clients.sendAll(id, burst);

        const QJsonObject close = clients.waitFor(id, QStringLiteral("close"), Timeout);
        QCOMPARE(close.value(QLatin1String("reason")).toString(), QStringLiteral("transport close"));
        const QList<Received> received = clients.received(id);
        QCOMPARE(received.size(), 1);
        QVERIFY2(received.first().data == lastWords,
                 qPrintable(QStringLiteral("round %1: %2 of %3 bytes").arg(round).arg(received.first().data.size()).arg(lastWords.size())));
        QVERIFY(clients.events(id, QStringLiteral("error")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(session->closeReason, QStringLiteral("forced close"), Timeout);
        QCOMPARE(record.receivedAfterClose, 0);
    }
}

QTEST_GUILESS_MAIN(tst_EngineIOServerLinger)
#include "tst_engineio_server_linger.moc"
