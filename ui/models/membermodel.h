// MemberModel: who is in one room of a ChatClient, live. Rows keep the order members arrived
// in (the server's order for those already there); SortedMemberModel on top is what a window
// shows: sorted by nickname, case-insensitively, re-sorted at once on a rename.
//
// Every change is incremental: a join inserts a row, a leave or a disconnection removes one, a
// rename is a dataChanged on Qt::DisplayRole. Only setRoom() resets the model.
#pragma once

#include "chat/chatclient.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QSortFilterProxyModel>

namespace Roomcast::Ui {

class MemberModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString room READ room WRITE setRoom NOTIFY roomChanged)

public:
    enum Roles {
        SocketIdRole = Qt::UserRole + 1, //!< QString
        IsSelfRole,                      //!< bool: our own socket
    };
    Q_ENUM(Roles)

    //! Follows @p client (which may be destroyed first: the rows go with it).
    explicit MemberModel(Chat::ChatClient *client, QObject *parent = nullptr);
    ~MemberModel() override;

    Chat::ChatClient *client() const;
    QString room() const;
    //! Shows @p room's members (none until the client has joined it).
    void setRoom(const QString &room);

    int rowCount(const QModelIndex &parent = {}) const override;
    //! Qt::DisplayRole: the nickname, from the client's nickname map.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The row of the member with socket id @p socketId, or -1.
    int indexOf(const QString &socketId) const;

Q_SIGNALS:
    void roomChanged(const QString &room);

private:
    struct Row
    {
        QString socketId;
        QString nickname;
    };

    //! Brings the rows in line with the client's member list and nickname map, row by row.
    void sync();
    void removeRow(int row);
    void onJoinedOrLeft(const QString &room);
    void onMemberJoined(const QString &room, const Chat::Member &member);
    void onMemberLeft(const QString &room, const QString &socketId);
    void onNicknameChanged(const QString &socketId, const QString &nickname);
    void onUserDisconnected(const QString &socketId);
    void onClientDestroyed();

    QPointer<Chat::ChatClient> m_client;
    QString m_room;
    QString m_selfId;
    QList<Row> m_rows;
};

//! MemberModel as a window shows it: sorted by nickname, case-insensitively (ties by the exact
//! nickname, then the socket id, so the order never depends on arrival), re-sorted as names change.
class SortedMemberModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit SortedMemberModel(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace Roomcast::Ui
