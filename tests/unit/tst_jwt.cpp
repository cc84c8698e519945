#include "chat/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Roomcast::Chat;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Roomcast::Chat::TokenError)

namespace {

const QByteArray Secret = "roomcast-shared-secret";
const QByteArray HS256Header = R"({"alg":"HS256","typ":"JWT"})";
// 2023-11-14T22:13:20Z: every time check runs against this instant, never the clock.
constexpr qint64 Now = 1700000000;
const QDateTime NowUtc = QDateTime::fromSecsSinceEpoch(Now, Qt::UTC);

// Minted by Node's crypto module, independently of our code:
//   const b = s => Buffer.from(s).toString('base64url');
//   const h = b('{"alg":"HS256","typ":"JWT"}'), p = b(JSON.stringify({id: '42', name: 'Alice', iat: 1516239022}));
//   h + '.' + p + '.' + crypto.createHmac('sha256', 'roomcast-shared-secret').update(h + '.' + p).digest('base64url')
const QByteArray NodeStringId = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjQyIiwibmFtZSI6IkFsaWNlIiwiaWF0Ijox"
                                "NTE2MjM5MDIyfQ.9yW18HMZaj5HIkEbMm-9hVlLWs0CLk9J9ddW8lHp2RA";
// The same with {id: 7, name: 'Bob é', iat: 1516239022}.
const QByteArray NodeNumericId = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6NywibmFtZSI6IkJvYiDDqSIsImlhdCI6MTUx"
                                 "NjIzOTAyMn0.SsJu46QhdDUR-Req0XGASmw8C2Aq2xznBpq2SaslLVQ";
// jwt.io's own sample token, signed with its sample secret "your-256-bit-secret". It names its
// user in `sub`, not `id`.
const QByteArray JwtIoSample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
                               "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Signs any header and claims text, valid JSON or not, as a careless or hostile issuer could.
QByteArray signedToken(const QByteArray &header, const QByteArray &claims, const QByteArray &secret = Secret,
                       QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    const QByteArray input = base64Url(header) + '.' + base64Url(claims);
    return input + '.' + base64Url(QMessageAuthenticationCode::hash(input, secret, algorithm));
}

QByteArray token(const QByteArray &claims)
{
    return signedToken(HS256Header, claims);
}

QByteArray claimsAt(qint64 exp = 0, qint64 nbf = 0)
{
    QByteArray claims = R"({"id":"42","name":"Alice","iat":)" + QByteArray::number(Now - 60);
    if (exp)
        claims += R"(,"exp":)" + QByteArray::number(exp);
    if (nbf)
        claims += R"(,"nbf":)" + QByteArray::number(nbf);
    return claims + '}';
}

QList<QByteArray> segments(const QByteArray &token)
{
    return token.split('.');
}

QByteArray withSegment(const QByteArray &token, int index, const QByteArray &segment)
{
    QList<QByteArray> parts = segments(token);
    parts[index] = segment;
    return parts.join('.');
}

QByteArray withCharacter(const QByteArray &token, int index, qsizetype position, char c)
{
    QByteArray segment = segments(token).at(index);
    segment[position] = c;
    return withSegment(token, index, segment);
}

// A signature over any text, however a lax issuer spelt its segments.
QByteArray signedOver(const QByteArray &signingInput)
{
    return signingInput + '.'
        + base64Url(QMessageAuthenticationCode::hash(signingInput, Secret, QCryptographicHash::Sha256));
}

// The same signature bytes, spelt with a stray bit in the unused low bits of the last character.
QByteArray nonCanonicalSignature(const QByteArray &token)
{
    static const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray signature = segments(token).at(2);
    signature.back() = alphabet.at(alphabet.indexOf(signature.back()) | 1);
    return withSegment(token, 2, signature);
}

} // namespace

