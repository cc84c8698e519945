// roomcast-loadgen: the load generator of bench/run.sh. Many Socket.IO clients in one process,
// driven by one epoll loop over raw non-blocking sockets: each speaks the WebSocket transport
// (RFC 6455 frames, masked), Engine.IO v4 (open, ping → pong, message) and Socket.IO v5 text
// packets as socket.io-client 4.8 with `transports: ["websocket"]` does. It parses no more of
// what it receives than a figure needs (the send time in a message, an ack's id), so that it is
// not the bottleneck: every scenario prints its own CPU use beside the server's.
//
//   roomcast-loadgen SCENARIO --port P --secret S --server-pid PID [options]
//
// Scenarios (docs/PERFORMANCE.md): connections, fanout, acks. Figures go to stdout as
// `figure<TAB>label<TAB>value` lines, progress to stderr.
#include "chat/jwt.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace std::string_view_literals;

// ---------------------------------------------------------------------------------------------
// Clocks and the process under test

int64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double seconds(int64_t ns) { return double(ns) / 1e9; }

//! CPU time (user + system, every thread) of a process, from /proc/PID/stat, in ns.
int64_t processCpuNs(int pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *file = std::fopen(path, "r");
    if (!file)
        return -1;
    char buffer[1024];
    const size_t size = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    buffer[size] = 0;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const char *p = std::strrchr(buffer, ')');
    if (!p)
        return -1;
    long long utime = 0, stime = 0;
    if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime, &stime) != 2)
        return -1;
    return (utime + stime) * (1000000000 / sysconf(_SC_CLK_TCK));
}

//! Resident set size of a process, from /proc/PID/status, in bytes.
int64_t processRssBytes(int pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *file = std::fopen(path, "r");
    if (!file)
        return -1;
    char line[256];
    int64_t rss = -1;
    while (std::fgets(line, sizeof line, file)) {
        long long kb = 0;
        if (std::sscanf(line, "VmRSS: %lld kB", &kb) == 1) {
            rss = kb * 1024;
            break;
        }
    }
    std::fclose(file);
    return rss;
}

