// The server's WebSocket codec (core/engineio/websocketframe.h): the frames it sends, its
// opening-handshake answer, and the parser of what clients send, fed every stream whole, cut at
// every byte boundary, and one byte at a time.
#include "engineio/websocketframe.h"

#include <QTest>
#include <QtEndian>

using namespace Roomcast::EngineIO;
using namespace Roomcast::EngineIO::WebSocket;
using Result = FrameParser::Result;

namespace {

constexpr qint64 MaxMessage = 1000;

//! What the parser reported, in a form a test can compare.
struct Event
{
    Result type = Result::NeedMore;
    QByteArray data; //!< a message (prefixed "t:" or "b:"), a ping's payload, a close reason
    int code = 0;    //!< Close and Error

    friend bool operator==(const Event &, const Event &) = default;
};

Event text(const QByteArray &message)
{
    return {Result::Message, "t:" + message, 0};
}
Event binary(const QByteArray &message)
{
    return {Result::Message, "b:" + message, 0};
}
Event ping(const QByteArray &payload)
{
    return {Result::Ping, payload, 0};
}
Event closed(int code, const QByteArray &reason = {})
{
    return {Result::Close, reason, code};
}
Event error(int code)
{
    return {Result::Error, {}, code};
}

struct Frame
{
    quint8 opcode = 0x1;
    QByteArray payload;
    bool final = true;
    bool masked = true;
    quint8 reserved = 0; //!< RSV1–3, as the 0x70 bits of the first byte
};

//! A client's frame: masked with a fixed, uneven key unless told otherwise.
QByteArray clientFrame(const Frame &frame)
{
    QByteArray out;
    out.append(char((frame.final ? 0x80 : 0) | frame.reserved | frame.opcode));
    const char maskBit = frame.masked ? char(0x80) : char(0);
    const quint64 length = quint64(frame.payload.size());
    if (length < 126) {
        out.append(char(maskBit | char(length)));
    } else if (length <= 0xffff) {
        out.append(char(maskBit | 126));
        char extended[2];
        qToBigEndian(quint16(length), extended);
        out.append(extended, 2);
    } else {
        out.append(char(maskBit | 127));
        char extended[8];
        qToBigEndian(length, extended);
        out.append(extended, 8);
    }
    const char key[4] = {char(0x37), char(0xfa), char(0x21), char(0x3d)};
    if (frame.masked)
        out.append(key, 4);
    for (qsizetype i = 0; i < frame.payload.size(); ++i)
        out.append(frame.masked ? char(frame.payload[i] ^ key[i % 4]) : frame.payload[i]);
    return out;
}

QByteArray data(quint8 opcode, const QByteArray &payload, bool final = true)
{
    return clientFrame({opcode, payload, final});
}

QByteArray closeFrame(int code, const QByteArray &reason = {})
{
    char bytes[2];
    qToBigEndian(quint16(code), bytes);
    return data(0x8, QByteArray(bytes, 2) + reason);
}

//! A header whose length field is given as is (badly encoded lengths), masked, empty payload.
QByteArray rawHeader(quint8 first, quint8 lengthCode, QByteArrayView extended)
{
    QByteArray out;
    out.append(char(first));
    out.append(char(0x80 | lengthCode));
    out.append(extended);
    out.append("\0\0\0\0", 4);
    return out;
}

//! Parses `chunks` one after the other as they would arrive, each to its end.
QList<Event> parseChunks(FrameParser &parser, const QList<QByteArrayView> &chunks)
{
    QList<Event> events;
    for (QByteArrayView chunk : chunks) {
        int guard = 0;
        while (true) {
            qsizetype consumed = -1;
            const Result result = parser.parse(chunk, &consumed);
            if (consumed < 0 || consumed > chunk.size()) {
                events.append({Result::Error, "consumed out of range", -1});
                return events;
            }
            chunk = chunk.sliced(consumed);
            switch (result) {
            case Result::NeedMore:
                break;
            case Result::Message:
                events.append({Result::Message, (parser.isBinary() ? "b:" : "t:") + parser.takeMessage(), 0});
                break;
            case Result::Ping:
                events.append(ping(parser.payload()));
                break;
            case Result::Close:
                events.append(closed(parser.closeCode(), parser.closeReason().toUtf8()));
                break;
            case Result::Error:
                events.append(error(parser.closeCode()));
                break;
            }
            if (result == Result::NeedMore) {
                if (!chunk.isEmpty()) // NeedMore means every byte was read
                    events.append({Result::Error, "NeedMore with bytes left", -1});
                break;
            }
            if (++guard > 100000) {
                events.append({Result::Error, "no progress", -1});
                break;
            }
        }
    }
    return events;
}

QList<Event> parseWhole(QByteArrayView stream, qint64 max = MaxMessage)
{
    FrameParser parser(max);
    return parseChunks(parser, {stream});
}

//! The places to cut a stream at: all of them for a short one; for a long one its first and
//! last bytes (the headers) and a stride through the payload.
QList<qsizetype> cuts(qsizetype size)
{
    QList<qsizetype> at;
    for (qsizetype i = 0; i <= size; ++i) {
        if (size <= 2048 || i < 80 || i > size - 80 || i % 997 == 0)
            at.append(i);
    }
    return at;
}

QByteArray printable(const QList<Event> &events)
{
    QByteArray out;
    for (const Event &event : events)
        out += QByteArray::number(int(event.type)) + '/' + QByteArray::number(event.code) + '/'
               + event.data.left(40).toHex() + ' ';
    return out;
}

} // namespace

