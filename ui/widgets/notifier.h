// Notifier: the tray icon (with the unread total on it) and the desktop notifications for a
// private message or a mention while the window is not in front. Muted conversations never
// notify (ConversationListModel decides what deserves attention). Without a system tray the
// window asks for attention in the task bar instead.
#pragma once

#include "ui/models/conversation.h"

#include <QIcon>
#include <QObject>
#include <QPointer>

class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace Roomcast::Chat {
struct ChatMessage;
}

namespace Roomcast::Ui {

class ConversationListModel;

class Notifier : public QObject
{
    Q_OBJECT

public:
    //! Follows @p conversations' unread total and attention(); @p window is raised on a click.
    Notifier(ConversationListModel *conversations, QWidget *window, QObject *parent = nullptr);
    ~Notifier() override;

    bool hasTrayIcon() const;
    QSystemTrayIcon *trayIcon() const; //!< nullptr without a system tray
    //! The tray's icon for @p unread messages: the app's icon with a count on it.
    static QIcon badgedIcon(const QIcon &base, int unread);

Q_SIGNALS:
    //! A notification was shown (or the task bar asked, without a tray) for @p conversation.
    void notified(const Roomcast::Ui::ConversationId &conversation, const QString &title, const QString &body);
    //! The user clicked the notification (or the tray icon): show @p conversation (invalid: just
    //! the window).
    void activated(const Roomcast::Ui::ConversationId &conversation);

private:
    void onAttention(const ConversationId &conversation, const Chat::ChatMessage &message);
    void updateIcon(int unread);

    ConversationListModel *m_conversations;
    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    ConversationId m_lastNotified;
};

} // namespace Roomcast::Ui
