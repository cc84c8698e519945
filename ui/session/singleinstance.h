// One Roomcast window per user: the first instance listens on a local socket, and a second
// one (started by a click on a roomcast:// link) hands its arguments over and exits.
//
//     SingleInstance instance;
//     if (instance.sendToRunning(arguments))
//         return 0;                 // the running instance has them
//     instance.listen();            // we are the first; failure is not fatal (see errorString())
//     connect(&instance, &SingleInstance::messageReceived, &window, &MainWindow::open);
//
// The wire is one frame per connection: the magic "RCI1", a quint32 payload length, then each
// argument as a quint32 length and its UTF-8 bytes (lengths big-endian); the running instance
// answers the byte 0x01 once it accepted the frame. A frame over MaxMessageBytes, one that
// does not decode exactly, and a connection that sends nothing for DefaultTimeoutMs are dropped
// unanswered. On Unix the socket lives in the user's private runtime directory (mode 0700),
// where no other user can reach it or create it first; on Windows the pipe is opened to the
// user only (QLocalServer::UserAccessOption).
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

namespace Roomcast::Ui {

class SingleInstance : public QObject
{
    Q_OBJECT

public:
    //! The largest frame accepted, length field excluded.
    static constexpr quint32 MaxMessageBytes = 64 * 1024;
    //! How long sendToRunning() waits for the running instance by default, and how long the
    //! running instance waits for a connection's frame.
    static constexpr int DefaultTimeoutMs = 3000;

    //! @p serverName is the local socket's name (a path on Unix, a pipe name on Windows);
    //! tests pass their own.
    explicit SingleInstance(const QString &serverName = defaultServerName(), QObject *parent = nullptr);
    ~SingleInstance() override;

    //! "roomcast-" and a hash of the user name; on Unix in the user's runtime directory
    //! (XDG_RUNTIME_DIR).
    static QString defaultServerName();
    QString serverName() const;

    //! Hands @p arguments to the instance listening on serverName(). True once it acknowledged
    //! them; false when nobody listens (or only a stale socket file is left), or no answer came
    //! within @p timeoutMs. Runs a local event loop while it waits, so that the running instance
    //! may live in the same process (as in the tests).
    bool sendToRunning(const QStringList &arguments, int timeoutMs = DefaultTimeoutMs);

    //! Becomes the running instance. A socket file left by a crashed instance (nobody answers
    //! on it) is removed first. False, with errorString(), when another instance is running or
    //! the socket cannot be opened.
    bool listen();
    bool isListening() const;
    //! Why listen() failed, translated.
    QString errorString() const;

Q_SIGNALS:
    //! A second instance handed over its arguments.
    void messageReceived(const QStringList &arguments);

private:
    void acceptConnections();
    void readFrame(QLocalSocket *socket);

    QString m_serverName;
    QLocalServer *m_server = nullptr;
    QString m_error;
};

} // namespace Roomcast::Ui