Q_DECLARE_METATYPE(QList<Event>)

class tst_WebSocketFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverFrameHeaders_data();
    void serverFrameHeaders();
    void framesForPackets();
    void closePayloadFits_data();
    void closePayloadFits();
    void closeCodes();
    void acceptKey();
    void openingHandshake_data();
    void openingHandshake();
    void switchingProtocols();

    void clientStreams_data();
    void clientStreams();
    void sizeCapCountsFragments();
    void afterAnErrorTheCloseFrameIsStillFound();
    void discardingSkipsDataAndPings();
    void parserMovesMidFrame();
    void largeFrameInPieces();
};

// ----- what the server sends

void tst_WebSocketFrame::serverFrameHeaders_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty") << qsizetype(0) << QByteArray::fromHex("8100");
    QTest::newRow("125") << qsizetype(125) << QByteArray::fromHex("817d");
    QTest::newRow("126: 16-bit length") << qsizetype(126) << QByteArray::fromHex("817e007e");
    QTest::newRow("65535") << qsizetype(65535) << QByteArray::fromHex("817effff");
    QTest::newRow("65536: 64-bit length") << qsizetype(65536) << QByteArray::fromHex("817f0000000000010000");
}

void tst_WebSocketFrame::serverFrameHeaders()
{
    QFETCH(qsizetype, size);
    QFETCH(QByteArray, header);
    const QByteArray payload(size, 'x');
    const QByteArray out = frame(Opcode::Text, payload);
    QCOMPARE(out.left(header.size()).toHex(), header.toHex());
    QCOMPARE(out.size(), header.size() + size);
    QCOMPARE(out.mid(header.size()), payload);

    // A prefix counts in the length and comes first.
    QByteArray prefixed;
    appendFrame(prefixed, Opcode::Binary, "ab", payload.left(qMax<qsizetype>(0, size - 2)));
    QCOMPARE(uchar(prefixed[0]), uchar(0x82));
    QCOMPARE(prefixed.size(), out.size() - (size == 0 ? -2 : 0));
}

void tst_WebSocketFrame::framesForPackets()
{
    const QByteArray frames = webSocketFrames({Packet::message("hi"), Packet::binaryMessage("\x01\x02"),
                                               Packet::of(PacketType::Pong, "probe"),
                                               Packet::message("caf\xc3")}); // cut UTF-8
    QByteArray expected = QByteArray::fromHex("8103") + "4hi" + QByteArray::fromHex("82020102")
                          + QByteArray::fromHex("8106") + "3probe";
    // Never invalid UTF-8 in a text frame: the broken sequence becomes U+FFFD.
    expected += QByteArray::fromHex("8107") + "4caf\xef\xbf\xbd";
    QCOMPARE(frames.toHex(), expected.toHex());
    QVERIFY(webSocketFrames({}).isEmpty());
}

void tst_WebSocketFrame::closePayloadFits_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("expectedReasonBytes");
    QTest::newRow("none") << QString() << 0;
    QTest::newRow("short") << QStringLiteral("bye") << 3;
    QTest::newRow("123 ASCII fit") << QString(123, u'a') << 123;
    QTest::newRow("124 ASCII are cut") << QString(124, u'a') << 123;
    // 61 two-byte characters are 122 bytes; the 62nd would make 124.
    QTest::newRow("two-byte characters cut whole") << QString(70, QChar(0xe9)) << 122;
    // 30 four-byte characters (surrogate pairs) are 120 bytes; a 31st would be 124.
    QString emoji;
    for (int i = 0; i < 40; ++i)
        emoji += QString::fromUcs4(U"\U0001F600");
    QTest::newRow("surrogate pairs cut whole") << emoji << 120;
}

