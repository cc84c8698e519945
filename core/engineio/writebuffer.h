// The packets a Client has queued but not yet handed to a transport, kept in the groups they
// were sent in, and cut into polling batches that respect the server's maxPayload.
#pragma once

#include "engineio/packet.h"

#include <QList>

#include <deque>

namespace Roomcast::EngineIO {

class WriteBuffer
{
public:
    void append(QList<Packet> group);
    bool isEmpty() const { return m_groups.empty(); }
    void clear();

    //! Whether the first group has been handed out in part only (it alone exceeded maxPayload):
    //! the rest must follow on the same transport before an upgrade may switch.
    bool hasPartialGroup() const { return m_sentOfFront > 0; }

    //! Everything, for a WebSocket.
    QList<Packet> takeAll();
    //! One polling POST: as many whole groups as fit in `maxPayload` bytes of payload. A first
    //! group too large on its own is cut between packets (a single packet is never cut, and at
    //! least one goes). With `partialOnly`, only the rest of a group already begun.
    QList<Packet> takeBatch(qint64 maxPayload, bool partialOnly = false);

private:
    std::deque<QList<Packet>> m_groups;
    qsizetype m_sentOfFront = 0;
};

} // namespace Roomcast::EngineIO
