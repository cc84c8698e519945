#include "chat/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QMessageAuthenticationCode>

#include <cmath>
#include <optional>

namespace Roomcast::Chat {

namespace {

// The only header we ever write, as jwt.io writes it.
constexpr QByteArrayView MintedHeader = R"({"alg":"HS256","typ":"JWT"})";
// JavaScript's Date range in seconds: NumericDates beyond it are refused (and would not fit a
// QDateTime's milliseconds anyway).
constexpr double MaxNumericDate = 8.64e12;
// Number.MAX_SAFE_INTEGER: larger integer ids do not survive a JavaScript issuer.
constexpr double MaxSafeInteger = 9007199254740991.0;

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodeBase64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(Base64Url);
}

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Strict unpadded base64url: the alphabet only, a possible length, and the canonical encoding
// (no stray bits in the last character), so that one value has exactly one spelling.
std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    if (text.size() % 4 == 1)
        return std::nullopt;
    for (char c : text) {
        if (!isBase64UrlChar(c))
            return std::nullopt;
    }
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || encodeBase64Url(decoded.decoded) != text)
        return std::nullopt;
    return decoded.decoded;
}

// Any JSON text, scalars included (QJsonDocument only parses objects and arrays at the top).
std::optional<QJsonValue> parseJson(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

QByteArray signature(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret, QCryptographicHash::Sha256);
}

TokenResult failure(TokenError error, const QString &claim = {})
{
    TokenResult result;
    result.error = error;
    result.claim = claim;
    return result;
}

// A token cut into its three segments, base64url-decoded.
struct Parts
{
    QByteArrayView signingInput; // "header.claims", as the signature covers it
    QByteArray claimsJson;
    QByteArray signature;
};

// Steps 1 to 4 of the checks documented in jwt.h: length, shape, header.
std::optional<Parts> parse(QByteArrayView token, qsizetype maxTokenBytes, TokenResult *error)
{
    if (token.size() > maxTokenBytes) {
        *error = failure(TokenError::TooLarge);
        return std::nullopt;
    }
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
        *error = failure(TokenError::Malformed);
        return std::nullopt;
    }
    const std::optional<QByteArray> header = decodeBase64Url(token.first(firstDot));
    const std::optional<QByteArray> claims = decodeBase64Url(token.sliced(firstDot + 1, secondDot - firstDot - 1));
    const std::optional<QByteArray> signature = decodeBase64Url(token.sliced(secondDot + 1));
    const std::optional<QJsonValue> headerJson = header ? parseJson(*header) : std::nullopt;
    if (!claims || !signature || !headerJson || !headerJson->isObject()) {
        *error = failure(TokenError::Malformed);
        return std::nullopt;
    }
    const QJsonObject headerObject = headerJson->toObject();
    if (headerObject.value(QLatin1String("alg")) != QJsonValue(QLatin1String("HS256"))) {
        *error = failure(TokenError::AlgorithmNotAllowed);
        return std::nullopt;
    }
    if (headerObject.contains(QLatin1String("crit"))) {
        *error = failure(TokenError::UnsupportedCriticalHeader);
        return std::nullopt;
    }
    return Parts{token.first(secondDot), *claims, *signature};
}

// A NumericDate claim, if present, must be a number JavaScript's Date can hold.
bool isValidNumericDate(const QJsonValue &value)
{
    return value.isUndefined() || (value.isDouble() && std::abs(value.toDouble()) <= MaxNumericDate);
}

// Steps 6 to 8: the claims and the identity they carry.
TokenResult readClaims(const QByteArray &claimsJson)
{
    const std::optional<QJsonValue> json = parseJson(claimsJson);
    if (!json)
        return failure(TokenError::Malformed);
    if (!json->isObject())
        return failure(TokenError::ClaimsNotObject);

    TokenResult result;
    result.claims = json->toObject();
    for (const QLatin1String claim : {QLatin1String("exp"), QLatin1String("nbf"), QLatin1String("iat")}) {
        if (!isValidNumericDate(result.claims.value(claim)))
            return failure(TokenError::InvalidClaim, claim);
    }

    const QLatin1String idClaim("id");
    const QJsonValue id = result.claims.value(idClaim);
    if (id.isUndefined())
        return failure(TokenError::MissingClaim, idClaim);
    if (id.isString() && !id.toString().isEmpty()) {
        result.id = id.toString();
    } else if (const double number = id.toDouble();
               id.isDouble() && std::trunc(number) == number && std::abs(number) <= MaxSafeInteger) {
        result.id = QString::number(static_cast<qint64>(number));
    } else {
        return failure(TokenError::InvalidClaim, idClaim);
    }

    const QLatin1String nameClaim("name");
    const QJsonValue name = result.claims.value(nameClaim);
    if (name.isUndefined())
        return failure(TokenError::MissingClaim, nameClaim);
    if (!name.isString() || name.toString().trimmed().isEmpty())
        return failure(TokenError::InvalidClaim, nameClaim);
    result.name = name.toString();

    const QJsonValue exp = result.claims.value(QLatin1String("exp"));
    if (exp.isDouble())
        result.expiresAt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(exp.toDouble() * 1000), Qt::UTC);
    return result;
}

} // namespace

