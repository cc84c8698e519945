// ConversationPane: the left pane — a filter box, the rooms we are in and our private
// conversations (with unread badges), and the actions on them: join or create a room, browse
// the server's rooms, leave a room, mute, close a private conversation.
#pragma once

#include "ui/models/conversation.h"

#include <QWidget>

class QLineEdit;
class QListView;
class QPushButton;

namespace Roomcast::Ui {

class ChatSession;
class ConversationFilterModel;

class ConversationPane : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationPane(ChatSession *session, QWidget *parent = nullptr);

    //! Selects @p conversation in the list (clearing the filter if it hides it).
    void select(const ConversationId &conversation);
    ConversationId selected() const;

    QListView *list() const;
    QLineEdit *filter() const;

Q_SIGNALS:
    //! The user picked @p conversation (or the selected one went away: an invalid id).
    void conversationSelected(const Roomcast::Ui::ConversationId &conversation);
    void joinRoomRequested();   //!< "Join or create a room…"
    void browseRoomsRequested(); //!< "Browse rooms…"
    //! Mute or unmute, from the row's context menu.
    void muteToggled(const Roomcast::Ui::ConversationId &conversation, bool muted);

private:
    void onCurrentChanged();
    void showContextMenu(const QPoint &position);

    ChatSession *m_session;
    ConversationFilterModel *m_proxy;
    QLineEdit *m_filter;
    QListView *m_list;
};

} // namespace Roomcast::Ui
