// roomcast-cli driven through its stdin and stdout, against the real Node socket.io 4.8 server
// (tests/interop/node/socketio-server.mjs). The contract is "Programs" in the design.
#include "nodepeer.h"
#include "selfsignedcert.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

#include <functional>
#include <memory>

#include <unistd.h>

namespace {

//! Output lines that were not JSON objects, from every run; cleanup() fails on any.
QStringList invalidOutput;

QJsonObject parseObject(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonArray parseArray(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

//! One roomcast-cli process: lines in on stdin, JSON lines out on stdout.
class Cli : public QObject
{
public:
    Cli()
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] { readOutput(); });
        connect(&m_process, &QProcess::readyReadStandardError, this,
                [this] { m_stderr += m_process.readAllStandardError(); });
    }

    ~Cli() override
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "roomcast-cli transcript:\n" << transcript();
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void setStandardInputFile(const QString &path) { m_process.setStandardInputFile(path); }
    //! Runs `modifier` in the child between fork and exec.
    void setChildProcessModifier(const std::function<void()> &modifier) { m_process.setChildProcessModifier(modifier); }

    bool start(const QStringList &arguments)
    {
        m_process.start(QStringLiteral(ROOMCAST_CLI), arguments);
        return m_process.waitForStarted(10000);
    }

    void send(const QByteArray &line) { m_process.write(line + '\n'); }
    void send(const QJsonObject &line) { send(compact(line)); }
    void closeInput() { m_process.closeWriteChannel(); }

    //! Waits for the first line not returned before for which `match` holds, and returns it
    //! (an empty object after `timeoutMs`, or once the process has exited without one).
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 10000)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < m_lines.size(); ++i) {
                    if (!m_taken.at(i) && match(m_lines.at(i))) {
                        m_taken[i] = true;
                        found = m_lines.at(i);
                        return true;
                    }
                }
                return m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        return found;
    }

    QJsonObject waitForType(const QString &type, int timeoutMs = 10000)
    {
        return waitFor([&](const QJsonObject &line) { return line.value(QLatin1String("type")) == type; }, timeoutMs);
    }

    QJsonObject waitForEvent(const QString &event, const QString &nsp = QStringLiteral("/"), int timeoutMs = 10000)
    {
        return waitFor(
            [&](const QJsonObject &line) {
                return line.value(QLatin1String("type")) == QLatin1String("event")
                    && line.value(QLatin1String("event")) == event && line.value(QLatin1String("nsp")) == nsp;
            },
            timeoutMs);
    }

    //! Waits for the process to exit; false if it is still running after `timeoutMs`.
    bool waitForExit(int timeoutMs = 10000)
    {
        const bool exited = QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        readOutput();
        m_stderr += m_process.readAllStandardError();
        return exited;
    }

    int exitCode() const { return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    const QList<QJsonObject> &lines() const { return m_lines; }

    QList<QJsonObject> linesOfType(const QString &type) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &line : m_lines)
            if (line.value(QLatin1String("type")) == type)
                result.append(line);
        return result;
    }

    QString transcript() const
    {
        QString text;
        for (const QJsonObject &line : m_lines)
            text += QStringLiteral("  out: ") + QString::fromUtf8(compact(line)) + u'\n';
        if (!m_stderr.isEmpty())
            text += QStringLiteral("  stderr: ") + QString::fromUtf8(m_stderr);
        return text;
    }

private:
    void readOutput()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype newline;
        while ((newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            const QJsonDocument document = QJsonDocument::fromJson(line);
            if (!document.isObject()) {
                invalidOutput.append(QString::fromUtf8(line));
                continue;
            }
            m_lines.append(document.object());
            m_taken.append(false);
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QList<QJsonObject> m_lines;
    QList<bool> m_taken;
};

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void connectsOverEachTransport_data();
    void connectsOverEachTransport();
    void urlPathIsTheNamespace();
    void echoesEveryJsonType();
    void ackRoundTrip();
    void ackTimeout();
    void binaryBothWays();
    void secondNamespace();
    void authReachesMiddleware_data();
    void authReachesMiddleware();
    void badInputLineIsReportedAndSkipped_data();
    void badInputLineIsReportedAndSkipped();
    void badCommandLine_data();
    void badCommandLine();
    void refusedConnectionWithoutReconnect_data();
    void refusedConnectionWithoutReconnect();
    void endOfInputWaitsForOutstandingAck();
    void endOfInputFlushesBufferedEmits_data();
    void endOfInputFlushesBufferedEmits();
    void endOfInputLeavesNamespacesCleanly_data();
    void endOfInputLeavesNamespacesCleanly();
    void manyEmitsBeforeConnect_data();
    void manyEmitsBeforeConnect();
    void emptyInputConnectsThenExits();
    void closedInputConnectsThenExits();
    void serverDisconnect();
    void clientDisconnect();
    void answersServerAckRequest_data();
    void answersServerAckRequest();
    void reconnectsAfterServerRestart();
    void lostConnectionWithoutReconnect();
    void tlsWithCaFile();

private:
    QString url(const QString &nsp = QString()) const;
    //! Starts `cli` on `url` with `arguments`, and waits for its connect line on `nsp`.
    QJsonObject startConnected(Cli &cli, const QStringList &arguments, const QString &nsp = QStringLiteral("/"));
    QJsonObject waitForServer(const QString &event, const QString &id);

    std::unique_ptr<NodePeer> m_server;
};