class tst_Jwt : public QObject
{
    Q_OBJECT

private slots:
    void verify_data();
    void verify();
    void tooLargeIsRefusedBeforeDecoding_data();
    void tooLargeIsRefusedBeforeDecoding();
    void sizeCapBoundary();
    void refusalCarriesNoIdentity();
    void defaultNowIsTheCurrentTime();
    void mintedClaimsRoundTrip();
    void mintedForUser();
    void mintedIsWhatJwtIoWrites();
    void decodeUnverified_data();
    void decodeUnverified();
    void constantTimeEquals_data();
    void constantTimeEquals();
};

void tst_Jwt::verify_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<bool>("requireExp");
    QTest::addColumn<int>("clockSkewSeconds");
    QTest::addColumn<TokenError>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");

    const QString alice = QStringLiteral("Alice");
    const QString id42 = QStringLiteral("42");
    const auto ok = [&](const char *row, const QByteArray &token, const QString &id = QStringLiteral("42"),
                        const QString &name = QStringLiteral("Alice"), bool requireExp = false, int skew = 0,
                        const QByteArray &secret = Secret) {
        QTest::newRow(row) << token << secret << requireExp << skew << TokenError::NoError << QString() << id << name;
    };
    const auto refused = [&](const char *row, const QByteArray &token, TokenError error, const char *message,
                             const QByteArray &secret = Secret, bool requireExp = false, int skew = 0) {
        QTest::newRow(row) << token << secret << requireExp << skew << error << QString::fromLatin1(message)
                           << QString() << QString();
    };
    const QByteArray valid = token(claimsAt(Now + 3600));

    // Accepted.
    ok("valid", valid);
    ok("valid with numeric id", token(R"({"id":7,"name":"Bob","exp":1700003600})"), QStringLiteral("7"),
       QStringLiteral("Bob"));
    ok("valid with negative id", token(R"({"id":-5,"name":"Bob"})"), QStringLiteral("-5"), QStringLiteral("Bob"));
    ok("valid with largest safe integer id", token(R"({"id":9007199254740991,"name":"Bob"})"),
       QStringLiteral("9007199254740991"), QStringLiteral("Bob"));
    ok("valid with id written 7.0", token(R"({"id":7.0,"name":"Bob"})"), QStringLiteral("7"), QStringLiteral("Bob"));
    ok("valid without exp", token(claimsAt()));
    ok("valid with exp when required", valid, id42, alice, true);
    ok("valid with extra claims and header fields",
       signedToken(R"({"typ":"JWT","kid":"k1","alg":"HS256"})",
                   R"({"sub":"x","id":"42","name":"Alice","room":"lobby","iat":1.5e9,"exp":1700000000.5})"));
    ok("Node-minted, string id", NodeStringId);
    ok("Node-minted, numeric id", NodeNumericId, QStringLiteral("7"), QString::fromUtf8("Bob \xc3\xa9"));
    ok("nbf exactly now", token(claimsAt(0, Now)));
    ok("expired within the leeway", token(claimsAt(Now - 10)), id42, alice, false, 30);
    ok("not yet valid within the leeway", token(claimsAt(0, Now + 10)), id42, alice, false, 30);
    ok("negative leeway counts as zero", token(claimsAt(Now + 1, Now)), id42, alice, false, -100);

    // Times.
    refused("expired", token(claimsAt(Now - 1)), TokenError::Expired, "token expired");
    refused("expires exactly now", token(claimsAt(Now)), TokenError::Expired, "token expired");
    refused("expired beyond the leeway", token(claimsAt(Now - 30)), TokenError::Expired, "token expired", Secret,
            false, 30);
    refused("not yet valid", token(claimsAt(Now + 3600, Now + 60)), TokenError::NotYetValid, "token not yet valid");
    refused("not yet valid beyond the leeway", token(claimsAt(0, Now + 31)), TokenError::NotYetValid,
            "token not yet valid", Secret, false, 30);
    refused("exp missing when required", token(claimsAt()), TokenError::ExpiryRequired, "expiry required", Secret,
            true);

    // Signature.
    refused("wrong secret", signedToken(HS256Header, claimsAt(Now + 3600), "another-secret"), TokenError::BadSignature,
            "bad signature");
    refused("empty secret", signedToken(HS256Header, claimsAt(), ""), TokenError::BadSignature, "bad signature", "");
    refused("claims swapped after signing", withSegment(valid, 1, base64Url(R"({"id":"1","name":"Admin"})")),
            TokenError::BadSignature, "bad signature");
    refused("signature truncated", withSegment(valid, 2, segments(valid).at(2).first(40)), TokenError::BadSignature,
            "bad signature");
    refused("signature empty", withSegment(valid, 2, {}), TokenError::BadSignature, "bad signature");
    refused("signature of another token", withSegment(valid, 2, segments(NodeStringId).at(2)),
            TokenError::BadSignature, "bad signature");
    refused("expired and wrong secret: the signature first",
            signedToken(HS256Header, claimsAt(Now - 1), "another-secret"), TokenError::BadSignature, "bad signature");
    refused("jwt.io sample with its secret: no id", JwtIoSample, TokenError::MissingClaim, "missing claim: id",
            "your-256-bit-secret");
    refused("jwt.io sample with our secret", JwtIoSample, TokenError::BadSignature, "bad signature");

    // Algorithm: fixed by the server, never read from the token.
    refused("alg none", base64Url(R"({"alg":"none","typ":"JWT"})") + '.' + base64Url(claimsAt()) + '.',
            TokenError::AlgorithmNotAllowed, "algorithm not allowed");
    refused("alg None", base64Url(R"({"alg":"None"})") + '.' + base64Url(claimsAt()) + '.',
            TokenError::AlgorithmNotAllowed, "algorithm not allowed");
    refused("alg none with an HS256 signature", withSegment(valid, 0, base64Url(R"({"alg":"none","typ":"JWT"})")),
            TokenError::AlgorithmNotAllowed, "algorithm not allowed");
    refused("alg HS384", signedToken(R"({"alg":"HS384","typ":"JWT"})", claimsAt(), Secret, QCryptographicHash::Sha384),
            TokenError::AlgorithmNotAllowed, "algorithm not allowed");
    refused("alg RS256", signedToken(R"({"alg":"RS256","typ":"JWT"})", claimsAt()), TokenError::AlgorithmNotAllowed,
            "algorithm not allowed");
    refused("alg hs256", signedToken(R"({"alg":"hs256","typ":"JWT"})", claimsAt()), TokenError::AlgorithmNotAllowed,
            "algorithm not allowed");
    refused("alg missing", signedToken(R"({"typ":"JWT"})", claimsAt()), TokenError::AlgorithmNotAllowed,
            "algorithm not allowed");
    refused("alg not a string", signedToken(R"({"alg":["HS256"]})", claimsAt()), TokenError::AlgorithmNotAllowed,
            "algorithm not allowed");
    refused("alg given twice, the last none", signedToken(R"({"alg":"HS256","alg":"none"})", claimsAt()),
            TokenError::AlgorithmNotAllowed, "algorithm not allowed");

    // Critical header parameters.
    refused("header with crit", signedToken(R"({"alg":"HS256","crit":["exp"],"exp":1})", claimsAt()),
            TokenError::UnsupportedCriticalHeader, "unsupported critical header");
    refused("header with crit b64", signedToken(R"({"alg":"HS256","b64":false,"crit":["b64"]})", claimsAt()),
            TokenError::UnsupportedCriticalHeader, "unsupported critical header");
    refused("header with empty crit", signedToken(R"({"alg":"HS256","crit":[]})", claimsAt()),
            TokenError::UnsupportedCriticalHeader, "unsupported critical header");

    // Strict base64url: checked before the signature.
    refused("padding on the signature", valid + '=', TokenError::Malformed, "malformed token");
    refused("padding on the claims, signed so",
            signedOver(base64Url(HS256Header) + '.' + base64Url(R"({"id":"42","name":"Ali"})") + "=="),
            TokenError::Malformed, "malformed token");
    refused("'+' in the signature", withCharacter(valid, 2, 0, '+'),
            TokenError::Malformed, "malformed token");
    refused("'/' in the claims", withCharacter(valid, 1, 4, '/'),
            TokenError::Malformed, "malformed token");
    refused("invalid character", withCharacter(valid, 1, 4, '*'),
            TokenError::Malformed, "malformed token");
    refused("non-ASCII byte", withSegment(valid, 1, segments(valid).at(1) + "\xc3\xa9"), TokenError::Malformed,
            "malformed token");
    refused("NUL byte", valid.first(10) + '\0' + valid.sliced(10), TokenError::Malformed, "malformed token");
    refused("space inside", valid.first(10) + ' ' + valid.sliced(10), TokenError::Malformed, "malformed token");
    refused("trailing newline", valid + '\n', TokenError::Malformed, "malformed token");
    refused("leading space", ' ' + valid, TokenError::Malformed, "malformed token");
    refused("Bearer prefix", "Bearer " + valid, TokenError::Malformed, "malformed token");
    refused("impossible length", withSegment(valid, 0, segments(valid).at(0) + 'A'), TokenError::Malformed,
            "malformed token");
    refused("stray bits in the last character", nonCanonicalSignature(valid), TokenError::Malformed,
            "malformed token");

    // Shape.
    refused("empty", {}, TokenError::Malformed, "malformed token");
    refused("two segments", segments(valid).at(0) + '.' + segments(valid).at(1), TokenError::Malformed,
            "malformed token");
    refused("four segments", valid + '.' + segments(valid).at(2), TokenError::Malformed, "malformed token");
    refused("four segments, last empty", valid + '.', TokenError::Malformed, "malformed token");
    refused("only dots", "..", TokenError::Malformed, "malformed token");
    refused("no dot", segments(valid).at(0), TokenError::Malformed, "malformed token");
    refused("header empty", withSegment(valid, 0, {}), TokenError::Malformed, "malformed token");
    refused("header not JSON", signedToken("{alg:HS256}", claimsAt()), TokenError::Malformed, "malformed token");
    refused("header an array", signedToken(R"(["HS256"])", claimsAt()), TokenError::Malformed, "malformed token");
    refused("header a string", signedToken(R"("HS256")", claimsAt()), TokenError::Malformed, "malformed token");
    refused("header with trailing garbage", signedToken(R"({"alg":"HS256"}])", claimsAt()), TokenError::Malformed,
            "malformed token");

    // Claims.
    refused("claims empty", token({}), TokenError::Malformed, "malformed token");
    refused("claims not JSON", token("id=42"), TokenError::Malformed, "malformed token");
    refused("claims two JSON values", token(R"({"id":"42","name":"A"}],[{})"), TokenError::Malformed,
            "malformed token");
    refused("claims an array", token(R"([{"id":"42","name":"Alice"}])"), TokenError::ClaimsNotObject,
            "claims must be an object");
    refused("claims a string", token(R"("Alice")"), TokenError::ClaimsNotObject, "claims must be an object");
    refused("claims a number", token("42"), TokenError::ClaimsNotObject, "claims must be an object");
    refused("claims null", token("null"), TokenError::ClaimsNotObject, "claims must be an object");
    refused("exp a string", token(R"({"id":"42","name":"Alice","exp":"1700003600"})"), TokenError::InvalidClaim,
            "invalid claim: exp");
    refused("exp null", token(R"({"id":"42","name":"Alice","exp":null})"), TokenError::InvalidClaim,
            "invalid claim: exp");
    refused("exp beyond any date", token(R"({"id":"42","name":"Alice","exp":1e13})"), TokenError::InvalidClaim,
            "invalid claim: exp");
    refused("exp a string with requireExp", token(R"({"id":"42","name":"Alice","exp":"soon"})"),
            TokenError::InvalidClaim, "invalid claim: exp", Secret, true);
    refused("nbf a string", token(R"({"id":"42","name":"Alice","nbf":"now"})"), TokenError::InvalidClaim,
            "invalid claim: nbf");
    refused("iat a boolean", token(R"({"id":"42","name":"Alice","iat":true})"), TokenError::InvalidClaim,
            "invalid claim: iat");
    refused("id an object", token(R"({"id":{"$gt":""},"name":"Alice"})"), TokenError::InvalidClaim,
            "invalid claim: id");
    refused("id an array", token(R"({"id":["42"],"name":"Alice"})"), TokenError::InvalidClaim, "invalid claim: id");
    refused("id a boolean", token(R"({"id":true,"name":"Alice"})"), TokenError::InvalidClaim, "invalid claim: id");
    refused("id null", token(R"({"id":null,"name":"Alice"})"), TokenError::InvalidClaim, "invalid claim: id");
    refused("id empty", token(R"({"id":"","name":"Alice"})"), TokenError::InvalidClaim, "invalid claim: id");
    refused("id a fraction", token(R"({"id":4.2,"name":"Alice"})"), TokenError::InvalidClaim, "invalid claim: id");
    refused("id beyond safe integers", token(R"({"id":9007199254740992,"name":"Alice"})"), TokenError::InvalidClaim,
            "invalid claim: id");
    refused("id missing", token(R"({"sub":"42","name":"Alice"})"), TokenError::MissingClaim, "missing claim: id");
    refused("name missing", token(R"({"id":"42","nickname":"Alice"})"), TokenError::MissingClaim,
            "missing claim: name");
    refused("name empty", token(R"({"id":"42","name":""})"), TokenError::InvalidClaim, "invalid claim: name");
    refused("name blank", token(R"({"id":"42","name":" \t "})"), TokenError::InvalidClaim, "invalid claim: name");
    refused("name a number", token(R"({"id":"42","name":42})"), TokenError::InvalidClaim, "invalid claim: name");
}

