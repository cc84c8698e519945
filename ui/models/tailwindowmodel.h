// TailWindowModel: the newest rows of a list model — a window [first, end) over its source that
// always reaches the source's last row. A conversation view shows its messages through it, so
// that however many messages a conversation holds (100,000 after a long scroll back), the view
// lays out and re-lays out a bounded number of rows; scrolling up widens the window.
//
// Rows inserted at or after the window's first row are shown; rows inserted above it (a page of
// history merged into a conversation whose older rows are not shown) are not, until showMore()
// reaches them. Moves, removals and data changes are passed on as far as they touch the window.
#pragma once

#include <QAbstractProxyModel>

namespace Roomcast::Ui {

class TailWindowModel : public QAbstractProxyModel
{
    Q_OBJECT

public:
    //! How many rows the window shows at first, and after shrink().
    static constexpr int DefaultSize = 1000;

    explicit TailWindowModel(QObject *parent = nullptr);
    ~TailWindowModel() override;

    void setSourceModel(QAbstractItemModel *source) override;

    //! Widens the window by up to @p rows above it; returns how many rows it added.
    int showMore(int rows);
    //! Narrows the window to its last @p rows (the rows above leave the model).
    void shrink(int rows = DefaultSize);
    //! The source row the window starts at.
    int firstSourceRow() const;
    //! Whether rows of the source lie above the window.
    bool hasHiddenRows() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

private:
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeMoved(const QModelIndex &parent, int first, int last, const QModelIndex &destination,
                              int row);
    void onRowsMoved(const QModelIndex &parent, int first, int last, const QModelIndex &destination, int row);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onLayoutAboutToBeChanged();
    void onLayoutChanged();
    void onModelAboutToBeReset();
    void onModelReset();

    int sourceRows() const;

    //! What a source change did to the window, between its "about to" and its "done" signals.
    enum class Pending { Nothing, Insert, Remove, Move, Reset };

    int m_first = 0;
    Pending m_pending = Pending::Nothing;
    int m_pendingCount = 0; //!< source rows that went in or out above the window, or were moved
};

} // namespace Roomcast::Ui
