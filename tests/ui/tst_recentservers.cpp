// RecentServers: newest first, at most ten, one entry per server origin, read back by another
// instance from the same settings, and never anything of a URL but its origin (so never a
// token). The model is watched by a QAbstractItemModelTester for its whole life.
#include "ui/session/recentservers.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Roomcast::Ui::RecentServer;
using Roomcast::Ui::RecentServers;

namespace {

QUrl server(int n)
{
    return QUrl(QStringLiteral("http://10.0.0.%1:3000").arg(n));
}

QList<QUrl> urls(const RecentServers &recent)
{
    QList<QUrl> list;
    for (const RecentServer &entry : recent.entries())
        list.append(entry.serverUrl);
    return list;
}

} // namespace

class tst_RecentServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void origins_data();
    void origins();
    void newestFirst();
    void joiningAgainMovesToTheTop();
    void cappedAtTen();
    void keptInSettings();
    void neverAToken();
    void handEditedSettingsAreChecked();
    void removeAndClear();
    void modelRoles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_RecentServers::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("roomcast.conf")), QSettings::IniFormat);
}

void tst_RecentServers::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

void tst_RecentServers::origins_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QUrl>("origin");
    const QUrl plain(QStringLiteral("http://chat.example.org:3000"));
    QTest::newRow("plain") << plain << plain;
    QTest::newRow("case") << QUrl(QStringLiteral("HTTP://Chat.Example.ORG:3000")) << plain;
    QTest::newRow("path, query, fragment, user dropped")
        << QUrl(QStringLiteral("http://ann:pw@chat.example.org:3000/socket.io/?token=a.b.c#x")) << plain;
    QTest::newRow("default port explicit") << QUrl(QStringLiteral("https://chat.example.org"))
                                           << QUrl(QStringLiteral("https://chat.example.org:443"));
    QTest::newRow("ipv6") << QUrl(QStringLiteral("http://[::1]:3000")) << QUrl(QStringLiteral("http://[::1]:3000"));
    QTest::newRow("roomcast scheme refused") << QUrl(QStringLiteral("roomcast://h:3000")) << QUrl();
    QTest::newRow("ftp refused") << QUrl(QStringLiteral("ftp://h")) << QUrl();
    QTest::newRow("no host") << QUrl(QStringLiteral("http://")) << QUrl();
}

void tst_RecentServers::origins()
{
    QFETCH(QUrl, url);
    QFETCH(QUrl, origin);
    QCOMPARE(RecentServers::origin(url), origin);
}

void tst_RecentServers::newestFirst()
{
    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(recent.rowCount(), 0);
    QVERIFY(recent.add(server(1), QStringLiteral("Ann"), QStringLiteral("general")));
    QVERIFY(recent.add(server(2), QStringLiteral("Bob")));
    QVERIFY(recent.add(server(3), QStringLiteral("Cy"), QStringLiteral("random")));
    QCOMPARE(urls(recent), (QList<QUrl>{server(3), server(2), server(1)}));
    QCOMPARE(recent.entryAt(0).nickname, QStringLiteral("Cy"));
    QCOMPARE(recent.entryAt(2).room, QStringLiteral("general"));
    QVERIFY(recent.entryAt(0).lastUsed.isValid());
    QCOMPARE(recent.entryAt(0).lastUsed.timeSpec(), Qt::UTC);
    QVERIFY(!recent.add(QUrl(QStringLiteral("ftp://h")), QStringLiteral("x")));
    QCOMPARE(recent.rowCount(), 3);
}

void tst_RecentServers::joiningAgainMovesToTheTop()
{
    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int n = 1; n <= 3; ++n)
        QVERIFY(recent.add(server(n), QStringLiteral("Ann"), QStringLiteral("general")));
    QSignalSpy moved(&recent, &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(&recent, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&recent, &QAbstractItemModel::modelReset);

    // the same server (another spelling of its origin): moved, not added; an empty room keeps
    // the one it had, a new nickname replaces the old
    QVERIFY(recent.add(QUrl(QStringLiteral("HTTP://10.0.0.1:3000/")), QStringLiteral("Annie")));
    QCOMPARE(urls(recent), (QList<QUrl>{server(1), server(3), server(2)}));
    QCOMPARE(recent.entryAt(0).nickname, QStringLiteral("Annie"));
    QCOMPARE(recent.entryAt(0).room, QStringLiteral("general"));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(resets.size(), 0);

    // the top one again: nothing moves
    QVERIFY(recent.add(server(1), QStringLiteral("Annie"), QStringLiteral("random")));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(recent.entryAt(0).room, QStringLiteral("random"));
    QCOMPARE(recent.rowCount(), 3);
}

