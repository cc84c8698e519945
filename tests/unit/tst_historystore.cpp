#include "server/historystore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using Roomcast::Server::HistoryStore;
using Roomcast::Server::PrivateMessage;
using Roomcast::Server::RoomMessage;

namespace {

const QDateTime epoch = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

QDateTime at(int second)
{
    return epoch.addSecs(second);
}

QList<qint64> idsOf(const auto &messages)
{
    QList<qint64> ids;
    for (const auto &m : messages)
        ids.append(m.id);
    return ids;
}

QStringList textsOf(const auto &messages)
{
    QStringList texts;
    for (const auto &m : messages)
        texts.append(m.text);
    return texts;
}

} // namespace

class tst_HistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void appendAndReadInOrder();
    void paging_data();
    void paging();
    void roomsAreIsolated();
    void privateHistoryBothDirections();
    void privateHistoryIsolatedBetweenPairs();
    void undeliveredThenMarkDelivered();
    void undeliveredIsPaged();
    void survivesRestart();
    void twoStoresInOneProcess();
    void openFailsOnUnwritablePath();
    void refusesNewerSchema();
    void clientMessageIdsAreUniquePerRoom();
    void migratesASchemaOneDatabase();
    void usesWriteAheadLog();
    void refusesBadInput_data();
    void refusesBadInput();
    void acceptsLimits();
    void refusesBadPageSize_data();
    void refusesBadPageSize();
    void notOpen();
    void sqlMetacharactersVerbatim_data();
    void sqlMetacharactersVerbatim();
    void tenThousandMessages();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

void tst_HistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(m_dir->path()), qPrintable(m_store->errorString()));
    QVERIFY(m_store->isOpen());
    QCOMPARE(m_store->error(), HistoryStore::NoError);
}

void tst_HistoryStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void tst_HistoryStore::appendAndReadInOrder()
{
    const auto first = m_store->append(QStringLiteral("lobby"), QStringLiteral("u1"),
                                       QStringLiteral("Alice"), QStringLiteral("sockA"),
                                       QStringLiteral("hello"), at(0));
    QVERIFY2(first, qPrintable(m_store->errorString()));
    QVERIFY(first->id > 0);
    QCOMPARE(first->room, QStringLiteral("lobby"));
    QCOMPARE(first->timestamp, at(0));

    // A local time is stored as the same instant and read back in UTC.
    const QDateTime local = at(1).toLocalTime();
    const auto second = m_store->append(QStringLiteral("lobby"), QString(), QStringLiteral("Bob"),
                                        QStringLiteral("sockB"), QStringLiteral("hi there"), local);
    QVERIFY(second);
    QVERIFY(second->id > first->id);

    const auto page = m_store->roomHistory(QStringLiteral("lobby"), 10);
    QVERIFY2(page, qPrintable(m_store->errorString()));
    QVERIFY(!page->hasMore);
    QCOMPARE(page->messages.size(), 2);
    const RoomMessage &a = page->messages.at(0);
    QCOMPARE(a.id, first->id);
    QCOMPARE(a.room, QStringLiteral("lobby"));
    QCOMPARE(a.senderUserId, QStringLiteral("u1"));
    QCOMPARE(a.senderName, QStringLiteral("Alice"));
    QCOMPARE(a.senderSocketId, QStringLiteral("sockA"));
    QCOMPARE(a.text, QStringLiteral("hello"));
    QCOMPARE(a.timestamp, at(0));
    QCOMPARE(a.timestamp.timeSpec(), Qt::UTC);
    const RoomMessage &b = page->messages.at(1);
    QCOMPARE(b.id, second->id);
    QVERIFY(b.senderUserId.isEmpty());
    QCOMPARE(b.text, QStringLiteral("hi there"));
    QCOMPARE(b.timestamp, at(1));
    QCOMPARE(b.timestamp.timeSpec(), Qt::UTC);

    const auto empty = m_store->roomHistory(QStringLiteral("nobody-here"), 10);
    QVERIFY(empty);
    QVERIFY(empty->messages.isEmpty());
    QVERIFY(!empty->hasMore);
}

