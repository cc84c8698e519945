// A program that ends while the engine its Manager let go of is still closing, as roomcast-cli
// or the app may: tst_socketio_client::engineClosingAtExitGoesWhileTheApplicationIsWhole runs it.
//
// Usage: exitwhileclosing <server URL>. It connects over polling to the server's "/private"
// namespace without a token; the namespace refuses, the Manager lets its engine go (it has no
// namespace left), and the program leaves the event loop at once, before the engine's close
// has been answered. It prints "refused", then "closing" if the engine was still closing then.
// The engine must be deleted while QCoreApplication is still whole (see detachEngine()): a
// post routine registered before any of Roomcast's runs after them all, and exits with 3 if
// the engine is still there. (Deleted later, as the application's child, its HTTP requests
// leak: LeakSanitizer reports them in the sanitizer build.)
#include "socketio/client.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

using namespace Roomcast;

namespace {

QPointer<EngineIO::Client> lastEngine;

void checkEngineGone()
{
    if (lastEngine) {
        std::fputs("the engine that was still closing outlived QCoreApplication's post routines\n", stderr);
        std::_Exit(3);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    qAddPostRoutine(checkEngineGone);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 2) {
        std::fputs("usage: exitwhileclosing <server URL>\n", stderr);
        return 2;
    }

    SocketIO::ManagerOptions options;
    options.reconnection = false;
    options.engine.transports = {EngineIO::TransportType::Polling};
    SocketIO::Manager manager(QUrl(arguments.at(1)), options);
    QObject::connect(&manager, &SocketIO::Manager::opened, &manager, [&manager] { lastEngine = manager.engine(); });
    SocketIO::Socket *socket = manager.socket(QStringLiteral("/private"));
    QObject::connect(socket, &SocketIO::Socket::connected, &app, [] {
        std::fputs("the namespace let us in without a token\n", stderr);
        QCoreApplication::exit(1);
    });
    QObject::connect(socket, &SocketIO::Socket::connectError, &app, [] {
        std::puts("refused");
        QCoreApplication::exit(0);
    });
    QTimer::singleShot(20000, &app, [] {
        std::fputs("no answer from the namespace within 20 s\n", stderr);
        QCoreApplication::exit(1);
    });
    socket->connectToNamespace();
    const int exitCode = QCoreApplication::exec();
    if (lastEngine && lastEngine->state() != EngineIO::Client::State::Closed)
        std::puts("closing");
    std::fflush(stdout);
    return exitCode;
}
