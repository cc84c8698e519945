#include "stdinreader.h"

#include "logging.h"

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace Roomcast::Cli {

namespace {

constexpr qsizetype ChunkSize = 64 * 1024;

} // namespace

StdinReader::StdinReader(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
{
}

StdinReader::~StdinReader() = default;

void StdinReader::start()
{
    struct stat info;
    if (::fstat(m_fd, &info) != 0) {
        qCDebug(lcCli) << "input descriptor" << m_fd << "is not open:" << std::strerror(errno);
        QTimer::singleShot(0, this, [this] { finish(); });
        return;
    }
    if (S_ISREG(info.st_mode)) {
        m_regularFile = true;
        scheduleFileRead();
        return;
    }
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        if (!readChunk())
            finish();
    });
}

void StdinReader::setPaused(bool paused)
{
    if (m_paused == paused || m_finished)
        return;
    m_paused = paused;
    if (m_notifier)
        m_notifier->setEnabled(!paused);
    else if (m_regularFile && !paused)
        scheduleFileRead();
}

void StdinReader::scheduleFileRead()
{
    if (m_fileReadScheduled)
        return;
    m_fileReadScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_fileReadScheduled = false;
        readRegularFile();
    });
}

void StdinReader::readRegularFile()
{
    if (m_paused || m_finished)
        return; // setPaused(false) starts again
    // One chunk per event-loop turn, so that the connection keeps being served.
    if (readChunk())
        scheduleFileRead();
    else
        finish();
}

bool StdinReader::readChunk()
{
    const qsizetype oldSize = m_buffer.size();
    m_buffer.resize(oldSize + ChunkSize);
    ssize_t count;
    do {
        count = ::read(m_fd, m_buffer.data() + oldSize, size_t(ChunkSize));
    } while (count < 0 && errno == EINTR);
    const int readError = errno;
    m_buffer.resize(oldSize + std::max<qsizetype>(count, 0));
    if (count < 0) {
        if (readError == EAGAIN || readError == EWOULDBLOCK)
            return true;
        qCWarning(lcCli) << "cannot read the input:" << std::strerror(readError);
        return false;
    }
    if (count == 0)
        return false;

    qsizetype start = 0;
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n', start)) >= 0) {
        QByteArray line = m_buffer.mid(start, newline - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = newline + 1;
        Q_EMIT lineRead(line);
    }
    m_buffer.remove(0, start);
    return true;
}

void StdinReader::finish()
{
    if (m_finished)
        return;
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (!m_buffer.isEmpty()) {
        QByteArray line = std::exchange(m_buffer, {});
        if (line.endsWith('\r'))
            line.chop(1);
        Q_EMIT lineRead(line);
    }
    m_finished = true;
    Q_EMIT finished();
}

} // namespace Roomcast::Cli
