// The WebSocket transport on a plain TCP connection whose descriptor it owns: the server's HTTP
// front has read the upgrade request; the transport answers it (101), reads the client's frames
// with recv() through a buffer shared by every connection of the thread, and writes ours with
// send(), queueing only what the kernel does not take at once. An idle connection holds no
// buffer at all: no QTcpSocket, no QWebSocket, one socket notifier. POSIX only (the server
// keeps the QWebSocket path elsewhere, and for TLS). Private to core/engineio.
#pragma once

#include "engineio/serverwebsocket_p.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>


namespace Roomcast::EngineIO {

//! A connected, non-blocking TCP socket's descriptor, its notifiers (children of whoever holds
//! it) and what is still to be written to it. Moves from the transport to its closer.
class RawSocket
{
public:
    class Handler
    {
    public:
        virtual void onReadable() = 0;
        virtual void onWritable() = 0;

    protected:
        ~Handler() = default;
    };

    //! What read() returns besides a byte count.
    static constexpr qsizetype EndOfStream = 0;
    static constexpr qsizetype WouldBlock = -1;
    static constexpr qsizetype Failed = -2;

    RawSocket() = default;
    //! Takes ownership of `descriptor`.
    explicit RawSocket(int descriptor);
    RawSocket(RawSocket &&other) noexcept;
    RawSocket &operator=(RawSocket &&other) = delete;
    RawSocket(const RawSocket &) = delete;
    ~RawSocket();

    bool isOpen() const { return m_fd >= 0; }
    //! Watches the descriptor for `handler`, on `context`'s thread; the notifiers become
    //! `context`'s children (taken from the previous holder, if any).
    void attach(QObject *context, Handler *handler);

    //! Reads into `buffer`: the byte count, EndOfStream, WouldBlock or Failed.
    qsizetype read(char *buffer, qsizetype size);
    //! Sends what the kernel takes now and queues the rest (watched for writability). Returns
    //! false if the connection is broken.
    bool write(QByteArrayView bytes);
    //! Sends what is queued, as far as the kernel takes it; false if the connection is broken.
    bool flush();
    qint64 queuedBytes() const { return m_queue.size() - m_queueOffset; }

    //! Closes the descriptor; with `reset`, with a TCP reset that drops what the kernel still
    //! holds for the peer.
    void close(bool reset = false);

private:
    void watchWrites(bool on);

    int m_fd = -1;
    QObject *m_context = nullptr;
    Handler *m_handler = nullptr;
    class Notifier;
    Notifier *m_readNotifier = nullptr;
    Notifier *m_writeNotifier = nullptr; //!< created on the first write the kernel does not take
    QByteArray m_queue;
    qsizetype m_queueOffset = 0;
};

class RawWebSocketTransport final : public ServerWebSocketTransport, private RawSocket::Handler
{
    Q_OBJECT

public:
    //! Takes ownership of the connection `descriptor`, after whose upgrade request `unread`
    //! was received already, and answers the request with `handshakeResponse`.
    RawWebSocketTransport(int descriptor, QByteArray unread, QByteArrayView handshakeResponse, qint64 maxMessageSize,
                          QObject *parent);
    ~RawWebSocketTransport() override;

private:
    void onReadable() override;
    void onWritable() override;
    void onBroken();

    bool isConnectionOpen() const override { return m_socket.isOpen(); }
    void writeToConnection(QByteArrayView bytes) override;
    qint64 connectionPendingBytes() const override { return m_socket.queuedBytes(); }
    void handOverConnection() override;
    void resetConnection() override;

    RawSocket m_socket;
    //! Received with the upgrade request, read before anything else.
    QByteArray m_unread;
};

//! The end of a plain WebSocket connection once our Close frame is queued: what we queued is
//! written, the client's frames are read and dropped until its Close frame comes, then the
//! descriptor is closed (ours is the first FIN, and no unread input turns it into a reset). A
//! client that closes is let go; one that does neither within WebSocketLingerTimeoutMs is cut
//! off. Owns itself, for that long at most (a child of the application meanwhile, so that it
//! goes with it if the program ends first).
class RawWebSocketCloser final : public QObject, private RawSocket::Handler
{
    Q_OBJECT

public:
    RawWebSocketCloser(RawSocket socket, WebSocket::FrameParser parser, QByteArray unparsed);
    ~RawWebSocketCloser() override;

private:
    void onReadable() override;
    void onWritable() override;
    //! Closes once our output is written, or now if `now`.
    void finish(bool now);

    RawSocket m_socket;
    WebSocket::FrameParser m_parser;
    bool m_closeWhenWritten = false;
    QTimer m_timer;
};

} // namespace Roomcast::EngineIO
