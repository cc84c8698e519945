// The HTTP/1.1 the Engine.IO server front speaks: request heads parsed incrementally with caps,
// body framing (Content-Length or chunked), and responses. Pure functions over bytes, no I/O.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace Roomcast::EngineIO::Http {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct RequestHead
{
    QByteArray method;
    //! The request target as sent (origin form, or the path of an absolute form).
    QByteArray target;
    //! `target` up to the '?', and after it.
    QByteArray path;
    QByteArray query;
    //! HTTP/1.x
    int minorVersion = 1;
    //! In order; names lower-cased, values without surrounding whitespace.
    Headers headers;

    //! The value of a header, duplicates joined with ", "; empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    //! Whether a comma-separated header holds `token` (case-insensitive), e.g. Connection.
    bool headerHasToken(QByteArrayView name, QByteArrayView token) const;
    //! Whether the connection may carry another request after this one.
    bool keepAlive() const;
    //! A WebSocket opening handshake: GET with `Upgrade: websocket` and `Connection: upgrade`.
    bool isWebSocketUpgrade() const;
};

struct HeadLimits
{
    //! Bytes of the head, request line and the blank line included.
    qsizetype maxBytes = 16 * 1024;
    //! Header lines (the request line excluded).
    int maxCount = 64;
};

struct HeadParseResult
{
    enum class Status { Incomplete, Complete, Error };
    Status status = Status::Incomplete;
    //! Complete: the bytes the head took (leading blank lines and the final CRLFCRLF included).
    qsizetype size = 0;
    //! Error: the HTTP status to answer (400, 431, 505) and why.
    int errorStatus = 0;
    QString error;
    RequestHead head;
};

//! Parses the request head at the start of `data`. Incomplete means more bytes are needed (and
//! none of the limits is exceeded yet); the bytes after the head are not looked at.
HeadParseResult parseRequestHead(QByteArrayView data, const HeadLimits &limits = {});

//! How the body of a request is delimited.
struct BodyFraming
{
    enum class Kind { None, Length, Chunked, Invalid };
    Kind kind = Kind::None;
    qint64 length = 0;
    QString error;
};

//! Content-Length (identical duplicates allowed) or `Transfer-Encoding: chunked`; both at
//! once, an unknown transfer coding or a malformed length is Invalid.
BodyFraming bodyFraming(const RequestHead &head);

//! Decodes a chunked body incrementally, with a cap on the decoded size.
class ChunkedDecoder
{
public:
    enum class Status { NeedMore, Done, TooLarge, Error };

    explicit ChunkedDecoder(qint64 maxBodySize) : m_maxBodySize(maxBodySize) {}

    //! Consumes bytes from `data` (never past the end of the body) and appends the decoded
    //! body to `body`. Returns how many bytes it consumed; status() says what happened.
    qsizetype feed(QByteArrayView data, QByteArray *body);
    Status status() const { return m_status; }

private:
    enum class State { Size, Data, DataEnd, Trailer };
    //! Takes one CRLF-terminated line from `data` at `pos` into m_line; false if incomplete.
    bool takeLine(QByteArrayView data, qsizetype *pos);

    qint64 m_maxBodySize;
    qint64 m_decoded = 0;
    qint64 m_chunkLeft = 0;
    State m_state = State::Size;
    Status m_status = Status::NeedMore;
    QByteArray m_line;
    qsizetype m_trailerBytes = 0;
};

//! The reason phrase of a status code ("Bad Request"…).
QByteArray reasonPhrase(int status);

//! A whole HTTP/1.1 response. Content-Length is added.
QByteArray response(int status, const Headers &headers, QByteArrayView body);

} // namespace Roomcast::EngineIO::Http
