#include "clisession.h"

#include "logging.h"

#include "engineio/client.h"
#include "socketio/json.h"
#include "socketio/packet.h"

#include <QFileDevice>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QTimer>

Q_LOGGING_CATEGORY(lcCli, "roomcast.cli", QtWarningMsg)

namespace Roomcast::Cli {

using SocketIO::Acknowledger;
using SocketIO::AckResult;
using SocketIO::Socket;

namespace {

//! How long the connection may take to flush and close when the session ends.
constexpr int CloseTimeoutMs = 3000;
//! Emits a namespace may hold while it connects before the input pauses.
constexpr int PauseInputAt = 1000;

const QString EmitKey = QStringLiteral("emit");
const QString ConnectKey = QStringLiteral("connect");
const QString DisconnectKey = QStringLiteral("disconnect");
const QString AnswerKey = QStringLiteral("ack_id");
const QString ArgsKey = QStringLiteral("args");
const QString AckKey = QStringLiteral("ack");
const QString IdKey = QStringLiteral("id");
const QString AuthKey = QStringLiteral("auth");
const QString NspKey = QStringLiteral("nsp");

Field type(const char *name)
{
    return {QStringLiteral("type"), QString::fromLatin1(name)};
}

Field field(const char *name, const QVariant &value)
{
    return {QString::fromLatin1(name), value};
}

//! A JSON array of arguments as Socket.IO arguments, with $binary objects decoded.
std::optional<QVariantList> toArgs(const QJsonValue &json, QString *error)
{
    if (json.isUndefined())
        return QVariantList();
    if (!json.isArray()) {
        *error = CliSession::tr("\"args\" must be an array");
        return std::nullopt;
    }
    const std::optional<QVariant> variant = SocketIO::Json::toVariant(json, nullptr, error);
    if (!variant)
        return std::nullopt;
    const std::optional<QVariant> decoded = decodeBinary(*variant, error);
    if (!decoded)
        return std::nullopt;
    return decoded->toList();
}

} // namespace

CliSession::CliSession(const CliOptions &options, QIODevice *output, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_output(output)
    , m_manager(new SocketIO::Manager(options.url, options.manager, this))
{
    connect(m_manager, &SocketIO::Manager::opened, this, [this] {
        m_open = true;
        m_engine = m_manager->engine();
        m_failure.clear();
        m_lastError.clear();
    });
    connect(m_manager, &SocketIO::Manager::errorOccurred, this, [this](const QString &message) {
        qCDebug(lcCli) << "connection error:" << message;
        m_lastError = message;
        if (!m_open)
            onConnectionFailed(tr("Cannot connect to %1: %2").arg(m_options.url.toDisplayString(), message));
    });
    connect(m_manager, &SocketIO::Manager::closed, this, [this](const QString &reason) {
        qCDebug(lcCli) << "connection closed:" << reason;
        m_open = false;
        // A "forced close" is ours: the last namespace was left, or the session is ending.
        if (reason != QLatin1String("forced close")) {
            const QString why = m_lastError.isEmpty() ? reason : m_lastError;
            onConnectionFailed(tr("The connection to %1 was lost: %2").arg(m_options.url.toDisplayString(), why));
        }
    });
    connect(m_manager, &SocketIO::Manager::reconnecting, this, [this](int attempt, int delayMs) {
        write({type("reconnecting"), field("attempt", attempt), field("delay_ms", delayMs)});
    });
    connect(m_manager, &SocketIO::Manager::reconnectFailed, this, [this] {
        m_reconnectFailed = true;
        scheduleCheck();
    });
}

CliSession::~CliSession() = default;

void CliSession::start()
{
    open(m_options.nsp, m_options.auth);
}

void CliSession::processLine(const QByteArray &line)
{
    ++m_lineNumber;
    if (m_finishing) {
        qCDebug(lcCli) << "ignoring input line" << m_lineNumber << "after the end of the session";
        return;
    }
    if (line.trimmed().isEmpty())
        return;
    QString error;
    if (!execute(line, &error))
        reportError(error, m_lineNumber);
}

void CliSession::endInput()
{
    qCDebug(lcCli) << "end of input after" << m_lineNumber << "lines";
    m_inputEnded = true;
    scheduleCheck();
}

bool CliSession::execute(const QByteArray &text, QString *error)
{
    QString parseError;
    const std::optional<QJsonValue> json = SocketIO::Json::parse(text, &parseError);
    if (!json) {
        *error = tr("Invalid JSON: %1").arg(parseError);
        return false;
    }
    if (!json->isObject()) {
        *error = tr("Expected a JSON object");
        return false;
    }
    const QJsonObject line = json->toObject();

    QString command;
    for (const QString &key : {EmitKey, ConnectKey, DisconnectKey, AnswerKey}) {
        if (!line.contains(key))
            continue;
        if (!command.isEmpty()) {
            *error = tr("A line holds one command, not both \"%1\" and \"%2\"").arg(command, key);
            return false;
        }
        command = key;
    }
    if (command.isEmpty()) {
        *error = tr("Expected \"emit\", \"connect\", \"disconnect\" or \"ack_id\"");
        return false;
    }

    QStringList allowed{command, NspKey};
    if (command == EmitKey)
        allowed << ArgsKey << AckKey << IdKey;
    else if (command == ConnectKey)
        allowed << AuthKey;
    else if (command == AnswerKey)
        allowed << ArgsKey;
    for (auto it = line.begin(); it != line.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = tr("Unknown key \"%1\" in a \"%2\" line").arg(it.key(), command);
            return false;
        }
    }

    QString nsp = m_options.nsp;
    if (line.contains(NspKey)) {
        const QJsonValue value = line.value(NspKey);
        if (!value.isString() || !SocketIO::isValidNamespace(value.toString())) {
            *error = tr("\"nsp\" must be a namespace such as \"/chat\"");
            return false;
        }
        nsp = value.toString();
    }

    if (command == EmitKey)
        return executeEmit(line, nsp, error);
    if (command == ConnectKey)
        return executeConnect(line, nsp, error);
    if (command == DisconnectKey)
        return executeDisconnect(line, nsp, error);
    return executeAnswer(line, error);
}

bool CliSession::executeEmit(const QJsonObject &line, const QString &nsp, QString *error)
{
    const QJsonValue eventValue = line.value(EmitKey);
    const QString event = eventValue.toString();
    if (!eventValue.isString() || event.isEmpty()) {
        *error = tr("\"emit\" must be a non-empty event name");
        return false;
    }
    if (SocketIO::isReservedEventName(event)) {
        *error = tr("\"%1\" is a reserved event name").arg(event);
        return false;
    }
    const QJsonValue ackValue = line.value(AckKey);
    if (!ackValue.isUndefined() && !ackValue.isBool()) {
        *error = tr("\"ack\" must be true or false");
        return false;
    }
    const std::optional<QVariantList> args = toArgs(line.value(ArgsKey), error);
    if (!args)
        return false;

    Socket *socket = socketFor(nsp);
    if (!socket->isActive())
        open(nsp, m_options.auth);

    if (ackValue.toBool()) {
        const quint64 key = m_nextAck++;
        PendingAck pending;
        pending.nsp = nsp;
        pending.event = event;
        if (line.contains(IdKey))
            pending.id = SocketIO::Json::toVariant(line.value(IdKey)).value_or(QVariant());
        pending.sent = socket->isConnected();
        m_acks.insert(key, pending);
        if (!pending.sent)
            ++m_namespaces[nsp].unsentEmits;
        socket->emitWithAck(
            event, *args, this, [this, key](const AckResult &result) { finishAck(key, result); }, m_options.ackTimeout);
        updateInputPaused();
        return true;
    }

    const bool connected = socket->isConnected();
    if (!socket->emitEvent(event, *args)) {
        *error = tr("Dropped \"%1\": too many emits are waiting for the connection").arg(event);
        return false;
    }
    if (!connected)
        ++m_namespaces[nsp].unsentEmits;
    updateInputPaused();
    return true;
}

bool CliSession::executeConnect(const QJsonObject &line, const QString &nsp, QString *error)
{
    QString target = nsp;
    const QJsonValue value = line.value(ConnectKey);
    if (value.isString()) {
        target = value.toString();
        if (!SocketIO::isValidNamespace(target)) {
            *error = tr("\"connect\" must be a namespace such as \"/chat\"");
            return false;
        }
        if (line.contains(NspKey) && target != nsp) {
            *error = tr("\"connect\" and \"nsp\" name different namespaces");
            return false;
        }
    } else if (value != QJsonValue(true)) {
        *error = tr("\"connect\" must be a namespace such as \"/chat\"");
        return false;
    }

    QVariantMap auth = m_options.auth;
    if (line.contains(AuthKey)) {
        const QJsonValue authValue = line.value(AuthKey);
        if (!authValue.isObject()) {
            *error = tr("\"auth\" must be a JSON object");
            return false;
        }
        auth = SocketIO::Json::toVariant(authValue).value_or(QVariant()).toMap();
    }
    open(target, auth);
    return true;
}

bool CliSession::executeDisconnect(const QJsonObject &line, const QString &nsp, QString *error)
{
    if (line.value(DisconnectKey) != QJsonValue(true)) {
        *error = tr("\"disconnect\" must be true");
        return false;
    }
    Socket *socket = m_namespaces.value(nsp).socket;
    if (!socket || !socket->isActive()) {
        *error = tr("Namespace %1 is not open").arg(nsp);
        return false;
    }
    socket->disconnectFromNamespace();
    // Connected, it reported its disconnection; still connecting, it just gave up.
    failAcks(nsp, true);
    m_namespaces[nsp].unsentEmits = 0;
    updateInputPaused();
    scheduleCheck();
    return true;
}

bool CliSession::executeAnswer(const QJsonObject &line, QString *error)
{
    const QJsonValue idValue = line.value(AnswerKey);
    const qint64 id = idValue.toInteger(-1);
    if (!idValue.isDouble() || double(id) != idValue.toDouble() || !m_serverAcks.contains(id)) {
        *error = tr("No acknowledgement request %1 is waiting for an answer")
                     .arg(QString::fromUtf8(SocketIO::Json::serialize(idValue.toVariant())));
        return false;
    }
    const std::optional<QVariantList> args = toArgs(line.value(ArgsKey), error);
    if (!args)
        return false;
    const Acknowledger ack = m_serverAcks.take(id);
    ack(*args);
    return true;
}

Socket *CliSession::socketFor(const QString &nsp)
{
    Namespace &entry = m_namespaces[nsp];
    if (entry.socket)
        return entry.socket;
    Socket *socket = m_manager->socket(nsp);
    entry.socket = socket;
    connect(socket, &Socket::connected, this, [this, nsp] { onConnected(nsp); });
    connect(socket, &Socket::connectError, this,
            [this, nsp](const QString &message, const QVariant &data) { onConnectError(nsp, message, data); });
    connect(socket, &Socket::disconnected, this, [this, nsp](const QString &reason) { onDisconnected(nsp, reason); });
    socket->onAny(this, [this, nsp](const QString &event, const QVariantList &args, const Acknowledger &ack) {
        onEvent(nsp, event, args, ack);
    });
    return socket;
}

void CliSession::open(const QString &nsp, const QVariantMap &auth)
{
    Socket *socket = socketFor(nsp);
    socket->setAuth(auth);
    if (socket->isActive())
        return; // connected or connecting: the auth goes with the next CONNECT
    qCDebug(lcCli) << "opening namespace" << nsp;
    m_namespaces[nsp].settled = false;
    socket->connectToNamespace();
}

void CliSession::onConnected(const QString &nsp)
{
    Namespace &entry = m_namespaces[nsp];
    entry.settled = true;
    entry.unsentEmits = 0; // the Socket sent its buffer before announcing the connection
    for (PendingAck &pending : m_acks)
        if (pending.nsp == nsp)
            pending.sent = true;
    write({type("connect"), field("nsp", nsp), field("sid", entry.socket ? entry.socket->id() : QString())});
    updateInputPaused();
    scheduleCheck();
}

void CliSession::onConnectError(const QString &nsp, const QString &message, const QVariant &data)
{
    Namespace &entry = m_namespaces[nsp];
    entry.settled = true;
    write({type("connect_error"), field("nsp", nsp), field("message", message),
           field("data", data.isValid() ? data : SocketIO::Json::null())});
    if (entry.socket && !entry.socket->isActive()) {
        // Refused by the server: nothing buffered for it will be sent.
        failAcks(nsp, true);
        m_namespaces[nsp].unsentEmits = 0;
        updateInputPaused();
    }
    scheduleCheck();
}

void CliSession::onDisconnected(const QString &nsp, const QString &reason)
{
    const Socket *socket = m_namespaces.value(nsp).socket;
    const bool over = !socket || !socket->isActive();
    // An answer to what was sent cannot come any more; what is still buffered goes out after
    // the reconnection, unless the namespace is over.
    failAcks(nsp, over);
    if (over) {
        m_namespaces[nsp].unsentEmits = 0;
        updateInputPaused();
    }
    write({type("disconnect"), field("nsp", nsp), field("reason", reason)});
    scheduleCheck();
}

void CliSession::onEvent(const QString &nsp, const QString &event, const QVariantList &args, const Acknowledger &ack)
{
    QList<Field> fields{type("event"), field("nsp", nsp), field("event", event), field("args", args)};
    if (ack.isRequested() && !m_options.autoAck) {
        const qint64 id = m_nextServerAck++;
        m_serverAcks.insert(id, ack);
        fields.append(field("ack_id", id));
    }
    write(fields);
    if (ack.isRequested() && m_options.autoAck)
        ack();
}

void CliSession::onConnectionFailed(const QString &message)
{
    qCDebug(lcCli) << message;
    m_failure = message;
    scheduleCheck();
}

void CliSession::finishAck(quint64 key, const AckResult &result, const QString &reason)
{
    const auto it = m_acks.constFind(key);
    if (it == m_acks.cend())
        return; // reported already
    const PendingAck pending = *it;
    m_acks.erase(it);

    QList<Field> fields;
    if (result.isAcknowledged()) {
        fields = {type("ack"), field("nsp", pending.nsp), field("event", pending.event), field("args", result.args)};
    } else {
        QString why = reason;
        if (why.isEmpty()) {
            switch (result.status) {
            case AckResult::Status::Acknowledged:
            case AckResult::Status::TimedOut: why = QStringLiteral("timeout"); break;
            case AckResult::Status::Disconnected: why = QStringLiteral("disconnect"); break;
            case AckResult::Status::Dropped: why = QStringLiteral("dropped"); break;
            }
        }
        fields = {type("ack_timeout"), field("nsp", pending.nsp), field("event", pending.event), field("reason", why)};
    }
    if (pending.id.isValid())
        fields.append(field("id", pending.id));
    write(fields);
    scheduleCheck();
}

void CliSession::failAcks(const QString &nsp, bool includeUnsent)
{
    QList<quint64> keys;
    for (auto it = m_acks.cbegin(); it != m_acks.cend(); ++it)
        if ((nsp.isEmpty() || it->nsp == nsp) && (it->sent || includeUnsent))
            keys.append(it.key());
    std::sort(keys.begin(), keys.end());
    for (quint64 key : std::as_const(keys)) {
        const bool sent = m_acks.value(key).sent;
        finishAck(key, AckResult{AckResult::Status::Disconnected, {}},
                  sent ? QStringLiteral("disconnect") : QStringLiteral("dropped"));
    }
}

void CliSession::write(const QList<Field> &fields)
{
    m_output->write(line(fields));
    if (auto *file = qobject_cast<QFileDevice *>(m_output))
        file->flush();
}

void CliSession::reportError(const QString &message, qint64 lineNumber)
{
    QList<Field> fields{type("error"), field("message", message)};
    if (lineNumber > 0)
        fields.append(field("line", lineNumber));
    write(fields);
}

void CliSession::updateInputPaused()
{
    bool paused = false;
    for (const Namespace &entry : std::as_const(m_namespaces))
        if (entry.socket && entry.socket->isActive() && !entry.socket->isConnected() && entry.unsentEmits >= PauseInputAt)
            paused = true;
    if (paused == m_inputPaused)
        return;
    qCDebug(lcCli) << (paused ? "pausing the input until the connection is up" : "resuming the input");
    m_inputPaused = paused;
    Q_EMIT inputPausedChanged(paused);
}

void CliSession::scheduleCheck()
{
    if (m_checkScheduled || m_finishing)
        return;
    m_checkScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_checkScheduled = false;
        check();
    });
}

