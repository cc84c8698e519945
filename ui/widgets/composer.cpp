#include "composer.h"

#include <QKeyEvent>
#include <QScrollBar>
#include <QTextBlock>

namespace Roomcast::Ui {

namespace {
//! The composer grows with its text up to this many lines, then scrolls.
constexpr int MaxVisibleLines = 6;
} // namespace

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setPlaceholderText(tr("Write a message…"));
    setToolTip(tr("Enter sends; Shift+Enter starts a new line"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(document(), &QTextDocument::contentsChanged, this, &Composer::fitContents);
    fitContents();
}

QSize Composer::sizeHint() const
{
    return {QPlainTextEdit::sizeHint().width(), height()};
}

QSize Composer::minimumSizeHint() const
{
    return {QPlainTextEdit::minimumSizeHint().width(), heightForLines(1)};
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText().trimmed();
        if (!text.isEmpty()) {
            clear();
            Q_EMIT submitted(text);
        }
        event->accept();
        return;
    }
    if (enter) {
        // Shift+Enter: a new paragraph, not the line separator QPlainTextEdit would insert.
        insertPlainText(QStringLiteral("\n"));
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

int Composer::heightForLines(int lines) const
{
    const QMargins margins = contentsMargins();
    return lines * fontMetrics().lineSpacing() + int(2 * document()->documentMargin()) + margins.top()
           + margins.bottom() + 2 * frameWidth();
}

void Composer::fitContents()
{
    int lines = 0;
    for (QTextBlock block = document()->firstBlock(); block.isValid(); block = block.next())
        lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
    setFixedHeight(heightForLines(std::clamp(lines, 1, MaxVisibleLines)));
}

} // namespace Roomcast::Ui
