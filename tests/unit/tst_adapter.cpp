#include "socketio/adapter.h"

#include <QTest>

using namespace Roomcast::SocketIO;

namespace {

QSet<SocketId> targets(const Adapter &adapter, const BroadcastTarget &target)
{
    QSet<SocketId> result;
    int visits = 0;
    adapter.forEachTarget(target, [&](const SocketId &id) {
        result.insert(id);
        ++visits;
    });
    if (visits != result.size())
        qFatal("a socket was visited twice");
    return result;
}

QSet<QString> set(std::initializer_list<const char *> names)
{
    QSet<QString> result;
    for (const char *name : names)
        result.insert(QString::fromLatin1(name));
    return result;
}

} // namespace

class tst_Adapter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rooms();
    void broadcastTargets_data();
    void broadcastTargets();
    void leaveAllDropsEmptyRooms();
    void recoveryReplaysWhatWasMissed();
    void recoveryNeedsAKnownOffset();
    void recoveryExpires();
    void recoveryStoreIsBounded();
    void nameSetAgreesWithQSet();
    void largeRoomsAcrossTheIndex();

private:
    Adapter m_adapter;
};

void tst_Adapter::init()
{
    m_adapter = Adapter();
    // a: private room a, rooms r1 r2; b: r1; c: r2; d: nothing but its own room
    for (const char *id : {"a", "b", "c", "d"})
        m_adapter.join(QString::fromLatin1(id), QString::fromLatin1(id));
    m_adapter.join(QStringLiteral("a"), QStringLiteral("r1"));
    m_adapter.join(QStringLiteral("a"), QStringLiteral("r2"));
    m_adapter.join(QStringLiteral("b"), QStringLiteral("r1"));
    m_adapter.join(QStringLiteral("c"), QStringLiteral("r2"));
}

void tst_Adapter::rooms()
{
    QCOMPARE(m_adapter.rooms(QStringLiteral("a")), set({"a", "r1", "r2"}));
    QCOMPARE(m_adapter.roomSize(QStringLiteral("r1")), 2);
    m_adapter.leave(QStringLiteral("a"), QStringLiteral("r1"));
    QCOMPARE(m_adapter.rooms(QStringLiteral("a")), set({"a", "r2"}));
    QCOMPARE(m_adapter.sockets(set({"r1"})), set({"b"}));
    m_adapter.leave(QStringLiteral("a"), QStringLiteral("nowhere")); // harmless
    QVERIFY(m_adapter.contains(QStringLiteral("a")));
}

void tst_Adapter::broadcastTargets_data()
{
    QTest::addColumn<QSet<QString>>("rooms");
    QTest::addColumn<QSet<QString>>("except");
    QTest::addColumn<QSet<QString>>("expected");
    QTest::newRow("everyone") << QSet<QString>() << QSet<QString>() << set({"a", "b", "c", "d"});
    QTest::newRow("one room") << set({"r1"}) << QSet<QString>() << set({"a", "b"});
    QTest::newRow("two rooms, no duplicates") << set({"r1", "r2"}) << QSet<QString>() << set({"a", "b", "c"});
    QTest::newRow("a private room") << set({"d"}) << QSet<QString>() << set({"d"});
    QTest::newRow("room except a socket") << set({"r1"}) << set({"a"}) << set({"b"});
    QTest::newRow("everyone except a room") << QSet<QString>() << set({"r2"}) << set({"b", "d"});
    QTest::newRow("rooms except a room") << set({"r1", "r2"}) << set({"r1"}) << set({"c"});
    QTest::newRow("unknown room") << set({"nope"}) << QSet<QString>() << QSet<QString>();
}

void tst_Adapter::broadcastTargets()
{
    QFETCH(QSet<QString>, rooms);
    QFETCH(QSet<QString>, except);
    QFETCH(QSet<QString>, expected);
    QCOMPARE(targets(m_adapter, {rooms, except}), expected);
}

void tst_Adapter::leaveAllDropsEmptyRooms()
{
    m_adapter.leaveAll(QStringLiteral("c"));
    QVERIFY(!m_adapter.contains(QStringLiteral("c")));
    QVERIFY(!m_adapter.allRooms().contains(QStringLiteral("c")));
    QCOMPARE(m_adapter.sockets(set({"r2"})), set({"a"}));
    m_adapter.leaveAll(QStringLiteral("a"));
    QVERIFY(!m_adapter.allRooms().contains(QStringLiteral("r2")));
    QCOMPARE(m_adapter.roomSize(QStringLiteral("r2")), 0);
}

