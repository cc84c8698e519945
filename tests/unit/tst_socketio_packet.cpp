#include "socketio/json.h"
#include "socketio/packet.h"

#include <QTest>

#include "../common/canonicaljson.h"

#include <cmath>
#include <limits>

using namespace Roomcast::SocketIO;

Q_DECLARE_METATYPE(Roomcast::SocketIO::Packet)
Q_DECLARE_METATYPE(Roomcast::SocketIO::PacketType)

class tst_SocketIOPacket : public QObject
{
    Q_OBJECT

private slots:
    void decode_data();
    void decode();
    void encode_data() { decode_data(); }
    void encode();
    void encodeBuildsBinaryPackets_data();
    void encodeBuildsBinaryPackets();
    void decodeRejects_data();
    void decodeRejects();
    void decoderRecoversAfterError();
    void json_data();
    void json();
    void jsonParsesScalars_data();
    void jsonParsesScalars();
    void reservedEventNames();
    void namespaceValidity();
};

void tst_SocketIOPacket::decode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QByteArray>>("attachments");
    QTest::addColumn<Packet>("packet");

    const QByteArray b01020304 = QByteArray::fromHex("01020304");
    const QString admin = QStringLiteral("/admin");

    // Every example of the Socket.IO v5 protocol document.
    QTest::newRow("connect /") << QByteArray("0") << QList<QByteArray>{} << Packet::connect(QStringLiteral("/"));
    QTest::newRow("connect /admin with sid")
        << QByteArray(R"(0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"})") << QList<QByteArray>{}
        << Packet::connect(admin, QVariantMap{{QStringLiteral("sid"), QStringLiteral("oSO0OpakMV_3jnilAAAA")}});
    QTest::newRow("connect /admin with auth")
        << QByteArray(R"(0/admin,{"token":"123"})") << QList<QByteArray>{}
        << Packet::connect(admin, QVariantMap{{QStringLiteral("token"), QStringLiteral("123")}});
    QTest::newRow("connect /admin without payload") << QByteArray("0/admin,") << QList<QByteArray>{}
                                                    << Packet::connect(admin);
    QTest::newRow("connect error") << QByteArray(R"(4{"message":"Not authorized"})") << QList<QByteArray>{}
                                   << Packet::connectError(QStringLiteral("/"), QStringLiteral("Not authorized"));
    QTest::newRow("connect error with data")
        << QByteArray(R"(4/admin,{"data":{"code":42},"message":"no"})") << QList<QByteArray>{}
        << Packet::connectError(admin, QStringLiteral("no"), QVariantMap{{QStringLiteral("code"), 42}});
    QTest::newRow("connect error string") << QByteArray(R"(4"Invalid namespace")") << QList<QByteArray>{}
                                          << Packet{PacketType::ConnectError, QStringLiteral("/"),
                                                    QStringLiteral("Invalid namespace"), -1};
    QTest::newRow("event /") << QByteArray(R"(2["foo"])") << QList<QByteArray>{}
                             << Packet::event(QStringLiteral("/"), {QStringLiteral("foo")});
    QTest::newRow("event /admin") << QByteArray(R"(2/admin,["bar"])") << QList<QByteArray>{}
                                  << Packet::event(admin, {QStringLiteral("bar")});
    QTest::newRow("binary event") << QByteArray(R"(51-["baz",{"_placeholder":true,"num":0}])")
                                  << QList<QByteArray>{b01020304}
                                  << Packet::event(QStringLiteral("/"), {QStringLiteral("baz"), b01020304});
    QTest::newRow("binary event, two attachments")
        << QByteArray(R"(52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])")
        << QList<QByteArray>{QByteArray::fromHex("0102"), QByteArray::fromHex("0304")}
        << Packet::event(admin, {QStringLiteral("baz"), QByteArray::fromHex("0102"), QByteArray::fromHex("0304")});
    QTest::newRow("event with ack id") << QByteArray(R"(212["foo"])") << QList<QByteArray>{}
                                       << Packet::event(QStringLiteral("/"), {QStringLiteral("foo")}, 12);
    QTest::newRow("ack /admin") << QByteArray(R"(3/admin,13["bar"])") << QList<QByteArray>{}
                                << Packet::ack(admin, 13, {QStringLiteral("bar")});
    QTest::newRow("empty ack") << QByteArray("312[]") << QList<QByteArray>{}
                               << Packet::ack(QStringLiteral("/"), 12, {});
    QTest::newRow("binary ack") << QByteArray(R"(61-15["bar",{"_placeholder":true,"num":0}])")
                                << QList<QByteArray>{b01020304}
                                << Packet::ack(QStringLiteral("/"), 15, {QStringLiteral("bar"), b01020304});
    QTest::newRow("sample session binary ack") << QByteArray(R"(61-/admin,1[{"_placeholder":true,"num":0}])")
                                               << QList<QByteArray>{b01020304} << Packet::ack(admin, 1, {b01020304});
    QTest::newRow("sample session event with ack") << QByteArray(R"(2/admin,1["tellme"])") << QList<QByteArray>{}
                                                   << Packet::event(admin, {QStringLiteral("tellme")}, 1);
    QTest::newRow("disconnect /") << QByteArray("1") << QList<QByteArray>{} << Packet::disconnect(QStringLiteral("/"));
    QTest::newRow("disconnect /admin") << QByteArray("1/admin,") << QList<QByteArray>{} << Packet::disconnect(admin);

    // Beyond the spec's examples.
    QTest::newRow("numeric event name") << QByteArray(R"(2[1,"x"])") << QList<QByteArray>{}
                                        << Packet::event(QStringLiteral("/"), {1, QStringLiteral("x")});
    QTest::newRow("every JSON type")
        << QByteArray(R"(2["all",null,true,false,0,-7,1.5,"s",[],{},[1,[2]],{"a":{"b":null}}])")
        << QList<QByteArray>{}
        << Packet::event(QStringLiteral("/"),
                         {QStringLiteral("all"), Json::null(), true, false, 0, -7, 1.5, QStringLiteral("s"),
                          QVariantList{}, QVariantMap{}, QVariantList{1, QVariantList{2}},
                          QVariantMap{{QStringLiteral("a"), QVariantMap{{QStringLiteral("b"), Json::null()}}}}});
    QTest::newRow("nested binary")
        << QByteArray(R"(51-["up",{"file":{"parts":[{"_placeholder":true,"num":0}]},"name":"a.bin"}])")
        << QList<QByteArray>{b01020304}
        << Packet::event(QStringLiteral("/"),
                         {QStringLiteral("up"),
                          QVariantMap{{QStringLiteral("file"), QVariantMap{{QStringLiteral("parts"), QVariantList{b01020304}}}},
                                      {QStringLiteral("name"), QStringLiteral("a.bin")}}});
    QTest::newRow("empty attachment") << QByteArray(R"(51-["e",{"_placeholder":true,"num":0}])")
                                      << QList<QByteArray>{QByteArray()}
                                      << Packet::event(QStringLiteral("/"), {QStringLiteral("e"), QByteArray()});
    QTest::newRow("ten attachments")
        << QByteArray(R"(510-["t",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},)"
                      R"({"_placeholder":true,"num":2},{"_placeholder":true,"num":3},{"_placeholder":true,"num":4},)"
                      R"({"_placeholder":true,"num":5},{"_placeholder":true,"num":6},{"_placeholder":true,"num":7},)"
                      R"({"_placeholder":true,"num":8},{"_placeholder":true,"num":9}])")
        << QList<QByteArray>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
        << Packet::event(QStringLiteral("/"), {QStringLiteral("t"), QByteArray("0"), QByteArray("1"), QByteArray("2"),
                                               QByteArray("3"), QByteArray("4"), QByteArray("5"), QByteArray("6"),
                                               QByteArray("7"), QByteArray("8"), QByteArray("9")});
    QTest::newRow("unicode") << QByteArray("2[\"m\",\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]")
                             << QList<QByteArray>{}
                             << Packet::event(QStringLiteral("/"),
                                              {QStringLiteral("m"), QString::fromUtf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")});
    QTest::newRow("largest ack id") << QByteArray(R"(29007199254740991["a"])") << QList<QByteArray>{}
                                    << Packet::event(QStringLiteral("/"), {QStringLiteral("a")}, 9007199254740991LL);
}

void tst_SocketIOPacket::decode()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, attachments);
    QFETCH(Packet, packet);

    Decoder decoder;
    Decoder::Status status = decoder.addText(text);
    for (const QByteArray &attachment : attachments) {
        QCOMPARE(status, Decoder::Status::NeedMore);
        QVERIFY(decoder.isReconstructing());
        status = decoder.addBinary(attachment);
    }
    QVERIFY2(status == Decoder::Status::Ready, qPrintable(decoder.errorString()));
    QVERIFY(!decoder.isReconstructing());
    const Packet decoded = decoder.takePacket();
    QCOMPARE(decoded.type, packet.type);
    QCOMPARE(decoded.nsp, packet.nsp);
    QCOMPARE(decoded.id, packet.id);
    QCOMPARE(decoded.data.isValid(), packet.data.isValid());
    QCOMPARE(canonicalJson(decoded.data), canonicalJson(packet.data));
}

