// The query of a request to the Engine.IO server (what follows the '?' of the request target):
// the parameters the server reads from it, and the URL it records for the session.
#include "engineio/handshakequery.h"

#include "fuzzing.h"

#include <QUrl>

using namespace Roomcast::EngineIO;

namespace {

void checkValue(const HandshakeQuery &query, const QString &key, const QueryValue &value)
{
    const QStringList all = query.items.allQueryItemValues(key, QUrl::FullyDecoded);
    FUZZ_CHECK(value.present == !all.isEmpty());
    FUZZ_CHECK(value.several == (all.size() > 1));
    FUZZ_CHECK(!value.several || value.present);
    FUZZ_CHECK(value.present ? value.value == all.first() : value.value.isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = Roomcast::Fuzz::view(data, size);
    const HandshakeQuery query = parseHandshakeQuery(input);
    checkValue(query, QStringLiteral("EIO"), query.eio);
    checkValue(query, QStringLiteral("transport"), query.transport);
    checkValue(query, QStringLiteral("sid"), query.sid);

    // What a Socket.IO server hands its handlers (handshake.query), and the request URL the
    // session keeps (HandshakeRequest::url), as the server builds them.
    const QList<QPair<QString, QString>> items = query.items.queryItems(QUrl::FullyDecoded);
    FUZZ_CHECK(items.isEmpty() == query.items.isEmpty());
    const QUrl url = QUrl::fromEncoded("/socket.io/?" + input.toByteArray(), QUrl::TolerantMode);
    (void)url.toString();
    (void)url.query(QUrl::FullyDecoded);
    return 0;
}
