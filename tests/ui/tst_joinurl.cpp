// JoinUrl: the join links `roomcast URL` receives, parsed by a whitelist. One table of good
// links and one of hostile ones (other schemes, injected line breaks and controls, user info,
// fragments, look-alike hosts, odd IPv4 forms, bad ports, extra or repeated query keys, tokens
// that are not JWTs, lengths past the caps), then the invite link a host shares, read back.
#include "chat/jwt.h"
#include "ui/session/joinurl.h"

#include <QTest>

using Roomcast::Ui::JoinRequest;
using Roomcast::Ui::JoinUrl;
using Error = JoinUrl::Error;

namespace {

// Three unpadded base64url segments, as the server mints them.
const QString Token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEiLCJuYW1lIjoiQW5uIn0.c2lnbmF0dXJl");

QUrl server(const QString &scheme, const QString &host, int port)
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host);
    url.setPort(port);
    return url;
}

} // namespace

class tst_JoinUrl : public QObject
{
    Q_OBJECT

private slots:
    void validLinks_data();
    void validLinks();
    void hostileLinks_data();
    void hostileLinks();
    void everyErrorIsExplained();
    void inviteLinks_data();
    void inviteLinks();
    void inviteRoundTrip_data();
    void inviteRoundTrip();
    void inviteRefusesWhatCannotReadBack_data();
    void inviteRefusesWhatCannotReadBack();
    void mintedTokenFits();
};

