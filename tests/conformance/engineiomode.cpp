#include "modes.h"

#include "engineio/server.h"

namespace Roomcast::Conformance {

std::unique_ptr<QObject> startEngineIO(const QHostAddress &address, quint16 *port, QString *error)
{
    EngineIO::ServerOptions options;
    options.path = QStringLiteral("/engine.io/");
    options.pingInterval = 300;
    options.pingTimeout = 200;
    options.maxHttpBufferSize = 1000000;
    options.corsOrigins = {QStringLiteral("*")};
    auto server = std::make_unique<EngineIO::Server>(options);
    QObject::connect(server.get(), &EngineIO::Server::newConnection, server.get(), [](EngineIO::ServerSocket *socket) {
        QObject::connect(socket, &EngineIO::ServerSocket::messageReceived, socket, &EngineIO::ServerSocket::send);
        QObject::connect(socket, &EngineIO::ServerSocket::binaryMessageReceived, socket,
                         &EngineIO::ServerSocket::sendBinary);
    });
    if (!server->listen(address, *port)) {
        *error = server->errorString();
        return nullptr;
    }
    *port = server->serverPort();
    return server;
}

} // namespace Roomcast::Conformance
