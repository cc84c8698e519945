// One TCP (or TLS) connection of the Engine.IO server's HTTP front: reads requests one at a
// time with caps and timeouts, lets its owner answer each, keeps the connection alive between
// requests, and can hand its socket over, request head unread, for a WebSocket upgrade.
// Private to core/engineio.
#pragma once

#include "engineio/serverhttp.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace Roomcast::EngineIO::Http {

struct ConnectionLimits
{
    HeadLimits head;
    qint64 maxBodySize = 1000000;
    int requestTimeoutMs = 10000;
    int keepAliveTimeoutMs = 5000;
};

class Connection : public QObject
{
    Q_OBJECT

public:
    //! Takes ownership of `socket` (connected, and encrypted if TLS).
    Connection(QTcpSocket *socket, const ConnectionLimits &limits, QObject *parent);
    ~Connection() override;

    //! Starts reading; call once the signals are connected.
    void start();

    QTcpSocket *socket() const { return m_socket; }
    bool isSecure() const;
    //! The request being handled (valid from requestReceived() until it is answered).
    const RequestHead &request() const { return m_head; }
    //! Whether a whole request head ever arrived on this connection.
    bool hasReceivedRequest() const { return m_requestCount > 0; }

    //! Reads the current request's body; bodyReceived() follows, always from the event loop.
    //! A body over the limit is answered 413 (bodyTooLarge() is emitted first) and the
    //! connection closed.
    void readBody();
    //! Answers the current request, then reads the next one, or closes the connection when
    //! `close` is set, the client asked for it, or the request's body was never read.
    void respond(int status, const Headers &headers, QByteArrayView body, bool close = false);
    //! Gives up the socket, with the current request head still unread in it (a WebSocket
    //! upgrade): the connection stops watching it and deletes itself later. The caller owns the
    //! socket from now on.
    QTcpSocket *takeSocket();

    //! A plain TCP connection's descriptor, given up after an upgrade request.
    struct Descriptor
    {
        int fd = -1;
        //! What arrived after the request head.
        QByteArray unread;
    };
    //! Gives up the connection itself after the current request (a WebSocket upgrade, not
    //! over TLS): its descriptor and the bytes received after the head. The QTcpSocket and its
    //! buffers go; the connection deletes itself later. POSIX only; fd is -1 if the connection
    //! is gone already.
    Descriptor takeDescriptor();
    //! Drops the connection at once.
    void abort();
    //! Closes the connection after writing what is queued (an answer just given).
    void shutdown();

Q_SIGNALS:
    //! A request head arrived; request() holds it. Answer with respond() (after readBody() if
    //! the body matters) or takeSocket().
    void requestReceived(Roomcast::EngineIO::Http::Connection *connection);
    void bodyReceived(Roomcast::EngineIO::Http::Connection *connection, const QByteArray &body);
    void bodyTooLarge(Roomcast::EngineIO::Http::Connection *connection);
    //! The connection is gone (the peer left, a timeout, or it was closed); the object is deleted
    //! later. Not emitted after takeSocket().
    void closed(Roomcast::EngineIO::Http::Connection *connection);

private:
    enum class State {
        Idle,        //!< between requests, nothing received yet
        ReadingHead, //!< part of a head received
        Dispatched,  //!< head delivered, body not asked for
        ReadingBody,
        Handling,    //!< body delivered, awaiting respond()
        Closing,     //!< the last response is being flushed (and the client's input discarded)
        Closed,
    };

    void readAvailable();
    void readHead();
    void readMoreBody();
    void finishBody();
    void fail(int status, const QString &why);
    //! Ends the connection once the answer is written; with `linger`, only after the client
    //! closed its side (or a while).
    void closeAfterWriting(bool linger);
    void onTimeout();
    void onDisconnected();

    QTcpSocket *m_socket;
    ConnectionLimits m_limits;
    QTimer m_timer;
    State m_state = State::ReadingHead;
    RequestHead m_head;
    //! The size of an upgrade request's head, left in the socket.
    qsizetype m_headSize = 0;
    bool m_headConsumed = false;
    bool m_lingering = false;
    BodyFraming m_framing;
    std::optional<ChunkedDecoder> m_chunked;
    QByteArray m_body;
    int m_requestCount = 0;
};

} // namespace Roomcast::EngineIO::Http