void tst_JoinUrl::validLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QUrl>("serverUrl");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("token");

    const QString http = QStringLiteral("http");
    const QString https = QStringLiteral("https");
    const QString host = QStringLiteral("chat.example.org");
    const QString general = QStringLiteral("general");

    QTest::newRow("full") << (QStringLiteral("roomcast://chat.example.org:4000/?room=general&token=") + Token)
                          << server(http, host, 4000) << general << Token;
    QTest::newRow("token first") << (QStringLiteral("roomcast://chat.example.org:4000/?token=") + Token
                                     + QStringLiteral("&room=general"))
                                 << server(http, host, 4000) << general << Token;
    QTest::newRow("server only") << QStringLiteral("roomcast://chat.example.org:4000/") << server(http, host, 4000)
                                 << QString() << QString();
    QTest::newRow("no slash") << QStringLiteral("roomcast://chat.example.org:4000") << server(http, host, 4000)
                              << QString() << QString();
    QTest::newRow("no slash, query") << QStringLiteral("roomcast://chat.example.org:4000?room=general")
                                     << server(http, host, 4000) << general << QString();
    QTest::newRow("empty query") << QStringLiteral("roomcast://chat.example.org:4000/?") << server(http, host, 4000)
                                 << QString() << QString();
    QTest::newRow("default port") << QStringLiteral("roomcast://chat.example.org/?room=general")
                                  << server(http, host, 3000) << general << QString();
    QTest::newRow("case folded") << QStringLiteral("RoomCast://Chat.Example.ORG:4000/") << server(http, host, 4000)
                                 << QString() << QString();
    QTest::newRow("roomcasts") << QStringLiteral("roomcasts://chat.example.org:8443/?room=general")
                               << server(https, host, 8443) << general << QString();
    QTest::newRow("roomcasts default port") << QStringLiteral("roomcasts://chat.example.org")
                                            << server(https, host, 3000) << QString() << QString();
    QTest::newRow("http") << QStringLiteral("http://192.168.1.10:3000/?room=general") << server(http, QStringLiteral("192.168.1.10"), 3000)
                          << general << QString();
    QTest::newRow("http default port") << QStringLiteral("http://chat.example.org") << server(http, host, 80)
                                       << QString() << QString();
    QTest::newRow("https default port") << (QStringLiteral("https://chat.example.org/?token=") + Token)
                                        << server(https, host, 443) << QString() << Token;
    QTest::newRow("single label") << QStringLiteral("roomcast://localhost:1") << server(http, QStringLiteral("localhost"), 1)
                                  << QString() << QString();
    QTest::newRow("highest port") << QStringLiteral("roomcast://localhost:65535")
                                  << server(http, QStringLiteral("localhost"), 65535) << QString() << QString();
    QTest::newRow("leading zero port") << QStringLiteral("roomcast://localhost:03000")
                                       << server(http, QStringLiteral("localhost"), 3000) << QString() << QString();
    QTest::newRow("ipv6 loopback") << QStringLiteral("roomcast://[::1]:3000/?room=r") << server(http, QStringLiteral("::1"), 3000)
                                   << QStringLiteral("r") << QString();
    QTest::newRow("ipv6 upper case") << QStringLiteral("roomcast://[2001:DB8::1]") << server(http, QStringLiteral("2001:db8::1"), 3000)
                                     << QString() << QString();
    QTest::newRow("ipv4 zeros") << QStringLiteral("roomcast://0.0.0.0:3000") << server(http, QStringLiteral("0.0.0.0"), 3000)
                                << QString() << QString();
    QTest::newRow("digits in a name") << QStringLiteral("roomcast://4chan-like.example9.org")
                                      << server(http, QStringLiteral("4chan-like.example9.org"), 3000) << QString() << QString();
    QTest::newRow("unicode room") << QStringLiteral("roomcast://h:1/?room=caf%C3%A9%20%F0%9F%98%80")
                                  << server(http, QStringLiteral("h"), 1) << QStringLiteral("café 😀") << QString();
    QTest::newRow("inner space") << QStringLiteral("roomcast://h:1/?room=Friday%20plans")
                                 << server(http, QStringLiteral("h"), 1) << QStringLiteral("Friday plans") << QString();
    QTest::newRow("plus is a plus") << QStringLiteral("roomcast://h:1/?room=C++") << server(http, QStringLiteral("h"), 1)
                                    << QStringLiteral("C++") << QString();
    QTest::newRow("lower-case hex") << QStringLiteral("roomcast://h:1/?room=%c3%a9") << server(http, QStringLiteral("h"), 1)
                                    << QStringLiteral("é") << QString();
    QTest::newRow("emoji with joiners") << QStringLiteral("roomcast://h:1/?room=%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB")
                                        << server(http, QStringLiteral("h"), 1) << QStringLiteral("👩\u200d💻") << QString();
    QTest::newRow("longest room") << (QStringLiteral("roomcast://h:1/?room=") + QString(64, u'r'))
                                  << server(http, QStringLiteral("h"), 1) << QString(64, u'r') << QString();
    QTest::newRow("longest host label") << (QStringLiteral("roomcast://") + QString(63, u'a') + QStringLiteral(".org"))
                                        << server(http, QString(63, u'a') + QStringLiteral(".org"), 3000) << QString() << QString();
}

void tst_JoinUrl::validLinks()
{
    QFETCH(QString, link);
    QFETCH(QUrl, serverUrl);
    QFETCH(QString, room);
    QFETCH(QString, token);

    const JoinUrl::Result result = JoinUrl::parse(link);
    QVERIFY2(result.isValid(), qPrintable(result.errorString));
    QCOMPARE(result.error, Error::NoError);
    QVERIFY(result.errorString.isEmpty());
    QCOMPARE(result.request.serverUrl, serverUrl);
    QVERIFY(result.request.serverUrl.path().isEmpty());
    QVERIFY(result.request.serverUrl.port() > 0);
    QCOMPARE(result.request.room, room);
    QCOMPARE(result.request.token, token);
}

