// The client's reading of the server's open packet (engineio/client.h, parseHandshake()).
#include "engineio/client.h"

#include <QTest>

using namespace Roomcast::EngineIO;

class tst_EngineIOHandshake : public QObject
{
    Q_OBJECT

private slots:
    void reads();
    void refuses_data();
    void refuses();
};

void tst_EngineIOHandshake::reads()
{
    // The Engine.IO v4 protocol document's example.
    const auto handshake = parseHandshake(R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
                                          R"("pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
    QVERIFY(handshake);
    QCOMPARE(handshake->sid, QStringLiteral("lv_VI97HAXpY6yYWAAAC"));
    QCOMPARE(handshake->upgrades, QStringList{QStringLiteral("websocket")});
    QCOMPARE(handshake->pingInterval, 25000);
    QCOMPARE(handshake->pingTimeout, 20000);
    QCOMPARE(handshake->maxPayload, 1000000);

    // Before engine.io 6.1 there is no maxPayload; a huge one is capped.
    const auto old = parseHandshake(R"({"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":0})");
    QVERIFY(old);
    QCOMPARE(old->maxPayload, 1000000);
    QCOMPARE(parseHandshake(R"({"sid":"s","pingInterval":1,"pingTimeout":0,"maxPayload":1e300})")->maxPayload,
             qint64(1e15));
}

void tst_EngineIOHandshake::refuses_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("not JSON") << QByteArray("{");
    QTest::newRow("array") << QByteArray(R"([{"sid":"s"}])");
    QTest::newRow("no sid") << QByteArray(R"({"pingInterval":1,"pingTimeout":1})");
    QTest::newRow("empty sid") << QByteArray(R"({"sid":"","pingInterval":1,"pingTimeout":1})");
    QTest::newRow("number sid") << QByteArray(R"({"sid":7,"pingInterval":1,"pingTimeout":1})");
    QTest::newRow("no pingInterval") << QByteArray(R"({"sid":"s","pingTimeout":1})");
    QTest::newRow("pingInterval 0") << QByteArray(R"({"sid":"s","pingInterval":0,"pingTimeout":1})");
    QTest::newRow("pingInterval a string") << QByteArray(R"({"sid":"s","pingInterval":"1","pingTimeout":1})");
    QTest::newRow("pingInterval over int") << QByteArray(R"({"sid":"s","pingInterval":2147483648,"pingTimeout":1})");
    QTest::newRow("negative pingTimeout") << QByteArray(R"({"sid":"s","pingInterval":1,"pingTimeout":-1})");
    QTest::newRow("upgrades a string") << QByteArray(R"({"sid":"s","pingInterval":1,"pingTimeout":1,"upgrades":"websocket"})");
    QTest::newRow("upgrade a number") << QByteArray(R"({"sid":"s","pingInterval":1,"pingTimeout":1,"upgrades":[1]})");
    QTest::newRow("maxPayload 0") << QByteArray(R"({"sid":"s","pingInterval":1,"pingTimeout":1,"maxPayload":0})");
    QTest::newRow("maxPayload null") << QByteArray(R"({"sid":"s","pingInterval":1,"pingTimeout":1,"maxPayload":null})");
}

void tst_EngineIOHandshake::refuses()
{
    QFETCH(QByteArray, data);
    QVERIFY(!parseHandshake(data));
}

QTEST_APPLESS_MAIN(tst_EngineIOHandshake)
#include "tst_engineio_handshake.moc"
