#include "socketio/backoff.h"

#include <QTest>

using Roomcast::SocketIO::Backoff;

class tst_Backoff : public QObject
{
    Q_OBJECT

private slots:
    void followsSocketIoClient_data();
    void followsSocketIoClient();
    void neverOverflowsAfterDaysOffline();
    void jitterOutOfRangeIsClamped();
    void resetStartsOver();
};

void tst_Backoff::followsSocketIoClient_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<QList<int>>("delays");
    // backo2 with min 1000, max 5000, jitter 0.5: floor(random*10) even → minus the deviation
    QTest::newRow("no deviation") << 0.0 << QList<int>{1000, 2000, 4000, 5000, 5000};
    QTest::newRow("random 0.25: minus") << 0.25 << QList<int>{875, 1750, 3500, 5000, 5000};
    QTest::newRow("random 0.35: plus") << 0.35 << QList<int>{1175, 2350, 4700, 5000, 5000};
    QTest::newRow("random 0.05: minus") << 0.05 << QList<int>{975, 1950, 3900, 5000, 5000};
    QTest::newRow("random 0.999: plus") << 0.999 << QList<int>{1499, 2999, 5000, 5000, 5000};
}

void tst_Backoff::followsSocketIoClient()
{
    QFETCH(double, random);
    QFETCH(QList<int>, delays);
    Backoff backoff(1000, 5000, 0.5);
    QList<int> actual;
    for (int i = 0; i < delays.size(); ++i)
        actual.append(backoff.nextDelay(random));
    QCOMPARE(actual, delays);
    QCOMPARE(backoff.attempts(), delays.size());
}

void tst_Backoff::neverOverflowsAfterDaysOffline()
{
    Backoff backoff(1000, 5000, 0.5);
    for (int attempt = 0; attempt < 5000; ++attempt) {
        for (double random : {0.0, 0.5, 0.999}) {
            Backoff probe = backoff;
            const int delay = probe.nextDelay(random);
            QVERIFY2(delay >= 0 && delay <= 5000, qPrintable(QStringLiteral("attempt %1: %2").arg(attempt).arg(delay)));
        }
        backoff.nextDelay(0.3);
    }
    QCOMPARE(backoff.nextDelay(0.0), 5000);
}

void tst_Backoff::jitterOutOfRangeIsClamped()
{
    Backoff tooMuch(1000, 5000, 3.0); // as if 1.0
    QCOMPARE(tooMuch.nextDelay(0.0), 1000);
    QVERIFY(tooMuch.nextDelay(0.999) >= 0);
    Backoff negative(1000, 5000, -1.0); // as if 0
    QCOMPARE(negative.nextDelay(0.7), 1000);
}

void tst_Backoff::resetStartsOver()
{
    Backoff backoff(100, 10000, 0);
    backoff.nextDelay();
    backoff.nextDelay();
    QCOMPARE(backoff.nextDelay(), 400);
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.nextDelay(), 100);
}

QTEST_APPLESS_MAIN(tst_Backoff)
#include "tst_backoff.moc"
