// LAN discovery: the announcement codec, and a beacon heard by browsers.
//
// Every datagram here goes to 127.0.0.1 on a port bound at test time: the beacon's targets are
// set to loopback and the browsers join no multicast group (joining would send IGMP on the LAN).
#include "chat/discovery.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace Roomcast::Chat::Discovery;

Q_DECLARE_METATYPE(Roomcast::Chat::Discovery::Announcement)

namespace {

const QHostAddress Loopback(QHostAddress::LocalHost);

QJsonObject validObject()
{
    return QJsonObject{
        {QStringLiteral("app"), QStringLiteral("roomcast")},
        {QStringLiteral("v"), 1},
        {QStringLiteral("type"), QStringLiteral("announce")},
        {QStringLiteral("id"), QStringLiteral("6f1c1d4e-8a51-4c1e-9d53-0f7e2a1b9c00")},
        {QStringLiteral("name"), QStringLiteral("Alice's room")},
        {QStringLiteral("port"), 8080},
        {QStringLiteral("token"), false},
        {QStringLiteral("interval"), 2000},
    };
}

Announcement validAnnouncement()
{
    Announcement a;
    a.instanceId = QStringLiteral("6f1c1d4e-8a51-4c1e-9d53-0f7e2a1b9c00");
    a.name = QStringLiteral("Alice's room");
    a.port = 8080;
    a.tokenRequired = false;
    a.intervalMs = 2000;
    return a;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray with(const QString &key, const QJsonValue &value)
{
    QJsonObject object = validObject();
    object.insert(key, value);
    return json(object);
}

QByteArray without(const QString &key)
{
    QJsonObject object = validObject();
    object.remove(key);
    return json(object);
}

// A valid announcement padded with an unknown field to exactly @p size bytes.
QByteArray paddedTo(qsizetype size)
{
    const QByteArray base = with(QStringLiteral("pad"), QString());
    QJsonObject object = validObject();
    object.insert(QStringLiteral("pad"), QString(size - base.size(), QLatin1Char('x')));
    return json(object);
}

// A browser on a free loopback-reachable port that joins no multicast group.
bool startOnFreePort(DiscoveryBrowser &browser, quint16 port = 0)
{
    browser.setPort(port);
    browser.setMulticastGroup(QHostAddress());
    return browser.start();
}

void aimAt(DiscoveryBeacon &beacon, const DiscoveryBrowser &browser, int intervalMs)
{
    beacon.setTargets({Loopback});
    beacon.setPort(browser.boundPort());
    beacon.setIntervalMs(intervalMs);
    beacon.setServerPort(4321);
}

} // namespace

class tst_Discovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void encodeRoundTrip_data();
    void encodeRoundTrip();
    void sanitizedName_data();
    void sanitizedName();
    void defaultTargetsEndWithTheGroup();

    void serverFound();
    void serverUpdatedOnRename();
    void serverLostOnBye();
    void serverLostWhenSilent();
    void byeFromAnotherAddressIgnored();
    void badDatagramsIgnored();
    void stopReportsEveryServerLost();
    void twoBrowsersShareThePort();
    void browserBindFailure();
    void beaconWithoutServerPort();
};

