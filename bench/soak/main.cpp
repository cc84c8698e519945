// roomcast-soak: the soak of bench/soak.sh (see soak.h). It prints figures; exit code 0 when
// every ack has its one history entry and the server's RSS held still after the warm-up.
#include "soak.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <sys/resource.h>

namespace {

//! A thousand clients need more descriptors than the usual soft limit of 1024, here and in the
//! server, which inherits the limit.
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Many Roomcast clients chatting and reconnecting at random against "
                                                    "a roomcast-server, with its memory, descriptors and history watched."));
    parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("The roomcast-server program."),
                                    QStringLiteral("path"));
    const QCommandLineOption minutes(QStringLiteral("minutes"), QStringLiteral("How long to chat (default 30)."),
                                     QStringLiteral("minutes"), QStringLiteral("30"));
    const QCommandLineOption clients(QStringLiteral("clients"), QStringLiteral("Clients (default 1000)."),
                                     QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption rooms(QStringLiteral("rooms"), QStringLiteral("Rooms (default 20)."), QStringLiteral("n"),
                                   QStringLiteral("20"));
    const QCommandLineOption messageEvery(QStringLiteral("message-every"),
                                          QStringLiteral("Mean ms between two messages of a client (default 30000)."),
                                          QStringLiteral("ms"), QStringLiteral("30000"));
    const QCommandLineOption reconnectEvery(QStringLiteral("reconnect-every"),
                                            QStringLiteral("Mean ms between two reconnections of a client (default 600000)."),
                                            QStringLiteral("ms"), QStringLiteral("600000"));
    const QCommandLineOption sampleEvery(QStringLiteral("sample-every"),
                                         QStringLiteral("ms between two samples of the server (default 10000)."),
                                         QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption warmup(QStringLiteral("warmup"),
                                    QStringLiteral("Minutes of warm-up before RSS growth counts (default: a third of "
                                                   "the run, 10 at most)."),
                                    QStringLiteral("minutes"));
    const QCommandLineOption polling(QStringLiteral("polling-share"),
                                     QStringLiteral("Share of the clients over long-polling (default 0.1)."),
                                     QStringLiteral("fraction"), QStringLiteral("0.1"));
    parser.addOptions({server, minutes, clients, rooms, messageEvery, reconnectEvery, sampleEvery, warmup, polling});
    parser.process(app);

    SoakOptions options;
    options.serverPath = parser.value(server);
    options.minutes = parser.value(minutes).toDouble();
    options.clients = parser.value(clients).toInt();
    options.rooms = parser.value(rooms).toInt();
    options.messageEveryMs = parser.value(messageEvery).toInt();
    options.reconnectEveryMs = parser.value(reconnectEvery).toInt();
    options.sampleEveryMs = parser.value(sampleEvery).toInt();
    options.warmupMinutes = parser.isSet(warmup) ? parser.value(warmup).toDouble() : -1;
    options.pollingShare = parser.value(polling).toDouble();
    if (options.serverPath.isEmpty() || options.minutes <= 0 || options.clients <= 0 || options.rooms <= 0
        || options.rooms > options.clients || options.messageEveryMs <= 0 || options.reconnectEveryMs <= 0
        || options.sampleEveryMs <= 0) {
        QTextStream(stderr) << "roomcast-soak: give --server, and positive figures (rooms no more than clients)"
                            << Qt::endl;
        return 2;
    }

    raiseDescriptorLimit();
    Soak soak(options);
    QObject::connect(&soak, &Soak::finished, &app, [](int code) { QCoreApplication::exit(code); });
    if (!soak.start())
        return 2;
    return app.exec();
}