void tst_Jwt::verify()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, secret);
    QFETCH(bool, requireExp);
    QFETCH(int, clockSkewSeconds);
    QFETCH(TokenError, error);
    QFETCH(QString, message);
    QFETCH(QString, id);
    QFETCH(QString, name);

    VerifyOptions options;
    options.requireExp = requireExp;
    options.clockSkewSeconds = clockSkewSeconds;
    options.now = NowUtc;
    const TokenResult result = verifyToken(token, secret, options);
    QCOMPARE(result.error, error);
    QCOMPARE(result.errorString(), message);
    QCOMPARE(result.isValid(), error == TokenError::NoError);
    QCOMPARE(result.id, id);
    QCOMPARE(result.name, name);
}

void tst_Jwt::tooLargeIsRefusedBeforeDecoding_data()
{
    QTest::addColumn<QByteArray>("token");

    const QByteArray megabyte(1024 * 1024, 'A');
    QTest::newRow("1 MB, signed") << token(R"({"id":"42","name":")" + megabyte + R"("})");
    // Anything that looked at these bytes would call them malformed.
    QTest::newRow("1 MB of '='") << QByteArray(1024 * 1024, '=');
    QTest::newRow("one byte over the cap") << QByteArray(DefaultMaxTokenBytes + 1, '.');
}

