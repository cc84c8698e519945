// ConversationView: the middle pane — the conversation's title and topic, its messages, and the
// composer. It sends what the user types through the ChatSession, retries a failed message when
// its Retry link is clicked, asks for older messages when the user scrolls to the top, and keeps
// the messages in view still while a page of history is inserted above them.
#pragma once

#include "ui/models/conversation.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QListView;
class QToolButton;

namespace Roomcast::Ui {

class ChatSession;
class Composer;
class MessageDelegate;
class MessageModel;
class TailWindowModel;

class ConversationView : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationView(ChatSession *session, QWidget *parent = nullptr);
    ~ConversationView() override;

    //! Shows @p conversation (an invalid id: nothing, and the composer disabled).
    void setConversation(const ConversationId &conversation);
    ConversationId conversation() const;

    QListView *messageList() const;
    Composer *composer() const;
    //! Whether the newest message is in view (new ones then keep it so).
    bool isAtBottom() const;

Q_SIGNALS:
    //! The user asked to talk privately with the sender of a message (its socket id).
    void privateConversationRequested(const QString &socketId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateHeader();
    void updateComposer();
    void onSubmitted(const QString &text);
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRangeChanged(int min, int max);
    void onScrolled(int value);
    void maybeFetchOlder();
    void showContextMenu(const QPoint &position);
    void editTopic();

    //! How the view follows a change of the model's rows (see onRowsAboutToBeInserted).
    enum class Anchor {
        Bottom,          //!< the newest message stays in view
        Value,           //!< the scroll position stays (the user reads further up)
        DistanceToBottom //!< rows arrive above: what is in view stays in view
    };

    ChatSession *m_session;
    ConversationId m_conversation;
    QPointer<MessageModel> m_model;
    TailWindowModel *m_window; //!< the newest rows of m_model: what the list shows
    QLabel *m_title;
    QLabel *m_topic;
    QToolButton *m_topicButton;
    QLabel *m_notice;
    QListView *m_list;
    MessageDelegate *m_delegate;
    Composer *m_composer;
    Anchor m_anchor = Anchor::Bottom;
    int m_distanceToBottom = 0;
    bool m_adjusting = false; //!< our own scrolling, not the user's
};

} // namespace Roomcast::Ui
