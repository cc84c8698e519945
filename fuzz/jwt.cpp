// JWT verification. The input is cut at \x1f:
//   piece 0        a token, verified with the server's secret and decoded unverified;
//   pieces 1 and 2 a header and claims (JSON text, or anything) that the harness signs with the
//                  secret, so that the checks after the signature are reached too;
//   piece 3        the verification options: bytes read by FuzzedDataProvider.
// For a token whose signature is good, verifyToken() must agree with decodeUnverified(): the
// same refusal, or the same identity unless a time check (or requireExp) refuses it.
#include "chat/jwt.h"

#include "fuzzing.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <QMessageAuthenticationCode>

using namespace Roomcast::Chat;

namespace {

const QByteArray Secret = QByteArrayLiteral("fuzzing secret");
constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray signedToken(QByteArrayView header, QByteArrayView claims)
{
    const QByteArray input = header.toByteArray().toBase64(Base64Url) + '.' + claims.toByteArray().toBase64(Base64Url);
    const QByteArray mac = QMessageAuthenticationCode::hash(input, Secret, QCryptographicHash::Sha256);
    return input + '.' + mac.toBase64(Base64Url);
}

VerifyOptions options(QByteArrayView bytes)
{
    FuzzedDataProvider provider(reinterpret_cast<const uint8_t *>(bytes.data()), size_t(bytes.size()));
    VerifyOptions options;
    options.requireExp = provider.ConsumeBool();
    options.clockSkewSeconds = provider.ConsumeIntegral<int>();
    // A fixed clock, anywhere JavaScript's Date can be (the default, the current time, too).
    if (provider.ConsumeBool())
        options.now = QDateTime::fromSecsSinceEpoch(provider.ConsumeIntegralInRange<qint64>(-8640000000000, 8640000000000),
                                                    Qt::UTC);
    return options;
}

bool isTimeRefusal(TokenError error)
{
    return error == TokenError::ExpiryRequired || error == TokenError::Expired || error == TokenError::NotYetValid;
}

void checkResult(const TokenResult &result)
{
    if (result.isValid()) {
        FUZZ_CHECK(!result.id.isEmpty());
        FUZZ_CHECK(!result.name.trimmed().isEmpty());
        FUZZ_CHECK(result.errorString().isEmpty());
        FUZZ_CHECK(result.claims.contains(QLatin1String("id")) && result.claims.contains(QLatin1String("name")));
    } else {
        // A refused token hands out no identity.
        FUZZ_CHECK(result.id.isEmpty() && result.name.isEmpty() && result.claims.isEmpty());
        FUZZ_CHECK(!result.errorString().isEmpty());
        const bool namesClaim = result.error == TokenError::InvalidClaim || result.error == TokenError::MissingClaim;
        FUZZ_CHECK(namesClaim != result.claim.isEmpty());
    }
}

void checkAgreement(QByteArrayView token, const VerifyOptions &verifyOptions)
{
    const TokenResult unverified = decodeUnverified(token);
    const TokenResult verified = verifyToken(token, Secret, verifyOptions);
    checkResult(unverified);
    checkResult(verified);
    if (!unverified.isValid()) {
        FUZZ_CHECK(verified.error == unverified.error || unverified.error == TokenError::TooLarge);
        FUZZ_CHECK(verified.claim == unverified.claim || unverified.error == TokenError::TooLarge);
    } else if (verified.isValid()) {
        FUZZ_CHECK(verified.id == unverified.id && verified.name == unverified.name);
        FUZZ_CHECK(verified.claims == unverified.claims);
        FUZZ_CHECK(verified.expiresAt == unverified.expiresAt);
    } else {
        FUZZ_CHECK(isTimeRefusal(verified.error));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArrayView> pieces = Roomcast::Fuzz::pieces(Roomcast::Fuzz::view(data, size));
    const VerifyOptions verifyOptions = options(pieces.value(3));

    // Whatever a client sends as its token.
    const QByteArrayView token = pieces.first();
    const TokenResult verified = verifyToken(token, Secret, verifyOptions);
    checkResult(verified);
    checkResult(decodeUnverified(token));
    // Without a secret nothing verifies.
    FUZZ_CHECK(!verifyToken(token, QByteArray(), verifyOptions).isValid());

    // A token signed with the secret, whatever it holds.
    if (pieces.size() >= 3) {
        const QByteArray minted = signedToken(pieces.at(1), pieces.at(2));
        checkAgreement(minted, verifyOptions);
        // Any other secret refuses it, after the checks of its shape and header.
        const TokenResult otherSecret = verifyToken(minted, "another secret", verifyOptions);
        FUZZ_CHECK(!otherSecret.isValid());
    }
    return 0;
}