void tst_WebSocketFrame::closePayloadFits()
{
    QFETCH(QString, reason);
    QFETCH(int, expectedReasonBytes);
    const QByteArray payload = closePayload(1009, reason);
    QCOMPARE(qFromBigEndian<quint16>(payload.constData()), quint16(1009));
    QCOMPARE(payload.size() - 2, expectedReasonBytes);
    QVERIFY(payload.size() <= 125);
    QVERIFY(payload.mid(2).isValidUtf8());
    QCOMPARE(QString::fromUtf8(payload.mid(2)), reason.left(QString::fromUtf8(payload.mid(2)).size()));
}

void tst_WebSocketFrame::closeCodes()
{
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
        QVERIFY2(isValidCloseCode(code), QByteArray::number(code));
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        QVERIFY2(!isValidCloseCode(code), QByteArray::number(code));
    for (int code : {1002, 1003, 1007, 1008, 1009})
        QVERIFY(isErrorCloseCode(code));
    for (int code : {1000, 1001, 1011, 3000, 4000})
        QVERIFY(!isErrorCloseCode(code));
}

// ----- the opening handshake

void tst_WebSocketFrame::acceptKey()
{
    // RFC 6455 §1.3's example.
    QCOMPARE(WebSocket::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_WebSocketFrame::openingHandshake_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("error"); // empty: accepted
    QTest::addColumn<QByteArray>("versionHeader");
    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray v13 = "Sec-WebSocket-Version: 13\r\n";
    QTest::newRow("valid") << key + v13 << QByteArray() << QByteArray();
    QTest::newRow("version 8") << key + "Sec-WebSocket-Version: 8\r\n" << QByteArray() << QByteArray();
    QTest::newRow("valid with protocols") << key + v13 + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                                          << QByteArray() << QByteArray();
    QTest::newRow("no key") << v13 << QByteArray("Missing or invalid Sec-WebSocket-Key header") << QByteArray();
    QTest::newRow("short key") << "Sec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n" + v13
                               << QByteArray("Missing or invalid Sec-WebSocket-Key header") << QByteArray();
    QTest::newRow("key not base64") << "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ*==\r\n" + v13
                                    << QByteArray("Missing or invalid Sec-WebSocket-Key header") << QByteArray();
    QTest::newRow("no version") << key << QByteArray("Missing or invalid Sec-WebSocket-Version header")
                                << QByteArray("13, 8");
    QTest::newRow("version 12") << key + "Sec-WebSocket-Version: 12\r\n"
                                << QByteArray("Missing or invalid Sec-WebSocket-Version header")
                                << QByteArray("13, 8");
    QTest::newRow("protocol not a token") << key + v13 + "Sec-WebSocket-Protocol: chat, su per\r\n"
                                          << QByteArray("Invalid Sec-WebSocket-Protocol header") << QByteArray();
    QTest::newRow("empty protocol") << key + v13 + "Sec-WebSocket-Protocol: chat,,x\r\n"
                                    << QByteArray("Invalid Sec-WebSocket-Protocol header") << QByteArray();
}

void tst_WebSocketFrame::openingHandshake()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, error);
    QFETCH(QByteArray, versionHeader);
    const QByteArray request = "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
                               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               + headers + "\r\n";
    const Http::HeadParseResult parsed = Http::parseRequestHead(request);
    QCOMPARE(parsed.status, Http::HeadParseResult::Status::Complete);
    QVERIFY(parsed.head.isWebSocketUpgrade());
    const std::optional<HandshakeError> refused = checkOpeningHandshake(parsed.head);
    if (error.isEmpty()) {
        QVERIFY2(!refused, refused ? refused->message.constData() : "");
        return;
    }
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    QCOMPARE(refused->message, error);
    QByteArray version;
    for (const auto &header : refused->headers)
        if (header.first.compare("Sec-WebSocket-Version", Qt::CaseInsensitive) == 0)
            version = header.second;
    QCOMPARE(version, versionHeader);
}

