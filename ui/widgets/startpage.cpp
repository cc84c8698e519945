#include "startpage.h"

#include "ui/models/discoveredserversmodel.h"
#include "ui/session/recentservers.h"

#include "chat/discovery.h"

#include <QCommandLinkButton>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace Roomcast::Ui {

namespace {

//! A LAN room as one line: its name, where it is, and whether it needs an invite.
class LanRoomDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->text = StartPage::lanRoomText(index);
    }
};

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    label->setFont(font);
    return label;
}

QLabel *placeholder(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setEnabled(false); // the disabled text colour: a hint, not content
    return label;
}

} // namespace

StartPage::StartPage(RecentServers *recent, Chat::Discovery::DiscoveryBrowser *browser, QWidget *parent)
    : QWidget(parent)
    , m_recent(recent)
    , m_browser(browser)
{
    Q_ASSERT(recent);
    if (!m_browser) {
        m_browser = new Chat::Discovery::DiscoveryBrowser(this);
        m_browser->start(); // a failure is shown in the placeholder
    }
    m_lanModel = new DiscoveredServersModel(m_browser, this);

    m_host = new QCommandLinkButton(tr("Ho&st a room"),
                                    tr("Run a chat room on this computer for the people on your network."), this);
    m_host->setObjectName(QStringLiteral("host"));
    m_join = new QCommandLinkButton(tr("&Join a room"),
                                    tr("Connect to a server by its address, an invite link or a token."), this);
    m_join->setObjectName(QStringLiteral("join"));

    m_lan = new QListView(this);
    m_lan->setObjectName(QStringLiteral("lanRooms"));
    m_lan->setModel(m_lanModel);
    m_lan->setItemDelegate(new LanRoomDelegate(m_lan));
    m_lan->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_lan->setUniformItemSizes(true);
    m_lanPlaceholder = placeholder({}, this);
    m_lanPlaceholder->setObjectName(QStringLiteral("lanPlaceholder"));

    m_recentView = new QListView(this);
    m_recentView->setObjectName(QStringLiteral("recentServers"));
    m_recentView->setModel(m_recent);
    m_recentView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recentView->setUniformItemSizes(true);
    m_recentPlaceholder = placeholder(tr("The servers you join are listed here."), this);
    m_recentPlaceholder->setObjectName(QStringLiteral("recentPlaceholder"));
    m_edit = new QPushButton(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editRecent"));
    m_edit->setToolTip(tr("Open the Join dialog with this server filled in."));
    m_forget = new QPushButton(tr("&Forget"), this);
    m_forget->setObjectName(QStringLiteral("forgetRecent"));

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_host);
    actions->addWidget(m_join);

    auto *lanColumn = new QVBoxLayout;
    lanColumn->addWidget(heading(tr("Rooms on your network"), this));
    lanColumn->addWidget(m_lan, 1);
    lanColumn->addWidget(m_lanPlaceholder, 1);

    auto *recentButtons = new QHBoxLayout;
    recentButtons->addStretch();
    recentButtons->addWidget(m_edit);
    recentButtons->addWidget(m_forget);
    auto *recentColumn = new QVBoxLayout;
    recentColumn->addWidget(heading(tr("Recent servers"), this));
    recentColumn->addWidget(m_recentView, 1);
    recentColumn->addWidget(m_recentPlaceholder, 1);
    recentColumn->addLayout(recentButtons);

    auto *lists = new QHBoxLayout;
    lists->addLayout(lanColumn, 1);
    lists->addLayout(recentColumn, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addSpacing(12);
    layout->addLayout(lists, 1);

    connect(m_host, &QCommandLinkButton::clicked, this, &StartPage::hostRequested);
    connect(m_join, &QCommandLinkButton::clicked, this, [this] { Q_EMIT joinRequested(QUrl()); });
    connect(m_lan, &QListView::activated, this, &StartPage::activateLan);
    connect(m_recentView, &QListView::activated, this, &StartPage::activateRecent);
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_recentView->currentIndex();
        if (current.isValid())
            Q_EMIT joinRequested(current.data(RecentServers::UrlRole).toUrl());
    });
    connect(m_forget, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_recentView->currentIndex();
        if (current.isValid())
            m_recent->remove(current.data(RecentServers::UrlRole).toUrl());
    });
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_lanModel),
                                      static_cast<QAbstractItemModel *>(m_recent)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &StartPage::updatePlaceholders);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &StartPage::updatePlaceholders);
        connect(model, &QAbstractItemModel::modelReset, this, &StartPage::updatePlaceholders);
    }
    connect(m_browser, &Chat::Discovery::DiscoveryBrowser::errorOccurred, this, &StartPage::updatePlaceholders);
    connect(m_recentView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &StartPage::updateRecentButtons);
    connect(m_recent, &QAbstractItemModel::rowsRemoved, this, &StartPage::updateRecentButtons);
    updatePlaceholders();
    updateRecentButtons();
}

StartPage::~StartPage() = default;

QString StartPage::lanRoomText(const QModelIndex &index)
{
    const QString name = index.data().toString();
    const QString host = index.data(DiscoveredServersModel::HostRole).toString();
    const QString where = (host.contains(u':') ? u'[' + host + u']' : host) + u':'
                          + QString::number(index.data(DiscoveredServersModel::PortRole).toInt());
    //: A room heard on the LAN: "Ann's room — 192.168.1.20:3000"
    return index.data(DiscoveredServersModel::TokenRequiredRole).toBool() ? tr("%1 — %2 (invite only)").arg(name, where)
                                                                          : tr("%1 — %2").arg(name, where);
}

Chat::Discovery::DiscoveryBrowser *StartPage::browser() const
{
    return m_browser;
}

DiscoveredServersModel *StartPage::discoveredServers() const
{
    return m_lanModel;
}

RecentServers *StartPage::recentServers() const
{
    return m_recent;
}

void StartPage::updatePlaceholders()
{
    const bool lanEmpty = m_lanModel->rowCount() == 0;
    if (!m_browser->isActive() && m_browser->error() != Chat::Discovery::DiscoveryBrowser::Error::NoError)
        m_lanPlaceholder->setText(tr("Rooms on your network cannot be found: %1").arg(m_browser->errorString()));
    else
        m_lanPlaceholder->setText(tr("No room heard on your network yet. Rooms hosted with Roomcast on this "
                                     "network show up here by themselves."));
    m_lan->setVisible(!lanEmpty);
    m_lanPlaceholder->setVisible(lanEmpty);

    const bool recentEmpty = m_recent->rowCount() == 0;
    m_recentView->setVisible(!recentEmpty);
    m_recentPlaceholder->setVisible(recentEmpty);
    updateRecentButtons();
}

void StartPage::updateRecentButtons()
{
    const bool selected = m_recentView->currentIndex().isValid() && m_recent->rowCount() > 0;
    m_edit->setEnabled(selected);
    m_forget->setEnabled(selected);
    m_edit->setVisible(m_recent->rowCount() > 0);
    m_forget->setVisible(m_recent->rowCount() > 0);
}

void StartPage::activateLan(const QModelIndex &index)
{
    if (index.isValid())
        Q_EMIT joinRequested(index.data(DiscoveredServersModel::UrlRole).toUrl());
}

void StartPage::activateRecent(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Q_EMIT recentChosen(index.data(RecentServers::UrlRole).toUrl(), index.data(RecentServers::NicknameRole).toString(),
                        index.data(RecentServers::RoomRole).toString());
}

} // namespace Roomcast::Ui
