#include "handshakequery.h"

#include <QStringList>

namespace Roomcast::EngineIO {

QueryValue queryValue(const QUrlQuery &query, const QString &key)
{
    const QStringList values = query.allQueryItemValues(key, QUrl::FullyDecoded);
    return {!values.isEmpty(), values.size() > 1, values.isEmpty() ? QString() : values.first()};
}

HandshakeQuery parseHandshakeQuery(QByteArrayView query)
{
    HandshakeQuery parsed;
    parsed.items = QUrlQuery(QString::fromLatin1(query));
    parsed.eio = queryValue(parsed.items, QStringLiteral("EIO"));
    parsed.transport = queryValue(parsed.items, QStringLiteral("transport"));
    parsed.sid = queryValue(parsed.items, QStringLiteral("sid"));
    return parsed;
}

} // namespace Roomcast::EngineIO
