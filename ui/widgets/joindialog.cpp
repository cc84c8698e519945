#include "joindialog.h"

#include "ui/session/tokenstore.h"
#include "ui/widgets/formgrid.h"
#include "ui/widgets/inlinemessage.h"

#include "chat/protocol.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QTimer>
#include <QVBoxLayout>

namespace Roomcast::Ui {

namespace {

//! How long the server field must stay unchanged before the keychain is asked for its token.
constexpr int LookupDelayMs = 250;

QString formatted(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QString decodeProblem(const Chat::TokenResult &result)
{
    using Chat::TokenError;
    switch (result.error) {
    case TokenError::TooLarge:
        return JoinDialog::tr("This is too long to be a login token.");
    case TokenError::AlgorithmNotAllowed:
    case TokenError::UnsupportedCriticalHeader:
        return JoinDialog::tr("This token is not signed the way Roomcast servers sign theirs (HS256).");
    case TokenError::MissingClaim:
        return JoinDialog::tr("This token does not say who it is for: its \"%1\" is missing.").arg(result.claim);
    case TokenError::InvalidClaim:
        return JoinDialog::tr("This token's \"%1\" is not valid.").arg(result.claim);
    case TokenError::NoError:
    case TokenError::Malformed:
    case TokenError::ClaimsNotObject:
    case TokenError::BadSignature:
    case TokenError::ExpiryRequired:
    case TokenError::Expired:
    case TokenError::NotYetValid:
        break;
    }
    return JoinDialog::tr("This token cannot be read: it is damaged or incomplete. Paste it again, whole.");
}

} // namespace

JoinDialog::JoinDialog(TokenStore *tokens, QWidget *parent)
    : QDialog(parent)
    , m_tokens(tokens)
    , m_server(new QLineEdit(this))
    , m_serverMessage(new InlineMessage(this))
    , m_nickname(new QLineEdit(this))
    , m_nicknameMessage(new InlineMessage(this))
    , m_room(new QLineEdit(this))
    , m_roomMessage(new InlineMessage(this))
    , m_token(new QLineEdit(this))
    , m_tokenMessage(new InlineMessage(this))
    , m_remember(new QCheckBox(tr("&Remember this token"), this))
    , m_keychainNote(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_lookup(new QTimer(this))
{
    Q_ASSERT(tokens);
    setWindowTitle(tr("Join a Room"));

    m_server->setObjectName(QStringLiteral("server"));
    m_server->setPlaceholderText(tr("192.168.1.20:3000, or paste an invite link"));
    m_server->setMaxLength(int(JoinUrl::MaxLength));
    m_server->setClearButtonEnabled(true);
    m_serverMessage->setObjectName(QStringLiteral("serverMessage"));

    m_nickname->setObjectName(QStringLiteral("nickname"));
    m_nickname->setPlaceholderText(tr("How others see you"));
    m_nickname->setMaxLength(Chat::Limits::MaxNicknameLength);
    m_nicknameMessage->setObjectName(QStringLiteral("nicknameMessage"));

    m_room->setObjectName(QStringLiteral("room"));
    m_room->setPlaceholderText(tr("Optional: the room to join"));
    m_room->setMaxLength(Chat::Limits::MaxRoomNameLength);
    m_roomMessage->setObjectName(QStringLiteral("roomMessage"));

    m_token->setObjectName(QStringLiteral("token"));
    m_token->setPlaceholderText(tr("Paste a login token, if the server asks for one"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setMaxLength(int(JoinUrl::MaxTokenLength) + 64); // room for white space to trim
    m_token->setClearButtonEnabled(true);
    m_tokenMessage->setObjectName(QStringLiteral("tokenMessage"));
    m_remember->setObjectName(QStringLiteral("remember"));
    m_remember->setToolTip(tr("Keeps the token in the system keychain for this server, never in a file."));
    m_remember->setEnabled(false);
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));

    auto *connectButton = m_buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(QStringLiteral("connect"));
    connectButton->setDefault(true);

    auto *form = new FormGrid;
    form->addField(tr("&Server:"), m_server, {m_serverMessage});
    form->addField(tr("&Nickname:"), m_nickname, {m_nicknameMessage});
    form->addField(tr("R&oom:"), m_room, {m_roomMessage});
    form->addField(tr("&Token:"), m_token, {m_tokenMessage, m_remember, m_keychainNote});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(460);

    m_lookup->setSingleShot(true);
    m_lookup->setInterval(LookupDelayMs);
    connect(m_lookup, &QTimer::timeout, this, &JoinDialog::lookUpStoredToken);
    connect(m_server, &QLineEdit::textChanged, this, &JoinDialog::onServerEdited);
    connect(m_token, &QLineEdit::textChanged, this, &JoinDialog::onTokenEdited);
    connect(m_nickname, &QLineEdit::textChanged, this, [this] { validate(false); });
    connect(m_room, &QLineEdit::textChanged, this, [this] { validate(false); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &JoinDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &JoinDialog::reject);
    connect(m_tokens, &TokenStore::availabilityChanged, this, &JoinDialog::updateKeychainNote);
    updateKeychainNote();
}

JoinDialog::~JoinDialog() = default;

void JoinDialog::setServerUrl(const QUrl &serverUrl)
{
    m_server->setText(serverUrl.toString());
}

void JoinDialog::setNickname(const QString &nickname)
{
    m_nickname->setText(nickname);
}

void JoinDialog::setRoom(const QString &room)
{
    m_room->setText(room);
}

void JoinDialog::setToken(const QString &token)
{
    m_token->setText(token);
}

void JoinDialog::setJoinRequest(const JoinRequest &request)
{
    setServerUrl(request.serverUrl);
    if (!request.room.isEmpty())
        setRoom(request.room);
    if (!request.token.isEmpty())
        setToken(request.token);
}

JoinRequestInput JoinDialog::input() const
{
    JoinRequestInput input;
    const JoinUrl::Result server = parseServer(m_server->text());
    if (server.isValid())
        input.serverUrl = server.request.serverUrl;
    input.nickname = m_nickname->text().trimmed();
    input.room = m_room->text().trimmed();
    input.token = m_token->text().trimmed();
    input.rememberToken = m_remember->isChecked() && !input.token.isEmpty();
    return input;
}

bool JoinDialog::isComplete() const
{
    const TokenPreview token = previewToken(m_token->text());
    return parseServer(m_server->text()).isValid() && nicknameProblem().isEmpty() && roomProblem().isEmpty()
           && (token.state == TokenPreview::State::Empty || token.state == TokenPreview::State::Valid);
}

JoinUrl::Result JoinDialog::parseServer(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        JoinUrl::Result result;
        result.error = JoinUrl::Error::Empty;
        result.errorString = tr("Enter the server's address, or paste an invite link.");
        return result;
    }
    // "host", "host:port", "[v6]:port": a Roomcast server, port 3000 unless given. Anything
    // that starts like a URL ("javascript:…", "file:…") is parsed as it is, and refused.
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])"));
    if (!scheme.match(trimmed).hasMatch())
        return JoinUrl::parse(QString(QStringLiteral("roomcast://") + trimmed));
    return JoinUrl::parse(trimmed);
}

JoinDialog::TokenPreview JoinDialog::previewToken(const QString &text, const QDateTime &now)
{
    TokenPreview preview;
    preview.token = text.trimmed();
    if (preview.token.isEmpty())
        return preview;
    if (preview.token.size() > JoinUrl::MaxTokenLength) {
        preview.state = TokenPreview::State::Malformed;
        preview.message = tr("This is too long to be a login token.");
        return preview;
    }
    if (!JoinUrl::isJwtShaped(preview.token)) {
        preview.state = TokenPreview::State::Malformed;
        preview.message = tr("This is not a login token: a token is three groups of letters, digits, '-' and '_', "
                             "separated by dots.");
        return preview;
    }
    const Chat::TokenResult decoded = Chat::decodeUnverified(preview.token.toLatin1());
    if (!decoded.isValid()) {
        preview.state = TokenPreview::State::Malformed;
        preview.message = decodeProblem(decoded);
        return preview;
    }
    preview.id = decoded.id;
    preview.name = decoded.name;
    preview.expiresAt = decoded.expiresAt;
    const QDateTime at = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    if (preview.expiresAt.isValid() && preview.expiresAt <= at) {
        preview.state = TokenPreview::State::Expired;
        preview.message = tr("This token, for %1, expired on %2. Ask for a new one.")
                              .arg(preview.name, formatted(preview.expiresAt));
    } else {
        preview.state = TokenPreview::State::Valid;
        preview.message = preview.expiresAt.isValid()
                              ? tr("Logs in as %1 (id %2), until %3.").arg(preview.name, preview.id,
                                                                           formatted(preview.expiresAt))
                              : tr("Logs in as %1 (id %2). It does not expire.").arg(preview.name, preview.id);
    }
    return preview;
}

void JoinDialog::accept()
{
    if (!validate(true)) {
        // The first field with a problem gets the focus.
        for (auto [field, message] : {std::pair<QLineEdit *, InlineMessage *>{m_server, m_serverMessage},
                                      {m_nickname, m_nicknameMessage},
                                      {m_room, m_roomMessage},
                                      {m_token, m_tokenMessage}}) {
            if (message->isError()) {
                field->setFocus();
                break;
            }
        }
        return;
    }
    const JoinRequestInput request = input();
    if (request.rememberToken)
        m_tokens->storeToken(request.serverUrl, request.token);
    else if (!m_storedToken.isEmpty() && TokenStore::tokenKey(m_lookedUp) == TokenStore::tokenKey(request.serverUrl))
        m_tokens->removeToken(request.serverUrl); // it was remembered; the box was unticked
    QDialog::accept();
}

void JoinDialog::onServerEdited(const QString &text)
{
    const JoinUrl::Result result = parseServer(text);
    if (result.isValid() && (!result.request.room.isEmpty() || !result.request.token.isEmpty())) {
        // A whole join link: spread it over the fields (this comes back here with the server).
        setJoinRequest(result.request);
        return;
    }
    if (text.trimmed().isEmpty() || result.isValid())
        m_serverMessage->clearMessage();
    else
        m_serverMessage->showError(result.errorString);
    // A token the keychain gave for another server does not go with this one.
    if (!m_storedToken.isEmpty() && m_token->text().trimmed() == m_storedToken
        && (!result.isValid() || TokenStore::tokenKey(result.request.serverUrl) != TokenStore::tokenKey(m_lookedUp))) {
        m_storedToken.clear();
        m_lookedUp.clear(); // coming back to that server looks it up again
        m_remember->setChecked(false);
        m_token->clear();
    }
    if (result.isValid())
        m_lookup->start();
    else
        m_lookup->stop();
}

void JoinDialog::onTokenEdited()
{
    const QString text = m_token->text();
    const QString trimmed = text.trimmed();
    if (trimmed != text) {
        m_token->setText(trimmed); // comes back here
        return;
    }
    // A join link pasted here rather than in the server field.
    if (trimmed.contains(QLatin1String("://"))) {
        const JoinUrl::Result link = JoinUrl::parse(trimmed);
        if (link.isValid() && !link.request.token.isEmpty()) {
            setJoinRequest(link.request);
            return;
        }
    }
    const TokenPreview preview = previewToken(trimmed);
    switch (preview.state) {
    case TokenPreview::State::Empty:
        m_tokenMessage->clearMessage();
        break;
    case TokenPreview::State::Valid:
        m_tokenMessage->showInfo(preview.token == m_storedToken
                                     ? tr("%1 (from your keychain)").arg(preview.message)
                                     : preview.message);
        break;
    case TokenPreview::State::Malformed:
    case TokenPreview::State::Expired:
        m_tokenMessage->showError(preview.message);
        break;
    }
    m_remember->setEnabled(!trimmed.isEmpty());
    validate(false);
}

void JoinDialog::lookUpStoredToken()
{
    const JoinUrl::Result server = parseServer(m_server->text());
    if (!server.isValid())
        return;
    const QUrl url = server.request.serverUrl;
    if (TokenStore::tokenKey(url) == TokenStore::tokenKey(m_lookedUp))
        return;
    m_lookedUp = url;
    m_tokens->loadToken(url, this, [this, url](const TokenStore::Result &result) {
        Q_EMIT storedTokenChecked(url, fillStoredToken(url, result.text()));
    });
}

bool JoinDialog::fillStoredToken(const QUrl &url, const QString &stored)
{
    const JoinUrl::Result now = parseServer(m_server->text());
    if (stored.isEmpty() || !now.isValid() || TokenStore::tokenKey(now.request.serverUrl) != TokenStore::tokenKey(url))
        return false; // nothing stored, or the field moved on to another server meanwhile
    const QString current = m_token->text().trimmed();
    // Fill in only an empty field, or replace what the keychain gave for another server.
    if (!current.isEmpty() && current != m_storedToken)
        return false;
    m_storedToken = stored;
    m_remember->setChecked(true);
    m_token->setText(stored);
    onTokenEdited(); // the same text would not signal: show "from your keychain" anyway
    return true;
}

void JoinDialog::updateKeychainNote()
{
    if (m_tokens->availability() == TokenStore::Availability::Unavailable)
        m_keychainNote->showInfo(TokenStore::unavailableMessage());
    else
        m_keychainNote->clearMessage();
}

bool JoinDialog::validate(bool all)
{
    bool ok = true;
    const auto report = [&](InlineMessage *message, const QString &problem, bool show) {
        if (problem.isEmpty()) {
            if (message->isError())
                message->clearMessage();
            return;
        }
        ok = false;
        if (show)
            message->showError(problem);
    };

    const JoinUrl::Result server = parseServer(m_server->text());
    report(m_serverMessage, server.errorString, all || !m_server->text().trimmed().isEmpty());
    const QString nickname = nicknameProblem();
    report(m_nicknameMessage, nickname, all || !m_nickname->text().trimmed().isEmpty());
    report(m_roomMessage, roomProblem(), true);

    const TokenPreview token = previewToken(m_token->text());
    if (token.state == TokenPreview::State::Malformed || token.state == TokenPreview::State::Expired) {
        ok = false;
        m_tokenMessage->showError(token.message);
    }
    return ok;
}

QString JoinDialog::nicknameProblem() const
{
    const QString nickname = m_nickname->text().trimmed();
    if (nickname.isEmpty())
        return m_token->text().trimmed().isEmpty() ? tr("Choose a nickname: it is how others see you.") : QString();
    if (nickname.size() > Chat::Limits::MaxNicknameLength)
        return tr("A nickname has at most %n characters.", nullptr, Chat::Limits::MaxNicknameLength);
    // As strict as the server, no more: emoji sequences need the invisible joiners.
    for (const QChar c : nickname) {
        if (c.category() == QChar::Other_Control)
            return tr("A nickname cannot contain control characters.");
    }
    return {};
}

QString JoinDialog::roomProblem() const
{
    const QString room = m_room->text();
    if (room.trimmed().isEmpty() || JoinUrl::isValidRoomName(room.trimmed()))
        return {};
    return tr("Not a room name: 1 to %n printable characters.", nullptr, Chat::Limits::MaxRoomNameLength);
}

} // namespace Roomcast::Ui
