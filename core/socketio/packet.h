// Socket.IO v5 packet codec with binary attachments: pure code, no QObject, no I/O.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace Roomcast::SocketIO {

inline constexpr int ProtocolVersion = 5;
//! The reference parser's default limit on binary attachments in one packet.
inline constexpr int DefaultMaxAttachments = 10;

enum class PacketType : quint8 { Connect = 0, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

//! One Socket.IO packet. For Event and Ack, `data` is a QVariantList (the event name first for
//! an Event); for Connect a QVariantMap (or absent); for ConnectError a QVariantMap with
//! `message` (and `data`), or a string. QByteArray values may stand anywhere in Event and Ack
//! data: encode() turns such packets into BinaryEvent/BinaryAck with attachments.
struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    QVariant data;  //!< invalid when the packet carries no payload
    qint64 id = -1; //!< the ack id, or -1 for none

    bool hasId() const { return id >= 0; }

    static Packet connect(const QString &nsp, const QVariant &auth = {});
    static Packet disconnect(const QString &nsp);
    static Packet event(const QString &nsp, const QVariantList &eventAndArgs, qint64 ackId = -1);
    static Packet ack(const QString &nsp, qint64 ackId, const QVariantList &args);
    static Packet connectError(const QString &nsp, const QString &message, const QVariant &data = {});
};

//! An encoded packet: the text frame, then one binary frame per attachment.
struct EncodedPacket
{
    QByteArray text;
    QList<QByteArray> attachments;
};

//! Encodes a packet. Event and Ack data that holds QByteArrays is sent as BinaryEvent and
//! BinaryAck. The namespace must not contain a comma (isValidNamespace()).
EncodedPacket encode(const Packet &packet);

//! Whether a namespace can be written on the wire: starts with '/', holds no comma.
bool isValidNamespace(QStringView nsp);

//! Event names that the protocol reserves and that a peer may not send.
bool isReservedEventName(QStringView name);

//! The stateful half of the codec: a text frame, then as many binary frames as it announced.
class Decoder
{
public:
    enum class Status { NeedMore, Ready, Error };

    explicit Decoder(int maxAttachments = DefaultMaxAttachments);

    //! Feeds a text frame (the Engine.IO message data).
    Status addText(QByteArrayView text);
    //! Feeds a binary frame (an attachment of the pending binary packet).
    Status addBinary(const QByteArray &bytes);

    //! The packet completed by the last call that returned Ready.
    Packet takePacket() { return std::move(m_ready); }
    //! What was wrong with the input after a call returned Error.
    QString errorString() const { return m_error; }
    //! Whether a binary packet is waiting for attachments.
    bool isReconstructing() const { return m_expectedAttachments > 0; }
    //! Drops any half-received binary packet.
    void reset();

private:
    Status fail(const QString &message);
    Status finish(const QList<QByteArray> *attachments);

    int m_maxAttachments;
    int m_expectedAttachments = 0;
    Packet m_pending;
    QJsonValue m_pendingData;
    QList<QByteArray> m_attachments;
    Packet m_ready;
    QString m_error;
};

} // namespace Roomcast::SocketIO
