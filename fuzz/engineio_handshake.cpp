// The client's reading of the server's open packet (engineio/client.h, parseHandshake()): the
// input is the packet's data, the JSON object after the '0'.
#include "engineio/client.h"
#include "engineio/transport.h"

#include "fuzzing.h"

using namespace Roomcast::EngineIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::optional<Handshake> handshake = parseHandshake(Roomcast::Fuzz::view(data, size));
    if (!handshake)
        return 0;
    FUZZ_CHECK(!handshake->sid.isEmpty());
    // The heartbeat timer runs for pingInterval + pingTimeout: never negative.
    FUZZ_CHECK(handshake->pingInterval >= 0 && handshake->pingTimeout >= 0);
    FUZZ_CHECK(handshake->maxPayload >= 0 && handshake->maxPayload <= qint64(1e15));
    // The client's cap on what it reads, from maxPayload.
    const qint64 limit = incomingMessageLimit(handshake->maxPayload);
    FUZZ_CHECK(limit >= 16 * 1024 * 1024 && limit <= (qint64(1) << 44));
    FUZZ_CHECK(limit >= handshake->maxPayload || handshake->maxPayload > (qint64(1) << 40));
    return 0;
}
