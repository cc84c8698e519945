#include "socketio/adapter.h"

#include <QRandomGenerator>

namespace Roomcast::SocketIO {

bool NameSet::contains(const QString &name) const
{
    return m_index.isEmpty() ? m_names.contains(name) : m_index.contains(name);
}

bool NameSet::insert(const QString &name)
{
    if (contains(name))
        return false;
    m_names.append(name);
    if (!m_index.isEmpty()) {
        m_index.insert(name, m_names.size() - 1);
    } else if (m_names.size() > IndexFrom) {
        m_index.reserve(m_names.size() * 2);
        for (qsizetype i = 0; i < m_names.size(); ++i)
            m_index.insert(m_names.at(i), i);
    }
    return true;
}

bool NameSet::remove(const QString &name)
{
    qsizetype at = -1;
    if (m_index.isEmpty()) {
        at = m_names.indexOf(name);
    } else if (const auto it = m_index.constFind(name); it != m_index.cend()) {
        at = *it;
        m_index.erase(it);
    }
    if (at < 0)
        return false;
    const qsizetype last = m_names.size() - 1;
    if (at != last) {
        m_names[at] = std::move(m_names[last]);
        if (!m_index.isEmpty())
            m_index[m_names.at(at)] = at;
    }
    m_names.removeLast();
    if (m_names.isEmpty()) { // nothing kept for an empty set
        m_names = {};
        m_index = {};
    }
    return true;
}

// ---------------------------------------------------------------------------------------------

void Adapter::join(const SocketId &id, const Room &room)
{
    m_socketRooms[id].insert(room);
    m_rooms[room].insert(id);
}

void Adapter::leave(const SocketId &id, const Room &room)
{
    const auto socket = m_socketRooms.find(id);
    if (socket != m_socketRooms.end())
        socket->remove(room);
    const auto members = m_rooms.find(room);
    if (members == m_rooms.end())
        return;
    members->remove(id);
    if (members->isEmpty())
        m_rooms.erase(members);
}

void Adapter::leaveAll(const SocketId &id)
{
    const auto socket = m_socketRooms.find(id);
    if (socket == m_socketRooms.end())
        return;
    for (const Room &room : std::as_const(*socket)) {
        const auto members = m_rooms.find(room);
        if (members == m_rooms.end())
            continue;
        members->remove(id);
        if (members->isEmpty())
            m_rooms.erase(members);
    }
    m_socketRooms.erase(socket);
}

QSet<SocketId> Adapter::sockets(const QSet<Room> &rooms) const
{
    QSet<SocketId> result;
    forEachTarget(BroadcastTarget{rooms, {}}, [&](const SocketId &id) { result.insert(id); });
    return result;
}

QString Adapter::nextOffset()
{
    if (m_offsetPrefix.isEmpty())
        m_offsetPrefix = QString::number(QRandomGenerator::system()->generate64(), 36) + u'-';
    return m_offsetPrefix + QString::number(++m_offsetCounter, 36);
}

void Adapter::storePacket(const QString &offset, const Packet &packet, const BroadcastTarget &target)
{
    if (!isRecoveryEnabled())
        return;
    m_packets.append({offset, packet, target, QDeadlineTimer(m_recoveryWindowMs)});
    if (m_packets.size() > m_maxStoredPackets)
        m_packets.remove(0, m_packets.size() - m_maxStoredPackets);
}

void Adapter::persistSession(Session session)
{
    if (!isRecoveryEnabled())
        return;
    session.expiry = QDeadlineTimer(m_recoveryWindowMs);
    m_sessions.insert(session.pid, std::move(session));
}

std::optional<std::pair<Adapter::Session, QList<Packet>>> Adapter::restoreSession(const QString &pid,
                                                                                    const QString &offset)
{
    expire();
    const auto it = m_sessions.find(pid);
    if (it == m_sessions.end())
        return std::nullopt;
    qsizetype index = -1;
    for (qsizetype i = 0; i < m_packets.size(); ++i)
        if (m_packets.at(i).offset == offset) {
            index = i;
            break;
        }
    // As the reference: without a known offset (nothing received yet, or the packet already
    // expired) there is no telling what was missed, so there is no recovery.
    if (index < 0)
        return std::nullopt;

    Session session = *it;
    QList<Packet> missed;
    for (qsizetype i = index + 1; i < m_packets.size(); ++i) {
        const StoredPacket &stored = m_packets.at(i);
        const bool reaches = [&] {
            for (const Room &room : stored.target.except)
                if (session.rooms.contains(room))
                    return false;
            if (stored.target.rooms.isEmpty())
                return true;
            for (const Room &room : stored.target.rooms)
                if (session.rooms.contains(room))
                    return true;
            return false;
        }();
        if (!reaches)
            continue;
        Packet packet = stored.packet;
        QVariantList data = packet.data.toList();
        data.append(stored.offset);
        packet.data = data;
        missed.append(std::move(packet));
    }
    return std::make_pair(std::move(session), std::move(missed));
}

void Adapter::expire()
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->expiry.hasExpired())
            it = m_sessions.erase(it);
        else
            ++it;
    }
    qsizetype expired = 0;
    while (expired < m_packets.size() && m_packets.at(expired).expiry.hasExpired())
        ++expired;
    m_packets.remove(0, expired);
}

} // namespace Roomcast::SocketIO
