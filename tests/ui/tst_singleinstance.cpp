// SingleInstance: two instances in one process on a socket name of their own: the second hands
// its arguments to the first; a socket file left by a crashed instance is taken over; hostile
// or stalled connections are dropped without disturbing the next message.
#include "ui/session/singleinstance.h"

#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

using Roomcast::Ui::SingleInstance;

namespace {

constexpr int Timeout = 5000;

QByteArray bigEndian(quint32 value)
{
    const quint32 raw = qToBigEndian(value);
    return QByteArray(reinterpret_cast<const char *>(&raw), sizeof raw);
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void secondInstanceHandsOverItsArguments();
    void nobodyListening();
    void onlyOneListens();
    void staleSocketIsTakenOver();
    void hostileConnectionsAreDropped_data();
    void hostileConnectionsAreDropped();
    void stalledConnectionIsDropped();
    void oversizedArgumentsAreNotSent();
    void defaultNameIsPerUser();

private:
    QString name(const char *suffix) const { return m_dir->filePath(QString::fromLatin1(suffix)); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_SingleInstance::init()
{
    // Each test its own private directory: names never clash between runs or tests.
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_SingleInstance::secondInstanceHandsOverItsArguments()
{
    SingleInstance first(name("s"));
    QVERIFY(!first.sendToRunning({QStringLiteral("nobody yet")}, Timeout));
    QVERIFY2(first.listen(), qPrintable(first.errorString()));
    QVERIFY(first.isListening());
    QSignalSpy received(&first, &SingleInstance::messageReceived);

    SingleInstance second(name("s"));
    const QStringList arguments{QStringLiteral("roomcast://h:3000/?room=caf%C3%A9"), QString(), QStringLiteral("é 😀"),
                                QStringLiteral("--flag")};
    QVERIFY(second.sendToRunning(arguments, Timeout));
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(0).toStringList(), arguments);

    // again, and with no arguments at all
    QVERIFY(second.sendToRunning({}, Timeout));
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.last().at(0).toStringList(), QStringList());
    QVERIFY(!second.isListening());
}

void tst_SingleInstance::nobodyListening()
{
    SingleInstance lone(name("nobody"));
    QVERIFY(!lone.sendToRunning({QStringLiteral("x")}, Timeout));
}

void tst_SingleInstance::onlyOneListens()
{
    SingleInstance first(name("s"));
    QVERIFY(first.listen());
    SingleInstance second(name("s"));
    QVERIFY(!second.listen());
    QVERIFY(!second.isListening());
    QCOMPARE(second.errorString(), QStringLiteral("Roomcast is already running."));

    // the first still gets messages, from a third
    QSignalSpy received(&first, &SingleInstance::messageReceived);
    SingleInstance third(name("s"));
    QVERIFY(third.sendToRunning({QStringLiteral("still me")}, Timeout));
    QCOMPARE(received.size(), 1);

    // once the first is gone, the next one takes over
    QVERIFY(first.listen()); // listening already: nothing changes
    {
        SingleInstance gone(name("t"));
        QVERIFY(gone.listen());
    }
    SingleInstance next(name("t"));
    QVERIFY2(next.listen(), qPrintable(next.errorString()));
}

void tst_SingleInstance::staleSocketIsTakenOver()
{
#ifdef Q_OS_UNIX
    // A crashed instance leaves its socket file behind: bound once, never unlinked, nobody
    // listening on it.
    const QString path = name("stale");
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    QVERIFY(size_t(encoded.size()) < sizeof address.sun_path);
    memcpy(address.sun_path, encoded.constData(), encoded.size() + 1);
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    ::close(fd);
    QVERIFY(QFileInfo::exists(path));

    // nobody answers on it…
    SingleInstance second(path);
    QVERIFY(!second.sendToRunning({QStringLiteral("anyone?")}, Timeout));
    QLocalServer plain;
    QVERIFY(!plain.listen(path)); // …and a plain listen() cannot have it
    QCOMPARE(plain.serverError(), QAbstractSocket::AddressInUseError);

    SingleInstance first(path);
    QVERIFY2(first.listen(), qPrintable(first.errorString()));
    QSignalSpy received(&first, &SingleInstance::messageReceived);
    QVERIFY(second.sendToRunning({QStringLiteral("found you")}, Timeout));
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(0).toStringList(), QStringList{QStringLiteral("found you")});
#else
    QSKIP("socket files are a Unix matter");
#endif
}

void tst_SingleInstance::hostileConnectionsAreDropped_data()
{
    QTest::addColumn<QByteArray>("bytes");

    const QByteArray magic("RCI1");
    QTest::newRow("not ours") << QByteArray("GET / HTTP/1.1\r\n\r\n");
    QTest::newRow("too large") << magic + bigEndian(SingleInstance::MaxMessageBytes + 1) + QByteArray(16, 'x');
    QTest::newRow("huge length") << magic + bigEndian(0xffffffffu);
    QTest::newRow("argument past the end") << magic + bigEndian(8) + bigEndian(100) + QByteArray("abcd");
    QTest::newRow("truncated length") << magic + bigEndian(2) + QByteArray(2, '\0');
    QTest::newRow("not utf-8") << magic + bigEndian(6) + bigEndian(2) + QByteArray("\xc3\x28");
    QTest::newRow("trailing bytes") << magic + bigEndian(5) + bigEndian(1) + QByteArray("a") + QByteArray("junk");
}

void tst_SingleInstance::hostileConnectionsAreDropped()
{
    QFETCH(QByteArray, bytes);

    SingleInstance first(name("s"));
    QVERIFY(first.listen());
    QSignalSpy received(&first, &SingleInstance::messageReceived);

    QLocalSocket hostile;
    hostile.connectToServer(first.serverName());
    QVERIFY(hostile.waitForConnected(Timeout));
    hostile.write(bytes);
    QVERIFY(hostile.waitForBytesWritten(Timeout));
    // dropped: closed unanswered
    QTRY_COMPARE_WITH_TIMEOUT(hostile.state(), QLocalSocket::UnconnectedState, Timeout);
    QCOMPARE(hostile.bytesAvailable(), 0);
    QCOMPARE(received.size(), 0);

    // and a good message still goes through
    SingleInstance second(name("s"));
    QVERIFY(second.sendToRunning({QStringLiteral("after")}, Timeout));
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(0).toStringList(), QStringList{QStringLiteral("after")});
}

