// The server side of RFC 6455: the opening handshake's answer, the frames a server sends, and a
// parser for the frames a client sends. Pure functions and a parser over bytes, no QObject, no
// I/O, so that they are unit-tested (tests/unit/tst_websocket_frame.cpp) and fuzzed alone; both
// server WebSocket transports (serverwebsocket*, serverrawwebsocket*) use them.
#pragma once

#include "engineio/packet.h"
#include "engineio/serverhttp.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Roomcast::EngineIO {

//! The frames a server sends for `packets` (RFC 6455 §5.2: unmasked, one per packet, text or
//! binary), back to back.
QByteArray webSocketFrames(const QList<Packet> &packets);

namespace WebSocket {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

//! The close codes we send or look at (RFC 6455 §7.4.1).
namespace CloseCode {
inline constexpr int Normal = 1000;
inline constexpr int GoingAway = 1001;
inline constexpr int ProtocolError = 1002;
inline constexpr int UnsupportedData = 1003;
inline constexpr int MissingStatusCode = 1005;
inline constexpr int WrongDatatype = 1007;
inline constexpr int PolicyViolated = 1008;
inline constexpr int TooMuchData = 1009;
} // namespace CloseCode

//! Browsers and `ws` send each message in one frame. A message split into more fragments than
//! this is an attack (an endless run of empty non-final frames never grows the message, so the
//! size limits alone would never end it).
inline constexpr int MaxFragmentsPerMessage = 1024;

//! Appends one unmasked, final frame (what a server sends) whose payload is `prefix` then
//! `payload`.
void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView prefix, QByteArrayView payload);
//! One unmasked, final frame.
QByteArray frame(Opcode opcode, QByteArrayView payload);
//! A Close frame's payload: the code, then the reason cut to fit a control frame (on a
//! character boundary).
QByteArray closePayload(int code, const QString &reason);
//! The close codes a client may send (RFC 6455 §7.4; the registered ones as `ws` accepts them).
bool isValidCloseCode(int code);
//! Close codes that say the client found fault with us (or we with it): the session ends with
//! "transport error" rather than "transport close".
bool isErrorCloseCode(int code);

// ----- the opening handshake (RFC 6455 §4.2)

//! Why an upgrade request cannot be answered with 101, as `ws` answers it.
struct HandshakeError
{
    int status = 400;
    QByteArray message;
    Http::Headers headers;
};

//! Checks what the Engine.IO checks leave to the WebSocket layer (a GET with `Upgrade:
//! websocket` and `Connection: upgrade` is given): the key and the version, as `ws` does.
std::optional<HandshakeError> checkOpeningHandshake(const Http::RequestHead &head);
//! Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC's GUID)).
QByteArray acceptKey(QByteArrayView key);
//! The whole 101 answer to a request that passed checkOpeningHandshake(). A subprotocol
//! offered by the client is accepted as `ws` does by default: the first one offered.
QByteArray switchingProtocolsResponse(const Http::RequestHead &head);

// ----- what a client sends

//! Reads the frames a WebSocket client sends (RFC 6455 §5) as the bytes arrive, in pieces of
//! any size: a header may be cut anywhere, a payload is taken piece by piece. Frames are
//! checked as the `ws` package checks them (masking, reserved bits and opcodes, lengths,
//! control frames, close codes) and put together into messages of at most `maxMessageSize`.
class FrameParser
{
public:
    enum class Result {
        NeedMore, //!< every byte given was read
        Message,  //!< a whole message: isBinary(), takeMessage()
        Ping,     //!< payload() is to be sent back in a pong
        Close,    //!< the client's Close frame: closeCode(), closeReason()
        Error,    //!< the client broke the protocol: closeCode() and closeReason() to close with
    };

    explicit FrameParser(qint64 maxMessageSize);

    //! Reads `data` until something happens or it is all read; `*consumed` says how much was.
    //! Call again with the rest (what was not consumed) after handling the result: a result
    //! other than NeedMore may leave bytes unread. After an Error or a Close, the rest of the
    //! stream is skipped, or (discardData()) followed to the client's Close frame.
    Result parse(QByteArrayView data, qsizetype *consumed);

    bool isBinary() const { return m_binary; }
    QByteArray takeMessage() { return std::exchange(m_message, {}); }
    const QByteArray &payload() const { return m_control; }
    //! The code and reason of the client's Close frame (1005 for none), or the error's.
    int closeCode() const { return m_closeCode; }
    const QString &closeReason() const { return m_closeReason; }
    //! Whether the client's Close frame (valid or not) was read: it sends nothing after it.
    bool closeReceived() const { return m_closeReceived; }

    //! From now on (our Close frame is sent) data frames are skipped unread and pings ignored:
    //! only a Close frame is looked for.
    void discardData() { m_discarding = true; }
    //! Reads all of `data` as a closing connection does, dropping data frames and malformed
    //! ones; returns true once the client's Close frame is in (nothing after it is read).
    bool consumeUntilClose(QByteArrayView data);

private:
    enum class State : quint8 {
        Header,
        Payload,
        Closed, //!< after the Close frame: anything more is skipped
    };

    //! What the longest header says: 2 bytes, a 64-bit length, a masking key.
    static constexpr int MaxHeaderSize = 14;

    //! Takes header bytes from `data` at `*pos`; true once the header is whole.
    bool takeHeader(QByteArrayView data, qsizetype *pos);
    std::optional<Result> beginFrame();
    std::optional<Result> finishFrame();
    std::optional<Result> readClose();
    //! An error: the frame's payload is skipped, and data from then on.
    Result fail(int closeCode, const QString &reason);

    const qint64 m_maxMessageSize;
    State m_state = State::Header;
    bool m_discarding = false;
    bool m_closeReceived = false;

    // The frame being read.
    quint8 m_opcode = 0;
    bool m_final = false;
    bool m_skip = false;
    quint8 m_headerSize = 0;
    char m_header[MaxHeaderSize] = {};
    quint64 m_remaining = 0;
    quint64 m_offset = 0;
    uchar m_mask[4] = {};

    // The message being put together.
    bool m_fragmented = false;
    bool m_binary = false;
    int m_fragments = 0;
    QByteArray m_message;
    QByteArray m_control;

    int m_closeCode = CloseCode::MissingStatusCode;
    QString m_closeReason;
};

} // namespace WebSocket

} // namespace Roomcast::EngineIO
