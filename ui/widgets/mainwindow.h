// MainWindow: the Roomcast window. It composes the panes — conversations on the left, the
// conversation in the middle, members on the right, the connection in the status bar — over one
// ChatClient and its ChatSession, and turns the user's actions (join a server, host a room,
// change nickname, mute) into calls on them. It implements no protocol itself.
#pragma once

#include "ui/models/conversation.h"

#include <QMainWindow>
#include <QUrl>

class QDockWidget;
class QLabel;
class QSplitter;
class QStackedWidget;

namespace Roomcast::Chat {
class ChatClient;
}
namespace Roomcast::Chat::Discovery {
class DiscoveryBrowser;
}

namespace Roomcast::Ui {

class ChatSession;
class ConnectionStatus;
class ConversationPane;
class ConversationView;
class HostController;
class HostingPanel;
class MemberPane;
class Notifier;
class RecentServers;
class StartPage;
class TokenStore;
struct HostSettings;

//! What the window connects with: a Join dialog's answers, or a join link's.
struct ConnectRequest
{
    QUrl serverUrl;
    QString nickname;
    QString token;
    QString room;          //!< joined once logged in, when not empty
    bool rememberToken = false; //!< store the token in the keychain for this server
};

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    //! @p browser lists the rooms heard on the LAN on the start page; without one the start page
    //! listens on the default discovery port.
    explicit MainWindow(Chat::Discovery::DiscoveryBrowser *browser = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Opens a join link or server URL (a command-line argument, or one handed over by a second
    //! instance). False, with the reason shown in the window, when it is refused.
    bool openUrl(const QString &text);
    //! Connects (leaving any server the window was on) and joins @p request.room once logged in.
    void connectToServer(const ConnectRequest &request);
    void disconnectFromServer();
    //! Hosts a room: the chat server starts inside the app, the window joins it, and the hosting
    //! panel shows the invite link. A failure to listen is shown in the window.
    void hostRoom(const HostSettings &settings);
    //! Stops hosting: everyone is told, and the window goes back to the start page.
    void stopHosting();

    Chat::ChatClient *client() const;
    ChatSession *session() const;
    TokenStore *tokenStore() const;
    ConversationPane *conversationPane() const;
    ConversationView *conversationView() const;
    MemberPane *memberPane() const;
    ConnectionStatus *connectionStatus() const;
    Notifier *notifier() const;
    HostController *hostController() const;
    HostingPanel *hostingPanel() const;
    StartPage *startPage() const;
    RecentServers *recentServers() const;
    //! The message shown above the panes (a failed login, a refused link…), empty when none.
    QString bannerText() const;
    //! Whether the chat panes are shown (else the start page).
    bool isShowingChat() const;

    //! Opens (and selects) the conversation.
    void showConversation(const ConversationId &conversation);

public Q_SLOTS:
    //! The Join dialog (window-modal), pre-filled with @p serverUrl unless it is empty.
    void openJoinDialog(const QUrl &serverUrl = {});
    void openHostDialog();
    void changeNickname();
    void joinRoomDialog();
    void browseRooms();

Q_SIGNALS:
    //! The conversation the middle pane shows changed.
    void conversationShown(const Roomcast::Ui::ConversationId &conversation);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showBanner(const QString &text);
    void hideBanner();
    void onConversationSelected(const ConversationId &conversation);
    //! Brings @p room to the front, joining it first if we are not in it.
    void joinOrShow(const QString &room);
    void onLoggedIn();
    void onLoginFailed(const QString &reason);
    void onHostStarted();
    void onHostStopped();
    void joinRecent(const QUrl &serverUrl, const QString &nickname, const QString &room);
    void setMuted(const ConversationId &conversation, bool muted);
    void restoreMuted();
    void updateTitle();
    void saveSettings() const;
    void restoreSettings();
    QString serverKey() const; //!< the current server as settings know it (scheme://host:port)

    Chat::ChatClient *m_client;
    ChatSession *m_session;
    TokenStore *m_tokens;
    RecentServers *m_recent;
    HostController *m_host;
    QStackedWidget *m_pages;
    StartPage *m_startPage;
    QSplitter *m_splitter;
    QLabel *m_banner;
    ConversationPane *m_conversations;
    ConversationView *m_view;
    MemberPane *m_members;
    ConnectionStatus *m_status;
    Notifier *m_notifier;
    HostingPanel *m_hostingPanel;
    QDockWidget *m_hostingDock;
    ConnectRequest m_request; //!< what we connect with (the token is never written anywhere)
    bool m_roomPending = false; //!< m_request.room still to join after login
    QString m_hostNickname;     //!< the name the host joins its own room under
    QUrl m_hostedUrl;           //!< while hosting: where our own client reaches our server
};

} // namespace Roomcast::Ui
