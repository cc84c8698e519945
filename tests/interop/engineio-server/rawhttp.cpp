#include "rawhttp.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

QByteArray RawResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key == name.toLower())
            return value;
    }
    return {};
}

RawConnection::RawConnection(quint16 port, QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] { m_buffer += m_socket.readAll(); });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    (void)QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
}

void RawConnection::write(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

std::optional<RawResponse> RawConnection::response(int timeoutMs)
{
    std::optional<RawResponse> result;
    const auto parse = [&] {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        RawResponse response;
        const QList<QByteArray> status = lines.first().trimmed().split(' ');
        if (status.size() < 2)
            return false;
        response.status = status.at(1).toInt();
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            response.headers.append({name, value});
            if (name == "content-length")
                length = value.toLongLong();
        }
        if (m_buffer.size() < end + 4 + length)
            return false;
        response.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        result = response;
        return true;
    };
    if (!QTest::qWaitFor(parse, timeoutMs))
        return std::nullopt;
    return result;
}

bool RawConnection::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

namespace Raw {

QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &extraHeaders,
                   const QByteArray &body)
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
    const bool framed = extraHeaders.contains("Content-Length") || extraHeaders.contains("Transfer-Encoding");
    if (!framed && (!body.isEmpty() || method == "POST"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

QByteArray upgradeRequest(const QByteArray &target, const QByteArray &extraHeaders)
{
    return "GET " + target
           + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           + extraHeaders + "\r\n";
}

QByteArray frame(int opcode, const QByteArray &payload, bool final)
{
    QByteArray out;
    out.append(char((final ? 0x80 : 0x00) | (opcode & 0x0f)));
    if (payload.size() < 126) {
        out.append(char(0x80 | payload.size()));
    } else {
        Q_ASSERT(payload.size() < 65536);
        out.append(char(0x80 | 126));
        out.append(char(payload.size() >> 8));
        out.append(char(payload.size() & 0xff));
    }
    out.append(QByteArray(4, '\0')); // masking key 0
    out.append(payload);
    return out;
}

QString sidOf(const QByteArray &openPayload)
{
    if (!openPayload.startsWith('0'))
        return {};
    return QJsonDocument::fromJson(openPayload.mid(1)).object().value(QLatin1String("sid")).toString();
}

} // namespace Raw
