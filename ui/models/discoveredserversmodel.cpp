#include "discoveredserversmodel.h"

namespace Roomcast::Ui {

using Chat::Discovery::DiscoveredServer;
using Chat::Discovery::DiscoveryBrowser;

namespace {

QHostAddress plainAddress(const QHostAddress &address)
{
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    return isIPv4 ? QHostAddress(ipv4) : address;
}

} // namespace

DiscoveredServersModel::DiscoveredServersModel(DiscoveryBrowser *browser, QObject *parent)
    : QAbstractListModel(parent)
    , m_browser(browser)
{
    if (!browser)
        return;
    m_servers = browser->servers();
    connect(browser, &DiscoveryBrowser::serverFound, this, &DiscoveredServersModel::onServerFound);
    connect(browser, &DiscoveryBrowser::serverUpdated, this, &DiscoveredServersModel::onServerUpdated);
    connect(browser, &DiscoveryBrowser::serverLost, this, &DiscoveredServersModel::onServerLost);
    connect(browser, &QObject::destroyed, this, &DiscoveredServersModel::onBrowserDestroyed);
}

DiscoveredServersModel::~DiscoveredServersModel() = default;

DiscoveryBrowser *DiscoveredServersModel::browser() const
{
    return m_browser;
}

int DiscoveredServersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_servers.size());
}

QVariant DiscoveredServersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DiscoveredServer &server = m_servers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return server.name;
    case HostRole:
        return plainAddress(server.hostAddress).toString();
    case PortRole:
        return int(server.port);
    case TokenRequiredRole:
        return server.tokenRequired;
    case UrlRole:
        return serverUrl(server);
    case InstanceIdRole:
        return server.instanceId;
    default:
        return {};
    }
}

QHash<int, QByteArray> DiscoveredServersModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(HostRole, "host");
    names.insert(PortRole, "port");
    names.insert(TokenRequiredRole, "tokenRequired");
    names.insert(UrlRole, "url");
    names.insert(InstanceIdRole, "instanceId");
    return names;
}

int DiscoveredServersModel::indexOf(const QString &instanceId) const
{
    for (int row = 0; row < m_servers.size(); ++row)
        if (m_servers.at(row).instanceId == instanceId)
            return row;
    return -1;
}

QUrl DiscoveredServersModel::serverUrl(const DiscoveredServer &server)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(plainAddress(server.hostAddress).toString()); // QUrl brackets an IPv6 address
    url.setPort(server.port);
    return url;
}

void DiscoveredServersModel::onServerFound(const DiscoveredServer &server)
{
    if (indexOf(server.instanceId) >= 0)
        return onServerUpdated(server);
    const int row = int(m_servers.size());
    beginInsertRows({}, row, row);
    m_servers.append(server);
    endInsertRows();
}

void DiscoveredServersModel::onServerUpdated(const DiscoveredServer &server)
{
    const int row = indexOf(server.instanceId);
    if (row < 0)
        return onServerFound(server);
    DiscoveredServer &current = m_servers[row];
    QList<int> roles;
    if (current.name != server.name)
        roles.append(Qt::DisplayRole);
    if (current.hostAddress != server.hostAddress)
        roles.append(HostRole);
    if (current.port != server.port)
        roles.append(PortRole);
    if (current.hostAddress != server.hostAddress || current.port != server.port)
        roles.append(UrlRole);
    if (current.tokenRequired != server.tokenRequired)
        roles.append(TokenRequiredRole);
    current = server;
    if (!roles.isEmpty())
        Q_EMIT dataChanged(index(row), index(row), roles);
}

void DiscoveredServersModel::onServerLost(const DiscoveredServer &server)
{
    const int row = indexOf(server.instanceId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_servers.removeAt(row);
    endRemoveRows();
}

void DiscoveredServersModel::onBrowserDestroyed()
{
    if (m_servers.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_servers.size()) - 1);
    m_servers.clear();
    endRemoveRows();
}

} // namespace Roomcast::Ui
