// An event dispatcher for Linux servers that hold many sockets. Qt's own (glib's, or the UNIX
// one) hands every socket notifier to poll() on every pass of the event loop, and checks each
// of them after it: O(sockets) per pass, so a server of 20,000 idle connections spends its
// time listing them. This one keeps them in an epoll set, where a pass costs what happened in
// it, and keeps its timers ordered by deadline.
//
// Install it before the QCoreApplication: QCoreApplication::setEventDispatcher(new
// EpollEventDispatcher). It serves the thread that created it (other threads keep Qt's).
#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>

#include <map>
#include <memory>
#include <vector>

class QSocketNotifier;
struct epoll_event;

namespace Roomcast {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    //! The notifiers of one descriptor, and what the epoll set was last told of it.
    struct Descriptor
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 registered = 0; //!< epoll events as the kernel has them (0: not in the set)
        bool dirty = false;
        quint32 wanted() const;
    };

    struct Timer
    {
        int id = 0;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0; //!< monotonic
        bool active = false;   //!< in its own timer event (a nested loop must not fire it again)
    };

    //! Applies the notifier changes since the last pass to the epoll set. A notifier enabled
    //! and disabled within one pass (QAbstractSocket does so around every write) costs no
    //! system call. A descriptor left with no notifier leaves the set at once instead, while
    //! it is still open: its number may be reused by the next socket.
    void applyChanges();
    void markDirty(int fd, Descriptor &descriptor);
    Descriptor *descriptor(int fd);
    //! Sends QEvent::SockAct to the notifiers of the descriptors epoll reported.
    int activateSocketNotifiers(int count);
    int activateTimers();
    //! Milliseconds until the next timer is due (0: one is), or -1 for none.
    int timeToNextTimerMs() const;
    void schedule(Timer &timer, qint64 fromNs);
    void unschedule(const Timer &timer);

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;
    QAtomicInt m_interrupted;
    bool m_woken = false; //!< the wake-up descriptor fired in this pass

    std::vector<Descriptor> m_descriptors; //!< by descriptor number
    std::vector<int> m_dirty;
    //! The notifiers of the descriptors reported in each pass under way (a handler may run a
    //! nested loop), in order; those unregistered in the meantime are set to null.
    std::vector<std::vector<QSocketNotifier *> *> m_pending;
    std::vector<epoll_event> m_events;

    QHash<int, std::shared_ptr<Timer>> m_timers;
    std::multimap<qint64, int> m_deadlines; //!< deadline (ns) → timer id
};

} // namespace Roomcast