void tst_Cli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(ROOMCAST_CLI)), ROOMCAST_CLI);
    m_server = std::make_unique<NodePeer>(QStringLiteral("socketio-server.mjs"));
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void tst_Cli::init()
{
    m_server->clearMessages();
}

void tst_Cli::cleanup()
{
    const QStringList invalid = std::exchange(invalidOutput, {});
    QVERIFY2(invalid.isEmpty(), qPrintable(QStringLiteral("roomcast-cli printed non-JSON lines: ") + invalid.join(u'\n')));
}

QString tst_Cli::url(const QString &nsp) const
{
    return m_server->url().toString() + nsp;
}

QJsonObject tst_Cli::startConnected(Cli &cli, const QStringList &arguments, const QString &nsp)
{
    if (!cli.start(arguments))
        return {};
    return cli.waitFor([&](const QJsonObject &line) {
        return line.value(QLatin1String("type")) == QLatin1String("connect") && line.value(QLatin1String("nsp")) == nsp;
    });
}

QJsonObject tst_Cli::waitForServer(const QString &event, const QString &id)
{
    return m_server->waitForMessage([&](const QJsonObject &message) {
        return message.value(QLatin1String("event")) == event && message.value(QLatin1String("id")) == id;
    });
}

void tst_Cli::connectsOverEachTransport_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("firstTransport");
    QTest::addColumn<bool>("upgrades");

    QTest::newRow("default: polling, then upgrade") << str("http") << QStringList() << str("polling") << true;
    QTest::newRow("ws URL, default transports") << str("ws") << QStringList() << str("polling") << true;
    QTest::newRow("--transport websocket") << str("http") << QStringList{str("--transport"), str("websocket")}
                                           << str("websocket") << false;
    QTest::newRow("--transport polling") << str("http") << QStringList{str("--transport"), str("polling")}
                                         << str("polling") << false;
}

