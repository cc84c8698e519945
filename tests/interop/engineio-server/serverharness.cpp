#include "serverharness.h"

#include <QJsonArray>
#include <QTest>

using namespace Roomcast::EngineIO;

ServerHarness::ServerHarness(const ServerOptions &options, bool echo, QObject *parent)
    : QObject(parent)
    , server(options)
    , m_echo(echo)
{
    connect(&server, &Server::newConnection, this, [this](ServerSocket *socket) {
        auto record = std::make_shared<SessionRecord>();
        record->socket = socket;
        record->id = socket->id();
        record->request = socket->request();
        record->firstTransport = socket->transport();
        sessions.append(record);
        connect(socket, &ServerSocket::messageReceived, this, [this, socket, record](const QByteArray &text) {
            record->received.append({false, text});
            if (m_echo)
                socket->send(text);
        });
        connect(socket, &ServerSocket::binaryMessageReceived, this, [this, socket, record](const QByteArray &bytes) {
            record->received.append({true, bytes});
            if (m_echo)
                socket->sendBinary(bytes);
        });
        connect(socket, &ServerSocket::upgraded, this, [record] {
            ++record->upgrades;
            record->receivedAtUpgrade = int(record->received.size());
        });
        connect(socket, &ServerSocket::closed, this, [record](const QString &reason) { record->closeReason = reason; });
    });
}

bool ServerHarness::listen()
{
    if (server.listen(QHostAddress::LocalHost, 0))
        return true;
    qWarning().noquote() << "listen failed:" << server.errorString();
    return false;
}

std::shared_ptr<SessionRecord> ServerHarness::session(const QString &id) const
{
    for (const auto &record : sessions) {
        if (record->id == id)
            return record;
    }
    return nullptr;
}

std::shared_ptr<SessionRecord> ServerHarness::waitForSession(int n, int timeoutMs)
{
    if (!QTest::qWaitFor([&] { return sessions.size() > n; }, timeoutMs))
        return nullptr;
    return sessions.at(n);
}

NodeClients::NodeClients(QObject *parent)
    : NodePeer(QStringLiteral("engineio-client.mjs"), parent)
{
}

bool NodeClients::start(quint16 port)
{
    return NodePeer::start({QStringLiteral("--port"), QString::number(port)});
}

void NodeClients::open(const QString &id, const QUrl &url, const QJsonObject &extra)
{
    QJsonObject command = extra;
    command.insert(QStringLiteral("cmd"), QStringLiteral("open"));
    command.insert(QStringLiteral("id"), id);
    command.insert(QStringLiteral("url"), url.toString());
    NodePeer::send(command);
}

void NodeClients::send(const QString &id, const QByteArray &text)
{
    NodePeer::send({{QStringLiteral("cmd"), QStringLiteral("send")},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("data"), QString::fromUtf8(text)}});
}

void NodeClients::sendBinary(const QString &id, const QByteArray &bytes)
{
    NodePeer::send({{QStringLiteral("cmd"), QStringLiteral("send")},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("binary"), QString::fromLatin1(bytes.toBase64())}});
}

void NodeClients::sendAll(const QString &id, const QList<Received> &messages)
{
    QJsonArray list;
    for (const Received &message : messages) {
        if (message.binary)
            list.append(QJsonObject{{QStringLiteral("binary"), QString::fromLatin1(message.data.toBase64())}});
        else
            list.append(QJsonObject{{QStringLiteral("data"), QString::fromUtf8(message.data)}});
    }
    NodePeer::send({{QStringLiteral("cmd"), QStringLiteral("send")},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("messages"), list}});
}

void NodeClients::close(const QString &id)
{
    NodePeer::send({{QStringLiteral("cmd"), QStringLiteral("close")}, {QStringLiteral("id"), id}});
}

QJsonObject NodeClients::waitFor(const QString &id, const QString &event, int timeoutMs,
                                 const std::function<bool(const QJsonObject &)> &match)
{
    return waitForMessage(
        [&](const QJsonObject &message) {
            return message.value(QLatin1String("id")).toString() == id
                   && message.value(QLatin1String("event")).toString() == event && (!match || match(message));
        },
        timeoutMs);
}

QList<QJsonObject> NodeClients::events(const QString &id, const QString &event) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &message : messages()) {
        if (message.value(QLatin1String("id")).toString() == id
            && message.value(QLatin1String("event")).toString() == event)
            found.append(message);
    }
    return found;
}

QList<Received> NodeClients::received(const QString &id) const
{
    QList<Received> list;
    for (const QJsonObject &message : events(id, QStringLiteral("message"))) {
        if (message.contains(QLatin1String("binary")))
            list.append({true, QByteArray::fromBase64(message.value(QLatin1String("binary")).toString().toLatin1())});
        else
            list.append({false, message.value(QLatin1String("data")).toString().toUtf8()});
    }
    return list;
}