void tst_JoinUrl::hostileLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<Error>("error");

    const auto row = [](const char *name, const QString &link, Error error) { QTest::newRow(name) << link << error; };
    const auto s = [](const char *text) { return QString::fromUtf8(text); };

    row("empty", {}, Error::Empty);

    // other schemes
    row("javascript", s("javascript:alert(1)"), Error::UnsupportedScheme);
    row("javascript with slashes", s("javascript://chat.example.org/%0Aalert(1)"), Error::UnsupportedScheme);
    row("file", s("file:///etc/passwd"), Error::UnsupportedScheme);
    row("data", s("data:text/html,<script>alert(1)</script>"), Error::UnsupportedScheme);
    row("data base64", s("data:text/html;base64,PHNjcmlwdD4="), Error::UnsupportedScheme);
    row("ws", s("ws://chat.example.org:3000"), Error::UnsupportedScheme);
    row("ftp", s("ftp://chat.example.org"), Error::UnsupportedScheme);
    row("one slash", s("roomcast:/chat.example.org"), Error::UnsupportedScheme);
    row("no slashes", s("roomcast:chat.example.org"), Error::UnsupportedScheme);
    row("no scheme", s("://chat.example.org"), Error::UnsupportedScheme);
    row("bare host", s("chat.example.org:3000"), Error::UnsupportedScheme);
    row("scheme with prefix", s("xroomcast://h"), Error::UnsupportedScheme);

    // white space, controls, line breaks, raw Unicode
    row("space in scheme", s("room cast://h"), Error::InvalidCharacter);
    row("leading space", s(" roomcast://h"), Error::InvalidCharacter);
    row("trailing newline", s("roomcast://h\n"), Error::InvalidCharacter);
    row("raw CRLF injection", s("roomcast://h/?room=a\r\nSet-Cookie: x=y"), Error::InvalidCharacter);
    row("raw tab", s("roomcast://h/?room=a\tb"), Error::InvalidCharacter);
    row("raw NUL", QStringLiteral("roomcast://h/?room=a") + QChar(u'\0'), Error::InvalidCharacter);
    row("raw DEL", QStringLiteral("roomcast://h/?room=a") + QChar(0x7f), Error::InvalidCharacter);
    row("raw unicode room", s("roomcast://h/?room=café"), Error::InvalidCharacter);
    row("homoglyph host", s("roomcast://ex\u0430mple.org"), Error::InvalidCharacter); // Cyrillic а
    row("fullwidth host", s("roomcast://\uff45xample.org"), Error::InvalidCharacter);
    row("unicode dot", s("roomcast://example\u3002org"), Error::InvalidCharacter);
    row("bidi override", s("roomcast://h/?room=\u202egro"), Error::InvalidCharacter);

    // encoded controls and line breaks reach the checks of the value they are in
    row("encoded CRLF in room", s("roomcast://h/?room=a%0D%0ASet-Cookie:%20x"), Error::InvalidRoom);
    row("encoded LF in room", s("roomcast://h/?room=a%0Ab"), Error::InvalidRoom);
    row("encoded NUL in room", s("roomcast://h/?room=%00"), Error::InvalidRoom);
    row("encoded DEL in room", s("roomcast://h/?room=a%7F"), Error::InvalidRoom);
    row("encoded C1 control", s("roomcast://h/?room=a%C2%85b"), Error::InvalidRoom); // NEL
    row("encoded line separator", s("roomcast://h/?room=a%E2%80%A8b"), Error::InvalidRoom);
    row("encoded bidi override", s("roomcast://h/?room=%E2%80%AEgro"), Error::InvalidRoom);
    row("encoded zero width space", s("roomcast://h/?room=a%E2%80%8Bb"), Error::InvalidRoom);
    row("encoded private use", s("roomcast://h/?room=%EE%80%80"), Error::InvalidRoom);
    row("encoded leading space", s("roomcast://h/?room=%20general"), Error::InvalidRoom);
    row("encoded trailing tab", s("roomcast://h/?room=general%09"), Error::InvalidRoom);
    row("room too long", s("roomcast://h/?room=") + QString(65, u'r'), Error::InvalidRoom);
    row("encoded CRLF in token", s("roomcast://h/?token=") + Token + s("%0D%0AX"), Error::InvalidToken);
    row("encoded control in host", s("roomcast://h%0A.example.org/"), Error::InvalidHost);
    row("encoded homoglyph host", s("roomcast://ex%D0%B0mple.org"), Error::InvalidHost);

    // bad percent-encoding
    row("bad hex", s("roomcast://h/?room=%ZZ"), Error::InvalidQuery);
    row("truncated escape", s("roomcast://h/?room=ab%"), Error::InvalidQuery);
    row("half escape", s("roomcast://h/?room=ab%4"), Error::InvalidQuery);
    row("truncated utf-8", s("roomcast://h/?room=%C3"), Error::InvalidQuery);
    row("overlong utf-8", s("roomcast://h/?room=%C0%AF"), Error::InvalidQuery);
    row("encoded surrogate", s("roomcast://h/?room=%ED%A0%80"), Error::InvalidQuery);
    row("not utf-8", s("roomcast://h/?room=%FF"), Error::InvalidQuery);

    // lengths
    row("very long", s("roomcast://h/?room=") + QString(20000, u'a'), Error::TooLong);
    row("just too long", s("roomcast://h/?room=") + QString(JoinUrl::MaxLength, u'a'), Error::TooLong);
    row("token too long", s("roomcast://h/?token=") + QString(JoinUrl::MaxTokenLength - 20, u'a') + s(".bb.cc")
                              + QString(30, u'c'),
        Error::InvalidToken);
    const QString label(63, u'a');
    row("host too long", s("roomcast://") + QStringList{label, label, label, label}.join(u'.'), Error::InvalidHost);
    row("label too long", s("roomcast://") + QString(64, u'a') + s(".org"), Error::InvalidHost);

    // user info
    row("user and password", s("roomcast://user:pass@chat.example.org"), Error::UserInfo);
    row("user", s("roomcast://user@chat.example.org:3000/"), Error::UserInfo);
    row("host before at", s("roomcast://chat.example.org:3000@evil.example/"), Error::UserInfo);
    row("empty user", s("roomcast://@chat.example.org"), Error::UserInfo);
    row("http user info", s("http://admin:admin@192.168.1.1"), Error::UserInfo);

    // fragments
    row("fragment", s("roomcast://h/#room=a"), Error::Fragment);
    row("fragment after query", s("roomcast://h/?room=a#x"), Error::Fragment);
    row("fragment in host", s("roomcast://evil.example#.chat.example.org"), Error::Fragment);

    // hosts
    row("empty host", s("roomcast://"), Error::InvalidHost);
    row("empty host, path", s("roomcast:///?room=a"), Error::InvalidHost);
    row("empty host, port", s("roomcast://:3000"), Error::InvalidHost);
    row("punycode host", s("roomcast://xn--exmple-4nf.org"), Error::InvalidHost);
    row("punycode label", s("roomcast://chat.xn--p1ai"), Error::InvalidHost);
    row("underscore", s("roomcast://ho_st"), Error::InvalidHost);
    row("leading hyphen", s("roomcast://-host"), Error::InvalidHost);
    row("trailing hyphen", s("roomcast://host-.org"), Error::InvalidHost);
    row("trailing dot", s("roomcast://host."), Error::InvalidHost);
    row("empty label", s("roomcast://a..b"), Error::InvalidHost);
    row("backslash", s("roomcast://h\\evil.example"), Error::InvalidHost);
    row("percent in host", s("roomcast://%68ost"), Error::InvalidHost);
    row("short ipv4", s("roomcast://127.1"), Error::InvalidHost);
    row("hex ipv4", s("roomcast://0x7f.0.0.1"), Error::InvalidHost);
    row("octal ipv4", s("roomcast://010.0.0.1"), Error::InvalidHost);
    row("decimal ipv4", s("roomcast://2130706433"), Error::InvalidHost);
    row("ipv4 out of range", s("roomcast://256.0.0.1"), Error::InvalidHost);
    row("five parts", s("roomcast://1.2.3.4.5"), Error::InvalidHost);
    row("unbracketed ipv6", s("roomcast://::1"), Error::InvalidHost);
    row("unbracketed ipv6 with port", s("roomcast://fe80::1:3000"), Error::InvalidHost);
    row("unclosed bracket", s("roomcast://[::1"), Error::InvalidHost);
    row("junk after bracket", s("roomcast://[::1]x"), Error::InvalidHost);
    row("ipv6 zone", s("roomcast://[fe80::1%25eth0]"), Error::InvalidHost);
    row("ipvfuture", s("roomcast://[v1.fe]"), Error::InvalidHost);
    row("ipv4 in brackets", s("roomcast://[127.0.0.1]"), Error::InvalidHost);
    row("empty brackets", s("roomcast://[]"), Error::InvalidHost);
    row("two ports", s("roomcast://h:3000:4000"), Error::InvalidHost);

    // ports
    row("port too high", s("roomcast://h:99999"), Error::InvalidPort);
    row("port 65536", s("roomcast://h:65536"), Error::InvalidPort);
    row("port zero", s("roomcast://h:0"), Error::InvalidPort);
    row("empty port", s("roomcast://h:"), Error::InvalidPort);
    row("negative port", s("roomcast://h:-1"), Error::InvalidPort);
    row("plus port", s("roomcast://h:+80"), Error::InvalidPort);
    row("port with junk", s("roomcast://h:3000x"), Error::InvalidPort);
    row("port too many digits", s("roomcast://h:0000000080"), Error::InvalidPort);
    row("ipv6 port zero", s("roomcast://[::1]:0"), Error::InvalidPort);

    // paths
    row("path", s("roomcast://h/chat"), Error::UnexpectedPath);
    row("socket.io path", s("http://h:3000/socket.io/"), Error::UnexpectedPath);
    row("double slash", s("roomcast://h//"), Error::UnexpectedPath);
    row("dot dot", s("roomcast://h/../etc/passwd"), Error::UnexpectedPath);
    row("encoded hash path", s("roomcast://h/%23"), Error::UnexpectedPath);

    // query keys and items
    row("duplicated room", s("roomcast://h/?room=a&room=b"), Error::DuplicateQueryKey);
    row("duplicated same room", s("roomcast://h/?room=a&room=a"), Error::DuplicateQueryKey);
    row("duplicated token", s("roomcast://h/?token=") + Token + s("&token=") + Token, Error::DuplicateQueryKey);
    row("unknown key", s("roomcast://h/?room=a&secret=x"), Error::UnknownQueryKey);
    row("unknown key first", s("roomcast://h/?utm_source=mail&room=a"), Error::UnknownQueryKey);
    row("key case", s("roomcast://h/?ROOM=a"), Error::UnknownQueryKey);
    row("encoded key", s("roomcast://h/?ro%6Fm=a"), Error::UnknownQueryKey);
    row("empty key", s("roomcast://h/?=a"), Error::UnknownQueryKey);
    row("no value", s("roomcast://h/?room"), Error::InvalidQuery);
    row("empty value", s("roomcast://h/?room="), Error::InvalidQuery);
    row("empty token", s("roomcast://h/?token="), Error::InvalidQuery);
    row("trailing ampersand", s("roomcast://h/?room=a&"), Error::InvalidQuery);
    row("double ampersand", s("roomcast://h/?room=a&&token=") + Token, Error::InvalidQuery);
    row("semicolon separator", s("roomcast://h/?room=a;token=") + Token, Error::InvalidRoom);

    // tokens
    row("one segment", s("roomcast://h/?token=abc"), Error::InvalidToken);
    row("two segments", s("roomcast://h/?token=aa.bb"), Error::InvalidToken);
    row("four segments", s("roomcast://h/?token=aa.bb.cc.dd"), Error::InvalidToken);
    row("unsigned", s("roomcast://h/?token=aaaa.bbbb."), Error::InvalidToken);
    row("empty header", s("roomcast://h/?token=.bb.cc"), Error::InvalidToken);
    row("encoded space", s("roomcast://h/?token=aa%20a.bb.cc"), Error::InvalidToken);
    row("plus sign", s("roomcast://h/?token=aa+a.bb.cc"), Error::InvalidToken);
    row("slash", s("roomcast://h/?token=aa/a.bb.cc"), Error::InvalidToken);
    row("padding", s("roomcast://h/?token=aaaa=.bb.cc"), Error::InvalidToken);
    row("impossible length", s("roomcast://h/?token=aaaaa.bb.cc"), Error::InvalidToken);
    row("unicode", s("roomcast://h/?token=aa%C3%A9.bb.cc"), Error::InvalidToken);
}

