#include "conversationdelegate.h"

#include "ui/models/conversationlistmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace Roomcast::Ui {

namespace {
constexpr int Padding = 6;
constexpr int MaxBadgeCount = 99;
} // namespace

QString ConversationDelegate::badgeText(int unread)
{
    return unread > MaxBadgeCount ? tr("%1+").arg(MaxBadgeCount) : QString::number(unread);
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics metrics(option.font);
    return {metrics.averageCharWidth() * 16, 2 * metrics.height() + 3 * Padding / 2};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor faint = selected ? text : palette.color(QPalette::PlaceholderText);

    const auto kind = index.data(ConversationListModel::KindRole).value<ConversationId::Kind>();
    const int unread = index.data(ConversationListModel::UnreadRole).toInt();
    const bool muted = index.data(ConversationListModel::MutedRole).toBool();
    const bool gone = index.data(ConversationListModel::PeerGoneRole).toBool();
    const QString name = index.data(Qt::DisplayRole).toString();

    QRect area = option.rect.adjusted(Padding, Padding / 2, -Padding, -Padding / 2);
    // the badge first: the name gets what is left
    if (unread > 0) {
        QFont badgeFont = option.font;
        badgeFont.setBold(true);
        const QFontMetrics badgeMetrics(badgeFont);
        const QString label = badgeText(unread);
        const int height = badgeMetrics.height();
        const int width = std::max(height, badgeMetrics.horizontalAdvance(label) + height / 2);
        const QRect badge(area.right() - width + 1, area.top() + (area.height() - height) / 2, width, height);
        QPainterPath pill;
        pill.addRoundedRect(QRectF(badge), height / 2.0, height / 2.0);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->fillPath(pill, muted ? palette.color(QPalette::Mid) : palette.color(QPalette::Highlight));
        painter->setFont(badgeFont);
        painter->setPen(palette.color(QPalette::HighlightedText));
        painter->drawText(badge, Qt::AlignCenter, label);
        area.setRight(badge.left() - Padding);
    }

    const QFontMetrics metrics(option.font);
    const QRect top(area.left(), area.top(), area.width(), metrics.height());
    const QRect bottom(area.left(), top.bottom() + 1, area.width(), metrics.height());

    QFont nameFont = option.font;
    nameFont.setBold(unread > 0 && !muted);
    nameFont.setItalic(gone);
    painter->setFont(nameFont);
    painter->setPen(gone ? faint : text);
    const QString prefix = kind == ConversationId::Kind::Room ? QStringLiteral("# ") : QStringLiteral("@ ");
    painter->drawText(top, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(nameFont).elidedText(prefix + name, Qt::ElideRight, top.width()));

    QString detail;
    if (gone)
        detail = tr("left the server");
    else if (kind == ConversationId::Kind::Room)
        detail = index.data(ConversationListModel::TopicRole).toString();
    else
        detail = tr("private");
    if (muted)
        detail = detail.isEmpty() ? tr("muted") : tr("muted · %1").arg(detail);
    painter->setFont(option.font);
    painter->setPen(faint);
    painter->drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(detail, Qt::ElideRight, bottom.width()));
    painter->restore();
}

} // namespace Roomcast::Ui
