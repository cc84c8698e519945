// LAN discovery: a hosting server runs a DiscoveryBeacon, and the app's "rooms on your network"
// list is a DiscoveryBrowser. One small JSON datagram over UDP, described in docs/discovery.md.
//
// parseAnnouncement() and encodeAnnouncement() are pure (no QObject, no I/O) so they are
// unit-tested and fuzzed without sockets. The beacon and the browser are QObjects living on the
// thread that created them.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

class QUdpSocket;

namespace Roomcast::Chat::Discovery {

//! The UDP port beacons send to and browsers listen on.
inline constexpr quint16 DefaultPort = 45454;
//! The IPv4 multicast group beacons send to and browsers join (organisation-local scope, RFC 2365).
inline constexpr char DefaultMulticastGroup[] = "239.255.45.54";
//! The packet format version this code speaks ("v"); other versions are ignored.
inline constexpr int ProtocolVersion = 1;
//! Datagrams larger than this are dropped unread.
inline constexpr qsizetype MaxDatagramSize = 1024;
//! Limits on the fields of an announcement.
inline constexpr int MaxNameLength = 64;       //!< in UTF-16 code units, after validation
inline constexpr int MaxInstanceIdLength = 64; //!< ASCII letters, digits, '-', '_', '.'
inline constexpr int MinIntervalMs = 10;
inline constexpr int MaxIntervalMs = 60000;
inline constexpr int DefaultIntervalMs = 2000;
//! A server is lost when nothing is heard from it for this many of its announced intervals
//! (three missed announcements, plus half an interval of slack).
inline constexpr double LostAfterIntervals = 3.5;

//! One datagram. A `Bye` carries only `instanceId`; the other fields keep their defaults.
struct Announcement
{
    enum class Type { Announce, Bye };

    Type type = Type::Announce;
    QString instanceId;
    QString name;
    quint16 port = 0;
    bool tokenRequired = false;
    int intervalMs = DefaultIntervalMs;

    friend bool operator==(const Announcement &, const Announcement &) = default;
};

//! Parses one datagram strictly: at most MaxDatagramSize bytes, one JSON object with
//! `app` == "roomcast", `v` == ProtocolVersion and every field of its `type` present with the
//! right type and range (docs/discovery.md). Unknown fields are ignored. Anything else gives
//! std::nullopt, with the reason logged at debug level in "roomcast.discovery".
std::optional<Announcement> parseAnnouncement(QByteArrayView datagram);

//! The datagram for @p announcement, compact JSON. Its fields are written as given: a beacon
//! only encodes what it validated (see DiscoveryBeacon::setServerName()).
QByteArray encodeAnnouncement(const Announcement &announcement);

//! @p name made fit for an announcement: control, line-separator and bidi-override characters
//! become spaces, runs of spaces collapse, the ends are trimmed, and the result is cut to
//! MaxNameLength (never inside a surrogate pair). May be empty.
QString sanitizedServerName(const QString &name);

//! Every address a beacon sends to by default: the IPv4 broadcast address of each interface
//! that is up, running, not loopback and can broadcast, then DefaultMulticastGroup.
QList<QHostAddress> defaultTargets();

//! A server a browser has heard.
struct DiscoveredServer
{
    QHostAddress hostAddress; //!< where its announcements come from
    quint16 port = 0;         //!< its chat port (Engine.IO over HTTP/WebSocket)
    QString name;
    bool tokenRequired = false;
    QString instanceId;
    QDateTime lastSeen; //!< UTC
};

//! Announces one server on the LAN: every intervalMs() an announcement datagram to each target
//! address on port(), and a bye to each on stop() (or destruction while active).
class DiscoveryBeacon : public QObject
{
    Q_OBJECT

public:
    enum class Error {
        NoError,
        NoServerPort, //!< start() without a serverPort()
        BindFailed,   //!< no UDP socket could be opened
        SendFailed,   //!< an announcement reached none of the targets
    };
    Q_ENUM(Error)

    explicit DiscoveryBeacon(QObject *parent = nullptr);
    ~DiscoveryBeacon() override;

    //! A random id made at construction, unique to this beacon; browsers key servers by it.
    QString instanceId() const;

    QString serverName() const;
    //! Stored as sanitizedServerName(name), or the host name when that is empty. While active,
    //! a change is announced at once.
    void setServerName(const QString &name);
    quint16 serverPort() const;
    void setServerPort(quint16 port); //!< the chat port; announced at once while active
    bool isTokenRequired() const;
    void setTokenRequired(bool required); //!< announced at once while active

