// Engine.IO packets: the input is one WebSocket text frame, and also one HTTP long-polling
// payload (records separated by \x1e, binary records as 'b' + base64).
#include "engineio/packet.h"

#include "fuzzing.h"

using namespace Roomcast::EngineIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = Roomcast::Fuzz::view(data, size);

    QString error;
    if (const std::optional<Packet> packet = decodeText(input, &error)) {
        FUZZ_CHECK(!packet->binary);
        FUZZ_CHECK(int(packet->type) <= int(PacketType::Noop));
        // A text frame has one spelling: the packet writes it back byte for byte.
        FUZZ_CHECK(encodeText(*packet) == input);
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }

    error.clear();
    if (const std::optional<QList<Packet>> packets = decodePayload(input, &error)) {
        FUZZ_CHECK(!packets->isEmpty());
        const QByteArray encoded = encodePayload(*packets);
        // The batching of polling writes relies on payloadRecordSize() to respect maxPayload.
        qsizetype recordSizes = 0;
        for (const Packet &packet : *packets)
            recordSizes += payloadRecordSize(packet);
        FUZZ_CHECK(recordSizes == encoded.size() + 1);
        // What was decoded encodes into a payload that decodes to the same packets.
        const std::optional<QList<Packet>> again = decodePayload(encoded);
        FUZZ_CHECK(again && *again == *packets);
        for (const Packet &packet : *packets)
            FUZZ_CHECK(packet.type == PacketType::Message || !packet.binary);
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }

    // A binary frame is taken as it is.
    const Packet binary = decodeBinaryFrame(input.toByteArray());
    FUZZ_CHECK(binary.binary && binary.type == PacketType::Message && binary.data == input);
    return 0;
}
