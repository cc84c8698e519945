#include "clioptions.h"

#include "socketio/json.h"
#include "socketio/packet.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonValue>
#include <QSslCertificate>

#include <limits>

namespace Roomcast::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("roomcast-cli", text);
}

QString protocolHelp()
{
    return tr("\n"
              "Reads one JSON object per line on stdin and writes one JSON object per line on\n"
              "stdout. The URL's path is the namespace to open (default \"/\").\n"
              "\n"
              "Lines on stdin:\n"
              "  {\"emit\":\"EVENT\",\"args\":[...]}             emits an event\n"
              "  {\"emit\":\"EVENT\",\"args\":[...],\"ack\":true}  ... asking for an acknowledgement;\n"
              "                                            an \"id\" given here comes back in\n"
              "                                            the ack or ack_timeout line\n"
              "  {\"connect\":\"/nsp\",\"auth\":{...}}           opens another namespace on the same\n"
              "                                            connection (auth: --token/--auth)\n"
              "  {\"disconnect\":true}                       leaves the namespace\n"
              "  {\"ack_id\":N,\"args\":[...]}                 answers the server's ack request N\n"
              "  \"nsp\":\"/x\" on any line addresses namespace /x; emitting to a namespace that\n"
              "  is not open opens it. Emits made before the connection is up are sent once\n"
              "  it is.\n"
              "\n"
              "Lines on stdout, by \"type\": connect (nsp, sid), connect_error (nsp, message,\n"
              "data), event (nsp, event, args), ack (nsp, event, args), ack_timeout (nsp,\n"
              "event, reason), disconnect (nsp, reason), reconnecting (attempt, delay_ms),\n"
              "error (message; \"line\" for a bad stdin line, which is skipped).\n"
              "  Each emit with \"ack\":true ends in exactly one ack or ack_timeout line; the\n"
              "  ack_timeout reason is \"timeout\", \"disconnect\" (the connection or namespace\n"
              "  went before the answer) or \"dropped\" (never sent).\n"
              "  The server's events are not acknowledged automatically: an event that asks\n"
              "  for an acknowledgement carries \"ack_id\":N, to answer with an ack_id line\n"
              "  (or run with --auto-ack).\n"
              "Binary values are {\"$binary\":\"<base64>\"} anywhere in args, in both directions.\n"
              "\n"
              "Exit status: 0 once stdin is closed, every emit has been handed to the\n"
              "connection and every acknowledgement has arrived or timed out; 1 when the\n"
              "connection fails or is lost and will not be retried (--no-reconnect); 2 for a\n"
              "bad URL or bad options.\n");
}

//! The URL of the server and the namespace in its path.
bool parseUrl(const QString &text, CliOptions &options, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool knownScheme = scheme == QLatin1String("http") || scheme == QLatin1String("https")
                          || scheme == QLatin1String("ws") || scheme == QLatin1String("wss");
    if (!url.isValid() || !knownScheme || url.host().isEmpty()) {
        *error = tr("Invalid URL \"%1\": expected http(s)://host:port/namespace or ws(s)://host:port/namespace")
                     .arg(text);
        return false;
    }
    const QString path = url.path(QUrl::FullyDecoded);
    options.nsp = path.isEmpty() ? QStringLiteral("/") : path;
    if (!SocketIO::isValidNamespace(options.nsp)) {
        *error = tr("Invalid namespace \"%1\" in the URL").arg(options.nsp);
        return false;
    }
    options.url = url.adjusted(QUrl::RemovePath | QUrl::RemoveFragment);
    return true;
}

std::optional<QVariantMap> parseAuth(const QString &text, QString *error)
{
    QString parseError;
    const std::optional<QJsonValue> json = SocketIO::Json::parse(text.toUtf8(), &parseError);
    if (!json || !json->isObject()) {
        *error = json ? tr("--auth must be a JSON object") : tr("--auth is not valid JSON: %1").arg(parseError);
        return std::nullopt;
    }
    return SocketIO::Json::toVariant(*json)->toMap();
}

} // namespace

