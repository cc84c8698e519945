#include "packet.h"

#include "json.h"

#include <QJsonArray>
#include <QVariantMap>

namespace Roomcast::SocketIO {

namespace {

// Largest ack id we accept: JavaScript's Number.MAX_SAFE_INTEGER, so the reference peer can
// represent every id we accept and echo it back unchanged.
constexpr qint64 MaxAckId = 9007199254740991LL;
constexpr int MaxAckIdDigits = 16;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isObject(const QJsonValue &value) { return value.isObject(); }

bool isPayloadValid(PacketType type, const std::optional<QJsonValue> &payload)
{
    switch (type) {
    case PacketType::Connect:
        return !payload || isObject(*payload);
    case PacketType::Disconnect:
        return !payload;
    case PacketType::ConnectError:
        return payload && (payload->isString() || isObject(*payload));
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!payload || !payload->isArray())
            return false;
        const QJsonArray array = payload->toArray();
        if (array.isEmpty())
            return false;
        const QJsonValue name = array.first();
        return name.isDouble() || (name.isString() && !isReservedEventName(name.toString()));
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return payload && payload->isArray();
    }
    return false;
}

} // namespace

Packet Packet::connect(const QString &nsp, const QVariant &auth)
{
    return {PacketType::Connect, nsp, auth, -1};
}

Packet Packet::disconnect(const QString &nsp)
{
    return {PacketType::Disconnect, nsp, {}, -1};
}

Packet Packet::event(const QString &nsp, const QVariantList &eventAndArgs, qint64 ackId)
{
    return {PacketType::Event, nsp, QVariant(eventAndArgs), ackId};
}

Packet Packet::ack(const QString &nsp, qint64 ackId, const QVariantList &args)
{
    return {PacketType::Ack, nsp, QVariant(args), ackId};
}

Packet Packet::connectError(const QString &nsp, const QString &message, const QVariant &data)
{
    QVariantMap payload{{QStringLiteral("message"), message}};
    if (data.isValid())
        payload.insert(QStringLiteral("data"), data);
    return {PacketType::ConnectError, nsp, QVariant(payload), -1};
}

bool isValidNamespace(QStringView nsp)
{
    return nsp.startsWith(u'/') && !nsp.contains(u',');
}

bool isReservedEventName(QStringView name)
{
    static constexpr QStringView Reserved[] = {u"connect",       u"connect_error", u"disconnect",
                                               u"disconnecting", u"newListener",   u"removeListener"};
    for (QStringView reserved : Reserved)
        if (name == reserved)
            return true;
    return false;
}

EncodedPacket encode(const Packet &packet)
{
    Q_ASSERT(isValidNamespace(packet.nsp));
    EncodedPacket encoded;
    const bool canCarryBinary = packet.type == PacketType::Event || packet.type == PacketType::Ack
                                || packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck;

    QByteArray json;
    if (packet.data.isValid())
        Json::write(json, packet.data, canCarryBinary ? &encoded.attachments : nullptr);

    PacketType type = packet.type;
    if (!encoded.attachments.isEmpty())
        type = (type == PacketType::Event || type == PacketType::BinaryEvent) ? PacketType::BinaryEvent
                                                                                : PacketType::BinaryAck;
    else if (type == PacketType::BinaryEvent)
        type = PacketType::Event;
    else if (type == PacketType::BinaryAck)
        type = PacketType::Ack;

    QByteArray &out = encoded.text;
    out.reserve(json.size() + packet.nsp.size() + 24);
    out.append(char('0' + int(type)));
    if (!encoded.attachments.isEmpty())
        out.append(QByteArray::number(encoded.attachments.size())).append('-');
    if (packet.nsp != u"/")
        out.append(packet.nsp.toUtf8()).append(',');
    if (packet.hasId())
        out.append(QByteArray::number(packet.id));
    out.append(json);
    return encoded;
}

Decoder::Decoder(int maxAttachments)
    : m_maxAttachments(maxAttachments)
{
}

void Decoder::reset()
{
    m_expectedAttachments = 0;
    m_pending = {};
    m_pendingData = {};
    m_attachments.clear();
}

Decoder::Status Decoder::fail(const QString &message)
{
    reset();
    m_error = message;
    return Status::Error;
}

Decoder::Status Decoder::addText(QByteArrayView str)
{
    if (isReconstructing())
        return fail(QStringLiteral("got plaintext data when reconstructing a packet"));
    if (str.isEmpty() || str.front() < '0' || str.front() > '6')
        return fail(QStringLiteral("unknown packet type"));

    Packet packet;
    packet.type = PacketType(str.front() - '0');
    qsizetype i = 1;
    const qsizetype size = str.size();

    int attachments = 0;
    if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
        const qsizetype start = i;
        while (i < size && isDigit(str[i]))
            ++i;
        if (i == start || i == size || str[i] != '-')
            return fail(QStringLiteral("illegal attachments"));
        if (i - start > 9)
            return fail(QStringLiteral("too many attachments"));
        attachments = str.sliced(start, i - start).toInt();
        if (attachments < 1)
            return fail(QStringLiteral("illegal attachments"));
        if (attachments > m_maxAttachments)
            return fail(QStringLiteral("too many attachments"));
        ++i; // the '-'
    }

    if (i < size && str[i] == '/') {
        const qsizetype start = i;
        while (i < size && str[i] != ',')
            ++i;
        packet.nsp = QString::fromUtf8(str.sliced(start, i - start));
        if (i < size)
            ++i; // the ','
    }

    if (i < size && isDigit(str[i])) {
        const qsizetype start = i;
        while (i < size && isDigit(str[i]))
            ++i;
        bool ok = false;
        const qint64 id = i - start <= MaxAckIdDigits ? str.sliced(start, i - start).toLongLong(&ok) : -1;
        if (!ok || id > MaxAckId)
            return fail(QStringLiteral("invalid ack id"));
        packet.id = id;
    }

    std::optional<QJsonValue> payload;
    if (i < size) {
        QString jsonError;
        payload = Json::parse(str.sliced(i), &jsonError);
        if (!payload)
            return fail(QStringLiteral("invalid payload: %1").arg(jsonError));
    }
    if (!isPayloadValid(packet.type, payload))
        return fail(QStringLiteral("invalid payload"));

    m_pending = std::move(packet);
    m_pendingData = payload.value_or(QJsonValue(QJsonValue::Undefined));
    if (attachments > 0) {
        m_pending.type = m_pending.type == PacketType::BinaryEvent ? PacketType::Event : PacketType::Ack;
        m_expectedAttachments = attachments;
        m_attachments.reserve(attachments);
        return Status::NeedMore;
    }
    return finish(nullptr);
}

Decoder::Status Decoder::addBinary(const QByteArray &bytes)
{
    if (!isReconstructing())
        return fail(QStringLiteral("got binary data when not reconstructing a packet"));
    m_attachments.append(bytes);
    if (m_attachments.size() < m_expectedAttachments)
        return Status::NeedMore;
    return finish(&m_attachments);
}

Decoder::Status Decoder::finish(const QList<QByteArray> *attachments)
{
    if (!m_pendingData.isUndefined()) {
        QString error;
        auto data = Json::toVariant(m_pendingData, attachments, &error);
        if (!data)
            return fail(error);
        m_pending.data = std::move(*data);
    }
    m_ready = std::move(m_pending);
    reset();
    return Status::Ready;
}

} // namespace Roomcast::SocketIO
