// The dialogs a user meets before the main window, on the offscreen platform: JoinDialog (a
// pasted join link, a pasted token previewed, refused inline when malformed or expired, the
// keychain remembering it) and HostDialog (the room name checked as a link would carry it).
//
// Two registrations, as tst_tokenstore: tst_dialogs with a Secret Service (dbus-run-session and
// an unlocked gnome-keyring-daemon), tst_dialogs_nokeychain without one (the Join dialog says
// the token is kept for this session only).
#include "ui/session/recentservers.h"
#include "ui/session/tokenstore.h"
#include "ui/widgets/hostdialog.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/joindialog.h"

#include "chat/jwt.h"

#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

using namespace Roomcast;
using Ui::HostDialog;
using Ui::HostSettings;
using Ui::InlineMessage;
using Ui::JoinDialog;
using Ui::JoinRequestInput;
using Ui::JoinUrl;
using Ui::TokenStore;

namespace {

constexpr int Timeout = 10000;
const QByteArray Secret = "dialogs-secret";

bool keychainAbsentMode()
{
    return qEnvironmentVariable("ROOMCAST_TEST_KEYCHAIN") == QLatin1String("absent");
}

QString token(const QString &id, const QString &name, std::chrono::seconds ttl = std::chrono::hours(2),
              const QDateTime &issuedAt = {})
{
    return QString::fromLatin1(Chat::mintToken(id, name, ttl, Secret, issuedAt));
}

QByteArray base64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString rawToken(const QByteArray &header, const QByteArray &claims)
{
    return QString::fromLatin1(base64url(header) + '.' + base64url(claims) + '.' + base64url("signature"));
}

QString formatted(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

//! The dialog's widgets, by the object names it gives them.
struct JoinFields
{
    explicit JoinFields(JoinDialog &dialog)
        : server(dialog.findChild<QLineEdit *>(QStringLiteral("server")))
        , nickname(dialog.findChild<QLineEdit *>(QStringLiteral("nickname")))
        , room(dialog.findChild<QLineEdit *>(QStringLiteral("room")))
        , token(dialog.findChild<QLineEdit *>(QStringLiteral("token")))
        , serverMessage(dialog.findChild<InlineMessage *>(QStringLiteral("serverMessage")))
        , nicknameMessage(dialog.findChild<InlineMessage *>(QStringLiteral("nicknameMessage")))
        , roomMessage(dialog.findChild<InlineMessage *>(QStringLiteral("roomMessage")))
        , tokenMessage(dialog.findChild<InlineMessage *>(QStringLiteral("tokenMessage")))
        , keychainNote(dialog.findChild<InlineMessage *>(QStringLiteral("keychainNote")))
        , remember(dialog.findChild<QCheckBox *>(QStringLiteral("remember")))
        , connect(dialog.findChild<QPushButton *>(QStringLiteral("connect")))
    {
    }
    bool complete() const
    {
        return server && nickname && room && token && serverMessage && nicknameMessage && roomMessage && tokenMessage
               && keychainNote && remember && connect;
    }

    QLineEdit *server;
    QLineEdit *nickname;
    QLineEdit *room;
    QLineEdit *token;
    InlineMessage *serverMessage;
    InlineMessage *nicknameMessage;
    InlineMessage *roomMessage;
    InlineMessage *tokenMessage;
    InlineMessage *keychainNote;
    QCheckBox *remember;
    QPushButton *connect;
};

//! Pastes @p text into @p edit, replacing what it holds, as Ctrl+V would.
void paste(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    edit->insert(text);
}

bool shown(const QWidget *message)
{
    return !message->isHidden();
}

//! The top-level windows on screen other than @p dialog: a message box would be one.
QWidgetList otherWindows(const QWidget *dialog)
{
    QWidgetList list;
    for (QWidget *widget : QApplication::topLevelWidgets())
        if (widget != dialog && widget->isVisible())
            list.append(widget);
    return list;
}

} // namespace

class tst_Dialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pastedLinkFillsTheFields();
    void addressesWithoutAScheme_data();
    void addressesWithoutAScheme();
    void badServerIsRefusedInline_data();
    void badServerIsRefusedInline();
    void pastedTokenIsPreviewed();
    void expiredTokenSaysSo();
    void malformedTokenIsRefusedInline_data();
    void malformedTokenIsRefusedInline();
    void nicknameNeededWithoutAToken();
    void rememberStoresInTheKeychain();
    void withoutKeychainTheDialogSaysSo();

