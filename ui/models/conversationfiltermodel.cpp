#include "conversationfiltermodel.h"

#include "ui/models/conversationlistmodel.h"

namespace Roomcast::Ui {

ConversationFilterModel::ConversationFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterRole(Qt::DisplayRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
    sort(0);
}

void ConversationFilterModel::setFilterText(const QString &text)
{
    setFilterFixedString(text.trimmed());
}

bool ConversationFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const bool leftRoom =
        left.data(ConversationListModel::KindRole).value<ConversationId::Kind>() == ConversationId::Kind::Room;
    const bool rightRoom =
        right.data(ConversationListModel::KindRole).value<ConversationId::Kind>() == ConversationId::Kind::Room;
    if (leftRoom != rightRoom)
        return leftRoom;
    const QString a = left.data(Qt::DisplayRole).toString();
    const QString b = right.data(Qt::DisplayRole).toString();
    if (const int order = a.compare(b, Qt::CaseInsensitive))
        return order < 0;
    if (const int exact = a.compare(b))
        return exact < 0;
    // two conversations of the same name (a room and a user, two Alices): by key, never by arrival
    return left.data(ConversationListModel::ConversationIdRole).value<ConversationId>().key()
           < right.data(ConversationListModel::ConversationIdRole).value<ConversationId>().key();
}

} // namespace Roomcast::Ui
