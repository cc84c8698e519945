#include "formgrid.h"

#include <QLabel>

namespace Roomcast::Ui {

FormGrid::FormGrid()
{
    setColumnStretch(1, 1);
}

void FormGrid::addField(const QString &text, QWidget *field, const QList<QWidget *> &below)
{
    int row = rowCount();
    if (row == 1 && !itemAtPosition(0, 0) && !itemAtPosition(0, 1))
        row = 0; // a new QGridLayout counts one empty row
    auto *label = new QLabel(text, field->parentWidget());
    label->setBuddy(field);
    addWidget(label, row, 0, Qt::AlignRight | Qt::AlignVCenter);
    addWidget(field, row, 1);
    for (QWidget *widget : below)
        addWidget(widget, ++row, 1);
}

} // namespace Roomcast::Ui
