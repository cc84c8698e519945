#include "soak.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>

using Roomcast::Chat::ChatClient;

namespace {

constexpr int ActEveryMs = 100;
constexpr int AckTimeoutMs = 120000; // a loaded machine answers late; a timeout would count as a loss
constexpr int DrainTimeoutMs = 180000;

//! VmRSS of `pid` in kB, or -1.
qint64 residentKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    // /proc files report a size of 0: read them whole rather than until atEnd().
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).simplified().split(' ').value(0).toLongLong();
    return -1;
}

//! The size (address space, not residence) of the `[heap]` mapping of `pid` in kB: how far
//! malloc's main arena ever grew. Resident memory converges towards it as the allocator reuses
//! freed chunks at new places; the heap itself only grows if live memory does.
qint64 heapExtentKb(qint64 pid)
{
    QFile maps(QStringLiteral("/proc/%1/smaps").arg(pid));
    if (!maps.open(QIODevice::ReadOnly))
        return -1;
    bool inHeap = false;
    for (const QByteArray &line : maps.readAll().split('\n')) {
        if (!line.isEmpty() && std::isxdigit(uchar(line.at(0))) && line.contains('-'))
            inHeap = line.endsWith("[heap]");
        else if (inHeap && line.startsWith("Size:"))
            return line.mid(5).simplified().split(' ').value(0).toLongLong();
    }
    return -1;
}

int openFds(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size());
}

} // namespace

Soak::Soak(const SoakOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(stdout)
    , m_random(QRandomGenerator::securelySeeded())
{
    m_ramp.setInterval(std::max(1, 1000 / std::max(1, options.connectsPerSecond)));
    connect(&m_ramp, &QTimer::timeout, this, &Soak::connectNext);
    m_actions.setInterval(ActEveryMs);
    connect(&m_actions, &QTimer::timeout, this, &Soak::act);
    m_sampler.setInterval(options.sampleEveryMs);
    connect(&m_sampler, &QTimer::timeout, this, &Soak::sample);
    m_end.setSingleShot(true);
    connect(&m_end, &QTimer::timeout, this, &Soak::stopChatting);
}

Soak::~Soak()
{
    m_clients.clear();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.terminate(); // the server closes every session, then quits
        if (!m_server.waitForFinished(30000))
            m_server.kill();
    }
}

QString Soak::elapsed() const
{
    return QStringLiteral("%1s").arg(m_clock.elapsed() / 1000, 5);
}

bool Soak::start()
{
    if (!m_data.isValid()) {
        m_out << "cannot create a data directory" << Qt::endl;
        return false;
    }
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(m_options.serverPath, {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                                          QStringLiteral("0"), QStringLiteral("--data-dir"), m_data.path()});
    if (!m_server.waitForStarted(10000)) {
        m_out << "cannot start " << m_options.serverPath << ": " << m_server.errorString() << Qt::endl;
        return false;
    }
    while (!m_server.canReadLine() && m_server.waitForReadyRead(10000)) {
    }
    const QString line = QString::fromUtf8(m_server.readLine()).trimmed();
    const QString prefix = QStringLiteral("listening on http://127.0.0.1:");
    if (!line.startsWith(prefix)) {
        m_out << "unexpected first line from the server: " << line << Qt::endl;
        return false;
    }
    m_url.setScheme(QStringLiteral("http"));
    m_url.setHost(QStringLiteral("127.0.0.1"));
    m_url.setPort(line.mid(prefix.size()).toInt());

    m_out << "soak: " << m_options.clients << " clients in " << m_options.rooms << " rooms for " << m_options.minutes
          << " min against " << m_url.toString() << " (pid " << m_server.processId() << "); a message every "
          << m_options.messageEveryMs << " ms and a reconnection every " << m_options.reconnectEveryMs
          << " ms per client on average, " << int(std::lround(m_options.pollingShare * 100)) << " % over polling"
          << Qt::endl;
    m_out << "   time    rss_kb   heap_kb   fds  connected      sent     acked  in_flight  reconnects" << Qt::endl;

    m_clients.resize(size_t(m_options.clients));
    for (int i = 0; i < m_options.clients; ++i)
        m_clients[size_t(i)].room = QStringLiteral("room-%1").arg(i % m_options.rooms);
    m_clock.start();
    m_chatting = true;
    m_ramp.start();
    m_actions.start();
    m_sampler.start();
    m_end.start(int(m_options.minutes * 60000));
    sample();
    return true;
}

void Soak::connectNext()
{
    if (m_nextToConnect >= m_options.clients) {
        m_ramp.stop();
        return;
    }
    connectClient(m_nextToConnect++);
}