void tst_Discovery::parse_data()
{
    QTest::addColumn<QByteArray>("datagram");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Announcement>("expected");

    const Announcement ok = validAnnouncement();
    const auto good = [&](const char *tag, const QByteArray &datagram, const Announcement &expected) {
        QTest::newRow(tag) << datagram << true << expected;
    };
    const auto bad = [](const char *tag, const QByteArray &datagram) {
        QTest::newRow(tag) << datagram << false << Announcement();
    };

    good("valid", json(validObject()), ok);
    {
        Announcement a = ok;
        a.tokenRequired = true;
        good("token required", with(QStringLiteral("token"), true), a);
    }
    good("unknown field ignored", with(QStringLiteral("motd"), QStringLiteral("hi")), ok);
    {
        Announcement a = ok;
        a.name = QStringLiteral("Café 🎉 ルーム");
        good("unicode name", with(QStringLiteral("name"), a.name), a);
        a.name = QString(MaxNameLength, QLatin1Char('n'));
        good("name at the limit", with(QStringLiteral("name"), a.name), a);
    }
    {
        Announcement a = ok;
        a.port = 65535;
        good("port 65535", with(QStringLiteral("port"), 65535), a);
        a.port = 1;
        good("port 1", with(QStringLiteral("port"), 1), a);
    }
    {
        Announcement a = ok;
        a.intervalMs = MinIntervalMs;
        good("interval at the minimum", with(QStringLiteral("interval"), MinIntervalMs), a);
        a.intervalMs = MaxIntervalMs;
        good("interval at the maximum", with(QStringLiteral("interval"), MaxIntervalMs), a);
    }
    good("exactly the size cap", paddedTo(MaxDatagramSize), ok);
    {
        Announcement bye;
        bye.type = Announcement::Type::Bye;
        bye.instanceId = ok.instanceId;
        good("bye", R"({"app":"roomcast","v":1,"type":"bye","id":"6f1c1d4e-8a51-4c1e-9d53-0f7e2a1b9c00"})", bye);
    }

    bad("one byte over the size cap", paddedTo(MaxDatagramSize + 1));
    bad("empty", QByteArray());
    bad("bad JSON", R"({"app":"roomcast",)");
    bad("trailing garbage", json(validObject()) + "x");
    bad("array", "[" + json(validObject()) + "]");
    bad("string", R"("roomcast")");
    bad("binary", QByteArray("\x00\xff\xfe{", 4));
    bad("wrong app", with(QStringLiteral("app"), QStringLiteral("socketio")));
    bad("app in capitals", with(QStringLiteral("app"), QStringLiteral("Roomcast")));
    bad("app not a string", with(QStringLiteral("app"), 1));
    bad("app missing", without(QStringLiteral("app")));
    bad("unknown version 2", with(QStringLiteral("v"), 2));
    bad("version 0", with(QStringLiteral("v"), 0));
    bad("version as a string", with(QStringLiteral("v"), QStringLiteral("1")));
    bad("version 1.5", with(QStringLiteral("v"), 1.5));
    bad("version missing", without(QStringLiteral("v")));
    bad("type unknown", with(QStringLiteral("type"), QStringLiteral("hello")));
    bad("type missing", without(QStringLiteral("type")));
    bad("id missing", without(QStringLiteral("id")));
    bad("id empty", with(QStringLiteral("id"), QString()));
    bad("id with a space", with(QStringLiteral("id"), QStringLiteral("a b")));
    bad("id too long", with(QStringLiteral("id"), QString(MaxInstanceIdLength + 1, QLatin1Char('a'))));
    bad("id a number", with(QStringLiteral("id"), 42));
    bad("bye without id", R"({"app":"roomcast","v":1,"type":"bye"})");
    bad("name missing", without(QStringLiteral("name")));
    bad("name empty", with(QStringLiteral("name"), QString()));
    bad("name only spaces", with(QStringLiteral("name"), QStringLiteral("   ")));
    bad("name too long", with(QStringLiteral("name"), QString(MaxNameLength + 1, QLatin1Char('n'))));
    bad("name with a newline", with(QStringLiteral("name"), QStringLiteral("a\nb")));
    bad("name with NUL", with(QStringLiteral("name"), QString(QStringLiteral("a") + QChar(0) + QLatin1Char('b'))));
    bad("name with ESC", with(QStringLiteral("name"), QStringLiteral("\x1b[31mred")));
    bad("name with DEL", with(QStringLiteral("name"), QStringLiteral("a\x7f")));
    bad("name with C1 control", with(QStringLiteral("name"), QStringLiteral("a\u0085b")));
    bad("name with line separator", with(QStringLiteral("name"), QStringLiteral("a\u2028b")));
    bad("name with RLO", with(QStringLiteral("name"), QStringLiteral("a\u202Eb")));
    bad("name with lone surrogate", R"({"app":"roomcast","v":1,"type":"announce","id":"x","name":"a\ud800",)"
                                    R"("port":1,"token":false,"interval":2000})");
    bad("name not a string", with(QStringLiteral("name"), 5));
    bad("port 0", with(QStringLiteral("port"), 0));
    bad("port 70000", with(QStringLiteral("port"), 70000));
    bad("port -1", with(QStringLiteral("port"), -1));
    bad("port 80.5", with(QStringLiteral("port"), 80.5));
    bad("port as a string", with(QStringLiteral("port"), QStringLiteral("8080")));
    bad("port 1e300", R"({"app":"roomcast","v":1,"type":"announce","id":"x","name":"a","port":1e300,)"
                      R"("token":false,"interval":2000})");
    bad("port missing", without(QStringLiteral("port")));
    bad("token missing", without(QStringLiteral("token")));
    bad("token as a string", with(QStringLiteral("token"), QStringLiteral("true")));
    bad("token as a number", with(QStringLiteral("token"), 1));
    bad("interval below the minimum", with(QStringLiteral("interval"), MinIntervalMs - 1));
    bad("interval above the maximum", with(QStringLiteral("interval"), MaxIntervalMs + 1));
    bad("interval missing", without(QStringLiteral("interval")));
}

