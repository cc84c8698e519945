// RecentServers: the servers this user joined lately, newest first, for the start page — kept
// in QSettings (group "recent") and shown through this list model.
//
// An entry is the server's origin (scheme://host:port, nothing else of the URL: no path, no
// query, no user info, so never a token), the nickname last used there and the room last
// joined. At most MaxEntries are kept; joining a server again moves it to the top. Tokens live
// in the keychain (TokenStore), never here.
//
// Settings layout, under the QSettings given (the application's by default):
//
//     [recent]
//     servers/size=2
//     servers/1/url=http://192.168.1.20:3000
//     servers/1/nickname=Ann
//     servers/1/room=general
//     servers/1/lastUsed=2026-12-01T20:06:23Z
//     servers/2/…
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

class QSettings;

namespace Roomcast::Ui {

struct RecentServer
{
    QUrl serverUrl;     //!< http(s)://host:port
    QString nickname;   //!< may be empty
    QString room;       //!< may be empty
    QDateTime lastUsed; //!< UTC

    friend bool operator==(const RecentServer &, const RecentServer &) = default;
};

class RecentServers : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Roles {
        UrlRole = Qt::UserRole + 1, //!< QUrl
        NicknameRole,               //!< QString
        RoomRole,                   //!< QString
        LastUsedRole,               //!< QDateTime, UTC
    };
    Q_ENUM(Roles)

    static constexpr int MaxEntries = 10;

    //! Reads the list from the application's QSettings.
    explicit RecentServers(QObject *parent = nullptr);
    //! Reads the list from @p settings (which must outlive this object) and writes back there.
    explicit RecentServers(QSettings *settings, QObject *parent = nullptr);
    ~RecentServers() override;

    //! scheme://host:port of @p url (the scheme and host lower-cased, the port explicit), or an
    //! empty URL when it is not an http(s) URL with a host.
    static QUrl origin(const QUrl &url);

    //! Records a join: @p serverUrl's entry goes to the top with @p nickname and @p room
    //! (an empty one keeps what the entry had); the oldest beyond MaxEntries drop out. Saved at
    //! once. Returns false, changing nothing, when @p serverUrl is not an http(s) server.
    bool add(const QUrl &serverUrl, const QString &nickname, const QString &room = {});
    //! Forgets @p serverUrl's entry. Returns whether there was one.
    bool remove(const QUrl &serverUrl);
    void clear();

    QList<RecentServer> entries() const;
    RecentServer entryAt(int row) const; //!< an empty entry for a row out of range
    int indexOf(const QUrl &serverUrl) const; //!< -1 if not listed

    int rowCount(const QModelIndex &parent = {}) const override;
    //! Qt::DisplayRole: "host:port" (and the room); Qt::ToolTipRole: the URL, nickname, room
    //! and when it was last used.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void load();
    void save() const;

    QSettings *m_settings = nullptr; //!< owned when made by the default constructor
    bool m_ownsSettings = false;
    QList<RecentServer> m_entries;
};

} // namespace Roomcast::Ui