void tst_WebSocketFrame::switchingProtocols()
{
    const QByteArray request = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    // The head may point into the bytes it was parsed from: they are kept.
    const QByteArray plainRequest = request + "\r\n";
    const Http::HeadParseResult plain = Http::parseRequestHead(plainRequest);
    QCOMPARE(plain.status, Http::HeadParseResult::Status::Complete);
    QCOMPARE(switchingProtocolsResponse(plain.head),
             QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
    // The first subprotocol offered is chosen, as ws does by default.
    const QByteArray protocolsRequest = request + "Sec-WebSocket-Protocol: chat , superchat\r\n\r\n";
    const Http::HeadParseResult withProtocols = Http::parseRequestHead(protocolsRequest);
    QCOMPARE(withProtocols.status, Http::HeadParseResult::Status::Complete);
    QVERIFY(switchingProtocolsResponse(withProtocols.head)
                .endsWith("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"));
}

// ----- what a client sends

void tst_WebSocketFrame::clientStreams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<Event>>("expected");

    QTest::newRow("text") << data(0x1, "4hello") << QList<Event>{text("4hello")};
    QTest::newRow("binary") << data(0x2, QByteArray("\x00\xff\x80", 3)) << QList<Event>{binary(QByteArray("\x00\xff\x80", 3))};
    QTest::newRow("empty text") << data(0x1, {}) << QList<Event>{text({})};
    QTest::newRow("two messages") << data(0x1, "4a") + data(0x2, "b") << QList<Event>{text("4a"), binary("b")};
    QTest::newRow("16-bit length") << data(0x1, QByteArray(300, 'x')) << QList<Event>{text(QByteArray(300, 'x'))};
    QTest::newRow("multibyte UTF-8") << data(0x1, "4caf\xc3\xa9 \xf0\x9f\x98\x80")
                                     << QList<Event>{text("4caf\xc3\xa9 \xf0\x9f\x98\x80")};

    // Fragments, with control frames between them.
    QTest::newRow("fragmented") << data(0x1, "4he", false) + data(0x0, "l", false) + data(0x0, {}, false)
                                           + data(0x0, "lo")
                                << QList<Event>{text("4hello")};
    QTest::newRow("fragmented binary") << data(0x2, "ab", false) + data(0x0, "cd") << QList<Event>{binary("abcd")};
    QTest::newRow("UTF-8 split across fragments")
        << data(0x1, "4\xf0\x9f", false) + data(0x0, "\x98\x80") << QList<Event>{text("4\xf0\x9f\x98\x80")};
    QTest::newRow("ping inside a fragmented message")
        << data(0x1, "4a", false) + data(0x9, "are you there") + data(0x0, "b")
        << QList<Event>{ping("are you there"), text("4ab")};
    QTest::newRow("pong ignored") << data(0xa, "x") + data(0x1, "4a") << QList<Event>{text("4a")};
    QTest::newRow("empty ping") << data(0x9, {}) << QList<Event>{ping({})};
    QTest::newRow("125-byte ping") << data(0x9, QByteArray(125, 'p')) << QList<Event>{ping(QByteArray(125, 'p'))};

    // The close.
    QTest::newRow("close with a reason") << closeFrame(1000, "bye") << QList<Event>{closed(1000, "bye")};
    QTest::newRow("close 4000") << closeFrame(4000) << QList<Event>{closed(4000)};
    QTest::newRow("close without a code") << data(0x8, {}) << QList<Event>{closed(1005)};
    QTest::newRow("nothing after the close") << closeFrame(1001) + data(0x1, "4late") + data(0x9, "x")
                                             << QList<Event>{closed(1001)};
    QTest::newRow("garbage after the close") << closeFrame(1000) + "\xff\xff\xff garbage"
                                             << QList<Event>{closed(1000)};
    QTest::newRow("one-byte close") << data(0x8, "\x03") << QList<Event>{error(1002)};
    QTest::newRow("close code 1005") << closeFrame(1005) << QList<Event>{error(1002)};
    QTest::newRow("close code 999") << closeFrame(999) << QList<Event>{error(1002)};
    QTest::newRow("close code 2000") << closeFrame(2000) << QList<Event>{error(1002)};
    QTest::newRow("close reason not UTF-8") << closeFrame(1000, "\xc3(") << QList<Event>{error(1007)};

    // Malformed frames: 1002, and nothing read after them.
    QTest::newRow("unmasked") << clientFrame({0x1, "4a", true, false}) + data(0x1, "4b")
                              << QList<Event>{error(1002)};
    for (quint8 bit : {quint8(0x40), quint8(0x20), quint8(0x10)})
        QTest::addRow("reserved bit %x", bit) << clientFrame({0x1, "4a", true, true, bit}) << QList<Event>{error(1002)};
    for (quint8 opcode : {quint8(0x3), quint8(0x7), quint8(0xb), quint8(0xf)})
        QTest::addRow("reserved opcode %x", opcode) << data(opcode, "x") << QList<Event>{error(1002)};
    QTest::newRow("fragmented ping") << data(0x9, "x", false) << QList<Event>{error(1002)};
    QTest::newRow("126-byte ping") << data(0x9, QByteArray(126, 'p')) << QList<Event>{error(1002)};
    QTest::newRow("continuation of nothing") << data(0x0, "x") << QList<Event>{error(1002)};
    QTest::newRow("new message inside a fragmented one") << data(0x1, "4a", false) + data(0x1, "4b")
                                                         << QList<Event>{error(1002)};
    QTest::newRow("16-bit length under 126") << rawHeader(0x81, 126, QByteArray::fromHex("007d"))
                                             << QList<Event>{error(1002)};
    QTest::newRow("64-bit length under 65536") << rawHeader(0x81, 127, QByteArray::fromHex("000000000000ffff"))
                                               << QList<Event>{error(1002)};
    QTest::newRow("64-bit length, high bit set") << rawHeader(0x82, 127, QByteArray::fromHex("8000000000010000"))
                                                 << QList<Event>{error(1002)};

    // Text that is not UTF-8: 1007.
    QTest::newRow("lone continuation byte") << data(0x1, "4\x80") << QList<Event>{error(1007)};
    QTest::newRow("truncated sequence") << data(0x1, "4\xe2\x82") << QList<Event>{error(1007)};
    QTest::newRow("overlong encoding") << data(0x1, "4\xc0\xaf") << QList<Event>{error(1007)};
    QTest::newRow("UTF-16 surrogate") << data(0x1, "4\xed\xa0\x80") << QList<Event>{error(1007)};
    QTest::newRow("above U+10FFFF") << data(0x1, "4\xf4\x90\x80\x80") << QList<Event>{error(1007)};
    QTest::newRow("invalid in the last fragment") << data(0x1, "4ok", false) + data(0x0, "\xff")
                                                  << QList<Event>{error(1007)};
    QTest::newRow("binary need not be UTF-8") << data(0x2, "\xff\xfe") << QList<Event>{binary("\xff\xfe")};

    // The size cap (maxHttpBufferSize): 1009.
    QTest::newRow("exactly the cap") << data(0x1, QByteArray(MaxMessage, 'x'))
                                     << QList<Event>{text(QByteArray(MaxMessage, 'x'))};
    QTest::newRow("one byte over the cap") << data(0x1, QByteArray(MaxMessage + 1, 'x')) << QList<Event>{error(1009)};
    QTest::newRow("fragments over the cap")
        << data(0x1, QByteArray(600, 'x'), false) + data(0x0, QByteArray(401, 'y')) << QList<Event>{error(1009)};
    QTest::newRow("announced over the cap, never sent")
        << rawHeader(0x82, 127, QByteArray::fromHex("00000000ffffffff")) << QList<Event>{error(1009)};

    // Endless fragments: 1008.
    QByteArray fragments = data(0x1, "4", false);
    for (int i = 0; i < MaxFragmentsPerMessage; ++i)
        fragments += data(0x0, {}, false);
    QTest::newRow("too many fragments") << fragments << QList<Event>{error(1008)};
    QByteArray justEnough = data(0x1, "4", false);
    for (int i = 0; i < MaxFragmentsPerMessage - 2; ++i)
        justEnough += data(0x0, {}, false);
    justEnough += data(0x0, "!");
    QTest::newRow("as many fragments as allowed") << justEnough << QList<Event>{text("4!")};
}

