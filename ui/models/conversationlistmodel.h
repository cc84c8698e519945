// ConversationListModel: the left pane — the rooms we are in and our private conversations, with
// their unread counts. It decides what deserves the user's attention: a private message, or a
// room message that mentions our nickname, in a conversation the user is not looking at.
// Rows keep the order they were added in; sort with a QSortFilterProxyModel (LastActivityRole).
#pragma once

#include "ui/models/conversation.h"

#include "chat/chatclient.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QRegularExpression>

namespace Roomcast::Ui {

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY unreadTotalChanged)

public:
    enum Roles {
        ConversationIdRole = Qt::UserRole + 1, //!< ConversationId
        KindRole,         //!< ConversationId::Kind
        UnreadRole,       //!< int: messages since the user last looked
        MutedRole,        //!< bool: counts unread, never asks for attention
        PeerGoneRole,     //!< bool: a Socket conversation whose peer disconnected ("left")
        TopicRole,        //!< QString: a room's topic
        LastActivityRole, //!< QDateTime (local time) of the newest message, invalid if none
        CurrentRole,      //!< bool: the conversation the window shows
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject *parent = nullptr);
    ~ConversationListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    //! Qt::DisplayRole: the room's name, the peer's nickname (Socket), the user's name (User);
    //! the id until a name is known.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! Adds a conversation (at the end) if it is not listed; returns its row either way.
    int add(const ConversationId &conversation, const QString &title = {});
    bool remove(const ConversationId &conversation);
    int indexOf(const ConversationId &conversation) const; //!< its row, or -1
    bool contains(const ConversationId &conversation) const { return indexOf(conversation) >= 0; }
    ConversationId conversationAt(int row) const;

    //! The name shown for a Socket or User conversation (a rename: dataChanged on DisplayRole).
    void setTitle(const ConversationId &conversation, const QString &title);
    QString title(const ConversationId &conversation) const;
    void setTopic(const ConversationId &conversation, const QString &topic);
    void setPeerGone(const ConversationId &conversation, bool gone);
    bool isPeerGone(const ConversationId &conversation) const;
    void setMuted(const ConversationId &conversation, bool muted);
    bool isMuted(const ConversationId &conversation) const;
    //! Moves the newest activity forward to @p timestamp (never back).
    void setLastActivity(const ConversationId &conversation, const QDateTime &timestamp);

    //! The conversation the window shows: it never accumulates unread messages, and its count
    //! is reset now. It may name a conversation that is not (or no longer) listed.
    void setCurrent(const ConversationId &conversation);
    ConversationId current() const;
    //! Whether the window is active; while it is not, the current conversation asks for attention too.
    void setWindowActive(bool active);
    bool isWindowActive() const;
    //! Our nickname, for mentions (a case-insensitive whole-word match in a room message).
    void setOwnNickname(const QString &nickname);
    QString ownNickname() const;
    bool mentionsUs(const QString &text) const;

    //! A message arrived in @p conversation (which must be listed; returns false otherwise): its
    //! activity moves forward, and unless it is ours, unread counts it (not in the current
    //! conversation), and attention() is emitted when it deserves it.
    bool recordMessage(const ConversationId &conversation, const Chat::ChatMessage &message);
    int unread(const ConversationId &conversation) const;
    //! Unread messages in conversations that are not muted (what a taskbar badge shows).
    int unreadTotal() const;

Q_SIGNALS:
    //! A private message, or a room message mentioning us, in a conversation that is not muted
    //! and not in front of the user (not current, or the window is inactive).
    void attention(const Roomcast::Ui::ConversationId &conversation, const Roomcast::Chat::ChatMessage &message);
    void unreadTotalChanged(int unreadTotal);
    void currentChanged(const Roomcast::Ui::ConversationId &current);

private:
    struct Row
    {
        ConversationId id;
        QString title;
        QString topic;
        int unread = 0;
        bool muted = false;
        bool peerGone = false;
        QDateTime lastActivity;
    };

    void changed(int row, const QList<int> &roles);
    void setUnread(int row, int unread);
    void updateUnreadTotal();

    QList<Row> m_rows;
    ConversationId m_current;
    bool m_windowActive = true;
    QString m_nickname;
    QRegularExpression m_mention;
    int m_unreadTotal = 0;
};

} // namespace Roomcast::Ui