void tst_Jwt::tooLargeIsRefusedBeforeDecoding()
{
    QFETCH(QByteArray, token);

    VerifyOptions options;
    options.now = NowUtc;
    const TokenResult verified = verifyToken(token, Secret, options);
    QCOMPARE(verified.error, TokenError::TooLarge);
    QCOMPARE(verified.errorString(), QStringLiteral("token too large"));
    const TokenResult decoded = Roomcast::Chat::decodeUnverified(token);
    QCOMPARE(decoded.error, TokenError::TooLarge);
    QCOMPARE(decoded.errorString(), QStringLiteral("token too large"));
}

void tst_Jwt::sizeCapBoundary()
{
    const QByteArray valid = token(claimsAt());
    VerifyOptions options;
    options.now = NowUtc;
    options.maxTokenBytes = valid.size();
    QVERIFY(verifyToken(valid, Secret, options).isValid());
    options.maxTokenBytes = valid.size() - 1;
    QCOMPARE(verifyToken(valid, Secret, options).error, TokenError::TooLarge);
}

void tst_Jwt::refusalCarriesNoIdentity()
{
    VerifyOptions options;
    options.now = NowUtc;
    const TokenResult result = verifyToken(token(claimsAt(Now - 1)), Secret, options);
    QCOMPARE(result.error, TokenError::Expired);
    QVERIFY(result.claims.isEmpty());
    QVERIFY(result.id.isEmpty());
    QVERIFY(result.name.isEmpty());
    QVERIFY(!result.expiresAt.isValid());
    QVERIFY(result.claim.isEmpty());
}