void tst_HistoryStore::paging_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("limit");
    QTest::newRow("empty") << 0 << 5;
    QTest::newRow("one page, not full") << 3 << 5;
    QTest::newRow("exactly one page") << 5 << 5;
    QTest::newRow("one more than a page") << 6 << 5;
    QTest::newRow("several pages") << 23 << 5;
    QTest::newRow("page of one") << 4 << 1;
}

void tst_HistoryStore::paging()
{
    QFETCH(int, total);
    QFETCH(int, limit);
    QList<qint64> appended;
    for (int i = 0; i < total; ++i) {
        const auto m = m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"),
                                       QStringLiteral("s"), QString::number(i), at(i));
        QVERIFY(m);
        appended.append(m->id);
    }

    QList<qint64> seen; // newest pages first, each oldest first
    qint64 before = -1;
    int pages = 0;
    for (;;) {
        const auto page = m_store->roomHistory(QStringLiteral("r"), limit, before);
        QVERIFY2(page, qPrintable(m_store->errorString()));
        ++pages;
        QVERIFY(page->messages.size() <= limit);
        const qsizetype remaining = total - seen.size();
        QCOMPARE(page->messages.size(), std::min<qsizetype>(limit, remaining));
        QCOMPARE(page->hasMore, remaining > limit);
        const QList<qint64> ids = idsOf(page->messages);
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        // The page is the newest `limit` messages older than `before`.
        QCOMPARE(ids, appended.mid(remaining - ids.size(), ids.size()));
        seen = ids + seen;
        if (!page->hasMore)
            break;
        before = ids.first();
    }
    QCOMPARE(seen, appended);
    QCOMPARE(pages, total == 0 ? 1 : (total + limit - 1) / limit);
}

void tst_HistoryStore::roomsAreIsolated()
{
    for (int i = 0; i < 3; ++i) {
        QVERIFY(m_store->append(QStringLiteral("red"), QString(), QStringLiteral("n"),
                                QStringLiteral("s"), QStringLiteral("red %1").arg(i), at(i)));
        QVERIFY(m_store->append(QStringLiteral("blue"), QString(), QStringLiteral("n"),
                                QStringLiteral("s"), QStringLiteral("blue %1").arg(i), at(i)));
    }
    // Room names are exact: case and a common prefix do not match.
    QVERIFY(m_store->append(QStringLiteral("Red"), QString(), QStringLiteral("n"),
                            QStringLiteral("s"), QStringLiteral("Red"), at(9)));
    QVERIFY(m_store->append(QStringLiteral("redder"), QString(), QStringLiteral("n"),
                            QStringLiteral("s"), QStringLiteral("redder"), at(9)));

    const auto red = m_store->roomHistory(QStringLiteral("red"), 100);
    QVERIFY(red);
    QCOMPARE(textsOf(red->messages),
             (QStringList{QStringLiteral("red 0"), QStringLiteral("red 1"), QStringLiteral("red 2")}));
    const auto blue = m_store->roomHistory(QStringLiteral("blue"), 2);
    QVERIFY(blue);
    QCOMPARE(textsOf(blue->messages), (QStringList{QStringLiteral("blue 1"), QStringLiteral("blue 2")}));
    QVERIFY(blue->hasMore);
    // A beforeId taken from another room still pages this room only.
    const auto blueBeforeRed = m_store->roomHistory(QStringLiteral("blue"), 100, red->messages.last().id);
    QVERIFY(blueBeforeRed);
    for (const RoomMessage &m : blueBeforeRed->messages)
        QCOMPARE(m.room, QStringLiteral("blue"));
}