int64_t selfCpuNs()
{
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000000000
           + (int64_t(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) * 1000;
}

//! CPU use of the server and of this process over a measured window.
struct CpuWindow
{
    int pid = 0;
    int64_t startNs = 0, serverStart = 0, selfStart = 0;
    int64_t wallNs = 0, serverNs = 0, selfNs = 0;

    void start(int serverPid)
    {
        pid = serverPid;
        startNs = nowNs();
        serverStart = processCpuNs(pid);
        selfStart = selfCpuNs();
    }
    void stop()
    {
        wallNs = nowNs() - startNs;
        serverNs = processCpuNs(pid) - serverStart;
        selfNs = selfCpuNs() - selfStart;
    }
    double selfBusyPercent() const { return wallNs > 0 ? 100.0 * double(selfNs) / double(wallNs) : 0; }
    double serverBusyPercent() const { return wallNs > 0 ? 100.0 * double(serverNs) / double(wallNs) : 0; }
};

void figure(const std::string &label, double value)
{
    if (std::isnan(value))
        std::printf("figure\t%s\t-\n", label.c_str());
    else if (std::fabs(value) >= 100 || value == std::floor(value))
        std::printf("figure\t%s\t%.0f\n", label.c_str(), value);
    else
        std::printf("figure\t%s\t%.3g\n", label.c_str(), value);
    std::fflush(stdout);
}

template <typename... Args>
void progress(const char *format, Args... args)
{
    std::fprintf(stderr, "loadgen: ");
    std::fprintf(stderr, format, args...);
    std::fprintf(stderr, "\n");
}

//! Latency samples (µs) of one window.
struct Latencies
{
    std::vector<uint32_t> samples;
    void add(int64_t ns) { samples.push_back(uint32_t(std::min<int64_t>(ns / 1000, UINT32_MAX))); }
    double percentileMs(double p)
    {
        if (samples.empty())
            return NAN;
        const size_t at = std::min(samples.size() - 1, size_t(p * double(samples.size())));
        std::nth_element(samples.begin(), samples.begin() + ptrdiff_t(at), samples.end());
        return samples[at] / 1000.0;
    }
};

// ---------------------------------------------------------------------------------------------
// One client connection

struct Connection
{
    enum class State { Connecting, Upgrading, Opening, Joining, Ready, Closed };

    int fd = -1;
    uint32_t index = 0;
    State state = State::Connecting;
    bool writeWatched = false;
    std::string input;  // what is received and not parsed yet
    size_t inputStart = 0;
    std::string output; // what the kernel did not take yet
    int64_t startedNs = 0;
    int64_t nextAckId = 0;
    int64_t outstanding = 0; //!< acks awaited (closed loop)
    std::vector<int64_t> ackSentNs; //!< send time by ack id modulo its size
};

class Generator
{
public:
    struct Options
    {
        int port = 3000;
        std::string secret;
        int serverPid = 0;
        int window = 100; //!< connections being opened at once
        int connectTimeoutMs = 15000;
    };

    explicit Generator(const Options &options) : m_options(options)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        m_scratch.resize(256 * 1024);
        m_rng = uint64_t(nowNs()) | 1;
    }
    ~Generator()
    {
        for (auto &connection : m_connections)
            if (connection->fd >= 0)
                ::close(connection->fd);
        ::close(m_epoll);
    }

    // Scenario hooks.
    std::function<void(Connection &)> onReady;
    std::function<void(Connection &, std::string_view event)> onEvent;
    std::function<void(Connection &, int64_t id, std::string_view args)> onAck;

    const Options &options() const { return m_options; }
    size_t readyCount() const { return m_ready; }
    size_t failures() const { return m_failures; }
    size_t pongs() const { return m_pongs; }
    size_t size() const { return m_connections.size(); }
    Connection &at(size_t i) { return *m_connections[i]; }

    //! Opens connections until there are `total`, at most `window` in progress at once, and
    //! returns once every one of them is ready or has failed (or the deadline passed).
    void openConnections(size_t total)
    {
        // Tokens first, so that minting them is not counted in the connect rate.
        while (m_tokens.size() < total)
            m_tokens.push_back(mintToken(uint32_t(m_tokens.size())));
        const int64_t deadline = nowNs() + int64_t(m_options.connectTimeoutMs) * 1000000 + int64_t(total) * 2000000;
        while (nowNs() < deadline) {
            while (m_connections.size() < total && inProgress() < size_t(m_options.window))
                startConnection();
            if (m_connections.size() >= total && inProgress() == 0)
                break;
            poll(5);
            expireStalled();
        }
        // Past the deadline: whatever is still opening, or was never started, has failed.
        for (auto &connection : m_connections) {
            const Connection::State state = connection->state;
            if (state != Connection::State::Ready && state != Connection::State::Closed)
                fail(*connection, "not open by the deadline");
        }
        if (m_connections.size() < total) {
            progress("%zu connections were never started before the deadline", total - m_connections.size());
            m_failures += total - m_connections.size();
        }
    }

    //! Runs the loop until `done()` or the deadline; `tick(now)` may send and returns when it
    //! wants to run next (ns, monotonic), 0 for no wish.
    void runUntil(int64_t deadline, const std::function<bool()> &done = {},
                  const std::function<int64_t(int64_t)> &tick = {})
    {
        for (;;) {
            const int64_t now = nowNs();
            if (now >= deadline || (done && done()))
                return;
            int64_t wake = deadline;
            if (tick) {
                const int64_t wanted = tick(now);
                if (wanted > 0)
                    wake = std::min(wake, wanted);
            }
            const int64_t waitNs = std::max<int64_t>(0, wake - nowNs());
            poll(int((waitNs + 999999) / 1000000));
        }
    }

    //! Sends a Socket.IO packet (the text after the Engine.IO `4`).
    void sendSocketIO(Connection &connection, std::string_view packet)
    {
        m_frame.assign(1, '4');
        m_frame.append(packet);
        sendText(connection, m_frame);
    }

    //! Emits `event` with `argsJson` (the JSON of the arguments, without brackets) and an ack id;
    //! returns the id.
    int64_t emitWithAck(Connection &connection, std::string_view event, std::string_view argsJson)
    {
        const int64_t id = connection.nextAckId++;
        m_packet.assign("2");
        appendNumber(m_packet, id);
        m_packet.append("[\"");
        m_packet.append(event);
        m_packet.append("\",");
        m_packet.append(argsJson);
        m_packet.append("]");
        sendSocketIO(connection, m_packet);
        if (!connection.ackSentNs.empty())
            connection.ackSentNs[size_t(id) % connection.ackSentNs.size()] = nowNs();
        return id;
    }

    static void appendNumber(std::string &out, int64_t value)
    {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, value);
        out.append(digits, result.ptr);
    }