void tst_SocketIOPacket::encode()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, attachments);
    QFETCH(Packet, packet);

    const EncodedPacket encoded = Roomcast::SocketIO::encode(packet);
    QCOMPARE(encoded.text, text);
    QCOMPARE(encoded.attachments, attachments);
}

void tst_SocketIOPacket::encodeBuildsBinaryPackets_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<PacketType>("type");
    QTest::addColumn<int>("attachments");

    const QByteArray bytes("\x00\xff", 2);
    QTest::newRow("event without binary") << Packet::event(QStringLiteral("/"), {QStringLiteral("a"), 1})
                                          << PacketType::Event << 0;
    QTest::newRow("event with binary") << Packet::event(QStringLiteral("/"), {QStringLiteral("a"), bytes})
                                       << PacketType::BinaryEvent << 1;
    QTest::newRow("ack with binary in a map")
        << Packet::ack(QStringLiteral("/x"), 3, {QVariantMap{{QStringLiteral("k"), bytes}}}) << PacketType::BinaryAck << 1;
    QTest::newRow("binary event without binary is sent as event")
        << Packet{PacketType::BinaryEvent, QStringLiteral("/"), QVariantList{QStringLiteral("a")}, -1}
        << PacketType::Event << 0;
    QTest::newRow("three in a list") << Packet::event(QStringLiteral("/"), {QStringLiteral("a"), QVariantList{bytes, bytes, bytes}})
                                     << PacketType::BinaryEvent << 3;
}

