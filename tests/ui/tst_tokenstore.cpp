// TokenStore against the real system keychain, in two registrations of this one binary:
//
// - tst_tokenstore: a Secret Service is reachable (CI runs ctest under dbus-run-session with an
//   unlocked gnome-keyring-daemon, see scripts/test.sh): store, load, overwrite, remove and
//   load-after-remove, for tokens and the hosting secret, under a service name of its own so
//   the user's entries are never touched.
// - tst_tokenstore_nokeychain (ROOMCAST_TEST_KEYCHAIN=absent, the session bus pointed nowhere):
//   every operation fails with the translated message, availability turns Unavailable, the
//   session keeps its copy in memory, and no file under a fresh HOME and XDG directories
//   holds the secret in any form.
#include "ui/session/tokenstore.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using Roomcast::Ui::TokenStore;
using Status = TokenStore::Status;
using Availability = TokenStore::Availability;

namespace {

constexpr int Timeout = 10000;

//! Collects the results of operations, in the order they arrive.
struct Results : QObject
{
    QList<TokenStore::Result> list;
    TokenStore::Callback callback()
    {
        return [this](const TokenStore::Result &result) { list.append(result); };
    }
};

bool keychainAbsentMode()
{
    return qEnvironmentVariable("ROOMCAST_TEST_KEYCHAIN") == QLatin1String("absent");
}

QString uniqueName(const char *prefix)
{
    return QString::fromLatin1(prefix) + QUuid::createUuid().toString(QUuid::Id128);
}

//! A token-shaped secret no other test writes.
QString uniqueToken()
{
    return QStringLiteral("eyJhbGciOiJIUzI1NiJ9.") + QUuid::createUuid().toString(QUuid::Id128)
           + QStringLiteral(".c2lnbmF0dXJl");
}

//! The files under @p root whose bytes contain any of @p needles.
QStringList filesContaining(const QString &root, const QList<QByteArray> &needles)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            hits.append(path + QStringLiteral(" (unreadable)"));
            continue;
        }
        const QByteArray content = file.readAll();
        for (const QByteArray &needle : needles) {
            if (content.contains(needle)) {
                hits.append(path);
                break;
            }
        }
    }
    return hits;
}

//! Every form a secret could take in a file: as is, base64 (QtKeychain's binary form), hex,
//! UTF-16, percent-encoded.
QList<QByteArray> formsOf(const QByteArray &secret)
{
    const QString text = QString::fromUtf8(secret);
    return {secret, secret.toBase64(), secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            secret.toHex(), QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2),
            QUrl::toPercentEncoding(text)};
}

} // namespace

class tst_TokenStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void keysFollowTheServerOrigin_data();
    void keysFollowTheServerOrigin();
    void notAServer();
    void tokenRoundTrip();
    void hostingSecretRoundTrip();
    void contextGoneMeansNoCallback();
    void withoutKeychainNothingIsKept();
    void scannerFindsWhatIsThere();
    void cleanupTestCase();

private:
    //! Runs @p operation and waits for its one result.
    TokenStore::Result wait(const std::function<void(QObject *, TokenStore::Callback)> &operation);

    QString m_service = uniqueName("Roomcast test ");
    std::unique_ptr<QTemporaryDir> m_home;
};

void tst_TokenStore::initTestCase()
{
    if (!keychainAbsentMode())
        return;
    // Everything QtKeychain or Qt could write a file to lives under a fresh directory, so that
    // the test can read every byte of it afterwards.
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    const QString home = m_home->path();
    qputenv("HOME", QFile::encodeName(home));
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(variable, QFile::encodeName(home + u'/' + QString::fromLatin1(variable).toLower()));
    QVERIFY(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("nonexistent")));
}

TokenStore::Result tst_TokenStore::wait(const std::function<void(QObject *, TokenStore::Callback)> &operation)
{
    Results results;
    operation(&results, results.callback());
    if (!QTest::qWaitFor([&] { return !results.list.isEmpty(); }, Timeout)) {
        qWarning("no answer from the keychain");
        return {Status::Unavailable, {}, QStringLiteral("(test) timed out")};
    }
    return results.list.first();
}