void tst_Cli::connectsOverEachTransport()
{
    QFETCH(QString, scheme);
    QFETCH(QStringList, arguments);
    QFETCH(QString, firstTransport);
    QFETCH(bool, upgrades);

    Cli cli;
    const QJsonObject connected = startConnected(cli, QStringList{m_server->url(scheme).toString()} + arguments);
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    const QString sid = connected.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());

    const QJsonObject connection = waitForServer(str("connection"), sid);
    QVERIFY(!connection.isEmpty());
    QCOMPARE(connection.value(QLatin1String("nsp")).toString(), str("/"));
    const QString engine = connection.value(QLatin1String("engine")).toString();
    const QJsonObject opened = m_server->waitForMessage([&](const QJsonObject &message) {
        return message.value(QLatin1String("event")) == QLatin1String("engine-connection")
            && message.value(QLatin1String("engine")) == engine;
    });
    QCOMPARE(opened.value(QLatin1String("transport")).toString(), firstTransport);

    QString finalTransport = firstTransport;
    if (upgrades) {
        const QJsonObject upgraded = m_server->waitForMessage([&](const QJsonObject &message) {
            return message.value(QLatin1String("event")) == QLatin1String("upgrade")
                && message.value(QLatin1String("engine")) == engine;
        });
        QCOMPARE(upgraded.value(QLatin1String("transport")).toString(), str("websocket"));
        finalTransport = str("websocket");
    }
    cli.send(R"({"emit":"transport","ack":true})");
    const QJsonObject ack = cli.waitForType(str("ack"));
    QCOMPARE(ack.value(QLatin1String("args")).toArray(), QJsonArray{finalTransport});

    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::urlPathIsTheNamespace()
{
    Cli cli;
    const QJsonObject connected = startConnected(cli, {url(str("/admin"))}, str("/admin"));
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    const QString sid = connected.value(QLatin1String("sid")).toString();
    QCOMPARE(waitForServer(str("connection"), sid).value(QLatin1String("nsp")).toString(), str("/admin"));

    // Lines without "nsp" address the URL's namespace.
    cli.send(R"({"emit":"echo","args":["to admin"]})");
    const QJsonObject echo = cli.waitForEvent(str("echo"), str("/admin"));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), QJsonArray{str("to admin")});
    QVERIFY(cli.linesOfType(str("connect")).size() == 1); // "/" was never opened
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::echoesEveryJsonType()
{
    Cli cli;
    const QJsonObject connected = startConnected(cli, {url()});
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    const QString sid = connected.value(QLatin1String("sid")).toString();

    const QJsonArray args = parseArray(R"([
        "text \"quoted\" \\ / \n\t \u00e9\u20ac\ud83d\ude00", "",
        0, 42, -7, 1.5, -0.25, 1e21, 9007199254740991, 1e-7,
        true, false, null,
        {"nested": {"deep": [1, [2, [3, {"x": null}]]]}, "empty": {}, "list": []},
        [], {}
    ])");
    QCOMPARE(args.size(), 16);
    cli.send(compact(QJsonObject{{str("emit"), str("echo")}, {str("args"), args}}));

    const QJsonObject echo = cli.waitForEvent(str("echo"));
    QVERIFY2(!echo.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), args);
    const QJsonObject received = waitForServer(str("received"), sid);
    QCOMPARE(received.value(QLatin1String("name")).toString(), str("echo"));
    QCOMPARE(received.value(QLatin1String("args")).toArray(), args);
    QCOMPARE(received.value(QLatin1String("ack")).toBool(), false);

    // No args at all is an event with no arguments.
    cli.send(R"({"emit":"echo"})");
    QCOMPARE(cli.waitForEvent(str("echo")).value(QLatin1String("args")).toArray(), QJsonArray());
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::ackRoundTrip()
{
    Cli cli;
    QVERIFY(cli.start({url()}));
    // Sent before the connection is up: buffered, then sent.
    cli.send(R"({"emit":"echo-ack","args":[1,{"a":"b"}],"ack":true,"id":"first"})");
    cli.send(R"({"emit":"echo-ack","args":["second"],"ack":true})");

    const QJsonObject first = cli.waitFor(
        [](const QJsonObject &line) { return line.value(QLatin1String("id")) == QLatin1String("first"); });
    QVERIFY2(!first.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(first, parseObject(R"({"type":"ack","nsp":"/","event":"echo-ack","args":[1,{"a":"b"}],"id":"first"})"));
    const QJsonObject second = cli.waitForType(str("ack"));
    QCOMPARE(second, parseObject(R"({"type":"ack","nsp":"/","event":"echo-ack","args":["second"]})"));

    const QJsonObject received = m_server->waitForMessage([](const QJsonObject &message) {
        return message.value(QLatin1String("event")) == QLatin1String("received")
            && message.value(QLatin1String("name")) == QLatin1String("echo-ack");
    });
    QCOMPARE(received.value(QLatin1String("ack")).toBool(), true);
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::ackTimeout()
{
    Cli cli;
    QVERIFY2(!startConnected(cli, {url(), str("--ack-timeout"), str("200")}).isEmpty(), qPrintable(cli.transcript()));
    QElapsedTimer elapsed;
    elapsed.start();
    cli.send(R"({"emit":"never-ack","args":[],"ack":true,"id":1})");
    const QJsonObject timedOut = cli.waitForType(str("ack_timeout"));
    QVERIFY2(!timedOut.isEmpty(), qPrintable(cli.transcript()));
    QVERIFY2(elapsed.elapsed() >= 190, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(timedOut, parseObject(R"({"type":"ack_timeout","nsp":"/","event":"never-ack","reason":"timeout","id":1})"));

    // An answer within the timeout is an ack as usual.
    cli.send(R"({"emit":"echo-ack","args":["quick"],"ack":true})");
    QCOMPARE(cli.waitForType(str("ack")).value(QLatin1String("args")).toArray(), QJsonArray{str("quick")});
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("ack_timeout")).size(), 1);
}

void tst_Cli::binaryBothWays()
{
    Cli cli;
    const QJsonObject connected = startConnected(cli, {url()});
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    const QString sid = connected.value(QLatin1String("sid")).toString();

    const QJsonArray args = parseArray(R"([
        {"$binary":"AAEC/w=="},
        {"list":[{"$binary":"aGVsbG8="},"text",{"deeper":{"$binary":"3q2+7w=="}}],"n":1},
        "not binary"
    ])");
    cli.send(compact(QJsonObject{{str("emit"), str("echo")}, {str("args"), args}}));
    const QJsonObject received = waitForServer(str("received"), sid);
    QVERIFY(!received.isEmpty());
    QCOMPARE(received.value(QLatin1String("args")).toArray(), args);
    const QJsonObject echo = cli.waitForEvent(str("echo"));
    QVERIFY2(!echo.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), args);

    // Binary in an acknowledgement.
    cli.send(compact(QJsonObject{{str("emit"), str("echo-ack")}, {str("args"), args}, {str("ack"), true}}));
    QCOMPARE(cli.waitForType(str("ack")).value(QLatin1String("args")).toArray(), args);

    // Buffers the server makes itself.
    cli.send(R"({"emit":"binary-please"})");
    const QJsonObject binary = cli.waitForEvent(str("binary"));
    QCOMPARE(binary.value(QLatin1String("args")).toArray(),
             parseArray(R"([{"nested":[{"$binary":"AAEC/w=="}],"text":"bytes"},{"$binary":"aGVsbG8="}])"));
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::secondNamespace()
{
    Cli cli;
    const QJsonObject root = startConnected(cli, {url(), str("--token"), str("t0")});
    QVERIFY2(!root.isEmpty(), qPrintable(cli.transcript()));

    cli.send(R"({"connect":"/admin","auth":{"role":"admin"}})");
    const QJsonObject admin = cli.waitFor([](const QJsonObject &line) {
        return line.value(QLatin1String("type")) == QLatin1String("connect")
            && line.value(QLatin1String("nsp")) == QLatin1String("/admin");
    });
    QVERIFY2(!admin.isEmpty(), qPrintable(cli.transcript()));
    const QString adminSid = admin.value(QLatin1String("sid")).toString();
    QVERIFY(adminSid != root.value(QLatin1String("sid")).toString());
    const QJsonObject connection = waitForServer(str("connection"), adminSid);
    QCOMPARE(connection.value(QLatin1String("nsp")).toString(), str("/admin"));
    QCOMPARE(connection.value(QLatin1String("auth")).toObject(), parseObject(R"({"role":"admin"})"));
    // The same Engine.IO connection carries both namespaces.
    QCOMPARE(connection.value(QLatin1String("engine")),
             waitForServer(str("connection"), root.value(QLatin1String("sid")).toString()).value(QLatin1String("engine")));

    cli.send(R"({"nsp":"/admin","emit":"echo","args":["admin"]})");
    cli.send(R"({"emit":"echo","args":["root"]})");
    QCOMPARE(cli.waitForEvent(str("echo"), str("/admin")).value(QLatin1String("args")).toArray(), QJsonArray{str("admin")});
    QCOMPARE(cli.waitForEvent(str("echo"), str("/")).value(QLatin1String("args")).toArray(), QJsonArray{str("root")});
    const QJsonObject received = waitForServer(str("received"), adminSid);
    QCOMPARE(received.value(QLatin1String("args")).toArray(), QJsonArray{str("admin")});

    // Without "auth", a namespace gets the command line's.
    cli.send(R"({"nsp":"/private","emit":"echo","args":["auto-opened"]})");
    const QJsonObject privateError = cli.waitForType(str("connect_error"));
    QCOMPARE(privateError.value(QLatin1String("nsp")).toString(), str("/private"));
    QCOMPARE(privateError.value(QLatin1String("data")).toObject(), parseObject(R"({"code":401,"reason":"bad token"})"));

    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::authReachesMiddleware_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QJsonObject>("auth"); //!< as the server saw it, when it let us in
    QTest::addColumn<QJsonObject>("errorData"); //!< when it did not

    QTest::newRow("--token") << QStringList{str("--token"), str("let-me-in")} << parseObject(R"({"token":"let-me-in"})")
                             << QJsonObject();
    QTest::newRow("--auth") << QStringList{str("--auth"), str(R"({"token":"let-me-in","room":["a",1]})")}
                            << parseObject(R"({"token":"let-me-in","room":["a",1]})") << QJsonObject();
    QTest::newRow("--token wins over --auth")
        << QStringList{str("--auth"), str(R"({"token":"x","extra":true})"), str("--token"), str("let-me-in")}
        << parseObject(R"({"token":"let-me-in","extra":true})") << QJsonObject();
    QTest::newRow("no token") << QStringList() << QJsonObject() << parseObject(R"({"code":401,"reason":"no token"})");
    QTest::newRow("wrong token") << QStringList{str("--token"), str("nope")} << QJsonObject()
                                 << parseObject(R"({"code":401,"reason":"bad token"})");
}

