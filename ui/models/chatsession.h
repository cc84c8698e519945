// ChatSession: what the main window drives — the conversation list and a MessageModel per
// conversation, kept up to date from one ChatClient's signals, and the user's actions (send,
// retry, open a private conversation, load older messages) turned into ChatClient requests.
#pragma once

#include "ui/models/conversation.h"

#include "chat/chatclient.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace Roomcast::Ui {

class ConversationListModel;
class MessageModel;

class ChatSession : public QObject
{
    Q_OBJECT

public:
    //! Follows @p client, which must outlive the session.
    explicit ChatSession(Chat::ChatClient *client, QObject *parent = nullptr);
    ~ChatSession() override;

    Chat::ChatClient *client() const;
    //! The left pane; owned by the session.
    ConversationListModel *conversations() const;
    //! The messages of @p conversation, created (empty) on first use. Owned by the session and
    //! kept for its whole life, rooms we left included: a pointer stays valid, and a room joined
    //! again continues where it was (its join page merges without duplicates).
    MessageModel *messages(const ConversationId &conversation);
    //! The same without creating it: nullptr if nothing was shown or sent there yet.
    MessageModel *existingMessages(const ConversationId &conversation) const;

    //! Sends @p text to @p conversation: shown at once as Pending, then Sent (with the server's id
    //! and time) or Failed (ErrorRole says why). Returns its local id in messages(conversation).
    //! A private conversation is listed if it was not.
    qint64 send(const ConversationId &conversation, const QString &text);
    //! Sends the Failed message at @p row of messages(conversation) again; false if it is not one.
    bool retry(const ConversationId &conversation, int row);
    //! The private conversation with socket @p socketId (what double-clicking a member opens),
    //! listed under its nickname.
    ConversationId openPrivate(const QString &socketId);
    //! The private conversation with logged-in user @p userId (@p name shown until a message
    //! says otherwise).
    ConversationId openUser(const QString &userId, const QString &name = {});
    //! Asks for the page before the oldest message shown (rooms we are in, User conversations);
    //! it is merged into messages(conversation) when it arrives. False when there is nothing to
    //! ask (no more history, a page already on its way, a Socket conversation, a room we left).
    bool fetchOlder(const ConversationId &conversation);
    bool isFetching(const ConversationId &conversation) const;
    //! Pass-throughs: the room is listed once joined, and unlisted once left.
    void joinRoom(const QString &room);
    void leaveRoom(const QString &room);

Q_SIGNALS:
    //! A MessageModel was created for @p conversation (before it has any row).
    void messageModelCreated(const Roomcast::Ui::ConversationId &conversation, Roomcast::Ui::MessageModel *model);
    //! A request of the user's failed (join, leave, older messages): @p message is translated.
    //! Failed sends are not reported here: their row says so.
    void errorOccurred(const Roomcast::Ui::ConversationId &conversation, const QString &message);

private:
    void dispatch(const ConversationId &conversation, qint64 localId, const QString &text);
    void onMessageReceived(const Chat::ChatMessage &message);
    void onPrivateMessageReceived(const Chat::ChatMessage &message);
    void onHistory(const ConversationId &conversation, QList<Chat::ChatMessage> page, bool hasMore);
    void onNicknamesReset();
    //! Marks our own messages in a history page (they come back without the flag).
    QList<Chat::ChatMessage> ours(QList<Chat::ChatMessage> page) const;

    Chat::ChatClient *m_client;
    ConversationListModel *m_conversations;
    QHash<ConversationId, MessageModel *> m_messages;
    QSet<ConversationId> m_fetching;
};

} // namespace Roomcast::Ui
