// For tests: a Socket.IO argument tree as comparable bytes, its JSON text then the hex of each
// binary attachment, so that two trees compare equal exactly when they encode the same.
#pragma once

#include "socketio/json.h"

inline QByteArray canonicalJson(const QVariant &value)
{
    QList<QByteArray> attachments;
    QByteArray out;
    Roomcast::SocketIO::Json::write(out, value, &attachments);
    for (const QByteArray &attachment : attachments)
        out += '|' + attachment.toHex();
    return out;
}
