// The Roomcast chat contract shared by the server and the clients: event names and limits.
// The tutorial events (join, leave, message, sendMsgTo, privateMsg, setNickname) are fixed by
// DESIGN.md; docs/chat-protocol.md documents every event, its arguments, ack and errors.
#pragma once

#include <QString>

namespace Roomcast::Chat::Events {

// client → server
inline const QString Join = QStringLiteral("join");
inline const QString Leave = QStringLiteral("leave");
inline const QString Message = QStringLiteral("message");
inline const QString SendMsgTo = QStringLiteral("sendMsgTo");
inline const QString SetNickname = QStringLiteral("setNickname");
inline const QString History = QStringLiteral("history"); //!< {roomName, beforeId, limit}: older messages
inline const QString Rooms = QStringLiteral("rooms");     //!< the room list, in the ack
inline const QString SetTopic = QStringLiteral("setTopic"); //!< {roomName, topic}: a member sets the room's topic
inline const QString PrivateHistory = QStringLiteral("privateHistory"); //!< {withUser, beforeId, limit}: a conversation

// server → client
inline const QString Welcome = QStringLiteral("welcome");   //!< {id, name, nicknames: {socketId: name}}
inline const QString PrivateMsg = QStringLiteral("privateMsg");
inline const QString Nickname = QStringLiteral("nickname"); //!< {id, name}: someone renamed
inline const QString UserConnected = QStringLiteral("userConnected");       //!< {id, name}: a new entry in the map
inline const QString UserDisconnected = QStringLiteral("userDisconnected"); //!< {id, name}: an entry leaves the map
inline const QString UserJoined = QStringLiteral("userJoined");
inline const QString UserLeft = QStringLiteral("userLeft");
inline const QString RoomUpdated = QStringLiteral("roomUpdated"); //!< {name, members, topic}: 0 members, the room is gone
inline const QString RateLimited = QStringLiteral("rateLimited"); //!< {retryAfterMs}: slow down
//! {reason: "server shutting down"}: sent to everyone just before the server closes
inline const QString ServerShutdown = QStringLiteral("serverShutdown");

} // namespace Roomcast::Chat::Events

namespace Roomcast::Chat::Limits {

inline constexpr int MaxNicknameLength = 32;
inline constexpr int MaxRoomNameLength = 64;
inline constexpr int MaxMessageLength = 4000;
inline constexpr int MaxTopicLength = 200;
//! A message's `clientMessageId`: the sender's own id for it, so that sending it again (after
//! a lost ack) never stores or relays it twice.
inline constexpr int MaxClientMessageIdLength = 64;
inline constexpr int MaxRoomsPerSocket = 50;
inline constexpr int MaxRooms = 1000;

} // namespace Roomcast::Chat::Limits
