#include "packet.h"

namespace Roomcast::EngineIO {

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

qsizetype base64Size(qsizetype bytes) { return (bytes + 2) / 3 * 4; }

} // namespace

QByteArray encodeText(const Packet &packet)
{
    Q_ASSERT(!packet.binary);
    QByteArray out;
    out.reserve(1 + packet.data.size());
    out.append(char('0' + int(packet.type)));
    out.append(packet.data);
    return out;
}

std::optional<Packet> decodeText(QByteArrayView frame, QString *error)
{
    if (frame.isEmpty()) {
        setError(error, QStringLiteral("empty packet"));
        return std::nullopt;
    }
    const char type = frame.front();
    if (type < '0' || type > '6') {
        setError(error, QStringLiteral("unknown packet type '%1'").arg(QChar::fromLatin1(type)));
        return std::nullopt;
    }
    return Packet{PacketType(type - '0'), frame.sliced(1).toByteArray(), false};
}

QByteArray encodePayloadRecord(const Packet &packet)
{
    if (!packet.binary)
        return encodeText(packet);
    QByteArray out;
    out.reserve(1 + base64Size(packet.data.size()));
    out.append('b');
    out.append(packet.data.toBase64());
    return out;
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    qsizetype size = 0;
    for (const Packet &packet : packets)
        size += payloadRecordSize(packet);
    QByteArray out;
    out.reserve(size);
    for (const Packet &packet : packets) {
        if (!out.isEmpty())
            out.append(RecordSeparator);
        out.append(encodePayloadRecord(packet));
    }
    return out;
}

std::optional<QList<Packet>> decodePayload(QByteArrayView payload, QString *error)
{
    QList<Packet> packets;
    qsizetype start = 0;
    while (start <= payload.size()) {
        qsizetype end = payload.indexOf(RecordSeparator, start);
        if (end < 0)
            end = payload.size();
        const QByteArrayView record = payload.sliced(start, end - start);
        if (!record.isEmpty() && record.front() == 'b') {
            const auto decoded = QByteArray::fromBase64Encoding(
                record.sliced(1).toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded) {
                setError(error, QStringLiteral("invalid base64 in binary packet"));
                return std::nullopt;
            }
            packets.append(Packet::binaryMessage(decoded.decoded));
        } else {
            auto packet = decodeText(record, error);
            if (!packet)
                return std::nullopt;
            packets.append(std::move(*packet));
        }
        start = end + 1;
    }
    return packets;
}

qsizetype payloadRecordSize(const Packet &packet)
{
    return 1 + (packet.binary ? base64Size(packet.data.size()) : packet.data.size()) + 1;
}

} // namespace Roomcast::EngineIO
