#include "engineio/packet.h"
#include "engineio/server.h"
#include "engineio/serverwebsocket_p.h"

#include <QTest>

using namespace Roomcast::EngineIO;

Q_DECLARE_METATYPE(Roomcast::EngineIO::Packet)

class tst_EngineIOPacket : public QObject
{
    Q_OBJECT

private slots:
    void decodeText_data();
    void decodeText();
    void encodeText_data() { decodeText_data(); }
    void encodeText();
    void decodeTextRejects_data();
    void decodeTextRejects();
    void payload_data();
    void payload();
    void payloadRejects_data();
    void payloadRejects();
    void payloadRecordSize();
    void serverWebSocketFrames_data();
    void serverWebSocketFrames();
    void sharedPacketsEncodeOnce();
};

void tst_EngineIOPacket::decodeText_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Packet>("packet");

    // Every example of the Engine.IO v4 protocol document, as it travels in a WebSocket text frame.
    QTest::newRow("open") << QByteArray(R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
                                        R"("pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})")
                          << Packet::of(PacketType::Open,
                                        R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
                                        R"("pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
    QTest::newRow("close") << QByteArray("1") << Packet::of(PacketType::Close);
    QTest::newRow("ping") << QByteArray("2") << Packet::of(PacketType::Ping);
    QTest::newRow("pong") << QByteArray("3") << Packet::of(PacketType::Pong);
    QTest::newRow("probe ping") << QByteArray("2probe") << Packet::of(PacketType::Ping, "probe");
    QTest::newRow("probe pong") << QByteArray("3probe") << Packet::of(PacketType::Pong, "probe");
    QTest::newRow("message") << QByteArray("4hello") << Packet::message("hello");
    QTest::newRow("empty message") << QByteArray("4") << Packet::message({});
    QTest::newRow("socket.io event") << QByteArray(R"(42["hey","Jude"])") << Packet::message(R"(2["hey","Jude"])");
    QTest::newRow("utf-8 message") << QByteArray("4\xe2\x82\xac") << Packet::message("\xe2\x82\xac");
    QTest::newRow("upgrade") << QByteArray("5") << Packet::of(PacketType::Upgrade);
    QTest::newRow("noop") << QByteArray("6") << Packet::of(PacketType::Noop);
}

void tst_EngineIOPacket::decodeText()
{
    QFETCH(QByteArray, frame);
    QFETCH(Packet, packet);
    QString error;
    const auto decoded = Roomcast::EngineIO::decodeText(frame, &error);
    QVERIFY2(decoded.has_value(), qPrintable(error));
    QCOMPARE(decoded->type, packet.type);
    QCOMPARE(decoded->data, packet.data);
    QVERIFY(!decoded->binary);
}

void tst_EngineIOPacket::encodeText()
{
    QFETCH(QByteArray, frame);
    QFETCH(Packet, packet);
    QCOMPARE(Roomcast::EngineIO::encodeText(packet), frame);
}

void tst_EngineIOPacket::decodeTextRejects_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty packet");
    QTest::newRow("type 7") << QByteArray("7") << QStringLiteral("unknown packet type '7'");
    QTest::newRow("letter") << QByteArray("xhello") << QStringLiteral("unknown packet type 'x'");
    QTest::newRow("binary prefix in a frame") << QByteArray("bAQID") << QStringLiteral("unknown packet type 'b'");
}

void tst_EngineIOPacket::decodeTextRejects()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!Roomcast::EngineIO::decodeText(frame, &actual));
    QCOMPARE(actual, error);
}

void tst_EngineIOPacket::payload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QList<Packet>>("packets");

    QTest::newRow("single") << QByteArray("4hello") << QList<Packet>{Packet::message("hello")};
    QTest::newRow("spec: three packets") << QByteArray("4hello\x1e"
                                                       "2\x1e"
                                                       "4world")
                                         << QList<Packet>{Packet::message("hello"), Packet::of(PacketType::Ping),
                                                          Packet::message("world")};
    QTest::newRow("spec: binary") << QByteArray("4hello\x1e"
                                                "bAQIDBA==")
                                  << QList<Packet>{Packet::message("hello"),
                                                   Packet::binaryMessage(QByteArray::fromHex("01020304"))};
    QTest::newRow("spec: session") << QByteArray("42[\"hello\"]\x1e"
                                                 "42[\"world\"]")
                                   << QList<Packet>{Packet::message("2[\"hello\"]"), Packet::message("2[\"world\"]")};
    QTest::newRow("empty binary") << QByteArray("b") << QList<Packet>{Packet::binaryMessage({})};
    QTest::newRow("noop") << QByteArray("6") << QList<Packet>{Packet::of(PacketType::Noop)};
}

