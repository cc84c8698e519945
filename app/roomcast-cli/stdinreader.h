// Reads lines from a file descriptor (stdin) without blocking the event loop: a
// QSocketNotifier for pipes, terminals and sockets, chunked reads from the event loop for
// regular files (which are always readable, and for which no notifier is needed).
#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace Roomcast::Cli {

class StdinReader : public QObject
{
    Q_OBJECT

public:
    explicit StdinReader(int fd = 0, QObject *parent = nullptr);
    ~StdinReader() override;

    //! Starts reading; lineRead() and finally finished() follow, from the event loop.
    void start();
    bool isFinished() const { return m_finished; }
    //! Stops reading (the writer of a pipe then blocks) until called with false.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

Q_SIGNALS:
    //! One line, without its "\n" (or "\r\n"). A last line without a newline counts.
    void lineRead(const QByteArray &line);
    //! The end of the input (or a read error, which is logged).
    void finished();

private:
    //! Reads what is there; returns false at the end of the input.
    bool readChunk();
    //! Reads the next chunk of a regular file on the next event-loop turn.
    void scheduleFileRead();
    void readRegularFile();
    void finish();

    int m_fd;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_regularFile = false;
    bool m_fileReadScheduled = false;
    bool m_paused = false;
    bool m_finished = false;
};

} // namespace Roomcast::Cli
