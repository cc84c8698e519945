#include "notifier.h"

#include "chat/chatclient.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/widgets/conversationdelegate.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSystemTrayIcon>
#include <QWidget>

namespace Roomcast::Ui {

namespace {
//! How much of a message a notification shows.
constexpr int MaxBodyLength = 200;
} // namespace

Notifier::Notifier(ConversationListModel *conversations, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_conversations(conversations)
    , m_window(window)
{
    connect(conversations, &ConversationListModel::attention, this, &Notifier::onAttention);
    connect(conversations, &ConversationListModel::unreadTotalChanged, this, &Notifier::updateIcon);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        m_menu = new QMenu;
        m_menu->addAction(tr("Show Roomcast"), this, [this] { Q_EMIT activated({}); });
        m_menu->addSeparator();
        m_menu->addAction(tr("Quit"), qApp, &QCoreApplication::quit);
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT activated({});
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { Q_EMIT activated(m_lastNotified); });
        m_tray->show();
    }
    updateIcon(conversations->unreadTotal());
}

Notifier::~Notifier()
{
    delete m_menu;
}

bool Notifier::hasTrayIcon() const
{
    return m_tray != nullptr;
}

QSystemTrayIcon *Notifier::trayIcon() const
{
    return m_tray;
}

QIcon Notifier::badgedIcon(const QIcon &base, int unread)
{
    if (unread <= 0)
        return base;
    QIcon icon;
    for (const int size : {16, 22, 32, 48, 64}) {
        QPixmap pixmap = base.pixmap(size, size);
        if (pixmap.isNull()) {
            pixmap = QPixmap(size, size);
            pixmap.fill(Qt::transparent);
        }
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const QString label = ConversationDelegate::badgeText(unread);
        const qreal diameter = size * 0.6;
        const QRectF badge(size - diameter, 0, diameter, diameter);
        QPainterPath circle;
        circle.addEllipse(badge);
        painter.fillPath(circle, QColor(0xd0, 0x1f, 0x2f));
        QFont font = QApplication::font();
        font.setBold(true);
        font.setPixelSize(std::max(6, int(diameter * (label.size() > 2 ? 0.42 : 0.6))));
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(badge, Qt::AlignCenter, label);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void Notifier::updateIcon(int unread)
{
    if (!m_tray)
        return;
    m_tray->setIcon(badgedIcon(QApplication::windowIcon(), unread));
    m_tray->setToolTip(unread > 0 ? tr("Roomcast: %n unread message(s)", nullptr, unread) : tr("Roomcast"));
}

void Notifier::onAttention(const ConversationId &conversation, const Chat::ChatMessage &message)
{
    // the model asks while the window is inactive too; a window in front needs no notification
    if (m_window && m_window->isActiveWindow() && m_conversations->current() == conversation)
        return;
    const QString title = conversation.kind == ConversationId::Kind::Room
                              ? tr("%1 in #%2").arg(message.senderName, conversation.id)
                              : tr("%1 (private)").arg(message.senderName);
    QString body = message.text;
    if (body.size() > MaxBodyLength)
        body = body.left(MaxBodyLength - 1) + QChar(0x2026);
    m_lastNotified = conversation;
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, body, QApplication::windowIcon(), 8000);
    else if (m_window)
        QApplication::alert(m_window);
    Q_EMIT notified(conversation, title, body);
}

} // namespace Roomcast::Ui
