#include "ndjson.h"

#include "socketio/json.h"

#include <QCoreApplication>
#include <QVariantList>
#include <QVariantMap>

namespace Roomcast::Cli {

namespace {

const QString BinaryKey = QStringLiteral("$binary");

} // namespace

std::optional<QVariant> decodeBinary(const QVariant &value, QString *error)
{
    switch (value.typeId()) {
    case QMetaType::QVariantList: {
        QVariantList list = value.toList();
        for (QVariant &element : list) {
            std::optional<QVariant> decoded = decodeBinary(element, error);
            if (!decoded)
                return std::nullopt;
            element = std::move(*decoded);
        }
        return list;
    }
    case QMetaType::QVariantMap: {
        QVariantMap map = value.toMap();
        if (map.size() == 1 && map.contains(BinaryKey)) {
            const QVariant base64 = map.value(BinaryKey);
            auto result = QByteArray::fromBase64Encoding(base64.toString().toLatin1(),
                                                         QByteArray::AbortOnBase64DecodingErrors);
            if (base64.typeId() != QMetaType::QString || !result) {
                if (error)
                    *error = QCoreApplication::translate("roomcast-cli", "\"$binary\" must hold a base64 string");
                return std::nullopt;
            }
            return *result;
        }
        for (auto it = map.begin(); it != map.end(); ++it) {
            std::optional<QVariant> decoded = decodeBinary(it.value(), error);
            if (!decoded)
                return std::nullopt;
            it.value() = std::move(*decoded);
        }
        return map;
    }
    default:
        return value;
    }
}

QVariant encodeBinary(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QVariantMap{{BinaryKey, QString::fromLatin1(value.toByteArray().toBase64())}};
    case QMetaType::QVariantList: {
        QVariantList list = value.toList();
        for (QVariant &element : list)
            element = encodeBinary(element);
        return list;
    }
    case QMetaType::QVariantMap: {
        QVariantMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            it.value() = encodeBinary(it.value());
        return map;
    }
    default:
        return value;
    }
}

QByteArray line(const QList<Field> &fields)
{
    QByteArray out;
    out.append('{');
    bool first = true;
    for (const Field &field : fields) {
        if (!first)
            out.append(',');
        first = false;
        SocketIO::Json::write(out, field.first);
        out.append(':');
        SocketIO::Json::write(out, encodeBinary(field.second));
    }
    out.append("}\n");
    return out;
}

} // namespace Roomcast::Cli
