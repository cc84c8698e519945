#include "recentservers.h"

#include <QLocale>
#include <QSettings>

namespace Roomcast::Ui {

namespace {

const QString Group = QStringLiteral("recent");
const QString Array = QStringLiteral("servers");
const QString UrlKey = QStringLiteral("url");
const QString NicknameKey = QStringLiteral("nickname");
const QString RoomKey = QStringLiteral("room");
const QString LastUsedKey = QStringLiteral("lastUsed");

//! host:port as a person reads it ([v6]:port).
QString authorityOf(const QUrl &url)
{
    const QString host = url.host();
    return (host.contains(u':') ? QString(u'[' % host % u']') : host) % u':' % QString::number(url.port());
}

} // namespace

RecentServers::RecentServers(QObject *parent)
    : QAbstractListModel(parent)
    , m_settings(new QSettings)
    , m_ownsSettings(true)
{
    load();
}

RecentServers::RecentServers(QSettings *settings, QObject *parent)
    : QAbstractListModel(parent)
    , m_settings(settings)
{
    Q_ASSERT(settings);
    load();
}

RecentServers::~RecentServers()
{
    if (m_ownsSettings)
        delete m_settings;
}

QUrl RecentServers::origin(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const bool secure = scheme == QLatin1String("https");
    if (!url.isValid() || (!secure && scheme != QLatin1String("http")))
        return {};
    const QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.isEmpty())
        return {};
    QUrl result;
    result.setScheme(scheme);
    result.setHost(host);
    result.setPort(url.port(secure ? 443 : 80));
    return result;
}

bool RecentServers::add(const QUrl &serverUrl, const QString &nickname, const QString &room)
{
    const QUrl url = origin(serverUrl);
    if (url.isEmpty())
        return false;
    RecentServer entry{url, nickname, room, QDateTime::currentDateTimeUtc()};
    const int existing = indexOf(url);
    if (existing >= 0) {
        const RecentServer &old = m_entries.at(existing);
        if (entry.nickname.isEmpty())
            entry.nickname = old.nickname;
        if (entry.room.isEmpty())
            entry.room = old.room;
        if (existing > 0) {
            beginMoveRows({}, existing, existing, {}, 0);
            m_entries.move(existing, 0);
            endMoveRows();
        }
        m_entries[0] = entry;
        Q_EMIT dataChanged(index(0), index(0));
    } else {
        beginInsertRows({}, 0, 0);
        m_entries.prepend(entry);
        endInsertRows();
        if (m_entries.size() > MaxEntries) {
            beginRemoveRows({}, MaxEntries, int(m_entries.size()) - 1);
            m_entries.resize(MaxEntries);
            endRemoveRows();
        }
    }
    save();
    return true;
}

bool RecentServers::remove(const QUrl &serverUrl)
{
    const int row = indexOf(serverUrl);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    save();
    return true;
}

void RecentServers::clear()
{
    if (m_entries.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_entries.size()) - 1);
    m_entries.clear();
    endRemoveRows();
    save();
}

QList<RecentServer> RecentServers::entries() const
{
    return m_entries;
}

RecentServer RecentServers::entryAt(int row) const
{
    return m_entries.value(row);
}

int RecentServers::indexOf(const QUrl &serverUrl) const
{
    const QUrl url = origin(serverUrl);
    if (url.isEmpty())
        return -1;
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).serverUrl == url)
            return row;
    return -1;
}

int RecentServers::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RecentServers::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecentServer &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        const QString server = authorityOf(entry.serverUrl);
        if (entry.room.isEmpty())
            return server;
        //: A recent server in the start page's list: "192.168.1.20:3000 — general"
        return tr("%1 — %2").arg(server, entry.room);
    }
    case Qt::ToolTipRole: {
        QStringList lines{entry.serverUrl.toString()};
        if (!entry.nickname.isEmpty())
            lines.append(tr("Nickname: %1").arg(entry.nickname));
        if (!entry.room.isEmpty())
            lines.append(tr("Room: %1").arg(entry.room));
        if (entry.lastUsed.isValid())
            lines.append(tr("Last joined: %1").arg(QLocale().toString(entry.lastUsed.toLocalTime(), QLocale::ShortFormat)));
        return lines.join(u'\n');
    }
    case UrlRole:
        return entry.serverUrl;
    case NicknameRole:
        return entry.nickname;
    case RoomRole:
        return entry.room;
    case LastUsedRole:
        return entry.lastUsed;
    default:
        return {};
    }
}

QHash<int, QByteArray> RecentServers::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(UrlRole, "url");
    names.insert(NicknameRole, "nickname");
    names.insert(RoomRole, "room");
    names.insert(LastUsedRole, "lastUsed");
    return names;
}

void RecentServers::load()
{
    m_settings->beginGroup(Group);
    const int size = m_settings->beginReadArray(Array);
    for (int i = 0; i < size && m_entries.size() < MaxEntries; ++i) {
        m_settings->setArrayIndex(i);
        // What a hand-edited file holds is checked as a join would be: only an origin is kept.
        const QUrl url = origin(QUrl(m_settings->value(UrlKey).toString(), QUrl::StrictMode));
        if (url.isEmpty() || indexOf(url) >= 0)
            continue;
        m_entries.append({url, m_settings->value(NicknameKey).toString(), m_settings->value(RoomKey).toString(),
                          m_settings->value(LastUsedKey).toDateTime().toUTC()});
    }
    m_settings->endArray();
    m_settings->endGroup();
}

void RecentServers::save() const
{
    m_settings->beginGroup(Group);
    m_settings->remove(QString()); // the whole group: a shorter list leaves no stale items
    m_settings->beginWriteArray(Array, int(m_entries.size()));
    for (int i = 0; i < m_entries.size(); ++i) {
        const RecentServer &entry = m_entries.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(UrlKey, entry.serverUrl.toString());
        m_settings->setValue(NicknameKey, entry.nickname);
        m_settings->setValue(RoomKey, entry.room);
        m_settings->setValue(LastUsedKey, entry.lastUsed);
    }
    m_settings->endArray();
    m_settings->endGroup();
    m_settings->sync();
}

} // namespace Roomcast::Ui