void tst_Cli::authReachesMiddleware()
{
    QFETCH(QStringList, arguments);
    QFETCH(QJsonObject, auth);
    QFETCH(QJsonObject, errorData);

    Cli cli;
    QVERIFY(cli.start(QStringList{url(str("/private"))} + arguments));
    const QJsonObject outcome = cli.waitFor([](const QJsonObject &line) {
        return line.value(QLatin1String("type")) == QLatin1String("connect")
            || line.value(QLatin1String("type")) == QLatin1String("connect_error");
    });
    QVERIFY2(!outcome.isEmpty(), qPrintable(cli.transcript()));
    if (errorData.isEmpty()) {
        QCOMPARE(outcome.value(QLatin1String("type")).toString(), str("connect"));
        QCOMPARE(outcome.value(QLatin1String("nsp")).toString(), str("/private"));
        const QJsonObject connection = waitForServer(str("connection"), outcome.value(QLatin1String("sid")).toString());
        QCOMPARE(connection.value(QLatin1String("auth")).toObject(), auth);
    } else {
        QCOMPARE(outcome, QJsonObject({{str("type"), str("connect_error")},
                                       {str("nsp"), str("/private")},
                                       {str("message"), str("not authorized")},
                                       {str("data"), errorData}}));
    }
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::badInputLineIsReportedAndSkipped_data()
{
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("not JSON") << QByteArray("{not json");
    QTest::newRow("truncated") << QByteArray(R"({"emit":"echo","args":[1)");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("string") << QByteArray(R"("emit")");
    QTest::newRow("no command") << QByteArray(R"({"args":[1]})");
    QTest::newRow("two commands") << QByteArray(R"({"emit":"echo","connect":"/admin"})");
    QTest::newRow("unknown key") << QByteArray(R"({"emit":"echo","arg":[1]})");
    QTest::newRow("event not a string") << QByteArray(R"({"emit":42})");
    QTest::newRow("empty event") << QByteArray(R"({"emit":""})");
    QTest::newRow("reserved event") << QByteArray(R"({"emit":"disconnect"})");
    QTest::newRow("args not an array") << QByteArray(R"({"emit":"echo","args":{"a":1}})");
    QTest::newRow("ack not a bool") << QByteArray(R"({"emit":"echo","ack":"yes"})");
    QTest::newRow("bad base64") << QByteArray(R"({"emit":"echo","args":[{"$binary":"@@@"}]})");
    QTest::newRow("$binary not a string") << QByteArray(R"({"emit":"echo","args":[[{"$binary":12}]]})");
    QTest::newRow("nsp without slash") << QByteArray(R"({"emit":"echo","nsp":"admin"})");
    QTest::newRow("connect to a number") << QByteArray(R"({"connect":5})");
    QTest::newRow("auth not an object") << QByteArray(R"({"connect":"/admin","auth":"t"})");
    QTest::newRow("disconnect false") << QByteArray(R"({"disconnect":false})");
    QTest::newRow("disconnect what is not open") << QByteArray(R"({"disconnect":true,"nsp":"/nowhere"})");
    QTest::newRow("unknown ack_id") << QByteArray(R"({"ack_id":99,"args":[]})");
}

void tst_Cli::badInputLineIsReportedAndSkipped()
{
    QFETCH(QByteArray, line);

    Cli cli;
    QVERIFY(cli.start({url()}));
    cli.send(line);
    cli.send(""); // blank lines are skipped silently
    cli.send(R"({"emit":"echo","args":["after"]})");

    const QJsonObject error = cli.waitForType(str("error"));
    QVERIFY2(!error.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(error.value(QLatin1String("line")).toInt(), 1);
    QVERIFY(!error.value(QLatin1String("message")).toString().isEmpty());

    const QJsonObject echo = cli.waitForEvent(str("echo"));
    QVERIFY2(!echo.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(echo.value(QLatin1String("args")).toArray(), QJsonArray{str("after")});
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("error")).size(), 1);
    QCOMPARE(cli.linesOfType(str("connect")).size(), 1);
}

void tst_Cli::badCommandLine_data()
{
    QTest::addColumn<QStringList>("arguments");

    const QString good = str("http://127.0.0.1:9/");
    QTest::newRow("no URL") << QStringList();
    QTest::newRow("two URLs") << QStringList{good, good};
    QTest::newRow("not a URL") << QStringList{str("not a url")};
    QTest::newRow("ftp") << QStringList{str("ftp://127.0.0.1/")};
    QTest::newRow("no host") << QStringList{str("http:///socket")};
    QTest::newRow("comma in namespace") << QStringList{str("http://127.0.0.1:9/a,b")};
    QTest::newRow("unknown option") << QStringList{str("--bogus"), good};
    QTest::newRow("unknown transport") << QStringList{str("--transport"), str("carrier-pigeon"), good};
    QTest::newRow("ack timeout not a number") << QStringList{str("--ack-timeout"), str("soon"), good};
    QTest::newRow("auth not an object") << QStringList{str("--auth"), str("[1]"), good};
    QTest::newRow("auth not JSON") << QStringList{str("--auth"), str("{token:1}"), good};
    QTest::newRow("CA file missing") << QStringList{str("--ca-file"), str("/nonexistent/ca.pem"), good};
}

void tst_Cli::badCommandLine()
{
    QFETCH(QStringList, arguments);

    Cli cli;
    QVERIFY(cli.start(arguments));
    QVERIFY(cli.waitForExit());
    QVERIFY2(cli.exitCode() != 0, qPrintable(cli.transcript()));
    QCOMPARE(cli.lines().size(), 1);
    QCOMPARE(cli.lines().first().value(QLatin1String("type")).toString(), str("error"));
    QVERIFY(!cli.lines().first().value(QLatin1String("message")).toString().isEmpty());
}

void tst_Cli::refusedConnectionWithoutReconnect_data()
{
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("default transports") << QStringList();
    QTest::newRow("websocket") << QStringList{str("--transport"), str("websocket")};
    QTest::newRow("polling") << QStringList{str("--transport"), str("polling")};
}

void tst_Cli::refusedConnectionWithoutReconnect()
{
    QFETCH(QStringList, arguments);

    // A port nobody listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    Cli cli;
    QVERIFY(cli.start(QStringList{QStringLiteral("http://127.0.0.1:%1/").arg(port), str("--no-reconnect")} + arguments));
    cli.send(R"({"emit":"echo","args":[1],"ack":true})");
    QVERIFY(cli.waitForExit());
    QVERIFY2(cli.exitCode() != 0, qPrintable(cli.transcript()));
    const QList<QJsonObject> connectErrors = cli.linesOfType(str("connect_error"));
    QVERIFY2(connectErrors.size() == 1, qPrintable(cli.transcript()));
    QCOMPARE(connectErrors.first().value(QLatin1String("nsp")).toString(), str("/"));
    QVERIFY(!connectErrors.first().value(QLatin1String("message")).toString().isEmpty());
    QCOMPARE(cli.linesOfType(str("error")).size(), 1);
    // The emit that asked for an ack is accounted for.
    const QList<QJsonObject> timedOut = cli.linesOfType(str("ack_timeout"));
    QCOMPARE(timedOut.size(), 1);
    QCOMPARE(timedOut.first().value(QLatin1String("reason")).toString(), str("dropped"));
    QCOMPARE(cli.linesOfType(str("reconnecting")).size(), 0);
}

void tst_Cli::endOfInputWaitsForOutstandingAck()
{
    Cli cli;
    const QJsonObject connected = startConnected(cli, {url()});
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    cli.send(R"({"emit":"ack-later","args":[500,"late"],"ack":true})");
    cli.closeInput();

    QVERIFY(waitForServer(str("received"), connected.value(QLatin1String("sid")).toString()).value(QLatin1String("ack")).toBool());
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    const QList<QJsonObject> acks = cli.linesOfType(str("ack"));
    QVERIFY2(acks.size() == 1, qPrintable(cli.transcript()));
    QCOMPARE(acks.first().value(QLatin1String("args")).toArray(), parseArray(R"([500,"late"])"));
}

void tst_Cli::endOfInputFlushesBufferedEmits_data()
{
    QTest::addColumn<bool>("fromFile");
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("pipe") << false << QStringList();
    QTest::newRow("pipe, websocket") << false << QStringList{str("--transport"), str("websocket")};
    QTest::newRow("pipe, polling") << false << QStringList{str("--transport"), str("polling")};
    QTest::newRow("regular file") << true << QStringList();
}

void tst_Cli::endOfInputFlushesBufferedEmits()
{
    QFETCH(bool, fromFile);
    QFETCH(QStringList, arguments);

    // All of the input arrives, and ends, before the connection is up.
    QByteArray input;
    for (int i = 0; i < 5; ++i)
        input += R"({"emit":"echo","args":[)" + QByteArray::number(i) + "]}\n";
    input += R"({"emit":"echo","args":["last, no newline"]})";

    Cli cli;
    QTemporaryFile file;
    if (fromFile) {
        QVERIFY(file.open());
        file.write(input);
        file.close();
        cli.setStandardInputFile(file.fileName());
    }
    QVERIFY(cli.start(QStringList{url()} + arguments));
    if (!fromFile) {
        cli.send(input);
        cli.closeInput();
    }
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    const QList<QJsonObject> connects = cli.linesOfType(str("connect"));
    QVERIFY2(connects.size() == 1, qPrintable(cli.transcript()));
    const QString sid = connects.first().value(QLatin1String("sid")).toString();

    QJsonArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received = {};
            for (const QJsonObject &message : m_server->messages())
                if (message.value(QLatin1String("event")) == QLatin1String("received")
                    && message.value(QLatin1String("id")) == sid)
                    received.append(message.value(QLatin1String("args")).toArray().first());
            return received.size() >= 6;
        },
        10000));
    QCOMPARE(received, parseArray(R"([0,1,2,3,4,"last, no newline"])"));
}