void tst_HistoryStore::privateHistoryBothDirections()
{
    const auto m1 = m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("Alice"),
                                           QStringLiteral("bob"), QStringLiteral("hi bob"), at(0), true);
    QVERIFY2(m1, qPrintable(m_store->errorString()));
    const auto m2 = m_store->appendPrivate(QStringLiteral("bob"), QStringLiteral("Bob"),
                                           QStringLiteral("alice"), QStringLiteral("hi alice"), at(1), false);
    QVERIFY(m2);
    const auto m3 = m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("Alice"),
                                           QStringLiteral("bob"), QStringLiteral("how are you"), at(2), true);
    QVERIFY(m3);
    QVERIFY(m1->id < m2->id && m2->id < m3->id);

    for (const auto &[a, b] : {std::pair{QStringLiteral("alice"), QStringLiteral("bob")},
                               std::pair{QStringLiteral("bob"), QStringLiteral("alice")}}) {
        const auto page = m_store->privateHistory(a, b, 10);
        QVERIFY2(page, qPrintable(m_store->errorString()));
        QVERIFY(!page->hasMore);
        QCOMPARE(idsOf(page->messages), (QList<qint64>{m1->id, m2->id, m3->id}));
        const PrivateMessage &second = page->messages.at(1);
        QCOMPARE(second.fromUserId, QStringLiteral("bob"));
        QCOMPARE(second.fromName, QStringLiteral("Bob"));
        QCOMPARE(second.toUserId, QStringLiteral("alice"));
        QCOMPARE(second.text, QStringLiteral("hi alice"));
        QCOMPARE(second.timestamp, at(1));
        QCOMPARE(second.delivered, false);
        QCOMPARE(page->messages.at(0).delivered, true);
    }

    const auto older = m_store->privateHistory(QStringLiteral("bob"), QStringLiteral("alice"), 1, m3->id);
    QVERIFY(older);
    QCOMPARE(idsOf(older->messages), QList<qint64>{m2->id});
    QVERIFY(older->hasMore);
}

void tst_HistoryStore::privateHistoryIsolatedBetweenPairs()
{
    QVERIFY(m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("A"), QStringLiteral("bob"),
                                   QStringLiteral("a→b"), at(0), true));
    QVERIFY(m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("A"), QStringLiteral("carol"),
                                   QStringLiteral("a→c"), at(1), true));
    QVERIFY(m_store->appendPrivate(QStringLiteral("carol"), QStringLiteral("C"), QStringLiteral("bob"),
                                   QStringLiteral("c→b"), at(2), true));
    QVERIFY(m_store->appendPrivate(QStringLiteral("bob"), QStringLiteral("B"), QStringLiteral("bob"),
                                   QStringLiteral("b→b"), at(3), true));
    // Room messages never show up in private history, nor the reverse.
    QVERIFY(m_store->append(QStringLiteral("bob"), QStringLiteral("alice"), QStringLiteral("A"),
                            QStringLiteral("s"), QStringLiteral("room bob"), at(4)));

    const auto ab = m_store->privateHistory(QStringLiteral("alice"), QStringLiteral("bob"), 10);
    QVERIFY(ab);
    QCOMPARE(textsOf(ab->messages), QStringList{QStringLiteral("a→b")});
    const auto cb = m_store->privateHistory(QStringLiteral("bob"), QStringLiteral("carol"), 10);
    QVERIFY(cb);
    QCOMPARE(textsOf(cb->messages), QStringList{QStringLiteral("c→b")});
    const auto self = m_store->privateHistory(QStringLiteral("bob"), QStringLiteral("bob"), 10);
    QVERIFY(self);
    QCOMPARE(textsOf(self->messages), QStringList{QStringLiteral("b→b")});
    const auto none = m_store->privateHistory(QStringLiteral("bob"), QStringLiteral("dave"), 10);
    QVERIFY(none);
    QVERIFY(none->messages.isEmpty());
    const auto room = m_store->roomHistory(QStringLiteral("bob"), 10);
    QVERIFY(room);
    QCOMPARE(textsOf(room->messages), QStringList{QStringLiteral("room bob")});
}

