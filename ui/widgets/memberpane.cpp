#include "memberpane.h"

#include "ui/models/membermodel.h"

#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace Roomcast::Ui {

MemberPane::MemberPane(Chat::ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_members(new MemberModel(client, this))
    , m_sorted(new SortedMemberModel(this))
    , m_heading(new QLabel(this))
    , m_list(new QListView(this))
{
    m_sorted->setSourceModel(m_members);
    m_heading->setObjectName(QStringLiteral("memberHeading"));
    m_list->setObjectName(QStringLiteral("memberList"));
    m_list->setModel(m_sorted);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setToolTip(tr("Double-click someone to talk privately"));
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) {
        if (!index.data(MemberModel::IsSelfRole).toBool())
            Q_EMIT privateConversationRequested(index.data(MemberModel::SocketIdRole).toString());
    });
    connect(m_members, &QAbstractItemModel::rowsInserted, this, &MemberPane::updateCount);
    connect(m_members, &QAbstractItemModel::rowsRemoved, this, &MemberPane::updateCount);
    connect(m_members, &QAbstractItemModel::modelReset, this, &MemberPane::updateCount);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addWidget(m_list, 1);
    updateCount();
}

void MemberPane::setRoom(const QString &room)
{
    m_members->setRoom(room);
    updateCount();
}

QListView *MemberPane::list() const
{
    return m_list;
}

MemberModel *MemberPane::model() const
{
    return m_members;
}

void MemberPane::updateCount()
{
    m_heading->setText(m_members->room().isEmpty() ? tr("Members")
                                                   : tr("Members (%n)", nullptr, m_members->rowCount()));
}

} // namespace Roomcast::Ui