void Soak::connectClient(int index)
{
    Client &client = m_clients[size_t(index)];
    if (!client.chat) {
        client.chat = std::make_unique<ChatClient>();
        ChatClient::Options options;
        options.ackTimeoutMs = AckTimeoutMs;
        const int pollingEvery = m_options.pollingShare > 0 ? int(std::lround(1 / m_options.pollingShare)) : 0;
        if (pollingEvery > 0 && index % pollingEvery == 0)
            options.manager.engine.transports = {Roomcast::EngineIO::TransportType::Polling};
        client.chat->setOptions(options);
        ChatClient *chat = client.chat.get();
        connect(chat, &ChatClient::loggedIn, this, [this, index] {
            Client &c = m_clients[size_t(index)];
            if (!c.chat->isJoined(c.room))
                c.chat->joinRoom(c.room);
        });
        connect(chat, &ChatClient::disconnected, this, [this, index](const QString &reason) {
            if (!m_clients[size_t(index)].away && reason != QLatin1String("io client disconnect")) {
                ++m_drops;
                m_out << elapsed() << " client " << index << " dropped: " << reason << Qt::endl;
            }
        });
    }
    client.chat->connectToServer(m_url, {}, QStringLiteral("soak-%1").arg(index));
}

void Soak::act()
{
    if (!m_chatting)
        return;
    const double sendChance = double(ActEveryMs) / m_options.messageEveryMs;
    const double reconnectChance = double(ActEveryMs) / m_options.reconnectEveryMs;
    for (int i = 0; i < m_nextToConnect; ++i) {
        Client &client = m_clients[size_t(i)];
        if (client.away || client.chat->state() != ChatClient::State::Connected || !client.chat->isJoined(client.room))
            continue;
        const double roll = m_random.generateDouble();
        if (roll < sendChance)
            sendMessage(i);
        else if (roll < sendChance + reconnectChance && client.inFlight == 0)
            reconnect(i); // never with a message in flight: its ack would be lost with the session
    }
}

void Soak::sendMessage(int index)
{
    Client &client = m_clients[size_t(index)];
    ++client.inFlight;
    ++m_sent;
    const QString room = client.room;
    client.chat->sendMessage(room, QStringLiteral("soak %1 #%2").arg(index).arg(++client.sent), this,
                             [this, index, room](const Roomcast::Chat::Reply &reply) {
                                 --m_clients[size_t(index)].inFlight;
                                 if (!reply.ok) {
                                     ++m_failed;
                                     ++m_failures[reply.error];
                                     return;
                                 }
                                 if (reply.data.value(QStringLiteral("duplicate")).toBool())
                                     ++m_duplicates;
                                 m_acked[room].insert(reply.data.value(QStringLiteral("messageId")).toLongLong());
                             });
}

void Soak::reconnect(int index)
{
    Client &client = m_clients[size_t(index)];
    client.away = true;
    ++m_reconnects;
    client.chat->disconnectFromServer();
    const int awayMs = 200 + int(m_random.bounded(1800));
    QTimer::singleShot(awayMs, this, [this, index] {
        m_clients[size_t(index)].away = false;
        connectClient(index);
    });
}

void Soak::sample()
{
    const qint64 pid = m_server.processId();
    int connected = 0;
    int inFlight = 0;
    for (const Client &client : m_clients) {
        if (client.chat && client.chat->state() == ChatClient::State::Connected)
            ++connected;
        inFlight += client.inFlight;
    }
    qint64 acked = 0;
    for (const QSet<qint64> &ids : std::as_const(m_acked))
        acked += ids.size();
    const Sample s{m_clock.elapsed(), residentKb(pid), heapExtentKb(pid), openFds(pid), connected};
    m_samples.append(s);
    m_out << elapsed() << qSetFieldWidth(10) << s.rssKb << s.heapKb << qSetFieldWidth(6) << s.fds << qSetFieldWidth(11) << connected
          << qSetFieldWidth(10) << m_sent << acked << qSetFieldWidth(11) << inFlight << qSetFieldWidth(12)
          << m_reconnects << qSetFieldWidth(0) << Qt::endl;
}

void Soak::stopChatting()
{
    m_chatting = false;
    m_out << elapsed() << " chatting stops; waiting for every ack and every client" << Qt::endl;
    QElapsedTimer draining;
    draining.start();
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, draining] {
        const bool settled = std::all_of(m_clients.cbegin(), m_clients.cend(), [](const Client &c) {
            return c.inFlight == 0 && !c.away && c.chat && c.chat->state() == ChatClient::State::Connected
                   && c.chat->isJoined(c.room);
        });
        if (!settled && draining.elapsed() < DrainTimeoutMs)
            return;
        poll->deleteLater();
        m_sampler.stop();
        m_actions.stop();
        sample();
        if (!settled)
            m_out << elapsed() << " not settled after " << DrainTimeoutMs << " ms" << Qt::endl;
        verify();
    });
    poll->start(100);
}

void Soak::verify()
{
    m_roomsToVerify = m_options.rooms;
    for (int r = 0; r < m_options.rooms; ++r)
        fetchHistory(QStringLiteral("room-%1").arg(r), -1);
}

