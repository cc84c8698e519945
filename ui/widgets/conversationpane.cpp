#include "conversationpane.h"

#include "ui/models/chatsession.h"
#include "ui/models/conversationfiltermodel.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/widgets/conversationdelegate.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QVBoxLayout>

namespace Roomcast::Ui {

ConversationPane::ConversationPane(ChatSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_proxy(new ConversationFilterModel(this))
    , m_filter(new QLineEdit(this))
    , m_list(new QListView(this))
{
    m_proxy->setSourceModel(session->conversations());

    m_filter->setObjectName(QStringLiteral("conversationFilter"));
    m_filter->setPlaceholderText(tr("Filter conversations"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &ConversationFilterModel::setFilterText);

    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new ConversationDelegate(m_list));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &ConversationPane::onCurrentChanged);
    connect(m_list, &QListView::customContextMenuRequested, this, &ConversationPane::showContextMenu);
    // a conversation that goes (a room we left) takes the selection with it
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ConversationPane::onCurrentChanged);

    auto *join = new QPushButton(tr("Join…"), this);
    join->setObjectName(QStringLiteral("joinRoomButton"));
    join->setToolTip(tr("Join a room, or create one"));
    connect(join, &QPushButton::clicked, this, &ConversationPane::joinRoomRequested);
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseRoomsButton"));
    browse->setToolTip(tr("The rooms on this server"));
    connect(browse, &QPushButton::clicked, this, &ConversationPane::browseRoomsRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(join);
    buttons->addWidget(browse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
}

QListView *ConversationPane::list() const
{
    return m_list;
}

QLineEdit *ConversationPane::filter() const
{
    return m_filter;
}

void ConversationPane::select(const ConversationId &conversation)
{
    const int row = m_session->conversations()->indexOf(conversation);
    if (row < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_session->conversations()->index(row, 0));
    if (!index.isValid()) {
        m_filter->clear();
        index = m_proxy->mapFromSource(m_session->conversations()->index(row, 0));
    }
    m_list->setCurrentIndex(index);
}

ConversationId ConversationPane::selected() const
{
    return m_list->currentIndex().data(ConversationListModel::ConversationIdRole).value<ConversationId>();
}

void ConversationPane::onCurrentChanged()
{
    Q_EMIT conversationSelected(selected());
}

void ConversationPane::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_list->indexAt(position);
    if (!index.isValid())
        return;
    const auto conversation = index.data(ConversationListModel::ConversationIdRole).value<ConversationId>();
    const bool muted = index.data(ConversationListModel::MutedRole).toBool();
    QMenu menu(this);
    menu.addAction(muted ? tr("Unmute") : tr("Mute"), this,
                   [this, conversation, muted] { Q_EMIT muteToggled(conversation, !muted); });
    if (conversation.kind == ConversationId::Kind::Room) {
        menu.addAction(tr("Leave #%1").arg(conversation.id), this,
                       [this, room = conversation.id] { m_session->leaveRoom(room); });
    } else {
        menu.addAction(tr("Close conversation"), this,
                       [this, conversation] { m_session->conversations()->remove(conversation); });
    }
    menu.exec(m_list->viewport()->mapToGlobal(position));
}

} // namespace Roomcast::Ui
