#include "eventloop/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEventLoop, "roomcast.eventloop", QtWarningMsg)

namespace Roomcast {

namespace {

constexpr int MaxEventsPerPass = 1024;

qint64 nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

quint32 EpollEventDispatcher::Descriptor::wanted() const
{
    quint32 events = 0;
    if (read)
        events |= EPOLLIN;
    if (write)
        events |= EPOLLOUT;
    if (exception)
        events |= EPOLLPRI;
    return events;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_events(MaxEventsPerPass)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create the epoll set: %s", std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    // Events posted meanwhile have woken us up already (wakeUp()): epoll returns at once.
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    int timeoutMs = 0;
    if (canWait)
        timeoutMs = includeTimers ? timeToNextTimerMs() : -1;
    if (includeNotifiers)
        applyChanges();
    const int count = epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs);
    if (count < 0 && errno != EINTR)
        qCWarning(lcEventLoop) << "epoll_wait failed:" << std::strerror(errno);
    int handled = 0;
    if (count > 0)
        handled += activateSocketNotifiers(includeNotifiers ? count : 0);
    if (includeTimers)
        handled += activateTimers();
    if (m_woken) { // what another thread posted while we waited, now rather than next pass
        m_woken = false;
        QCoreApplication::sendPostedEvents();
        ++handled;
    }
    return handled > 0;
}

// ----- socket notifiers

EpollEventDispatcher::Descriptor *EpollEventDispatcher::descriptor(int fd)
{
    return fd >= 0 && size_t(fd) < m_descriptors.size() ? &m_descriptors[size_t(fd)] : nullptr;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    if (size_t(fd) >= m_descriptors.size())
        m_descriptors.resize(size_t(fd) + 1);
    Descriptor &descriptor = m_descriptors[size_t(fd)];
    QSocketNotifier **slot = nullptr;
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        slot = &descriptor.read;
        break;
    case QSocketNotifier::Write:
        slot = &descriptor.write;
        break;
    case QSocketNotifier::Exception:
        slot = &descriptor.exception;
        break;
    }
    if (*slot && *slot != notifier)
        qCWarning(lcEventLoop) << "several socket notifiers of the same type on descriptor" << fd;
    *slot = notifier;
    markDirty(fd, descriptor);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (Descriptor *it = descriptor(fd)) {
        for (QSocketNotifier **slot : {&it->read, &it->write, &it->exception})
            if (*slot == notifier)
                *slot = nullptr;
        if (!it->wanted() && it->registered) {
            epoll_event event{};
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &event); // EBADF if closed already: gone too
            it->registered = 0;
        } else {
            markDirty(fd, *it);
        }
    }
    // Not activated later in this pass: it may be deleted before then.
    for (std::vector<QSocketNotifier *> *pass : m_pending)
        for (QSocketNotifier *&pending : *pass)
            if (pending == notifier)
                pending = nullptr;
}

void EpollEventDispatcher::markDirty(int fd, Descriptor &descriptor)
{
    if (!descriptor.dirty) {
        descriptor.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::applyChanges()
{
    for (const int fd : m_dirty) {
        Descriptor *it = descriptor(fd);
        if (!it)
            continue;
        it->dirty = false;
        const quint32 wanted = it->wanted();
        if (wanted == it->registered)
            continue;
        epoll_event event{};
        event.events = wanted;
        event.data.fd = fd;
        int result = 0;
        if (!wanted) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &event);
            it->registered = 0;
            continue;
        }
        if (it->registered) {
            result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
            if (result != 0 && errno == ENOENT) // closed and reopened under the same number
                result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        } else {
            result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
            if (result != 0 && errno == EEXIST)
                result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
        }
        if (result != 0) {
            qCWarning(lcEventLoop) << "cannot watch descriptor" << fd << ":" << std::strerror(errno);
            it->registered = 0;
            continue;
        }
        it->registered = wanted;
    }
    m_dirty.clear();
}