void tst_SocketIOPacket::encodeBuildsBinaryPackets()
{
    QFETCH(Packet, packet);
    QFETCH(PacketType, type);
    QFETCH(int, attachments);

    const EncodedPacket encoded = Roomcast::SocketIO::encode(packet);
    QCOMPARE(encoded.text.front(), char('0' + int(type)));
    QCOMPARE(encoded.attachments.size(), attachments);

    // and it decodes back to the same packet
    Decoder decoder;
    Decoder::Status status = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments)
        status = decoder.addBinary(attachment);
    QVERIFY2(status == Decoder::Status::Ready, qPrintable(decoder.errorString()));
    const Packet decoded = decoder.takePacket();
    QCOMPARE(int(decoded.type), int(packet.type == PacketType::BinaryEvent ? PacketType::Event : packet.type));
    QCOMPARE(decoded.nsp, packet.nsp);
    QCOMPARE(decoded.id, packet.id);
    QCOMPARE(canonicalJson(decoded.data), canonicalJson(packet.data));
}

void tst_SocketIOPacket::decodeRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QByteArray>>("binaries");
    QTest::addColumn<QString>("error");

    const QList<QByteArray> none;
    const QString invalidPayload = QStringLiteral("invalid payload");
    const QString illegalAttachments = QStringLiteral("illegal attachments");
    const QString tooMany = QStringLiteral("too many attachments");

    QTest::newRow("empty") << QByteArray() << none << QStringLiteral("unknown packet type");
    QTest::newRow("unknown type 7") << QByteArray(R"(7["a"])") << none << QStringLiteral("unknown packet type");
    QTest::newRow("unknown type letter") << QByteArray("x") << none << QStringLiteral("unknown packet type");
    QTest::newRow("bad json") << QByteArray(R"(2["a",)") << none << invalidPayload;
    QTest::newRow("json then garbage") << QByteArray(R"(2["a"]x)") << none << invalidPayload;
    QTest::newRow("two values") << QByteArray(R"(4"a","b")") << none << invalidPayload;
    QTest::newRow("event without payload") << QByteArray("2") << none << invalidPayload;
    QTest::newRow("event object payload") << QByteArray("2{}") << none << invalidPayload;
    QTest::newRow("event string payload") << QByteArray(R"(2"a")") << none << invalidPayload;
    QTest::newRow("event empty array") << QByteArray("2[]") << none << invalidPayload;
    QTest::newRow("advisory: null event name") << QByteArray(R"(2[null,"bar"])") << none << invalidPayload;
    QTest::newRow("advisory: object event name") << QByteArray(R"(2[{"toString":"foo"}])") << none << invalidPayload;
    QTest::newRow("array event name") << QByteArray(R"(2[["a"]])") << none << invalidPayload;
    QTest::newRow("boolean event name") << QByteArray("2[true]") << none << invalidPayload;
    QTest::newRow("advisory: reserved connect") << QByteArray(R"(2["connect"])") << none << invalidPayload;
    QTest::newRow("reserved connect_error") << QByteArray(R"(2["connect_error"])") << none << invalidPayload;
    QTest::newRow("reserved disconnect") << QByteArray(R"(2["disconnect"])") << none << invalidPayload;
    QTest::newRow("reserved disconnecting") << QByteArray(R"(2["disconnecting"])") << none << invalidPayload;
    QTest::newRow("reserved newListener") << QByteArray(R"(2["newListener"])") << none << invalidPayload;
    QTest::newRow("reserved removeListener") << QByteArray(R"(2["removeListener"])") << none << invalidPayload;
    QTest::newRow("advisory: connect with array") << QByteArray("0[]") << none << invalidPayload;
    QTest::newRow("connect with string") << QByteArray(R"(0"tok")") << none << invalidPayload;
    QTest::newRow("disconnect with payload") << QByteArray("1{}") << none << invalidPayload;
    QTest::newRow("ack without payload") << QByteArray("31") << none << invalidPayload;
    QTest::newRow("ack with object") << QByteArray("31{}") << none << invalidPayload;
    QTest::newRow("connect error without payload") << QByteArray("4") << none << invalidPayload;
    QTest::newRow("connect error with array") << QByteArray("4[]") << none << invalidPayload;
    QTest::newRow("advisory: 100 KB ack id") << (QByteArray("2") + QByteArray(100 * 1024, '1') + R"(["a"])") << none
                                             << QStringLiteral("invalid ack id");
    QTest::newRow("ack id above 2^53") << QByteArray(R"(29007199254740992["a"])") << none
                                       << QStringLiteral("invalid ack id");
    QTest::newRow("advisory: a million attachments") << QByteArray(R"(51000000-["a"])") << none << tooMany;
    QTest::newRow("eleven attachments") << QByteArray(R"(511-["a"])") << none << tooMany;
    QTest::newRow("huge attachment count") << QByteArray(R"(599999999999999999-["a"])") << none << tooMany;
    QTest::newRow("zero attachments") << QByteArray(R"(50-["a"])") << none << illegalAttachments;
    QTest::newRow("no attachment count") << QByteArray(R"(5-["a"])") << none << illegalAttachments;
    QTest::newRow("attachment count without dash") << QByteArray(R"(51["a"])") << none << illegalAttachments;
    QTest::newRow("attachment count only") << QByteArray("51") << none << illegalAttachments;
    QTest::newRow("advisory: num splice") << QByteArray(R"(51-["a",{"_placeholder":true,"num":"splice"}])")
                                          << QList<QByteArray>{"x"} << illegalAttachments;
    QTest::newRow("advisory: num -1") << QByteArray(R"(51-["a",{"_placeholder":true,"num":-1}])")
                                      << QList<QByteArray>{"x"} << illegalAttachments;
    QTest::newRow("advisory: num 0.5") << QByteArray(R"(51-["a",{"_placeholder":true,"num":0.5}])")
                                       << QList<QByteArray>{"x"} << illegalAttachments;
    QTest::newRow("num out of range") << QByteArray(R"(51-["a",{"_placeholder":true,"num":1}])")
                                      << QList<QByteArray>{"x"} << illegalAttachments;
    QTest::newRow("num missing") << QByteArray(R"(51-["a",{"_placeholder":true}])") << QList<QByteArray>{"x"}
                                 << illegalAttachments;
    QTest::newRow("num null") << QByteArray(R"(51-["a",{"_placeholder":true,"num":null}])")
                              << QList<QByteArray>{"x"} << illegalAttachments;
    QTest::newRow("num used twice") << QByteArray(R"(52-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}])")
                                    << QList<QByteArray>{"x", "y"} << illegalAttachments;
    // Found by fuzz/socketio_decoder: ten attachments, thirteen placeholders. Taken as it came,
    // the value encoded again had thirteen attachments, more than any peer accepts. (The
    // input had a raw NUL in a key, here written as a JSON \u escape.)
    QTest::newRow("fuzz: thirteen placeholders for ten attachments")
        << QByteArray(R"(510-["t",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},)"
                      R"({"^placeholder":true,"m":1},{"_placeholder":true,"num":2},{"_placeholder":true,"num":3},)"
                      R"({"_placeholder":true,"num":4},{"_placnum":2},{"_placeholder":true,"num":3},)"
                      R"({"_placeholder":true,"num":4},{"_placeholder":true,"num":5},{"_placeholder":true,"num":6},)"
                      R"({"_placeholder":true,"num":7},{"_placeholde\u0000r":true,"num":8},{"_placeholder":true,"num":9}])")
        << QList<QByteArray>{"0", "2", "2", "3", "4", "5", "6", "7", "8", "9"} << illegalAttachments;
    QTest::newRow("text while reconstructing") << QByteArray(R"(52-["a",{"_placeholder":true,"num":0}])")
                                               << QList<QByteArray>{"x", "#2[\"b\"]"}
                                               << QStringLiteral("got plaintext data when reconstructing a packet");
    QTest::newRow("stray binary frame") << QByteArray() << QList<QByteArray>{"x"}
                                        << QStringLiteral("got binary data when not reconstructing a packet");
    QTest::newRow("binary event with reserved name")
        << QByteArray(R"(51-["disconnect",{"_placeholder":true,"num":0}])") << none << invalidPayload;
}

