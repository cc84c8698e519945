// Test fixtures for the Engine.IO server: an in-process server that records its sessions (and
// can echo), and the real Node engine.io-client driven through tests/interop/node/engineio-client.mjs.
#pragma once

#include "engineio/server.h"
#include "nodepeer.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

struct Received
{
    bool binary = false;
    QByteArray data;
    friend bool operator==(const Received &, const Received &) = default;
};

//! What happened to one server session; kept after the session is deleted.
struct SessionRecord
{
    QPointer<Roomcast::EngineIO::ServerSocket> socket;
    QString id;
    Roomcast::EngineIO::HandshakeRequest request;
    Roomcast::EngineIO::TransportType firstTransport = Roomcast::EngineIO::TransportType::Polling;
    QList<Received> received;
    //! How many messages had been received when upgraded() came (-1: never).
    int receivedAtUpgrade = -1;
    int upgrades = 0;
    QString closeReason; //!< empty while open
};

class ServerHarness : public QObject
{
    Q_OBJECT

public:
    explicit ServerHarness(const Roomcast::EngineIO::ServerOptions &options, bool echo = true, QObject *parent = nullptr);

    Roomcast::EngineIO::Server server;
    //! Every session opened, in order.
    QList<std::shared_ptr<SessionRecord>> sessions;

    bool listen();
    //! The session with this id (nullptr if none was opened).
    std::shared_ptr<SessionRecord> session(const QString &id) const;
    //! Waits for the n-th session (0-based) to be opened.
    std::shared_ptr<SessionRecord> waitForSession(int n, int timeoutMs = 10000);

private:
    bool m_echo;
};

//! The Node engine.io-client peer: any number of clients, each named by an id.
class NodeClients : public NodePeer
{
    Q_OBJECT

public:
    explicit NodeClients(QObject *parent = nullptr);

    //! Starts node; `port` is only echoed back (the script listens to nothing).
    bool start(quint16 port);
    //! Opens client `id` on `url`; `extra` is merged into the command (transports, upgrade,
    //! query, extraHeaders, ca, path).
    void open(const QString &id, const QUrl &url, const QJsonObject &extra = {});
    void send(const QString &id, const QByteArray &text);
    void sendBinary(const QString &id, const QByteArray &bytes);
    //! Several messages in one go (the client queues them back to back).
    void sendAll(const QString &id, const QList<Received> &messages);
    void close(const QString &id);

    //! Waits for event `event` of client `id` (and with `match`, if given).
    QJsonObject waitFor(const QString &id, const QString &event, int timeoutMs = 10000,
                        const std::function<bool(const QJsonObject &)> &match = {});
    //! Every event `event` of client `id` so far.
    QList<QJsonObject> events(const QString &id, const QString &event) const;
    //! The messages client `id` received so far, in order.
    QList<Received> received(const QString &id) const;
};
