#include "json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <QUrl>
#include <QUuid>

#include <cmath>

namespace Roomcast::SocketIO::Json {

namespace {

constexpr double MaxSafeInteger = 9007199254740991.0; // 2^53 - 1, as in JavaScript

const char HexDigits[] = "0123456789abcdef";

void writeEscapedUnit(QByteArray &out, char16_t unit)
{
    const char escaped[] = {'\\', 'u', HexDigits[(unit >> 12) & 0xf], HexDigits[(unit >> 8) & 0xf],
                            HexDigits[(unit >> 4) & 0xf], HexDigits[unit & 0xf]};
    out.append(escaped, sizeof escaped);
}

// JSON.stringify's string quoting: escapes quote, backslash and control characters, writes
// lone surrogates as \uXXXX and everything else as UTF-8.
void writeString(QByteArray &out, QStringView text)
{
    out.append('"');
    const char16_t *const begin = text.utf16();
    const qsizetype size = text.size();
    qsizetype runStart = 0;
    bool asciiRun = true;
    auto flush = [&](qsizetype end) {
        const qsizetype length = end - runStart;
        if (length <= 0)
            return;
        if (asciiRun) { // most text: copied as it is, without a UTF-8 conversion
            const qsizetype at = out.size();
            out.resize(at + length);
            char *target = out.data() + at;
            for (qsizetype i = 0; i < length; ++i)
                target[i] = char(begin[runStart + i]);
        } else {
            out.append(QStringView(begin + runStart, length).toUtf8());
        }
        asciiRun = true;
    };
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = begin[i];
        if (unit >= 0x20 && unit < 0x80 && unit != u'"' && unit != u'\\')
            continue;
        if (unit >= 0x80 && !QChar::isSurrogate(unit)) {
            asciiRun = false;
            continue;
        }
        if (QChar::isHighSurrogate(unit) && i + 1 < size && QChar::isLowSurrogate(begin[i + 1])) {
            ++i; // a well-formed pair: keep it in the UTF-8 run
            asciiRun = false;
            continue;
        }
        flush(i);
        runStart = i + 1;
        switch (unit) {
        case u'"': out.append("\\\"", 2); break;
        case u'\\': out.append("\\\\", 2); break;
        case u'\b': out.append("\\b", 2); break;
        case u'\f': out.append("\\f", 2); break;
        case u'\n': out.append("\\n", 2); break;
        case u'\r': out.append("\\r", 2); break;
        case u'\t': out.append("\\t", 2); break;
        default: writeEscapedUnit(out, unit); break;
        }
    }
    flush(size);
    out.append('"');
}

// Number formatting exactly as ECMAScript's Number::toString: the shortest digits that round
// trip, positional notation for exponents from -7 to 20, exponential otherwise.
void writeDouble(QByteArray &out, double number)
{
    if (!std::isfinite(number)) {
        out.append("null", 4);
        return;
    }
    if (number == std::trunc(number) && std::fabs(number) <= MaxSafeInteger) {
        out.append(QByteArray::number(qint64(number))); // also writes -0 as 0, as JavaScript does
        return;
    }
    // "d.ddde[+-]x": split into the digit string and the decimal exponent
    const QByteArray scientific = QByteArray::number(std::fabs(number), 'e', QLocale::FloatingPointShortest);
    const qsizetype ePos = scientific.indexOf('e');
    QByteArray digits = scientific.left(ePos);
    digits.replace(".", "");
    const int k = int(digits.size());
    const int n = scientific.mid(ePos + 1).toInt() + 1; // value = 0.digits x 10^n
    if (number < 0)
        out.append('-');
    if (k <= n && n <= 21) {
        out.append(digits).append(QByteArray(n - k, '0'));
    } else if (0 < n && n <= 21) {
        out.append(digits.left(n)).append('.').append(digits.mid(n));
    } else if (-6 < n && n <= 0) {
        out.append("0.").append(QByteArray(-n, '0')).append(digits);
    } else {
        out.append(digits.front());
        if (k > 1)
            out.append('.').append(digits.mid(1));
        out.append('e').append(n - 1 >= 0 ? '+' : '-').append(QByteArray::number(std::abs(n - 1)));
    }
}

void writeJsonValue(QByteArray &out, const QJsonValue &value);

void writeJsonArray(QByteArray &out, const QJsonArray &array)
{
    out.append('[');
    bool first = true;
    for (const QJsonValue &element : array) {
        if (!first)
            out.append(',');
        first = false;
        writeJsonValue(out, element);
    }
    out.append(']');
}

void writeJsonObject(QByteArray &out, const QJsonObject &object)
{
    out.append('{');
    bool first = true;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!first)
            out.append(',');
        first = false;
        writeString(out, it.key());
        out.append(':');
        writeJsonValue(out, it.value());
    }
    out.append('}');
}

void writeJsonValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool: out.append(value.toBool() ? "true" : "false"); break;
    case QJsonValue::Double: writeDouble(out, value.toDouble()); break;
    case QJsonValue::String: writeString(out, value.toString()); break;
    case QJsonValue::Array: writeJsonArray(out, value.toArray()); break;
    case QJsonValue::Object: writeJsonObject(out, value.toObject()); break;
    case QJsonValue::Null:
    case QJsonValue::Undefined: out.append("null", 4); break;
    }
}

template <typename Map>
void writeMap(QByteArray &out, const Map &map, QList<QByteArray> *attachments)
{
    out.append('{');
    bool first = true;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!first)
            out.append(',');
        first = false;
        writeString(out, it.key());
        out.append(':');
        write(out, it.value(), attachments);
    }
    out.append('}');
}

void writeBinary(QByteArray &out, const QByteArray &bytes, QList<QByteArray> *attachments)
{
    if (!attachments) {
        out.append('"');
        out.append(bytes.toBase64());
        out.append('"');
        return;
    }
    out.append("{\"_placeholder\":true,\"num\":");
    out.append(QByteArray::number(attachments->size()));
    out.append('}');
    attachments->append(bytes);
}

} // namespace

void write(QByteArray &out, const QVariant &value, QList<QByteArray> *attachments)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        out.append("null", 4);
        return;
    case QMetaType::Bool:
        out.append(value.toBool() ? "true" : "false");
        return;
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::SChar:
        out.append(QByteArray::number(value.toLongLong()));
        return;
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UChar:
        out.append(QByteArray::number(value.toULongLong()));
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        writeDouble(out, value.toDouble());
        return;
    case QMetaType::QString:
        writeString(out, *static_cast<const QString *>(value.constData()));
        return;
    case QMetaType::QByteArray:
        writeBinary(out, *static_cast<const QByteArray *>(value.constData()), attachments);
        return;
    case QMetaType::QVariantList: {
        const auto &list = *static_cast<const QVariantList *>(value.constData());
        out.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out.append(',');
            write(out, list.at(i), attachments);
        }
        out.append(']');
        return;
    }
    case QMetaType::QStringList: {
        const auto &list = *static_cast<const QStringList *>(value.constData());
        out.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out.append(',');
            writeString(out, list.at(i));
        }
        out.append(']');
        return;
    }
    case QMetaType::QVariantMap:
        writeMap(out, *static_cast<const QVariantMap *>(value.constData()), attachments);
        return;
    case QMetaType::QVariantHash:
        writeMap(out, *static_cast<const QVariantHash *>(value.constData()), attachments);
        return;
    case QMetaType::QJsonValue:
        writeJsonValue(out, value.toJsonValue());
        return;
    case QMetaType::QJsonObject:
        writeJsonObject(out, value.toJsonObject());
        return;
    case QMetaType::QJsonArray:
        writeJsonArray(out, value.toJsonArray());
        return;
    case QMetaType::QJsonDocument: {
        const QJsonDocument document = value.toJsonDocument();
        if (document.isArray())
            writeJsonArray(out, document.array());
        else if (document.isObject())
            writeJsonObject(out, document.object());
        else
            out.append("null", 4);
        return;
    }
    case QMetaType::QDateTime: // as JavaScript's Date.prototype.toJSON
        writeString(out, value.toDateTime().toUTC().toString(Qt::ISODateWithMs));
        return;
    case QMetaType::QUrl:
        writeString(out, value.toUrl().toString(QUrl::FullyEncoded));
        return;
    case QMetaType::QUuid:
        writeString(out, value.toUuid().toString(QUuid::WithoutBraces));
        return;
    case QMetaType::QChar:
        writeString(out, QString(value.toChar()));
        return;
    default:
        if (value.canConvert<QString>())
            writeString(out, value.toString());
        else
            out.append("null", 4);
        return;
    }
}

