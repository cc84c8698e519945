#include "websocketframe.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <cstring>

namespace Roomcast::EngineIO {

namespace WebSocket {

namespace {

// A Close frame's reason, after its 2-byte code, within a control frame's 125 bytes.
constexpr qsizetype MaxCloseReasonSize = 123;
// The most a message's buffer is given ahead of its bytes.
constexpr quint64 MaxReservation = 64 * 1024;

bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}

//! What `ws` accepts as a Sec-WebSocket-Key: 16 bytes in base64, /^[+/0-9A-Za-z]{22}==$/.
bool isValidKey(QByteArrayView key)
{
    if (key.size() != 24 || !key.endsWith("=="))
        return false;
    for (qsizetype i = 0; i < 22; ++i) {
        const char c = key.at(i);
        const bool valid = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+'
                           || c == '/';
        if (!valid)
            return false;
    }
    return true;
}

//! An HTTP token (RFC 9110 §5.6.2), what a subprotocol name must be.
bool isToken(QByteArrayView value)
{
    if (value.isEmpty())
        return false;
    for (const char c : value) {
        const auto u = uchar(c);
        if (u <= 0x20 || u >= 0x7f || std::strchr("()<>@,;:\\\"/[]?={}", c))
            return false;
    }
    return true;
}

HandshakeError handshakeError(QByteArrayView message, Http::Headers headers = {})
{
    return {400, message.toByteArray(), std::move(headers)};
}

} // namespace

void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView prefix, QByteArrayView payload)
{
    const quint64 length = quint64(prefix.size() + payload.size());
    char header[10];
    header[0] = char(0x80 | quint8(opcode)); // FIN
    qsizetype headerSize = 2;
    if (length < 126) {
        header[1] = char(length);
    } else if (length <= 0xffff) {
        header[1] = char(126);
        qToBigEndian(quint16(length), header + 2);
        headerSize = 4;
    } else {
        header[1] = char(127);
        qToBigEndian(length, header + 2);
        headerSize = 10;
    }
    out.append(header, headerSize);
    out.append(prefix);
    out.append(payload);
}

QByteArray frame(Opcode opcode, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(10 + payload.size());
    appendFrame(out, opcode, {}, payload);
    return out;
}

QByteArray closePayload(int code, const QString &reason)
{
    char bytes[2];
    qToBigEndian(quint16(code), bytes);
    QByteArray payload(bytes, 2);
    QString shortened = reason;
    QByteArray utf8 = shortened.toUtf8();
    while (utf8.size() > MaxCloseReasonSize) { // cut whole characters, never a UTF-8 sequence
        shortened.chop(shortened.size() >= 2 && shortened.at(shortened.size() - 1).isLowSurrogate() ? 2 : 1);
        utf8 = shortened.toUtf8();
    }
    return payload + utf8;
}

bool isValidCloseCode(int code)
{
    return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
           || (code >= 3000 && code <= 4999);
}

bool isErrorCloseCode(int code)
{
    switch (code) {
    case CloseCode::ProtocolError:
    case CloseCode::UnsupportedData:
    case CloseCode::WrongDatatype:
    case CloseCode::PolicyViolated:
    case CloseCode::TooMuchData:
        return true;
    default:
        return false;
    }
}

std::optional<HandshakeError> checkOpeningHandshake(const Http::RequestHead &head)
{
    // As ws's WebSocketServer#handleUpgrade, in its order and with its messages.
    if (!isValidKey(head.header("sec-websocket-key")))
        return handshakeError("Missing or invalid Sec-WebSocket-Key header");
    const QByteArray version = head.header("sec-websocket-version");
    if (version != "13" && version != "8")
        return handshakeError("Missing or invalid Sec-WebSocket-Version header",
                              {{"Sec-WebSocket-Version", "13, 8"}});
    if (head.hasHeader("sec-websocket-protocol")) {
        const QList<QByteArray> protocols = head.header("sec-websocket-protocol").split(',');
        for (const QByteArray &protocol : protocols) {
            if (!isToken(protocol.trimmed()))
                return handshakeError("Invalid Sec-WebSocket-Protocol header");
        }
    }
    return std::nullopt;
}

QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

QByteArray switchingProtocolsResponse(const Http::RequestHead &head)
{
    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: "
                          + acceptKey(head.header("sec-websocket-key")) + "\r\n";
    if (head.hasHeader("sec-websocket-protocol")) {
        const QByteArray first = head.header("sec-websocket-protocol").split(',').first().trimmed();
        response += "Sec-WebSocket-Protocol: " + first + "\r\n";
    }
    response += "\r\n";
    return response;
}

