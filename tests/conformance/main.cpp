// roomcast-conformance-server --port P --mode engine.io|socket.io [--bind ADDRESS]
// Prints "listening on http://ADDRESS:PORT" once ready, then serves until killed.
#include "modes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <functional>
#include <map>

using namespace Roomcast;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("roomcast-conformance-server"));

    // Each mode is one entry: a new mode (socket.io) adds a line here and a file beside.
    using Start = std::function<std::unique_ptr<QObject>(const QHostAddress &, quint16 *, QString *)>;
    const std::map<QString, Start> modes{
        {QStringLiteral("engine.io"), &Conformance::startEngineIO},
        {QStringLiteral("socket.io"), &Conformance::startSocketIO},
    };

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A server for the official Engine.IO / Socket.IO protocol test suites."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (default 3000)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption modeOption(QStringLiteral("mode"), QStringLiteral("engine.io or socket.io."),
                                        QStringLiteral("mode"), QStringLiteral("engine.io"));
    const QCommandLineOption bindOption(QStringLiteral("bind"),
                                        QStringLiteral("Address to listen on (default: every address)."),
                                        QStringLiteral("address"));
    parser.addOptions({portOption, modeOption, bindOption});
    parser.process(app);

    QTextStream err(stderr);
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        err << "invalid port: " << parser.value(portOption) << Qt::endl;
        return 2;
    }
    const auto mode = modes.find(parser.value(modeOption));
    if (mode == modes.end()) {
        err << "unknown mode: " << parser.value(modeOption) << Qt::endl;
        return 2;
    }
    QHostAddress address = QHostAddress::Any;
    if (parser.isSet(bindOption) && !address.setAddress(parser.value(bindOption))) {
        err << "invalid address: " << parser.value(bindOption) << Qt::endl;
        return 2;
    }

    QString error;
    quint16 listeningPort = quint16(port);
    const std::unique_ptr<QObject> server = mode->second(address, &listeningPort, &error);
    if (!server) {
        err << error << Qt::endl;
        return 1;
    }
    const QString shown = address == QHostAddress::Any ? QStringLiteral("127.0.0.1") : address.toString();
    QTextStream(stdout) << "listening on http://" << shown << ':' << listeningPort << Qt::endl;
    return app.exec();
}