void tst_HistoryStore::undeliveredThenMarkDelivered()
{
    const auto delivered = m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("A"),
                                                  QStringLiteral("bob"), QStringLiteral("seen"), at(0), true);
    const auto first = m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("A"),
                                              QStringLiteral("bob"), QStringLiteral("one"), at(1), false);
    const auto toCarol = m_store->appendPrivate(QStringLiteral("alice"), QStringLiteral("A"),
                                                QStringLiteral("carol"), QStringLiteral("c"), at(2), false);
    const auto second = m_store->appendPrivate(QStringLiteral("dave"), QStringLiteral("D"),
                                               QStringLiteral("bob"), QStringLiteral("two"), at(3), false);
    QVERIFY(delivered && first && toCarol && second);

    auto pending = m_store->undelivered(QStringLiteral("bob"));
    QVERIFY2(pending, qPrintable(m_store->errorString()));
    QCOMPARE(idsOf(pending->messages), (QList<qint64>{first->id, second->id}));
    QVERIFY(!pending->hasMore);
    QCOMPARE(pending->messages.at(1).fromUserId, QStringLiteral("dave"));
    // Nothing is pending for the sender.
    auto alice = m_store->undelivered(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(alice->messages.isEmpty());

    QVERIFY2(m_store->markDelivered({first->id, second->id, 999999}), qPrintable(m_store->errorString()));
    pending = m_store->undelivered(QStringLiteral("bob"));
    QVERIFY(pending);
    QVERIFY(pending->messages.isEmpty());
    QVERIFY(m_store->markDelivered({}));

    // Carol's message is untouched, and the conversation itself is still there, now delivered.
    const auto carol = m_store->undelivered(QStringLiteral("carol"));
    QVERIFY(carol);
    QCOMPARE(idsOf(carol->messages), QList<qint64>{toCarol->id});
    const auto conversation = m_store->privateHistory(QStringLiteral("bob"), QStringLiteral("alice"), 10);
    QVERIFY(conversation);
    QCOMPARE(conversation->messages.size(), 2);
    for (const PrivateMessage &m : conversation->messages)
        QVERIFY(m.delivered);
}

void tst_HistoryStore::undeliveredIsPaged()
{
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        const auto m = m_store->appendPrivate(QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("b"),
                                              QString::number(i), at(i), false);
        QVERIFY(m);
        ids.append(m->id);
    }
    QList<qint64> seen;
    for (;;) {
        const auto page = m_store->undelivered(QStringLiteral("b"), 2);
        QVERIFY(page);
        seen += idsOf(page->messages);
        QVERIFY(m_store->markDelivered(idsOf(page->messages)));
        if (!page->hasMore)
            break;
    }
    QCOMPARE(seen, ids);
}

void tst_HistoryStore::survivesRestart()
{
    const auto before = m_store->append(QStringLiteral("lobby"), QString(), QStringLiteral("n"),
                                        QStringLiteral("s"), QStringLiteral("before"), at(0));
    const auto pending = m_store->appendPrivate(QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("b"),
                                                QStringLiteral("while you were out"), at(1), false);
    QVERIFY(before && pending);

    // A restart: the store is destroyed (its connection removed) and a new one opens the directory.
    m_store.reset();
    HistoryStore restarted;
    QVERIFY2(restarted.open(m_dir->path()), qPrintable(restarted.errorString()));
    QCOMPARE(restarted.directory(), m_dir->path());

    const auto history = restarted.roomHistory(QStringLiteral("lobby"), 10);
    QVERIFY(history);
    QCOMPARE(idsOf(history->messages), QList<qint64>{before->id});
    QCOMPARE(history->messages.first().text, QStringLiteral("before"));
    const auto waiting = restarted.undelivered(QStringLiteral("b"));
    QVERIFY(waiting);
    QCOMPARE(idsOf(waiting->messages), QList<qint64>{pending->id});

    const auto after = restarted.append(QStringLiteral("lobby"), QString(), QStringLiteral("n"),
                                        QStringLiteral("s"), QStringLiteral("after"), at(2));
    QVERIFY(after);
    QVERIFY(after->id > before->id);
    const auto laterPrivate = restarted.appendPrivate(QStringLiteral("a"), QStringLiteral("A"),
                                                      QStringLiteral("b"), QStringLiteral("x"), at(3), true);
    QVERIFY(laterPrivate);
    QVERIFY(laterPrivate->id > pending->id);

    // close() then open() on the same object works too.
    restarted.close();
    QVERIFY(!restarted.isOpen());
    QVERIFY(restarted.open(m_dir->path()));
    const auto again = restarted.roomHistory(QStringLiteral("lobby"), 10);
    QVERIFY(again);
    QCOMPARE(textsOf(again->messages), (QStringList{QStringLiteral("before"), QStringLiteral("after")}));
}

