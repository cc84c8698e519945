#include "conversationview.h"

#include "ui/models/chatsession.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/models/messagemodel.h"
#include "ui/models/tailwindowmodel.h"
#include "ui/widgets/composer.h"
#include "ui/widgets/messagedelegate.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Roomcast::Ui {

using Chat::ChatClient;

namespace {
//! Rows the list shows more of at a time when the user scrolls up past what it shows.
constexpr int ShowMoreRows = 500;
} // namespace

ConversationView::ConversationView(ChatSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_window(new TailWindowModel(this))
    , m_title(new QLabel(this))
    , m_topic(new QLabel(this))
    , m_topicButton(new QToolButton(this))
    , m_notice(new QLabel(this))
    , m_list(new QListView(this))
    , m_delegate(new MessageDelegate(this))
    , m_composer(new Composer(this))
{
    m_title->setObjectName(QStringLiteral("conversationTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_topic->setObjectName(QStringLiteral("conversationTopic"));
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setWordWrap(true);
    m_topic->setForegroundRole(QPalette::PlaceholderText);
    m_topicButton->setObjectName(QStringLiteral("topicButton"));
    m_topicButton->setText(tr("Topic…"));
    m_topicButton->setToolTip(tr("Set the room's topic"));
    m_topicButton->setAutoRaise(true);
    connect(m_topicButton, &QToolButton::clicked, this, &ConversationView::editTopic);
    m_notice->setObjectName(QStringLiteral("conversationNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();

    m_list->setObjectName(QStringLiteral("messageList"));
    m_list->setItemDelegate(m_delegate);
    m_list->setModel(m_window);
    connect(m_window, &QAbstractItemModel::rowsAboutToBeInserted, this, &ConversationView::onRowsAboutToBeInserted);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setResizeMode(QListView::Adjust);
    // lay out a long conversation in batches, so that opening it never freezes the window
    m_list->setLayoutMode(QListView::Batched);
    m_list->setBatchSize(500);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setFrameShape(QFrame::NoFrame);
    connect(m_list, &QListView::customContextMenuRequested, this, &ConversationView::showContextMenu);
    connect(m_list->verticalScrollBar(), &QScrollBar::rangeChanged, this, &ConversationView::onRangeChanged);
    connect(m_list->verticalScrollBar(), &QScrollBar::valueChanged, this, &ConversationView::onScrolled);
    connect(m_delegate, &MessageDelegate::retryRequested, this, [this](const QModelIndex &index) {
        m_session->retry(m_conversation, m_window->mapToSource(index).row());
    });

    m_composer->setObjectName(QStringLiteral("composer"));
    connect(m_composer, &Composer::submitted, this, &ConversationView::onSubmitted);

    auto *header = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(m_title);
    titles->addWidget(m_topic);
    header->addLayout(titles, 1);
    header->addWidget(m_topicButton, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_notice);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_composer);

    ChatClient *client = m_session->client();
    ConversationListModel *conversations = m_session->conversations();
    connect(conversations, &QAbstractItemModel::dataChanged, this,
            [this, conversations](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int row = conversations->indexOf(m_conversation);
                if (row >= topLeft.row() && row <= bottomRight.row()) {
                    updateHeader();
                    updateComposer();
                }
            });
    connect(client, &ChatClient::stateChanged, this, &ConversationView::updateComposer);
    connect(client, &ChatClient::joined, this, [this](const QString &room) {
        if (m_conversation == ConversationId::room(room))
            updateComposer();
    });
    connect(client, &ChatClient::left, this, [this](const QString &room) {
        if (m_conversation == ConversationId::room(room))
            updateComposer();
    });
    setConversation({});
}

ConversationView::~ConversationView() = default;

QListView *ConversationView::messageList() const
{
    return m_list;
}

Composer *ConversationView::composer() const
{
    return m_composer;
}

ConversationId ConversationView::conversation() const
{
    return m_conversation;
}

void ConversationView::setConversation(const ConversationId &conversation)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_conversation = conversation;
    m_model = conversation.isValid() ? m_session->messages(conversation) : nullptr;
    m_window->setSourceModel(m_model);
    if (m_model)
        connect(m_model, &MessageModel::hasMoreHistoryChanged, this, &ConversationView::maybeFetchOlder);
    m_anchor = Anchor::Bottom;
    m_list->scrollToBottom();
    updateHeader();
    updateComposer();
    if (conversation.isValid())
        m_composer->setFocus();
    maybeFetchOlder();
}

bool ConversationView::isAtBottom() const
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void ConversationView::updateHeader()
{
    ConversationListModel *conversations = m_session->conversations();
    const int row = conversations->indexOf(m_conversation);
    const QModelIndex index = conversations->index(row, 0);
    const bool isRoom = m_conversation.isValid() && m_conversation.kind == ConversationId::Kind::Room;
    if (!m_conversation.isValid()) {
        m_title->setText(tr("No conversation"));
    } else if (isRoom) {
        m_title->setText(tr("#%1").arg(m_conversation.id));
    } else {
        const QString name = row >= 0 ? index.data(Qt::DisplayRole).toString() : m_conversation.id;
        m_title->setText(tr("Private conversation with %1").arg(name));
    }
    const QString topic = row >= 0 ? index.data(ConversationListModel::TopicRole).toString() : QString();
    m_topic->setText(topic);
    m_topic->setVisible(!topic.isEmpty());
    m_topicButton->setVisible(isRoom && m_session->client()->isJoined(m_conversation.id));
}

void ConversationView::updateComposer()
{
    ChatClient *client = m_session->client();
    QString notice;
    bool canSend = m_conversation.isValid();
    if (m_conversation.kind == ConversationId::Kind::Socket && m_conversation.isValid()) {
        const int row = m_session->conversations()->indexOf(m_conversation);
        const QModelIndex index = m_session->conversations()->index(row, 0);
        if (row >= 0 && index.data(ConversationListModel::PeerGoneRole).toBool()) {
            notice = tr("%1 has left the server: new messages cannot reach them.")
                         .arg(index.data(Qt::DisplayRole).toString());
            canSend = false;
        }
    } else if (m_conversation.kind == ConversationId::Kind::Room && m_conversation.isValid()
               && !client->isJoined(m_conversation.id) && client->state() == ChatClient::State::Connected) {
        notice = tr("You are not in this room.");
        canSend = false;
    }
    if (canSend && client->state() == ChatClient::State::Reconnecting)
        notice = tr("Offline: what you send now goes out when the connection is back.");
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
    m_composer->setEnabled(canSend && client->state() != ChatClient::State::Disconnected);
    updateHeader();
}

void ConversationView::onSubmitted(const QString &text)
{
    if (!m_conversation.isValid())
        return;
    m_anchor = Anchor::Bottom; // one's own message brings the view down to it
    m_session->send(m_conversation, text);
    m_list->scrollToBottom();
}

void ConversationView::onRowsAboutToBeInserted(const QModelIndex &, int first, int)
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum();
    if (first == 0 && m_window->rowCount() > 0) {
        // a page of history above: keep what the user sees where it is
        m_anchor = atBottom ? Anchor::Bottom : Anchor::DistanceToBottom;
        m_distanceToBottom = bar->maximum() - bar->value();
    } else {
        m_anchor = atBottom ? Anchor::Bottom : Anchor::Value;
    }
}

void ConversationView::onRangeChanged(int, int max)
{
    QScrollBar *bar = m_list->verticalScrollBar();
    m_adjusting = true;
    switch (m_anchor) {
    case Anchor::Bottom:
        bar->setValue(max);
        break;
    case Anchor::DistanceToBottom:
        bar->setValue(max - m_distanceToBottom);
        break;
    case Anchor::Value:
        break;
    }
    m_adjusting = false;
    maybeFetchOlder();
}

void ConversationView::onScrolled(int value)
{
    if (m_adjusting)
        return;
    const QScrollBar *bar = m_list->verticalScrollBar();
    // the user scrolled: follow the newest message only if they went down to it
    if (value >= bar->maximum()) {
        m_anchor = Anchor::Bottom;
        // back at the newest messages after a long scroll up: show a bounded number again
        if (m_window->rowCount() > 2 * TailWindowModel::DefaultSize)
            m_window->shrink(TailWindowModel::DefaultSize);
    } else {
        m_anchor = Anchor::DistanceToBottom;
        m_distanceToBottom = bar->maximum() - value;
    }
    if (value <= bar->minimum())
        maybeFetchOlder();
}

void ConversationView::maybeFetchOlder()
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    // at the top, or everything fits and there may be more above
    if (!m_model || bar->value() > bar->minimum())
        return;
    // what the model holds already first, then the server's older pages
    if (m_window->showMore(ShowMoreRows) > 0)
        return;
    if (m_model->hasMoreHistory() && !m_session->isFetching(m_conversation))
        m_session->fetchOlder(m_conversation);
}

void ConversationView::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_list->indexAt(position);
    if (!index.isValid())
        return;
    QMenu menu(this);
    menu.addAction(tr("Copy text"), this, [this] {
        QStringList texts;
        QModelIndexList selected = m_list->selectionModel()->selectedIndexes();
        std::sort(selected.begin(), selected.end());
        for (const QModelIndex &row : std::as_const(selected))
            texts.append(row.data(MessageModel::TextRole).toString());
        QApplication::clipboard()->setText(texts.join(QLatin1Char('\n')));
    });
    if (index.data(MessageModel::StateRole).value<MessageModel::DeliveryState>() == MessageModel::DeliveryState::Failed)
        menu.addAction(tr("Retry sending"), this,
                       [this, row = m_window->mapToSource(index).row()] { m_session->retry(m_conversation, row); });
    const QString sender = index.data(MessageModel::SenderIdRole).toString();
    if (!index.data(MessageModel::OutgoingRole).toBool() && !sender.isEmpty()
        && m_session->client()->nicknames().contains(sender)) {
        menu.addAction(tr("Message %1 privately").arg(index.data(MessageModel::SenderNameRole).toString()), this,
                       [this, sender] { Q_EMIT privateConversationRequested(sender); });
    }
    if (!m_list->selectionModel()->isSelected(index))
        m_list->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
    menu.exec(m_list->viewport()->mapToGlobal(position));
}

void ConversationView::editTopic()
{
    if (m_conversation.kind != ConversationId::Kind::Room)
        return;
    const QString room = m_conversation.id;
    bool ok = false;
    const QString topic = QInputDialog::getText(this, tr("Room topic"), tr("Topic of #%1:").arg(room), QLineEdit::Normal,
                                                m_session->client()->room(room).topic, &ok);
    if (!ok)
        return;
    m_session->client()->setTopic(room, topic, this, [this, room](const Chat::Reply &reply) {
        if (!reply.ok && m_conversation == ConversationId::room(room)) {
            m_notice->setText(tr("Could not set the topic: %1").arg(ChatClient::translatedError(reply.error)));
            m_notice->show();
        }
    });
}

void ConversationView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_delegate->invalidate();
    QWidget::changeEvent(event);
}

} // namespace Roomcast::Ui