QString TokenResult::errorString() const
{
    switch (error) {
    case TokenError::NoError:
        return {};
    case TokenError::TooLarge:
        return QStringLiteral("token too large");
    case TokenError::Malformed:
        return QStringLiteral("malformed token");
    case TokenError::AlgorithmNotAllowed:
        return QStringLiteral("algorithm not allowed");
    case TokenError::UnsupportedCriticalHeader:
        return QStringLiteral("unsupported critical header");
    case TokenError::BadSignature:
        return QStringLiteral("bad signature");
    case TokenError::ClaimsNotObject:
        return QStringLiteral("claims must be an object");
    case TokenError::InvalidClaim:
        return QStringLiteral("invalid claim: ") + claim;
    case TokenError::MissingClaim:
        return QStringLiteral("missing claim: ") + claim;
    case TokenError::ExpiryRequired:
        return QStringLiteral("expiry required");
    case TokenError::Expired:
        return QStringLiteral("token expired");
    case TokenError::NotYetValid:
        return QStringLiteral("token not yet valid");
    }
    Q_UNREACHABLE();
}

QByteArray mintToken(const QJsonObject &claims, const QByteArray &secret)
{
    Q_ASSERT(!secret.isEmpty());
    const QByteArray signingInput =
        encodeBase64Url(MintedHeader) + '.' + encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' + encodeBase64Url(signature(signingInput, secret));
}

QByteArray mintToken(const QString &id, const QString &name, std::chrono::seconds ttl, const QByteArray &secret,
                     const QDateTime &now)
{
    Q_ASSERT(ttl.count() > 0);
    const qint64 issuedAt = (now.isValid() ? now : QDateTime::currentDateTimeUtc()).toSecsSinceEpoch();
    return mintToken(QJsonObject{{QLatin1String("id"), id},
                                 {QLatin1String("name"), name},
                                 {QLatin1String("iat"), issuedAt},
                                 {QLatin1String("exp"), issuedAt + qint64(ttl.count())}},
                     secret);
}

TokenResult verifyToken(QByteArrayView token, const QByteArray &secret, const VerifyOptions &options)
{
    TokenResult result;
    const std::optional<Parts> parts = parse(token, options.maxTokenBytes, &result);
    if (!parts)
        return result;
    if (secret.isEmpty() || !constantTimeEquals(signature(parts->signingInput, secret), parts->signature))
        return failure(TokenError::BadSignature);

    result = readClaims(parts->claimsJson);
    if (!result.isValid())
        return result;

    const QJsonValue exp = result.claims.value(QLatin1String("exp"));
    const QJsonValue nbf = result.claims.value(QLatin1String("nbf"));
    if (options.requireExp && exp.isUndefined())
        return failure(TokenError::ExpiryRequired);
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const double nowSeconds = now.toMSecsSinceEpoch() / 1000.0;
    const double leeway = qMax(0, options.clockSkewSeconds);
    if (exp.isDouble() && nowSeconds >= exp.toDouble() + leeway)
        return failure(TokenError::Expired);
    if (nbf.isDouble() && nowSeconds < nbf.toDouble() - leeway)
        return failure(TokenError::NotYetValid);
    return result;
}

TokenResult decodeUnverified(QByteArrayView token)
{
    TokenResult result;
    const std::optional<Parts> parts = parse(token, DefaultMaxTokenBytes, &result);
    return parts ? readClaims(parts->claimsJson) : result;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    // volatile keeps the compiler from turning the loop into an early-exit comparison.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    return difference == 0;
}

} // namespace Roomcast::Chat
