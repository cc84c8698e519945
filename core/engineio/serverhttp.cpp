#include "serverhttp.h"

#include <QtGlobal>

#include <cctype>
#include <utility>

namespace Roomcast::EngineIO::Http {

namespace {

constexpr QByteArrayView Crlf = "\r\n";
constexpr qsizetype MaxChunkLine = 1024;
constexpr qsizetype MaxTrailerBytes = 8 * 1024;

// RFC 9110 token characters.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// A field value: visible characters, spaces, tabs and obs-text; no other controls.
bool isFieldValue(QByteArrayView text)
{
    for (char c : text) {
        const auto u = uchar(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// The request target: visible ASCII and obs-text, no spaces or controls.
bool isTarget(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        const auto u = uchar(c);
        if (u <= 0x20 || u == 0x7f)
            return false;
    }
    return true;
}

HeadParseResult error(int status, const QString &message)
{
    HeadParseResult result;
    result.status = HeadParseResult::Status::Error;
    result.errorStatus = status;
    result.error = message;
    return result;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray RequestHead::header(QByteArrayView name) const
{
    QByteArray value;
    bool found = false;
    for (const auto &[key, v] : headers) {
        if (!equalsIgnoringCase(key, name))
            continue;
        if (found)
            value += ", ";
        value += v;
        found = true;
    }
    return value;
}

bool RequestHead::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (equalsIgnoringCase(header.first, name))
            return true;
    }
    return false;
}

bool RequestHead::headerHasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto &[key, value] : headers) {
        if (!equalsIgnoringCase(key, name))
            continue;
        for (const QByteArray &part : value.split(',')) {
            if (equalsIgnoringCase(part.trimmed(), token))
                return true;
        }
    }
    return false;
}

bool RequestHead::keepAlive() const
{
    if (headerHasToken("connection", "close"))
        return false;
    return minorVersion >= 1 || headerHasToken("connection", "keep-alive");
}

bool RequestHead::isWebSocketUpgrade() const
{
    return method == "GET" && headerHasToken("upgrade", "websocket") && headerHasToken("connection", "upgrade");
}

HeadParseResult parseRequestHead(QByteArrayView data, const HeadLimits &limits)
{
    // Blank lines before the request line are ignored (RFC 9112 §2.2).
    qsizetype start = 0;
    while (data.sliced(start).startsWith(Crlf))
        start += 2;
    if (start > limits.maxBytes)
        return error(431, QStringLiteral("too many blank lines before the request"));

    const QByteArrayView rest = data.sliced(start);
    const qsizetype end = rest.indexOf(QByteArrayView("\r\n\r\n"));
    const QByteArrayView head = end < 0 ? rest : rest.first(end + 2); // lines, each with its CRLF
    if (end < 0) {
        // A CR alone may be the first half of one more blank line: wait for what follows.
        if (rest == "\r")
            return {};
        // Refuse as early as possible what can never be a request: a method that is not a
        // token (a TLS ClientHello on the plain port, binary garbage)…
        for (char c : rest) {
            if (c == ' ')
                break;
            if (!isTokenChar(c))
                return error(400, QStringLiteral("malformed request line"));
        }
        // …and what can never fit (the blank lines before it count, as in a whole head).
        if (data.size() > limits.maxBytes)
            return error(431, QStringLiteral("request head larger than %1 bytes").arg(limits.maxBytes));
        if (rest.count(Crlf) > limits.maxCount + 1)
            return error(431, QStringLiteral("more than %1 header lines").arg(limits.maxCount));
        return {};
    }
    if (start + end + 4 > limits.maxBytes)
        return error(431, QStringLiteral("request head larger than %1 bytes").arg(limits.maxBytes));

    HeadParseResult result;
    RequestHead &request = result.head;
    qsizetype pos = 0;
    bool first = true;
    while (pos < head.size()) {
        const qsizetype eol = head.indexOf(Crlf, pos);
        const QByteArrayView line = head.sliced(pos, eol - pos);
        pos = eol + 2;
        if (line.contains('\r') || line.contains('\n'))
            return error(400, QStringLiteral("bare CR or LF in the request head"));
        if (first) {
            first = false;
            const qsizetype sp1 = line.indexOf(' ');
            const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
                return error(400, QStringLiteral("malformed request line"));
            const QByteArrayView method = line.first(sp1);
            QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
            const QByteArrayView version = line.sliced(sp2 + 1);
            if (!isToken(method) || !isTarget(target))
                return error(400, QStringLiteral("malformed request line"));
            if (version == "HTTP/1.1")
                request.minorVersion = 1;
            else if (version == "HTTP/1.0")
                request.minorVersion = 0;
            else if (version.startsWith("HTTP/"))
                return error(505, QStringLiteral("unsupported HTTP version"));
            else
                return error(400, QStringLiteral("malformed request line"));
            // Absolute form: keep the path and query only.
            if (!target.startsWith('/') && target != "*") {
                const qsizetype scheme = target.indexOf("://");
                if (scheme <= 0)
                    return error(400, QStringLiteral("malformed request target"));
                const qsizetype slash = target.indexOf('/', scheme + 3);
                const qsizetype question = target.indexOf('?', scheme + 3);
                if (slash >= 0 && (question < 0 || slash < question))
                    target = target.sliced(slash);
                else if (question >= 0)
                    return error(400, QStringLiteral("malformed request target"));
                else
                    target = "/";
            }
            request.method = method.toByteArray();
            request.target = target.toByteArray();
            const qsizetype question = target.indexOf('?');
            request.path = (question < 0 ? target : target.first(question)).toByteArray();
            request.query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
            continue;
        }
        if (line.isEmpty())
            break;
        if (line.front() == ' ' || line.front() == '\t')
            return error(400, QStringLiteral("obsolete header line folding"));
        if (request.headers.size() >= limits.maxCount)
            return error(431, QStringLiteral("more than %1 header lines").arg(limits.maxCount));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return error(400, QStringLiteral("malformed header line"));
        const QByteArrayView name = line.first(colon);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!isToken(name))
            return error(400, QStringLiteral("malformed header name"));
        if (!isFieldValue(value))
            return error(400, QStringLiteral("invalid character in a header value"));
        request.headers.append({name.toByteArray().toLower(), value.toByteArray()});
    }
    if (request.minorVersion == 1 && !request.hasHeader("host"))
        return error(400, QStringLiteral("HTTP/1.1 request without Host"));
    result.status = HeadParseResult::Status::Complete;
    result.size = start + end + 4;
    return result;
}

