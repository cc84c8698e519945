// EpollEventDispatcher (core/eventloop), the event loop roomcast-server runs on: Qt's timers,
// posted events, wake-ups from other threads and socket notifiers, on loopback sockets, with
// the dispatcher installed before the application as the server installs it.
#include "eventloop/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace Roomcast;

namespace {

constexpr int Timeout = 10000;

//! Counts the timer events of the timers it starts itself.
class TimerCounter : public QObject
{
public:
    explicit TimerCounter(int &events) : events(events) {}
    int &events;

protected:
    void timerEvent(QTimerEvent *) override { ++events; }
};

} // namespace

class tst_EventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void installed();
    void singleShotTimers();
    void repeatingTimer();
    void timersOfADeletedObject();
    void timerIsNotReenteredByANestedLoop();
    void postedEventsAndOtherThreads();
    void socketNotifiers();
    void notifierDeletedWithinAPass();
    void descriptorReusedWithinAPass();
    void manySockets();
};

void tst_EventDispatcher::installed()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher()));
}

void tst_EventDispatcher::singleShotTimers()
{
    // In the order of their deadlines, never early, each once.
    QList<int> order;
    QElapsedTimer elapsed;
    elapsed.start();
    qint64 firedAt[3] = {};
    QTimer::singleShot(60, this, [&] { order.append(60); firedAt[2] = elapsed.elapsed(); });
    QTimer::singleShot(0, this, [&] { order.append(0); firedAt[0] = elapsed.elapsed(); });
    QTimer::singleShot(20, Qt::PreciseTimer, this, [&] { order.append(20); firedAt[1] = elapsed.elapsed(); });
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, Timeout);
    QCOMPARE(order, (QList<int>{0, 20, 60}));
    QVERIFY2(firedAt[1] >= 20, QByteArray::number(firedAt[1]));
    QVERIFY2(firedAt[2] >= 60, QByteArray::number(firedAt[2]));

    QTimer timer;
    timer.setSingleShot(true);
    QSignalSpy spy(&timer, &QTimer::timeout);
    timer.start(5000);
    const int remaining = timer.remainingTime();
    QVERIFY2(remaining > 4000 && remaining <= 5000, QByteArray::number(remaining));
    timer.start(10); // restarted: the first deadline is gone
    QVERIFY(spy.wait(Timeout));
    QTest::qWait(50); // a window in which a second firing would show
    QCOMPARE(spy.size(), 1);
    QCOMPARE(timer.remainingTime(), -1);
}

void tst_EventDispatcher::repeatingTimer()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    int count = 0;
    QElapsedTimer elapsed;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++count == 5)
            timer.stop();
    });
    elapsed.start();
    timer.start(10);
    QTRY_VERIFY_WITH_TIMEOUT(!timer.isActive(), Timeout);
    QCOMPARE(count, 5);
    QVERIFY2(elapsed.elapsed() >= 50, QByteArray::number(elapsed.elapsed()));

    // A zero timer fires on every pass, and does not starve the others.
    QTimer zero;
    int spins = 0;
    connect(&zero, &QTimer::timeout, this, [&] { ++spins; });
    zero.start(0);
    bool later = false;
    QTimer::singleShot(30, this, [&] { later = true; });
    QTRY_VERIFY_WITH_TIMEOUT(later, Timeout);
    QVERIFY(spins > 1);
}

void tst_EventDispatcher::timersOfADeletedObject()
{
    int events = 0;
    auto *counter = new TimerCounter(events);
    counter->startTimer(1);
    counter->startTimer(5);
    QTRY_VERIFY_WITH_TIMEOUT(events > 0, Timeout);
    QCOMPARE(QCoreApplication::eventDispatcher()->registeredTimers(counter).size(), 2);
    delete counter; // unregisters both
    const int atDeletion = events;
    QTest::qWait(20); // passes in which both would be due: nothing is sent to the deleted object
    QCOMPARE(events, atDeletion);

    int unused = 0;
    TimerCounter kept(unused);
    const int id = kept.startTimer(1000);
    QVERIFY(QCoreApplication::eventDispatcher()->remainingTime(id) > 900);
    QVERIFY(QCoreApplication::eventDispatcher()->unregisterTimers(&kept));
    QVERIFY(QCoreApplication::eventDispatcher()->registeredTimers(&kept).isEmpty());
    QCOMPARE(QCoreApplication::eventDispatcher()->remainingTime(id), -1);
}

