// A loopback TCP proxy for fault tests: every connection made to it is relayed to the target
// port, and the test can cut the links, stall them (nothing more is read or forwarded, either
// way, as when Wi-Fi goes), black-hole what the server sends, slow them down (latency and a
// bandwidth cap), or stop accepting new connections for a while.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <deque>

class QTcpSocket;

class FaultyProxy : public QObject
{
    Q_OBJECT

public:
    explicit FaultyProxy(quint16 targetPort, QObject *parent = nullptr);
    ~FaultyProxy() override;

    //! Listens on 127.0.0.1; port 0 picks a free one.
    bool listen(quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const;

    //! Resets every link open now (both ends see a reset).
    void cut();
    //! The links open now forward nothing more, either way, and do not pass a close on: their
    //! bytes stay unread in the kernel. Links made later are normal.
    void stall();
    //! The links open now drop what the server sends (the client's bytes still go through).
    void blackholeDownstream();
    //! Every link, now and later: each chunk is held `latencyMs`, and at most `bytesPerSecond`
    //! go each way. 0 and 0: at full speed again.
    void setSlow(int latencyMs, qint64 bytesPerSecond);
    //! Refuses new connections (they are reset at once) until accepting again.
    void setAccepting(bool accepting) { m_accepting = accepting; }

    //! Connections accepted so far, and links still open.
    int accepted() const { return m_accepted; }
    int openLinks() const;

private:
    struct Pipe
    {
        QTcpSocket *from = nullptr;
        QTcpSocket *to = nullptr;
        std::deque<std::pair<qint64, QByteArray>> queue; //!< (due time, bytes), when slow
        bool blackhole = false;
    };
    struct Link : QObject
    {
        QTcpSocket *client = nullptr;
        QTcpSocket *server = nullptr;
        Pipe up;   // client → server
        Pipe down; // server → client
        bool stalled = false;
        bool closing = false;
    };

    void onNewConnection();
    void relay(Link *link, Pipe &pipe);
    void flush(Link *link, Pipe &pipe);
    void onEndClosed(Link *link);
    void tick();
    bool isSlow() const { return m_latencyMs > 0 || m_bytesPerSecond > 0; }
    static void reset(QTcpSocket *socket);

    const quint16 m_targetPort;
    QTcpServer m_server;
    QList<QPointer<Link>> m_links;
    QTimer m_ticker;
    QElapsedTimer m_clock;
    int m_latencyMs = 0;
    qint64 m_bytesPerSecond = 0;
    bool m_accepting = true;
    int m_accepted = 0;
};
