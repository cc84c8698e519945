// roomcast-server: the chat server without a window (see DESIGN.md, "Programs").
#include "chat/jwt.h"
#include "eventloop/epolleventdispatcher.h"
#include "server/chatserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/socket.h>
#include <unistd.h>

using namespace Roomcast;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("roomcast-server", text);
}

int fail(const QString &message, int code = 2)
{
    QTextStream(stderr) << message << Qt::endl;
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's dispatcher polls every socket on every pass: a server of thousands of connections
    // would spend its time listing them (docs/PERFORMANCE.md).
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("roomcast-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("The Roomcast chat server, headless."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(QStringLiteral("port"), tr("Port to listen on (0: any free port)."),
                                  QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption bind(QStringLiteral("bind"), tr("Address to listen on (default: every address)."),
                                  QStringLiteral("address"));
    const QCommandLineOption secret(QStringLiteral("secret"), tr("HS256 key for login tokens. Without a secret the "
                                                                 "server runs open: clients choose a nickname."),
                                    QStringLiteral("secret"));
    const QCommandLineOption secretFile(QStringLiteral("secret-file"), tr("Read the HS256 key from a file."),
                                        QStringLiteral("file"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), tr("Directory for the message history (SQLite). "
                                                                     "Without it nothing is kept."),
                                     QStringLiteral("directory"));
    const QCommandLineOption requireExp(QStringLiteral("require-exp"), tr("Refuse tokens without an expiry."));
    const QCommandLineOption mint(QStringLiteral("mint-token"), tr("Print a token signed with the secret and exit."));
    const QCommandLineOption id(QStringLiteral("id"), tr("With --mint-token: the user id."), QStringLiteral("id"));
    const QCommandLineOption name(QStringLiteral("name"), tr("With --mint-token: the user's name."), QStringLiteral("name"));
    const QCommandLineOption ttl(QStringLiteral("ttl"), tr("With --mint-token: seconds until it expires (default 86400)."),
                                 QStringLiteral("seconds"), QStringLiteral("86400"));
    const QCommandLineOption announce(QStringLiteral("announce"), tr("Announce this server on the LAN, for the app's "
                                                                     "\"rooms on your network\" list."));
    const QCommandLineOption serverName(QStringLiteral("server-name"), tr("With --announce: the name shown (default: "
                                                                         "the host name)."),
                                        QStringLiteral("name"));
    const QCommandLineOption noPresence(QStringLiteral("no-presence"),
                                        tr("Speak the tutorial contract alone: no nickname map (welcome, userConnected, "
                                           "userDisconnected, nickname) and no room announcements (userJoined, userLeft, "
                                           "roomUpdated, join's member list)."));
    const QCommandLineOption noFloodLimit(QStringLiteral("no-flood-limit"),
                                          tr("Take every event a client sends: no flood control (for benchmarks)."));
    parser.addOptions({port, bind, secret, secretFile, dataDir, requireExp, announce, serverName, noPresence, noFloodLimit,
                       mint, id, name, ttl});
    parser.process(app);

    QByteArray key = parser.value(secret).toUtf8();
    if (parser.isSet(secretFile)) {
        QFile file(parser.value(secretFile));
        if (!file.open(QIODevice::ReadOnly))
            return fail(tr("Cannot read the secret file %1: %2").arg(file.fileName(), file.errorString()));
        key = file.readAll().trimmed();
    }

    if (parser.isSet(mint)) {
        if (key.isEmpty())
            return fail(tr("--mint-token needs --secret or --secret-file."));
        bool ttlOk = false;
        const qint64 seconds = parser.value(ttl).toLongLong(&ttlOk);
        if (!parser.isSet(id) || !parser.isSet(name) || !ttlOk || seconds <= 0)
            return fail(tr("--mint-token needs --id, --name and a positive --ttl."));
        QTextStream(stdout) << Chat::mintToken(parser.value(id), parser.value(name), std::chrono::seconds(seconds), key)
                            << Qt::endl;
        return 0;
    }

    bool portOk = false;
    const uint portNumber = parser.value(port).toUInt(&portOk);
    if (!portOk || portNumber > 65535)
        return fail(tr("Invalid port: %1").arg(parser.value(port)));
    QHostAddress address = QHostAddress::Any;
    if (parser.isSet(bind) && !address.setAddress(parser.value(bind)))
        return fail(tr("Invalid address: %1").arg(parser.value(bind)));

    Server::ChatServerOptions options;
    options.secret = key;
    options.requireExp = parser.isSet(requireExp);
    options.dataDirectory = parser.value(dataDir);
    options.announce.enabled = parser.isSet(announce);
    options.announce.name = parser.value(serverName);
    options.presence = !parser.isSet(noPresence);
    options.flood.enabled = !parser.isSet(noFloodLimit);
    Server::ChatServer server(options);
    if (!server.listen(address, quint16(portNumber)))
        return fail(server.errorString(), 1);

    // SIGINT/SIGTERM: close cleanly ("server shutting down" for every client), then quit.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&server, notifier] {
            char byte;
            [[maybe_unused]] const auto read = ::read(signalPipe[0], &byte, 1);
            notifier->setEnabled(false);
            // Every client is told why and gets what was queued for it; then the process goes.
            server.shutDown();
        });
        QObject::connect(&server, &Server::ChatServer::closed, &app, &QCoreApplication::quit);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }

#if defined(__GLIBC__)
    // glibc keeps the pages of freed memory resident inside the heap, and reuses free chunks at
    // new places, so a server that once held a thousand connecting clients drifts up towards
    // its high-water mark for good. Once a minute the free pages go back to the system.
    QTimer trim;
    QObject::connect(&trim, &QTimer::timeout, &app, [] { malloc_trim(0); });
    trim.start(60000);
#endif

    const QString shown = address == QHostAddress::Any ? QStringLiteral("0.0.0.0") : address.toString();
    QTextStream(stdout) << "listening on http://" << shown << ':' << server.serverPort() << Qt::endl;
    return app.exec();
}