void tst_TokenStore::keysFollowTheServerOrigin_data()
{
    QTest::addColumn<QUrl>("serverUrl");
    QTest::addColumn<QString>("key");

    const QString plain = QStringLiteral("token http://chat.example.org:3000");
    QTest::newRow("plain") << QUrl(QStringLiteral("http://chat.example.org:3000")) << plain;
    QTest::newRow("case") << QUrl(QStringLiteral("HTTP://Chat.Example.ORG:3000")) << plain;
    QTest::newRow("path and query ignored") << QUrl(QStringLiteral("http://chat.example.org:3000/socket.io/?x=1#y")) << plain;
    QTest::newRow("user info ignored") << QUrl(QStringLiteral("http://ann:pw@chat.example.org:3000")) << plain;
    QTest::newRow("default http port") << QUrl(QStringLiteral("http://chat.example.org")) << QStringLiteral("token http://chat.example.org:80");
    QTest::newRow("default https port") << QUrl(QStringLiteral("https://chat.example.org"))
                                        << QStringLiteral("token https://chat.example.org:443");
    QTest::newRow("https is another server") << QUrl(QStringLiteral("https://chat.example.org:3000"))
                                             << QStringLiteral("token https://chat.example.org:3000");
    QTest::newRow("ipv6") << QUrl(QStringLiteral("http://[::1]:3000")) << QStringLiteral("token http://[::1]:3000");
    QTest::newRow("idn in ascii form") << QUrl(QStringLiteral("http://b\u00fccher.example:3000"))
                                       << QStringLiteral("token http://xn--bcher-kva.example:3000");
    QTest::newRow("ftp") << QUrl(QStringLiteral("ftp://chat.example.org")) << QString();
    QTest::newRow("no host") << QUrl(QStringLiteral("http://")) << QString();
    QTest::newRow("empty") << QUrl() << QString();
}

void tst_TokenStore::keysFollowTheServerOrigin()
{
    QFETCH(QUrl, serverUrl);
    QFETCH(QString, key);
    QCOMPARE(TokenStore::tokenKey(serverUrl), key);
    QVERIFY(TokenStore::tokenKey(serverUrl) != TokenStore::hostingSecretKey());
}

void tst_TokenStore::notAServer()
{
    TokenStore store(m_service);
    const TokenStore::Result result =
        wait([&](QObject *context, TokenStore::Callback callback) {
            store.storeToken(QUrl(QStringLiteral("ftp://h")), uniqueToken(), context, std::move(callback));
        });
    QCOMPARE(result.status, Status::InvalidServer);
    QVERIFY(!result.errorString.isEmpty());
    QCOMPARE(store.availability(), Availability::Unknown);
}