void tst_JoinUrl::hostileLinks()
{
    QFETCH(QString, link);
    QFETCH(Error, error);

    const JoinUrl::Result result = JoinUrl::parse(link);
    QCOMPARE(result.error, error);
    QVERIFY(!result.isValid());
    QCOMPARE(result.errorString, JoinUrl::errorString(error));
    QCOMPARE(result.request, JoinRequest());
}

void tst_JoinUrl::everyErrorIsExplained()
{
    const QMetaEnum errors = QMetaEnum::fromType<Error>();
    QSet<QString> messages;
    for (int i = 0; i < errors.keyCount(); ++i) {
        const auto error = Error(errors.value(i));
        const QString message = JoinUrl::errorString(error);
        if (error == Error::NoError) {
            QVERIFY(message.isEmpty());
            continue;
        }
        QVERIFY2(!message.isEmpty(), errors.key(i));
        messages.insert(message);
    }
    QCOMPARE(messages.size(), errors.keyCount() - 1);
}

void tst_JoinUrl::inviteLinks_data()
{
    QTest::addColumn<QUrl>("serverUrl");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("link");

    QTest::newRow("server, room and token")
        << QUrl(QStringLiteral("http://127.0.0.1:4000")) << QStringLiteral("general") << Token
        << (QStringLiteral("roomcast://127.0.0.1:4000/?room=general&token=") + Token);
    QTest::newRow("server only") << QUrl(QStringLiteral("http://chat.example.org:3000/")) << QString() << QString()
                                 << QStringLiteral("roomcast://chat.example.org:3000/");
    QTest::newRow("token only") << QUrl(QStringLiteral("http://h:1")) << QString() << Token
                                << (QStringLiteral("roomcast://h:1/?token=") + Token);
    QTest::newRow("https, default port") << QUrl(QStringLiteral("https://Chat.Example.org")) << QStringLiteral("r")
                                         << QString() << QStringLiteral("roomcasts://chat.example.org:443/?room=r");
    QTest::newRow("http, default port") << QUrl(QStringLiteral("http://h")) << QString() << QString()
                                        << QStringLiteral("roomcast://h:80/");
    QTest::newRow("ipv6, encoded room")
        << QUrl(QStringLiteral("http://[::1]:3000")) << QStringLiteral("café & co/?#+%") << QString()
        << QStringLiteral("roomcast://[::1]:3000/?room=caf%C3%A9%20%26%20co%2F%3F%23%2B%25");
}