// ---------------------------------------------------------------------------------------------

FrameParser::FrameParser(qint64 maxMessageSize)
    : m_maxMessageSize(maxMessageSize)
{
}

FrameParser::Result FrameParser::parse(QByteArrayView data, qsizetype *consumed)
{
    qsizetype pos = 0;
    const auto done = [&](Result result) {
        *consumed = pos;
        return result;
    };
    for (;;) {
        switch (m_state) {
        case State::Closed:
            pos = data.size();
            return done(Result::NeedMore);
        case State::Header:
            if (!takeHeader(data, &pos))
                return done(Result::NeedMore);
            if (const std::optional<Result> result = beginFrame())
                return done(*result);
            break; // on to the payload
        case State::Payload:
            if (m_remaining > 0) {
                const qsizetype wanted = qsizetype(qMin(m_remaining, quint64(data.size() - pos)));
                if (wanted <= 0)
                    return done(Result::NeedMore);
                if (!m_skip) {
                    QByteArray &target = isControl(m_opcode) ? m_control : m_message;
                    const qsizetype start = target.size();
                    target.resize(start + wanted);
                    char *out = target.data() + start;
                    const char *in = data.data() + pos;
                    for (qsizetype i = 0; i < wanted; ++i)
                        out[i] = char(in[i] ^ m_mask[(m_offset + quint64(i)) & 3]);
                }
                pos += wanted;
                m_remaining -= quint64(wanted);
                m_offset += quint64(wanted);
                if (m_remaining > 0)
                    return done(Result::NeedMore);
            }
            m_state = State::Header;
            if (const std::optional<Result> result = finishFrame())
                return done(*result);
            break;
        }
    }
}

bool FrameParser::takeHeader(QByteArrayView data, qsizetype *pos)
{
    for (;;) {
        qsizetype needed = 2;
        if (m_headerSize >= 2) {
            const auto second = uchar(m_header[1]);
            const int shortLength = second & 0x7f;
            needed += (shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0) + ((second & 0x80) ? 4 : 0);
        }
        if (m_headerSize >= needed)
            return true;
        const qsizetype available = data.size() - *pos;
        if (available <= 0)
            return false;
        const qsizetype take = qMin(needed - m_headerSize, available);
        std::memcpy(m_header + m_headerSize, data.data() + *pos, size_t(take));
        m_headerSize = quint8(m_headerSize + take);
        *pos += take;
    }
}

std::optional<FrameParser::Result> FrameParser::beginFrame()
{
    const auto first = uchar(m_header[0]);
    const auto second = uchar(m_header[1]);
    const bool masked = second & 0x80;
    const int shortLength = second & 0x7f;
    quint64 length = quint64(shortLength);
    if (shortLength == 126)
        length = qFromBigEndian<quint16>(m_header + 2);
    else if (shortLength == 127)
        length = qFromBigEndian<quint64>(m_header + 2);
    if (masked)
        std::memcpy(m_mask, m_header + m_headerSize - 4, 4);
    m_headerSize = 0;

    m_opcode = first & 0x0f;
    m_final = first & 0x80;
    m_remaining = length;
    m_offset = 0;
    m_skip = false;
    m_state = State::Payload;

    // Malformed frames (RFC 6455 §5.2, §5.5). Each says how long it is all the same, so the
    // stream can be followed past it (to the client's answer to our Close frame).
    const auto malformed = [this](const QString &why) { return fail(CloseCode::ProtocolError, why); };
    if (first & 0x70)
        return malformed(QStringLiteral("reserved bits set")); // no extension is negotiated
    if (!masked)
        return malformed(QStringLiteral("an unmasked frame"));
    if ((shortLength == 126 && length < 126) || (shortLength == 127 && length <= 0xffff) || (length >> 63))
        return malformed(QStringLiteral("a badly encoded frame length"));
    if (isControl(m_opcode)) {
        if (m_opcode > quint8(Opcode::Pong))
            return malformed(QStringLiteral("a reserved opcode"));
        if (!m_final)
            return malformed(QStringLiteral("a fragmented control frame"));
        if (length > 125)
            return malformed(QStringLiteral("a control frame over 125 bytes"));
        m_control.clear();
        return std::nullopt;
    }
    if (m_opcode > quint8(Opcode::Binary))
        return malformed(QStringLiteral("a reserved opcode"));

    // A data frame.
    if (m_discarding) {
        m_skip = true;
        return std::nullopt;
    }
    if (m_opcode == quint8(Opcode::Continuation)) {
        if (!m_fragmented)
            return fail(CloseCode::ProtocolError, QStringLiteral("a continuation with nothing to continue"));
    } else {
        if (m_fragmented)
            return fail(CloseCode::ProtocolError, QStringLiteral("a new message inside a fragmented one"));
        m_binary = m_opcode == quint8(Opcode::Binary);
        m_message.clear();
        m_fragments = 0;
    }
    m_fragmented = !m_final;
    if (!m_final && ++m_fragments > MaxFragmentsPerMessage) {
        return fail(CloseCode::PolicyViolated,
                    QStringLiteral("more than %1 fragments in one message").arg(MaxFragmentsPerMessage));
    }
    if (length > quint64(m_maxMessageSize - m_message.size()))
        return fail(CloseCode::TooMuchData, QStringLiteral("a message over %1 bytes").arg(m_maxMessageSize));
    if (m_message.isEmpty()) // what is announced, up to a bound: announcing costs a client nothing
        m_message.reserve(qsizetype(qMin(length, MaxReservation)));
    return std::nullopt;
}

