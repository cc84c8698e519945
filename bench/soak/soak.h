// The soak: a roomcast-server process and many ChatClients in this one, chatting in rooms and
// reconnecting at random for a given time. It samples the server's resident memory and open
// file descriptors, and at the end compares the messages acknowledged with the history the
// server stored. It prints figures; its exit code says whether nothing was lost or doubled and
// the memory held still after the warm-up (see Soak::Verdict).
#pragma once

#include "chat/chatclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <vector>

struct SoakOptions
{
    QString serverPath;
    double minutes = 30;
    int clients = 1000;
    int rooms = 20;
    int messageEveryMs = 30000;    //!< per client, on average
    int reconnectEveryMs = 600000; //!< per client, on average
    int sampleEveryMs = 10000;
    //! -1: a third of the run, at most 10 minutes. The server's memory grows at first while
    //! SQLite's page cache (2 MB) fills: about 12,000 messages.
    double warmupMinutes = -1;
    int connectsPerSecond = 100;   //!< the ramp at the start
    double pollingShare = 0.1;     //!< of the clients, over long-polling
    double maxGrowth = 0.05;       //!< RSS growth after the warm-up that still passes
};

class Soak : public QObject
{
    Q_OBJECT

public:
    explicit Soak(const SoakOptions &options, QObject *parent = nullptr);
    ~Soak() override;

    //! Starts the server and the clients; finished() follows, with the exit code.
    bool start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Client
    {
        std::unique_ptr<Roomcast::Chat::ChatClient> chat;
        QString room;
        int inFlight = 0;
        bool away = false; //!< disconnected on purpose, coming back
        int sent = 0;
    };
    struct Sample
    {
        qint64 atMs;
        qint64 rssKb;
        qint64 heapKb; //!< the extent of malloc's main arena
        int fds;
        int connected;
    };

    void connectNext();
    void connectClient(int index);
    void act();
    void sendMessage(int index);
    void reconnect(int index);
    void sample();
    void stopChatting();
    void verify();
    void fetchHistory(const QString &room, qint64 beforeId);
    void report();
    QString elapsed() const;

    const SoakOptions m_options;
    QTextStream m_out;
    QTemporaryDir m_data;
    QProcess m_server;
    QUrl m_url;
    QElapsedTimer m_clock;
    QRandomGenerator m_random;
    std::vector<Client> m_clients;
    int m_nextToConnect = 0;
    QTimer m_ramp;
    QTimer m_actions;
    QTimer m_sampler;
    QTimer m_end;
    bool m_chatting = false;

    // Figures.
    QList<Sample> m_samples;
    qint64 m_sent = 0;
    qint64 m_failed = 0;
    qint64 m_duplicates = 0;
    qint64 m_reconnects = 0;
    qint64 m_drops = 0;
    QHash<QString, int> m_failures; // reason → count
    QHash<QString, QSet<qint64>> m_acked; // room → message ids acknowledged
    QHash<QString, QSet<qint64>> m_stored; // room → message ids in the history
    QHash<QString, qint64> m_doubled; // room → history entries seen twice
    int m_roomsToVerify = 0;
};