// Feeds the text (unless empty), then each binary; a binary that starts with '#' is fed as
// text instead. The last step must fail with the expected error, and none before it.
void tst_SocketIOPacket::decodeRejects()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, binaries);
    QFETCH(QString, error);

    Decoder decoder;
    QList<std::function<Decoder::Status()>> steps;
    if (!text.isEmpty() || binaries.isEmpty())
        steps.append([&] { return decoder.addText(text); });
    for (const QByteArray &binary : binaries) {
        if (binary.startsWith('#'))
            steps.append([&decoder, binary] { return decoder.addText(binary.mid(1)); });
        else
            steps.append([&decoder, binary] { return decoder.addBinary(binary); });
    }
    for (qsizetype i = 0; i + 1 < steps.size(); ++i)
        QCOMPARE(steps.at(i)(), Decoder::Status::NeedMore);
    QCOMPARE(steps.last()(), Decoder::Status::Error);
    QVERIFY2(decoder.errorString().startsWith(error), qPrintable(decoder.errorString()));
    QVERIFY(!decoder.isReconstructing());
}

void tst_SocketIOPacket::decoderRecoversAfterError()
{
    Decoder decoder;
    QCOMPARE(decoder.addText(R"(51-["a",{"_placeholder":true,"num":7}])"), Decoder::Status::NeedMore);
    QCOMPARE(decoder.addBinary("x"), Decoder::Status::Error);
    QCOMPARE(decoder.addText(R"(2["ok"])"), Decoder::Status::Ready);
    QCOMPARE(decoder.takePacket().data.toList().value(0).toString(), QStringLiteral("ok"));
}

