#include "joinurl.h"

#include <QHostAddress>
#include <QStringDecoder>

#include <optional>

namespace Roomcast::Ui {

namespace {

constexpr qsizetype MaxHostLength = 253;
constexpr qsizetype MaxLabelLength = 63;
const QString RoomKey = QStringLiteral("room");
const QString TokenKey = QStringLiteral("token");

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAllDigits(QStringView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isAsciiDigit);
}

//! A canonical dotted quad: four decimal parts 0–255 without leading zeros.
bool isDottedQuad(QStringView host)
{
    const auto parts = host.split(u'.');
    if (parts.size() != 4)
        return false;
    return std::all_of(parts.begin(), parts.end(), [](QStringView part) {
        if (!isAllDigits(part) || part.size() > 3 || (part.size() > 1 && part.front() == u'0'))
            return false;
        return part.toInt() <= 255;
    });
}

//! An ASCII DNS name (already lower-cased) or a dotted quad; punycode labels are refused.
bool isValidHostName(QStringView host)
{
    if (host.isEmpty() || host.size() > MaxHostLength)
        return false;
    const auto labels = host.split(u'.');
    for (QStringView label : labels) {
        if (label.isEmpty() || label.size() > MaxLabelLength || label.front() == u'-' || label.back() == u'-')
            return false;
        if (!std::all_of(label.begin(), label.end(),
                         [](QChar c) { return isAsciiLetter(c) || isAsciiDigit(c) || c == u'-'; }))
            return false;
        if (label.startsWith(u"xn--"))
            return false;
    }
    // No top-level domain is numeric: a name ending in digits is an IPv4 address, and only its
    // canonical form is taken (inet_aton() would read 127.1, 0x7f.1 and 010.1 otherwise).
    if (isAllDigits(labels.back()))
        return isDottedQuad(host);
    return true;
}

std::optional<QString> ipv6Literal(QStringView text)
{
    const bool allowed = std::all_of(text.begin(), text.end(), [](QChar c) {
        return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') || c == u':' || c == u'.';
    });
    QHostAddress address;
    if (!allowed || !address.setAddress(text.toString()) || address.protocol() != QAbstractSocket::IPv6Protocol)
        return std::nullopt;
    return address.toString();
}

int hexValue(QChar c)
{
    if (isAsciiDigit(c))
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

//! Strict percent-decoding of a query value into UTF-8 text: '%' takes exactly two hex digits,
//! '+' stays a plus sign, and the bytes must be valid UTF-8.
std::optional<QString> percentDecoded(QStringView value)
{
    QByteArray bytes;
    bytes.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] != u'%') {
            bytes.append(char(value[i].unicode())); // printable ASCII, checked before
            continue;
        }
        if (i + 2 >= value.size())
            return std::nullopt;
        const int high = hexValue(value[i + 1]);
        const int low = hexValue(value[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes.append(char(high * 16 + low));
        i += 2;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

bool isRefusedInRoomName(char32_t codePoint)
{
    // The zero-width (non-)joiners are format characters that scripts and emoji sequences need.
    if (codePoint == 0x200c || codePoint == 0x200d)
        return false;
    switch (QChar::category(codePoint)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QUrl makeServerUrl(const QString &scheme, const QString &host, int port)
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host);
    url.setPort(port);
    return url;
}

JoinUrl::Result failure(JoinUrl::Error error)
{
    return {error, JoinUrl::errorString(error), {}};
}

} // namespace

bool JoinUrl::isJwtShaped(QStringView token)
{
    if (token.isEmpty() || token.size() > MaxTokenLength)
        return false;
    const auto segments = token.split(u'.');
    if (segments.size() != 3)
        return false;
    return std::all_of(segments.begin(), segments.end(), [](QStringView segment) {
        // unpadded base64url: no length of the form 4n + 1
        if (segment.isEmpty() || segment.size() % 4 == 1)
            return false;
        return std::all_of(segment.begin(), segment.end(), [](QChar c) {
            return isAsciiLetter(c) || isAsciiDigit(c) || c == u'-' || c == u'_';
        });
    });
}

bool JoinUrl::isValidRoomName(QStringView room)
{
    if (room.isEmpty() || room.size() > MaxRoomLength || room.front().isSpace() || room.back().isSpace())
        return false;
    for (qsizetype i = 0; i < room.size(); ++i) {
        char32_t codePoint = room[i].unicode();
        if (room[i].isHighSurrogate() && i + 1 < room.size() && room[i + 1].isLowSurrogate()) {
            codePoint = QChar::surrogateToUcs4(room[i], room[i + 1]);
            ++i;
        }
        if (isRefusedInRoomName(codePoint))
            return false;
    }
    return true;
}

JoinUrl::Result JoinUrl::parse(QStringView text)
{
    if (text.isEmpty())
        return failure(Error::Empty);
    if (text.size() > MaxLength)
        return failure(Error::TooLong);
    if (!std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x21 && c.unicode() <= 0x7e; }))
        return failure(Error::InvalidCharacter);
    if (text.contains(u'#'))
        return failure(Error::Fragment);