    void hostDialogDefaults();
    void hostDialogRoomNames_data();
    void hostDialogRoomNames();
    void hostDialogSettingsRoundTrip();
    void cleanupTestCase();

private:
    TokenStore::Result loadToken(TokenStore &store, const QUrl &server);

    QString m_service = QStringLiteral("Roomcast test ") + QUuid::createUuid().toString(QUuid::Id128);
    const QUrl m_server{QStringLiteral("http://10.1.2.3:4000")};
};

void tst_Dialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Roomcast tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dialogs"));
    QSettings().clear();
}

TokenStore::Result tst_Dialogs::loadToken(TokenStore &store, const QUrl &server)
{
    QList<TokenStore::Result> results;
    QObject context;
    store.loadToken(server, &context, [&](const TokenStore::Result &result) { results.append(result); });
    if (!QTest::qWaitFor([&] { return !results.isEmpty(); }, Timeout))
        return {TokenStore::Status::Unavailable, {}, QStringLiteral("(test) timed out")};
    return results.first();
}

void tst_Dialogs::pastedLinkFillsTheFields()
{
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    QVERIFY(fields.complete());
    dialog.show();

    const QString login = token(QStringLiteral("42"), QStringLiteral("Ann"));
    const QString link = JoinUrl::toInviteUrl(m_server, QStringLiteral("général"), login);
    QVERIFY(!link.isEmpty());
    paste(fields.server, QStringLiteral("  ") + link + QStringLiteral("\n"));
    QCOMPARE(fields.server->text(), QStringLiteral("http://10.1.2.3:4000"));
    QCOMPARE(fields.room->text(), QStringLiteral("général"));
    QCOMPARE(fields.token->text(), login);
    QVERIFY(shown(fields.tokenMessage));
    QVERIFY(fields.tokenMessage->text().contains(QLatin1String("Ann")));
    QVERIFY(!fields.serverMessage->isError());

    const JoinRequestInput input = dialog.input();
    QCOMPARE(input.serverUrl, m_server);
    QCOMPARE(input.room, QStringLiteral("général"));
    QCOMPARE(input.token, login);
    QVERIFY(input.nickname.isEmpty()); // the token names her
    QVERIFY(dialog.isComplete());

    // a link pasted in the token field is understood as well
    JoinDialog second(&tokens);
    JoinFields other(second);
    paste(other.token, link);
    QCOMPARE(other.server->text(), QStringLiteral("http://10.1.2.3:4000"));
    QCOMPARE(other.token->text(), login);
    QCOMPARE(other.room->text(), QStringLiteral("général"));

    // and the pre-fill from a join link (roomcast URL on the command line)
    JoinDialog third(&tokens);
    third.setJoinRequest(JoinUrl::parse(link).request);
    QCOMPARE(third.input().serverUrl, m_server);
    QCOMPARE(third.input().token, login);

    QSignalSpy accepted(&dialog, &QDialog::accepted);
    fields.connect->click();
    QCOMPARE(accepted.size(), 1);
}

void tst_Dialogs::addressesWithoutAScheme_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QUrl>("serverUrl");
    QTest::newRow("address: port 3000") << QStringLiteral("192.168.1.20") << QUrl(QStringLiteral("http://192.168.1.20:3000"));
    QTest::newRow("address and port") << QStringLiteral("192.168.1.20:8080") << QUrl(QStringLiteral("http://192.168.1.20:8080"));
    QTest::newRow("name") << QStringLiteral(" Chat.Example.org ") << QUrl(QStringLiteral("http://chat.example.org:3000"));
    QTest::newRow("ipv6") << QStringLiteral("[fd00::2]:3001") << QUrl(QStringLiteral("http://[fd00::2]:3001"));
    QTest::newRow("http: its own port") << QStringLiteral("http://chat.example.org") << QUrl(QStringLiteral("http://chat.example.org:80"));
    QTest::newRow("https") << QStringLiteral("https://chat.example.org:8443/") << QUrl(QStringLiteral("https://chat.example.org:8443"));
    QTest::newRow("roomcasts") << QStringLiteral("roomcasts://chat.example.org") << QUrl(QStringLiteral("https://chat.example.org:3000"));
}

void tst_Dialogs::addressesWithoutAScheme()
{
    QFETCH(QString, text);
    QFETCH(QUrl, serverUrl);
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    paste(fields.server, text);
    fields.nickname->setText(QStringLiteral("Ann"));
    QVERIFY(!fields.serverMessage->isError());
    QCOMPARE(dialog.input().serverUrl, serverUrl);
    QVERIFY(dialog.isComplete());
}

