// Join links: what `roomcast URL` receives from the desktop (x-scheme-handler/roomcast), a
// browser or a pasted invite, parsed by a whitelist; and the invite link a host shares.
//
// Accepted forms (DESIGN.md, "Programs"):
//
//     roomcast://HOST[:PORT][/][?room=R][&token=T]     the server is http://HOST:PORT
//     roomcasts://HOST[:PORT][/][?room=R][&token=T]    the server is https://HOST:PORT
//     http://HOST[:PORT][/][?room=R][&token=T]         the URL is the server
//     https://HOST[:PORT][/][?room=R][&token=T]
//
// The rules, every one checked on the text as received (nothing is guessed or repaired):
// - at most MaxLength characters, all printable ASCII (0x21–0x7E): anything else — spaces,
//   controls, CR/LF, raw Unicode — must arrive percent-encoded, and then only in a value;
// - scheme roomcast, roomcasts, http or https (case-insensitive); anything else (javascript:,
//   file:, data:, ws:, …) is refused;
// - no user info (`user:pass@`) and no fragment (`#`): both are refused, not dropped;
// - the host is an ASCII DNS name (labels of letters, digits and inner hyphens, 1–63 each,
//   253 in all, no trailing dot), a dotted-quad IPv4 address, or an IPv6 address in brackets
//   (no zone id). Internationalised names are refused, in Unicode and in punycode (`xn--`)
//   alike, so that a look-alike host can never pass for another; numeric hosts that are not a
//   canonical dotted quad (`127.1`, `0x7f.0.0.1`, `010.0.0.1`) are refused as well. The host
//   is lower-cased;
// - the port is 1–65535 in decimal; without one, roomcast(s):// use DefaultPort (3000, the
//   port roomcast-server listens on by default) and http(s):// their standard 80 and 443;
// - the path is empty or "/";
// - the query is `key=value` items joined by '&', keys exactly `room` and `token`, each at most
//   once; any other key, a repeated key, an item without '=' or an empty value is refused (an
//   unknown key is refused rather than ignored: a link is made by toInviteUrl() or by hand,
//   and neither has a reason to carry more). Values are percent-decoded strictly (`%` and two
//   hex digits, valid UTF-8); '+' is a plus sign, not a space;
// - the room is 1–Chat::Limits::MaxRoomNameLength UTF-16 units with no surrounding white space
//   and no control, format (bidi overrides, zero-width spaces…; the joiners U+200C and U+200D,
//   which scripts and emoji need, excepted), line or paragraph separator, private-use or
//   unassigned characters: stricter than the server, so a link never displays misleadingly;
// - the token has the shape of a JWT: three non-empty unpadded base64url segments joined by
//   '.', at most MaxTokenLength characters. Its signature is the server's business.
#pragma once

#include "chat/jwt.h"
#include "chat/protocol.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QStringView>
#include <QUrl>

namespace Roomcast::Ui {

//! What a join link names: the server to open, and optionally a room and a login token.
struct JoinRequest
{
    QUrl serverUrl; //!< scheme http or https, a host, an explicit port, no path
    QString room;   //!< empty when the link names none
    QString token;  //!< empty when the link carries none

    friend bool operator==(const JoinRequest &, const JoinRequest &) = default;
};

class JoinUrl
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(Roomcast::Ui::JoinUrl)

public:
    enum class Error {
        NoError,
        Empty,
        TooLong,
        InvalidCharacter, //!< not printable ASCII (white space, controls, raw Unicode)
        UnsupportedScheme,
        UserInfo,
        Fragment,
        InvalidHost,
        InvalidPort,
        UnexpectedPath,
        InvalidQuery,     //!< an item without '=', an empty value, bad percent-encoding
        UnknownQueryKey,
        DuplicateQueryKey,
        InvalidRoom,
        InvalidToken,
    };
    Q_ENUM(Error)

    //! The longest link accepted: the longest token, the longest room name fully
    //! percent-encoded (64 × 3 UTF-8 bytes × 3), the longest host name and the rest, rounded up.
    static constexpr qsizetype MaxLength = 9216;
    static constexpr qsizetype MaxTokenLength = Chat::DefaultMaxTokenBytes;
    static constexpr qsizetype MaxRoomLength = Chat::Limits::MaxRoomNameLength;
    //! The port of roomcast:// and roomcasts:// links without one.
    static constexpr quint16 DefaultPort = 3000;

    struct Result
    {
        Error error = Error::NoError;
        QString errorString; //!< translated; empty when valid
        JoinRequest request; //!< empty unless valid

        bool isValid() const { return error == Error::NoError; }
    };

    //! Parses @p text by the rules above.
    static Result parse(QStringView text);

    //! The link a host shares: roomcast://HOST:PORT/?room=R&token=T for an http server,
    //! roomcasts://… for an https one; `room` and `token` only when not empty. Empty when the
    //! result would not parse() back to the same server, room and token.
    static QString toInviteUrl(const QUrl &serverUrl, const QString &room = {}, const QString &token = {});

    //! @p error in the user's language.
    static QString errorString(Error error);

    //! Whether @p token has the shape of a JWT (see above).
    static bool isJwtShaped(QStringView token);
    //! Whether @p room is a name a link may carry (see above).
    static bool isValidRoomName(QStringView room);
};

} // namespace Roomcast::Ui
