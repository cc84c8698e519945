// roomcast-cli: a scriptable Socket.IO client, like wscat for Socket.IO. See --help.
#include "clioptions.h"
#include "clisession.h"
#include "ndjson.h"
#include "stdinreader.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

using namespace Roomcast::Cli;

namespace {

//! A standard descriptor closed by the caller (`0<&-`) would be taken by the next file the
//! process opens; /dev/null holds its place instead (so a closed stdin is an empty input).
void holdStandardDescriptors()
{
    if (::fcntl(STDIN_FILENO, F_GETFD) == -1)
        (void)::open("/dev/null", O_RDONLY);
    if (::fcntl(STDOUT_FILENO, F_GETFD) == -1)
        (void)::open("/dev/null", O_WRONLY);
}

} // namespace

int main(int argc, char *argv[])
{
    holdStandardDescriptors();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("roomcast-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));

    QFile output;
    if (!output.open(stdout, QIODevice::WriteOnly))
        return 1;

    const CliArguments arguments = parseArguments(QCoreApplication::arguments());
    switch (arguments.status) {
    case CliArguments::Status::Help:
    case CliArguments::Status::Version:
        output.write(arguments.text.toUtf8());
        return 0;
    case CliArguments::Status::Error:
        output.write(line({{QStringLiteral("type"), QStringLiteral("error")},
                           {QStringLiteral("message"), arguments.text}}));
        return 2;
    case CliArguments::Status::Run:
        break;
    }

    CliSession session(arguments.options, &output);
    StdinReader input(STDIN_FILENO);
    QObject::connect(&input, &StdinReader::lineRead, &session, &CliSession::processLine);
    QObject::connect(&input, &StdinReader::finished, &session, &CliSession::endInput);
    QObject::connect(&session, &CliSession::inputPausedChanged, &input, &StdinReader::setPaused);
    QObject::connect(&session, &CliSession::finished, &app, [](int exitCode) { QCoreApplication::exit(exitCode); });
    session.start();
    input.start();
    const int exitCode = QCoreApplication::exec();
    // What the session's last pass handed to deleteLater() (a closed transport with its network
    // access manager) goes now: the event loop that would have deleted it has ended.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return exitCode;
}
