// LAN discovery datagrams (core/chat/discovery.h): the input is one UDP datagram, as any host
// on the network may send it. Also, as a server name a host could type, the name the beacon
// would announce for it.
#include "chat/discovery.h"

#include "fuzzing.h"

using namespace Roomcast::Chat::Discovery;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView datagram = Roomcast::Fuzz::view(data, size);

    if (const std::optional<Announcement> announcement = parseAnnouncement(datagram)) {
        FUZZ_CHECK(datagram.size() <= MaxDatagramSize);
        FUZZ_CHECK(!announcement->instanceId.isEmpty() && announcement->instanceId.size() <= MaxInstanceIdLength);
        if (announcement->type == Announcement::Type::Announce) {
            FUZZ_CHECK(!announcement->name.isEmpty() && announcement->name.size() <= MaxNameLength);
            FUZZ_CHECK(announcement->port >= 1);
            FUZZ_CHECK(announcement->intervalMs >= MinIntervalMs && announcement->intervalMs <= MaxIntervalMs);
        }
        // What was accepted, announced again, fits a datagram and is read back the same.
        const QByteArray encoded = encodeAnnouncement(*announcement);
        FUZZ_CHECK(encoded.size() <= MaxDatagramSize);
        const std::optional<Announcement> again = parseAnnouncement(encoded);
        FUZZ_CHECK(again && *again == *announcement);
    }

    // Any name a host types: the beacon announces the sanitised name, which every browser must
    // accept (or the name is empty and the beacon does not announce it).
    const QString name = sanitizedServerName(QString::fromUtf8(datagram));
    FUZZ_CHECK(name.size() <= MaxNameLength);
    FUZZ_CHECK(sanitizedServerName(name) == name);
    Announcement announcement;
    announcement.instanceId = QStringLiteral("fuzz-1");
    announcement.name = name;
    announcement.port = 3000;
    const std::optional<Announcement> parsed = parseAnnouncement(encodeAnnouncement(announcement));
    FUZZ_CHECK(parsed.has_value() == !name.isEmpty());
    if (parsed)
        FUZZ_CHECK(*parsed == announcement);
    return 0;
}
