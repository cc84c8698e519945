// StartPage: what the app shows before any server — two big actions, Host a room and Join a
// room, the rooms heard on the LAN (a DiscoveryBrowser through DiscoveredServersModel) and the
// recent servers (RecentServers).
//
// - "Host a room" emits hostRequested();
// - "Join a room" emits joinRequested() with an empty URL (the Join dialog starts blank);
// - activating a LAN room (double-click, Enter) emits joinRequested() with its URL;
// - activating a recent server emits recentChosen() with its URL, nickname and room; its
//   "Edit…" button emits joinRequested() with its URL, and "Forget" removes it.
#pragma once

#include <QUrl>
#include <QWidget>

class QCommandLinkButton;
class QLabel;
class QListView;
class QPushButton;

namespace Roomcast::Chat::Discovery {
class DiscoveryBrowser;
}

namespace Roomcast::Ui {

class DiscoveredServersModel;
class RecentServers;

class StartPage : public QWidget
{
    Q_OBJECT

public:
    //! Shows @p recent (which must outlive the page) and the servers @p browser hears. Without a
    //! browser the page makes its own on the default discovery port and starts it.
    explicit StartPage(RecentServers *recent, Chat::Discovery::DiscoveryBrowser *browser = nullptr,
                       QWidget *parent = nullptr);
    ~StartPage() override;

    Chat::Discovery::DiscoveryBrowser *browser() const;
    DiscoveredServersModel *discoveredServers() const;
    RecentServers *recentServers() const;

    //! How a row of DiscoveredServersModel reads in the list: "Ann's room — 192.168.1.20:3000",
    //! and "(invite only)" when it wants a token.
    static QString lanRoomText(const QModelIndex &index);

Q_SIGNALS:
    void hostRequested();
    //! Open the Join dialog, pre-filled with @p serverUrl unless it is empty.
    void joinRequested(const QUrl &serverUrl);
    //! Join this recent server again as before.
    void recentChosen(const QUrl &serverUrl, const QString &nickname, const QString &room);

private:
    void updatePlaceholders();
    void updateRecentButtons();
    void activateLan(const QModelIndex &index);
    void activateRecent(const QModelIndex &index);

    RecentServers *m_recent;
    Chat::Discovery::DiscoveryBrowser *m_browser;
    DiscoveredServersModel *m_lanModel;
    QCommandLinkButton *m_host;
    QCommandLinkButton *m_join;
    QListView *m_lan;
    QLabel *m_lanPlaceholder;
    QListView *m_recentView;
    QLabel *m_recentPlaceholder;
    QPushButton *m_edit;
    QPushButton *m_forget;
};

} // namespace Roomcast::Ui