void tst_EventDispatcher::timerIsNotReenteredByANestedLoop()
{
    // A timer whose handler runs a nested loop (a modal wait) is not fired again inside it,
    // while the other timers are.
    QTimer outer;
    int entered = 0;
    int inner = 0;
    connect(&outer, &QTimer::timeout, this, [&] {
        if (++entered > 1)
            return;
        QTimer other;
        connect(&other, &QTimer::timeout, this, [&] { ++inner; });
        other.start(1);
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
        outer.stop();
    });
    outer.start(1);
    QTRY_VERIFY_WITH_TIMEOUT(!outer.isActive(), Timeout);
    QCOMPARE(entered, 1);
    QVERIFY(inner > 1);
}

void tst_EventDispatcher::postedEventsAndOtherThreads()
{
    // An event posted from another thread wakes a loop that has nothing else to do: without
    // the wake-up, processEvents() would wait for the deadline timer.
    bool delivered = false;
    std::unique_ptr<QThread> thread(QThread::create([this, &delivered] {
        // Most likely the main thread is waiting in epoll_wait by then; if not, the wake-up
        // is pending and its wait returns at once: the assertions hold either way.
        QThread::msleep(20);
        QMetaObject::invokeMethod(this, [&delivered] { delivered = true; }, Qt::QueuedConnection);
    }));
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(Timeout);
    QElapsedTimer elapsed;
    elapsed.start();
    thread->start();
    while (!delivered && deadline.isActive())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    thread->wait();
    QVERIFY(delivered);
    QVERIFY2(elapsed.elapsed() < Timeout / 2, QByteArray::number(elapsed.elapsed()));

    // interrupt(): QEventLoop::exit() from a timer ends a waiting exec().
    QEventLoop nested;
    QTimer::singleShot(10, &nested, [&nested] { nested.exit(7); });
    QCOMPARE(nested.exec(), 7);
}

void tst_EventDispatcher::socketNotifiers()
{
    int pair[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair), 0);
    QSocketNotifier readable(pair[0], QSocketNotifier::Read);
    QSocketNotifier writable(pair[0], QSocketNotifier::Write); // same descriptor, both types
    QSignalSpy reads(&readable, &QSocketNotifier::activated);
    QSignalSpy writes(&writable, &QSocketNotifier::activated);
    QVERIFY(writes.wait(Timeout)); // an empty socket is writable at once
    writable.setEnabled(false);
    QCOMPARE(reads.size(), 0);
    QCOMPARE(::write(pair[1], "x", 1), 1);
    QVERIFY(reads.wait(Timeout));
    char byte;
    QCOMPARE(::read(pair[0], &byte, 1), 1);
    // Disabled, it hears nothing; enabled again, it does.
    readable.setEnabled(false);
    const qsizetype before = reads.size();
    QCOMPARE(::write(pair[1], "y", 1), 1);
    QTest::qWait(30);
    QCOMPARE(reads.size(), before);
    readable.setEnabled(true);
    QTRY_VERIFY_WITH_TIMEOUT(reads.size() > before, Timeout);
    QCOMPARE(::read(pair[0], &byte, 1), 1);
    // The peer's hang-up wakes the reader.
    ::close(pair[1]);
    const qsizetype open = reads.size();
    QTRY_VERIFY_WITH_TIMEOUT(reads.size() > open, Timeout);
    readable.setEnabled(false);
    ::close(pair[0]);
}

