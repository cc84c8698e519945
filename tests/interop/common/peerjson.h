// Socket.IO arguments as the Node peers print and read them: JSON with every binary value
// written {"$binary":"<base64>"} (tests/interop/node/peer-io.mjs).
#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QVariant>

QJsonValue toPeerJson(const QVariant &value);
QVariant fromPeerJson(const QJsonValue &value);
inline QJsonArray toPeerArgs(const QVariantList &args) { return toPeerJson(args).toArray(); }