void tst_SingleInstance::stalledConnectionIsDropped()
{
    SingleInstance first(name("s"));
    QVERIFY(first.listen());
    QLocalSocket idle;
    idle.connectToServer(first.serverName());
    QVERIFY(idle.waitForConnected(Timeout));
    idle.write("RCI1");
    // the running instance gives up on it after DefaultTimeoutMs
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QLocalSocket::UnconnectedState, SingleInstance::DefaultTimeoutMs + Timeout);
}

void tst_SingleInstance::oversizedArgumentsAreNotSent()
{
    SingleInstance first(name("s"));
    QVERIFY(first.listen());
    QSignalSpy received(&first, &SingleInstance::messageReceived);
    SingleInstance second(name("s"));
    QTest::ignoreMessage(QtWarningMsg, "arguments too large to hand over: 1 arguments");
    QVERIFY(!second.sendToRunning({QString(int(SingleInstance::MaxMessageBytes), u'x')}, Timeout));
    QCOMPARE(received.size(), 0);
}

void tst_SingleInstance::defaultNameIsPerUser()
{
    const QString name = SingleInstance::defaultServerName();
    QVERIFY(QFileInfo(name).fileName().startsWith(QLatin1String("roomcast-")));
    QCOMPARE(name, SingleInstance::defaultServerName());
    QCOMPARE(SingleInstance().serverName(), name);
#ifdef Q_OS_UNIX
    QCOMPARE(QFileInfo(name).absolutePath(), QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation));
#endif
}

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