void tst_Cli::endOfInputLeavesNamespacesCleanly_data()
{
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("default") << QStringList();
    QTest::newRow("websocket") << QStringList{str("--transport"), str("websocket")};
    QTest::newRow("polling") << QStringList{str("--transport"), str("polling")};
}

void tst_Cli::endOfInputLeavesNamespacesCleanly()
{
    QFETCH(QStringList, arguments);

    // The server sees each namespace left (a DISCONNECT packet), not the connection cut.
    Cli cli;
    QVERIFY(cli.start(QStringList{url()} + arguments));
    cli.send(R"({"emit":"echo","args":[1]})");
    cli.send(R"({"connect":"/admin"})");
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    const QList<QJsonObject> connects = cli.linesOfType(str("connect"));
    QVERIFY2(connects.size() == 2, qPrintable(cli.transcript()));
    for (const QJsonObject &connect : connects) {
        const QString sid = connect.value(QLatin1String("sid")).toString();
        QCOMPARE(waitForServer(str("disconnect"), sid).value(QLatin1String("reason")).toString(),
                 str("client namespace disconnect"));
    }
}

void tst_Cli::manyEmitsBeforeConnect_data()
{
    QTest::addColumn<bool>("fromFile");

    QTest::newRow("pipe") << false;
    QTest::newRow("regular file") << true;
}

