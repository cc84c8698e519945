// MemberPane: the right pane — who is in the room shown, by nickname, live. Double-clicking
// someone (or Enter) opens a private conversation with their socket.
#pragma once

#include <QWidget>

class QLabel;
class QListView;

namespace Roomcast::Chat {
class ChatClient;
}

namespace Roomcast::Ui {

class MemberModel;
class SortedMemberModel;

class MemberPane : public QWidget
{
    Q_OBJECT

public:
    explicit MemberPane(Chat::ChatClient *client, QWidget *parent = nullptr);

    //! Shows @p room's members; an empty name shows nobody.
    void setRoom(const QString &room);
    QListView *list() const;
    MemberModel *model() const;

Q_SIGNALS:
    //! The user wants to talk privately with socket @p socketId (never our own).
    void privateConversationRequested(const QString &socketId);

private:
    void updateCount();

    MemberModel *m_members;
    SortedMemberModel *m_sorted;
    QLabel *m_heading;
    QListView *m_list;
};

} // namespace Roomcast::Ui