void tst_Discovery::parse()
{
    QFETCH(QByteArray, datagram);
    QFETCH(bool, valid);
    QFETCH(Announcement, expected);

    const std::optional<Announcement> parsed = parseAnnouncement(datagram);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, expected);
}

void tst_Discovery::encodeRoundTrip_data()
{
    QTest::addColumn<Announcement>("announcement");
    Announcement a = validAnnouncement();
    QTest::newRow("announce") << a;
    a.tokenRequired = true;
    a.name = QStringLiteral("\"quoted\" \\ 🎉");
    QTest::newRow("escapes") << a;
    Announcement bye;
    bye.type = Announcement::Type::Bye;
    bye.instanceId = QStringLiteral("abc");
    QTest::newRow("bye") << bye;
}

void tst_Discovery::encodeRoundTrip()
{
    QFETCH(Announcement, announcement);
    const QByteArray datagram = encodeAnnouncement(announcement);
    QVERIFY(datagram.size() <= MaxDatagramSize);
    const auto parsed = parseAnnouncement(datagram);
    QVERIFY(parsed);
    QCOMPARE(*parsed, announcement);
}

void tst_Discovery::sanitizedName_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("Room") << QStringLiteral("Room");
    QTest::newRow("controls become spaces") << QStringLiteral(" a\n\tb\x1b ") << QStringLiteral("a b");
    QTest::newRow("bidi override") << QStringLiteral("a\u202Eb") << QStringLiteral("a b");
    QTest::newRow("only controls") << QStringLiteral("\r\n") << QString();
    QTest::newRow("too long") << QString(100, QLatin1Char('n')) << QString(MaxNameLength, QLatin1Char('n'));
    // 63 letters then an emoji (a surrogate pair) at the cut: the pair is dropped, not split.
    QTest::newRow("cut before a pair") << QString(MaxNameLength - 1, QLatin1Char('n')) + QStringLiteral("🎉🎉")
                                       << QString(MaxNameLength - 1, QLatin1Char('n'));
}

void tst_Discovery::sanitizedName()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const QString cleaned = sanitizedServerName(input);
    QCOMPARE(cleaned, expected);
    if (!cleaned.isEmpty())
        QVERIFY(parseAnnouncement(with(QStringLiteral("name"), cleaned)));
}

void tst_Discovery::defaultTargetsEndWithTheGroup()
{
    // Looks the interfaces up; sends nothing.
    const QList<QHostAddress> targets = defaultTargets();
    QVERIFY(!targets.isEmpty());
    QCOMPARE(targets.last(), QHostAddress(QLatin1String(DefaultMulticastGroup)));
    QVERIFY(targets.last().isMulticast());
    for (const QHostAddress &address : targets) {
        QCOMPARE(address.protocol(), QAbstractSocket::IPv4Protocol);
        QVERIFY(!address.isLoopback());
    }
}

void tst_Discovery::serverFound()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy updated(&browser, &DiscoveryBrowser::serverUpdated);

    DiscoveryBeacon beacon;
    aimAt(beacon, browser, 50);
    beacon.setServerName(QStringLiteral("Team room"));
    beacon.setTokenRequired(true);
    QCOMPARE(beacon.targets(), QList<QHostAddress>{Loopback});
    QVERIFY(beacon.start());
    QVERIFY(beacon.isActive());

    QTRY_COMPARE(found.count(), 1);
    const auto server = found.first().first().value<DiscoveredServer>();
    QCOMPARE(server.hostAddress, Loopback);
    QCOMPARE(server.port, quint16(4321));
    QCOMPARE(server.name, QStringLiteral("Team room"));
    QVERIFY(server.tokenRequired);
    QCOMPARE(server.instanceId, beacon.instanceId());
    QVERIFY(server.lastSeen.isValid());
    QCOMPARE(browser.servers().size(), 1);
    QCOMPARE(browser.servers().first().instanceId, beacon.instanceId());

    // Later announcements refresh the entry without signals.
    const QDateTime firstSeen = server.lastSeen;
    QTRY_VERIFY(browser.servers().first().lastSeen > firstSeen);
    QCOMPARE(found.count(), 1);
    QCOMPARE(updated.count(), 0);
}

