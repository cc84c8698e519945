// The Roomcast chat server on the Socket.IO server engine: token (JWT HS256) or open login,
// the nickname map, rooms, room messages and private messages by socket ID. It speaks the
// tutorial contract of DESIGN.md ("Chat events"); docs/chat-protocol.md has every event.
#pragma once

#include "socketio/server.h"

#include <QList>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>

namespace Roomcast::Server {

struct ChatServerOptions
{
    SocketIO::ServerOptions io;
    //! The HS256 key. Without one the server runs open: clients pick a nickname.
    QByteArray secret;
    //! Refuse tokens without an `exp` claim.
    bool requireExp = false;
    //! Where the history lives (SQLite). Empty: no history, messages are relayed only.
    QString dataDirectory;
    //! Messages a join delivers from the room's history.
    int historyOnJoin = 50;
    //! Flood control: a token bucket per socket over every event it sends. A socket over the
    //! limit is told (`rateLimited`), its events are refused, and after `disconnectAfter`
    //! refused events in a row it is disconnected.
    struct FloodControl
    {
        bool enabled = true; //!< off: every event is taken (roomcast-server --no-flood-limit)
        int burst = 20;
        double perSecond = 10;
        int disconnectAfter = 50;
    } flood;
    //! The nickname map and the room announcements (docs/chat-protocol.md): `welcome`,
    //! `userConnected`, `userDisconnected`, `nickname`, `userJoined`, `userLeft`, `roomUpdated`
    //! and the member list in `join`'s ack. Each costs a message to every socket (or member) per
    //! connect or join, so a server of N sockets sends N² of them while filling up. Off
    //! (roomcast-server --no-presence) the server speaks the tutorial contract alone, as the
    //! Node reference of bench/ does.
    bool presence = true;
    //! LAN discovery (docs/discovery.md): a beacon announcing this server while it listens.
    //! Off unless enabled: the app's host-a-room turns it on, roomcast-server with --announce.
    struct Announce
    {
        bool enabled = false;
        QString name; //!< shown in the app's "rooms on your network"; the host name when empty
        quint16 port = 0; //!< the UDP port announced to; 0: Chat::Discovery::DefaultPort
        QList<QHostAddress> targets; //!< empty: every interface's broadcast address and the group
        int intervalMs = 0;          //!< 0: Chat::Discovery::DefaultIntervalMs
    } announce;
};

class ChatServer : public QObject
{
    Q_OBJECT

public:
    explicit ChatServer(const ChatServerOptions &options = {}, QObject *parent = nullptr);
    ~ChatServer() override;

    //! Opens the history (if a data directory is set) and starts listening. Returns false,
    //! with errorString(), if either fails.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    //! Disconnects everyone ("server shutting down") and stops listening, at once: what is still
    //! queued for a client is dropped. closed() follows.
    void close();
    //! Closes gracefully: tells every client why (`serverShutdown`), refuses new logins, lets
    //! each connection send what it has queued and close, then close()s — when the last client
    //! is gone, or after @p graceMs at the latest. closed() follows.
    void shutDown(int graceMs = 2000);
    bool isShuttingDown() const;
    quint16 serverPort() const;
    QUrl serverUrl() const;
    QString errorString() const;
    bool isOpen() const; //!< whether it runs without a secret
    //! Whether the LAN beacon is announcing this server (see ChatServerOptions::announce).
    bool isAnnouncing() const;

    SocketIO::Server *io() const;
    //! The nickname of a connected socket (empty if none).
    QString nickname(const QString &socketId) const;
    //! The chat rooms that have members (private rooms excluded), sorted.
    QStringList rooms() const;

Q_SIGNALS:
    //! The server stopped listening and every client is gone (close(), or the end of shutDown()).
    void closed();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::Server