    int intervalMs() const;
    void setIntervalMs(int ms); //!< clamped to [MinIntervalMs, MaxIntervalMs]

    //! The destination port of every datagram, DefaultPort unless set.
    quint16 port() const;
    void setPort(quint16 port);
    //! The destination addresses. Until set, defaultTargets(), looked up again on every
    //! announcement so interfaces that come up later are covered. Setting an empty list
    //! returns to the default.
    QList<QHostAddress> targets() const;
    void setTargets(const QList<QHostAddress> &addresses);

    //! Opens the socket and announces at once, then every intervalMs(). False, with
    //! errorOccurred(), when no socket can be opened. Needs a serverPort().
    bool start();
    //! Sends a bye to every target and stops. Nothing happens when not active.
    void stop();
    bool isActive() const;

    Error error() const;
    QString errorString() const; //!< translated

Q_SIGNALS:
    void errorOccurred(Roomcast::Chat::Discovery::DiscoveryBeacon::Error error);

private:
    Announcement announcement() const;
    void send(const Announcement &announcement);
    void announceIfActive();
    void setError(Error error, const QString &detail = {});

    QUdpSocket *m_socket = nullptr;
    QTimer m_timer;
    QString m_instanceId;
    QString m_serverName;
    quint16 m_serverPort = 0;
    bool m_tokenRequired = false;
    quint16 m_port = DefaultPort;
    QList<QHostAddress> m_targets;
    Error m_error = Error::NoError;
    QString m_errorDetail;
};

//! Listens for beacons and keeps the list of servers heard, with signals for a UI model to
//! follow: serverFound() for a new instance id, serverUpdated() when its address, port, name or
//! token flag changes, serverLost() on its bye or after LostAfterIntervals of silence.
class DiscoveryBrowser : public QObject
{
    Q_OBJECT

public:
    enum class Error {
        NoError,
        BindFailed, //!< the port could not be bound
    };
    Q_ENUM(Error)

    explicit DiscoveryBrowser(QObject *parent = nullptr);
    ~DiscoveryBrowser() override;

    //! The port to listen on, DefaultPort unless set; 0 binds any free port (see boundPort()).
    quint16 port() const;
    void setPort(quint16 port);
    //! The multicast group joined on start(), DefaultMulticastGroup unless set; a null address
    //! joins none. Failing to join is not an error: broadcasts are still heard.
    QHostAddress multicastGroup() const;
    void setMulticastGroup(const QHostAddress &group);

    //! Binds IPv4 any-address on port() shared with other browsers (ShareAddress |
    //! ReuseAddressHint), then joins the multicast group. False, with errorOccurred(), when the
    //! port cannot be bound.
    bool start();
    //! Closes the socket; every known server is reported lost.
    void stop();
    bool isActive() const;
    quint16 boundPort() const; //!< 0 when not active

    //! The servers heard, in the order they were found.
    QList<DiscoveredServer> servers() const;

    Error error() const;
    QString errorString() const; //!< translated

Q_SIGNALS:
    void serverFound(const Roomcast::Chat::Discovery::DiscoveredServer &server);
    void serverUpdated(const Roomcast::Chat::Discovery::DiscoveredServer &server);
    void serverLost(const Roomcast::Chat::Discovery::DiscoveredServer &server);
    void errorOccurred(Roomcast::Chat::Discovery::DiscoveryBrowser::Error error);

private:
    struct Entry
    {
        DiscoveredServer server;
        QDeadlineTimer expiry;    // lost when this passes
        QDeadlineTimer hostFresh; // until then, other sender addresses do not replace hostAddress
    };

    void readDatagrams();
    void handle(const Announcement &announcement, const QHostAddress &sender);
    void expire();
    void scheduleExpiry();
    void setError(Error error, const QString &detail);

    QUdpSocket *m_socket = nullptr;
    QTimer m_expiryTimer;
    quint16 m_port = DefaultPort;
    QHostAddress m_multicastGroup;
    QList<Entry> m_entries; // few servers on a LAN: a list in found order
    Error m_error = Error::NoError;
    QString m_errorDetail;
};

} // namespace Roomcast::Chat::Discovery

Q_DECLARE_METATYPE(Roomcast::Chat::Discovery::DiscoveredServer)
