#include "nodepeer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTest>

Q_LOGGING_CATEGORY(lcNodePeer, "roomcast.test.nodepeer", QtWarningMsg)

NodePeer::NodePeer(const QString &script, QObject *parent)
    : QObject(parent)
    , m_script(script)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setReadChannel(QProcess::StandardOutput);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &NodePeer::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray text = m_process.readAllStandardError();
        qCInfo(lcNodePeer).noquote() << m_script << "stderr:" << QString::fromUtf8(text).trimmed();
    });
}

NodePeer::~NodePeer()
{
    kill();
}

QString NodePeer::nodeDirectory()
{
    return QStringLiteral(ROOMCAST_NODE_DIR);
}

QUrl NodePeer::url(const QString &scheme) const
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

bool NodePeer::launch(const QStringList &args, int timeoutMs)
{
    const QString dir = nodeDirectory();
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/socket.io/package.json"))) {
        m_error = QStringLiteral("%1/node_modules is missing: run scripts/deps.sh (npm ci)").arg(dir);
        return false;
    }
    m_messages.clear();
    m_buffer.clear();
    m_port = 0;
    m_process.setWorkingDirectory(dir);
    m_process.start(QStringLiteral("node"), QStringList{dir + u'/' + m_script} + args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("node did not start: %1").arg(m_process.errorString());
        return false;
    }
    return true;
}

bool NodePeer::start(const QStringList &args, int timeoutMs)
{
    m_args = args;
    if (!m_args.contains(QStringLiteral("--port")))
        m_args << QStringLiteral("--port") << QStringLiteral("0");
    if (!launch(m_args, timeoutMs))
        return false;
    const QJsonObject listening = waitForEvent(QStringLiteral("listening"), timeoutMs);
    if (listening.isEmpty()) {
        m_error = QStringLiteral("%1 did not report listening (exit code %2): %3")
                      .arg(m_script)
                      .arg(m_process.exitCode())
                      .arg(QString::fromUtf8(m_process.readAllStandardError()));
        kill();
        return false;
    }
    m_port = quint16(listening.value(QLatin1String("port")).toInt());
    return m_port != 0;
}

bool NodePeer::startClient(const QStringList &args, int timeoutMs)
{
    m_args = args;
    if (!launch(m_args, timeoutMs))
        return false;
    if (waitForEvent(QStringLiteral("ready"), timeoutMs).isEmpty()) {
        m_error = QStringLiteral("%1 did not report ready: %2")
                      .arg(m_script, QString::fromUtf8(m_process.readAllStandardError()));
        kill();
        return false;
    }
    return true;
}

void NodePeer::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool NodePeer::restart(int timeoutMs)
{
    kill();
    QStringList args = m_args;
    const qsizetype portIndex = args.indexOf(QStringLiteral("--port"));
    args[portIndex + 1] = QString::number(m_port);
    return start(args, timeoutMs);
}

void NodePeer::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject NodePeer::waitForMessage(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    qsizetype checked = 0;
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (; checked < m_messages.size(); ++checked) {
                if (match(m_messages.at(checked))) {
                    found = m_messages.at(checked);
                    return true;
                }
            }
            return m_process.state() == QProcess::NotRunning && !m_process.bytesAvailable();
        },
        timeoutMs);
    return found;
}

QJsonObject NodePeer::waitForEvent(const QString &event, int timeoutMs)
{
    return waitForMessage([&](const QJsonObject &message) { return message.value(QLatin1String("event")) == event; },
                          timeoutMs);
}

void NodePeer::readOutput()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline).trimmed();
        m_buffer.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (!document.isObject()) {
            qCWarning(lcNodePeer).noquote() << m_script << "printed a line that is not a JSON object:" << line;
            continue;
        }
        m_messages.append(document.object());
        Q_EMIT messageReceived(m_messages.last());
    }
}
