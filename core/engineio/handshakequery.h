// The query string of a request to the Engine.IO server, read as engine.io reads req._query:
// the parameters the server acts on (EIO, transport, sid), each absent, given once or given
// several times. Pure functions, no QObject, no I/O, so they are unit-tested and fuzzed alone.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QUrlQuery>

namespace Roomcast::EngineIO {

//! A query parameter as Node's querystring sees it: absent, one value, or several (an array,
//! which matches no transport name and no session id).
struct QueryValue
{
    bool present = false;
    bool several = false;
    //! The first value, percent-decoded; empty when absent.
    QString value;
};

//! The parameter `key` of `query`, percent-decoded.
QueryValue queryValue(const QUrlQuery &query, const QString &key);

struct HandshakeQuery
{
    //! Every parameter, values percent-encoded as sent (HandshakeRequest::query).
    QUrlQuery items;
    QueryValue eio;
    QueryValue transport;
    QueryValue sid;
};

//! Reads the query of a request target: the bytes after the '?', as received.
HandshakeQuery parseHandshakeQuery(QByteArrayView query);

} // namespace Roomcast::EngineIO
