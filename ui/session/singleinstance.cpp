#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QTimer>
#include <QtEndian>

#include <optional>

Q_LOGGING_CATEGORY(lcSingleInstance, "roomcast.ui.singleinstance", QtInfoMsg)

namespace Roomcast::Ui {

namespace {

constexpr char Magic[] = "RCI1";
constexpr qsizetype MagicSize = 4;
constexpr qsizetype HeaderSize = MagicSize + 4;
constexpr char Ack = '\x01';
//! How long listen() waits for an instance that may be running to answer.
constexpr int ProbeTimeoutMs = 1000;

void appendLength(QByteArray &bytes, quint32 length)
{
    const quint32 bigEndian = qToBigEndian(length);
    bytes.append(reinterpret_cast<const char *>(&bigEndian), sizeof bigEndian);
}

quint32 readLength(const char *data)
{
    return qFromBigEndian<quint32>(data);
}

std::optional<QByteArray> encodeFrame(const QStringList &arguments)
{
    QByteArray payload;
    for (const QString &argument : arguments) {
        const QByteArray utf8 = argument.toUtf8();
        appendLength(payload, quint32(utf8.size()));
        payload += utf8;
        if (payload.size() > qsizetype(SingleInstance::MaxMessageBytes))
            return std::nullopt;
    }
    QByteArray frame(Magic, MagicSize);
    appendLength(frame, quint32(payload.size()));
    return frame + payload;
}

std::optional<QStringList> decodePayload(QByteArrayView payload)
{
    QStringList arguments;
    qsizetype at = 0;
    while (at < payload.size()) {
        if (payload.size() - at < 4)
            return std::nullopt;
        const quint32 length = readLength(payload.data() + at);
        at += 4;
        if (length > quint32(payload.size() - at))
            return std::nullopt;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString argument = decoder.decode(payload.sliced(at, length));
        if (decoder.hasError())
            return std::nullopt;
        arguments.append(argument);
        at += length;
    }
    return arguments;
}

//! Whether an instance answers on @p name.
bool isAnswering(const QString &name)
{
    QLocalSocket probe;
    probe.connectToServer(name);
    const bool answered = probe.waitForConnected(ProbeTimeoutMs);
    probe.abort();
    return answered;
}

} // namespace

SingleInstance::SingleInstance(const QString &serverName, QObject *parent)
    : QObject(parent)
    , m_serverName(serverName)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultServerName()
{
#ifdef Q_OS_WIN
    const QString user = qEnvironmentVariable("USERNAME");
#else
    const QString user = qEnvironmentVariable("USER");
#endif
    const QString name = QStringLiteral("roomcast-")
                         + QString::fromLatin1(
                             QCryptographicHash::hash(user.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
#ifdef Q_OS_UNIX
    // The runtime directory is the user's alone (0700; Qt makes one if XDG_RUNTIME_DIR is unset).
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtime.isEmpty())
        return QDir(runtime).filePath(name);
#endif
    return name;
}

QString SingleInstance::serverName() const
{
    return m_serverName;
}

bool SingleInstance::sendToRunning(const QStringList &arguments, int timeoutMs)
{
    const std::optional<QByteArray> frame = encodeFrame(arguments);
    if (!frame) {
        qCWarning(lcSingleInstance) << "arguments too large to hand over:" << arguments.size() << "arguments";
        return false;
    }

    QLocalSocket socket;
    QEventLoop loop;
    bool done = false;
    bool delivered = false;
    const auto finish = [&](bool ok) {
        if (done)
            return;
        done = true;
        delivered = ok;
        loop.quit();
    };
    const auto readAck = [&] {
        if (socket.bytesAvailable() > 0) {
            char answer = 0;
            finish(socket.getChar(&answer) && answer == Ack);
        }
    };
    connect(&socket, &QLocalSocket::connected, &loop, [&] { socket.write(*frame); });
    connect(&socket, &QLocalSocket::readyRead, &loop, readAck);
    connect(&socket, &QLocalSocket::disconnected, &loop, [&] {
        readAck();
        finish(false);
    });
    connect(&socket, &QLocalSocket::errorOccurred, &loop, [&](QLocalSocket::LocalSocketError error) {
        // The server closing after its answer is no failure: the answer is read first.
        if (error == QLocalSocket::PeerClosedError)
            readAck();
        finish(false);
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, [&] { finish(false); });

    timeout.start(timeoutMs);
    socket.connectToServer(m_serverName); // may fail (or even connect) before it returns
    if (!done)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    socket.abort();
    return delivered;
}

bool SingleInstance::listen()
{
    if (isListening())
        return true;
    m_error.clear();
    if (isAnswering(m_serverName)) {
        m_error = tr("Roomcast is already running.");
        return false;
    }

    auto *server = new QLocalServer(this);
#ifdef Q_OS_WIN
    // On Unix the socket's directory restricts it to the user: there the option would bind
    // elsewhere and rename over the name, replacing a running instance's socket.
    server->setSocketOptions(QLocalServer::UserAccessOption);
#endif
    bool listening = server->listen(m_serverName);
    if (!listening && server->serverError() == QAbstractSocket::AddressInUseError) {
        // Nobody answered: a socket file left by an instance that crashed.
        qCInfo(lcSingleInstance) << "removing a stale socket:" << m_serverName;
        QLocalServer::removeServer(m_serverName);
        listening = server->listen(m_serverName);
    }
    if (!listening) {
        m_error = tr("Could not open the channel other Roomcast windows use to reach this one: %1")
                      .arg(server->errorString());
        delete server;
        return false;
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
    return true;
}

bool SingleInstance::isListening() const
{
    return m_server && m_server->isListening();
}

QString SingleInstance::errorString() const
{
    return m_error;
}

void SingleInstance::acceptConnections()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readFrame(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        auto *stall = new QTimer(socket);
        stall->setSingleShot(true);
        connect(stall, &QTimer::timeout, socket, [socket] {
            qCInfo(lcSingleInstance) << "dropping a connection that sent no complete message";
            socket->abort();
            socket->deleteLater();
        });
        stall->start(DefaultTimeoutMs);
        readFrame(socket);
    }
}

void SingleInstance::readFrame(QLocalSocket *socket)
{
    const auto drop = [socket](const char *why) {
        qCInfo(lcSingleInstance) << "dropping a message:" << why;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    };
    if (socket->bytesAvailable() < HeaderSize)
        return;
    const QByteArray header = socket->peek(HeaderSize);
    if (!header.startsWith(QByteArrayView(Magic, MagicSize)))
        return drop("not a Roomcast message");
    const quint32 length = readLength(header.constData() + MagicSize);
    if (length > MaxMessageBytes)
        return drop("too large");
    if (socket->bytesAvailable() < HeaderSize + qint64(length))
        return;
    socket->skip(HeaderSize);
    const std::optional<QStringList> arguments = decodePayload(socket->read(length));
    if (!arguments || socket->bytesAvailable() > 0)
        return drop("malformed");

    socket->disconnect(this); // one message per connection
    delete socket->findChild<QTimer *>();
    socket->write(&Ack, 1);
    socket->flush();
    socket->disconnectFromServer();
    Q_EMIT messageReceived(*arguments);
}

} // namespace Roomcast::Ui
