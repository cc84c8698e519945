#include "roombrowser.h"

#include "chat/chatclient.h"
#include "chat/protocol.h"
#include "ui/models/roomdirectorymodel.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace Roomcast::Ui {

namespace {

//! "#name · N members" over the topic.
class RoomDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return {200, 2 * option.fontMetrics.height() + 8};
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.widget->style()->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);
        const bool selected = option.state & QStyle::State_Selected;
        const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        const QColor faint = selected ? text : option.palette.color(QPalette::PlaceholderText);
        const QRect area = option.rect.adjusted(6, 4, -6, -4);
        const int line = option.fontMetrics.height();
        painter->save();
        QFont bold = option.font;
        bold.setBold(index.data(RoomDirectoryModel::JoinedRole).toBool());
        painter->setFont(bold);
        painter->setPen(text);
        const int members = index.data(RoomDirectoryModel::MembersRole).toInt();
        QString title = RoomBrowser::tr("#%1 · %n member(s)", nullptr, members).arg(index.data().toString());
        if (index.data(RoomDirectoryModel::JoinedRole).toBool())
            title = RoomBrowser::tr("%1 · joined").arg(title);
        painter->drawText(QRect(area.left(), area.top(), area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(bold).elidedText(title, Qt::ElideRight, area.width()));
        painter->setFont(option.font);
        painter->setPen(faint);
        const QString topic = index.data(RoomDirectoryModel::TopicRole).toString();
        painter->drawText(QRect(area.left(), area.top() + line, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                          option.fontMetrics.elidedText(topic, Qt::ElideRight, area.width()));
        painter->restore();
    }
};

} // namespace

RoomBrowser::RoomBrowser(Chat::ChatClient *client, QWidget *parent)
    : QDialog(parent)
    , m_rooms(new RoomDirectoryModel(client, this))
    , m_filtered(new QSortFilterProxyModel(this))
    , m_name(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Rooms on this server"));
    m_filtered->setSourceModel(m_rooms);
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_name->setObjectName(QStringLiteral("roomName"));
    m_name->setPlaceholderText(tr("Room name: pick one below, or type a new one to create it"));
    m_name->setMaxLength(Chat::Limits::MaxRoomNameLength);
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filtered->setFilterFixedString(text.trimmed());
        updateButtons();
    });

    m_list->setObjectName(QStringLiteral("roomList"));
    m_list->setModel(m_filtered);
    m_list->setItemDelegate(new RoomDelegate(m_list));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &RoomBrowser::updateButtons);
    connect(m_list, &QListView::activated, this, [this] {
        if (!chosenRoom().isEmpty())
            accept();
    });

    QPushButton *join = m_buttons->addButton(tr("Join"), QDialogButtonBox::AcceptRole);
    join->setObjectName(QStringLiteral("joinButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *empty = new QLabel(tr("No rooms yet: type a name to create the first."), this);
    empty->setObjectName(QStringLiteral("noRooms"));
    empty->setVisible(m_rooms->rowCount() == 0);
    const auto showEmpty = [this, empty] { empty->setVisible(m_rooms->rowCount() == 0); };
    connect(m_rooms, &QAbstractItemModel::rowsInserted, empty, showEmpty);
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, empty, showEmpty);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_name);
    layout->addWidget(m_list, 1);
    layout->addWidget(empty);
    layout->addWidget(m_buttons);
    resize(420, 480);
    client->refreshRooms();
    updateButtons();
}

QString RoomBrowser::chosenRoom() const
{
    const QModelIndex current = m_list->currentIndex();
    if (current.isValid() && m_list->selectionModel()->isSelected(current))
        return current.data().toString();
    return m_name->text().trimmed();
}

QLineEdit *RoomBrowser::nameEdit() const
{
    return m_name;
}

QListView *RoomBrowser::list() const
{
    return m_list;
}

void RoomBrowser::updateButtons()
{
    if (QPushButton *join = findChild<QPushButton *>(QStringLiteral("joinButton")))
        join->setEnabled(!chosenRoom().isEmpty());
}

} // namespace Roomcast::Ui
