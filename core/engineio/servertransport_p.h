// The transport seam under a server session (ServerSocket): one way of carrying Engine.IO
// packets to and from one client (HTTP long-polling, WebSocket). Private to core/engineio.
#pragma once

#include "engineio/client.h" // TransportType
#include "engineio/packet.h"

#include <QList>
#include <QObject>
#include <QString>

namespace Roomcast::EngineIO {

class ServerTransport : public QObject
{
    Q_OBJECT

public:
    //! What a transport tells its session: a plain interface rather than four signal
    //! connections on each of a server's thousands of transports.
    class Listener
    {
    public:
        virtual void transportPacket(ServerTransport *transport, const Packet &packet) = 0;
        //! Became writable (a long-polling GET arrived).
        virtual void transportReady(ServerTransport *transport) = 0;
        //! The transport failed; `reason` is the session's close reason ("transport error",
        //! "parse error"), `description` says why for the log.
        virtual void transportFailed(ServerTransport *transport, const QString &reason, const QString &description) = 0;
        //! The transport is closed, by close() or by the client ("transport close").
        virtual void transportClosed(ServerTransport *transport) = 0;

    protected:
        ~Listener() = default;
    };

    using QObject::QObject;

    //! The session told of what happens on this transport; none (nullptr) once it lets go.
    void setListener(Listener *listener) { m_listener = listener; }

    virtual TransportType type() const = 0;

    //! Whether send() may be called: a long-polling GET is waiting, or the WebSocket is open.
    bool isWritable() const { return m_writable; }
    //! Writes packets, all together; only when isWritable().
    virtual void send(const QList<Packet> &packets) = 0;
    //! Bytes handed to send() that the connection has not written yet.
    virtual qint64 pendingBytes() const { return 0; }

    //! Marks the transport as replaced by an upgrade: closing it does not wait for a client
    //! request.
    void discard() { m_discarded = true; }
    //! Closes the transport: a polling transport sends a close packet to the pending GET (or
    //! the next one), a WebSocket closes. Listener::transportClosed() follows, once.
    void close();
    //! Ends the transport at once, dropping what it has not written (its connection reset).
    //! Listener::transportClosed() follows, once.
    void abort();
    bool isClosed() const { return m_state != State::Open; }

protected:
    virtual void doClose() = 0;
    virtual void doAbort() = 0;
    void setWritable(bool writable) { m_writable = writable; }
    bool isDiscarded() const { return m_discarded; }
    void reportPacket(const Packet &packet)
    {
        if (m_listener)
            m_listener->transportPacket(this, packet);
    }
    void reportReady()
    {
        if (m_listener)
            m_listener->transportReady(this);
    }
    void reportFailure(const QString &reason, const QString &description)
    {
        if (m_listener)
            m_listener->transportFailed(this, reason, description);
    }
    //! Records the end of the transport and reports it (once).
    void finishClose();

private:
    enum class State { Open, Closing, Closed };
    State m_state = State::Open;
    bool m_writable = false;
    bool m_discarded = false;
    Listener *m_listener = nullptr;
};

} // namespace Roomcast::EngineIO
