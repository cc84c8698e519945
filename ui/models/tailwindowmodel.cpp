#include "tailwindowmodel.h"

namespace Roomcast::Ui {

TailWindowModel::TailWindowModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

TailWindowModel::~TailWindowModel() = default;

void TailWindowModel::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    if (QAbstractItemModel *old = sourceModel())
        disconnect(old, nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(source);
    if (source) {
        using M = QAbstractItemModel;
        connect(source, &M::rowsAboutToBeInserted, this, &TailWindowModel::onRowsAboutToBeInserted);
        connect(source, &M::rowsInserted, this, &TailWindowModel::onRowsInserted);
        connect(source, &M::rowsAboutToBeRemoved, this, &TailWindowModel::onRowsAboutToBeRemoved);
        connect(source, &M::rowsRemoved, this, &TailWindowModel::onRowsRemoved);
        connect(source, &M::rowsAboutToBeMoved, this, &TailWindowModel::onRowsAboutToBeMoved);
        connect(source, &M::rowsMoved, this, &TailWindowModel::onRowsMoved);
        connect(source, &M::dataChanged, this, &TailWindowModel::onDataChanged);
        connect(source, &M::layoutAboutToBeChanged, this, &TailWindowModel::onLayoutAboutToBeChanged);
        connect(source, &M::layoutChanged, this, &TailWindowModel::onLayoutChanged);
        connect(source, &M::modelAboutToBeReset, this, &TailWindowModel::onModelAboutToBeReset);
        connect(source, &M::modelReset, this, &TailWindowModel::onModelReset);
    }
    m_first = std::max(0, sourceRows() - DefaultSize);
    m_pending = Pending::Nothing;
    endResetModel();
}

int TailWindowModel::showMore(int rows)
{
    const int added = std::min(rows, m_first);
    if (added <= 0)
        return 0;
    beginInsertRows({}, 0, added - 1);
    m_first -= added;
    endInsertRows();
    return added;
}

void TailWindowModel::shrink(int rows)
{
    const int excess = rowCount() - std::max(0, rows);
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_first += excess;
    endRemoveRows();
}

int TailWindowModel::firstSourceRow() const
{
    return m_first;
}

bool TailWindowModel::hasHiddenRows() const
{
    return m_first > 0;
}

int TailWindowModel::sourceRows() const
{
    return sourceModel() ? sourceModel()->rowCount() : 0;
}

QModelIndex TailWindowModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex TailWindowModel::parent(const QModelIndex &) const
{
    return {};
}

int TailWindowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : std::max(0, sourceRows() - m_first);
}

int TailWindowModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

QModelIndex TailWindowModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel())
        return {};
    return sourceModel()->index(proxyIndex.row() + m_first, proxyIndex.column());
}

QModelIndex TailWindowModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() < m_first)
        return {};
    return index(sourceIndex.row() - m_first, sourceIndex.column());
}

void TailWindowModel::onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    // Inside the window: after its first row, anywhere in a window that starts at the top, or
    // at the very end (new messages always show). Otherwise above it: hidden until showMore().
    const bool inside = first > m_first || m_first == 0 || first == sourceRows();
    if (inside) {
        m_pending = Pending::Insert;
        beginInsertRows({}, first - m_first, last - m_first);
    } else {
        m_pending = Pending::Nothing;
        m_pendingCount = last - first + 1;
    }
}

void TailWindowModel::onRowsInserted(const QModelIndex &parent, int, int)
{
    if (parent.isValid())
        return;
    if (m_pending == Pending::Insert)
        endInsertRows();
    else
        m_first += m_pendingCount;
    m_pending = Pending::Nothing;
    m_pendingCount = 0;
}

void TailWindowModel::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    m_pendingCount = std::max(0, std::min(last, m_first - 1) - first + 1); // rows above the window
    const int from = std::max(first, m_first);
    if (from <= last) {
        m_pending = Pending::Remove;
        beginRemoveRows({}, from - m_first, last - m_first);
    } else {
        m_pending = Pending::Nothing;
    }
}

void TailWindowModel::onRowsRemoved(const QModelIndex &parent, int, int)
{
    if (parent.isValid())
        return;
    m_first -= m_pendingCount;
    if (m_pending == Pending::Remove)
        endRemoveRows();
    m_pending = Pending::Nothing;
    m_pendingCount = 0;
}

void TailWindowModel::onRowsAboutToBeMoved(const QModelIndex &parent, int first, int last,
                                           const QModelIndex &destination, int row)
{
    if (parent.isValid() || destination.isValid())
        return;
    const int count = last - first + 1;
    const bool fromInside = first >= m_first;
    const bool fromAbove = last < m_first;
    const bool toInside = row > m_first || (row == m_first && fromInside);
    m_pendingCount = count;
    if (fromInside && toInside) {
        m_pending = Pending::Move;
        beginMoveRows({}, first - m_first, last - m_first, {}, row - m_first);
    } else if (fromInside) { // into the hidden part: they leave the window
        m_pending = Pending::Remove;
        beginRemoveRows({}, first - m_first, last - m_first);
    } else if (fromAbove && toInside) { // out of the hidden part: they enter it
        m_pending = Pending::Insert;
        beginInsertRows({}, row - m_first, row - m_first + count - 1);
    } else if (fromAbove) {
        m_pending = Pending::Nothing; // hidden to hidden
    } else {
        m_pending = Pending::Reset; // straddling the window's edge: start afresh
        beginResetModel();
    }
}

void TailWindowModel::onRowsMoved(const QModelIndex &parent, int, int, const QModelIndex &destination, int)
{
    if (parent.isValid() || destination.isValid())
        return;
    switch (m_pending) {
    case Pending::Move:
        endMoveRows();
        break;
    case Pending::Remove:
        m_first += m_pendingCount;
        endRemoveRows();
        break;
    case Pending::Insert:
        m_first -= m_pendingCount;
        endInsertRows();
        break;
    case Pending::Reset:
        m_first = std::max(0, sourceRows() - std::max(DefaultSize, sourceRows() - m_first));
        endResetModel();
        break;
    case Pending::Nothing:
        break;
    }
    m_pending = Pending::Nothing;
    m_pendingCount = 0;
}

void TailWindowModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                    const QList<int> &roles)
{
    if (topLeft.parent().isValid() || bottomRight.row() < m_first)
        return;
    const QModelIndex top = index(std::max(topLeft.row(), m_first) - m_first, topLeft.column());
    const QModelIndex bottom = index(bottomRight.row() - m_first, bottomRight.column());
    if (top.isValid() && bottom.isValid())
        Q_EMIT dataChanged(top, bottom, roles);
}

void TailWindowModel::onLayoutAboutToBeChanged()
{
    beginResetModel();
}

void TailWindowModel::onLayoutChanged()
{
    m_first = std::max(0, sourceRows() - DefaultSize);
    endResetModel();
}

void TailWindowModel::onModelAboutToBeReset()
{
    beginResetModel();
}

void TailWindowModel::onModelReset()
{
    m_first = std::max(0, sourceRows() - DefaultSize);
    endResetModel();
}

} // namespace Roomcast::Ui
