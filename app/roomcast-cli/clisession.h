// One roomcast-cli run: executes the JSON-line commands it is given on a Socket.IO connection
// and writes what happens as JSON lines. The protocol is in `roomcast-cli --help` and in
// "Programs" of the design; this class knows nothing of stdin or the command line.
#pragma once

#include "clioptions.h"
#include "ndjson.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariant>

class QIODevice;
class QJsonObject;

namespace Roomcast::Cli {

class CliSession : public QObject
{
    Q_OBJECT

public:
    //! Writes its lines to `output`, flushing after each one when it is a QFileDevice.
    CliSession(const CliOptions &options, QIODevice *output, QObject *parent = nullptr);
    ~CliSession() override;

    //! Opens the namespace of the URL.
    void start();
    //! Executes one input line; a bad one is reported as an error line and skipped.
    void processLine(const QByteArray &line);
    //! The input is over: the session finishes once every emit has been handed to the
    //! connection and every acknowledgement has arrived or timed out.
    void endInput();

Q_SIGNALS:
    //! The session is over and the program should exit with `exitCode` (emitted from the
    //! event loop, never from within a call).
    void finished(int exitCode);
    //! Whether the input should pause: a namespace that is not connected holds so many emits
    //! that reading on would only pile up more (the offline buffer is not bounded, the input
    //! is).
    void inputPausedChanged(bool paused);

private:
    struct Namespace
    {
        QPointer<SocketIO::Socket> socket;
        //! Emits made while not connected (with or without an ack request): the Socket buffers
        //! them until it connects.
        int unsentEmits = 0;
        //! Whether the attempt that connectToNamespace() started has had its outcome.
        bool settled = false;
    };

    struct PendingAck
    {
        QString nsp;
        QString event;
        QVariant id; //!< the line's "id", echoed back
        bool sent = false;
    };

    bool execute(const QByteArray &text, QString *error);
    bool executeEmit(const QJsonObject &line, const QString &nsp, QString *error);
    bool executeConnect(const QJsonObject &line, const QString &nsp, QString *error);
    bool executeDisconnect(const QJsonObject &line, const QString &nsp, QString *error);
    bool executeAnswer(const QJsonObject &line, QString *error);

    //! The Socket of `nsp`, wired to this session on first use.
    SocketIO::Socket *socketFor(const QString &nsp);
    void open(const QString &nsp, const QVariantMap &auth);

    void onConnected(const QString &nsp);
    void onConnectError(const QString &nsp, const QString &message, const QVariant &data);
    void onDisconnected(const QString &nsp, const QString &reason);
    void onEvent(const QString &nsp, const QString &event, const QVariantList &args, const SocketIO::Acknowledger &ack);
    void onConnectionFailed(const QString &message);

    //! Reports the outcome of the ack request `key` (an ack line, or ack_timeout with `reason`).
    void finishAck(quint64 key, const SocketIO::AckResult &result, const QString &reason = {});
    //! Ends the ack requests of `nsp` (every namespace if empty) that can no longer be
    //! answered: the sent ones, and with `includeUnsent` those still buffered.
    void failAcks(const QString &nsp, bool includeUnsent);

    void write(const QList<Field> &fields);
    void reportError(const QString &message, qint64 lineNumber = 0);

    void updateInputPaused();
    //! Runs check() on the next event-loop turn (once however often it is asked).
    void scheduleCheck();
    //! Gives up on a connection that will not be retried, or finishes once the input is
    //! over and nothing is outstanding.
    void check();
    //! Leaves every namespace, lets the connection flush and close, then finishes.
    void shutDown(int exitCode);
    void done(int exitCode);

    CliOptions m_options;
    QIODevice *m_output;
    SocketIO::Manager *m_manager;
    //! The engine that opened last: the Manager's, or one that it let go of and that may still be closing.
    QPointer<EngineIO::Client> m_engine;
    QMap<QString, Namespace> m_namespaces;
    QHash<quint64, PendingAck> m_acks;
    quint64 m_nextAck = 0;
    QHash<qint64, SocketIO::Acknowledger> m_serverAcks;
    qint64 m_nextServerAck = 1;
    qint64 m_lineNumber = 0;
    //! Why the connection failed, while it has not been opened again.
    QString m_failure;
    QString m_lastError;
    bool m_open = false;
    bool m_reconnectFailed = false;
    bool m_inputEnded = false;
    bool m_inputPaused = false;
    bool m_checkScheduled = false;
    bool m_finishing = false;
    bool m_done = false;
};

} // namespace Roomcast::Cli
