// ConversationDelegate: one row of the conversation list — a room (#name) or a private
// conversation (@name), its topic or "left" state, muted, and a badge with its unread count.
#pragma once

#include <QStyledItemDelegate>

namespace Roomcast::Ui {

class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    //! The text of the unread badge: the count, or "99+".
    static QString badgeText(int unread);
};

} // namespace Roomcast::Ui
