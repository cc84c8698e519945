#include "modes.h"

#include "socketio/server.h"

namespace Roomcast::Conformance {

// As the reference server of the socket.io-protocol test suite: "/" and "/custom" emit `auth`
// with the CONNECT payload, `message` is answered with `message-back` and the same arguments,
// `message-with-ack` is acknowledged with its arguments.
std::unique_ptr<QObject> startSocketIO(const QHostAddress &address, quint16 *port, QString *error)
{
    SocketIO::ServerOptions options;
    options.engine.pingInterval = 300;
    options.engine.pingTimeout = 200;
    options.engine.maxHttpBufferSize = 1000000;
    options.engine.corsOrigins = {QStringLiteral("*")};
    options.connectTimeoutMs = 1000;
    // With Nagle's algorithm: the suite's client (ws 8.5) dispatches every frame of one read
    // before the suite's next `await waitFor(socket, "message")` listens, so the `auth` event
    // written right after CONNECT is lost when both arrive together (docs/CONFORMANCE.md).
    options.engine.noDelay = false;
    auto server = std::make_unique<SocketIO::Server>(options);
    SocketIO::Server *io = server.get();

    QObject::connect(io->of(QStringLiteral("/")), &SocketIO::Namespace::connection, io, [io](SocketIO::ServerSocket *socket) {
        socket->emitEvent(QStringLiteral("auth"), {socket->auth()});
        socket->on(QStringLiteral("message"), io, [socket](const QVariantList &args, const SocketIO::Acknowledger &) {
            socket->emitEvent(QStringLiteral("message-back"), args);
        });
        socket->on(QStringLiteral("message-with-ack"), io,
                   [](const QVariantList &args, const SocketIO::Acknowledger &ack) { ack(args); });
    });
    QObject::connect(io->of(QStringLiteral("/custom")), &SocketIO::Namespace::connection, io,
                     [](SocketIO::ServerSocket *socket) { socket->emitEvent(QStringLiteral("auth"), {socket->auth()}); });

    if (!io->listen(address, *port)) {
        *error = io->errorString();
        return nullptr;
    }
    *port = io->serverPort();
    return server;
}

} // namespace Roomcast::Conformance