    // scheme
    const qsizetype schemeEnd = text.indexOf(u"://");
    if (schemeEnd <= 0)
        return failure(Error::UnsupportedScheme);
    const QString scheme = text.left(schemeEnd).toString().toLower();
    QString serverScheme;
    int defaultPort = DefaultPort;
    if (scheme == QLatin1String("roomcast")) {
        serverScheme = QStringLiteral("http");
    } else if (scheme == QLatin1String("roomcasts")) {
        serverScheme = QStringLiteral("https");
    } else if (scheme == QLatin1String("http")) {
        serverScheme = scheme;
        defaultPort = 80;
    } else if (scheme == QLatin1String("https")) {
        serverScheme = scheme;
        defaultPort = 443;
    } else {
        return failure(Error::UnsupportedScheme);
    }

    // authority: host and port
    const QStringView rest = text.mid(schemeEnd + 3);
    qsizetype authorityEnd = 0;
    while (authorityEnd < rest.size() && rest[authorityEnd] != u'/' && rest[authorityEnd] != u'?')
        ++authorityEnd;
    const QStringView authority = rest.left(authorityEnd);
    if (authority.contains(u'@'))
        return failure(Error::UserInfo);
    QString host;
    QStringView portText;
    bool hasPort = false;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return failure(Error::InvalidHost);
        const std::optional<QString> address = ipv6Literal(authority.mid(1, close - 1));
        if (!address)
            return failure(Error::InvalidHost);
        host = *address;
        const QStringView after = authority.mid(close + 1);
        if (!after.isEmpty()) {
            if (after.front() != u':')
                return failure(Error::InvalidHost);
            portText = after.mid(1);
            hasPort = true;
        }
    } else {
        const qsizetype colon = authority.indexOf(u':');
        const QStringView hostText = colon < 0 ? authority : authority.left(colon);
        if (colon >= 0) {
            portText = authority.mid(colon + 1);
            hasPort = true;
            if (portText.contains(u':'))
                return failure(Error::InvalidHost); // an IPv6 address without brackets
        }
        host = hostText.toString().toLower();
        if (!isValidHostName(host))
            return failure(Error::InvalidHost);
    }
    int port = defaultPort;
    if (hasPort) {
        if (!isAllDigits(portText) || portText.size() > 5)
            return failure(Error::InvalidPort);
        port = portText.toInt();
        if (port < 1 || port > 65535)
            return failure(Error::InvalidPort);
    }

    // path: nothing, or "/"
    QStringView tail = rest.mid(authorityEnd);
    if (tail.startsWith(u'/'))
        tail = tail.mid(1);
    if (!tail.isEmpty() && tail.front() != u'?')
        return failure(Error::UnexpectedPath);

    // query
    JoinRequest request;
    request.serverUrl = makeServerUrl(serverScheme, host, port);
    const QStringView query = tail.isEmpty() ? QStringView() : tail.mid(1);
    if (!query.isEmpty()) {
        bool seenRoom = false;
        bool seenToken = false;
        for (QStringView item : query.split(u'&')) {
            const qsizetype equals = item.indexOf(u'=');
            if (equals <= 0)
                return failure(item.isEmpty() || equals < 0 ? Error::InvalidQuery : Error::UnknownQueryKey);
            const QStringView key = item.left(equals);
            const bool isRoom = key == RoomKey;
            if (!isRoom && key != TokenKey)
                return failure(Error::UnknownQueryKey);
            bool &seen = isRoom ? seenRoom : seenToken;
            if (seen)
                return failure(Error::DuplicateQueryKey);
            seen = true;
            const std::optional<QString> value = percentDecoded(item.mid(equals + 1));
            if (!value || value->isEmpty())
                return failure(Error::InvalidQuery);
            if (isRoom) {
                if (!isValidRoomName(*value))
                    return failure(Error::InvalidRoom);
                request.room = *value;
            } else {
                if (!isJwtShaped(*value))
                    return failure(Error::InvalidToken);
                request.token = *value;
            }
        }
    }
    return {Error::NoError, {}, request};
}