void Soak::fetchHistory(const QString &room, qint64 beforeId)
{
    // Any member may read a room: the first client of room r is client r.
    const int reader = room.mid(5).toInt();
    ChatClient *chat = m_clients[size_t(reader)].chat.get();
    chat->fetchHistory(room, beforeId, 1000, this, [this, room](const Roomcast::Chat::Reply &reply) {
        if (!reply.ok) {
            m_out << "history of " << room << " unreadable: " << reply.error << Qt::endl;
            ++m_doubled[room]; // counts against the verdict
        } else {
            qint64 oldest = -1;
            QSet<qint64> &stored = m_stored[room];
            for (const QVariant &entry : reply.data.value(QStringLiteral("history")).toList()) {
                const qint64 id = entry.toMap().value(QStringLiteral("messageId")).toLongLong();
                if (stored.contains(id))
                    ++m_doubled[room];
                stored.insert(id);
                oldest = oldest < 0 ? id : std::min(oldest, id);
            }
            if (reply.data.value(QStringLiteral("hasMore")).toBool() && oldest > 0)
                return fetchHistory(room, oldest);
        }
        if (--m_roomsToVerify == 0)
            report();
    });
}

void Soak::report()
{
    const qint64 warmupMs = qint64((m_options.warmupMinutes >= 0 ? m_options.warmupMinutes
                                                                  : std::min(10.0, m_options.minutes / 3))
                                   * 60000);
    qint64 baseline = -1;
    qint64 peak = 0;
    qint64 heapBaseline = -1;
    qint64 heapPeak = 0;
    qint64 final = m_samples.isEmpty() ? -1 : m_samples.last().rssKb;
    int fdsMin = INT_MAX;
    int fdsMax = 0;
    for (const Sample &s : std::as_const(m_samples)) {
        if (s.atMs >= warmupMs) {
            if (baseline < 0)
                baseline = s.rssKb;
            if (heapBaseline < 0)
                heapBaseline = s.heapKb;
            peak = std::max(peak, s.rssKb);
            heapPeak = std::max(heapPeak, s.heapKb);
        }
        if (s.connected == m_options.clients) {
            fdsMin = std::min(fdsMin, s.fds);
            fdsMax = std::max(fdsMax, s.fds);
        }
    }
    const double growth = baseline > 0 ? double(peak - baseline) / double(baseline) : 0;

    qint64 acked = 0;
    qint64 stored = 0;
    qint64 doubled = 0;
    qint64 missing = 0;   // acked, not in the history
    qint64 unacked = 0;   // in the history, never acked
    for (int r = 0; r < m_options.rooms; ++r) {
        const QString room = QStringLiteral("room-%1").arg(r);
        const QSet<qint64> a = m_acked.value(room);
        const QSet<qint64> s = m_stored.value(room);
        acked += a.size();
        stored += s.size();
        doubled += m_doubled.value(room);
        missing += QSet<qint64>(a).subtract(s).size();
        unacked += QSet<qint64>(s).subtract(a).size();
    }

    const double seconds = m_clock.elapsed() / 1000.0;
    m_out << "\nsummary after " << qint64(seconds) << " s\n"
          << "  server RSS: " << (m_samples.isEmpty() ? -1 : m_samples.first().rssKb) << " kB at start, " << baseline
          << " kB after the warm-up (" << warmupMs / 1000 << " s), " << peak << " kB at most after it, " << final
          << " kB at the end: growth " << QString::number(growth * 100, 'f', 1) << " %\n"
          << "  server heap extent: " << heapBaseline << " kB after the warm-up, " << heapPeak << " kB at most after it: growth "
          << QString::number(heapBaseline > 0 ? 100.0 * double(heapPeak - heapBaseline) / double(heapBaseline) : 0, 'f', 1)
          << " %\n"
          << "  server file descriptors with every client connected: " << (fdsMin == INT_MAX ? -1 : fdsMin) << " to "
          << fdsMax << "\n"
          << "  messages: " << m_sent << " sent, " << acked << " acked (" << m_duplicates << " of them after a resend), "
          << m_failed << " failed; " << QString::number(acked / std::max(1.0, seconds), 'f', 1) << " acked/s\n"
          << "  history: " << stored << " stored; acked but missing " << missing << ", stored but never acked "
          << unacked << ", stored twice " << doubled << "\n"
          << "  reconnections: " << m_reconnects << " on purpose, " << m_drops << " dropped\n";
    for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it)
        m_out << "  failure \"" << it.key() << "\": " << it.value() << "\n";
    const bool exact = acked == stored && missing == 0 && unacked == 0 && doubled == 0 && m_failed == 0;
    const bool flat = growth <= m_options.maxGrowth;
    m_out << "verdict: acks " << (exact ? "equal" : "DIFFER from") << " history; RSS growth "
          << (flat ? "within " : "OVER ") << QString::number(m_options.maxGrowth * 100, 'f', 0) << " %" << Qt::endl;
    Q_EMIT finished(exact && flat ? 0 : 1);
}
