#include "socketio/ack.h"

#include <algorithm>

namespace Roomcast::SocketIO {

Acknowledger::Acknowledger(std::function<void(const QVariantList &args)> send)
    : m_state(std::make_shared<State>(State{std::move(send), false}))
{
}

void Acknowledger::operator()(const QVariantList &args) const
{
    if (!m_state || m_state->done)
        return;
    m_state->done = true;
    if (m_state->send)
        m_state->send(args);
}

void EventHandlers::on(const QString &event, QObject *context, EventHandler handler)
{
    Q_ASSERT_X(context, "EventHandlers::on", "a handler needs a context object");
    m_handlers.append({event, context, std::move(handler), {}});
}

void EventHandlers::onAny(QObject *context, AnyEventHandler handler)
{
    Q_ASSERT_X(context, "EventHandlers::onAny", "a handler needs a context object");
    m_handlers.append({QString(), context, {}, std::move(handler)});
}

void EventHandlers::off(QObject *context)
{
    m_handlers.removeIf([context](const Handler &handler) { return handler.context == context; });
}

bool EventHandlers::dispatch(const QString &event, const QVariantList &args, const Acknowledger &ack,
                             const QPointer<QObject> &guard)
{
    m_handlers.removeIf([](const Handler &handler) { return handler.context.isNull(); });
    if (m_handlers.isEmpty())
        return true;
    const QList<Handler> snapshot = m_handlers; // handlers may add or remove handlers
    for (const Handler &handler : snapshot) {
        if (!guard)
            return false;
        if (handler.anyHandler && handler.context)
            handler.anyHandler(event, args, ack);
    }
    for (const Handler &handler : snapshot) {
        if (!guard)
            return false;
        if (handler.handler && handler.event == event && handler.context)
            handler.handler(args, ack);
    }
    return !guard.isNull();
}

PendingAcks::PendingAcks(QObject *owner)
    : m_owner(owner)
{
}

PendingAcks::~PendingAcks() = default;

void PendingAcks::add(qint64 id, QObject *context, AckCallback callback, std::chrono::milliseconds timeout)
{
    Q_ASSERT_X(context, "PendingAcks::add", "an ack callback needs a context object");
    Pending pending{context, std::move(callback), QDeadlineTimer(QDeadlineTimer::Forever), false};
    if (timeout.count() >= 0) {
        pending.deadline = QDeadlineTimer(timeout);
        pending.hasTimeout = true;
    }
    m_acks.insert(id, std::move(pending));
    if (timeout.count() >= 0)
        schedule();
}

void PendingAcks::finish(qint64 id, AckResult::Status status, const QVariantList &args)
{
    const auto it = m_acks.find(id);
    if (it == m_acks.end())
        return;
    Pending pending = std::move(*it);
    m_acks.erase(it);
    if (pending.context && pending.callback)
        pending.callback(AckResult{status, args});
}

void PendingAcks::clearExcept(const QSet<qint64> &keep, AckResult::Status status)
{
    QList<qint64> failed;
    for (auto it = m_acks.begin(); it != m_acks.end();) {
        if (keep.contains(it.key())) {
            ++it;
        } else if (it->hasTimeout) {
            failed.append(it.key());
            ++it;
        } else {
            it = m_acks.erase(it); // can never be answered, and has no timeout to report
        }
    }
    std::sort(failed.begin(), failed.end());
    const QPointer<QObject> guard = m_owner;
    for (qint64 id : std::as_const(failed)) {
        if (!guard)
            return;
        finish(id, status);
    }
    if (guard)
        schedule();
}

void PendingAcks::schedule()
{
    QDeadlineTimer next(QDeadlineTimer::Forever);
    for (const Pending &pending : std::as_const(m_acks))
        if (pending.hasTimeout && pending.deadline < next)
            next = pending.deadline;
    if (next.isForever()) {
        if (m_timer)
            m_timer->stop();
        return;
    }
    if (!m_timer) {
        m_timer = std::make_unique<QTimer>();
        m_timer->setSingleShot(true);
        QObject::connect(m_timer.get(), &QTimer::timeout, m_owner, [this] { onTimer(); });
    }
    m_timer->start(std::max<qint64>(0, next.remainingTime()));
}

void PendingAcks::onTimer()
{
    QList<qint64> expired;
    for (auto it = m_acks.cbegin(); it != m_acks.cend(); ++it)
        if (it->hasTimeout && it->deadline.hasExpired())
            expired.append(it.key());
    std::sort(expired.begin(), expired.end());
    const QPointer<QObject> guard = m_owner;
    for (qint64 id : std::as_const(expired)) {
        if (!guard)
            return;
        if (m_timeoutHook)
            m_timeoutHook(id);
        finish(id, AckResult::Status::TimedOut);
    }
    if (guard)
        schedule();
}

} // namespace Roomcast::SocketIO