void tst_Dialogs::badServerIsRefusedInline_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)//x") << JoinUrl::errorString(JoinUrl::Error::UnsupportedScheme);
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << JoinUrl::errorString(JoinUrl::Error::UnsupportedScheme);
    QTest::newRow("path") << QStringLiteral("http://h:3000/admin") << JoinUrl::errorString(JoinUrl::Error::UnexpectedPath);
    QTest::newRow("user info") << QStringLiteral("http://ann:pw@h:3000") << JoinUrl::errorString(JoinUrl::Error::UserInfo);
    QTest::newRow("port") << QStringLiteral("h:70000") << JoinUrl::errorString(JoinUrl::Error::InvalidPort);
    QTest::newRow("space") << QStringLiteral("my host") << JoinUrl::errorString(JoinUrl::Error::InvalidCharacter);
    QTest::newRow("mailto") << QStringLiteral("mailto:ann@example.org") << JoinUrl::errorString(JoinUrl::Error::UnsupportedScheme);
    QTest::newRow("look-alike host") << QStringLiteral("xn--80ak6aa92e.com") << JoinUrl::errorString(JoinUrl::Error::InvalidHost);
}

void tst_Dialogs::badServerIsRefusedInline()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fields.nickname->setText(QStringLiteral("Ann"));
    paste(fields.server, text);
    QVERIFY(shown(fields.serverMessage));
    QVERIFY(fields.serverMessage->isError());
    QCOMPARE(fields.serverMessage->text(), message);
    QCOMPARE(fields.serverMessage->palette().color(QPalette::WindowText), InlineMessage::errorColor());
    QVERIFY(!dialog.isComplete());

    // Connect refuses, says it under the field, and no message box comes up
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    fields.connect->click();
    QCOMPARE(accepted.size(), 0);
    QVERIFY(dialog.isVisible());
    QCOMPARE(fields.serverMessage->text(), message);
    QVERIFY(otherWindows(&dialog).isEmpty());
    QTRY_VERIFY(fields.server->hasFocus());

    // fixed: the message goes
    paste(fields.server, QStringLiteral("10.1.2.3:4000"));
    QVERIFY(!shown(fields.serverMessage));
    fields.connect->click();
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(dialog.input().serverUrl, m_server);
}

void tst_Dialogs::pastedTokenIsPreviewed()
{
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    const QDateTime issued = QDateTime::currentDateTimeUtc();
    const QString login = token(QStringLiteral("42"), QStringLiteral("Ann Élise"), std::chrono::hours(5), issued);
    const QDateTime expiry = Chat::decodeUnverified(login.toLatin1()).expiresAt;
    QVERIFY(expiry.isValid());

    QVERIFY(!fields.remember->isEnabled());
    paste(fields.token, QStringLiteral("\n\t ") + login + QStringLiteral(" \r\n"));
    QCOMPARE(fields.token->text(), login); // trimmed
    QCOMPARE(fields.token->echoMode(), QLineEdit::Password);
    QVERIFY(shown(fields.tokenMessage));
    QCOMPARE(fields.tokenMessage->kind(), InlineMessage::Kind::Info);
    QCOMPARE(fields.tokenMessage->text(),
             QStringLiteral("Logs in as Ann Élise (id 42), until %1.").arg(formatted(expiry)));
    QVERIFY(fields.remember->isEnabled());
    QCOMPARE(JoinDialog::previewToken(login).state, JoinDialog::TokenPreview::State::Valid);
    QCOMPARE(JoinDialog::previewToken(login).name, QStringLiteral("Ann Élise"));

    // a token without expiry says so
    const QString noExpiry = QString::fromLatin1(
        Chat::mintToken(QJsonObject{{QStringLiteral("id"), 7}, {QStringLiteral("name"), QStringLiteral("Bob")}}, Secret));
    paste(fields.token, noExpiry);
    QCOMPARE(fields.tokenMessage->text(), QStringLiteral("Logs in as Bob (id 7). It does not expire."));

    // emptied: nothing to say
    paste(fields.token, QString());
    QVERIFY(!shown(fields.tokenMessage));
    QVERIFY(!fields.remember->isEnabled());
}