std::optional<FrameParser::Result> FrameParser::finishFrame()
{
    if (m_skip) // dropped, or malformed (a Close frame among them)
        return std::nullopt;
    switch (Opcode(m_opcode)) {
    case Opcode::Close:
        return readClose();
    case Opcode::Ping:
        if (m_discarding)
            return std::nullopt;
        return Result::Ping;
    case Opcode::Pong: // we never ping at this level (Engine.IO has its own heartbeat)
        return std::nullopt;
    default:
        if (!m_final)
            return std::nullopt;
        if (!m_binary && !m_message.isValidUtf8())
            return fail(CloseCode::WrongDatatype, QStringLiteral("invalid UTF-8 in a text message"));
        return Result::Message;
    }
}

std::optional<FrameParser::Result> FrameParser::readClose()
{
    // Whatever it holds, the client sends nothing after it.
    m_closeReceived = true;
    m_discarding = true;
    m_state = State::Closed;
    if (m_control.size() == 1)
        return fail(CloseCode::ProtocolError, QStringLiteral("a one-byte Close frame"));
    int code = CloseCode::MissingStatusCode;
    QByteArray reason;
    if (m_control.size() >= 2) {
        code = qFromBigEndian<quint16>(m_control.constData());
        if (!isValidCloseCode(code))
            return fail(CloseCode::ProtocolError, QStringLiteral("invalid close code %1").arg(code));
        reason = m_control.mid(2);
        if (!reason.isValidUtf8())
            return fail(CloseCode::WrongDatatype, QStringLiteral("invalid UTF-8 in a close reason"));
    }
    m_closeCode = code;
    m_closeReason = QString::fromUtf8(reason);
    return Result::Close;
}

FrameParser::Result FrameParser::fail(int closeCode, const QString &reason)
{
    m_closeCode = closeCode;
    m_closeReason = reason;
    m_discarding = true;
    m_skip = true;
    m_fragmented = false;
    m_message.clear();
    return Result::Error;
}

bool FrameParser::consumeUntilClose(QByteArrayView data)
{
    while (!data.isEmpty()) {
        qsizetype consumed = 0;
        parse(data, &consumed);
        data = data.sliced(consumed);
        if (m_closeReceived)
            return true;
    }
    return false;
}

} // namespace WebSocket

QByteArray webSocketFrames(const QList<Packet> &packets)
{
    QByteArray out;
    qsizetype size = 0;
    for (const Packet &packet : packets)
        size += 10 + 1 + packet.data.size();
    out.reserve(size);
    for (const Packet &packet : packets) {
        if (packet.binary) {
            WebSocket::appendFrame(out, WebSocket::Opcode::Binary, {}, packet.data);
            continue;
        }
        // The type digit, then the data (encodeText()), without a copy of the data.
        const char type = char('0' + int(packet.type));
        if (packet.data.isValidUtf8())
            WebSocket::appendFrame(out, WebSocket::Opcode::Text, QByteArrayView(&type, 1), packet.data);
        else // never put invalid UTF-8 in a text frame: the client would drop the connection
            WebSocket::appendFrame(out, WebSocket::Opcode::Text, QByteArrayView(&type, 1),
                                   QString::fromUtf8(packet.data).toUtf8());
    }
    return out;
}

} // namespace Roomcast::EngineIO