void tst_EventDispatcher::notifierDeletedWithinAPass()
{
    // Two descriptors ready in the same pass; the first one's handler deletes the second
    // notifier: it is not activated.
    int a[2];
    int b[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, a), 0);
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, b), 0);
    auto *first = new QSocketNotifier(a[0], QSocketNotifier::Read, this);
    auto *second = new QSocketNotifier(b[0], QSocketNotifier::Read, this);
    QPointer<QSocketNotifier> firstGuard(first), secondGuard(second);
    int activations = 0;
    const auto onActivated = [&](QSocketNotifier *self, QPointer<QSocketNotifier> &other) {
        ++activations;
        delete other.data();
        self->setEnabled(false);
    };
    connect(first, &QSocketNotifier::activated, this, [&] { onActivated(first, secondGuard); });
    connect(second, &QSocketNotifier::activated, this, [&] { onActivated(second, firstGuard); });
    QCOMPARE(::write(a[1], "x", 1), 1);
    QCOMPARE(::write(b[1], "x", 1), 1);
    QTRY_COMPARE_WITH_TIMEOUT(activations, 1, Timeout);
    QTest::qWait(30);
    QCOMPARE(activations, 1);
    delete firstGuard.data();
    delete secondGuard.data();
    for (int fd : {a[0], a[1], b[0], b[1]})
        ::close(fd);
}

void tst_EventDispatcher::descriptorReusedWithinAPass()
{
    // A socket closed and another opened under the same descriptor number before the loop
    // runs again: the new one is watched, not taken for the old one.
    int first[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, first), 0);
    const int number = first[0];
    {
        QSocketNotifier old(number, QSocketNotifier::Read);
        QTest::qWait(1); // registered with the kernel
    }
    ::close(first[0]);
    ::close(first[1]);
    int second[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, second), 0);
    int reader = second[0];
    int writer = second[1];
    if (second[1] == number)
        std::swap(reader, writer);
    QCOMPARE(reader, number); // the lowest free numbers come back
    QSocketNotifier notifier(reader, QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    QCOMPARE(::write(writer, "x", 1), 1);
    QVERIFY(spy.wait(Timeout));
    notifier.setEnabled(false);
    ::close(second[0]);
    ::close(second[1]);
}

void tst_EventDispatcher::manySockets()
{
    // QTcpServer and QTcpSocket over it, as the engine uses them: a few hundred idle
    // connections, and every one of them answered in turn.
    constexpr int Clients = 300;
    QTcpServer server;
    server.setListenBacklogSize(2 * Clients); // all connect at once: none waits for a SYN retry
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    std::vector<std::unique_ptr<QTcpSocket>> accepted;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->write(socket->readAll()); });
            accepted.emplace_back(socket);
        }
    });
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < Clients; ++i) {
        clients.push_back(std::make_unique<QTcpSocket>());
        clients.back()->connectToHost(QHostAddress::LocalHost, server.serverPort());
    }
    QTRY_COMPARE_WITH_TIMEOUT(qsizetype(accepted.size()), qsizetype(Clients), Timeout);
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < Clients; ++i)
            clients[size_t(i)]->write(QByteArray::number(round * Clients + i) + '\n');
        const auto echoed = [&] {
            int lines = 0;
            for (const auto &client : clients)
                lines += client->canReadLine();
            return lines;
        };
        QTRY_COMPARE_WITH_TIMEOUT(echoed(), Clients, Timeout);
        for (int i = 0; i < Clients; ++i)
            QCOMPARE(clients[size_t(i)]->readLine().trimmed(), QByteArray::number(round * Clients + i));
    }
    // Closed by the clients: the server sees every one go.
    int gone = 0;
    for (const auto &socket : accepted)
        connect(socket.get(), &QTcpSocket::disconnected, this, [&gone] { ++gone; });
    clients.clear();
    QTRY_COMPARE_WITH_TIMEOUT(gone, Clients, Timeout);
}

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventdispatcher.moc"
