// The command line of roomcast-cli, parsed into the options of a CliSession.
#pragma once

#include "socketio/client.h"

#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

#include <chrono>

namespace Roomcast::Cli {

struct CliOptions
{
    //! The server: the URL as given, without the namespace path (query kept).
    QUrl url;
    //! The namespace to open at start, the path of the URL given ("/" without one).
    QString nsp = QStringLiteral("/");
    SocketIO::ManagerOptions manager;
    //! The CONNECT payload: --auth, with --token as its "token".
    QVariantMap auth;
    //! How long an emit waits for its acknowledgement; negative: for ever.
    std::chrono::milliseconds ackTimeout{-1};
    //! Acknowledge the server's ack requests at once, with no arguments.
    bool autoAck = false;
};

struct CliArguments
{
    enum class Status {
        Run,     //!< `options` are ready
        Help,    //!< print `text` (the help) and exit 0
        Version, //!< print `text` (the version) and exit 0
        Error,   //!< `text` says what is wrong: report it and exit 2
    };
    Status status = Status::Run;
    CliOptions options;
    QString text;
};

//! Parses `arguments` (with the program name first, as QCoreApplication::arguments()).
CliArguments parseArguments(const QStringList &arguments);

} // namespace Roomcast::Cli