void tst_Dialogs::expiredTokenSaysSo()
{
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    paste(fields.server, m_server.toString());
    const QString expired =
        token(QStringLiteral("42"), QStringLiteral("Ann"), std::chrono::hours(1), QDateTime::currentDateTimeUtc().addSecs(-7200));
    const QDateTime expiry = Chat::decodeUnverified(expired.toLatin1()).expiresAt;
    paste(fields.token, expired);
    QVERIFY(shown(fields.tokenMessage));
    QVERIFY(fields.tokenMessage->isError());
    QCOMPARE(fields.tokenMessage->text(),
             QStringLiteral("This token, for Ann, expired on %1. Ask for a new one.").arg(formatted(expiry)));
    QCOMPARE(fields.tokenMessage->palette().color(QPalette::WindowText), InlineMessage::errorColor());
    QCOMPARE(JoinDialog::previewToken(expired).state, JoinDialog::TokenPreview::State::Expired);
    // …as of its expiry exactly, not a second before
    QCOMPARE(JoinDialog::previewToken(expired, expiry.addSecs(-1)).state, JoinDialog::TokenPreview::State::Valid);
    QCOMPARE(JoinDialog::previewToken(expired, expiry).state, JoinDialog::TokenPreview::State::Expired);

    QSignalSpy accepted(&dialog, &QDialog::accepted);
    fields.connect->click();
    QCOMPARE(accepted.size(), 0);
    QVERIFY(otherWindows(&dialog).isEmpty());
}

void tst_Dialogs::malformedTokenIsRefusedInline_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString shape = QStringLiteral("This is not a login token: a token is three groups of letters, digits, '-' and "
                                         "'_', separated by dots.");
    const QString damaged = QStringLiteral("This token cannot be read: it is damaged or incomplete. Paste it again, whole.");
    const QString login = token(QStringLiteral("42"), QStringLiteral("Ann"));
    QTest::newRow("words") << QStringLiteral("my password") << shape;
    QTest::newRow("two parts") << login.section(u'.', 0, 1) << shape;
    QTest::newRow("padding") << login + u'=' << shape;
    QTest::newRow("inner space") << login.left(20) + u' ' + login.mid(20) << shape;
    QTest::newRow("cut short") << login.left(login.indexOf(u'.') + 5) + QStringLiteral(".abc") << damaged;
    QTest::newRow("header not json") << QStringLiteral("YWJj.YWJj.YWJj") << damaged;
    QTest::newRow("alg none") << rawToken(R"({"alg":"none"})", R"({"id":"1","name":"Ann"})")
                              << QStringLiteral("This token is not signed the way Roomcast servers sign theirs (HS256).");
    QTest::newRow("no name") << rawToken(R"({"alg":"HS256"})", R"({"id":"1"})")
                             << QStringLiteral("This token does not say who it is for: its \"name\" is missing.");
    QTest::newRow("bad id") << rawToken(R"({"alg":"HS256"})", R"({"id":[1],"name":"Ann"})")
                            << QStringLiteral("This token's \"id\" is not valid.");
    QTest::newRow("too long") << QString(login + QString(9000, u'a')) << QStringLiteral("This is too long to be a login token.");
}

void tst_Dialogs::malformedTokenIsRefusedInline()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    paste(fields.server, m_server.toString());
    paste(fields.token, text);
    QVERIFY(shown(fields.tokenMessage));
    QVERIFY(fields.tokenMessage->isError());
    QCOMPARE(fields.tokenMessage->text(), message);
    QCOMPARE(JoinDialog::previewToken(text).state, JoinDialog::TokenPreview::State::Malformed);
    QVERIFY(!dialog.isComplete());

    QSignalSpy accepted(&dialog, &QDialog::accepted);
    fields.connect->click();
    QCOMPARE(accepted.size(), 0);
    QVERIFY(otherWindows(&dialog).isEmpty());
    QTRY_VERIFY(fields.token->hasFocus());
}

