// Composer: where the user types a message. Enter sends, Shift+Enter starts a new line; the
// text is trimmed, and an empty one is not sent.
#pragma once

#include <QPlainTextEdit>

namespace Roomcast::Ui {

class Composer : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    //! The user pressed Enter on a text that is not blank; the composer is empty again.
    void submitted(const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    //! The height of @p lines lines of text, frame and margins included.
    int heightForLines(int lines) const;
    void fitContents();
};

} // namespace Roomcast::Ui
