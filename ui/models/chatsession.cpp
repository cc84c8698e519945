#include "chatsession.h"

#include "ui/models/conversationlistmodel.h"
#include "ui/models/messagemodel.h"

namespace Roomcast::Ui {

using Chat::ChatClient;
using Chat::ChatMessage;
using Chat::Reply;

namespace {

//! Messages asked for by fetchOlder(): the server's default page.
constexpr int PageSize = 50;

} // namespace

ChatSession::ChatSession(ChatClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_conversations(new ConversationListModel(this))
{
    qRegisterMetaType<ConversationId>();
    m_conversations->setOwnNickname(client->nickname());

    connect(client, &ChatClient::joined, this, [this](const QString &room) {
        const ConversationId conversation = ConversationId::room(room);
        m_conversations->add(conversation);
        m_conversations->setTopic(conversation, m_client->room(room).topic);
    });
    connect(client, &ChatClient::left, this, [this](const QString &room) {
        m_fetching.remove(ConversationId::room(room));
        m_conversations->remove(ConversationId::room(room));
    });
    connect(client, &ChatClient::roomUpdated, this, [this](const Chat::RoomInfo &room) {
        m_conversations->setTopic(ConversationId::room(room.name), room.topic);
    });
    connect(client, &ChatClient::roomsReset, this, [this] {
        for (int row = 0; row < m_conversations->rowCount(); ++row) {
            const ConversationId conversation = m_conversations->conversationAt(row);
            if (conversation.kind == ConversationId::Kind::Room)
                m_conversations->setTopic(conversation, m_client->room(conversation.id).topic);
        }
    });
    connect(client, &ChatClient::messageReceived, this, &ChatSession::onMessageReceived);
    connect(client, &ChatClient::privateMessageReceived, this, &ChatSession::onPrivateMessageReceived);
    connect(client, &ChatClient::historyReceived, this,
            [this](const QString &room, const QList<ChatMessage> &page, bool hasMore) {
                onHistory(ConversationId::room(room), page, hasMore);
            });
    connect(client, &ChatClient::privateHistoryReceived, this,
            [this](const QString &withUser, const QList<ChatMessage> &page, bool hasMore) {
                onHistory(ConversationId::user(withUser), page, hasMore);
            });
    connect(client, &ChatClient::nicknamesReset, this, &ChatSession::onNicknamesReset);
    connect(client, &ChatClient::nicknameChanged, this, [this](const QString &socketId, const QString &name) {
        if (socketId == m_client->socketId())
            m_conversations->setOwnNickname(name);
        m_conversations->setTitle(ConversationId::socket(socketId), name);
    });
    connect(client, &ChatClient::userDisconnected, this, [this](const QString &socketId) {
        m_conversations->setPeerGone(ConversationId::socket(socketId), true);
    });
}

ChatSession::~ChatSession() = default;

ChatClient *ChatSession::client() const
{
    return m_client;
}

ConversationListModel *ChatSession::conversations() const
{
    return m_conversations;
}

MessageModel *ChatSession::messages(const ConversationId &conversation)
{
    if (MessageModel *model = m_messages.value(conversation))
        return model;
    auto *model = new MessageModel(conversation.kind == ConversationId::Kind::Room ? MessageModel::Ordering::ById
                                                                                   : MessageModel::Ordering::ByTime,
                                   this);
    if (conversation.kind == ConversationId::Kind::Socket)
        model->setHasMoreHistory(false); // the server keeps no history of a socket
    m_messages.insert(conversation, model);
    Q_EMIT messageModelCreated(conversation, model);
    return model;
}

MessageModel *ChatSession::existingMessages(const ConversationId &conversation) const
{
    return m_messages.value(conversation);
}

qint64 ChatSession::send(const ConversationId &conversation, const QString &text)
{
    if (!conversation.isValid())
        return 0;
    if (conversation.kind == ConversationId::Kind::Socket)
        openPrivate(conversation.id);
    else if (conversation.kind == ConversationId::Kind::User)
        openUser(conversation.id);
    MessageModel *model = messages(conversation);
    const qint64 localId = model->addPending(text, m_client->nickname(), m_client->socketId(), m_client->userId());
    m_conversations->setLastActivity(conversation, QDateTime::currentDateTimeUtc());
    dispatch(conversation, localId, text);
    return localId;
}

bool ChatSession::retry(const ConversationId &conversation, int row)
{
    MessageModel *model = existingMessages(conversation);
    if (!model || model->stateAt(row) != MessageModel::DeliveryState::Failed)
        return false;
    const qint64 localId = model->localIdAt(row);
    const QString text = model->pendingText(localId);
    if (!model->markPending(localId))
        return false;
    dispatch(conversation, localId, text);
    return true;
}

void ChatSession::dispatch(const ConversationId &conversation, qint64 localId, const QString &text)
{
    // The model is looked up again when the answer comes: the session owns it, the callback
    // only runs while the session lives (it is the context).
    auto done = [this, conversation, localId](const Reply &reply) {
        MessageModel *model = existingMessages(conversation);
        if (!model)
            return;
        if (!reply.ok) {
            model->markFailed(localId, reply.error);
            return;
        }
        const qint64 id = reply.data.value(QStringLiteral("messageId"), -1).toLongLong();
        const QVariant timestamp = reply.data.value(QStringLiteral("timestamp"));
        model->markSent(localId, id,
                        timestamp.isValid() ? QDateTime::fromMSecsSinceEpoch(timestamp.toLongLong(), Qt::UTC)
                                            : QDateTime());
    };
    switch (conversation.kind) {
    case ConversationId::Kind::Room:
        m_client->sendMessage(conversation.id, text, this, done);
        break;
    case ConversationId::Kind::Socket:
        m_client->sendPrivateMessage(conversation.id, text, this, done);
        break;
    case ConversationId::Kind::User:
        m_client->sendPrivateMessageToUser(conversation.id, text, this, done);
        break;
    }
}

ConversationId ChatSession::openPrivate(const QString &socketId)
{
    const ConversationId conversation = ConversationId::socket(socketId);
    const QHash<QString, QString> nicknames = m_client->nicknames();
    m_conversations->add(conversation, nicknames.value(socketId));
    m_conversations->setTitle(conversation, nicknames.value(socketId));
    m_conversations->setPeerGone(conversation, !nicknames.contains(socketId));
    messages(conversation);
    return conversation;
}

ConversationId ChatSession::openUser(const QString &userId, const QString &name)
{
    const ConversationId conversation = ConversationId::user(userId);
    m_conversations->add(conversation, name);
    m_conversations->setTitle(conversation, name);
    messages(conversation);
    return conversation;
}

bool ChatSession::fetchOlder(const ConversationId &conversation)
{
    if (m_fetching.contains(conversation))
        return false;
    if (conversation.kind == ConversationId::Kind::Socket || !conversation.isValid())
        return false;
    if (conversation.kind == ConversationId::Kind::Room && !m_client->isJoined(conversation.id))
        return false;
    MessageModel *model = messages(conversation);
    if (!model->hasMoreHistory())
        return false;
    m_fetching.insert(conversation);
    // the page itself arrives as historyReceived / privateHistoryReceived, before this
    auto done = [this, conversation](const Reply &reply) {
        m_fetching.remove(conversation);
        if (!reply.ok)
            Q_EMIT errorOccurred(conversation, tr("Could not load older messages: %1")
                                                   .arg(ChatClient::translatedError(reply.error)));
    };
    if (conversation.kind == ConversationId::Kind::Room)
        m_client->fetchHistory(conversation.id, model->oldestId(), PageSize, this, done);
    else
        m_client->fetchPrivateHistory(conversation.id, model->oldestId(), PageSize, this, done);
    return true;
}

bool ChatSession::isFetching(const ConversationId &conversation) const
{
    return m_fetching.contains(conversation);
}

void ChatSession::joinRoom(const QString &room)
{
    m_client->joinRoom(room, this, [this, room](const Reply &reply) {
        if (!reply.ok)
            Q_EMIT errorOccurred(ConversationId::room(room), tr("Could not join %1: %2")
                                                                 .arg(room, ChatClient::translatedError(reply.error)));
    });
}

void ChatSession::leaveRoom(const QString &room)
{
    m_client->leaveRoom(room, this, [this, room](const Reply &reply) {
        if (!reply.ok)
            Q_EMIT errorOccurred(ConversationId::room(room), tr("Could not leave %1: %2")
                                                                 .arg(room, ChatClient::translatedError(reply.error)));
    });
}

void ChatSession::onMessageReceived(const ChatMessage &message)
{
    if (message.outgoing)
        return; // ours entered through send(), and were marked Sent by the ack
    const ConversationId conversation = ConversationId::room(message.room);
    if (messages(conversation)->append(message))
        m_conversations->recordMessage(conversation, message);
}

void ChatSession::onPrivateMessageReceived(const ChatMessage &message)
{
    if (message.outgoing)
        return;
    ConversationId conversation;
    if (!message.fromSocket.isEmpty())
        conversation = ConversationId::socket(message.fromSocket);
    else if (!message.fromUser.isEmpty())
        conversation = ConversationId::user(message.fromUser);
    else
        return;
    m_conversations->add(conversation, message.senderName);
    m_conversations->setTitle(conversation, message.senderName);
    if (conversation.kind == ConversationId::Kind::Socket)
        m_conversations->setPeerGone(conversation, false);
    if (messages(conversation)->append(message))
        m_conversations->recordMessage(conversation, message);
}

void ChatSession::onHistory(const ConversationId &conversation, QList<ChatMessage> page, bool hasMore)
{
    if (conversation.kind == ConversationId::Kind::User) {
        QString name;
        for (const ChatMessage &message : std::as_const(page))
            if (message.fromUser == conversation.id)
                name = message.senderName;
        openUser(conversation.id, name);
    }
    const QDateTime newest = page.isEmpty() ? QDateTime() : page.constLast().timestamp;
    messages(conversation)->prependHistory(ours(std::move(page)), hasMore);
    m_conversations->setLastActivity(conversation, newest);
}

void ChatSession::onNicknamesReset()
{
    // A welcome: the whole map is new. Peers that left while we were away are gone.
    m_conversations->setOwnNickname(m_client->nickname());
    const QHash<QString, QString> nicknames = m_client->nicknames();
    for (int row = 0; row < m_conversations->rowCount(); ++row) {
        const ConversationId conversation = m_conversations->conversationAt(row);
        if (conversation.kind != ConversationId::Kind::Socket)
            continue;
        const auto it = nicknames.constFind(conversation.id);
        m_conversations->setPeerGone(conversation, it == nicknames.cend());
        if (it != nicknames.cend())
            m_conversations->setTitle(conversation, *it);
    }
}

QList<ChatMessage> ChatSession::ours(QList<ChatMessage> page) const
{
    const QString socketId = m_client->socketId();
    const QString userId = m_client->userId();
    for (ChatMessage &message : page) {
        if (message.outgoing)
            continue;
        message.outgoing = (!socketId.isEmpty() && message.fromSocket == socketId)
                           || (!userId.isEmpty() && message.fromUser == userId);
    }
    return page;
}

} // namespace Roomcast::Ui
