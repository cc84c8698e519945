// ChatClient: the non-visual client session of the Roomcast chat protocol (docs/chat-protocol.md)
// over one Socket.IO connection. The UI's models and dialogs drive it; it keeps what a chat
// window shows — the nickname map, the room list, the rooms joined and their members — exact
// through every event, and rejoins its rooms after a reconnection.
#pragma once

#include "socketio/client.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

#include <functional>
#include <memory>

namespace Roomcast::Chat {

//! A room or private message, as received, sent, or read from the history.
struct ChatMessage
{
    qint64 id = -1;       //!< the server's message id (room messages and stored private ones)
    QString room;         //!< empty for a private message
    QString fromSocket;   //!< the sender's socket id; empty for a message kept while we were away
    QString fromUser;     //!< the sender's user id, on a server with logins
    QString toSocket;     //!< private messages we sent by socket id
    QString toUser;       //!< private messages to a user id
    QString senderName;
    QString text;
    QDateTime timestamp;  //!< UTC, the server's
    //! The sender's own id for a room message (ours for what we sent): the same message has
    //! the same id, even when it had to be sent twice.
    QString clientMessageId;
    bool outgoing = false; //!< sent by this client
    bool offline = false;  //!< kept by the server while we were away

    bool isPrivate() const { return room.isEmpty(); }
};

struct RoomInfo
{
    QString name;
    int members = 0;
    QString topic;

    friend bool operator==(const RoomInfo &, const RoomInfo &) = default;
};

struct Member
{
    QString id; //!< socket id
    QString name;

    friend bool operator==(const Member &, const Member &) = default;
};

//! The outcome of a request: the server's ack, or why there was none.
struct Reply
{
    bool ok = false;
    //! The server's error ("not a member", …, see docs/chat-protocol.md) or one of ours:
    //! "timed out", "not connected". English and stable; show translatedError(error).
    QString error;
    QVariantMap data; //!< the whole ack object
};

class ChatClient : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Disconnected,
        Connecting,   //!< the first connection, until the server's welcome
        Connected,    //!< logged in: the welcome arrived
        Reconnecting, //!< the connection dropped; retrying with back-off
    };
    Q_ENUM(State)

    struct Options
    {
        SocketIO::ManagerOptions manager;
        int ackTimeoutMs = 10000; //!< how long a request waits for its ack
    };

    using Callback = std::function<void(const Reply &reply)>;

    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    Options options() const;
    void setOptions(const Options &options); //!< for the next connectToServer()

    //! Connects to a chat server: with @p token on a server with logins, with @p nickname on an
    //! open one (either may be empty). Any previous session is closed first.
    void connectToServer(const QUrl &url, const QString &token, const QString &nickname = {});
    //! Leaves the server; no reconnection.
    void disconnectFromServer();
    //! While Reconnecting: tries now instead of waiting out the back-off delay.
    void retryNow();

    State state() const;
    QUrl url() const;
    //! Why the last connection failed or ended, in English as the server or engine said it.
    QString errorString() const;

    QString socketId() const; //!< ours, while connected
    QString nickname() const;
    QString userId() const; //!< the token's `id`, on a server with logins
    //! Socket id → nickname, for everyone connected to the server.
    QHash<QString, QString> nicknames() const;

    //! The server's rooms, sorted by name, kept live.
    QList<RoomInfo> rooms() const;
    RoomInfo room(const QString &name) const;
    //! The rooms we are in, in the order we joined them.
    QStringList joinedRooms() const;
    bool isJoined(const QString &room) const;
    QList<Member> members(const QString &room) const;

    //! Requests; each @p callback runs once on this thread, unless @p context is destroyed first
    //! or the client is (what is in flight then is dropped, not answered).
    //! Made while the connection is being restored (Reconnecting), they wait and go out once
    //! our rooms are joined again, one at a time and in order (one the server refuses as
    //! "rate limited" waits and goes again); made while Disconnected, they fail with
    //! "not connected".
    //! A room message whose ack is lost because the connection dropped is sent again once it
    //! is restored, under the same client message id: it is stored and relayed once, and its
    //! callback runs once, with the server's one ack.
    void joinRoom(const QString &room, QObject *context = nullptr, Callback callback = {});
    void leaveRoom(const QString &room, QObject *context = nullptr, Callback callback = {});
    void sendMessage(const QString &room, const QString &text, QObject *context = nullptr, Callback callback = {});
    void sendPrivateMessage(const QString &toSocket, const QString &text, QObject *context = nullptr,
                            Callback callback = {});
    void sendPrivateMessageToUser(const QString &toUser, const QString &text, QObject *context = nullptr,
                                  Callback callback = {});
    void setNickname(const QString &nickname, QObject *context = nullptr, Callback callback = {});
    void setTopic(const QString &room, const QString &topic, QObject *context = nullptr, Callback callback = {});
    //! Asks for the messages of @p room older than @p beforeId; they arrive as historyReceived().
    void fetchHistory(const QString &room, qint64 beforeId, int limit = 50, QObject *context = nullptr,
                      Callback callback = {});
    //! Asks for the conversation with user @p withUser; it arrives as privateHistoryReceived().
    void fetchPrivateHistory(const QString &withUser, qint64 beforeId = -1, int limit = 50,
                             QObject *context = nullptr, Callback callback = {});
    void refreshRooms(QObject *context = nullptr, Callback callback = {});

    //! @p error (a Reply's or errorString()) in the user's language.
    static QString translatedError(const QString &error);

Q_SIGNALS:
    void stateChanged(Roomcast::Chat::ChatClient::State state);
    //! The server welcomed us (after every connection, reconnections included).
    void loggedIn();
    //! The server refused us (a CONNECT_ERROR: "token expired", …), or the first connection could
    //! not be made. No reconnection follows.
    void loginFailed(const QString &reason);
    //! The session ended or dropped; reconnecting() follows when it will be retried.
    void disconnected(const QString &reason);
    void reconnecting(int attempt, int delayMs);

    void nicknamesReset(); //!< the whole map is new (after a welcome)
    void userConnected(const QString &socketId, const QString &name);
    void userDisconnected(const QString &socketId, const QString &name);
    void nicknameChanged(const QString &socketId, const QString &name);

    void roomsReset(); //!< the whole room list is new
    void roomUpdated(const Roomcast::Chat::RoomInfo &room);
    void roomRemoved(const QString &name);

    void joined(const QString &room); //!< members(room) is complete
    void left(const QString &room);
    void memberJoined(const QString &room, const Roomcast::Chat::Member &member);
    void memberLeft(const QString &room, const QString &socketId);

    //! A room message: someone else's as it arrives, ours once the server acknowledged it.
    void messageReceived(const Roomcast::Chat::ChatMessage &message);
    //! A page of a room's history, oldest first; pages may overlap what was already shown
    //! (after a rejoin): messages are identified by their id.
    void historyReceived(const QString &room, const QList<Roomcast::Chat::ChatMessage> &messages, bool hasMore);
    //! A private message: to us as it arrives, or ours once acknowledged.
    void privateMessageReceived(const Roomcast::Chat::ChatMessage &message);
    void privateHistoryReceived(const QString &withUser, const QList<Roomcast::Chat::ChatMessage> &messages,
                                bool hasMore);
    //! We sent too fast: requests are refused for about @p retryAfterMs.
    void rateLimited(int retryAfterMs);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Roomcast::Chat

Q_DECLARE_METATYPE(Roomcast::Chat::ChatMessage)
Q_DECLARE_METATYPE(Roomcast::Chat::RoomInfo)
Q_DECLARE_METATYPE(Roomcast::Chat::Member)