void tst_TokenStore::tokenRoundTrip()
{
    if (keychainAbsentMode())
        QSKIP("this run has no keychain: see withoutKeychainNothingIsKept");

    TokenStore store(m_service);
    QCOMPARE(store.serviceName(), m_service);
    QCOMPARE(store.availability(), Availability::Unknown);
    QVERIFY(!store.isAvailable());
    QSignalSpy availability(&store, &TokenStore::availabilityChanged);
    const QUrl server(QStringLiteral("http://127.0.0.1:3000"));
    const QUrl sameServer(QStringLiteral("HTTP://127.0.0.1:3000/socket.io/"));
    const QUrl otherServer(QStringLiteral("http://127.0.0.1:3001"));
    const QString first = uniqueToken();
    const QString second = uniqueToken();

    // nothing there yet
    auto load = [&](const QUrl &url) {
        return wait([&](QObject *context, TokenStore::Callback callback) { store.loadToken(url, context, std::move(callback)); });
    };
    TokenStore::Result result = load(server);
    QVERIFY2(result.status == Status::NotFound,
             qPrintable(QStringLiteral("no Secret Service? Run under dbus-run-session with an unlocked "
                                       "gnome-keyring-daemon, as scripts/test.sh does. ")
                        + result.errorString));
    QVERIFY(store.isAvailable());
    QCOMPARE(availability.size(), 1);
    QCOMPARE(availability.first().at(0).value<Availability>(), Availability::Available);

    // store, load
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeToken(server, first, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    result = load(server);
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(result.text(), first);
    QVERIFY(result.errorString.isEmpty());
    result = load(sameServer); // the same origin is the same key
    QCOMPARE(result.text(), first);
    QCOMPARE(load(otherServer).status, Status::NotFound);

    // overwrite
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeToken(sameServer, second, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    QCOMPARE(load(server).text(), second);

    // a second store object reads what the first wrote: it is in the keychain, not in memory
    TokenStore other(m_service);
    const TokenStore::Result fromOther = wait([&](QObject *context, TokenStore::Callback callback) {
        other.loadToken(server, context, std::move(callback));
    });
    QCOMPARE(fromOther.text(), second);

    // remove, load after remove, remove again
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.removeToken(server, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    result = load(server);
    QCOMPARE(result.status, Status::NotFound);
    QVERIFY(result.secret.isEmpty());
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.removeToken(server, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    QCOMPARE(availability.size(), 1);
}

void tst_TokenStore::hostingSecretRoundTrip()
{
    if (keychainAbsentMode())
        QSKIP("this run has no keychain: see withoutKeychainNothingIsKept");

    TokenStore store(m_service);
    auto load = [&] {
        return wait([&](QObject *context, TokenStore::Callback callback) { store.loadHostingSecret(context, std::move(callback)); });
    };
    QCOMPARE(load().status, Status::NotFound);

    // bytes, not text: NUL and high bytes survive
    const QByteArray secret = QByteArray("host\0secret\xff\x80", 13) + QUuid::createUuid().toRfc4122();
    TokenStore::Result result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeHostingSecret(secret, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    result = load();
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(result.secret, secret);

    const QByteArray replaced = QUuid::createUuid().toRfc4122();
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeHostingSecret(replaced, context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    QCOMPARE(load().secret, replaced);

    // a token and the hosting secret never share a key
    QCOMPARE(wait([&](QObject *context, TokenStore::Callback callback) {
                 store.loadToken(QUrl(QStringLiteral("http://hosting-secret")), context, std::move(callback));
             }).status,
             Status::NotFound);

    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.removeHostingSecret(context, std::move(callback));
    });
    QVERIFY2(result.isOk(), qPrintable(result.errorString));
    QCOMPARE(load().status, Status::NotFound);
}

void tst_TokenStore::contextGoneMeansNoCallback()
{
    TokenStore store(m_service);
    int calls = 0;
    {
        QObject context;
        store.loadToken(QUrl(QStringLiteral("http://127.0.0.1:9")), &context, [&calls](const TokenStore::Result &) { ++calls; });
    }
    // a later operation's answer: the earlier one has finished by then (jobs run in order)
    Results marker;
    store.loadToken(QUrl(QStringLiteral("http://127.0.0.1:9")), &marker, marker.callback());
    QTRY_COMPARE_WITH_TIMEOUT(marker.list.size(), 1, Timeout);
    QCOMPARE(calls, 0);
}

void tst_TokenStore::withoutKeychainNothingIsKept()
{
    if (!keychainAbsentMode())
        QSKIP("this run has a keychain: tst_tokenstore_nokeychain covers its absence");

    TokenStore store(m_service);
    QSignalSpy availability(&store, &TokenStore::availabilityChanged);
    const QUrl server(QStringLiteral("http://127.0.0.1:3000"));
    const QString token = uniqueToken();
    const QByteArray hostingSecret = QUuid::createUuid().toString(QUuid::Id128).toLatin1();
    const QString message = QStringLiteral("The system keychain is not available; the token is kept for this session only.");
    QCOMPARE(TokenStore::unavailableMessage(), message);

    // store: refused, with the message
    TokenStore::Result result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeToken(server, token, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QCOMPARE(result.errorString, message);
    QVERIFY(!store.isAvailable());
    QCOMPARE(store.availability(), Availability::Unavailable);
    QCOMPARE(availability.size(), 1);
    QCOMPARE(availability.first().at(0).value<Availability>(), Availability::Unavailable);

    // load: refused too, but this session's copy comes back with it
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.loadToken(server, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QCOMPARE(result.errorString, message);
    QCOMPARE(result.text(), token);
    // …in this object only
    TokenStore other(m_service);
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        other.loadToken(server, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QVERIFY(result.secret.isEmpty());

    // the hosting secret: the same, with its own message
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.storeHostingSecret(hostingSecret, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QCOMPARE(result.errorString, TokenStore::hostingSecretUnavailableMessage());
    QVERIFY(result.errorString.contains(QLatin1String("hosting secret")));
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.loadHostingSecret(context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QCOMPARE(result.secret, hostingSecret);

    // remove: refused, and the session's copy is gone
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.removeToken(server, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QCOMPARE(result.errorString, message);
    result = wait([&](QObject *context, TokenStore::Callback callback) {
        store.loadToken(server, context, std::move(callback));
    });
    QCOMPARE(result.status, Status::Unavailable);
    QVERIFY(result.secret.isEmpty());
    QCOMPARE(availability.size(), 1);

    // nothing written anywhere under HOME and the XDG directories, in any form
    QVERIFY(m_home);
    QList<QByteArray> needles = formsOf(token.toUtf8());
    needles += formsOf(hostingSecret);
    const QStringList hits = filesContaining(m_home->path(), needles);
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", ")));
}

void tst_TokenStore::scannerFindsWhatIsThere()
{
    // the scan above would see a secret, had one been written (here in a file of our own)
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a/b")));
    const QByteArray secret("s3cr3t-\x01-value");
    QFile file(dir.filePath(QStringLiteral("a/b/.hidden.conf")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[Roomcast]\nvalue=" + secret.toBase64() + '\n');
    file.close();
    QCOMPARE(filesContaining(dir.path(), formsOf(secret)), QStringList{file.fileName()});
    QVERIFY(filesContaining(dir.path(), formsOf("something else")).isEmpty());
}

void tst_TokenStore::cleanupTestCase()
{
    if (keychainAbsentMode())
        return;
    // leave nothing behind in the user's keychain
    TokenStore store(m_service);
    for (const QString &port : {QStringLiteral("3000"), QStringLiteral("3001"), QStringLiteral("9")})
        wait([&](QObject *context, TokenStore::Callback callback) {
            store.removeToken(QUrl(QStringLiteral("http://127.0.0.1:") + port), context, std::move(callback));
        });
    wait([&](QObject *context, TokenStore::Callback callback) { store.removeHostingSecret(context, std::move(callback)); });
}

QTEST_GUILESS_MAIN(tst_TokenStore)
#include "tst_tokenstore.moc"