void tst_JoinUrl::inviteLinks()
{
    QFETCH(QUrl, serverUrl);
    QFETCH(QString, room);
    QFETCH(QString, token);
    QFETCH(QString, link);

    QCOMPARE(JoinUrl::toInviteUrl(serverUrl, room, token), link);
    const JoinUrl::Result back = JoinUrl::parse(link);
    QVERIFY2(back.isValid(), qPrintable(back.errorString));
    QCOMPARE(back.request.serverUrl.scheme(), serverUrl.scheme());
    QCOMPARE(back.request.serverUrl.host(), serverUrl.host());
    QCOMPARE(back.request.serverUrl.port(), serverUrl.port(serverUrl.scheme() == QLatin1String("https") ? 443 : 80));
    QCOMPARE(back.request.room, room);
    QCOMPARE(back.request.token, token);
}

void tst_JoinUrl::inviteRoundTrip_data()
{
    QTest::addColumn<QString>("room");
    const QStringList rooms{QStringLiteral("general"),     QStringLiteral("a+b"),        QStringLiteral("100%"),
                            QStringLiteral("C++ & Qt"),    QStringLiteral("a=b&c=d"),    QStringLiteral("日本語"),
                            QStringLiteral("emoji 😀"),    QStringLiteral("quote \"x\""), QStringLiteral("tab\\t not a tab"),
                            QStringLiteral("#hash?q/p"),   QString(64, u'x'),            QString(32, QChar(0x00e9))};
    for (const QString &room : rooms)
        QTest::newRow(qPrintable(room)) << room;
}

