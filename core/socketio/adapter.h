// Rooms of one namespace, as socket.io-adapter keeps them: which sockets are in which room,
// and who a broadcast reaches. With connection state recovery it also keeps the sessions of
// recently disconnected sockets and the broadcast packets they missed.
#pragma once

#include "socketio/packet.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Roomcast::SocketIO {

using SocketId = QString;
using Room = QString;

//! Who a broadcast reaches: the sockets in any of `rooms` (every socket when empty), less the
//! sockets in any of `except`.
struct BroadcastTarget
{
    QSet<Room> rooms;
    QSet<Room> except;
};

//! A set of room names or socket ids. Most are tiny (a socket's own room and its members, the
//! rooms of one socket), and a QSet costs at least 1.3 KiB for a single entry (Qt 6.4 allocates
//! a 128-bucket span and room for 48 entries), kept after its entries go. So the names are a
//! list, looked through while short, indexed by a hash once over IndexFrom; removal moves the
//! last name into the gap. Iterates in no particular order.
class NameSet
{
public:
    using const_iterator = QList<QString>::const_iterator;

    bool contains(const QString &name) const;
    //! False if it was there already.
    bool insert(const QString &name);
    //! False if it was not there.
    bool remove(const QString &name);
    qsizetype size() const { return m_names.size(); }
    bool isEmpty() const { return m_names.isEmpty(); }
    const_iterator begin() const { return m_names.cbegin(); }
    const_iterator end() const { return m_names.cend(); }
    QSet<QString> toSet() const { return QSet<QString>(m_names.cbegin(), m_names.cend()); }

    //! Beyond this many names, contains() and remove() go through the index.
    static constexpr qsizetype IndexFrom = 16;

private:
    QList<QString> m_names;
    QHash<QString, qsizetype> m_index; //!< name → position in m_names; empty while short
};

class Adapter
{
public:
    void join(const SocketId &id, const Room &room);
    void leave(const SocketId &id, const Room &room);
    //! Removes the socket from every room.
    void leaveAll(const SocketId &id);

    QSet<Room> rooms(const SocketId &id) const { return m_socketRooms.value(id).toSet(); }
    bool contains(const SocketId &id) const { return m_socketRooms.contains(id); }
    //! Sockets in any of `rooms` (every socket when `rooms` is empty).
    QSet<SocketId> sockets(const QSet<Room> &rooms = {}) const;
    //! Every room that has at least one socket, private rooms (named after a socket) included.
    QList<Room> allRooms() const { return m_rooms.keys(); }
    qsizetype roomSize(const Room &room) const { return m_rooms.value(room).size(); }

    //! Calls `visit(id)` once for every socket `target` reaches.
    template <typename Visitor>
    void forEachTarget(const BroadcastTarget &target, Visitor visit) const;

    // ----- connection state recovery

    struct Session
    {
        SocketId id;
        QString pid;
        QSet<Room> rooms;
        QVariant data;
        QDeadlineTimer expiry;
    };

    //! Keeps the packets of eligible broadcasts (events without ack, not volatile) for
    //! `maxDisconnectionDurationMs`; 0 turns recovery off.
    void setRecoveryWindow(qint64 maxDisconnectionDurationMs) { m_recoveryWindowMs = maxDisconnectionDurationMs; }
    bool isRecoveryEnabled() const { return m_recoveryWindowMs > 0; }
    //! A new offset, unique for this adapter.
    QString nextOffset();
    //! Records a broadcast packet under `offset` for whoever it reaches now.
    void storePacket(const QString &offset, const Packet &packet, const BroadcastTarget &target);
    //! Keeps a disconnected socket's session until the window closes.
    void persistSession(Session session);
    //! The session of `pid` and the packets it missed after `offset` (each with its offset
    //! appended), or nothing if the session expired or the offset is unknown. The session is
    //! kept until dropSession() (the CONNECT may still be refused by a middleware).
    std::optional<std::pair<Session, QList<Packet>>> restoreSession(const QString &pid, const QString &offset);
    void dropSession(const QString &pid) { m_sessions.remove(pid); }
    //! At most this many broadcasts are kept for recovery (the oldest go first).
    void setMaxStoredPackets(qsizetype count) { m_maxStoredPackets = count; }
    //! Forgets expired sessions and packets.
    void expire();

private:
    struct StoredPacket
    {
        QString offset;
        Packet packet;
        BroadcastTarget target;
        QDeadlineTimer expiry;
    };

    QHash<Room, NameSet> m_rooms;
    QHash<SocketId, NameSet> m_socketRooms;

    qint64 m_recoveryWindowMs = 0;
    qsizetype m_maxStoredPackets = 10000;
    quint64 m_offsetCounter = 0;
    QString m_offsetPrefix;
    QHash<QString, Session> m_sessions; // by pid
    QList<StoredPacket> m_packets;      // oldest first
};

template <typename Visitor>
void Adapter::forEachTarget(const BroadcastTarget &target, Visitor visit) const
{
    // The excluded sockets once per broadcast, as socket.io-adapter does, not the except rooms
    // looked through for every recipient: a broadcast "to everyone but the sender" excludes
    // the one member of the sender's own room.
    QSet<SocketId> excludedIds;
    const SocketId *onlyExcluded = nullptr;
    for (const Room &name : target.except) {
        const auto room = m_rooms.constFind(name);
        if (room == m_rooms.cend())
            continue;
        for (const SocketId &id : *room)
            excludedIds.insert(id);
    }
    if (excludedIds.size() == 1)
        onlyExcluded = &*excludedIds.cbegin();
    auto excluded = [&](const SocketId &id) {
        if (onlyExcluded)
            return id == *onlyExcluded;
        return !excludedIds.isEmpty() && excludedIds.contains(id);
    };
    if (target.rooms.isEmpty()) {
        for (auto it = m_socketRooms.cbegin(); it != m_socketRooms.cend(); ++it)
            if (!excluded(it.key()))
                visit(it.key());
        return;
    }
    if (target.rooms.size() == 1) {
        const auto room = m_rooms.constFind(*target.rooms.cbegin());
        if (room == m_rooms.cend())
            return;
        for (const SocketId &id : *room)
            if (!excluded(id))
                visit(id);
        return;
    }
    QSet<SocketId> seen;
    for (const Room &name : target.rooms) {
        const auto room = m_rooms.constFind(name);
        if (room == m_rooms.cend())
            continue;
        for (const SocketId &id : *room)
            if (!seen.contains(id) && !excluded(id)) {
                seen.insert(id);
                visit(id);
            }
    }
}

} // namespace Roomcast::SocketIO
