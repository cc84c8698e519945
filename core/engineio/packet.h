// Engine.IO v4 packet and polling-payload codec: pure functions, no QObject, no I/O.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Roomcast::EngineIO {

inline constexpr int ProtocolVersion = 4;

enum class PacketType : quint8 { Open = 0, Close, Ping, Pong, Message, Upgrade, Noop };

//! One Engine.IO packet. `data` holds UTF-8 text, or raw bytes when `binary` is set
//! (binary data only travels in Message packets).
struct Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;
    bool binary = false;

    static Packet message(const QByteArray &text) { return {PacketType::Message, text, false}; }
    static Packet binaryMessage(const QByteArray &bytes) { return {PacketType::Message, bytes, true}; }
    static Packet of(PacketType type, const QByteArray &data = {}) { return {type, data, false}; }

    friend bool operator==(const Packet &, const Packet &) = default;
};

//! The separator between packets of a polling payload.
inline constexpr char RecordSeparator = '\x1e';

//! Encodes a text packet as it travels in a WebSocket text frame: the type digit, then the data.
//! A binary packet is sent as-is in a binary frame; this function must not be given one.
QByteArray encodeText(const Packet &packet);

//! Decodes a WebSocket text frame (or one record of a polling payload).
std::optional<Packet> decodeText(QByteArrayView frame, QString *error = nullptr);

//! A WebSocket binary frame is always a binary message.
inline Packet decodeBinaryFrame(const QByteArray &frame) { return Packet::binaryMessage(frame); }

//! Encodes one packet of a polling payload: text as encodeText(), binary as 'b' + base64.
QByteArray encodePayloadRecord(const Packet &packet);

//! Encodes packets into one HTTP long-polling payload, records separated by RecordSeparator.
QByteArray encodePayload(const QList<Packet> &packets);

//! Decodes an HTTP long-polling payload. Fails as a whole if any record is malformed
//! (as the reference parser does, which stops at the first error packet).
std::optional<QList<Packet>> decodePayload(QByteArrayView payload, QString *error = nullptr);

//! Size in bytes that a packet adds to a polling payload (record plus separator), used to
//! respect the peer's maxPayload when batching.
qsizetype payloadRecordSize(const Packet &packet);

} // namespace Roomcast::EngineIO