void tst_Discovery::serverUpdatedOnRename()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy updated(&browser, &DiscoveryBrowser::serverUpdated);

    DiscoveryBeacon beacon;
    aimAt(beacon, browser, 50);
    beacon.setServerName(QStringLiteral("Before"));
    QVERIFY(beacon.start());
    QTRY_COMPARE(found.count(), 1);

    beacon.setServerName(QStringLiteral("After"));
    QTRY_COMPARE(updated.count(), 1);
    const auto server = updated.first().first().value<DiscoveredServer>();
    QCOMPARE(server.name, QStringLiteral("After"));
    QCOMPARE(server.instanceId, beacon.instanceId());
    QCOMPARE(browser.servers().size(), 1);
    QCOMPARE(browser.servers().first().name, QStringLiteral("After"));

    beacon.setTokenRequired(true);
    QTRY_COMPARE(updated.count(), 2);
    QVERIFY(browser.servers().first().tokenRequired);
    QCOMPARE(found.count(), 1);
}

void tst_Discovery::serverLostOnBye()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy lost(&browser, &DiscoveryBrowser::serverLost);

    // A one-minute interval: the browser would wait 3.5 minutes for silence, so a loss within
    // QTRY's 5 s can only come from the bye.
    DiscoveryBeacon beacon;
    aimAt(beacon, browser, MaxIntervalMs);
    QVERIFY(beacon.start());
    QTRY_COMPARE(found.count(), 1);

    beacon.stop();
    QVERIFY(!beacon.isActive());
    QTRY_COMPARE(lost.count(), 1);
    QCOMPARE(lost.first().first().value<DiscoveredServer>().instanceId, beacon.instanceId());
    QVERIFY(browser.servers().isEmpty());
}

void tst_Discovery::serverLostWhenSilent()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy lost(&browser, &DiscoveryBrowser::serverLost);

    // A beacon that dies without a bye: one announcement with a 50 ms interval, then nothing.
    Announcement announcement = validAnnouncement();
    announcement.intervalMs = 50;
    QUdpSocket sender;
    const QByteArray datagram = encodeAnnouncement(announcement);
    QCOMPARE(sender.writeDatagram(datagram, Loopback, browser.boundPort()), datagram.size());
    QTRY_COMPARE(found.count(), 1);
    QElapsedTimer sinceFound;
    sinceFound.start();

    QTRY_COMPARE(lost.count(), 1);
    // Not before three intervals were missed.
    QVERIFY2(sinceFound.elapsed() >= 3 * 50, qPrintable(QString::number(sinceFound.elapsed())));
    QCOMPARE(lost.first().first().value<DiscoveredServer>().instanceId, announcement.instanceId);
    QVERIFY(browser.servers().isEmpty());
}

void tst_Discovery::byeFromAnotherAddressIgnored()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy lost(&browser, &DiscoveryBrowser::serverLost);

    DiscoveryBeacon beacon;
    aimAt(beacon, browser, MaxIntervalMs);
    QVERIFY(beacon.start());
    QTRY_COMPARE(found.count(), 1);

    // Another loopback address sends a bye in the beacon's name, then a valid one of its own so
    // that the test knows both were read.
    QUdpSocket other;
    if (!other.bind(QHostAddress(QStringLiteral("127.0.0.2")), 0))
        QSKIP("127.0.0.2 is not usable on this host");
    Announcement bye;
    bye.type = Announcement::Type::Bye;
    bye.instanceId = beacon.instanceId();
    QVERIFY(other.writeDatagram(encodeAnnouncement(bye), Loopback, browser.boundPort()) > 0);
    Announcement marker = validAnnouncement();
    QVERIFY(other.writeDatagram(encodeAnnouncement(marker), Loopback, browser.boundPort()) > 0);
    QTRY_COMPARE(found.count(), 2);
    QCOMPARE(lost.count(), 0);
    QCOMPARE(browser.servers().size(), 2);
}