void tst_EngineIOPacket::payload()
{
    QFETCH(QByteArray, payload);
    QFETCH(QList<Packet>, packets);
    QString error;
    const auto decoded = decodePayload(payload, &error);
    QVERIFY2(decoded.has_value(), qPrintable(error));
    QCOMPARE(*decoded, packets);
    QCOMPARE(encodePayload(packets), payload);
}

void tst_EngineIOPacket::payloadRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty packet");
    QTest::newRow("empty record") << QByteArray("4a\x1e\x1e"
                                                "4b")
                                  << QStringLiteral("empty packet");
    QTest::newRow("trailing separator") << QByteArray("4a\x1e") << QStringLiteral("empty packet");
    QTest::newRow("bad type after good") << QByteArray("4a\x1e"
                                                       "9")
                                         << QStringLiteral("unknown packet type '9'");
    QTest::newRow("bad base64") << QByteArray("b!!!!") << QStringLiteral("invalid base64 in binary packet");
    QTest::newRow("base64 inside base64") << QByteArray("bAQ=ID") << QStringLiteral("invalid base64 in binary packet");
}

void tst_EngineIOPacket::payloadRejects()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!decodePayload(payload, &actual));
    QCOMPARE(actual, error);
}

void tst_EngineIOPacket::payloadRecordSize()
{
    const QList<Packet> packets{Packet::message("hello"), Packet::binaryMessage(QByteArray(7, 'x')),
                                Packet::of(PacketType::Ping)};
    qsizetype total = 0;
    for (const Packet &packet : packets)
        total += Roomcast::EngineIO::payloadRecordSize(packet);
    // every record counts its separator; the payload has one fewer separator than records
    QCOMPARE(encodePayload(packets).size(), total - 1);
}

void tst_EngineIOPacket::serverWebSocketFrames_data()
{
    // What the server writes (RFC 6455 §5.2): FIN, the opcode, an unmasked length in 7, 16 or
    // 64 bits, then the packet as encodeText() has it, or the bytes of a binary message.
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("ping") << Packet::of(PacketType::Ping) << QByteArray("\x81\x01" "2", 3);
    QTest::newRow("message") << Packet::message("hi") << QByteArray("\x81\x03" "4hi", 5);
    const QByteArray under(124, 'a'); // with the type digit, 125: the longest 7-bit length
    QTest::newRow("125 bytes") << Packet::message(under) << QByteArray("\x81\x7d" "4", 3) + under;
    const QByteArray at(125, 'a');
    QTest::newRow("126 bytes") << Packet::message(at) << QByteArray("\x81\x7e\x00\x7e" "4", 5) + at;
    const QByteArray large(65535, 'a');
    QTest::newRow("65536 bytes") << Packet::message(large)
                                 << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00" "4", 11) + large;
    QTest::newRow("binary") << Packet::binaryMessage(QByteArray("\x00\xff", 2)) << QByteArray("\x82\x02\x00\xff", 4);
    // Never invalid UTF-8 in a text frame: the client would drop the connection.
    QTest::newRow("invalid UTF-8") << Packet::message("a\xff") << QByteArray("\x81\x05" "4a\xef\xbf\xbd", 7);
}

void tst_EngineIOPacket::serverWebSocketFrames()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, frame);
    QCOMPARE(webSocketFrames({packet}), frame);
    // Several: back to back, in order.
    QCOMPARE(webSocketFrames({packet, Packet::of(PacketType::Pong)}), frame + QByteArray("\x81\x01" "3", 3));
}

void tst_EngineIOPacket::sharedPacketsEncodeOnce()
{
    const QList<Packet> packets{Packet::message("451-[\"e\",{\"_placeholder\":true,\"num\":0}]"),
                                Packet::binaryMessage("\x01")};
    const SharedPackets shared(packets);
    QCOMPARE(shared.packets(), packets);
    const QByteArray &first = shared.webSocketFrames();
    QCOMPARE(first, webSocketFrames(packets));
    // The same bytes for every recipient: built once, then shared, not copied.
    QCOMPARE(shared.webSocketFrames().constData(), first.constData());
    QVERIFY(SharedPackets().webSocketFrames().isEmpty());
}

QTEST_APPLESS_MAIN(tst_EngineIOPacket)
#include "tst_engineio_packet.moc"