void tst_Adapter::recoveryReplaysWhatWasMissed()
{
    m_adapter.setRecoveryWindow(60000);
    const QString first = m_adapter.nextOffset();
    m_adapter.storePacket(first, Packet::event(QStringLiteral("/"), {QStringLiteral("seen")}), {});
    m_adapter.persistSession({QStringLiteral("b"), QStringLiteral("pid-b"), set({"b", "r1"}), {}, {}});
    const QString second = m_adapter.nextOffset();
    QVERIFY(second != first);
    m_adapter.storePacket(second, Packet::event(QStringLiteral("/"), {QStringLiteral("to r1")}), {set({"r1"}), {}});
    m_adapter.storePacket(m_adapter.nextOffset(), Packet::event(QStringLiteral("/"), {QStringLiteral("to r2")}),
                          {set({"r2"}), {}});
    m_adapter.storePacket(m_adapter.nextOffset(), Packet::event(QStringLiteral("/"), {QStringLiteral("not b")}),
                          {{}, set({"b"})});

    const auto restored = m_adapter.restoreSession(QStringLiteral("pid-b"), first);
    QVERIFY(restored);
    QCOMPARE(restored->first.id, QStringLiteral("b"));
    QCOMPARE(restored->first.rooms, set({"b", "r1"}));
    QCOMPARE(restored->second.size(), 1);
    const QVariantList data = restored->second.first().data.toList();
    QCOMPARE(data, (QVariantList{QStringLiteral("to r1"), second}));
    // kept until the connection is accepted (a middleware may still refuse it), then gone
    QVERIFY(m_adapter.restoreSession(QStringLiteral("pid-b"), first));
    m_adapter.dropSession(QStringLiteral("pid-b"));
    QVERIFY(!m_adapter.restoreSession(QStringLiteral("pid-b"), first));
}

void tst_Adapter::recoveryNeedsAKnownOffset()
{
    m_adapter.setRecoveryWindow(60000);
    m_adapter.persistSession({QStringLiteral("b"), QStringLiteral("pid-b"), set({"b"}), {}, {}});
    QVERIFY(!m_adapter.restoreSession(QStringLiteral("pid-b"), QStringLiteral("unknown")));
    QVERIFY(!m_adapter.restoreSession(QStringLiteral("no-such-pid"), QString()));
}

void tst_Adapter::recoveryExpires()
{
    m_adapter.setRecoveryWindow(1);
    const QString offset = m_adapter.nextOffset();
    m_adapter.storePacket(offset, Packet::event(QStringLiteral("/"), {QStringLiteral("x")}), {});
    m_adapter.persistSession({QStringLiteral("b"), QStringLiteral("pid-b"), set({"b"}), {}, {}});
    const QDeadlineTimer windowClosed(5);
    QTRY_VERIFY_WITH_TIMEOUT(windowClosed.hasExpired(), 1000);
    QVERIFY(!m_adapter.restoreSession(QStringLiteral("pid-b"), offset));
}

void tst_Adapter::recoveryStoreIsBounded()
{
    m_adapter.setRecoveryWindow(60000);
    m_adapter.setMaxStoredPackets(3);
    QStringList offsets;
    for (int i = 0; i < 5; ++i) {
        offsets.append(m_adapter.nextOffset());
        m_adapter.storePacket(offsets.last(), Packet::event(QStringLiteral("/"), {i}), {});
    }
    // the two oldest are gone: a client whose last offset was one of them cannot be recovered
    m_adapter.persistSession({QStringLiteral("b"), QStringLiteral("pid-b"), set({"b"}), {}, {}});
    QVERIFY(!m_adapter.restoreSession(QStringLiteral("pid-b"), offsets.at(0)));
    const auto restored = m_adapter.restoreSession(QStringLiteral("pid-b"), offsets.at(2));
    QVERIFY(restored);
    QCOMPARE(restored->second.size(), 2);
}

void tst_Adapter::nameSetAgreesWithQSet()
{
    // Random inserts and removes over a few dozen names, so that the set grows past the index
    // threshold and shrinks below it again, checked against a QSet after every step.
    NameSet set;
    QSet<QString> reference;
    quint32 state = 12345;
    const auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int step = 0; step < 4000; ++step) {
        const QString name = QStringLiteral("n%1").arg((next() >> 8) % 40);
        // Phases of mostly inserts then mostly removes, so that both sizes are visited.
        const bool inserting = ((step / 500) % 2 == 0) ? (next() % 4 != 0) : (next() % 4 == 0);
        if (inserting) {
            const bool wasThere = reference.contains(name);
            reference.insert(name);
            QCOMPARE(set.insert(name), !wasThere);
        } else {
            QCOMPARE(set.remove(name), reference.remove(name));
        }
        QCOMPARE(set.size(), reference.size());
        QCOMPARE(set.toSet(), reference);
        for (int probe = 0; probe < 40; ++probe) {
            const QString other = QStringLiteral("n%1").arg(probe);
            QCOMPARE(set.contains(other), reference.contains(other));
        }
    }
    for (const QString &name : reference)
        QVERIFY(set.remove(name));
    QVERIFY(set.isEmpty());
    QVERIFY(set.begin() == set.end());
}

void tst_Adapter::largeRoomsAcrossTheIndex()
{
    Adapter adapter;
    for (int i = 0; i < 100; ++i)
        adapter.join(QStringLiteral("s%1").arg(i), QStringLiteral("big"));
    QCOMPARE(adapter.roomSize(QStringLiteral("big")), 100);
    for (int i = 0; i < 100; i += 2)
        adapter.leave(QStringLiteral("s%1").arg(i), QStringLiteral("big"));
    QCOMPARE(adapter.roomSize(QStringLiteral("big")), 50);
    QSet<SocketId> expected;
    for (int i = 1; i < 100; i += 2)
        expected.insert(QStringLiteral("s%1").arg(i));
    QCOMPARE(adapter.sockets({QStringLiteral("big")}), expected);
    for (int i = 1; i < 100; i += 2)
        adapter.leaveAll(QStringLiteral("s%1").arg(i));
    QVERIFY(!adapter.allRooms().contains(QStringLiteral("big")));
}

QTEST_APPLESS_MAIN(tst_Adapter)
#include "tst_adapter.moc"
