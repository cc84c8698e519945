#include "engineio/handshakequery.h"

#include <QTest>

using namespace Roomcast::EngineIO;

class tst_HandshakeQuery : public QObject
{
    Q_OBJECT

private slots:
    void parameters_data();
    void parameters();
    void everyItemIsKept();
};

void tst_HandshakeQuery::parameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("present");
    QTest::addColumn<bool>("several");
    QTest::addColumn<QString>("value");

    const QString eio = QStringLiteral("EIO");
    const QString transport = QStringLiteral("transport");
    const QString sid = QStringLiteral("sid");
    const QByteArray handshake = "EIO=4&transport=polling&t=OgBF2ig";

    QTest::newRow("EIO") << handshake << eio << true << false << QStringLiteral("4");
    QTest::newRow("transport") << handshake << transport << true << false << QStringLiteral("polling");
    QTest::newRow("no sid") << handshake << sid << false << false << QString();
    QTest::newRow("empty query") << QByteArray() << transport << false << false << QString();
    QTest::newRow("sid") << QByteArray("EIO=4&transport=polling&sid=lv_VI97HAXpY6yYWAAAC") << sid << true << false
                         << QStringLiteral("lv_VI97HAXpY6yYWAAAC");
    QTest::newRow("empty sid") << QByteArray("transport=polling&sid=") << sid << true << false << QString();
    QTest::newRow("sid without '='") << QByteArray("transport=polling&sid") << sid << true << false << QString();
    QTest::newRow("transport twice") << QByteArray("transport=polling&transport=websocket") << transport << true << true
                                     << QStringLiteral("polling");
    QTest::newRow("percent-encoded") << QByteArray("transport=poll%69ng") << transport << true << false
                                     << QStringLiteral("polling");
    QTest::newRow("percent-encoded UTF-8") << QByteArray("sid=%C3%A9") << sid << true << false
                                           << QString::fromUtf8("\xc3\xa9");
    QTest::newRow("names are case-sensitive") << QByteArray("eio=4") << eio << false << false << QString();
    QTest::newRow("bad percent-encoding") << QByteArray("sid=%zz") << sid << true << false << QStringLiteral("%zz");
}

void tst_HandshakeQuery::parameters()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, key);
    QFETCH(bool, present);
    QFETCH(bool, several);
    QFETCH(QString, value);

    const HandshakeQuery parsed = parseHandshakeQuery(query);
    const QueryValue &parameter = key == u"EIO" ? parsed.eio : key == u"sid" ? parsed.sid : parsed.transport;
    QCOMPARE(parameter.present, present);
    QCOMPARE(parameter.several, several);
    QCOMPARE(parameter.value, value);
}

void tst_HandshakeQuery::everyItemIsKept()
{
    const HandshakeQuery parsed = parseHandshakeQuery("EIO=4&transport=polling&token=a%2Bb&x");
    QCOMPARE(parsed.items.queryItems().size(), 4);
    QCOMPARE(parsed.items.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded), QStringLiteral("a+b"));
    QVERIFY(parsed.items.hasQueryItem(QStringLiteral("x")));
}

QTEST_APPLESS_MAIN(tst_HandshakeQuery)
#include "tst_handshake_query.moc"
