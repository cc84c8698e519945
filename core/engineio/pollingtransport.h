// HTTP long-polling over QNetworkAccessManager: a GET loop that the server answers when it has
// packets (or a ping) for us, and one POST at a time for what we send.
#pragma once

#include "transport.h"

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace Roomcast::EngineIO {

class PollingTransport final : public Transport
{
    Q_OBJECT

public:
    PollingTransport(const Endpoint &endpoint, QObject *parent);
    ~PollingTransport() override;

    TransportType type() const override { return TransportType::Polling; }
    //! Sends the handshake GET; its answer (the open packet) arrives as packetsReceived().
    //! After each answer the next GET goes out once a sid is set, until pause() or abort().
    void open() override;
    void setIncomingLimit(qint64 bytes) override { m_incomingLimit = bytes; }
    bool isWritable() const override;
    void write(const QList<Packet> &packets) override;
    void pause() override;
    void resume() override;
    void abort() override;

private:
    QNetworkRequest makeRequest(bool timed) const;
    void poll();
    void onPollFinished(QNetworkReply *reply);
    void onPostFinished(QNetworkReply *reply);
    //! Emits failed() and returns false if `reply` did not succeed.
    bool checkReply(QNetworkReply *reply);
    void fail(Client::Error error, const QString &message);
    void checkPaused();
    void dropReply(QNetworkReply *&reply);

    QNetworkAccessManager *m_network;
    QNetworkReply *m_poll = nullptr;
    QNetworkReply *m_post = nullptr;
    qint64 m_incomingLimit;
    bool m_pausing = false;
    bool m_done = false;
};

} // namespace Roomcast::EngineIO
