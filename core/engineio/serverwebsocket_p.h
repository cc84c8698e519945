// The server side of the WebSocket transport for one session: one Engine.IO packet per frame,
// text or binary, over a connection whose opening handshake a QWebSocket answered. The frames
// are ours in both directions, and so is the close (RFC 6455 §7.1.1): after our Close frame the
// client's frames are read and dropped until its own Close frame or the end of its stream, and
// only then is the TCP connection closed, so that nothing we wrote is lost to a reset.
// Private to core/engineio.
#pragma once

#include "engineio/servertransport_p.h"

#include <QByteArray>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>
#include <utility>

class QIODevice;
class QTcpSocket;
class QWebSocket;

namespace Roomcast::EngineIO {

//! The frames a server sends for `packets` (RFC 6455 §5.2: unmasked, one per packet, text or
//! binary), back to back.
QByteArray webSocketFrames(const QList<Packet> &packets);

//! Reads what a WebSocket client sends (RFC 6455 §5) as the bytes arrive: a frame's payload is
//! taken piece by piece, never waited for whole in the socket's buffer. Frames are checked as
//! the `ws` package checks them (close codes included) and put together into messages.
class ClientFrameReader
{
public:
    enum class Result {
        NeedMore, //!< everything available was read
        Message,  //!< a whole message: isBinary(), takeMessage()
        Ping,     //!< payload() is to be sent back in a pong
        Close,    //!< the client's Close frame: closeCode(), closeReason()
        Error,    //!< the client broke the protocol: closeCode() and closeReason() to close with
    };

    explicit ClientFrameReader(qint64 maxMessageSize);

    //! Reads until something happens or `device` has nothing more.
    Result read(QIODevice *device);

    bool isBinary() const { return m_binary; }
    QByteArray takeMessage() { return std::exchange(m_message, {}); }
    const QByteArray &payload() const { return m_control; }
    //! The code and reason of the client's Close frame (1005 for none), or the error's.
    int closeCode() const { return m_closeCode; }
    const QString &closeReason() const { return m_closeReason; }
    //! Whether the client's Close frame (valid or not) was read: it sends nothing after it.
    bool closeReceived() const { return m_closeReceived; }

    //! From now on (our Close frame is sent) data frames are skipped unread and pings ignored:
    //! only a Close frame is looked for.
    void discardData() { m_discarding = true; }

private:
    enum class State {
        Header,
        Payload,
        Closed, //!< after the Close frame: anything more is skipped
    };

    std::optional<Result> readHeader(QIODevice *device);
    std::optional<Result> finishFrame();
    std::optional<Result> readClose();
    //! An error: the frame's payload is skipped, and data from then on.
    Result fail(int closeCode, const QString &reason);

    const qint64 m_maxMessageSize;
    State m_state = State::Header;
    bool m_discarding = false;
    bool m_closeReceived = false;

    // The frame being read.
    int m_opcode = 0;
    bool m_final = false;
    bool m_skip = false;
    quint64 m_remaining = 0;
    quint64 m_offset = 0;
    uchar m_mask[4] = {};

    // The message being put together.
    bool m_fragmented = false;
    bool m_binary = false;
    int m_fragments = 0;
    QByteArray m_message;
    QByteArray m_control;

    int m_closeCode = 1005;
    QString m_closeReason;
};

class ServerWebSocketTransport final : public ServerTransport
{
    Q_OBJECT

public:
    //! Takes ownership of `socket`, whose connection is `connection`; messages over
    //! `maxMessageSize` close it.
    ServerWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize, QObject *parent);
    ~ServerWebSocketTransport() override;

    TransportType type() const override { return TransportType::WebSocket; }
    void send(const QList<Packet> &packets) override;
    //! Writes frames encoded already (webSocketFrames()), a broadcast's: only when
    //! isWritable(). They wait for the end of the event loop's pass, so that the broadcasts
    //! of one pass reach this client in one system call; anything else sent meanwhile goes
    //! after them, in order.
    void sendEncoded(const QByteArray &frames);
    //! Writes what sendEncoded() queued.
    void flushPending();
    qint64 pendingBytes() const override;

protected:
    void doClose() override;
    void doAbort() override;

private:
    void readFrames();
    //! Returns false once the transport is closing.
    bool onMessage();
    void onClientClose();
    void onDisconnected();
    void fail(const QString &reason, const QString &description, int closeCode);
    //! Sends our Close frame (the answer to the client's, if it came first) and hands the
    //! connection to a WebSocketCloser.
    void closeConnection(int closeCode, const QString &closeReason);
    void writeFrame(int opcode, QByteArrayView payload);
    //! Onto the wire: straight into the kernel's buffer when nothing of ours waits in the
    //! connection's (a plain TCP connection), else through the connection.
    void writeBytes(QByteArrayView bytes);

    //! Answered the opening handshake; it owns the connection, and goes with it to the closer.
    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_connection;
    //! Our frames may be written to the descriptor directly: no TLS in between.
    bool m_direct = false;
    //! sendEncoded()'s frames, until the pass is over (shared with the broadcast while only
    //! one waits).
    QByteArray m_pending;
    bool m_flushScheduled = false;
    ClientFrameReader m_reader;
};

//! The end of a WebSocket connection once its transport is done with it and our Close frame is
//! written: the client's frames are read and dropped until its Close frame comes, then the
//! connection is closed after what we wrote has gone (ours is the first FIN, as RFC 6455 prefers,
//! and no unread input turns it into a reset). A client that closes is let go; one that does
//! neither within LingerTimeoutMs is cut off. Owns itself (and the socket), for that long at most;
//! the application holds it meanwhile, so that it is freed if the program ends first.
class WebSocketCloser final : public QObject
{
    Q_OBJECT

public:
    WebSocketCloser(QWebSocket *socket, QTcpSocket *connection, ClientFrameReader reader);

private:
    void readFrames();
    void onDisconnected();

    //! QWebSocketServer deletes it later once it is disconnected.
    QPointer<QTcpSocket> m_connection;
    ClientFrameReader m_reader;
    QTimer m_timer;
};

} // namespace Roomcast::EngineIO