// Options left at their defaults check against the clock at the call, not at their creation.
void tst_Jwt::defaultNowIsTheCurrentTime()
{
    const QDateTime current = QDateTime::currentDateTimeUtc();
    QVERIFY(verifyToken(mintToken(QStringLiteral("42"), QStringLiteral("Alice"), 1h, Secret), Secret).isValid());
    QCOMPARE(verifyToken(mintToken(QStringLiteral("42"), QStringLiteral("Alice"), 1h, Secret, current.addSecs(-7200)),
                         Secret)
                 .error,
             TokenError::Expired);
    const TokenResult notYet =
        verifyToken(signedToken(HS256Header, claimsAt(0, current.toSecsSinceEpoch() + 3600)), Secret);
    QCOMPARE(notYet.error, TokenError::NotYetValid);
}

void tst_Jwt::mintedClaimsRoundTrip()
{
    const QJsonObject claims{{QStringLiteral("id"), 1234},
                             {QStringLiteral("name"), QString::fromUtf8("Zo\xc3\xab \xf0\x9f\x98\x80")},
                             {QStringLiteral("exp"), Now + 60},
                             {QStringLiteral("rooms"), QJsonArray{QStringLiteral("lobby"), QStringLiteral("dev")}}};
    const QByteArray minted = mintToken(claims, Secret);
    QCOMPARE(minted.count('.'), 2);
    QVERIFY(!minted.contains('='));

    VerifyOptions options;
    options.now = NowUtc;
    options.requireExp = true;
    const TokenResult result = verifyToken(minted, Secret, options);
    QCOMPARE(result.error, TokenError::NoError);
    QCOMPARE(result.claims, claims);
    QCOMPARE(result.id, QStringLiteral("1234"));
    QCOMPARE(result.name, claims.value(QStringLiteral("name")).toString());
    QCOMPARE(result.expiresAt, NowUtc.addSecs(60));
    QCOMPARE(verifyToken(minted, "another-secret", options).error, TokenError::BadSignature);
}

