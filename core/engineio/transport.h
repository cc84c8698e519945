// The transport seam under engineio::Client: one way of carrying Engine.IO packets to and from
// the server (HTTP long-polling, WebSocket). Private to core/engineio.
#pragma once

#include "engineio/client.h"
#include "engineio/packet.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

namespace Roomcast::EngineIO {

//! Where the server is and how every request to it is made; shared by both transports.
struct Endpoint
{
    bool secure = false;
    QString host;
    int port = -1;
    //! Always ends with '/'.
    QString path;
    //! The caller's query parameters, decoded; EIO, transport, sid and t are added per request.
    QList<QPair<QString, QString>> query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QSslConfiguration sslConfiguration;
    int requestTimeoutMs = 20000;

    //! Builds an endpoint from the URL given to the Client (http, https, ws or wss) and its
    //! options; returns false if the scheme is none of those.
    static bool fromUrl(const QUrl &url, const ClientOptions &options, Endpoint *endpoint);

    //! The URL of a request: the path, the caller's query, then EIO, transport, sid (if any)
    //! and a cache-busting `t` (if asked). Query values are percent-encoded, '+' included.
    QUrl url(TransportType type, const QString &sid, bool cacheBuster) const;

    //! scheme://host:port/path, without the query, for log lines.
    QString describe(TransportType type) const;
};

//! Upper bound for one message the server may send us, from the handshake's maxPayload rounded
//! up generously (the server limits what it accepts, not what it sends).
qint64 incomingMessageLimit(qint64 maxPayload);

class Transport : public QObject
{
    Q_OBJECT

public:
    Transport(const Endpoint &endpoint, QObject *parent);

    virtual TransportType type() const = 0;

    //! Starts connecting; opened() (WebSocket) or the first packetsReceived() (polling) follow,
    //! or failed().
    virtual void open() = 0;
    //! The session id, once the handshake has given one; requests from now on carry it.
    void setSid(const QString &sid) { m_sid = sid; }
    QString sid() const { return m_sid; }
    //! The largest message accepted from the server.
    virtual void setIncomingLimit(qint64 bytes) { Q_UNUSED(bytes); }

    //! Whether write() would go out at once.
    virtual bool isWritable() const = 0;
    //! Sends packets; only call when isWritable(). A polling transport emits drained() once
    //! its POST is answered; a WebSocket writes at once and stays writable.
    virtual void write(const QList<Packet> &packets) = 0;

    //! Stops reading once the requests in flight are done, then emits paused() (polling; a
    //! WebSocket pauses at once).
    virtual void pause() { Q_EMIT paused(); }
    //! Undoes pause().
    virtual void resume() {}

    //! Ends the transport at once and silently: no further signal is emitted.
    virtual void abort() = 0;
    //! Ends the transport politely (a WebSocket close handshake); closed() follows.
    virtual void closeGracefully() { abort(); Q_EMIT closed(); }

Q_SIGNALS:
    //! A WebSocket connected (polling has no such moment: its first answer is the handshake).
    void opened();
    void packetsReceived(const QList<Roomcast::EngineIO::Packet> &packets);
    //! What write() was given has been delivered; the transport is writable again (polling).
    void drained();
    void paused();
    //! The transport cannot go on; no further signal is emitted.
    void failed(Roomcast::EngineIO::Client::Error error, const QString &message);
    //! The connection ended without an error (the peer closed it, or closeGracefully() is done).
    void closed();

protected:
    const Endpoint m_endpoint;
    QString m_sid;
};

} // namespace Roomcast::EngineIO
