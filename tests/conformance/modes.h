// The modes of roomcast-conformance-server. A mode starts its server on the given address and
// port (0: any) and returns the object that keeps it alive and the port it got, or nullptr with
// an error message.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace Roomcast::Conformance {

//! The reference server of the engine.io-protocol test suite: path /engine.io/, pingInterval
//! 300, pingTimeout 200, maxPayload 1e6, CORS for any origin; every message is echoed.
std::unique_ptr<QObject> startEngineIO(const QHostAddress &address, quint16 *port, QString *error);

//! The reference server of the socket.io-protocol test suite: pingInterval 300, pingTimeout 200,
//! connectTimeout 1000; "/" and "/custom" emit `auth`, `message` comes back as `message-back`,
//! `message-with-ack` is acknowledged with its arguments.
std::unique_ptr<QObject> startSocketIO(const QHostAddress &address, quint16 *port, QString *error);

} // namespace Roomcast::Conformance
