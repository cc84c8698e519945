// The server side of the WebSocket transport for one session: one Engine.IO packet per frame,
// text or binary (websocketframe.h reads and writes them). The close is ours too (RFC 6455
// §7.1.1): after our Close frame the client's frames are read and dropped until its own Close
// frame or the end of its stream, and only then is the TCP connection closed, so that nothing
// we wrote is lost to a reset.
//
// Two connections carry it: a plain TCP connection whose descriptor the transport owns
// (RawWebSocketTransport, serverrawwebsocket_p.h: our own 101, recv() and send(), nothing
// buffered while idle), and a TLS connection whose opening handshake a QWebSocket answered
// (TlsWebSocketTransport, here). Private to core/engineio.
#pragma once

#include "engineio/servertransport_p.h"
#include "engineio/websocketframe.h"

#include <QByteArray>
#include <QPointer>
#include <QString>
#include <QTimer>

class QTcpSocket;
class QWebSocket;

namespace Roomcast::EngineIO {

//! The WebSocket protocol over a byte stream that a subclass reads and writes.
class ServerWebSocketTransport : public ServerTransport
{
    Q_OBJECT

public:
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
    ServerWebSocketTransport(qint64 maxMessageSize, QObject *parent);

    void doClose() override;
    void doAbort() override;

    //! Reads the client's bytes: frames are parsed and handled until `data` is all read or the
    //! transport closes (then the rest goes to the closer with the parser: unparsed()).
    void receive(QByteArrayView data);
    //! During receive(), the bytes not parsed yet.
    QByteArrayView unparsed() const { return m_unparsed; }
    //! The connection ended without a Close frame.
    void onDisconnected();
    //! Sends our Close frame (the answer to the client's, if it came first) and hands the
    //! connection over to be closed; call it from the subclass's destructor too.
    void closeConnection(int closeCode, const QString &closeReason);

    WebSocket::FrameParser m_parser;

private:
    //! Onto the wire, after what waits for the end of the pass.
    void write(QByteArrayView bytes);

    // The connection, as the subclass has it.
    virtual bool isConnectionOpen() const = 0;
    //! Onto the wire now, or queued behind what the connection has not written yet.
    virtual void writeToConnection(QByteArrayView bytes) = 0;
    virtual qint64 connectionPendingBytes() const = 0;
    //! Our Close frame is written (or queued): the connection goes to a closer with the parser
    //! and the unparsed bytes, and the transport lets go of it.
    virtual void handOverConnection() = 0;
    //! Drops the connection at once with a reset, what it has not written with it.
    virtual void resetConnection() = 0;

    //! Returns false once the transport is closing.
    bool onMessage();
    void onClientClose();
    void fail(const QString &reason, const QString &description, int closeCode);

    //! sendEncoded()'s frames, until the pass is over (shared with the broadcast while only
    //! one waits).
    QByteArray m_pending;
    bool m_flushScheduled = false;
    QByteArrayView m_unparsed;
};

//! Over TLS: a QWebSocket answered the opening handshake on the QSslSocket; from there on the
//! frames are ours in both directions, as on a plain connection.
class TlsWebSocketTransport final : public ServerWebSocketTransport
{
    Q_OBJECT

public:
    //! Takes ownership of `socket`, whose connection is `connection`; messages over
    //! `maxMessageSize` close it.
    TlsWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize, QObject *parent);
    ~TlsWebSocketTransport() override;

private:
    void readAvailable();
    bool isConnectionOpen() const override;
    void writeToConnection(QByteArrayView bytes) override;
    qint64 connectionPendingBytes() const override;
    void handOverConnection() override;
    void resetConnection() override;

    //! Answered the opening handshake; it owns the connection, and goes with it to the closer.
    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_connection;
};

//! The end of a TLS WebSocket connection once its transport is done with it and our Close frame
//! is written: the client's frames are read and dropped until its Close frame comes, then the
//! connection is closed after what we wrote has gone (ours is the first FIN, as RFC 6455
//! prefers, and no unread input turns it into a reset). A client that closes is let go; one
//! that does neither within WebSocketLingerTimeoutMs is cut off. Owns itself (and the socket),
//! for that long at most; the application holds it meanwhile, so that it is freed if the
//! program ends first.
class WebSocketCloser final : public QObject
{
    Q_OBJECT

public:
    WebSocketCloser(QWebSocket *socket, QTcpSocket *connection, WebSocket::FrameParser parser, QByteArray unparsed);

private:
    void readFrames();
    void onDisconnected();

    //! QWebSocketServer deletes it later once it is disconnected.
    QPointer<QTcpSocket> m_connection;
    WebSocket::FrameParser m_parser;
    QTimer m_timer;
};

//! RFC 6455 §7.1.1: after our Close frame, how long we wait for the client's (or for it to
//! close), reading and dropping what it still sends, before we drop the connection.
inline constexpr int WebSocketLingerTimeoutMs = 2000;

} // namespace Roomcast::EngineIO