BodyFraming bodyFraming(const RequestHead &head)
{
    BodyFraming framing;
    const bool hasLength = head.hasHeader("content-length");
    if (head.hasHeader("transfer-encoding")) {
        const QByteArray coding = head.header("transfer-encoding").trimmed();
        if (hasLength) {
            framing.kind = BodyFraming::Kind::Invalid;
            framing.error = QStringLiteral("both Content-Length and Transfer-Encoding");
        } else if (!equalsIgnoringCase(coding, "chunked")) {
            framing.kind = BodyFraming::Kind::Invalid;
            framing.error = QStringLiteral("unsupported transfer coding");
        } else {
            framing.kind = BodyFraming::Kind::Chunked;
        }
        return framing;
    }
    if (!hasLength)
        return framing;
    // Identical duplicates (also as a list) are tolerated; anything else is an error.
    QByteArray value;
    for (const QByteArray &part : head.header("content-length").split(',')) {
        const QByteArray trimmed = part.trimmed();
        if (!value.isEmpty() && trimmed != value) {
            framing.kind = BodyFraming::Kind::Invalid;
            framing.error = QStringLiteral("conflicting Content-Length values");
            return framing;
        }
        value = trimmed;
    }
    bool ok = !value.isEmpty() && value.size() <= 18;
    for (char c : value)
        ok = ok && c >= '0' && c <= '9';
    if (!ok) {
        framing.kind = BodyFraming::Kind::Invalid;
        framing.error = QStringLiteral("malformed Content-Length");
        return framing;
    }
    framing.length = value.toLongLong();
    framing.kind = framing.length > 0 ? BodyFraming::Kind::Length : BodyFraming::Kind::None;
    return framing;
}

bool ChunkedDecoder::takeLine(QByteArrayView data, qsizetype *pos)
{
    const qsizetype limit = m_state == State::Trailer ? MaxTrailerBytes : MaxChunkLine;
    while (*pos < data.size()) {
        const char c = data[*pos];
        ++*pos;
        m_line.append(c);
        if (m_state == State::Trailer)
            ++m_trailerBytes;
        if (m_line.endsWith(Crlf)) {
            m_line.chop(2);
            return true;
        }
        if (m_line.size() > limit || m_trailerBytes > MaxTrailerBytes) {
            m_status = Status::Error;
            return false;
        }
    }
    return false;
}

qsizetype ChunkedDecoder::feed(QByteArrayView data, QByteArray *body)
{
    qsizetype pos = 0;
    while (m_status == Status::NeedMore && pos < data.size()) {
        switch (m_state) {
        case State::Size: {
            if (!takeLine(data, &pos))
                break;
            QByteArray size = m_line;
            m_line.clear();
            const qsizetype extension = size.indexOf(';');
            if (extension >= 0)
                size.truncate(extension);
            size = size.trimmed();
            bool ok = !size.isEmpty() && size.size() <= 15;
            for (char c : std::as_const(size))
                ok = ok && std::isxdigit(uchar(c));
            if (!ok) {
                m_status = Status::Error;
                break;
            }
            m_chunkLeft = size.toLongLong(nullptr, 16);
            if (m_chunkLeft == 0) {
                m_state = State::Trailer;
            } else if (m_decoded + m_chunkLeft > m_maxBodySize) {
                m_status = Status::TooLarge;
            } else {
                m_state = State::Data;
            }
            break;
        }
        case State::Data: {
            const qsizetype take = qMin<qint64>(m_chunkLeft, data.size() - pos);
            body->append(data.sliced(pos, take));
            pos += take;
            m_chunkLeft -= take;
            m_decoded += take;
            if (m_chunkLeft == 0)
                m_state = State::DataEnd;
            break;
        }
        case State::DataEnd:
            if (!takeLine(data, &pos))
                break;
            if (!m_line.isEmpty())
                m_status = Status::Error;
            m_line.clear();
            m_state = State::Size;
            break;
        case State::Trailer:
            if (!takeLine(data, &pos))
                break;
            if (m_line.isEmpty())
                m_status = Status::Done;
            m_line.clear();
            break;
        }
    }
    return pos;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

QByteArray response(int status, const Headers &headers, QByteArrayView body)
{
    QByteArray out;
    out.reserve(128 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    out += body;
    return out;
}

} // namespace Roomcast::EngineIO::Http
