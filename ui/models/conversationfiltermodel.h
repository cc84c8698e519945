// ConversationFilterModel: the conversation list as the left pane shows it — rooms first, then
// private conversations, each by name (case-insensitively), filtered by the text in the pane's
// filter box (a case-insensitive substring of the name).
#pragma once

#include <QSortFilterProxyModel>

namespace Roomcast::Ui {

class ConversationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ConversationFilterModel(QObject *parent = nullptr);

    //! Shows only the conversations whose name contains @p text (all when empty).
    void setFilterText(const QString &text);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace Roomcast::Ui