void tst_Discovery::badDatagramsIgnored()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);

    QUdpSocket sender;
    const quint16 port = browser.boundPort();
    QVERIFY(sender.writeDatagram(QByteArray("not json"), Loopback, port) > 0);
    QVERIFY(sender.writeDatagram(with(QStringLiteral("app"), QStringLiteral("other")), Loopback, port) > 0);
    QVERIFY(sender.writeDatagram(paddedTo(2000), Loopback, port) > 0); // oversized on the wire
    QVERIFY(sender.writeDatagram(with(QStringLiteral("v"), 2), Loopback, port) > 0);
    Announcement marker = validAnnouncement();
    marker.instanceId = QStringLiteral("marker");
    QVERIFY(sender.writeDatagram(encodeAnnouncement(marker), Loopback, port) > 0);

    QTRY_COMPARE(found.count(), 1);
    QCOMPARE(found.first().first().value<DiscoveredServer>().instanceId, QStringLiteral("marker"));
    QCOMPARE(browser.servers().size(), 1);
}

void tst_Discovery::stopReportsEveryServerLost()
{
    DiscoveryBrowser browser;
    QVERIFY(startOnFreePort(browser));
    QSignalSpy found(&browser, &DiscoveryBrowser::serverFound);
    QSignalSpy lost(&browser, &DiscoveryBrowser::serverLost);

    QUdpSocket sender;
    Announcement a = validAnnouncement();
    a.intervalMs = MaxIntervalMs;
    for (const char *id : {"one", "two"}) {
        a.instanceId = QLatin1String(id);
        QVERIFY(sender.writeDatagram(encodeAnnouncement(a), Loopback, browser.boundPort()) > 0);
    }
    QTRY_COMPARE(found.count(), 2);

    browser.stop();
    QVERIFY(!browser.isActive());
    QCOMPARE(browser.boundPort(), quint16(0));
    QCOMPARE(lost.count(), 2);
    QVERIFY(browser.servers().isEmpty());
}

void tst_Discovery::twoBrowsersShareThePort()
{
    DiscoveryBrowser first;
    QVERIFY(startOnFreePort(first));
    const quint16 port = first.boundPort();
    DiscoveryBrowser second;
    QVERIFY2(startOnFreePort(second, port), qPrintable(second.errorString()));
    QCOMPARE(second.boundPort(), port);

    QSignalSpy foundFirst(&first, &DiscoveryBrowser::serverFound);
    QSignalSpy foundSecond(&second, &DiscoveryBrowser::serverFound);

    DiscoveryBeacon beacon;
    aimAt(beacon, first, 50);
    QVERIFY(beacon.start());

    // Broadcast and multicast datagrams reach every socket sharing the port; a unicast one to
    // 127.0.0.1 (all a test may send) reaches one of them. So: wait for one to hear the beacon,
    // stop it, and the other hears the same beacon on the same port.
    QTRY_VERIFY(foundFirst.count() + foundSecond.count() >= 1);
    DiscoveryBrowser &heard = foundFirst.count() ? first : second;
    QSignalSpy &otherSpy = foundFirst.count() ? foundSecond : foundFirst;
    heard.stop();
    QTRY_COMPARE(otherSpy.count(), 1);
    QCOMPARE(otherSpy.first().first().value<DiscoveredServer>().instanceId, beacon.instanceId());
}

void tst_Discovery::browserBindFailure()
{
    // A socket that shares nothing holds the port on 127.0.0.1.
    QUdpSocket holder;
    QVERIFY(holder.bind(Loopback, 0, QUdpSocket::DontShareAddress));

    DiscoveryBrowser browser;
    QSignalSpy errors(&browser, &DiscoveryBrowser::errorOccurred);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^Could not listen for servers")));
    QVERIFY(!startOnFreePort(browser, holder.localPort()));
    QVERIFY(!browser.isActive());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<DiscoveryBrowser::Error>(), DiscoveryBrowser::Error::BindFailed);
    QCOMPARE(browser.error(), DiscoveryBrowser::Error::BindFailed);
    QVERIFY(browser.errorString().contains(QString::number(holder.localPort())));
}

void tst_Discovery::beaconWithoutServerPort()
{
    DiscoveryBeacon beacon;
    beacon.setTargets({Loopback});
    QSignalSpy errors(&beacon, &DiscoveryBeacon::errorOccurred);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^There is no server port")));
    QVERIFY(!beacon.start());
    QVERIFY(!beacon.isActive());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(beacon.error(), DiscoveryBeacon::Error::NoServerPort);
    QVERIFY(!beacon.errorString().isEmpty());
    QVERIFY(!beacon.serverName().isEmpty()); // the host name until one is set
    QCOMPARE(beacon.intervalMs(), DefaultIntervalMs);
    beacon.setIntervalMs(1);
    QCOMPARE(beacon.intervalMs(), MinIntervalMs);
}

QTEST_GUILESS_MAIN(tst_Discovery)
#include "tst_discovery.moc"
