// InlineMessage: the line under a field of a dialog that says what is wrong with it (in the
// error colour), or what it holds (in the normal one). Hidden while there is nothing to say:
// dialogs report bad input here, next to the field, never in a message box.
#pragma once

#include <QLabel>

namespace Roomcast::Ui {

class InlineMessage : public QLabel
{
    Q_OBJECT

public:
    enum class Kind { None, Info, Error };
    Q_ENUM(Kind)

    explicit InlineMessage(QWidget *parent = nullptr);

    void showInfo(const QString &text);
    void showError(const QString &text);
    //! Hides the message.
    void clearMessage();

    Kind kind() const;
    bool isError() const { return kind() == Kind::Error; }

    //! The colour errors are written in: a red that reads on light and dark backgrounds.
    static QColor errorColor();

private:
    void show(Kind kind, const QString &text);

    Kind m_kind = Kind::None;
};

} // namespace Roomcast::Ui
