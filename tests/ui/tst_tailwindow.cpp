// TailWindowModel over a real MessageModel: whatever the conversation does — live messages,
// pages of history above, our own messages moving when acknowledged, duplicates removed — the
// window shows exactly the source's rows from its first row to the end, and passes
// QAbstractItemModelTester after every change.
#include "ui/models/messagemodel.h"
#include "ui/models/tailwindowmodel.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Roomcast;
using Ui::MessageModel;
using Ui::TailWindowModel;

namespace {

Chat::ChatMessage message(qint64 id, const QDateTime &at)
{
    Chat::ChatMessage m;
    m.id = id;
    m.room = QStringLiteral("r");
    m.senderName = QStringLiteral("Bob");
    m.fromSocket = QStringLiteral("bob");
    m.text = QStringLiteral("message %1").arg(id);
    m.timestamp = at;
    return m;
}

//! The window is the tail of the source, row for row.
bool isTail(const TailWindowModel &window, const MessageModel &source, QString *why)
{
    const int first = window.firstSourceRow();
    if (window.rowCount() != source.rowCount() - first) {
        *why = QStringLiteral("%1 rows shown, source %2 from %3").arg(window.rowCount()).arg(source.rowCount()).arg(first);
        return false;
    }
    for (int row = 0; row < window.rowCount(); ++row) {
        const QString shown = window.index(row, 0).data(MessageModel::TextRole).toString();
        const QString expected = source.index(first + row, 0).data(MessageModel::TextRole).toString();
        if (shown != expected) {
            *why = QStringLiteral("row %1: %2 instead of %3").arg(row).arg(shown, expected);
            return false;
        }
    }
    return true;
}

} // namespace

class tst_TailWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsTheNewestRows();
    void historyAboveIsHiddenUntilShown();
    void randomConversation_data();
    void randomConversation();
};

void tst_TailWindow::showsTheNewestRows()
{
    MessageModel source;
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    QList<Chat::ChatMessage> page;
    for (int id = 1; id <= 2500; ++id)
        page.append(message(id, start.addSecs(id)));
    source.prependHistory(page, false);

    TailWindowModel window;
    QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::Fatal);
    window.setSourceModel(&source);
    QCOMPARE(window.rowCount(), TailWindowModel::DefaultSize);
    QCOMPARE(window.index(0, 0).data(MessageModel::MessageIdRole).toLongLong(), 1501);
    QVERIFY(window.hasHiddenRows());

    // a live message shows at the end
    QSignalSpy inserted(&window, &QAbstractItemModel::rowsInserted);
    source.append(message(2501, start.addSecs(2501)));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(window.rowCount(), TailWindowModel::DefaultSize + 1);
    QCOMPARE(window.index(window.rowCount() - 1, 0).data(MessageModel::MessageIdRole).toLongLong(), 2501);

    // scrolling up shows more, up to the first row
    QCOMPARE(window.showMore(1000), 1000);
    QCOMPARE(window.showMore(1000), 500);
    QCOMPARE(window.showMore(1000), 0);
    QVERIFY(!window.hasHiddenRows());
    QCOMPARE(window.rowCount(), 2501);

    // and back down, the window narrows again
    window.shrink();
    QCOMPARE(window.rowCount(), TailWindowModel::DefaultSize);
    QString why;
    QVERIFY2(isTail(window, source, &why), qPrintable(why));
    // mapping both ways
    const QModelIndex last = window.index(window.rowCount() - 1, 0);
    QCOMPARE(window.mapToSource(last).row(), source.rowCount() - 1);
    QCOMPARE(window.mapFromSource(source.index(0, 0)), QModelIndex());
    QCOMPARE(window.mapFromSource(window.mapToSource(last)), last);
}

void tst_TailWindow::historyAboveIsHiddenUntilShown()
{
    MessageModel source;
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    QList<Chat::ChatMessage> newest;
    for (int id = 1001; id <= 2200; ++id)
        newest.append(message(id, start.addSecs(id)));
    source.prependHistory(newest, true);
    TailWindowModel window;
    QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::Fatal);
    window.setSourceModel(&source);
    QCOMPARE(window.firstSourceRow(), 200);

    // a page of older history goes above the hidden rows: nothing changes in view
    QSignalSpy inserted(&window, &QAbstractItemModel::rowsInserted);
    QList<Chat::ChatMessage> older;
    for (int id = 951; id <= 1000; ++id)
        older.append(message(id, start.addSecs(id)));
    source.prependHistory(older, true);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(window.firstSourceRow(), 250);
    QCOMPARE(window.index(0, 0).data(MessageModel::MessageIdRole).toLongLong(), 1201);

    // with the whole conversation shown, a page arrives in view, at the top
    window.showMore(10000);
    QCOMPARE(window.firstSourceRow(), 0);
    QList<Chat::ChatMessage> oldest;
    for (int id = 901; id <= 950; ++id)
        oldest.append(message(id, start.addSecs(id)));
    source.prependHistory(oldest, false);
    QCOMPARE(inserted.size(), 2); // showMore, then the page
    QCOMPARE(inserted.last().at(1).toInt(), 0);
    QCOMPARE(window.index(0, 0).data(MessageModel::MessageIdRole).toLongLong(), 901);
}

void tst_TailWindow::randomConversation_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 42u, 2026u})
        QTest::addRow("seed %u", seed) << seed;
}

void tst_TailWindow::randomConversation()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    MessageModel source;
    TailWindowModel window;
    QAbstractItemModelTester sourceTester(&source, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::Fatal);
    window.setSourceModel(&source);

    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-3);
    qint64 newestId = 5000; // live ids grow from here; history pages go below
    qint64 oldestId = 5000;
    QList<qint64> pending;   // our messages not yet acknowledged
    QString why;
    for (int step = 0; step < 600; ++step) {
        switch (random.bounded(8)) {
        case 0:
        case 1: // someone else's message
            ++newestId;
            source.append(message(newestId, start.addSecs(newestId)));
            break;
        case 2: { // a page of history above
            const int size = 1 + random.bounded(400);
            QList<Chat::ChatMessage> page;
            for (int n = 0; n < size && oldestId > 1; ++n) {
                --oldestId;
                page.append(message(oldestId, start.addSecs(oldestId)));
            }
            source.prependHistory(page, oldestId > 1);
            break;
        }
        case 3: // ours, pending
            pending.append(source.addPending(QStringLiteral("mine %1").arg(step), QStringLiteral("Me"), QStringLiteral("me")));
            break;
        case 4: // acknowledged: the server's id puts it among the others (a move)
            if (!pending.isEmpty()) {
                const qint64 localId = pending.takeAt(random.bounded(int(pending.size())));
                ++newestId;
                const qint64 id = newestId - qint64(random.bounded(3)); // sometimes before the newest
                source.markSent(localId, id, start.addSecs(newestId));
            }
            break;
        case 5: // refused
            if (!pending.isEmpty())
                source.markFailed(pending.takeFirst(), QStringLiteral("timed out"));
            break;
        case 6:
            window.showMore(1 + random.bounded(700));
            break;
        case 7:
            window.shrink(1 + random.bounded(1500));
            break;
        }
        QVERIFY2(isTail(window, source, &why), qPrintable(QStringLiteral("step %1: %2").arg(step).arg(why)));
    }
}

QTEST_MAIN(tst_TailWindow)
#include "tst_tailwindow.moc"
