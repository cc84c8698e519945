// Raw loopback HTTP/WebSocket for the bad-input tests: exactly the bytes we choose, and the
// server's answer as it comes.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpSocket>

#include <optional>

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; //!< names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
};

class RawConnection : public QObject
{
    Q_OBJECT

public:
    //! Connects to 127.0.0.1:port; check isConnected().
    explicit RawConnection(quint16 port, QObject *parent = nullptr);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void write(const QByteArray &bytes);
    //! Waits for one whole response (framed by Content-Length, or a 101 head) and takes it.
    std::optional<RawResponse> response(int timeoutMs = 5000);
    //! Waits until the server has closed the connection.
    bool waitForClosed(int timeoutMs = 5000);
    //! Bytes received and not taken by response().
    QByteArray &buffer() { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

namespace Raw {

//! A request with Host and, for a body, Content-Length (unless `extraHeaders` frame it).
QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &extraHeaders = {},
                   const QByteArray &body = {});
//! A WebSocket opening handshake for `target`.
QByteArray upgradeRequest(const QByteArray &target, const QByteArray &extraHeaders = {});
//! A client frame (masked with a zero key, which leaves the payload as is).
QByteArray frame(int opcode, const QByteArray &payload, bool final = true);
//! The sid of the open packet in a handshake answer (empty if it is not one).
QString sidOf(const QByteArray &openPayload);

} // namespace Raw