CliArguments parseArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("A scriptable Socket.IO client: JSON lines in, JSON lines out."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption tokenOption(QStringLiteral("token"), tr("Sends auth {\"token\": <token>} on connect."),
                                         tr("token"));
    const QCommandLineOption authOption(QStringLiteral("auth"), tr("The auth payload sent on connect (a JSON object)."),
                                        tr("json"));
    const QCommandLineOption transportOption(
        QStringLiteral("transport"),
        tr("Uses only this transport: websocket or polling (default: polling, then upgrade to websocket)."),
        tr("transport"));
    const QCommandLineOption pathOption(QStringLiteral("path"), tr("The server's request path (default /socket.io/)."),
                                        tr("path"), QStringLiteral("/socket.io/"));
    const QCommandLineOption noReconnectOption(QStringLiteral("no-reconnect"),
                                               tr("Gives up (exit status 1) when the connection fails or drops."));
    const QCommandLineOption ackTimeoutOption(
        QStringLiteral("ack-timeout"), tr("Waits at most <ms> for each acknowledgement (default: for ever)."), tr("ms"));
    const QCommandLineOption caFileOption(QStringLiteral("ca-file"),
                                          tr("Also trusts the CA certificates in this PEM file (for https/wss)."),
                                          tr("pem"));
    const QCommandLineOption autoAckOption(QStringLiteral("auto-ack"),
                                           tr("Acknowledges the server's ack requests at once, with no arguments."));
    parser.addOptions({tokenOption, authOption, transportOption, pathOption, noReconnectOption, ackTimeoutOption,
                       caFileOption, autoAckOption});
    parser.addPositionalArgument(QStringLiteral("url"), tr("http(s)://host:port/namespace or ws(s)://host:port/namespace"));

    CliArguments result;
    auto fail = [&result](const QString &message) {
        result.status = CliArguments::Status::Error;
        result.text = message;
        return result;
    };

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(helpOption)) {
        result.status = CliArguments::Status::Help;
        result.text = parser.helpText() + protocolHelp();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.status = CliArguments::Status::Version;
        result.text = QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n';
        return result;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return fail(positional.isEmpty() ? tr("Missing the server URL (see --help)")
                                         : tr("Expected one URL, got %1 arguments").arg(positional.size()));

    CliOptions &options = result.options;
    QString error;
    if (!parseUrl(positional.first(), options, &error))
        return fail(error);

    if (parser.isSet(authOption)) {
        std::optional<QVariantMap> auth = parseAuth(parser.value(authOption), &error);
        if (!auth)
            return fail(error);
        options.auth = *auth;
    }
    if (parser.isSet(tokenOption))
        options.auth.insert(QStringLiteral("token"), parser.value(tokenOption));

    EngineIO::ClientOptions &engine = options.manager.engine;
    if (parser.isSet(transportOption)) {
        const QString transport = parser.value(transportOption);
        if (transport == QLatin1String("websocket")) {
            engine.transports = {EngineIO::TransportType::WebSocket};
        } else if (transport == QLatin1String("polling")) {
            engine.transports = {EngineIO::TransportType::Polling};
            engine.upgrade = false;
        } else {
            return fail(tr("Unknown transport \"%1\": expected websocket or polling").arg(transport));
        }
    }

    QString path = parser.value(pathOption);
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    if (!path.endsWith(u'/'))
        path.append(u'/');
    engine.path = path;

    options.manager.reconnection = !parser.isSet(noReconnectOption);
    // Nothing emitted is dropped while offline: the session pauses the input instead.
    options.manager.maxBufferedPackets = std::numeric_limits<int>::max();

    if (parser.isSet(ackTimeoutOption)) {
        bool ok = false;
        const int ms = parser.value(ackTimeoutOption).toInt(&ok);
        if (!ok || ms < 0)
            return fail(tr("--ack-timeout expects a number of milliseconds, got \"%1\"").arg(parser.value(ackTimeoutOption)));
        options.ackTimeout = std::chrono::milliseconds(ms);
    }

    if (parser.isSet(caFileOption)) {
        const QString file = parser.value(caFileOption);
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(file, QSsl::Pem);
        if (certificates.isEmpty())
            return fail(tr("No PEM certificate could be read from \"%1\"").arg(file));
        engine.sslConfiguration.addCaCertificates(certificates);
    }

    options.autoAck = parser.isSet(autoAckOption);
    return result;
}

} // namespace Roomcast::Cli