void tst_RecentServers::cappedAtTen()
{
    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int n = 1; n <= 13; ++n)
        QVERIFY(recent.add(server(n), QStringLiteral("Ann")));
    QCOMPARE(recent.rowCount(), RecentServers::MaxEntries);
    QCOMPARE(RecentServers::MaxEntries, 10);
    QCOMPARE(recent.entryAt(0).serverUrl, server(13));
    QCOMPARE(recent.entryAt(9).serverUrl, server(4)); // 1, 2 and 3 dropped out, oldest first
    QCOMPARE(recent.indexOf(server(3)), -1);
    RecentServers reread(m_settings.get());
    QCOMPARE(reread.rowCount(), 10);
}

void tst_RecentServers::keptInSettings()
{
    {
        RecentServers recent(m_settings.get());
        recent.add(server(1), QStringLiteral("Ann"), QStringLiteral("général"));
        recent.add(server(2), QStringLiteral("Bob"), {});
    }
    // another instance, another QSettings object on the same file
    QSettings again(m_settings->fileName(), QSettings::IniFormat);
    RecentServers recent(&again);
    QCOMPARE(urls(recent), (QList<QUrl>{server(2), server(1)}));
    QCOMPARE(recent.entryAt(1).nickname, QStringLiteral("Ann"));
    QCOMPARE(recent.entryAt(1).room, QStringLiteral("général"));
    QVERIFY(recent.entryAt(1).lastUsed.isValid());
    QCOMPARE(again.childGroups(), QStringList{QStringLiteral("recent")});
}

void tst_RecentServers::neverAToken()
{
    const QString token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEiLCJuYW1lIjoiQW5uIn0.c2lnbmF0dXJlLXNlY3JldA");
    {
        RecentServers recent(m_settings.get());
        QVERIFY(recent.add(QUrl(QStringLiteral("http://ann:%1@10.0.0.1:3000/?token=%1#%1").arg(token)),
                           QStringLiteral("Ann"), QStringLiteral("general")));
        QCOMPARE(recent.entryAt(0).serverUrl, server(1));
    }
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.contains("10.0.0.1:3000"));
    for (const QString &part : token.split(u'.'))
        QVERIFY2(!content.contains(part.toLatin1()), content.constData());
    QVERIFY(!content.contains("token"));
}

void tst_RecentServers::handEditedSettingsAreChecked()
{
    m_settings->beginGroup(QStringLiteral("recent"));
    m_settings->beginWriteArray(QStringLiteral("servers"));
    const QStringList written{QStringLiteral("javascript:alert(1)"), QStringLiteral("http://10.0.0.1:3000/?token=a.b.c"),
                              QStringLiteral("http://10.0.0.1:3000"), QStringLiteral("not a url at all"),
                              QStringLiteral("https://chat.example.org")};
    for (int i = 0; i < written.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("url"), written.at(i));
    }
    m_settings->endArray();
    m_settings->endGroup();

    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(urls(recent), (QList<QUrl>{server(1), QUrl(QStringLiteral("https://chat.example.org:443"))}));
}

void tst_RecentServers::removeAndClear()
{
    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int n = 1; n <= 3; ++n)
        recent.add(server(n), QStringLiteral("Ann"));
    QVERIFY(recent.remove(server(2)));
    QVERIFY(!recent.remove(server(2)));
    QCOMPARE(urls(recent), (QList<QUrl>{server(3), server(1)}));
    QCOMPARE(RecentServers(m_settings.get()).rowCount(), 2);
    recent.clear();
    QCOMPARE(recent.rowCount(), 0);
    QCOMPARE(RecentServers(m_settings.get()).rowCount(), 0);
}

void tst_RecentServers::modelRoles()
{
    RecentServers recent(m_settings.get());
    QAbstractItemModelTester tester(&recent, QAbstractItemModelTester::FailureReportingMode::Fatal);
    recent.add(QUrl(QStringLiteral("http://[fd00::2]:3000")), QStringLiteral("Ann"), QStringLiteral("general"));
    recent.add(server(1), QStringLiteral("Bob"));
    const QModelIndex first = recent.index(0);
    QCOMPARE(first.data().toString(), QStringLiteral("10.0.0.1:3000"));
    QCOMPARE(first.data(RecentServers::UrlRole).toUrl(), server(1));
    QCOMPARE(first.data(RecentServers::NicknameRole).toString(), QStringLiteral("Bob"));
    QVERIFY(first.data(RecentServers::RoomRole).toString().isEmpty());
    const QModelIndex second = recent.index(1);
    QCOMPARE(second.data().toString(), QStringLiteral("[fd00::2]:3000 — general"));
    QVERIFY(second.data(Qt::ToolTipRole).toString().contains(QLatin1String("Ann")));
    QVERIFY(second.data(RecentServers::LastUsedRole).toDateTime().isValid());
    QCOMPARE(recent.roleNames().value(RecentServers::UrlRole), QByteArray("url"));
}

QTEST_GUILESS_MAIN(tst_RecentServers)
#include "tst_recentservers.moc"