private:
    size_t inProgress() const { return m_opening; }

    void startConnection()
    {
        auto connection = std::make_unique<Connection>();
        connection->index = uint32_t(m_connections.size());
        connection->startedNs = nowNs();
        ++m_opening;
        // Spread the 4-tuples over 127.0.0.1–3 on both ends, against ephemeral-port exhaustion.
        const uint32_t destination = 1 + connection->index % 3;
        const uint32_t source = 1 + (connection->index / 3) % 3;
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        Connection &c = *connection;
        m_connections.push_back(std::move(connection));
        if (fd < 0) {
            fail(c, "socket");
            return;
        }
        c.fd = fd;
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(0x7f000000 | source);
        if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            fail(c, "bind");
            return;
        }
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(uint16_t(m_options.port));
        remote.sin_addr.s_addr = htonl(0x7f000000 | destination);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0 && errno != EINPROGRESS) {
            fail(c, "connect");
            return;
        }
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.u32 = c.index;
        c.writeWatched = true;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    }

    void expireStalled()
    {
        const int64_t limit = nowNs() - int64_t(m_options.connectTimeoutMs) * 1000000;
        for (size_t i = m_checkedUpTo; i < m_connections.size(); ++i) {
            Connection &c = *m_connections[i];
            const bool opening = c.state != Connection::State::Ready && c.state != Connection::State::Closed;
            if (opening && c.startedNs < limit)
                fail(c, "timed out");
        }
        while (m_checkedUpTo < m_connections.size()) {
            const Connection &c = *m_connections[m_checkedUpTo];
            if (c.state != Connection::State::Ready && c.state != Connection::State::Closed)
                break;
            ++m_checkedUpTo;
        }
    }

    void poll(int timeoutMs)
    {
        epoll_event events[512];
        const int count = epoll_wait(m_epoll, events, 512, timeoutMs);
        for (int i = 0; i < count; ++i) {
            Connection &c = *m_connections[events[i].data.u32];
            if (c.state == Connection::State::Closed)
                continue;
            if (c.state == Connection::State::Connecting && (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
                int error = 0;
                socklen_t length = sizeof error;
                getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
                if (error != 0) {
                    errno = error;
                    fail(c, "connect");
                    continue;
                }
                c.state = Connection::State::Upgrading;
                sendUpgradeRequest(c);
            }
            if (events[i].events & EPOLLOUT)
                flushOutput(c);
            if (c.state != Connection::State::Closed && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                readInput(c);
        }
    }

    void sendUpgradeRequest(Connection &c)
    {
        // The key need not be secret; it only has to be 16 bytes, base64.
        std::string request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:";
        appendNumber(request, m_options.port);
        request += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: cm9vbWNhc3QtYmVuY2gtMQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n";
        write(c, request);
    }

    void write(Connection &c, std::string_view bytes)
    {
        if (c.state == Connection::State::Closed)
            return;
        if (c.output.empty()) {
            const ssize_t sent = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent == ssize_t(bytes.size()))
                return;
            if (sent < 0 && errno != EAGAIN) {
                fail(c, "send");
                return;
            }
            bytes.remove_prefix(size_t(std::max<ssize_t>(sent, 0)));
        }
        c.output.append(bytes);
        watchWrites(c, true);
    }

    void watchWrites(Connection &c, bool on)
    {
        if (c.writeWatched == on)
            return;
        c.writeWatched = on;
        epoll_event event{};
        event.events = on ? EPOLLIN | EPOLLOUT : EPOLLIN;
        event.data.u32 = c.index;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
    }

    void flushOutput(Connection &c)
    {
        if (c.state == Connection::State::Connecting)
            return;
        while (!c.output.empty()) {
            const ssize_t sent = ::send(c.fd, c.output.data(), c.output.size(), MSG_NOSIGNAL);
            if (sent < 0) {
                if (errno != EAGAIN)
                    fail(c, "send");
                return;
            }
            c.output.erase(0, size_t(sent));
        }
        watchWrites(c, false);
    }

    //! A masked text frame.
    void sendText(Connection &c, std::string_view payload)
    {
        std::string &frame = m_wire;
        frame.clear();
        frame.push_back(char(0x81));
        if (payload.size() < 126) {
            frame.push_back(char(0x80 | payload.size()));
        } else if (payload.size() <= 0xffff) {
            frame.push_back(char(0x80 | 126));
            frame.push_back(char(payload.size() >> 8));
            frame.push_back(char(payload.size() & 0xff));
        } else {
            frame.push_back(char(0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8)
                frame.push_back(char((uint64_t(payload.size()) >> shift) & 0xff));
        }
        m_rng ^= m_rng << 13;
        m_rng ^= m_rng >> 7;
        m_rng ^= m_rng << 17;
        char mask[4];
        std::memcpy(mask, &m_rng, 4);
        frame.append(mask, 4);
        const size_t start = frame.size();
        frame.append(payload);
        for (size_t i = 0; i < payload.size(); ++i)
            frame[start + i] = char(frame[start + i] ^ mask[i & 3]);
        write(c, frame);
    }

    void readInput(Connection &c)
    {
        for (;;) {
            const ssize_t got = ::recv(c.fd, m_scratch.data(), m_scratch.size(), 0);
            if (got == 0) {
                fail(c, "closed by the server");
                return;
            }
            if (got < 0) {
                if (errno != EAGAIN)
                    fail(c, "recv");
                return;
            }
            std::string_view data(m_scratch.data(), size_t(got));
            if (c.input.size() > c.inputStart) { // a partial frame waits: add to it
                c.input.append(data);
                data = std::string_view(c.input).substr(c.inputStart);
            }
            const size_t used = parse(c, data);
            if (c.state == Connection::State::Closed)
                return;
            if (data.data() == m_scratch.data()) {
                c.input.assign(data.substr(used));
                c.inputStart = 0;
            } else {
                c.inputStart += used;
                if (c.inputStart == c.input.size()) {
                    c.input.clear();
                    c.inputStart = 0;
                } else if (c.inputStart > 65536) {
                    c.input.erase(0, c.inputStart);
                    c.inputStart = 0;
                }
            }
            if (size_t(got) < m_scratch.size())
                return;
        }
    }

    //! Parses what it can; returns the bytes consumed.
    size_t parse(Connection &c, std::string_view data)
    {
        size_t used = 0;
        if (c.state == Connection::State::Upgrading) {
            const size_t end = data.find("\r\n\r\n");
            if (end == std::string_view::npos)
                return 0;
            if (data.substr(0, 12) != "HTTP/1.1 101") {
                fail(c, "upgrade refused");
                return 0;
            }
            used = end + 4;
            c.state = Connection::State::Opening;
        }
        while (c.state != Connection::State::Closed) {
            std::string_view rest = data.substr(used);
            if (rest.size() < 2)
                break;
            const auto first = uint8_t(rest[0]);
            const auto second = uint8_t(rest[1]);
            size_t header = 2;
            uint64_t length = second & 0x7f;
            if (length == 126) {
                if (rest.size() < 4)
                    break;
                length = (uint64_t(uint8_t(rest[2])) << 8) | uint8_t(rest[3]);
                header = 4;
            } else if (length == 127) {
                if (rest.size() < 10)
                    break;
                length = 0;
                for (int i = 0; i < 8; ++i)
                    length = (length << 8) | uint8_t(rest[2 + i]);
                header = 10;
            }
            if (rest.size() < header + length)
                break;
            used += header + length;
            const std::string_view payload = rest.substr(header, length);
            switch (first & 0x0f) {
            case 0x1:
                onEnginePacket(c, payload);
                break;
            case 0x8:
                fail(c, "WebSocket closed by the server");
                break;
            case 0x9: // answer a WebSocket ping (neither server sends one)
                break;
            default:
                break; // binary frames: no scenario receives attachments
            }
        }
        return used;
    }

    void onEnginePacket(Connection &c, std::string_view packet)
    {
        if (packet.empty())
            return;
        switch (packet[0]) {
        case '0': // open: log in to the main namespace
            if (c.state == Connection::State::Opening) {
                c.state = Connection::State::Joining;
                std::string connect = "0{\"token\":\"";
                connect += token(c.index);
                connect += "\"}";
                sendSocketIO(c, connect);
            }
            break;
        case '2':
            sendText(c, "3");
            ++m_pongs;
            break;
        case '4':
            onSocketIOPacket(c, packet.substr(1));
            break;
        case '1':
            fail(c, "Engine.IO close");
            break;
        default:
            break;
        }
    }

    void onSocketIOPacket(Connection &c, std::string_view packet)
    {
        if (packet.empty())
            return;
        switch (packet[0]) {
        case '0':
            if (c.state == Connection::State::Joining) {
                c.state = Connection::State::Ready;
                --m_opening;
                ++m_ready;
                if (onReady)
                    onReady(c);
            }
            break;
        case '2':
            if (onEvent)
                onEvent(c, packet.substr(1));
            break;
        case '3': {
            int64_t id = 0;
            const auto result = std::from_chars(packet.data() + 1, packet.data() + packet.size(), id);
            if (onAck)
                onAck(c, id, std::string_view(result.ptr, size_t(packet.data() + packet.size() - result.ptr)));
            break;
        }
        case '1':
            fail(c, "disconnected from the namespace");
            break;
        case '4':
            fail(c, "connect_error");
            break;
        default:
            break;
        }
    }

    const std::string &token(uint32_t index) const { return m_tokens.at(index); }

    std::string mintToken(uint32_t index) const
    {
        if (m_options.secret.empty())
            return {};
        const QString id = QStringLiteral("bench-%1").arg(index);
        return Roomcast::Chat::mintToken(id, QStringLiteral("User %1").arg(index), std::chrono::hours(2),
                                         QByteArray::fromStdString(m_options.secret))
            .toStdString();
    }

    void fail(Connection &c, const char *what)
    {
        const bool opening = c.state != Connection::State::Ready;
        if (c.state == Connection::State::Closed)
            return;
        if (opening)
            --m_opening;
        else
            --m_ready;
        c.state = Connection::State::Closed;
        ++m_failures;
        if (m_failures <= 5)
            progress("connection %u failed (%s): %s", c.index, what, errno ? std::strerror(errno) : "");
        if (c.fd >= 0) {
            ::close(c.fd);
            c.fd = -1;
        }
        c.input = {};
        c.output = {};
    }

    Options m_options;
    int m_epoll = -1;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<char> m_scratch;
    std::string m_wire, m_frame, m_packet;
    uint64_t m_rng = 1;
    size_t m_opening = 0;
    size_t m_ready = 0;
    size_t m_failures = 0;
    size_t m_pongs = 0;
    size_t m_checkedUpTo = 0;
    std::vector<std::string> m_tokens; //!< by connection index
};

// ---------------------------------------------------------------------------------------------
// Scenarios

std::vector<int64_t> parseList(const std::string &text)
{
    std::vector<int64_t> values;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos)
            end = text.size();
        values.push_back(std::atoll(text.substr(start, end - start).c_str()));
        start = end + 1;
    }
    return values;
}