void tst_WebSocketFrame::clientStreams()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<Event>, expected);

    const QList<Event> whole = parseWhole(stream);
    QVERIFY2(whole == expected, QByteArray(printable(whole) + " instead of " + printable(expected)).constData());

    for (qsizetype at : cuts(stream.size())) {
        FrameParser parser(MaxMessage);
        const QByteArrayView view(stream);
        const QList<Event> events = parseChunks(parser, {view.first(at), view.sliced(at)});
        QVERIFY2(events == expected, QByteArray("cut at " + QByteArray::number(at) + ": " + printable(events)).constData());
    }

    if (stream.size() <= 20000) {
        FrameParser parser(MaxMessage);
        QList<QByteArrayView> bytes;
        for (qsizetype i = 0; i < stream.size(); ++i)
            bytes.append(QByteArrayView(stream).sliced(i, 1));
        const QList<Event> events = parseChunks(parser, bytes);
        QVERIFY2(events == expected, QByteArray("byte by byte: " + printable(events)).constData());
    }
}

void tst_WebSocketFrame::sizeCapCountsFragments()
{
    // The cap is on the message, not the frame; each message starts from nothing.
    const QByteArray stream = data(0x1, QByteArray(500, 'a'), false) + data(0x0, QByteArray(500, 'b'))
                              + data(0x1, QByteArray(1000, 'c'));
    const QList<Event> events = parseWhole(stream);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0], text(QByteArray(500, 'a') + QByteArray(500, 'b')));
    QCOMPARE(events[1], text(QByteArray(1000, 'c')));
}

