// The server side of HTTP long-polling for one session: a GET is held until there are packets
// to send, a POST delivers the client's packets. Private to core/engineio.
#pragma once

#include "engineio/serverhttp.h"
#include "engineio/servertransport_p.h"

#include <QPointer>
#include <QTimer>

namespace Roomcast::EngineIO {

namespace Http {
class Connection;
}

class ServerPollingTransport final : public ServerTransport
{
    Q_OBJECT

public:
    explicit ServerPollingTransport(QObject *parent);
    ~ServerPollingTransport() override;

    TransportType type() const override { return TransportType::Polling; }

    //! A request for this session on `connection`; `headers` go into its answer (CORS).
    void handleRequest(Http::Connection *connection, const Http::Headers &headers);
    void send(const QList<Packet> &packets) override;

protected:
    void doClose() override;
    void doAbort() override;

private:
    void onPollRequest(Http::Connection *connection, const Http::Headers &headers);
    void onDataRequest(Http::Connection *connection, const Http::Headers &headers);
    void onBody(Http::Connection *connection, const QByteArray &body);
    void releaseData();
    void onClientClose();

    QPointer<Http::Connection> m_poll;
    Http::Headers m_pollHeaders;
    QPointer<Http::Connection> m_data;
    Http::Headers m_dataHeaders;
    //! close() was called while no GET was waiting: the next GET gets the close packet.
    bool m_shouldClose = false;
    QTimer m_closeTimer;
};

} // namespace Roomcast::EngineIO
