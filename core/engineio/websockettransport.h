// WebSocket over QWebSocket: one text frame per text packet, one binary frame per binary message.
#pragma once

#include "transport.h"

#include <QAbstractSocket>
#include <QStringList>

class QTimer;
class QWebSocket;

namespace Roomcast::EngineIO {

class WebSocketTransport final : public Transport
{
    Q_OBJECT

public:
    WebSocketTransport(const Endpoint &endpoint, QObject *parent);
    ~WebSocketTransport() override;

    TransportType type() const override { return TransportType::WebSocket; }
    //! Opens the WebSocket (with the sid when probing an upgrade); opened() follows.
    void open() override;
    void setIncomingLimit(qint64 bytes) override;
    bool isWritable() const override;
    void write(const QList<Packet> &packets) override;
    void abort() override;
    void closeGracefully() override;

private:
    void onConnected();
    void onTextMessage(const QString &message);
    void onBinaryMessage(const QByteArray &message);
    void onError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void fail(Client::Error error, const QString &message);
    void finish();

    QWebSocket *m_socket;
    QTimer *m_timer; //!< bounds the opening handshake and the closing one
    QStringList m_sslErrors;
    qint64 m_incomingLimit = 0;
    bool m_connected = false;
    bool m_closing = false;
    bool m_done = false;
};

} // namespace Roomcast::EngineIO