int EpollEventDispatcher::activateSocketNotifiers(int count)
{
    std::vector<QSocketNotifier *> pending;
    pending.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const epoll_event &event = m_events[size_t(i)];
        const int fd = event.data.fd;
        if (fd == m_wakeFd) {
            eventfd_t value;
            eventfd_read(m_wakeFd, &value);
            m_wakeUps.storeRelease(0);
            m_woken = true;
            continue;
        }
        const Descriptor *it = descriptor(fd);
        if (!it)
            continue;
        // As Qt's dispatchers: an error or a hang-up wakes the reader and the writer.
        const bool failed = event.events & (EPOLLERR | EPOLLHUP);
        if (it->read && (event.events & EPOLLIN || failed))
            pending.push_back(it->read);
        if (it->write && (event.events & EPOLLOUT || failed))
            pending.push_back(it->write);
        if (it->exception && (event.events & EPOLLPRI))
            pending.push_back(it->exception);
    }
    m_pending.push_back(&pending);
    int activated = 0;
    for (size_t i = 0; i < pending.size(); ++i) {
        QSocketNotifier *notifier = pending[i];
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    m_pending.pop_back();
    return activated;
}

// ----- timers

void EpollEventDispatcher::schedule(Timer &timer, qint64 fromNs)
{
    timer.deadlineNs = fromNs + timer.intervalMs * 1000000;
    m_deadlines.emplace(timer.deadlineNs, timer.id);
}

void EpollEventDispatcher::unschedule(const Timer &timer)
{
    auto [first, last] = m_deadlines.equal_range(timer.deadlineNs);
    for (auto it = first; it != last; ++it)
        if (it->second == timer.id) {
            m_deadlines.erase(it);
            return;
        }
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    auto timer = std::make_shared<Timer>();
    timer->id = timerId;
    timer->intervalMs = qMax<qint64>(0, interval);
    timer->type = timerType;
    timer->object = object;
    // Every type is kept to the millisecond: a coarse timer may be late, it is never required to.
    schedule(*timer, nowNs());
    m_timers.insert(timerId, std::move(timer));
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    unschedule(**it);
    (*it)->object = nullptr; // an activation under way learns that it is gone
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if ((*it)->object == object) {
            unschedule(**it);
            (*it)->object = nullptr;
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const std::shared_ptr<Timer> &timer : m_timers)
        if (timer->object == object)
            list.append(TimerInfo(timer->id, int(timer->intervalMs), timer->type));
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(qMax<qint64>(0, ((*it)->deadlineNs - nowNs() + 999999) / 1000000));
}

int EpollEventDispatcher::timeToNextTimerMs() const
{
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend(); ++it) {
        const auto timer = m_timers.constFind(it->second);
        if (timer == m_timers.cend() || (*timer)->active)
            continue; // in its own timer event: not before that returns
        const qint64 left = it->first - nowNs();
        return left <= 0 ? 0 : int((left + 999999) / 1000000); // never early
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    // The timers due now, each once: those it starts or restarts wait for the next pass.
    const qint64 now = nowNs();
    std::vector<int> due;
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend() && it->first <= now; ++it)
        due.push_back(it->second);
    int activated = 0;
    for (const int id : due) {
        const auto it = m_timers.constFind(id);
        if (it == m_timers.cend())
            continue;
        const std::shared_ptr<Timer> timer = *it;
        if (timer->active || timer->deadlineNs > now)
            continue;
        unschedule(*timer);
        // The next deadline from this one, so that a repeating timer keeps its rhythm; from
        // now if it fell behind by a whole interval.
        const qint64 next = timer->deadlineNs + timer->intervalMs * 1000000;
        schedule(*timer, next <= now ? now : timer->deadlineNs);
        timer->active = true;
        QTimerEvent event(timer->id);
        QCoreApplication::sendEvent(timer->object, &event);
        timer->active = false;
        ++activated;
    }
    return activated;
}

// ----- wake-ups

void EpollEventDispatcher::wakeUp()
{
    if (m_wakeUps.testAndSetAcquire(0, 1))
        eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

} // namespace Roomcast
