// JSON for Socket.IO arguments. Arguments are QVariant trees (QVariantList, QVariantMap,
// QString, numbers, bool, null) in which a QByteArray may stand anywhere: it is the binary
// attachment of Socket.IO and travels outside the JSON, as a {"_placeholder":true,"num":N}.
// Pure functions, no QObject, no I/O.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

class QJsonValue;

namespace Roomcast::SocketIO::Json {

//! Appends the JSON text of `value` to `out`, written as JavaScript's JSON.stringify writes it
//! (compact, NaN and infinities as null). A QByteArray is appended to `attachments` and written
//! as its placeholder; with no `attachments` list it is written as a base64 string.
void write(QByteArray &out, const QVariant &value, QList<QByteArray> *attachments = nullptr);

//! The JSON text of `value` (binary written as base64 strings).
QByteArray serialize(const QVariant &value);

//! Whether a QByteArray stands anywhere in `value`.
bool containsBinary(const QVariant &value);

//! Parses any JSON value, including a bare string or number at top level.
std::optional<QJsonValue> parse(QByteArrayView text, QString *error = nullptr);

//! Converts a parsed JSON value into the QVariant tree. Integral numbers within ±2^53 become
//! qint64, others double; null becomes a QVariant holding std::nullptr_t. When `attachments`
//! is given, placeholder objects are replaced by the attachment they name; a placeholder whose
//! `num` is not an integer within range, or names an attachment that another placeholder
//! already took, fails the conversion.
std::optional<QVariant> toVariant(const QJsonValue &value, const QList<QByteArray> *attachments = nullptr,
                                  QString *error = nullptr);

//! A JSON null, as toVariant() produces it.
QVariant null();

//! Whether `value` is JSON null (an invalid QVariant or one holding std::nullptr_t).
bool isNull(const QVariant &value);

} // namespace Roomcast::SocketIO::Json
