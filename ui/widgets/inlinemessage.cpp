#include "inlinemessage.h"

#include <QDialog>

namespace Roomcast::Ui {

InlineMessage::InlineMessage(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    QLabel::setVisible(false);
}

void InlineMessage::showInfo(const QString &text)
{
    show(Kind::Info, text);
}

void InlineMessage::showError(const QString &text)
{
    show(Kind::Error, text);
}

void InlineMessage::clearMessage()
{
    show(Kind::None, {});
}

InlineMessage::Kind InlineMessage::kind() const
{
    return m_kind;
}

QColor InlineMessage::errorColor()
{
    return QColor(0xd0, 0x20, 0x2c);
}

void InlineMessage::show(Kind kind, const QString &text)
{
    m_kind = text.isEmpty() ? Kind::None : kind;
    // Only the text colour is set (the rest is inherited); a default palette inherits it all.
    QPalette palette;
    if (m_kind == Kind::Error)
        palette.setColor(QPalette::WindowText, errorColor());
    setPalette(palette);
    setText(text);
    setVisible(m_kind != Kind::None);

    // A dialog's layout grows with a longer message, but the window keeps its height (its
    // minimum size ignores the height a word-wrapped label needs for its width): grow it.
    if (auto *dialog = qobject_cast<QDialog *>(window()); dialog && dialog->isVisible()) {
        QMetaObject::invokeMethod(dialog, [dialog] {
            const int needed = dialog->heightForWidth(dialog->width());
            if (needed > dialog->height())
                dialog->resize(dialog->width(), needed);
        }, Qt::QueuedConnection);
    }
}

} // namespace Roomcast::Ui