void CliSession::check()
{
    if (m_finishing)
        return;

    const bool retrying = m_manager->isReconnecting() || m_manager->state() != SocketIO::Manager::State::Closed;
    const bool willRetry = m_options.manager.reconnection && !m_reconnectFailed;
    if (!m_failure.isEmpty() && !retrying && !willRetry) {
        failAcks(QString(), true);
        reportError(m_failure);
        shutDown(1);
        return;
    }

    if (!m_inputEnded || !m_acks.isEmpty())
        return;
    for (const Namespace &entry : std::as_const(m_namespaces)) {
        const Socket *socket = entry.socket;
        if (socket && socket->isActive() && !socket->isConnected() && (entry.unsentEmits > 0 || !entry.settled))
            return; // its emits (or its first connection attempt) are still to come
    }
    shutDown(0);
}

void CliSession::shutDown(int exitCode)
{
    m_finishing = true;
    // The engine still closing after the Manager let it go (its last namespace was refused or
    // left) is waited for as well, so that its close reaches the server before the program ends.
    QPointer<EngineIO::Client> engine = m_manager->engine() ? m_manager->engine() : m_engine.data();
    if (engine) {
        connect(engine, &EngineIO::Client::closed, this, [this, exitCode] { done(exitCode); });
        connect(engine, &QObject::destroyed, this, [this, exitCode] { done(exitCode); });
    }
    for (const Namespace &entry : std::as_const(m_namespaces))
        if (entry.socket && entry.socket->isActive())
            entry.socket->disconnectFromNamespace();
    m_manager->close();
    if (!engine || engine->state() == EngineIO::Client::State::Closed) {
        done(exitCode);
        return;
    }
    QTimer::singleShot(CloseTimeoutMs, this, [this, exitCode] {
        qCWarning(lcCli) << "the connection did not close within" << CloseTimeoutMs << "ms";
        done(exitCode);
    });
}

void CliSession::done(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    QMetaObject::invokeMethod(this, [this, exitCode] { Q_EMIT finished(exitCode); }, Qt::QueuedConnection);
}

} // namespace Roomcast::Cli