void tst_SocketIOPacket::json_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QByteArray>("json");

    // What JavaScript's JSON.stringify writes for the same value.
    QTest::newRow("null") << Json::null() << QByteArray("null");
    QTest::newRow("invalid is null") << QVariant() << QByteArray("null");
    QTest::newRow("true") << QVariant(true) << QByteArray("true");
    QTest::newRow("int") << QVariant(-42) << QByteArray("-42");
    QTest::newRow("uint64") << QVariant(quint64(18446744073709551615ULL)) << QByteArray("18446744073709551615");
    QTest::newRow("double integral") << QVariant(3.0) << QByteArray("3");
    QTest::newRow("negative zero") << QVariant(-0.0) << QByteArray("0");
    QTest::newRow("fraction") << QVariant(0.1) << QByteArray("0.1");
    QTest::newRow("third") << QVariant(1.0 / 3) << QByteArray("0.3333333333333333");
    QTest::newRow("small") << QVariant(1e-7) << QByteArray("1e-7");
    QTest::newRow("just not small") << QVariant(0.000001) << QByteArray("0.000001");
    QTest::newRow("2^53+2") << QVariant(9007199254740994.0) << QByteArray("9007199254740994");
    QTest::newRow("1e20") << QVariant(1e20) << QByteArray("100000000000000000000");
    QTest::newRow("1e21") << QVariant(1e21) << QByteArray("1e+21");
    QTest::newRow("1.5e300") << QVariant(-1.5e300) << QByteArray("-1.5e+300");
    QTest::newRow("NaN") << QVariant(std::nan("")) << QByteArray("null");
    QTest::newRow("infinity") << QVariant(std::numeric_limits<double>::infinity()) << QByteArray("null");
    QTest::newRow("string escapes") << QVariant(QStringLiteral("q\"b\\n\nt\tc\x01"))
                                    << QByteArray(R"("q\"b\\n\nt\tc\u0001")");
    QTest::newRow("control characters") << QVariant(QStringLiteral("\b\f\r\x1f")) << QByteArray(R"("\b\f\r\u001f")");
    QTest::newRow("unicode as utf-8") << QVariant(QString::fromUtf8("\xe2\x82\xac\xf0\x9f\x98\x80"))
                                      << QByteArray("\"\xe2\x82\xac\xf0\x9f\x98\x80\"");
    QTest::newRow("lone high surrogate") << QVariant(QString(QChar(0xd83d)) + u'x') << QByteArray(R"("\ud83dx")");
    QTest::newRow("lone low surrogate") << QVariant(QString(QChar(0xde00))) << QByteArray(R"("\ude00")");
    QTest::newRow("slash is not escaped") << QVariant(QStringLiteral("a/b")) << QByteArray(R"("a/b")");
    QTest::newRow("list") << QVariant(QVariantList{1, QStringLiteral("a"), QVariant()}) << QByteArray(R"([1,"a",null])");
    QTest::newRow("string list") << QVariant(QStringList{QStringLiteral("a"), QStringLiteral("b")})
                                 << QByteArray(R"(["a","b"])");
    QTest::newRow("map") << QVariant(QVariantMap{{QStringLiteral("b"), 1}, {QStringLiteral("a"), QVariantMap{}}})
                         << QByteArray(R"({"a":{},"b":1})");
    QTest::newRow("binary without attachments is base64") << QVariant(QByteArray("\x01\x02", 2))
                                                          << QByteArray(R"("AQI=")");
}

