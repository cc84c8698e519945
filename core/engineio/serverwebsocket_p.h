// The server side of the WebSocket transport for one session: one Engine.IO packet per frame,
// text or binary, over a QWebSocket handed over by the server's HTTP front. Private to
// core/engineio.
#pragma once

#include "engineio/servertransport_p.h"

#include <QPointer>

class QTcpSocket;
class QWebSocket;

namespace Roomcast::EngineIO {

class ServerWebSocketTransport final : public ServerTransport
{
    Q_OBJECT

public:
    //! Takes ownership of `socket`, whose connection is `connection`; messages and frames over
    //! `maxMessageSize` close it.
    ServerWebSocketTransport(QWebSocket *socket, QTcpSocket *connection, qint64 maxMessageSize, QObject *parent);
    ~ServerWebSocketTransport() override;

    TransportType type() const override { return TransportType::WebSocket; }
    void send(const QList<Packet> &packets) override;

protected:
    void doClose() override;

private:
    void onTextMessage(const QString &text);
    void onFrame(bool isLastFrame);
    void onDisconnected();
    void fail(const QString &reason, const QString &description, int closeCode);
    void writeFrame(int opcode, const QByteArray &payload);

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_connection;
    int m_fragments = 0;
};

} // namespace Roomcast::EngineIO
