// roomcast-uibench: scenario 5 of bench/run.sh. Appends messages to a conversation's
// MessageModel, as a busy room would, then scrolls a QListView (offscreen) through all of
// them a page at a time, painting each page. Prints time and memory.
//
//   roomcast-uibench [--messages N]   (default 100000)
// prints `figure<TAB>label<TAB>value` lines.
#include "ui/models/messagemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QStyledItemDelegate>

#include <cstdio>

using namespace Roomcast;

namespace {

qint64 rssBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    return -1;
}

//! The default delegate, counting the rows it paints (so that a page "painted" is one that was).
class CountingDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        ++painted;
        QStyledItemDelegate::paint(painter, option, index);
    }
    mutable qint64 painted = 0;
};

void figure(const QByteArray &label, double value)
{
    std::printf("figure\t%s\t%.*f\n", label.constData(), value >= 100 ? 0 : 2, value);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    int count = 100000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--messages"));
    if (at >= 0 && at + 1 < args.size())
        count = args.at(at + 1).toInt();

    // Made before the clock starts: what arrives from the network, not the model's work.
    QList<Chat::ChatMessage> messages;
    messages.reserve(count);
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(1764614400000, Qt::UTC);
    for (int i = 0; i < count; ++i) {
        Chat::ChatMessage message;
        message.id = i + 1;
        message.room = QStringLiteral("general");
        message.fromSocket = QStringLiteral("socket-%1").arg(i % 50, 14, 10, QLatin1Char('0'));
        message.fromUser = QString::number(i % 50);
        message.senderName = QStringLiteral("User %1").arg(i % 50);
        message.text = QStringLiteral("Message %1: the quick brown fox jumps over the lazy dog").arg(i);
        message.timestamp = start.addSecs(i * 7);
        messages.append(message);
    }

    Ui::MessageModel model;
    const qint64 before = rssBytes();
    QElapsedTimer timer;
    timer.start();
    for (const Chat::ChatMessage &message : std::as_const(messages))
        model.append(message);
    const double appendMs = double(timer.nsecsElapsed()) / 1e6;
    const qint64 after = rssBytes();
    if (model.rowCount() != count) {
        std::fprintf(stderr, "uibench: the model holds %d of %d messages\n", model.rowCount(), count);
        return 1;
    }
    const QByteArray prefix = "UI model, " + QByteArray::number(count) + " messages: ";
    figure(prefix + "append (ms)", appendMs);
    figure(prefix + "append (messages/s)", count / (appendMs / 1000));
    figure(prefix + "model memory per message (bytes)", double(after - before) / count);

    QListView view;
    CountingDelegate delegate;
    view.setItemDelegate(&delegate);
    view.resize(800, 600);
    view.show();
    QCoreApplication::processEvents(); // mapped and exposed
    timer.restart();
    view.setModel(&model);
    view.doItemsLayout(); // every row once, as the view does on its first show
    view.viewport()->repaint();
    const double firstPaintMs = double(timer.nsecsElapsed()) / 1e6;
    QScrollBar *bar = view.verticalScrollBar();
    timer.restart();
    int pages = 0;
    for (int value = 0;; value += bar->pageStep()) {
        bar->setValue(value);
        view.viewport()->repaint();
        ++pages;
        if (value >= bar->maximum())
            break;
    }
    const double scrollMs = double(timer.nsecsElapsed()) / 1e6;
    // The last page shows the last message.
    const QRect lastRow = view.visualRect(model.index(count - 1, 0));
    if (!view.viewport()->rect().intersects(lastRow)) {
        std::fprintf(stderr, "uibench: scrolling ended before the last message (top row %d of %d)\n",
                     view.indexAt(QPoint(1, 1)).row(), count);
        return 1;
    }
    figure(prefix + "first paint of the view (ms)", firstPaintMs);
    figure(prefix + "scroll through, page by page (ms)", scrollMs);
    if (delegate.painted < qint64(count)) {
        std::fprintf(stderr, "uibench: only %lld rows were painted\n", (long long)delegate.painted);
        return 1;
    }
    figure(prefix + "pages painted", pages);
    figure(prefix + "rows painted", double(delegate.painted));
    figure(prefix + "process RSS after scrolling (MB)", double(rssBytes()) / 1048576.0);
    return 0;
}