void tst_Jwt::mintedForUser()
{
    const QByteArray minted = mintToken(QStringLiteral("u-1"), QStringLiteral("Alice"), 300s, Secret, NowUtc);
    VerifyOptions options;
    options.now = NowUtc;
    options.requireExp = true;
    const TokenResult result = verifyToken(minted, Secret, options);
    QCOMPARE(result.error, TokenError::NoError);
    QCOMPARE(result.id, QStringLiteral("u-1"));
    QCOMPARE(result.name, QStringLiteral("Alice"));
    QCOMPARE(result.claims.value(QStringLiteral("iat")).toInteger(), Now);
    QCOMPARE(result.claims.value(QStringLiteral("exp")).toInteger(), Now + 300);
    QCOMPARE(result.claims.size(), 4);
    QCOMPARE(result.expiresAt, NowUtc.addSecs(300));

    options.now = NowUtc.addSecs(299);
    QVERIFY(verifyToken(minted, Secret, options).isValid());
    options.now = NowUtc.addSecs(300);
    QCOMPARE(verifyToken(minted, Secret, options).error, TokenError::Expired);
}

// The header is byte for byte jwt.io's, and so is the whole token for the same claims text.
void tst_Jwt::mintedIsWhatJwtIoWrites()
{
    const QByteArray minted = mintToken(QJsonObject{{QStringLiteral("name"), QStringLiteral("Alice")}}, Secret);
    QCOMPARE(segments(minted).at(0), QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
    QCOMPARE(minted, signedToken(HS256Header, R"({"name":"Alice"})"));
}

void tst_Jwt::decodeUnverified_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<TokenError>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QDateTime>("expiresAt");

    const QString id42 = QStringLiteral("42");
    QTest::newRow("valid") << token(claimsAt(Now + 3600)) << TokenError::NoError << QString() << id42
                           << NowUtc.addSecs(3600);
    QTest::newRow("any secret") << signedToken(HS256Header, claimsAt(Now + 3600), "another-secret")
                                << TokenError::NoError << QString() << id42 << NowUtc.addSecs(3600);
    QTest::newRow("expired") << token(claimsAt(Now - 3600)) << TokenError::NoError << QString() << id42
                             << NowUtc.addSecs(-3600);
    QTest::newRow("not yet valid") << token(claimsAt(0, Now + 3600)) << TokenError::NoError << QString() << id42
                                   << QDateTime();
    QTest::newRow("Node-minted") << NodeNumericId << TokenError::NoError << QString() << QStringLiteral("7")
                                 << QDateTime();
    QTest::newRow("alg none") << base64Url(R"({"alg":"none"})") + '.' + base64Url(claimsAt()) + '.'
                              << TokenError::AlgorithmNotAllowed << QStringLiteral("algorithm not allowed")
                              << QString() << QDateTime();
    QTest::newRow("crit") << signedToken(R"({"alg":"HS256","crit":["x"]})", claimsAt())
                          << TokenError::UnsupportedCriticalHeader << QStringLiteral("unsupported critical header")
                          << QString() << QDateTime();
    QTest::newRow("two segments") << segments(NodeStringId).mid(0, 2).join('.') << TokenError::Malformed
                                  << QStringLiteral("malformed token") << QString() << QDateTime();
    QTest::newRow("bad base64url") << NodeStringId + '=' << TokenError::Malformed << QStringLiteral("malformed token")
                                   << QString() << QDateTime();
    QTest::newRow("claims an array") << token("[]") << TokenError::ClaimsNotObject
                                     << QStringLiteral("claims must be an object") << QString() << QDateTime();
    QTest::newRow("exp a string") << token(R"({"id":"42","name":"Alice","exp":"tomorrow"})")
                                  << TokenError::InvalidClaim << QStringLiteral("invalid claim: exp") << QString()
                                  << QDateTime();
    QTest::newRow("missing name") << token(R"({"id":"42"})") << TokenError::MissingClaim
                                  << QStringLiteral("missing claim: name") << QString() << QDateTime();
}