void tst_Dialogs::nicknameNeededWithoutAToken()
{
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    paste(fields.server, m_server.toString());
    QVERIFY(!shown(fields.nicknameMessage)); // not before Connect: an empty field is no mistake yet
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    fields.connect->click();
    QCOMPARE(accepted.size(), 0);
    QVERIFY(fields.nicknameMessage->isError());
    QCOMPARE(fields.nicknameMessage->text(), QStringLiteral("Choose a nickname: it is how others see you."));

    // a bad room is refused too
    fields.room->setText(QStringLiteral("a\u202eb"));
    QVERIFY(fields.roomMessage->isError());
    fields.room->setText(QStringLiteral("general"));
    QVERIFY(!fields.roomMessage->isError());

    fields.nickname->setText(QStringLiteral("  Ann  "));
    QVERIFY(!fields.nicknameMessage->isError());
    fields.connect->click();
    QCOMPARE(accepted.size(), 1);
    const JoinRequestInput input = dialog.input();
    QCOMPARE(input.nickname, QStringLiteral("Ann"));
    QCOMPARE(input.room, QStringLiteral("general"));
    QVERIFY(input.token.isEmpty());
    QVERIFY(!input.rememberToken);
}

void tst_Dialogs::rememberStoresInTheKeychain()
{
    if (keychainAbsentMode())
        QSKIP("this run has no keychain: see withoutKeychainTheDialogSaysSo");
    TokenStore tokens(m_service);
    const QString login = token(QStringLiteral("42"), QStringLiteral("Ann"));
    QCOMPARE(loadToken(tokens, m_server).status, TokenStore::Status::NotFound);
    {
        JoinDialog dialog(&tokens);
        JoinFields fields(dialog);
        dialog.show();
        paste(fields.server, JoinUrl::toInviteUrl(m_server, QStringLiteral("general"), login));
        QVERIFY(!fields.remember->isChecked());
        fields.remember->setChecked(true);
        fields.connect->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.input().rememberToken);
    }
    // in the keychain: another store object reads it
    TokenStore other(m_service);
    QTRY_COMPARE_WITH_TIMEOUT(loadToken(other, m_server).text(), login, Timeout);

    // what the app keeps in its settings after such a join: never the token
    {
        QSettings settings;
        Ui::RecentServers recent(&settings);
        JoinDialog dialog(&tokens);
        dialog.setServerUrl(m_server);
        QVERIFY(recent.add(m_server, QStringLiteral("Ann"), QStringLiteral("general")));
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("10.1.2.3"));
        for (const QString &part : login.split(u'.'))
            QVERIFY2(!content.contains(part.toLatin1()), content.constData());
    }

    // the next time this server is entered, the token is filled in from the keychain
    {
        JoinDialog dialog(&tokens);
        JoinFields fields(dialog);
        dialog.show();
        paste(fields.server, QStringLiteral("10.1.2.3:4000"));
        QTRY_COMPARE_WITH_TIMEOUT(fields.token->text(), login, Timeout);
        QVERIFY(fields.remember->isChecked());
        QVERIFY(fields.tokenMessage->text().contains(QLatin1String("from your keychain")));
        QVERIFY(fields.tokenMessage->text().contains(QLatin1String("Ann")));
        // …and it does not go with another server
        QSignalSpy checked(&dialog, &JoinDialog::storedTokenChecked);
        paste(fields.server, QStringLiteral("10.1.2.3:4001"));
        QVERIFY(fields.token->text().isEmpty());
        QVERIFY(!fields.remember->isChecked());
        QVERIFY(checked.wait(Timeout));
        QCOMPARE(checked.last().at(0).toUrl(), QUrl(QStringLiteral("http://10.1.2.3:4001")));
        QCOMPARE(checked.last().at(1).toBool(), false);
        QVERIFY(fields.token->text().isEmpty());
        // back to the first: filled in again
        paste(fields.server, QStringLiteral("10.1.2.3:4000"));
        QVERIFY(checked.wait(Timeout));
        QCOMPARE(checked.last().at(1).toBool(), true);
        QCOMPARE(fields.token->text(), login);
        // unticking "remember" forgets it
        fields.remember->setChecked(false);
        fields.connect->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QTRY_COMPARE_WITH_TIMEOUT(loadToken(other, m_server).status, TokenStore::Status::NotFound, Timeout);

    // a token typed by the user is never replaced by the keychain's
    {
        QList<TokenStore::Result> stored;
        tokens.storeToken(m_server, login, this, [&](const TokenStore::Result &r) { stored.append(r); });
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 1, Timeout);
        JoinDialog dialog(&tokens);
        JoinFields fields(dialog);
        QSignalSpy checked(&dialog, &JoinDialog::storedTokenChecked);
        const QString mine = token(QStringLiteral("7"), QStringLiteral("Bob"));
        paste(fields.token, mine);
        paste(fields.server, m_server.toString());
        QVERIFY(checked.wait(Timeout));
        QCOMPARE(checked.first().at(1).toBool(), false);
        QCOMPARE(fields.token->text(), mine);
        QVERIFY(!fields.remember->isChecked());
    }
}

