// JSON Web Tokens signed with HS256, as the chat server accepts them: pure code, no QObject,
// no I/O.
//
// The algorithm is fixed by the server and never taken from the token: only "HS256" is
// accepted. Tokens that jwt.io (or any RFC 7519 library) produces for {"id":…,"name":…} with the
// shared secret verify unchanged.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <chrono>

namespace Roomcast::Chat {

//! The default cap on a token's length in bytes, checked before anything is decoded.
inline constexpr qsizetype DefaultMaxTokenBytes = 8192;

//! Why a token was refused. errorString() gives each its message; the messages are part of the
//! chat contract (the server sends them as the CONNECT_ERROR `message`), so they never change
//! and are never translated. A UI that shows them to a user translates by TokenError instead.
//!
//! | error                       | message                                              |
//! |-----------------------------|------------------------------------------------------|
//! | `TooLarge`                  | `token too large`                                    |
//! | `Malformed`                 | `malformed token`                                    |
//! | `AlgorithmNotAllowed`       | `algorithm not allowed`                              |
//! | `UnsupportedCriticalHeader` | `unsupported critical header`                        |
//! | `BadSignature`              | `bad signature`                                      |
//! | `ClaimsNotObject`           | `claims must be an object`                           |
//! | `InvalidClaim`              | `invalid claim: ` + `exp`, `nbf`, `iat`, `id`, `name` |
//! | `MissingClaim`              | `missing claim: ` + `id`, `name`                     |
//! | `ExpiryRequired`            | `expiry required`                                    |
//! | `Expired`                   | `token expired`                                      |
//! | `NotYetValid`               | `token not yet valid`                                |
//!
//! The checks run in this order, and the first failure is reported:
//! 1. length above the cap: `TooLarge` (nothing is decoded before this);
//! 2. not exactly three segments separated by '.', or a segment that is not strict unpadded
//!    base64url (only A–Z a–z 0–9 '-' '_', no '=', no whitespace, no impossible length, no
//!    non-zero trailing bits), or a header that is not a JSON object: `Malformed`;
//! 3. header `alg` other than exactly "HS256" (missing, "none", "None", "HS384", "RS256"…):
//!    `AlgorithmNotAllowed`;
//! 4. a header with `crit` (whatever its value): `UnsupportedCriticalHeader`;
//! 5. the HMAC-SHA256 of "header.claims" differs from the signature (compared in constant time),
//!    or the secret is empty: `BadSignature`;
//! 6. claims that are not JSON: `Malformed`; JSON that is not an object: `ClaimsNotObject`;
//! 7. `exp`, `nbf` or `iat` present but not a number within ±8.64e12 seconds (JavaScript's
//!    Date range): `InvalidClaim` naming it;
//! 8. `id` absent: `MissingClaim`; not a non-empty string nor an integer number within
//!    ±(2^53 − 1): `InvalidClaim`. `name` absent: `MissingClaim`; not a string, or only
//!    whitespace: `InvalidClaim`;
//! 9. `exp` absent while VerifyOptions::requireExp: `ExpiryRequired`;
//! 10. now ≥ exp + leeway: `Expired`; now < nbf − leeway: `NotYetValid` (RFC 7519 §4.1.4, §4.1.5).
//!
//! Other header fields (`typ`, `kid`, `jku`, `x5u`…) are ignored: no key is ever looked up.
//! Duplicate JSON keys keep the last value, as JavaScript's JSON.parse does.
enum class TokenError {
    NoError,
    TooLarge,
    Malformed,
    AlgorithmNotAllowed,
    UnsupportedCriticalHeader,
    BadSignature,
    ClaimsNotObject,
    InvalidClaim,
    MissingClaim,
    ExpiryRequired,
    Expired,
    NotYetValid,
};

//! What verifyToken() or decodeUnverified() found. On error only `error` and `claim` are set:
//! the identity of a refused token is never handed out.
struct TokenResult
{
    TokenError error = TokenError::NoError;
    QString claim;          //!< the claim named by InvalidClaim and MissingClaim
    QJsonObject claims;     //!< every claim of the token
    QString id;             //!< the `id` claim; an integer id is written in decimal ("42")
    QString name;           //!< the `name` claim
    QDateTime expiresAt;    //!< from `exp` (UTC), invalid when the token has none

    bool isValid() const { return error == TokenError::NoError; }
    //! The contract message of the table above; empty for NoError.
    QString errorString() const;
};

struct VerifyOptions
{
    //! Refuse tokens without `exp` (roomcast-server --require-exp).
    bool requireExp = false;
    //! Longer tokens are refused before any decoding.
    qsizetype maxTokenBytes = DefaultMaxTokenBytes;
    //! The time to check `exp` and `nbf` against; an invalid QDateTime (the default) means the
    //! current time at each call, so options kept for a server's lifetime never go stale.
    QDateTime now;
    //! Leeway for clocks that disagree, applied to `exp` and `nbf`. Zero by default, as in the
    //! `jsonwebtoken` package the tutorials use: the chat server mints and checks its invite
    //! tokens on one clock. Negative values count as zero.
    int clockSkewSeconds = 0;
};

//! Signs `claims` with HS256: header {"alg":"HS256","typ":"JWT"}, unpadded base64url segments.
//! `secret` must not be empty.
QByteArray mintToken(const QJsonObject &claims, const QByteArray &secret);

//! Mints a token for a user: claims `id`, `name`, `iat` = `now` (the current time if invalid)
//! and `exp` = iat + `ttl`, which must be positive. Every minted token expires.
QByteArray mintToken(const QString &id, const QString &name, std::chrono::seconds ttl, const QByteArray &secret,
                     const QDateTime &now = {});

//! Checks a token's shape, signature and claims (see TokenError for every check, in order).
TokenResult verifyToken(QByteArrayView token, const QByteArray &secret, const VerifyOptions &options = {});

//! Reads a token WITHOUT checking its signature nor its times, for a client to show whom a
//! pasted token names and when it expires before connecting. Everything else is checked as
//! verifyToken() does (cap DefaultMaxTokenBytes). Never trust its result on a server.
TokenResult decodeUnverified(QByteArrayView token);

//! Compares two byte strings in time that depends only on their lengths (which are not
//! secret), never on where they first differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace Roomcast::Chat
