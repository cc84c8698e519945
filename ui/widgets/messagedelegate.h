// MessageDelegate: paints one message of a MessageModel — a day separator above the first
// message of a day, the sender's name and the time above the first message of a group, the text
// wrapped to the view's width, and for our own messages whether they are pending, sent, or
// failed (with a Retry link).
//
// Heights are cached per text at the current width, so a conversation of 100,000 messages
// lays out once and scrolls without measuring again.
#pragma once

#include <QHash>
#include <QStyledItemDelegate>

namespace Roomcast::Ui {

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    //! Where the Retry link of a failed message at @p index is drawn within @p rect (empty if none).
    QRect retryRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    //! Forgets the measured heights (after a font change).
    void invalidate();

    //! The text shown in a day separator for @p day: Today, Yesterday, or the date.
    static QString dayLabel(const QDate &day, const QDate &today);

Q_SIGNALS:
    //! The user clicked the Retry link of the failed message at @p index.
    void retryRequested(const QModelIndex &index);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    struct Geometry
    {
        QRect separator; //!< the day separator, or empty
        QRect header;    //!< name and time, or empty (a continuation of the group)
        QRect text;
        QRect status;    //!< our message's state line, or empty
        QRect tick;      //!< right of the text's first line: the mark of a sent message
        int height = 0;
    };
    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int textHeight(const QString &text, const QFont &font, int width) const;

    mutable int m_cachedWidth = -1;
    mutable QHash<QString, int> m_textHeights; // at m_cachedWidth
};

} // namespace Roomcast::Ui
