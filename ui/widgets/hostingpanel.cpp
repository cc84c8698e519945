#include "hostingpanel.h"

#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/widgets/inlinemessage.h"

#include "chat/jwt.h"

#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace Roomcast::Ui {

namespace {

QString displayed(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                               : address.toString();
}

} // namespace

HostingPanel::HostingPanel(HostController *host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_status(new QLabel(this))
    , m_access(new QLabel(this))
    , m_addresses(new QComboBox(this))
    , m_invite(new QLineEdit(this))
    , m_inviteNote(new QLabel(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
    , m_newLink(new QPushButton(tr("&New link"), this))
    , m_stop(new QPushButton(tr("&Stop hosting"), this))
    , m_secretNote(new InlineMessage(this))
    , m_copied(new QLabel(this))
    , m_copiedTimer(new QTimer(this))
{
    Q_ASSERT(host);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    m_access->setObjectName(QStringLiteral("access"));
    m_access->setWordWrap(true);
    m_addresses->setObjectName(QStringLiteral("addresses"));
    m_addresses->setToolTip(tr("The address of this computer the link points to. Pick the one of the network "
                               "the others are on."));
    m_invite->setObjectName(QStringLiteral("invite"));
    m_invite->setReadOnly(true);
    m_inviteNote->setObjectName(QStringLiteral("inviteNote"));
    m_inviteNote->setWordWrap(true);
    m_copy->setObjectName(QStringLiteral("copy"));
    m_newLink->setObjectName(QStringLiteral("newLink"));
    m_newLink->setToolTip(tr("A new link with a new token; links already given keep working until they expire."));
    m_stop->setObjectName(QStringLiteral("stop"));
    m_secretNote->setObjectName(QStringLiteral("secretNote"));
    m_copied->setObjectName(QStringLiteral("copied"));

    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_invite, 1);
    linkRow->addWidget(m_copy);
    linkRow->addWidget(m_newLink);

    auto *form = new QFormLayout;
    form->addRow(tr("&Address:"), m_addresses);
    form->addRow(tr("&Invite link:"), linkRow);
    qobject_cast<QLabel *>(form->labelForField(linkRow))->setBuddy(m_invite);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_copied, 1);
    bottom->addWidget(m_stop);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_access);
    layout->addLayout(form);
    layout->addWidget(m_inviteNote);
    layout->addWidget(m_secretNote);
    layout->addStretch();
    layout->addLayout(bottom);

    m_copiedTimer->setSingleShot(true);
    m_copiedTimer->setInterval(CopiedFeedbackMs);
    connect(m_copiedTimer, &QTimer::timeout, m_copied, &QLabel::clear);
    connect(m_copy, &QPushButton::clicked, this, &HostingPanel::copyInvite);
    connect(m_newLink, &QPushButton::clicked, this, &HostingPanel::newInvite);
    connect(m_addresses, &QComboBox::activated, this, &HostingPanel::newInvite);
    connect(m_stop, &QPushButton::clicked, m_host, &HostController::stop);
    connect(m_host, &HostController::stateChanged, this, &HostingPanel::refresh);
    connect(m_host, &HostController::secretNotSaved, this, [this](const QString &message) {
        m_secretNote->showInfo(tr("%1 The invite links stop working when Roomcast is closed.").arg(message));
    });
    refresh();
}

HostingPanel::~HostingPanel() = default;

HostController *HostingPanel::host() const
{
    return m_host;
}

QString HostingPanel::inviteUrl() const
{
    return m_invite->text();
}

void HostingPanel::copyInvite()
{
    if (m_invite->text().isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_invite->text());
    m_copied->setText(tr("Link copied."));
    m_copiedTimer->start();
    Q_EMIT inviteCopied();
}

void HostingPanel::newInvite()
{
    if (!m_host->isHosting())
        return;
    const QHostAddress address(m_addresses->currentData().toString());
    const QString link = m_host->inviteUrl(address);
    m_invite->setText(link);
    m_invite->setCursorPosition(0);
    m_copied->clear();
    if (!m_host->requiresToken()) {
        m_inviteNote->setText(tr("Anyone who opens this link joins the room."));
        return;
    }
    const QDateTime expiry =
        Chat::decodeUnverified(JoinUrl::parse(link).request.token.toLatin1()).expiresAt.toLocalTime();
    m_inviteNote->setText(tr("This link lets its holders in until %1. \"New link\" makes another; the links "
                             "already given keep working until they expire.")
                              .arg(QLocale().toString(expiry, QLocale::ShortFormat)));
}

void HostingPanel::fillAddresses()
{
    const QString previous = m_addresses->currentData().toString();
    m_addresses->clear();
    for (const QHostAddress &address : m_host->lanAddresses())
        m_addresses->addItem(displayed(address), address.toString());
    const int keep = m_addresses->findData(previous);
    if (keep >= 0)
        m_addresses->setCurrentIndex(keep);
}

void HostingPanel::refresh()
{
    const bool hosting = m_host->isHosting();
    const bool protectedRoom = m_host->requiresToken();
    switch (m_host->state()) {
    case HostController::State::Idle:
        m_status->setText(tr("Not hosting."));
        break;
    case HostController::State::Starting:
        m_status->setText(tr("Starting…"));
        m_secretNote->clearMessage(); // what the keychain says now follows
        break;
    case HostController::State::Hosting:
        m_status->setText(tr("Hosting \"%1\" on port %2.").arg(m_host->roomName()).arg(m_host->port()));
        break;
    case HostController::State::Stopping:
        m_status->setText(tr("Stopping: telling everyone the room closes…"));
        break;
    }
    if (hosting) {
        m_access->setText(protectedRoom ? tr("Protected: only people with an invite link can join.")
                                        : tr("Open: anyone on your network can join with a nickname."));
    } else {
        m_access->clear();
        m_inviteNote->clear();
    }
    m_access->setVisible(hosting);
    m_inviteNote->setVisible(hosting);
    if (hosting)
        fillAddresses();
    else
        m_addresses->clear();
    m_addresses->setEnabled(hosting && m_addresses->count() > 1);
    if (hosting)
        newInvite();
    else
        m_invite->clear();
    m_copy->setEnabled(hosting);
    m_newLink->setEnabled(hosting);
    m_newLink->setVisible(!hosting || protectedRoom); // an open room's link never changes
    m_stop->setEnabled(hosting);
    if (!hosting)
        m_copied->clear();
}

} // namespace Roomcast::Ui
