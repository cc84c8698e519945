// FormGrid: the layout of the dialogs' forms — a label and its field on one row, and under the
// field what belongs to it (its InlineMessage, a check box), each on a row of its own in the
// field column. A QGridLayout rather than a QFormLayout, whose rows do not grow with a
// word-wrapped message.
#pragma once

#include <QGridLayout>
#include <QList>

class QWidget;

namespace Roomcast::Ui {

class FormGrid : public QGridLayout
{
public:
    FormGrid();

    //! Adds @p text (with its mnemonic, the buddy being @p field) and @p field, then @p below
    //! under the field.
    void addField(const QString &text, QWidget *field, const QList<QWidget *> &below = {});
};

} // namespace Roomcast::Ui
