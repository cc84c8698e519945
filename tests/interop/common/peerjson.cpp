#include "peerjson.h"

#include "socketio/json.h"

#include <QJsonDocument>
#include <QJsonObject>

QJsonValue toPeerJson(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QJsonObject{{QStringLiteral("$binary"), QString::fromLatin1(value.toByteArray().toBase64())}};
    case QMetaType::QVariantList: {
        QJsonArray array;
        for (const QVariant &element : value.toList())
            array.append(toPeerJson(element));
        return array;
    }
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toPeerJson(it.value()));
        return object;
    }
    default: // a scalar, written as our JSON writer writes it
        return QJsonDocument::fromJson('[' + Roomcast::SocketIO::Json::serialize(value) + ']').array().first();
    }
}

QVariant fromPeerJson(const QJsonValue &value)
{
    if (value.isArray()) {
        QVariantList list;
        for (const QJsonValue &element : value.toArray())
            list.append(fromPeerJson(element));
        return list;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.size() == 1 && object.value(QLatin1String("$binary")).isString())
            return QByteArray::fromBase64(object.value(QLatin1String("$binary")).toString().toLatin1());
        QVariantMap map;
        for (auto it = object.begin(); it != object.end(); ++it)
            map.insert(it.key(), fromPeerJson(it.value()));
        return map;
    }
    return Roomcast::SocketIO::Json::toVariant(value).value_or(QVariant());
}
