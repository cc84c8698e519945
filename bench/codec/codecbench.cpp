// roomcast-codecbench: scenario 4 of bench/run.sh, the client engine's codecs. A client
// receiving a packet decodes the WebSocket frame's Engine.IO packet, then the Socket.IO packet
// into argument values; sending, it encodes both. This times both directions for a small text
// packet (a chat message event), a large one (64 KiB of text) and a binary one (a 64 KiB
// attachment), with the same frames as bench/reference/codec.mjs times in socket.io-parser.
//
//   roomcast-codecbench [--seconds S]   (per case; default 1)
// prints `figure<TAB>label<TAB>value` lines.
#include "engineio/packet.h"
#include "socketio/json.h"
#include "socketio/packet.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <functional>

using namespace Roomcast;

namespace {

struct Case
{
    const char *name;
    QByteArray frame;      //!< the Engine.IO text frame (the packet, then its placeholders)
    QByteArray attachment; //!< the binary frame that follows, if any
    SocketIO::Packet packet;
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
}

SocketIO::Packet messageEvent(const QString &text)
{
    const QVariantMap message{{QStringLiteral("name"), QStringLiteral("Alice")},
                              {QStringLiteral("id"), QStringLiteral("Yx3kPq8ZrT2mWn5Lb7Vc")},
                              {QStringLiteral("message"), text},
                              {QStringLiteral("roomName"), QStringLiteral("general")},
                              {QStringLiteral("messageId"), 1234},
                              {QStringLiteral("timestamp"), qint64(1764614400000)}};
    return SocketIO::Packet::event(QStringLiteral("/"), {QStringLiteral("message"), message});
}

QList<Case> cases()
{
    QList<Case> list;
    const auto add = [&](const char *name, const SocketIO::Packet &packet) {
        const SocketIO::EncodedPacket encoded = SocketIO::encode(packet);
        list.append({name, EngineIO::encodeText(EngineIO::Packet::message(encoded.text)),
                     encoded.attachments.value(0), packet});
    };
    add("small text", messageEvent(QStringLiteral("hello there, how are you?")));
    add("large text", messageEvent(QString::fromLatin1(pattern(65536))));
    add("binary", SocketIO::Packet::event(QStringLiteral("/"),
                                          {QStringLiteral("file"),
                                           QVariantMap{{QStringLiteral("name"), QStringLiteral("photo.jpg")},
                                                       {QStringLiteral("data"), pattern(65536)}}}));
    return list;
}

//! Calls `run` for `seconds`; returns how many calls per second it made.
double rate(double seconds, const std::function<bool()> &run)
{
    QElapsedTimer timer;
    timer.start();
    qint64 count = 0;
    const qint64 limitNs = qint64(seconds * 1e9);
    while (timer.nsecsElapsed() < limitNs) {
        for (int i = 0; i < 64; ++i) {
            if (!run()) {
                std::fprintf(stderr, "codecbench: a packet failed to decode\n");
                return 0;
            }
        }
        count += 64;
    }
    return double(count) / (double(timer.nsecsElapsed()) / 1e9);
}

void figure(const QByteArray &label, double value)
{
    std::printf("figure\t%s\t%.0f\n", label.constData(), value);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    double seconds = 1;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--seconds"));
    if (at >= 0 && at + 1 < args.size())
        seconds = args.at(at + 1).toDouble();

    for (const Case &c : cases()) {
        SocketIO::Decoder decoder;
        const double decoded = rate(seconds, [&] {
            const std::optional<EngineIO::Packet> frame = EngineIO::decodeText(c.frame);
            if (!frame)
                return false;
            SocketIO::Decoder::Status status = decoder.addText(frame->data);
            if (!c.attachment.isEmpty())
                status = decoder.addBinary(EngineIO::decodeBinaryFrame(c.attachment).data);
            if (status != SocketIO::Decoder::Status::Ready)
                return false;
            const SocketIO::Packet packet = decoder.takePacket();
            return packet.data.isValid();
        });
        figure(QByteArray("client engine: decode ") + c.name + " (packets/s)", decoded);
        const double encoded = rate(seconds, [&] {
            const SocketIO::EncodedPacket packet = SocketIO::encode(c.packet);
            const QByteArray frame = EngineIO::encodeText(EngineIO::Packet::message(packet.text));
            return !frame.isEmpty() && packet.attachments.size() == (c.attachment.isEmpty() ? 0 : 1);
        });
        figure(QByteArray("client engine: encode ") + c.name + " (packets/s)", encoded);
    }
    return 0;
}
