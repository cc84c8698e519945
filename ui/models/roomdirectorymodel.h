// RoomDirectoryModel: the server's room list as a ChatClient keeps it (ChatClient::rooms()),
// live: sorted by name as the client sorts it, with member counts, topics, and whether we are
// in each room.
//
// Every change is incremental, the client's roomsReset() included: the new list is merged into
// the rows (insertions, removals, dataChanged with the roles that changed), never a model reset.
#pragma once

#include "chat/chatclient.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>

namespace Roomcast::Ui {

class RoomDirectoryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Roles {
        MembersRole = Qt::UserRole + 1, //!< int
        TopicRole,                      //!< QString, empty when none
        JoinedRole,                     //!< bool: ChatClient::isJoined()
    };
    Q_ENUM(Roles)

    //! Follows @p client (which may be destroyed first: the rows go with it).
    explicit RoomDirectoryModel(Chat::ChatClient *client, QObject *parent = nullptr);
    ~RoomDirectoryModel() override;

    Chat::ChatClient *client() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    //! Qt::DisplayRole: the room's name.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The row of @p room, or -1.
    int indexOf(const QString &room) const;

private:
    struct Row
    {
        Chat::RoomInfo room;
        bool joined = false;
    };

    //! Merges the client's room list into the rows.
    void sync();
    void onJoinedChanged(const QString &room);
    void onClientDestroyed();

    QPointer<Chat::ChatClient> m_client;
    QList<Row> m_rows; // sorted by name, as ChatClient::rooms()
};

} // namespace Roomcast::Ui
