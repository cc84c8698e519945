// Acknowledgements and event handlers, shared by the client and the server side.
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>

namespace Roomcast::SocketIO {

//! The outcome of an emit that asked for an acknowledgement.
struct AckResult
{
    enum class Status {
        Acknowledged, //!< the peer answered; `args` holds its answer
        TimedOut,     //!< no answer within the timeout
        Disconnected, //!< the socket disconnected before an answer (emits with a timeout only)
        Dropped,      //!< never sent: the offline buffer was full
    };
    Status status = Status::Acknowledged;
    QVariantList args;

    bool isAcknowledged() const { return status == Status::Acknowledged; }
};

using AckCallback = std::function<void(const AckResult &result)>;

//! Handed to an event handler: answers the peer's acknowledgement request, at most once.
class Acknowledger
{
public:
    Acknowledger() = default;
    //! An acknowledger that calls `send` with the answer.
    explicit Acknowledger(std::function<void(const QVariantList &args)> send);

    //! Whether the peer asked for an acknowledgement that was not answered yet.
    bool isRequested() const { return m_state && !m_state->done; }
    //! Sends the acknowledgement with `args` (binary allowed). Later calls do nothing.
    void operator()(const QVariantList &args = {}) const;

private:
    struct State
    {
        std::function<void(const QVariantList &)> send;
        bool done = false;
    };
    std::shared_ptr<State> m_state;
};

using EventHandler = std::function<void(const QVariantList &args, const Acknowledger &ack)>;
using AnyEventHandler = std::function<void(const QString &event, const QVariantList &args, const Acknowledger &ack)>;

//! The handlers of one socket: named ones and catch-all ones, each bound to a context object.
class EventHandlers
{
public:
    void on(const QString &event, QObject *context, EventHandler handler);
    void onAny(QObject *context, AnyEventHandler handler);
    void off(QObject *context);
    //! Runs the catch-all handlers, then the named ones (socket.io's order), skipping those whose
    //! context is gone. Contexts are never null.
    //! Returns false if `guard` was destroyed by a handler (the caller must stop).
    bool dispatch(const QString &event, const QVariantList &args, const Acknowledger &ack, const QPointer<QObject> &guard);

private:
    struct Handler
    {
        QString event; //!< empty for catch-all handlers
        QPointer<QObject> context;
        EventHandler handler;
        AnyEventHandler anyHandler;
    };
    QList<Handler> m_handlers;
};

//! Acknowledgements awaited by one socket, with their timeouts on a single timer armed for the
//! nearest deadline.
class PendingAcks
{
public:
    //! `owner` is the object the timer and the callbacks live with.
    explicit PendingAcks(QObject *owner);
    ~PendingAcks();

    //! Awaits the answer to `id`; `callback` runs once unless `context` (never null) dies
    //! first. A negative timeout waits until the answer or the disconnection.
    void add(qint64 id, QObject *context, AckCallback callback, std::chrono::milliseconds timeout);
    bool contains(qint64 id) const { return m_acks.contains(id); }
    //! Finishes `id` with `status`; unknown ids are ignored.
    void finish(qint64 id, AckResult::Status status, const QVariantList &args = {});
    //! On disconnection: forgets every ack but those in `keep` (emits still in an offline
    //! buffer); of the forgotten ones, those with a timeout are finished with `status`.
    void clearExcept(const QSet<qint64> &keep, AckResult::Status status);
    //! Called with the id of each ack as it times out, before its callback.
    void setTimeoutHook(std::function<void(qint64 id)> hook) { m_timeoutHook = std::move(hook); }

private:
    struct Pending
    {
        QPointer<QObject> context;
        AckCallback callback;
        QDeadlineTimer deadline;
        bool hasTimeout = false;
    };
    void schedule();
    void onTimer();

    QPointer<QObject> m_owner;
    //! Made for the first ack with a timeout: most sockets never wait for one, and a QTimer is
    //! a QObject and a connection.
    std::unique_ptr<QTimer> m_timer;
    QHash<qint64, Pending> m_acks;
    std::function<void(qint64)> m_timeoutHook;
};

} // namespace Roomcast::SocketIO