void tst_Jwt::decodeUnverified()
{
    QFETCH(QByteArray, token);
    QFETCH(TokenError, error);
    QFETCH(QString, message);
    QFETCH(QString, id);
    QFETCH(QDateTime, expiresAt);

    const TokenResult result = Roomcast::Chat::decodeUnverified(token);
    QCOMPARE(result.error, error);
    QCOMPARE(result.errorString(), message);
    QCOMPARE(result.id, id);
    QCOMPARE(result.expiresAt, expiresAt);
    if (result.isValid())
        QVERIFY(!result.name.isEmpty());
}

void tst_Jwt::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    const QByteArray mac = QMessageAuthenticationCode::hash("x", Secret, QCryptographicHash::Sha256);
    QByteArray lastBitFlipped = mac;
    lastBitFlipped.back() = char(lastBitFlipped.back() ^ 0x01);
    QByteArray firstBitFlipped = mac;
    firstBitFlipped.front() = char(firstBitFlipped.front() ^ 0x80);

    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("equal") << mac << QByteArray(mac) << true;
    QTest::newRow("first byte differs") << mac << firstBitFlipped << false;
    QTest::newRow("last byte differs") << mac << lastBitFlipped << false;
    QTest::newRow("prefix") << mac << mac.first(31) << false;
    QTest::newRow("empty against full") << QByteArray() << mac << false;
    QTest::newRow("NUL bytes count") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
    QTest::newRow("high bytes") << QByteArray("\xff\x80") << QByteArray("\xff\x80") << true;
}

void tst_Jwt::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);

    QCOMPARE(Roomcast::Chat::constantTimeEquals(a, b), equal);
    QCOMPARE(Roomcast::Chat::constantTimeEquals(b, a), equal);
}

QTEST_APPLESS_MAIN(tst_Jwt)
#include "tst_jwt.moc"