void tst_Dialogs::withoutKeychainTheDialogSaysSo()
{
    if (!keychainAbsentMode())
        QSKIP("this run has a keychain: tst_dialogs_nokeychain covers its absence");
    TokenStore tokens(m_service);
    JoinDialog dialog(&tokens);
    JoinFields fields(dialog);
    dialog.show();
    QVERIFY(!shown(fields.keychainNote));
    paste(fields.server, m_server.toString()); // the dialog looks for a stored token: no keychain
    QTRY_VERIFY_WITH_TIMEOUT(shown(fields.keychainNote), Timeout);
    QCOMPARE(fields.keychainNote->text(), TokenStore::unavailableMessage());
    QVERIFY(fields.token->text().isEmpty());
}

void tst_Dialogs::hostDialogDefaults()
{
    HostDialog dialog;
    dialog.show();
    auto *port = dialog.findChild<QSpinBox *>(QStringLiteral("port"));
    auto *open = dialog.findChild<QRadioButton *>(QStringLiteral("open"));
    QVERIFY(port && open);
    QCOMPARE(port->text(), QStringLiteral("3000"));
    QVERIFY(open->isChecked());
    const HostSettings settings = dialog.settings();
    QCOMPARE(settings.roomName, QStringLiteral("general"));
    QCOMPARE(settings.port, quint16(3000));
    QVERIFY(!settings.requireToken);
    QVERIFY(settings.serverName.isEmpty());
    QVERIFY(dialog.isComplete());

    // 0 is any free port, and says so
    port->setValue(0);
    QCOMPARE(port->text(), QStringLiteral("Any free port"));
    QCOMPARE(dialog.settings().port, quint16(0));
    auto *note = dialog.findChild<InlineMessage *>(QStringLiteral("portNote"));
    QVERIFY(note && shown(note));
}

void tst_Dialogs::hostDialogRoomNames_data()
{
    QTest::addColumn<QString>("room");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("general") << true;
    QTest::newRow("unicode and emoji") << QStringLiteral("café 🎉") << true;
    QTest::newRow("surrounding spaces trimmed") << QStringLiteral("  lobby ") << true;
    QTest::newRow("64") << QString(64, u'r') << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("spaces") << QStringLiteral("   ") << false;
    QTest::newRow("bidi override") << QStringLiteral("evil\u202etxt") << false;
    QTest::newRow("zero-width space") << QStringLiteral("a\u200bb") << false;
    QTest::newRow("control") << QStringLiteral("a\u0007b") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
}

void tst_Dialogs::hostDialogRoomNames()
{
    QFETCH(QString, room);
    QFETCH(bool, valid);
    HostDialog dialog;
    dialog.show();
    auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("room"));
    auto *message = dialog.findChild<InlineMessage *>(QStringLiteral("roomMessage"));
    auto *host = dialog.findChild<QPushButton *>(QStringLiteral("host"));
    QVERIFY(edit && message && host);
    edit->setText(room);
    QCOMPARE(dialog.isComplete(), valid);
    QCOMPARE(message->isError(), !valid);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    host->click();
    QCOMPARE(accepted.size(), valid ? 1 : 0);
    if (valid)
        QCOMPARE(dialog.settings().roomName, room.trimmed());
    else
        QVERIFY(shown(message) && otherWindows(&dialog).isEmpty());
}

void tst_Dialogs::hostDialogSettingsRoundTrip()
{
    HostDialog dialog;
    const HostSettings settings{QStringLiteral("général"), 4000, true, QStringLiteral("Ann's laptop")};
    dialog.setSettings(settings);
    QCOMPARE(dialog.settings(), settings);
    QVERIFY(dialog.findChild<QRadioButton *>(QStringLiteral("protected"))->isChecked());
    dialog.setSettings({QStringLiteral("x"), 0, false, {}});
    QCOMPARE(dialog.settings(), (HostSettings{QStringLiteral("x"), 0, false, {}}));
}

void tst_Dialogs::cleanupTestCase()
{
    QSettings().clear();
    if (keychainAbsentMode())
        return;
    TokenStore store(m_service);
    QList<TokenStore::Result> results;
    store.removeToken(m_server, this, [&](const TokenStore::Result &result) { results.append(result); });
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, Timeout);
}

QTEST_MAIN(tst_Dialogs)
#include "tst_dialogs.moc"
