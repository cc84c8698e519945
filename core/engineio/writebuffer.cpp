#include "writebuffer.h"

namespace Roomcast::EngineIO {

void WriteBuffer::append(QList<Packet> group)
{
    if (!group.isEmpty())
        m_groups.push_back(std::move(group));
}

void WriteBuffer::clear()
{
    m_groups.clear();
    m_sentOfFront = 0;
}

QList<Packet> WriteBuffer::takeAll()
{
    QList<Packet> out;
    for (QList<Packet> &group : m_groups) {
        if (out.isEmpty() && m_sentOfFront == 0)
            out = std::move(group);
        else
            out.append(group.sliced(out.isEmpty() ? m_sentOfFront : 0));
        m_sentOfFront = 0;
    }
    m_groups.clear();
    return out;
}

QList<Packet> WriteBuffer::takeBatch(qint64 maxPayload, bool partialOnly)
{
    QList<Packet> out;
    // payloadRecordSize() counts a separator after every record; a payload has one fewer.
    qint64 size = -1;
    const auto fits = [&](qint64 more) { return maxPayload <= 0 || size + more <= maxPayload; };

    while (!m_groups.empty()) {
        if (partialOnly && m_sentOfFront == 0)
            break;
        const QList<Packet> &group = m_groups.front();
        qint64 groupSize = 0;
        for (qsizetype i = m_sentOfFront; i < group.size(); ++i)
            groupSize += payloadRecordSize(group.at(i));

        if (fits(groupSize)) {
            out.append(group.sliced(m_sentOfFront));
            size += groupSize;
            m_groups.pop_front();
            m_sentOfFront = 0;
            if (partialOnly)
                break;
            continue;
        }
        if (!out.isEmpty())
            break; // the group goes whole in the next batch
        // Too large for any batch: cut it between packets, here and in the batches that follow.
        for (; m_sentOfFront < group.size(); ++m_sentOfFront) {
            const qint64 packetSize = payloadRecordSize(group.at(m_sentOfFront));
            if (!out.isEmpty() && !fits(packetSize))
                break;
            out.append(group.at(m_sentOfFront));
            size += packetSize;
        }
        if (m_sentOfFront == group.size()) {
            m_groups.pop_front();
            m_sentOfFront = 0;
        }
        break;
    }
    return out;
}

} // namespace Roomcast::EngineIO
