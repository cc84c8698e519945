// DiscoveredServersModel: "rooms on your network", the servers a DiscoveryBrowser hears, live
// (serverFound inserts a row, serverUpdated changes it, serverLost removes it), in the order
// they were found.
#pragma once

#include "chat/discovery.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QUrl>

namespace Roomcast::Ui {

class DiscoveredServersModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Roles {
        HostRole = Qt::UserRole + 1, //!< QString: the address the announcements come from
        PortRole,                    //!< int: the chat port
        TokenRequiredRole,           //!< bool: the server wants a login token
        UrlRole,                     //!< QUrl: http://host:port, what ChatClient connects to
        InstanceIdRole,              //!< QString: the beacon's id
    };
    Q_ENUM(Roles)

    //! Follows @p browser (which may be destroyed first: the rows go with it). Servers it has
    //! already heard are listed at once.
    explicit DiscoveredServersModel(Chat::Discovery::DiscoveryBrowser *browser, QObject *parent = nullptr);
    ~DiscoveredServersModel() override;

    Chat::Discovery::DiscoveryBrowser *browser() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    //! Qt::DisplayRole: the server's announced name.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The row of the server with @p instanceId, or -1.
    int indexOf(const QString &instanceId) const;
    //! http://host:port for @p server (an IPv4-mapped IPv6 address as plain IPv4).
    static QUrl serverUrl(const Chat::Discovery::DiscoveredServer &server);

private:
    void onServerFound(const Chat::Discovery::DiscoveredServer &server);
    void onServerUpdated(const Chat::Discovery::DiscoveredServer &server);
    void onServerLost(const Chat::Discovery::DiscoveredServer &server);
    void onBrowserDestroyed();

    QPointer<Chat::Discovery::DiscoveryBrowser> m_browser;
    QList<Chat::Discovery::DiscoveredServer> m_servers;
};

} // namespace Roomcast::Ui