//! Joins every connection to `room` (or room + index when `ownRoom`) and waits for the acks.
bool joinAll(Generator &generator, const std::string &room, bool ownRoom)
{
    size_t joined = 0;
    generator.onAck = [&](Connection &, int64_t, std::string_view args) {
        if (args.find("\"ok\"") != std::string_view::npos)
            ++joined;
    };
    size_t asked = 0;
    for (size_t i = 0; i < generator.size(); ++i) {
        Connection &c = generator.at(i);
        if (c.state != Connection::State::Ready)
            continue;
        std::string name = "\"" + room;
        if (ownRoom)
            Generator::appendNumber(name, int64_t(i));
        name += "\"";
        generator.emitWithAck(c, "join", name);
        ++asked;
    }
    generator.runUntil(nowNs() + 60'000'000'000, [&] { return joined >= asked; });
    generator.onAck = nullptr;
    if (joined < asked)
        progress("only %zu of %zu joins were acknowledged", joined, asked);
    return joined == asked;
}

int connectionsScenario(Generator &generator, const std::vector<int64_t> &counts, int holdSeconds)
{
    const int pid = generator.options().serverPid;
    const int64_t baseRss = processRssBytes(pid);
    size_t previous = 0;
    int64_t rampNs = 0;
    for (const int64_t count : counts) {
        CpuWindow cpu;
        cpu.start(pid);
        const size_t failuresBefore = generator.failures();
        generator.openConnections(size_t(count));
        cpu.stop();
        rampNs += cpu.wallNs;
        const size_t opened = size_t(count) - previous;
        const std::string level = "connections " + std::to_string(count) + ": ";
        progress("%zu connections ready (%zu failures so far)", generator.readyCount(), generator.failures());
        figure(level + "connect rate (conn/s)", double(opened) / seconds(cpu.wallNs));
        figure(level + "server CPU per connect (us)", double(cpu.serverNs) / 1000.0 / double(opened));
        figure(level + "loadgen CPU while connecting (%)", cpu.selfBusyPercent());

        const size_t pongsBefore = generator.pongs();
        generator.runUntil(nowNs() + int64_t(holdSeconds) * 1'000'000'000);
        const int64_t rss = processRssBytes(pid);
        figure(level + "failures (connect + hold)", double(generator.failures() - failuresBefore));
        figure(level + "pings answered in hold", double(generator.pongs() - pongsBefore));
        figure(level + "server RSS (MB)", double(rss) / 1048576.0);
        figure(level + "server RSS per connection (KB)",
               double(rss - baseRss) / 1024.0 / double(std::max<size_t>(1, generator.readyCount())));
        previous = size_t(count);
    }
    figure("connections: connect rate to " + std::to_string(previous) + " (conn/s)", double(previous) / seconds(rampNs));
    return generator.failures() == 0 ? 0 : 1;
}

struct FanoutOptions
{
    int receivers = 1000;
    std::vector<int64_t> rates;
    double durationSeconds = 5;
    int messageBytes = 64;
};

int fanoutScenario(Generator &generator, const FanoutOptions &options)
{
    const int pid = generator.options().serverPid;
    generator.openConnections(size_t(options.receivers) + 1);
    if (generator.readyCount() != size_t(options.receivers) + 1) {
        progress("only %zu of %d connections are ready", generator.readyCount(), options.receivers + 1);
        return 1;
    }
    if (!joinAll(generator, "fanout", false))
        return 1;
    Connection &sender = generator.at(0);
    const std::string prefix = "fan-out " + std::to_string(options.receivers) + " @ ";

    uint64_t delivered = 0;
    Latencies latencies;
    bool measuring = false;
    generator.onEvent = [&](Connection &, std::string_view event) {
        // 2["message",{…"message":"<send time ns> padding"…}]
        const size_t at = event.find("\"message\":\"");
        if (at == std::string_view::npos)
            return;
        int64_t sent = 0;
        const char *digits = event.data() + at + 11;
        std::from_chars(digits, event.data() + event.size(), sent);
        ++delivered;
        if (measuring)
            latencies.add(nowNs() - sent);
    };
    generator.onAck = nullptr;

    double best = 0;
    int64_t bestRate = 0;
    int64_t keptUpRate = 0;
    for (const int64_t rate : options.rates) {
        const int64_t intervalNs = 1'000'000'000 / rate;
        const int64_t durationNs = int64_t(options.durationSeconds * 1e9);
        uint64_t sent = 0;
        std::string args;
        const uint64_t deliveredBefore = delivered;
        latencies.samples.clear();
        measuring = true;
        CpuWindow cpu;
        cpu.start(pid);
        const int64_t start = cpu.startNs;
        int64_t next = start;
        generator.runUntil(start + durationNs, {}, [&](int64_t now) {
            while (next <= now) {
                args.assign("{\"message\":\"");
                Generator::appendNumber(args, nowNs());
                args.append(" ");
                args.append(size_t(std::max(0, options.messageBytes - 20)), 'x');
                args.append("\",\"roomName\":\"fanout\"}");
                generator.emitWithAck(sender, "message", args);
                ++sent;
                next += intervalNs;
            }
            return next;
        });
        cpu.stop();
        const uint64_t inWindow = delivered - deliveredBefore;
        const double perSecond = double(inWindow) / seconds(cpu.wallNs);
        const double offered = double(sent) * options.receivers / seconds(cpu.wallNs);
        const double p50 = latencies.percentileMs(0.5);
        const double p99 = latencies.percentileMs(0.99);
        measuring = false;
        // Let the backlog drain before the next rate (or learn that it does not).
        const uint64_t expected = deliveredBefore + sent * uint64_t(options.receivers);
        generator.runUntil(nowNs() + 10'000'000'000, [&] { return delivered >= expected; });
        const bool keptUp = perSecond >= 0.95 * offered && delivered >= expected && p99 < 1000;
        const std::string label = prefix + std::to_string(rate) + " msg/s: ";
        figure(label + "deliveries/s", perSecond);
        figure(label + "server CPU per delivery (us)", double(cpu.serverNs) / 1000.0 / double(std::max<uint64_t>(1, inWindow)));
        figure(label + "latency p50 (ms)", p50);
        figure(label + "latency p99 (ms)", p99);
        figure(label + "loadgen CPU (%)", cpu.selfBusyPercent());
        progress("%lld msg/s: %.0f deliveries/s of %.0f offered, server %.0f%% busy, loadgen %.0f%%, p99 %.1f ms",
                 (long long)rate, perSecond, offered, cpu.serverBusyPercent(), cpu.selfBusyPercent(), p99);
        if (perSecond > best) {
            best = perSecond;
            bestRate = rate;
        }
        if (keptUp)
            keptUpRate = rate;
        if (!keptUp || generator.failures() > 0)
            break;
    }
    const std::string total = "fan-out " + std::to_string(options.receivers) + ": ";
    figure(total + "highest rate kept up with (msg/s)", double(keptUpRate));
    figure(total + "deliveries/s at saturation", best);
    (void)bestRate;
    figure(total + "failures", double(generator.failures()));
    return generator.failures() == 0 ? 0 : 1;
}

struct AckOptions
{
    int clients = 100;
    double durationSeconds = 5;
    int pacedRate = 10000;
};

int acksScenario(Generator &generator, const AckOptions &options)
{
    const int pid = generator.options().serverPid;
    generator.openConnections(size_t(options.clients));
    if (generator.readyCount() != size_t(options.clients)) {
        progress("only %zu of %d connections are ready", generator.readyCount(), options.clients);
        return 1;
    }
    if (!joinAll(generator, "acks-", true))
        return 1;
    for (size_t i = 0; i < generator.size(); ++i)
        generator.at(i).ackSentNs.assign(4096, 0);

    uint64_t acked = 0;
    Latencies latencies;
    bool closedLoop = true;
    bool running = true;
    std::vector<std::string> messages(generator.size());
    for (size_t i = 0; i < generator.size(); ++i)
        messages[i] = "{\"message\":\"ping from a benchmark client\",\"roomName\":\"acks-" + std::to_string(i) + "\"}";
    const auto send = [&](Connection &c) {
        generator.emitWithAck(c, "message", messages[c.index]);
        ++c.outstanding;
    };
    generator.onAck = [&](Connection &c, int64_t id, std::string_view) {
        --c.outstanding;
        ++acked;
        latencies.add(nowNs() - c.ackSentNs[size_t(id) % c.ackSentNs.size()]);
        if (closedLoop && running)
            send(c);
    };

    // Closed loop: each client has one request in flight, the next sent when its ack comes.
    {
        latencies.samples.clear();
        CpuWindow cpu;
        cpu.start(pid);
        for (size_t i = 0; i < generator.size(); ++i)
            send(generator.at(i));
        generator.runUntil(cpu.startNs + int64_t(options.durationSeconds * 1e9));
        cpu.stop();
        const uint64_t count = acked;
        running = false;
        const std::string label = "acks closed loop, " + std::to_string(options.clients) + " clients: ";
        figure(label + "acks/s", double(count) / seconds(cpu.wallNs));
        figure(label + "latency p50 (ms)", latencies.percentileMs(0.5));
        figure(label + "latency p99 (ms)", latencies.percentileMs(0.99));
        figure(label + "server CPU per ack (us)", double(cpu.serverNs) / 1000.0 / double(std::max<uint64_t>(1, count)));
        figure(label + "loadgen CPU (%)", cpu.selfBusyPercent());
        generator.runUntil(nowNs() + 5'000'000'000, [&] {
            for (size_t i = 0; i < generator.size(); ++i)
                if (generator.at(i).outstanding > 0)
                    return false;
            return true;
        });
    }

    // Paced: the clients in turn, at a fixed total rate.
    {
        closedLoop = false;
        running = true;
        latencies.samples.clear();
        const uint64_t before = acked;
        const int64_t intervalNs = 1'000'000'000 / options.pacedRate;
        CpuWindow cpu;
        cpu.start(pid);
        int64_t next = cpu.startNs;
        size_t turn = 0;
        generator.runUntil(cpu.startNs + int64_t(options.durationSeconds * 1e9), {}, [&](int64_t now) {
            while (next <= now) {
                send(generator.at(turn));
                turn = (turn + 1) % generator.size();
                next += intervalNs;
            }
            return next;
        });
        cpu.stop();
        const uint64_t count = acked - before;
        const std::string label = "acks paced at " + std::to_string(options.pacedRate) + "/s: ";
        figure(label + "acks/s", double(count) / seconds(cpu.wallNs));
        figure(label + "server CPU per ack (us)", double(cpu.serverNs) / 1000.0 / double(std::max<uint64_t>(1, count)));
        figure(label + "latency p99 (ms)", latencies.percentileMs(0.99));
        figure(label + "loadgen CPU (%)", cpu.selfBusyPercent());
    }
    figure("acks: failures", double(generator.failures()));
    return generator.failures() == 0 ? 0 : 1;
}

int usage()
{
    std::fprintf(stderr,
                 "usage: roomcast-loadgen connections|fanout|acks --port P --secret S --server-pid PID\n"
                 "  connections: --counts 1000,5000,10000,19900 --hold SECONDS\n"
                 "  fanout:      --receivers N --rates 10,25,50 --duration SECONDS --message-bytes B\n"
                 "  acks:        --clients N --duration SECONDS --paced RATE\n"
                 "  any:         --window N (connections opened at once)\n");
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2)
        return usage();
    const std::string scenario = argv[1];
    auto value = [&](const char *name, const char *fallback) -> std::string {
        for (int i = 2; i + 1 < argc; ++i)
            if (std::strcmp(argv[i], name) == 0)
                return argv[i + 1];
        return fallback;
    };
    Generator::Options options;
    options.port = std::atoi(value("--port", "3000").c_str());
    options.secret = value("--secret", "");
    options.serverPid = std::atoi(value("--server-pid", "0").c_str());
    options.window = std::atoi(value("--window", "100").c_str());
    if (options.serverPid <= 0 || processCpuNs(options.serverPid) < 0) {
        std::fprintf(stderr, "roomcast-loadgen: --server-pid must name the running server\n");
        return 2;
    }
    Generator generator(options);
    if (scenario == "connections")
        return connectionsScenario(generator, parseList(value("--counts", "1000,5000,10000,19900")),
                                   std::atoi(value("--hold", "30").c_str()));
    if (scenario == "fanout") {
        FanoutOptions fanout;
        fanout.receivers = std::atoi(value("--receivers", "1000").c_str());
        fanout.rates = parseList(value("--rates", "10,25,50,75,100,150,200,300,400,500,700,1000"));
        fanout.durationSeconds = std::atof(value("--duration", "5").c_str());
        fanout.messageBytes = std::atoi(value("--message-bytes", "64").c_str());
        return fanoutScenario(generator, fanout);
    }
    if (scenario == "acks") {
        AckOptions acks;
        acks.clients = std::atoi(value("--clients", "100").c_str());
        acks.durationSeconds = std::atof(value("--duration", "5").c_str());
        acks.pacedRate = std::atoi(value("--paced", "10000").c_str());
        return acksScenario(generator, acks);
    }
    return usage();
}
