// JoinDialog: "Join a room" — the server, a nickname, the room, and a login token to paste.
//
//     JoinDialog dialog(&tokens, window);
//     dialog.setServerUrl(urlFromTheStartPage);          // optional pre-fills
//     if (dialog.exec() == QDialog::Accepted) {
//         const JoinRequestInput input = dialog.input();
//         client->connectToServer(input.serverUrl, input.token, input.nickname);
//     }
//
// The server field takes an address ("192.168.1.20:3000", "chat.example.org", an http(s) URL)
// or a whole join link: a pasted roomcast://…?room=R&token=T (JoinUrl::parse) fills the
// server, the room and the token fields. An address without a scheme is read as a roomcast://
// one, so its port is 3000 unless given.
//
// The token field trims what is pasted, checks its shape (JoinUrl::isJwtShaped) and decodes it
// without verifying it (Chat::decodeUnverified) to show whom it names and when it expires, or
// that it has expired (in red). When the keychain holds a token for the server entered, it is
// filled in (and "Remember this token" ticked). On accept, a remembered token is stored in the
// keychain (TokenStore::storeToken); unticking the box for a stored token removes it.
//
// Every problem is told inline, under its field; Connect refuses until there is none.
#pragma once

#include "ui/session/joinurl.h"

#include "chat/jwt.h"

#include <QDateTime>
#include <QDialog>
#include <QUrl>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;
class QTimer;

namespace Roomcast::Ui {

class InlineMessage;
class TokenStore;

//! What the user asked for, read with JoinDialog::input() once the dialog is accepted.
struct JoinRequestInput
{
    QUrl serverUrl;     //!< http(s)://host:port, what ChatClient::connectToServer() takes
    QString nickname;   //!< trimmed; may be empty when a token names the user
    QString token;      //!< trimmed; empty for an open server
    QString room;       //!< the room to join once connected; empty for none
    bool rememberToken = false; //!< the token was (or is being) stored in the keychain

    friend bool operator==(const JoinRequestInput &, const JoinRequestInput &) = default;
};

class JoinDialog : public QDialog
{
    Q_OBJECT

public:
    //! What a pasted token says, decoded but not verified.
    struct TokenPreview
    {
        enum class State {
            Empty,     //!< nothing pasted
            Malformed, //!< not the shape of a JWT, or unreadable: `message` says why
            Valid,     //!< names `name` (`id`), expires at `expiresAt` (invalid: never)
            Expired,   //!< as Valid, but `expiresAt` has passed
        };
        State state = State::Empty;
        QString token; //!< trimmed
        QString id;
        QString name;
        QDateTime expiresAt;
        QString message; //!< translated: what the dialog shows under the field
    };

    //! @p tokens is where remembered tokens live; it must outlive the dialog.
    explicit JoinDialog(TokenStore *tokens, QWidget *parent = nullptr);
    ~JoinDialog() override;

    //! Pre-fills: a server (from the start page), a nickname, a room, a token, or everything a
    //! join link named.
    void setServerUrl(const QUrl &serverUrl);
    void setNickname(const QString &nickname);
    void setRoom(const QString &room);
    void setToken(const QString &token);
    void setJoinRequest(const JoinRequest &request);

    //! What was entered; complete once accepted (isComplete()).
    JoinRequestInput input() const;
    //! Whether every field is acceptable as it stands.
    bool isComplete() const;

    //! The server @p text names: an address or URL as the field takes it, or a join link.
    static JoinUrl::Result parseServer(const QString &text);
    //! What the token field shows for @p text at @p now (the current time when invalid).
    static TokenPreview previewToken(const QString &text, const QDateTime &now = {});

public Q_SLOTS:
    //! Checks every field (showing what is wrong under it); accepts only when all are right,
    //! storing or forgetting the token as "Remember this token" says.
    void accept() override;

Q_SIGNALS:
    //! The keychain answered for @p serverUrl (entered in the server field a moment before);
    //! @p filledIn says whether its token is now in the token field.
    void storedTokenChecked(const QUrl &serverUrl, bool filledIn);

private:
    void onServerEdited(const QString &text);
    void onTokenEdited();
    void lookUpStoredToken();
    //! Puts the keychain's token for @p url in the field, if it still fits; returns whether it did.
    bool fillStoredToken(const QUrl &url, const QString &stored);
    void updateKeychainNote();
    //! Shows each field's problem (the empty required ones too when @p all); true if none.
    bool validate(bool all);
    QString nicknameProblem() const;
    QString roomProblem() const;

    TokenStore *m_tokens;
    QLineEdit *m_server;
    InlineMessage *m_serverMessage;
    QLineEdit *m_nickname;
    InlineMessage *m_nicknameMessage;
    QLineEdit *m_room;
    InlineMessage *m_roomMessage;
    QLineEdit *m_token;
    InlineMessage *m_tokenMessage;
    QCheckBox *m_remember;
    InlineMessage *m_keychainNote;
    QDialogButtonBox *m_buttons;
    QTimer *m_lookup;
    QUrl m_lookedUp;            //!< the server whose stored token was asked for last
    QString m_storedToken;      //!< what the keychain held for m_lookedUp, if it was filled in
};

} // namespace Roomcast::Ui