void tst_Cli::manyEmitsBeforeConnect()
{
    QFETCH(bool, fromFile);

    // More than the 1000 packets socket.io-client buffers while offline: none is dropped.
    constexpr int count = 2500;
    QByteArray input;
    for (int i = 0; i < count; ++i)
        input += R"({"emit":"tick","args":[)" + QByteArray::number(i) + "]}\n";
    input += R"({"emit":"echo-ack","args":["done"],"ack":true})" "\n";

    Cli cli;
    QTemporaryFile file;
    if (fromFile) {
        QVERIFY(file.open());
        file.write(input);
        file.close();
        cli.setStandardInputFile(file.fileName());
    }
    QVERIFY(cli.start({url()}));
    if (!fromFile) {
        cli.send(input.chopped(1));
        cli.closeInput();
    }
    QVERIFY(cli.waitForExit(30000));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("error")).size(), 0);
    QCOMPARE(cli.linesOfType(str("ack")).size(), 1);
    const QString sid = cli.linesOfType(str("connect")).value(0).value(QLatin1String("sid")).toString();
    QVERIFY(!m_server
                 ->waitForMessage([&](const QJsonObject &message) {
                     return message.value(QLatin1String("id")) == sid
                         && message.value(QLatin1String("name")) == QLatin1String("echo-ack");
                 })
                 .isEmpty());
    int ticks = 0;
    int last = -1;
    bool inOrder = true;
    for (const QJsonObject &message : m_server->messages()) {
        if (message.value(QLatin1String("id")) != sid || message.value(QLatin1String("name")) != QLatin1String("tick"))
            continue;
        const int value = message.value(QLatin1String("args")).toArray().first().toInt();
        inOrder = inOrder && value == last + 1;
        last = value;
        ++ticks;
    }
    QCOMPARE(ticks, count); // the ack came after them all
    QVERIFY(inOrder);
}