void tst_HistoryStore::twoStoresInOneProcess()
{
    QTemporaryDir otherDir;
    QVERIFY(otherDir.isValid());
    HistoryStore other;
    QVERIFY2(other.open(otherDir.path()), qPrintable(other.errorString()));

    QVERIFY(m_store->append(QStringLiteral("lobby"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("first store"), at(0)));
    QVERIFY(other.append(QStringLiteral("lobby"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                         QStringLiteral("second store"), at(1)));
    QVERIFY(other.append(QStringLiteral("lobby"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                         QStringLiteral("second store again"), at(2)));

    const auto mine = m_store->roomHistory(QStringLiteral("lobby"), 10);
    const auto theirs = other.roomHistory(QStringLiteral("lobby"), 10);
    QVERIFY(mine && theirs);
    QCOMPARE(textsOf(mine->messages), QStringList{QStringLiteral("first store")});
    QCOMPARE(textsOf(theirs->messages),
             (QStringList{QStringLiteral("second store"), QStringLiteral("second store again")}));

    // Closing one leaves the other working.
    other.close();
    QVERIFY(m_store->append(QStringLiteral("lobby"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("still here"), at(3)));
    QVERIFY(QFile::exists(QDir(otherDir.path()).filePath(HistoryStore::fileName())));
}

void tst_HistoryStore::openFailsOnUnwritablePath()
{
    // A path below a regular file can never be created, even by root.
    const QString file = QDir(m_dir->path()).filePath(QStringLiteral("not-a-directory"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    HistoryStore store;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    const QString target = QDir(file).filePath(QStringLiteral("history"));
    QVERIFY(!store.open(target));
    QVERIFY(!store.isOpen());
    QCOMPARE(store.error(), HistoryStore::OpenFailed);
    QVERIFY2(store.errorString().contains(QDir::toNativeSeparators(target)), qPrintable(store.errorString()));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<HistoryStore::Error>(), HistoryStore::OpenFailed);

    // The data directory itself being a file fails the same way.
    QVERIFY(!store.open(file));
    QCOMPARE(store.error(), HistoryStore::OpenFailed);
    QVERIFY(!store.open(QString()));
    QCOMPARE(store.error(), HistoryStore::OpenFailed);

    // A failed open leaves the store usable for a later, good one.
    QTemporaryDir good;
    QVERIFY(store.open(good.path()));
    QCOMPARE(store.error(), HistoryStore::NoError);
}

void tst_HistoryStore::refusesNewerSchema()
{
    m_store->close();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
        db.setDatabaseName(QDir(m_dir->path()).filePath(HistoryStore::fileName()));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE schema_version SET version = 99")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tamper"));

    QVERIFY(!m_store->open(m_dir->path()));
    QCOMPARE(m_store->error(), HistoryStore::SchemaError);
    QVERIFY2(m_store->errorString().contains(QStringLiteral("99")), qPrintable(m_store->errorString()));
    QVERIFY(!m_store->isOpen());
}

void tst_HistoryStore::clientMessageIdsAreUniquePerRoom()
{
    const auto first = m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                                       QStringLiteral("once"), at(0), QStringLiteral("id-1"));
    QVERIFY(first);
    QCOMPARE(first->clientId, QStringLiteral("id-1"));
    // Found by its id in its room only.
    const auto found = m_store->roomMessageByClientId(QStringLiteral("r"), QStringLiteral("id-1"));
    QVERIFY(found);
    QCOMPARE(found->id, first->id);
    QCOMPARE(found->text, QStringLiteral("once"));
    QCOMPARE(found->clientId, QStringLiteral("id-1"));
    QVERIFY(!m_store->roomMessageByClientId(QStringLiteral("other"), QStringLiteral("id-1")));
    QCOMPARE(m_store->error(), HistoryStore::NoError);
    QVERIFY(!m_store->roomMessageByClientId(QStringLiteral("r"), QStringLiteral("id-2")));
    QCOMPARE(m_store->error(), HistoryStore::NoError);

    // Stored twice under the same id in the same room: refused, nothing stored.
    QVERIFY(!m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                             QStringLiteral("twice"), at(1), QStringLiteral("id-1")));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    // The same id elsewhere, and messages without one, are fine.
    QVERIFY(m_store->append(QStringLiteral("other"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("elsewhere"), at(2), QStringLiteral("id-1")));
    QVERIFY(m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("no id"), at(3)));
    QVERIFY(m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("no id either"), at(4)));
    const auto page = m_store->roomHistory(QStringLiteral("r"), 10);
    QVERIFY(page);
    QCOMPARE(textsOf(page->messages), (QStringList{QStringLiteral("once"), QStringLiteral("no id"),
                                                   QStringLiteral("no id either")}));
    QCOMPARE(page->messages.first().clientId, QStringLiteral("id-1"));
    QVERIFY(page->messages.last().clientId.isEmpty());

    // Surviving a restart, as the messages do.
    m_store->close();
    QVERIFY(m_store->open(m_dir->path()));
    QVERIFY(m_store->roomMessageByClientId(QStringLiteral("r"), QStringLiteral("id-1")));
}

