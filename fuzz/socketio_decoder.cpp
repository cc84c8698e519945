// The Socket.IO decoder, binary-attachment reassembly included: the input is a sequence of
// frames cut at \x1f. A frame starting with 'b' is a binary frame (the bytes after the 'b'),
// a frame that is exactly "R" resets the decoder (as the Manager does on a new connection),
// any other frame is a text frame. The fuzzer so chooses the order of text and binary frames.
#include "socketio/json.h"
#include "socketio/packet.h"

#include "canonicaljson.h"
#include "fuzzing.h"

using namespace Roomcast::SocketIO;

namespace {

constexpr qint64 MaxAckId = 9007199254740991LL;

// The shapes packet.h promises for each type.
void checkShape(const Packet &packet)
{
    FUZZ_CHECK(isValidNamespace(packet.nsp));
    FUZZ_CHECK(packet.id >= -1 && packet.id <= MaxAckId);
    switch (packet.type) {
    case PacketType::Connect:
        FUZZ_CHECK(!packet.data.isValid() || packet.data.typeId() == QMetaType::QVariantMap);
        break;
    case PacketType::Disconnect:
        FUZZ_CHECK(!packet.data.isValid());
        break;
    case PacketType::ConnectError:
        FUZZ_CHECK(packet.data.typeId() == QMetaType::QVariantMap || packet.data.typeId() == QMetaType::QString);
        break;
    case PacketType::Event: {
        FUZZ_CHECK(packet.data.typeId() == QMetaType::QVariantList);
        const QVariantList list = packet.data.toList();
        FUZZ_CHECK(!list.isEmpty());
        const QVariant name = list.first();
        if (name.typeId() == QMetaType::QString)
            FUZZ_CHECK(!isReservedEventName(name.toString()));
        else
            FUZZ_CHECK(name.typeId() == QMetaType::LongLong || name.typeId() == QMetaType::Double);
        break;
    }
    case PacketType::Ack:
        FUZZ_CHECK(packet.data.typeId() == QMetaType::QVariantList);
        break;
    case PacketType::BinaryEvent:
    case PacketType::BinaryAck:
        Roomcast::Fuzz::fail("the decoder hands out Event and Ack only", __FILE__, __LINE__);
    }
}

// What the decoder hands out, encoded again, decodes to the same packet.
void checkRoundTrip(const Packet &packet)
{
    const EncodedPacket encoded = encode(packet);
    Decoder decoder;
    Decoder::Status status = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments) {
        FUZZ_CHECK(status == Decoder::Status::NeedMore);
        status = decoder.addBinary(attachment);
    }
    FUZZ_CHECK(status == Decoder::Status::Ready);
    const Packet again = decoder.takePacket();
    FUZZ_CHECK(again.type == packet.type);
    FUZZ_CHECK(again.nsp == packet.nsp);
    FUZZ_CHECK(again.id == packet.id);
    FUZZ_CHECK(again.data.isValid() == packet.data.isValid());
    FUZZ_CHECK(canonicalJson(again.data) == canonicalJson(packet.data));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Decoder decoder;
    for (QByteArrayView frame : Roomcast::Fuzz::pieces(Roomcast::Fuzz::view(data, size))) {
        if (frame == "R") {
            decoder.reset();
            FUZZ_CHECK(!decoder.isReconstructing());
            continue;
        }
        const bool binary = frame.startsWith('b');
        const bool wasReconstructing = decoder.isReconstructing();
        const Decoder::Status status =
            binary ? decoder.addBinary(frame.sliced(1).toByteArray()) : decoder.addText(frame);
        switch (status) {
        case Decoder::Status::NeedMore:
            FUZZ_CHECK(decoder.isReconstructing());
            break;
        case Decoder::Status::Ready: {
            FUZZ_CHECK(!decoder.isReconstructing());
            FUZZ_CHECK(binary == wasReconstructing);
            const Packet packet = decoder.takePacket();
            checkShape(packet);
            checkRoundTrip(packet);
            break;
        }
        case Decoder::Status::Error:
            FUZZ_CHECK(!decoder.isReconstructing());
            FUZZ_CHECK(!decoder.errorString().isEmpty());
            break;
        }
    }
    return 0;
}