void tst_Cli::emptyInputConnectsThenExits()
{
    Cli cli;
    cli.setStandardInputFile(QProcess::nullDevice());
    QVERIFY(cli.start({url()}));
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("connect")).size(), 1);
}

void tst_Cli::closedInputConnectsThenExits()
{
    // Started with `0<&-`: descriptor 0 must not be mistaken for whatever opens next.
    Cli cli;
    cli.setChildProcessModifier([] { ::close(STDIN_FILENO); });
    QVERIFY(cli.start({url()}));
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("connect")).size(), 1);
}

void tst_Cli::serverDisconnect()
{
    Cli cli;
    QVERIFY2(!startConnected(cli, {url()}).isEmpty(), qPrintable(cli.transcript()));
    cli.send(R"({"emit":"disconnect-me"})");
    const QJsonObject disconnected = cli.waitForType(str("disconnect"));
    QCOMPARE(disconnected, parseObject(R"({"type":"disconnect","nsp":"/","reason":"io server disconnect"})"));
    // The run goes on (a namespace can be opened again) until the input ends.
    QVERIFY(cli.isRunning());
    cli.send(R"({"connect":"/"})");
    QVERIFY2(!cli.waitForType(str("connect")).isEmpty(), qPrintable(cli.transcript()));
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.linesOfType(str("reconnecting")).size(), 0);
}