void tst_WebSocketFrame::afterAnErrorTheCloseFrameIsStillFound()
{
    // What the closer relies on: after an error, data is skipped, and the client's answer to
    // our Close frame is still recognised.
    const QByteArray stream = data(0x1, "4\xff") + data(0x1, "4skipped") + data(0x9, "skipped")
                              + data(0x1, QByteArray(MaxMessage * 3, 'z')) + closeFrame(1007);
    FrameParser parser(MaxMessage);
    QVERIFY(!parser.closeReceived());
    const QList<Event> events = parseChunks(parser, {stream});
    QCOMPARE(events, (QList<Event>{error(1007), closed(1007)}));
    QVERIFY(parser.closeReceived());
}

void tst_WebSocketFrame::discardingSkipsDataAndPings()
{
    const QByteArray stream = data(0x1, "4a", false) + data(0x0, "b") + data(0x9, "ping")
                              + data(0x2, QByteArray(MaxMessage * 2, 'z')) + closeFrame(1000, "done")
                              + data(0x1, "4after");
    for (qsizetype at : cuts(stream.size())) {
        FrameParser parser(MaxMessage);
        parser.discardData();
        const QList<Event> events = parseChunks(parser, {QByteArrayView(stream).first(at), QByteArrayView(stream).sliced(at)});
        QVERIFY2(events == (QList<Event>{closed(1000, "done")}),
                 QByteArray("cut at " + QByteArray::number(at) + ": " + printable(events)).constData());
        QVERIFY(parser.closeReceived());
    }
    // A malformed Close frame while discarding is still the client's last word.
    FrameParser parser(MaxMessage);
    parser.discardData();
    QCOMPARE(parseChunks(parser, {data(0x8, "\x01")}), QList<Event>{error(1002)});
    QVERIFY(parser.closeReceived());
}

void tst_WebSocketFrame::parserMovesMidFrame()
{
    // The transport hands its parser to the closer wherever the stream is.
    const QByteArray stream = data(0x1, "4first") + data(0x1, QByteArray(200, 'm')) + closeFrame(1000);
    for (qsizetype at = 0; at <= stream.size(); ++at) {
        FrameParser first(MaxMessage);
        QList<Event> events = parseChunks(first, {QByteArrayView(stream).first(at)});
        FrameParser second = std::move(first);
        second.discardData();
        events += parseChunks(second, {QByteArrayView(stream).sliced(at)});
        QVERIFY(second.closeReceived());
        QCOMPARE(events.last(), closed(1000));
    }
}

void tst_WebSocketFrame::largeFrameInPieces()
{
    // A 64-bit length, taken piece by piece as the kernel hands it over.
    QByteArray payload(200000, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 7);
    const QByteArray stream = data(0x2, payload) + data(0x1, "4next");
    for (qsizetype piece : {qsizetype(3), qsizetype(1000), qsizetype(65536)}) {
        FrameParser parser(1000000);
        QList<QByteArrayView> pieces;
        for (qsizetype at = 0; at < stream.size(); at += piece)
            pieces.append(QByteArrayView(stream).sliced(at, qMin(piece, stream.size() - at)));
        const QList<Event> events = parseChunks(parser, pieces);
        QCOMPARE(events.size(), 2);
        QVERIFY(events[0] == binary(payload));
        QCOMPARE(events[1], text("4next"));
    }
}

QTEST_APPLESS_MAIN(tst_WebSocketFrame)
#include "tst_websocket_frame.moc"
