// The HTTP/1.1 front of the Engine.IO server: request heads, bodies (Content-Length and chunked)
// and pipelined requests, read from a TCP stream that arrives in pieces. The input is the
// stream, cut at \x1f into the pieces in which it arrives.
//
// The harness reads the stream as Http::Connection does (core/engineio/serverconnection.cpp):
// parseRequestHead() on at most maxBytes + 1 of the buffered bytes, the head consumed unless it
// is a WebSocket upgrade, then the body by its framing, then the next request. It reads the
// stream twice, in the fuzzer's pieces and all at once, and checks that the two readings see
// the same requests and end the same way: how TCP cuts a stream must never matter.
#include "engineio/serverhttp.h"

#include "fuzzing.h"

#include <optional>

using namespace Roomcast::EngineIO::Http;

namespace {

// Small limits, so that short inputs reach them; the code paths are those of the defaults.
constexpr HeadLimits Limits{512, 8};
constexpr qint64 MaxBodySize = 256;

struct Reading
{
    enum class End { Incomplete, Refused, Upgrade, Closed };

    //! One line per request and per body, to compare two readings.
    QList<QByteArray> events;
    End end = End::Incomplete;
};

class StreamReader
{
public:
    void receive(QByteArrayView bytes)
    {
        if (m_reading.end != Reading::End::Incomplete)
            return; // the connection is gone; the rest is never read
        m_buffer.append(bytes);
        while (m_reading.end == Reading::End::Incomplete && step()) {
        }
    }

    const Reading &reading() const { return m_reading; }

private:
    // One step of progress; false when more bytes are needed.
    bool step()
    {
        if (m_chunked)
            return readChunked();
        if (m_bodyLeft > 0)
            return readLength();
        return readHead();
    }

    bool readHead()
    {
        if (m_buffer.isEmpty())
            return false;
        const QByteArrayView peeked = QByteArrayView(m_buffer).first(qMin(m_buffer.size(), Limits.maxBytes + 1));
        const HeadParseResult result = parseRequestHead(peeked, Limits);
        switch (result.status) {
        case HeadParseResult::Status::Incomplete:
            // A peek of maxBytes + 1 bytes holds a whole head or a refusal: the connection
            // never reads more than that before deciding.
            FUZZ_CHECK(peeked.size() <= Limits.maxBytes);
            FUZZ_CHECK(result.error.isEmpty() && result.errorStatus == 0);
            return false;
        case HeadParseResult::Status::Error:
            FUZZ_CHECK(result.errorStatus == 400 || result.errorStatus == 431 || result.errorStatus == 505);
            FUZZ_CHECK(!result.error.isEmpty());
            m_reading.end = Reading::End::Refused;
            return false;
        case HeadParseResult::Status::Complete:
            break;
        }
        const RequestHead &head = result.head;
        FUZZ_CHECK(result.size > 0 && result.size <= peeked.size() && result.size <= Limits.maxBytes);
        FUZZ_CHECK(QByteArrayView(m_buffer).first(result.size).endsWith("\r\n\r\n"));
        FUZZ_CHECK(!head.method.isEmpty() && !head.target.isEmpty());
        FUZZ_CHECK(head.target.startsWith(head.path));
        FUZZ_CHECK(head.headers.size() <= Limits.maxCount);
        for (const auto &[name, value] : head.headers) {
            FUZZ_CHECK(!name.isEmpty() && name == name.toLower());
            FUZZ_CHECK(value == value.trimmed());
        }
        // What the server asks of every head.
        const bool upgrade = head.isWebSocketUpgrade();
        const bool keepAlive = head.keepAlive();
        const BodyFraming framing = bodyFraming(head);
        m_reading.events.append(head.method + ' ' + head.target + " HTTP/1." + QByteArray::number(head.minorVersion)
                                + " headers " + QByteArray::number(head.headers.size()) + (upgrade ? " upgrade" : "")
                                + (keepAlive ? " keep-alive" : ""));
        if (upgrade) {
            m_reading.end = Reading::End::Upgrade; // handed over, head unread
            return false;
        }
        m_buffer.remove(0, result.size);
        m_keepAlive = keepAlive;
        switch (framing.kind) {
        case BodyFraming::Kind::Invalid:
            FUZZ_CHECK(!framing.error.isEmpty());
            m_reading.end = Reading::End::Refused;
            return false;
        case BodyFraming::Kind::None:
            FUZZ_CHECK(framing.length == 0);
            return finishRequest(QByteArray());
        case BodyFraming::Kind::Length:
            FUZZ_CHECK(framing.length > 0);
            if (framing.length > MaxBodySize) {
                m_reading.end = Reading::End::Refused; // 413
                return false;
            }
            m_bodyLeft = framing.length;
            m_body.clear();
            return true;
        case BodyFraming::Kind::Chunked:
            m_chunked.emplace(MaxBodySize);
            m_body.clear();
            return true;
        }
        return false;
    }

    bool readLength()
    {
        if (m_buffer.isEmpty())
            return false;
        const qsizetype take = qMin<qint64>(m_bodyLeft, m_buffer.size());
        m_body += m_buffer.first(take);
        m_buffer.remove(0, take);
        m_bodyLeft -= take;
        return m_bodyLeft == 0 ? finishRequest(std::exchange(m_body, {})) : false;
    }

    bool readChunked()
    {
        if (m_buffer.isEmpty())
            return false;
        const qsizetype bodyBefore = m_body.size();
        const qsizetype consumed = m_chunked->feed(m_buffer, &m_body);
        FUZZ_CHECK(consumed >= 0 && consumed <= m_buffer.size());
        FUZZ_CHECK(m_body.size() >= bodyBefore && m_body.size() <= MaxBodySize);
        const ChunkedDecoder::Status status = m_chunked->status();
        // Bytes are left unconsumed only past the end of the body (or of a refused one).
        if (status == ChunkedDecoder::Status::NeedMore)
            FUZZ_CHECK(consumed == m_buffer.size());
        m_buffer.remove(0, consumed);
        switch (status) {
        case ChunkedDecoder::Status::NeedMore:
            return false;
        case ChunkedDecoder::Status::Done:
            m_chunked.reset();
            return finishRequest(std::exchange(m_body, {}));
        case ChunkedDecoder::Status::TooLarge:
        case ChunkedDecoder::Status::Error:
            m_reading.end = Reading::End::Refused; // 413 or 400
            return false;
        }
        return false;
    }

    bool finishRequest(const QByteArray &body)
    {
        m_reading.events.append("body " + body.toHex());
        if (!m_keepAlive) {
            m_reading.end = Reading::End::Closed;
            return false;
        }
        return true;
    }

    Reading m_reading;
    QByteArray m_buffer;
    QByteArray m_body;
    qint64 m_bodyLeft = 0;
    std::optional<ChunkedDecoder> m_chunked;
    bool m_keepAlive = true;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArrayView> pieces = Roomcast::Fuzz::pieces(Roomcast::Fuzz::view(data, size));
    StreamReader inPieces;
    QByteArray whole;
    for (QByteArrayView piece : pieces) {
        inPieces.receive(piece);
        whole += piece;
    }
    StreamReader atOnce;
    atOnce.receive(whole);

    FUZZ_CHECK(inPieces.reading().events == atOnce.reading().events);
    FUZZ_CHECK(inPieces.reading().end == atOnce.reading().end);

    // The response writer, with a status the server uses and the body it would carry.
    const QByteArray answer = response(400, {{"Content-Type", "text/plain"}}, whole.left(64));
    FUZZ_CHECK(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"));
    return 0;
}