void tst_Cli::clientDisconnect()
{
    Cli cli;
    const QJsonObject connected = startConnected(cli, {url()});
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    cli.send(R"({"disconnect":true})");
    QCOMPARE(cli.waitForType(str("disconnect")),
             parseObject(R"({"type":"disconnect","nsp":"/","reason":"io client disconnect"})"));
    QCOMPARE(waitForServer(str("disconnect"), connected.value(QLatin1String("sid")).toString()).value(QLatin1String("reason")).toString(),
             str("client namespace disconnect"));
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::answersServerAckRequest_data()
{
    QTest::addColumn<bool>("autoAck");

    QTest::newRow("answered by a line") << false;
    QTest::newRow("--auto-ack") << true;
}

void tst_Cli::answersServerAckRequest()
{
    QFETCH(bool, autoAck);

    Cli cli;
    QStringList arguments{url()};
    if (autoAck)
        arguments << str("--auto-ack");
    QVERIFY2(!startConnected(cli, arguments).isEmpty(), qPrintable(cli.transcript()));
    cli.send(R"({"emit":"ask-client","args":[5000,"what?",{"$binary":"AQI="}]})");
    const QJsonObject question = cli.waitForEvent(str("question"));
    QVERIFY2(!question.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(question.value(QLatin1String("args")).toArray(), parseArray(R"(["what?",{"$binary":"AQI="}])"));

    QJsonArray expected;
    if (autoAck) {
        QVERIFY(!question.contains(QLatin1String("ack_id")));
    } else {
        QVERIFY(question.value(QLatin1String("ack_id")).isDouble());
        expected = parseArray(R"(["yes",{"$binary":"AwQ="}])");
        cli.send(compact(QJsonObject{{str("ack_id"), question.value(QLatin1String("ack_id"))}, {str("args"), expected}}));
    }
    const QJsonObject answer = m_server->waitForEvent(str("client-answer"));
    QVERIFY(!answer.isEmpty());
    QCOMPARE(answer.value(QLatin1String("error")), QJsonValue(QJsonValue::Null));
    QCOMPARE(answer.value(QLatin1String("args")).toArray(), expected);

    if (!autoAck) {
        // An ack request is answered once.
        cli.send(compact(QJsonObject{{str("ack_id"), question.value(QLatin1String("ack_id"))}}));
        QCOMPARE(cli.waitForType(str("error")).value(QLatin1String("line")).toInt(), 3);
    }
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::reconnectsAfterServerRestart()
{
    NodePeer server(QStringLiteral("socketio-server.mjs"));
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    Cli cli;
    const QJsonObject first = startConnected(cli, {server.url().toString(), str("--transport"), str("websocket")});
    QVERIFY2(!first.isEmpty(), qPrintable(cli.transcript()));

    server.kill();
    const QJsonObject disconnected = cli.waitForType(str("disconnect"));
    QCOMPARE(disconnected.value(QLatin1String("nsp")).toString(), str("/"));
    QCOMPARE(disconnected.value(QLatin1String("reason")).toString(), str("transport close"));
    const QJsonObject reconnecting = cli.waitForType(str("reconnecting"));
    QVERIFY2(!reconnecting.isEmpty(), qPrintable(cli.transcript()));
    QCOMPARE(reconnecting.value(QLatin1String("attempt")).toInt(), 1);
    const int delay = reconnecting.value(QLatin1String("delay_ms")).toInt();
    QVERIFY2(delay >= 500 && delay <= 1500, qPrintable(QString::number(delay)));

    // Emitted while away: sent once reconnected.
    cli.send(R"({"emit":"echo-ack","args":["while away"],"ack":true})");
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const QJsonObject second = cli.waitForType(str("connect"), 15000);
    QVERIFY2(!second.isEmpty(), qPrintable(cli.transcript()));
    QVERIFY(second.value(QLatin1String("sid")).toString() != first.value(QLatin1String("sid")).toString());
    QCOMPARE(cli.waitForType(str("ack")).value(QLatin1String("args")).toArray(), QJsonArray{str("while away")});
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

void tst_Cli::lostConnectionWithoutReconnect()
{
    NodePeer server(QStringLiteral("socketio-server.mjs"));
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    Cli cli;
    QVERIFY2(!startConnected(cli, {server.url().toString(), str("--no-reconnect")}).isEmpty(),
             qPrintable(cli.transcript()));
    cli.send(R"({"emit":"never-ack","ack":true})");
    QVERIFY(!server.waitForEvent(str("received")).isEmpty());
    server.kill();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 1);
    QCOMPARE(cli.linesOfType(str("disconnect")).size(), 1);
    QCOMPARE(cli.linesOfType(str("error")).size(), 1);
    const QList<QJsonObject> timedOut = cli.linesOfType(str("ack_timeout"));
    QVERIFY2(timedOut.size() == 1, qPrintable(cli.transcript()));
    QCOMPARE(timedOut.first().value(QLatin1String("reason")).toString(), str("disconnect"));
    QCOMPARE(cli.linesOfType(str("reconnecting")).size(), 0);
}

void tst_Cli::tlsWithCaFile()
{
    SelfSignedCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    NodePeer server(QStringLiteral("socketio-server.mjs"));
    QVERIFY2(server.start({str("--tls-cert"), certificate.certificatePath(), str("--tls-key"), certificate.keyPath()}),
             qPrintable(server.errorString()));

    {
        Cli untrusted;
        QVERIFY(untrusted.start({server.url(str("https")).toString(), str("--no-reconnect")}));
        QVERIFY(untrusted.waitForExit());
        QVERIFY2(untrusted.exitCode() == 1, qPrintable(untrusted.transcript()));
        QCOMPARE(untrusted.linesOfType(str("connect_error")).size(), 1);
    }

    Cli cli;
    const QJsonObject connected =
        startConnected(cli, {server.url(str("wss")).toString(), str("--ca-file"), certificate.certificatePath()});
    QVERIFY2(!connected.isEmpty(), qPrintable(cli.transcript()));
    cli.send(R"({"emit":"echo-ack","args":["secure"],"ack":true})");
    QCOMPARE(cli.waitForType(str("ack")).value(QLatin1String("args")).toArray(), QJsonArray{str("secure")});
    cli.closeInput();
    QVERIFY(cli.waitForExit());
    QCOMPARE(cli.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