QByteArray serialize(const QVariant &value)
{
    QByteArray out;
    write(out, value);
    return out;
}

bool containsBinary(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return true;
    case QMetaType::QVariantList:
        for (const QVariant &element : *static_cast<const QVariantList *>(value.constData()))
            if (containsBinary(element))
                return true;
        return false;
    case QMetaType::QVariantMap:
        for (const QVariant &element : *static_cast<const QVariantMap *>(value.constData()))
            if (containsBinary(element))
                return true;
        return false;
    case QMetaType::QVariantHash:
        for (const QVariant &element : *static_cast<const QVariantHash *>(value.constData()))
            if (containsBinary(element))
                return true;
        return false;
    default:
        return false;
    }
}

std::optional<QJsonValue> parse(QByteArrayView text, QString *error)
{
    QJsonParseError parseError;
    const auto trimmed = text.trimmed();
    if (!trimmed.isEmpty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
        const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
        if (parseError.error == QJsonParseError::NoError)
            return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    } else {
        // QJsonDocument only takes arrays and objects: parse a scalar as the one element of an
        // array, and refuse anything that turns out to be more than one element ("1,2").
        QByteArray wrapped;
        wrapped.reserve(text.size() + 2);
        wrapped.append('[').append(text.data(), text.size()).append(']');
        const QJsonDocument document = QJsonDocument::fromJson(wrapped, &parseError);
        if (parseError.error == QJsonParseError::NoError && document.array().size() == 1)
            return document.array().first();
        if (parseError.error == QJsonParseError::NoError)
            parseError.error = QJsonParseError::GarbageAtEnd;
    }
    if (error)
        *error = parseError.errorString();
    return std::nullopt;
}

QVariant null() { return QVariant::fromValue(nullptr); }

bool isNull(const QVariant &value)
{
    return !value.isValid() || value.typeId() == QMetaType::Nullptr;
}

namespace {

bool isPlaceholder(const QJsonObject &object)
{
    const auto it = object.constFind(QLatin1String("_placeholder"));
    return it != object.constEnd() && it->isBool() && it->toBool();
}


// toVariant(), with the attachments that a placeholder already took.
std::optional<QVariant> convert(const QJsonValue &value, const QList<QByteArray> *attachments, QList<bool> *taken,
                                QString *error)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return null();
    case QJsonValue::Bool:
        return QVariant(value.toBool());
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == std::trunc(number) && std::fabs(number) <= MaxSafeInteger)
            return QVariant(qint64(number));
        return QVariant(number);
    }
    case QJsonValue::String:
        return QVariant(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        QVariantList list;
        list.reserve(array.size());
        for (const QJsonValue &element : array) {
            auto converted = convert(element, attachments, taken, error);
            if (!converted)
                return std::nullopt;
            list.append(std::move(*converted));
        }
        return QVariant(std::move(list));
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (attachments && isPlaceholder(object)) {
            const QJsonValue num = object.value(QLatin1String("num"));
            const double index = num.toDouble(-1);
            // Each placeholder names its own attachment: no encoder writes one twice, and a value
            // that held the same attachment N times would be N attachments when sent on.
            if (!num.isDouble() || index != std::trunc(index) || index < 0 || index >= attachments->size()
                || (*taken)[qsizetype(index)]) {
                if (error)
                    *error = QStringLiteral("illegal attachments");
                return std::nullopt;
            }
            (*taken)[qsizetype(index)] = true;
            return QVariant(attachments->at(qsizetype(index)));
        }
        QVariantMap map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            auto converted = convert(it.value(), attachments, taken, error);
            if (!converted)
                return std::nullopt;
            map.insert(it.key(), std::move(*converted));
        }
        return QVariant(std::move(map));
    }
    }
    return null();
}

} // namespace

std::optional<QVariant> toVariant(const QJsonValue &value, const QList<QByteArray> *attachments, QString *error)
{
    QList<bool> taken(attachments ? attachments->size() : 0, false);
    return convert(value, attachments, &taken, error);
}

} // namespace Roomcast::SocketIO::Json