void tst_JoinUrl::inviteRoundTrip()
{
    QFETCH(QString, room);
    for (const QUrl &serverUrl : {QUrl(QStringLiteral("http://127.0.0.1:3000")), QUrl(QStringLiteral("https://chat.example.org:8443")),
                                  QUrl(QStringLiteral("http://[fe80::1]:1234"))}) {
        const QString link = JoinUrl::toInviteUrl(serverUrl, room, Token);
        QVERIFY2(!link.isEmpty(), qPrintable(serverUrl.toString()));
        QVERIFY(link.size() <= JoinUrl::MaxLength);
        const JoinUrl::Result back = JoinUrl::parse(link);
        QVERIFY2(back.isValid(), qPrintable(back.errorString));
        QCOMPARE(back.request, (JoinRequest{serverUrl, room, Token}));
        // and once more: the link of what was read is the same link
        QCOMPARE(JoinUrl::toInviteUrl(back.request.serverUrl, back.request.room, back.request.token), link);
    }
}

void tst_JoinUrl::inviteRefusesWhatCannotReadBack_data()
{
    QTest::addColumn<QUrl>("serverUrl");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("token");

    const QUrl good(QStringLiteral("http://h:3000"));
    QTest::newRow("spaced room") << good << QStringLiteral(" general") << QString();
    QTest::newRow("control in room") << good << QStringLiteral("a\nb") << QString();
    QTest::newRow("room too long") << good << QString(65, u'x') << QString();
    QTest::newRow("not a token") << good << QString() << QStringLiteral("not a token");
    QTest::newRow("token too long") << good << QString() << (QString(8188, u'a') + QStringLiteral(".bb.cc"));
    QTest::newRow("ftp server") << QUrl(QStringLiteral("ftp://h:3000")) << QString() << QString();
    QTest::newRow("no scheme") << QUrl(QStringLiteral("h:3000")) << QString() << QString();
    QTest::newRow("empty") << QUrl() << QString() << QString();
    QTest::newRow("path") << QUrl(QStringLiteral("http://h:3000/chat")) << QString() << QString();
    QTest::newRow("user info") << QUrl(QStringLiteral("http://u:p@h:3000")) << QString() << QString();
    QTest::newRow("query") << QUrl(QStringLiteral("http://h:3000/?x=1")) << QString() << QString();
    QTest::newRow("fragment") << QUrl(QStringLiteral("http://h:3000/#x")) << QString() << QString();
    QTest::newRow("international host") << QUrl(QStringLiteral("http://b\u00fccher.example:3000")) << QString() << QString();
    QTest::newRow("underscore host") << QUrl(QStringLiteral("http://a_b:3000")) << QString() << QString();
}

void tst_JoinUrl::inviteRefusesWhatCannotReadBack()
{
    QFETCH(QUrl, serverUrl);
    QFETCH(QString, room);
    QFETCH(QString, token);
    QCOMPARE(JoinUrl::toInviteUrl(serverUrl, room, token), QString());
}

void tst_JoinUrl::mintedTokenFits()
{
    // a token as roomcast-server --mint-token makes it, with a long name
    const QString token = QString::fromLatin1(Roomcast::Chat::mintToken(QStringLiteral("user-42"), QString(32, QChar(0x00e9)),
                                                                        std::chrono::hours(24), "secret"));
    const QUrl serverUrl(QStringLiteral("https://chat.example.org:3000"));
    const QString link = JoinUrl::toInviteUrl(serverUrl, QString(64, QChar(0x00e9)), token);
    QVERIFY(!link.isEmpty());
    const JoinUrl::Result back = JoinUrl::parse(link);
    QVERIFY2(back.isValid(), qPrintable(back.errorString));
    QCOMPARE(back.request.token, token);
    QVERIFY(Roomcast::Chat::decodeUnverified(back.request.token.toLatin1()).isValid());
}

QTEST_APPLESS_MAIN(tst_JoinUrl)
#include "tst_joinurl.moc"