void tst_HistoryStore::migratesASchemaOneDatabase()
{
    m_store->close();
    QTemporaryDir old;
    {
        // What version 1 created, with a message in it.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(QDir(old.path()).filePath(HistoryStore::fileName()));
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const char *statement :
             {"CREATE TABLE schema_version (version INTEGER NOT NULL)", "INSERT INTO schema_version VALUES (1)",
              "CREATE TABLE room_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL,"
              " sender_user_id TEXT NOT NULL, sender_name TEXT NOT NULL, sender_socket_id TEXT NOT NULL,"
              " text TEXT NOT NULL, timestamp_ms INTEGER NOT NULL)",
              "CREATE INDEX room_messages_by_room ON room_messages (room, id)",
              "CREATE TABLE private_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, from_user_id TEXT NOT NULL,"
              " from_name TEXT NOT NULL, to_user_id TEXT NOT NULL, text TEXT NOT NULL,"
              " timestamp_ms INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0)",
              "INSERT INTO room_messages (room, sender_user_id, sender_name, sender_socket_id, text, timestamp_ms)"
              " VALUES ('r', '', 'n', 's', 'from version 1', 1714564800000)"}) {
            QVERIFY2(q.exec(QString::fromLatin1(statement)), statement);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));

    HistoryStore store;
    QVERIFY2(store.open(old.path()), qPrintable(store.errorString()));
    const auto page = store.roomHistory(QStringLiteral("r"), 10);
    QVERIFY(page);
    QCOMPARE(textsOf(page->messages), QStringList{QStringLiteral("from version 1")});
    QVERIFY(page->messages.first().clientId.isEmpty());
    QVERIFY(store.append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                         QStringLiteral("with an id"), at(0), QStringLiteral("id-1")));
    QVERIFY(!store.append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                          QStringLiteral("again"), at(1), QStringLiteral("id-1")));
}

void tst_HistoryStore::usesWriteAheadLog()
{
    QVERIFY(m_store->append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                            QStringLiteral("t"), at(0)));
    {
        // The journal mode is persistent in the file; a second connection sees it.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(QDir(m_dir->path()).filePath(HistoryStore::fileName()));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("SELECT version FROM schema_version")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), HistoryStore::SchemaVersion);
        QVERIFY(!q.next());
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
}

void tst_HistoryStore::refusesBadInput_data()
{
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("timestamp");
    const QString ok = QStringLiteral("ok");
    const QString longName(HistoryStore::MaxNameLength + 1, u'n');
    QTest::newRow("text too long") << ok << ok << QString(HistoryStore::MaxTextLength + 1, u'x') << at(0);
    QTest::newRow("text far too long") << ok << ok << QString(1 << 20, u'x') << at(0);
    QTest::newRow("room too long") << longName << ok << ok << at(0);
    QTest::newRow("room empty") << QString() << ok << ok << at(0);
    QTest::newRow("name too long") << ok << longName << ok << at(0);
    QTest::newRow("no timestamp") << ok << ok << ok << QDateTime();
}

