// The JSON lines of roomcast-cli: binary values travel as {"$binary":"<base64>"} in both
// directions, and output lines keep their keys in the order given ("type" first).
// Pure functions, no QObject, no I/O.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>
#include <utility>

namespace Roomcast::Cli {

//! Replaces every {"$binary":"<base64>"} object (exactly that one key) in `value`, a tree as
//! SocketIO::Json::toVariant() makes it, with the bytes it encodes. Fails, with `error`, when
//! such an object does not hold a valid base64 string.
std::optional<QVariant> decodeBinary(const QVariant &value, QString *error = nullptr);

//! Replaces every QByteArray anywhere in `value` with {"$binary":"<base64>"}.
QVariant encodeBinary(const QVariant &value);

using Field = std::pair<QString, QVariant>;

//! One output line: a JSON object with `fields` in order, and a newline. Values are written as
//! JavaScript's JSON.stringify writes them, QByteArrays as $binary objects.
QByteArray line(const QList<Field> &fields);

} // namespace Roomcast::Cli
