// ConversationId: what the left pane lists and the middle pane shows — a room, a private
// conversation with one socket (the tutorial way, what double-clicking a member opens), or a
// private conversation with a logged-in user (what arrives while we were away, and its history).
#pragma once

#include <QDebug>
#include <QHashFunctions>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace Roomcast::Ui {

struct ConversationId
{
    Q_GADGET

public:
    enum class Kind {
        Room,   //!< id: the room's name
        Socket, //!< id: the peer's socket id
        User,   //!< id: the peer's user id (servers with logins)
    };
    Q_ENUM(Kind)

    Kind kind = Kind::Room;
    QString id;

    static ConversationId room(const QString &name) { return {Kind::Room, name}; }
    static ConversationId socket(const QString &socketId) { return {Kind::Socket, socketId}; }
    static ConversationId user(const QString &userId) { return {Kind::User, userId}; }

    bool isValid() const { return !id.isEmpty(); }
    bool isPrivate() const { return kind != Kind::Room; }

    //! A stable text form ("room:general", "socket:…", "user:…"), for settings and logs.
    QString key() const
    {
        switch (kind) {
        case Kind::Room:
            return QStringLiteral("room:") + id;
        case Kind::Socket:
            return QStringLiteral("socket:") + id;
        case Kind::User:
            return QStringLiteral("user:") + id;
        }
        return {};
    }
    //! The inverse of key(); an invalid id for anything else.
    static ConversationId fromKey(const QString &key)
    {
        const qsizetype colon = key.indexOf(QLatin1Char(':'));
        if (colon <= 0 || colon + 1 == key.size())
            return {};
        const QStringView prefix = QStringView(key).left(colon);
        const QString id = key.mid(colon + 1);
        if (prefix == QLatin1String("room"))
            return room(id);
        if (prefix == QLatin1String("socket"))
            return socket(id);
        if (prefix == QLatin1String("user"))
            return user(id);
        return {};
    }

    friend bool operator==(const ConversationId &, const ConversationId &) = default;
};

inline size_t qHash(const ConversationId &conversation, size_t seed = 0) noexcept
{
    return qHashMulti(seed, int(conversation.kind), conversation.id);
}

inline QDebug operator<<(QDebug debug, const ConversationId &conversation)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "ConversationId(" << conversation.key() << ')';
    return debug;
}

} // namespace Roomcast::Ui

Q_DECLARE_METATYPE(Roomcast::Ui::ConversationId)