void tst_HistoryStore::refusesBadInput()
{
    QFETCH(QString, room);
    QFETCH(QString, name);
    QFETCH(QString, text);
    QFETCH(QDateTime, timestamp);
    QSignalSpy errors(m_store.get(), &HistoryStore::errorOccurred);

    QVERIFY(!m_store->append(room, QString(), name, QStringLiteral("s"), text, timestamp));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    QVERIFY(!m_store->errorString().isEmpty());
    QVERIFY2(text.size() < 100 || !m_store->errorString().contains(text),
             "the error message must not quote the message body");
    QCOMPARE(errors.size(), 1);

    // Private messages go through the same checks (the room plays no part there).
    const bool privateIsBad = name != QStringLiteral("ok") || text != QStringLiteral("ok") || !timestamp.isValid();
    if (privateIsBad) {
        QVERIFY(!m_store->appendPrivate(QStringLiteral("a"), name, QStringLiteral("b"), text, timestamp, false));
        QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
        const auto conversation = m_store->privateHistory(QStringLiteral("a"), QStringLiteral("b"), 10);
        QVERIFY(conversation);
        QVERIFY(conversation->messages.isEmpty());
    }

    // Nothing was stored, and the store still works.
    if (!room.isEmpty() && room.size() <= HistoryStore::MaxNameLength) {
        const auto history = m_store->roomHistory(room, 10);
        QVERIFY(history);
        QVERIFY(history->messages.isEmpty());
    }
    QVERIFY(m_store->append(QStringLiteral("ok"), QString(), QStringLiteral("ok"), QStringLiteral("s"),
                            QStringLiteral("fine"), at(0)));
    QCOMPARE(m_store->error(), HistoryStore::NoError);
}

void tst_HistoryStore::acceptsLimits()
{
    const QString maxText(HistoryStore::MaxTextLength, u'x');
    const QString maxName(HistoryStore::MaxNameLength, u'n');
    const auto m = m_store->append(maxName, maxName, maxName, maxName, maxText, at(0));
    QVERIFY2(m, qPrintable(m_store->errorString()));
    const auto page = m_store->roomHistory(maxName, 1);
    QVERIFY(page);
    QCOMPARE(page->messages.first().text, maxText);
    QVERIFY(m_store->append(QStringLiteral("r"), QString(), QString(), QString(), QString(), at(0)));

    QVERIFY(!m_store->appendPrivate(QString(), QStringLiteral("A"), QStringLiteral("b"),
                                    QStringLiteral("t"), at(0), false));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    QVERIFY(!m_store->appendPrivate(QStringLiteral("a"), QStringLiteral("A"), QString(),
                                    QStringLiteral("t"), at(0), false));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
}

void tst_HistoryStore::refusesBadPageSize_data()
{
    QTest::addColumn<int>("limit");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -1;
    QTest::newRow("above the cap") << HistoryStore::MaxPageSize + 1;
}

void tst_HistoryStore::refusesBadPageSize()
{
    QFETCH(int, limit);
    QVERIFY(!m_store->roomHistory(QStringLiteral("r"), limit));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    QVERIFY(!m_store->privateHistory(QStringLiteral("a"), QStringLiteral("b"), limit));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    QVERIFY(!m_store->undelivered(QStringLiteral("a"), limit));
    QCOMPARE(m_store->error(), HistoryStore::InvalidArgument);
    QVERIFY(m_store->roomHistory(QStringLiteral("r"), HistoryStore::MaxPageSize));
}

void tst_HistoryStore::notOpen()
{
    HistoryStore store;
    QVERIFY(!store.isOpen());
    QVERIFY(!store.append(QStringLiteral("r"), QString(), QStringLiteral("n"), QStringLiteral("s"),
                          QStringLiteral("t"), at(0)));
    QCOMPARE(store.error(), HistoryStore::NotOpen);
    QVERIFY(!store.roomHistory(QStringLiteral("r"), 10));
    QCOMPARE(store.error(), HistoryStore::NotOpen);
    QVERIFY(!store.appendPrivate(QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("b"),
                                 QStringLiteral("t"), at(0), false));
    QCOMPARE(store.error(), HistoryStore::NotOpen);
    QVERIFY(!store.privateHistory(QStringLiteral("a"), QStringLiteral("b"), 10));
    QVERIFY(!store.undelivered(QStringLiteral("a")));
    QVERIFY(!store.markDelivered({1}));
    QCOMPARE(store.error(), HistoryStore::NotOpen);
    store.close(); // harmless

    m_store->close();
    QVERIFY(!m_store->roomHistory(QStringLiteral("r"), 10));
    QCOMPARE(m_store->error(), HistoryStore::NotOpen);
}

