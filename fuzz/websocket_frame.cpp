// The frames a WebSocket client sends, as the server's transports read them
// (core/engineio/websocketframe.h, WebSocket::FrameParser): a TCP stream cut at \x1f into the
// pieces in which it arrives. The stream is read twice, in the fuzzer's pieces and all at once,
// with a small message cap; the two readings must see the same events, and every event must
// keep the parser's promises.
#include "engineio/websocketframe.h"

#include "fuzzing.h"

using namespace Roomcast::EngineIO::WebSocket;
using Result = FrameParser::Result;

namespace {

// Small, so that short inputs reach it; the code paths are those of maxHttpBufferSize.
constexpr qint64 MaxMessage = 300;

QList<QByteArray> read(const QList<QByteArrayView> &chunks)
{
    FrameParser parser(MaxMessage);
    QList<QByteArray> events;
    bool ended = false; // a Close or an error: the client has nothing more to say that we read
    for (QByteArrayView chunk : chunks) {
        while (true) {
            qsizetype consumed = -1;
            const Result result = parser.parse(chunk, &consumed);
            FUZZ_CHECK(consumed >= 0 && consumed <= chunk.size());
            chunk = chunk.sliced(consumed);
            if (result == Result::NeedMore) {
                FUZZ_CHECK(chunk.isEmpty());
                break;
            }
            FUZZ_CHECK(!parser.closeReceived() || result == Result::Close || result == Result::Error);
            switch (result) {
            case Result::NeedMore:
                break;
            case Result::Message: {
                FUZZ_CHECK(!ended);
                const bool binary = parser.isBinary();
                const QByteArray message = parser.takeMessage();
                FUZZ_CHECK(message.size() <= MaxMessage);
                FUZZ_CHECK(binary || message.isValidUtf8());
                events.append((binary ? "b:" : "t:") + message);
                break;
            }
            case Result::Ping:
                FUZZ_CHECK(!ended);
                FUZZ_CHECK(parser.payload().size() <= 125);
                events.append("p:" + parser.payload());
                break;
            case Result::Close:
                FUZZ_CHECK(parser.closeReceived());
                FUZZ_CHECK(parser.closeCode() == CloseCode::MissingStatusCode || isValidCloseCode(parser.closeCode()));
                events.append("c:" + QByteArray::number(parser.closeCode()) + ':' + parser.closeReason().toUtf8());
                ended = true;
                break;
            case Result::Error:
                FUZZ_CHECK(!parser.closeReason().isEmpty());
                FUZZ_CHECK(closePayload(parser.closeCode(), parser.closeReason()).size() <= 125);
                events.append("e:" + QByteArray::number(parser.closeCode()));
                ended = true;
                break;
            }
        }
    }
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = Roomcast::Fuzz::view(data, size);
    const QList<QByteArrayView> pieces = Roomcast::Fuzz::pieces(input);
    QByteArray whole;
    for (QByteArrayView piece : pieces)
        whole.append(piece);
    // How TCP cuts the stream must never matter.
    FUZZ_CHECK(read(pieces) == read({whole}));
    return 0;
}
