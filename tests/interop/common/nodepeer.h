// A real Node peer for interop tests: runs one of the scripts in tests/interop/node with the
// socket.io packages from the committed lockfile, on a free loopback port, and talks to it
// in JSON lines (commands on its stdin, observations on its stdout).
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

#include <functional>

class NodePeer : public QObject
{
    Q_OBJECT

public:
    //! `script` is a file name in tests/interop/node.
    explicit NodePeer(const QString &script, QObject *parent = nullptr);
    ~NodePeer() override;

    //! Starts the script (with `--port 0` unless `args` name a port) and waits until it prints
    //! {"event":"listening","port":N}. Returns false, with errorString(), if it does not.
    bool start(const QStringList &args = {}, int timeoutMs = 20000);
    //! Starts a script that listens on nothing (a client) and waits until it prints
    //! {"event":"ready"}.
    bool startClient(const QStringList &args = {}, int timeoutMs = 20000);
    //! Kills the process at once (SIGKILL), as a crash would.
    void kill();
    //! Starts the script again on the same port with the same arguments.
    bool restart(int timeoutMs = 20000);

    quint16 port() const { return m_port; }
    QUrl url(const QString &scheme = QStringLiteral("http")) const;
    QString errorString() const { return m_error; }

    //! Sends one command line (a JSON object) to the script's stdin.
    void send(const QJsonObject &command);

    //! Every JSON line the script printed since start(), oldest first.
    const QList<QJsonObject> &messages() const { return m_messages; }
    //! Waits (running the event loop) until a message for which `match` holds has arrived, and
    //! returns it; an empty object after `timeoutMs`.
    QJsonObject waitForMessage(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 10000);
    //! Shorthand: waits for a message whose "event" is `event`.
    QJsonObject waitForEvent(const QString &event, int timeoutMs = 10000);
    //! Forgets the messages received so far.
    void clearMessages() { m_messages.clear(); }

    //! The directory of the Node scripts and their node_modules.
    static QString nodeDirectory();

Q_SIGNALS:
    void messageReceived(const QJsonObject &message);

private:
    bool launch(const QStringList &args, int timeoutMs);
    void readOutput();

    QString m_script;
    QStringList m_args;
    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_messages;
    quint16 m_port = 0;
    QString m_error;
};