void tst_HistoryStore::sqlMetacharactersVerbatim_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("quote") << QStringLiteral("it's");
    QTest::newRow("injection") << QStringLiteral("x'); DROP TABLE room_messages; --");
    QTest::newRow("double quotes") << QStringLiteral("\"room\"");
    QTest::newRow("like wildcards") << QStringLiteral("%_*?[]");
    QTest::newRow("backslashes") << QStringLiteral("C:\\path\\\\'");
    QTest::newRow("parameter marks") << QStringLiteral("? :name @x $y ?1");
    QTest::newRow("comment") << QStringLiteral("/* not a comment */ -- nor this");
    QTest::newRow("newlines and tabs") << QStringLiteral("a\nb\r\nc\td");
    QTest::newRow("unicode") << QStringLiteral("Zürich 日本語 🙂");
    QTest::newRow("embedded NUL") << QString(QStringLiteral("a") + QChar(u'\0') + QStringLiteral("b"));
    QTest::newRow("leading and trailing spaces") << QStringLiteral("  padded  ");
}

void tst_HistoryStore::sqlMetacharactersVerbatim()
{
    QFETCH(QString, value);
    const auto stored = m_store->append(value, value, value, value, value, at(0));
    QVERIFY2(stored, qPrintable(m_store->errorString()));
    // A decoy that a broken (string-built or LIKE) query would also match.
    QVERIFY(m_store->append(QStringLiteral("decoy"), QString(), QString(), QString(),
                            QStringLiteral("decoy"), at(1)));

    const auto page = m_store->roomHistory(value, 10);
    QVERIFY2(page, qPrintable(m_store->errorString()));
    QCOMPARE(page->messages.size(), 1);
    const RoomMessage &m = page->messages.first();
    QCOMPARE(m.room, value);
    QCOMPARE(m.senderUserId, value);
    QCOMPARE(m.senderName, value);
    QCOMPARE(m.senderSocketId, value);
    QCOMPARE(m.text, value);

    const auto priv = m_store->appendPrivate(value, value, value + QStringLiteral("2"), value, at(2), false);
    QVERIFY(priv);
    const auto conversation = m_store->privateHistory(value + QStringLiteral("2"), value, 10);
    QVERIFY(conversation);
    QCOMPARE(conversation->messages.size(), 1);
    QCOMPARE(conversation->messages.first().text, value);
    QCOMPARE(conversation->messages.first().fromName, value);

    // The tables are all still there.
    QVERIFY(m_store->roomHistory(QStringLiteral("decoy"), 10));
    QCOMPARE(m_store->roomHistory(QStringLiteral("decoy"), 10)->messages.size(), 1);
}

void tst_HistoryStore::tenThousandMessages()
{
    constexpr int Total = 10000;
    constexpr int PageSize = 100;
    QElapsedTimer timer;
    timer.start();
    QList<qint64> ids;
    ids.reserve(Total);
    for (int i = 0; i < Total; ++i) {
        const auto m = m_store->append(QStringLiteral("busy"), QString(), QStringLiteral("n"),
                                       QStringLiteral("s"), QStringLiteral("message %1").arg(i), at(i));
        QVERIFY2(m, qPrintable(m_store->errorString()));
        ids.append(m->id);
        if (i % 1000 == 0) // another room's traffic interleaved
            QVERIFY(m_store->append(QStringLiteral("quiet"), QString(), QStringLiteral("n"),
                                    QStringLiteral("s"), QStringLiteral("q"), at(i)));
    }
    const qint64 appendMs = timer.restart();

    QList<qint64> seen;
    qint64 before = -1;
    int pages = 0;
    for (bool more = true; more; ++pages) {
        const auto page = m_store->roomHistory(QStringLiteral("busy"), PageSize, before);
        QVERIFY(page);
        QCOMPARE(page->messages.size(), PageSize);
        const int newest = Total - pages * PageSize - 1;
        QCOMPARE(page->messages.last().text, QStringLiteral("message %1").arg(newest));
        QCOMPARE(page->messages.first().text, QStringLiteral("message %1").arg(newest - PageSize + 1));
        seen = idsOf(page->messages) + seen;
        more = page->hasMore;
        before = page->messages.first().id;
    }
    QCOMPARE(pages, Total / PageSize);
    QCOMPARE(seen, ids);
    qInfo("%d appends (each committed and synced): %lld ms; %d pages read: %lld ms", Total,
          appendMs, pages, timer.elapsed());
}

QTEST_GUILESS_MAIN(tst_HistoryStore)
#include "tst_historystore.moc"
