// roomcast-cli's pure parts: the {"$binary":…} mapping, output lines, and the command line.
#include "clioptions.h"
#include "ndjson.h"

#include "socketio/json.h"

#include <QJsonValue>
#include <QTest>

using namespace Roomcast;
using namespace Roomcast::Cli;

namespace {

QVariant fromJson(const char *json)
{
    return *SocketIO::Json::toVariant(*SocketIO::Json::parse(json));
}

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class tst_CliLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodeBinary_data();
    void decodeBinary();
    void decodeBinaryRejects_data();
    void decodeBinaryRejects();
    void lineKeepsKeyOrderAndEncodesBinary();
    void parseArguments_data();
    void parseArguments();
    void parseArgumentsRejects_data();
    void parseArgumentsRejects();
};

void tst_CliLines::decodeBinary_data()
{
    QTest::addColumn<QVariant>("json");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("plain values") << fromJson(R"([1,"a",null,true,{"k":[]}])") << fromJson(R"([1,"a",null,true,{"k":[]}])");
    QTest::newRow("top level") << fromJson(R"({"$binary":"AAEC/w=="})") << QVariant(QByteArray("\x00\x01\x02\xff", 4));
    QTest::newRow("empty") << fromJson(R"([{"$binary":""}])") << QVariant(QVariantList{QByteArray()});
    QTest::newRow("nested")
        << fromJson(R"({"a":[{"b":{"$binary":"aGk="}}],"c":2})")
        << QVariant(QVariantMap{{str("a"), QVariantList{QVariantMap{{str("b"), QByteArray("hi")}}}}, {str("c"), 2}});
    QTest::newRow("a $binary key beside others is no binary")
        << fromJson(R"({"$binary":"aGk=","other":1})") << fromJson(R"({"$binary":"aGk=","other":1})");
}

void tst_CliLines::decodeBinary()
{
    QFETCH(QVariant, json);
    QFETCH(QVariant, expected);

    const std::optional<QVariant> decoded = Cli::decodeBinary(json);
    QVERIFY(decoded);
    QCOMPARE(SocketIO::Json::serialize(*decoded), SocketIO::Json::serialize(expected));
    QCOMPARE(SocketIO::Json::containsBinary(*decoded), SocketIO::Json::containsBinary(expected));
    // And back.
    QCOMPARE(SocketIO::Json::serialize(encodeBinary(*decoded)), SocketIO::Json::serialize(json));
}

void tst_CliLines::decodeBinaryRejects_data()
{
    QTest::addColumn<QVariant>("json");

    QTest::newRow("not base64") << fromJson(R"({"$binary":"@@@@"})");
    QTest::newRow("number") << fromJson(R"([{"$binary":5}])");
    QTest::newRow("nested null") << fromJson(R"({"a":{"$binary":null}})");
}

void tst_CliLines::decodeBinaryRejects()
{
    QFETCH(QVariant, json);
    QString error;
    QVERIFY(!Cli::decodeBinary(json, &error));
    QVERIFY(!error.isEmpty());
}

void tst_CliLines::lineKeepsKeyOrderAndEncodesBinary()
{
    const QByteArray text = line({{str("type"), str("event")},
                                  {str("nsp"), str("/")},
                                  {str("args"), QVariantList{QByteArray("hi"), 1.5, SocketIO::Json::null(), str("\u00e9\n")}}});
    QCOMPARE(text, QByteArray(R"({"type":"event","nsp":"/","args":[{"$binary":"aGk="},1.5,null,"é\n"]})" "\n"));
}

void tst_CliLines::parseArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QVariantMap>("auth");
    QTest::addColumn<int>("transports"); //!< 0: polling then websocket, 1: websocket, 2: polling
    QTest::addColumn<bool>("reconnection");
    QTest::addColumn<int>("ackTimeoutMs");

    const QVariantMap none;
    QTest::newRow("bare") << QStringList{str("http://h:1")} << QUrl(str("http://h:1")) << str("/") << str("/socket.io/")
                          << none << 0 << true << -1;
    QTest::newRow("namespace and query")
        << QStringList{str("wss://h:2/chat?x=1#frag")} << QUrl(str("wss://h:2?x=1")) << str("/chat")
        << str("/socket.io/") << none << 0 << true << -1;
    QTest::newRow("everything")
        << QStringList{str("https://h/a"), str("--token"), str("T"), str("--auth"), str(R"({"k":[1]})"),
                       str("--transport"), str("websocket"), str("--path"), str("/rt"), str("--no-reconnect"),
                       str("--ack-timeout"), str("250")}
        << QUrl(str("https://h")) << str("/a") << str("/rt/")
        << QVariantMap{{str("token"), str("T")}, {str("k"), QVariantList{1}}} << 1 << false << 250;
    QTest::newRow("polling") << QStringList{str("ws://h/"), str("--transport"), str("polling")} << QUrl(str("ws://h"))
                             << str("/") << str("/socket.io/") << none << 2 << true << -1;
}

void tst_CliLines::parseArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QUrl, url);
    QFETCH(QString, nsp);
    QFETCH(QString, path);
    QFETCH(QVariantMap, auth);
    QFETCH(int, transports);
    QFETCH(bool, reconnection);
    QFETCH(int, ackTimeoutMs);

    const CliArguments parsed = Cli::parseArguments(QStringList{str("roomcast-cli")} + arguments);
    QCOMPARE(parsed.status, CliArguments::Status::Run);
    const CliOptions &options = parsed.options;
    QCOMPARE(options.url, url);
    QCOMPARE(options.nsp, nsp);
    QCOMPARE(options.manager.engine.path, path);
    QCOMPARE(SocketIO::Json::serialize(options.auth), SocketIO::Json::serialize(auth));
    using EngineIO::TransportType;
    const QList<QList<TransportType>> expected{{TransportType::Polling, TransportType::WebSocket},
                                               {TransportType::WebSocket},
                                               {TransportType::Polling}};
    QCOMPARE(options.manager.engine.transports, expected.at(transports));
    QCOMPARE(options.manager.engine.upgrade, transports != 2);
    QCOMPARE(options.manager.reconnection, reconnection);
    QCOMPARE(int(options.ackTimeout.count()), ackTimeoutMs);
}

void tst_CliLines::parseArgumentsRejects_data()
{
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("nothing") << QStringList();
    QTest::newRow("relative") << QStringList{str("/chat")};
    QTest::newRow("mailto") << QStringList{str("mailto:a@b")};
    QTest::newRow("negative timeout") << QStringList{str("http://h"), str("--ack-timeout"), str("-1")};
    QTest::newRow("option without value") << QStringList{str("http://h"), str("--token")};
}

void tst_CliLines::parseArgumentsRejects()
{
    QFETCH(QStringList, arguments);
    const CliArguments parsed = Cli::parseArguments(QStringList{str("roomcast-cli")} + arguments);
    QCOMPARE(parsed.status, CliArguments::Status::Error);
    QVERIFY(!parsed.text.isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliLines)
#include "tst_cli_lines.moc"
