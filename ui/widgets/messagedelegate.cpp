#include "messagedelegate.h"

#include "ui/models/messagemodel.h"

#include <QApplication>
#include <QLocale>
#include <QMouseEvent>

#include <cmath>
#include <QPainter>
#include <QTextLayout>

namespace Roomcast::Ui {

namespace {

constexpr int Margin = 8;        //!< left and right of everything
constexpr int GroupSpacing = 6;  //!< above the first message of a group
constexpr int LineSpacing = 2;   //!< between the parts of one message
//! Lines break between words; a word longer than the line (a link, a hash) breaks where it must.
constexpr auto WrapMode = QTextOption::WrapAtWordBoundaryOrAnywhere;
//! Cached heights kept at most; a longer conversation measures the rest again.
constexpr qsizetype MaxCachedHeights = 200000;

using State = MessageModel::DeliveryState;

QFont boldOf(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

QFont smallOf(const QFont &font)
{
    QFont small = font;
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.85);
    else
        small.setPixelSize(std::max(8, small.pixelSize() * 85 / 100));
    return small;
}

//! A colour per sender, readable on the view's base colour: the hue from the name's hash.
QColor senderColour(const QString &sender, const QPalette &palette)
{
    const int hue = int(qHash(sender) % 360);
    const bool darkBase = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(hue, 160, darkBase ? 170 : 90);
}

//! The locale's short time format without seconds (some locales' short format has them).
QString shortTimeFormat()
{
    static const QString format = [] {
        QString f = QLocale().timeFormat(QLocale::ShortFormat);
        f.remove(QLatin1String(":ss"));
        f.remove(QLatin1String(".ss"));
        return f;
    }();
    return format;
}

//! Lays @p text out in lines of @p width; returns the height it takes.
qreal layOut(QTextLayout &layout, int width)
{
    QTextOption option;
    option.setWrapMode(WrapMode);
    layout.setTextOption(option);
    qreal height = 0;
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
    }
    layout.endLayout();
    return height;
}

QString statusText(State state, const QString &error)
{
    switch (state) {
    case State::Pending:
        return MessageDelegate::tr("Sending…");
    case State::Sent:
        return MessageDelegate::tr("Sent");
    case State::Failed:
        return error.isEmpty() ? MessageDelegate::tr("Not sent.") : MessageDelegate::tr("Not sent: %1").arg(error);
    case State::Received:
        break;
    }
    return {};
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QString MessageDelegate::dayLabel(const QDate &day, const QDate &today)
{
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

void MessageDelegate::invalidate()
{
    m_textHeights.clear();
    m_cachedWidth = -1;
}

int MessageDelegate::textHeight(const QString &text, const QFont &font, int width) const
{
    if (width != m_cachedWidth || m_textHeights.size() > MaxCachedHeights) {
        m_textHeights.clear();
        m_cachedWidth = width;
    }
    const auto it = m_textHeights.constFind(text);
    if (it != m_textHeights.cend())
        return *it;
    QTextLayout layout(text, font);
    const int height = int(std::ceil(layOut(layout, width)));
    m_textHeights.insert(text, height);
    return height;
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Geometry g;
    const QRect area = option.rect;
    const int width = std::max(40, area.width() - 2 * Margin);
    const QFontMetrics metrics(option.font);
    const QFontMetrics small(smallOf(option.font));
    int y = area.top();

    if (index.data(MessageModel::DaySeparatorRole).toBool()) {
        g.separator = QRect(area.left() + Margin, y + GroupSpacing, width, small.height() + 2 * LineSpacing);
        y = g.separator.bottom() + 1;
    }
    if (index.data(MessageModel::FirstInGroupRole).toBool()) {
        y += GroupSpacing;
        g.header = QRect(area.left() + Margin, y, width, std::max(metrics.height(), small.height()));
        y = g.header.bottom() + 1 + LineSpacing;
    }
    // every row keeps a column on the right for the mark of a sent message, so texts line up
    const int tickWidth = metrics.horizontalAdvance(QStringLiteral("\u2713")) + Margin;
    const int textWidth = std::max(20, width - tickWidth);
    const int textHeightPx = textHeight(index.data(MessageModel::TextRole).toString(), option.font, textWidth);
    g.text = QRect(area.left() + Margin, y, textWidth, textHeightPx);
    g.tick = QRect(g.text.right() + 1, y, tickWidth, metrics.height());
    y = g.text.bottom() + 1;

    const auto state = index.data(MessageModel::StateRole).value<State>();
    if (state == State::Pending || state == State::Failed) {
        g.status = QRect(area.left() + Margin, y + LineSpacing, width, small.height());
        y = g.status.bottom() + 1;
    }
    g.height = y - area.top() + LineSpacing;
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    opt.rect.moveTopLeft({0, 0});
    return {option.rect.width(), geometry(opt, index).height};
}

QRect MessageDelegate::retryRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.data(MessageModel::StateRole).value<State>() != State::Failed)
        return {};
    const Geometry g = geometry(option, index);
    const QFontMetrics small(smallOf(option.font));
    const QString status = statusText(State::Failed, index.data(MessageModel::ErrorRole).toString());
    const int statusWidth = small.horizontalAdvance(status);
    const QString retry = tr("Retry");
    return QRect(g.status.left() + statusWidth + small.horizontalAdvance(QLatin1Char(' ')) * 2, g.status.top(),
                 small.horizontalAdvance(retry), g.status.height());
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Geometry g = geometry(option, index);
    const QPalette &palette = option.palette;
    const QFont small = smallOf(option.font);
    painter->save();

    const bool outgoing = index.data(MessageModel::OutgoingRole).toBool();
    QRect bubble = option.rect.adjusted(0, (g.separator.isEmpty() ? 0 : g.separator.height() + GroupSpacing), 0, 0);
    if (option.state & QStyle::State_Selected)
        painter->fillRect(bubble, palette.brush(QPalette::Highlight).color().lighter(170));
    else if (outgoing)
        painter->fillRect(bubble, palette.color(QPalette::AlternateBase));

    if (!g.separator.isEmpty()) {
        const QDate day = index.data(MessageModel::TimestampRole).toDateTime().date();
        const QString label = dayLabel(day, QDate::currentDate());
        painter->setFont(small);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        const int labelWidth = QFontMetrics(small).horizontalAdvance(label) + 2 * Margin;
        const QRect labelRect(g.separator.center().x() - labelWidth / 2, g.separator.top(), labelWidth,
                              g.separator.height());
        painter->drawText(labelRect, Qt::AlignCenter, label);
        const int lineY = g.separator.center().y();
        painter->drawLine(g.separator.left(), lineY, labelRect.left(), lineY);
        painter->drawLine(labelRect.right(), lineY, g.separator.right(), lineY);
    }

    if (!g.header.isEmpty()) {
        const QString sender = index.data(MessageModel::SenderNameRole).toString();
        const QString key = index.data(MessageModel::SenderUserIdRole).toString().isEmpty()
                                ? sender
                                : index.data(MessageModel::SenderUserIdRole).toString();
        const QFont bold = boldOf(option.font);
        painter->setFont(bold);
        painter->setPen(senderColour(key, palette));
        const QString name = QFontMetrics(bold).elidedText(sender, Qt::ElideRight, g.header.width() / 2);
        painter->drawText(g.header, Qt::AlignLeft | Qt::AlignVCenter, name);
        const int nameWidth = QFontMetrics(bold).horizontalAdvance(name);

        const QDateTime when = index.data(MessageModel::TimestampRole).toDateTime();
        QString meta = QLocale().toString(when.time(), shortTimeFormat());
        if (index.data(MessageModel::OfflineRole).toBool())
            meta = tr("%1 · sent while you were away").arg(meta);
        painter->setFont(small);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(g.header.adjusted(nameWidth + Margin, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, meta);
    }

    painter->setFont(option.font);
    painter->setPen(palette.color((option.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
    QTextLayout text(index.data(MessageModel::TextRole).toString(), option.font);
    layOut(text, g.text.width());
    text.draw(painter, g.text.topLeft());

    if (outgoing && index.data(MessageModel::StateRole).value<State>() == State::Sent) {
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(g.tick, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("\u2713"));
    }

    if (!g.status.isEmpty()) {
        const auto state = index.data(MessageModel::StateRole).value<State>();
        const QString status = statusText(state, index.data(MessageModel::ErrorRole).toString());
        painter->setFont(small);
        if (state == State::Failed) {
            painter->setPen(QColor(0xc0, 0x1c, 0x28));
            painter->drawText(g.status, Qt::AlignLeft | Qt::AlignVCenter, status);
            QFont link = small;
            link.setUnderline(true);
            painter->setFont(link);
            painter->setPen(palette.color(QPalette::Link));
            painter->drawText(retryRect(option, index), Qt::AlignLeft | Qt::AlignVCenter, tr("Retry"));
        } else {
            painter->setPen(palette.color(QPalette::PlaceholderText));
            painter->drawText(g.status, Qt::AlignLeft | Qt::AlignVCenter, status);
        }
    }
    painter->restore();
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                  const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton && retryRect(option, index).contains(mouse->position().toPoint())) {
            Q_EMIT retryRequested(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace Roomcast::Ui