void tst_SocketIOPacket::json()
{
    QFETCH(QVariant, value);
    QFETCH(QByteArray, json);
    QCOMPARE(Json::serialize(value), json);
}

void tst_SocketIOPacket::jsonParsesScalars_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("string") << QByteArray(R"("x")") << true;
    QTest::newRow("number") << QByteArray("12.5") << true;
    QTest::newRow("null") << QByteArray("null") << true;
    QTest::newRow("two numbers") << QByteArray("1,2") << false;
    QTest::newRow("closing bracket") << QByteArray("1],[2") << false;
    QTest::newRow("bare word") << QByteArray("undefined") << false;
    QTest::newRow("object") << QByteArray(R"({"a":1})") << true;
    QTest::newRow("nothing") << QByteArray("") << false;
}

void tst_SocketIOPacket::jsonParsesScalars()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QCOMPARE(Json::parse(json).has_value(), valid);
}

void tst_SocketIOPacket::reservedEventNames()
{
    QVERIFY(isReservedEventName(u"connect"));
    QVERIFY(isReservedEventName(u"removeListener"));
    QVERIFY(!isReservedEventName(u"message"));
    QVERIFY(!isReservedEventName(u"Connect"));
}

void tst_SocketIOPacket::namespaceValidity()
{
    QVERIFY(isValidNamespace(u"/"));
    QVERIFY(isValidNamespace(u"/admin"));
    QVERIFY(!isValidNamespace(u"admin"));
    QVERIFY(!isValidNamespace(u"/a,b"));
    QVERIFY(!isValidNamespace(u""));
}

QTEST_APPLESS_MAIN(tst_SocketIOPacket)
#include "tst_socketio_packet.moc"