QString JoinUrl::toInviteUrl(const QUrl &serverUrl, const QString &room, const QString &token)
{
    const QString scheme = serverUrl.scheme().toLower();
    if ((scheme != QLatin1String("http") && scheme != QLatin1String("https")) || !serverUrl.userInfo().isEmpty()
        || serverUrl.hasQuery() || serverUrl.hasFragment()
        || !(serverUrl.path().isEmpty() || serverUrl.path() == QLatin1String("/")))
        return {};
    const bool secure = scheme == QLatin1String("https");
    const QString host = serverUrl.host(QUrl::FullyEncoded).toLower();
    const int port = serverUrl.port(secure ? 443 : 80);
    if (host.isEmpty())
        return {};

    const QString authority = host.contains(u':') ? QString(u'[' % host % u']') : host; // IPv6 in brackets
    QString link = (secure ? QStringLiteral("roomcasts://") : QStringLiteral("roomcast://")) % authority % u':'
                   % QString::number(port) % u'/';
    QChar separator = u'?';
    if (!room.isEmpty()) {
        link += separator % RoomKey % u'=' % QString::fromLatin1(QUrl::toPercentEncoding(room));
        separator = u'&';
    }
    if (!token.isEmpty())
        link += separator % TokenKey % u'=' % QString::fromLatin1(QUrl::toPercentEncoding(token));

    // Only a link that reads back as what was meant is handed out.
    const Result check = parse(link);
    if (!check.isValid() || check.request != JoinRequest{makeServerUrl(scheme, host, port), room, token})
        return {};
    return link;
}

QString JoinUrl::errorString(Error error)
{
    switch (error) {
    case Error::NoError:
        return {};
    case Error::Empty:
        return tr("The link is empty.");
    case Error::TooLong:
        return tr("The link is too long.");
    case Error::InvalidCharacter:
        return tr("The link contains spaces, control characters or other characters a link cannot hold.");
    case Error::UnsupportedScheme:
        return tr("Only roomcast://, roomcasts://, http:// and https:// links can be opened.");
    case Error::UserInfo:
        return tr("The link contains a user name or password, which Roomcast links never do.");
    case Error::Fragment:
        return tr("The link contains a '#' part, which Roomcast links never do.");
    case Error::InvalidHost:
        return tr("The link does not name a valid server: use a plain host name or an IP address.");
    case Error::InvalidPort:
        return tr("The link's port must be a number from 1 to 65535.");
    case Error::UnexpectedPath:
        return tr("The link has a path after the server; a Roomcast link ends with the server or \"/\".");
    case Error::InvalidQuery:
        return tr("The link's room or token is empty or badly encoded.");
    case Error::UnknownQueryKey:
        return tr("The link carries something other than a room and a token.");
    case Error::DuplicateQueryKey:
        return tr("The link names a room or a token more than once.");
    case Error::InvalidRoom:
        return tr("The link's room name is not valid: 1 to %n characters, printable, without surrounding spaces.",
                  nullptr, int(MaxRoomLength));
    case Error::InvalidToken:
        return tr("The link's token is not a login token.");
    }
    return {};
}

} // namespace Roomcast::Ui
