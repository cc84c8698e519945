// Join links (ui/session/joinurl.h): what `roomcast URL` receives from the desktop, a browser
// or a paste. The input is cut at \x1f: piece 0 is the link (UTF-8); pieces 1 and 2, when
// present, are a room and a token for an invite link to the server piece 0 names.
#include "session/joinurl.h"

#include "fuzzing.h"

using namespace Roomcast::Ui;

namespace {

void checkValid(const JoinRequest &request)
{
    const QUrl &url = request.serverUrl;
    FUZZ_CHECK(url.isValid());
    FUZZ_CHECK(url.scheme() == u"http" || url.scheme() == u"https");
    FUZZ_CHECK(url.port() >= 1 && url.port() <= 65535);
    FUZZ_CHECK(!url.host().isEmpty() && url.userInfo().isEmpty());
    FUZZ_CHECK(url.path().isEmpty() && !url.hasQuery() && !url.hasFragment());
    FUZZ_CHECK(request.room.isEmpty() || JoinUrl::isValidRoomName(request.room));
    FUZZ_CHECK(request.token.isEmpty() || JoinUrl::isJwtShaped(request.token));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArrayView> pieces = Roomcast::Fuzz::pieces(Roomcast::Fuzz::view(data, size));
    const QString link = QString::fromUtf8(pieces.first());

    const JoinUrl::Result result = JoinUrl::parse(link);
    if (result.isValid()) {
        FUZZ_CHECK(result.errorString.isEmpty());
        checkValid(result.request);
        // The invite for what a link names reads back as the same server, room and token.
        const JoinRequest &request = result.request;
        const QString invite = JoinUrl::toInviteUrl(request.serverUrl, request.room, request.token);
        FUZZ_CHECK(!invite.isEmpty());
        const JoinUrl::Result again = JoinUrl::parse(invite);
        FUZZ_CHECK(again.isValid() && again.request == request);
    } else {
        FUZZ_CHECK(!result.errorString.isEmpty());
        FUZZ_CHECK(result.request == JoinRequest());
    }

    // The same text as UTF-16 code units, lone surrogates and all.
    if (pieces.first().size() % 2 == 0) {
        const QStringView units(reinterpret_cast<const char16_t *>(pieces.first().data()), pieces.first().size() / 2);
        const JoinUrl::Result utf16 = JoinUrl::parse(units);
        if (utf16.isValid())
            checkValid(utf16.request);
    }

    // An invite for any room and token: handed out only if it parses back to them.
    if (pieces.size() >= 3) {
        const QUrl server(link, QUrl::TolerantMode);
        const QString room = QString::fromUtf8(pieces.at(1));
        const QString token = QString::fromUtf8(pieces.at(2));
        const QString invite = JoinUrl::toInviteUrl(server, room, token);
        if (!invite.isEmpty()) {
            const JoinUrl::Result parsed = JoinUrl::parse(invite);
            FUZZ_CHECK(parsed.isValid() && parsed.request.room == room && parsed.request.token == token);
            checkValid(parsed.request);
        }
    }
    return 0;
}
