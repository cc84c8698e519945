#include "hostdialog.h"

#include "ui/session/joinurl.h"
#include "ui/widgets/formgrid.h"
#include "ui/widgets/inlinemessage.h"

#include "chat/discovery.h"
#include "chat/protocol.h"

#include <QDialogButtonBox>
#include <QHostInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Roomcast::Ui {

QString HostDialog::defaultRoomName()
{
    return QStringLiteral("general");
}

HostDialog::HostDialog(QWidget *parent)
    : QDialog(parent)
    , m_room(new QLineEdit(defaultRoomName(), this))
    , m_roomMessage(new InlineMessage(this))
    , m_port(new QSpinBox(this))
    , m_portNote(new InlineMessage(this))
    , m_open(new QRadioButton(tr("&Open: anyone on the network can join with a nickname"), this))
    , m_protected(new QRadioButton(tr("&Protected: only people with an invite link can join"), this))
    , m_serverName(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Host a Room"));

    m_room->setObjectName(QStringLiteral("room"));
    m_room->setMaxLength(Chat::Limits::MaxRoomNameLength);
    m_roomMessage->setObjectName(QStringLiteral("roomMessage"));

    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(0, 65535);
    m_port->setValue(HostSettings().port);
    //: The port spin box at 0
    m_port->setSpecialValueText(tr("Any free port"));
    m_port->setToolTip(tr("The port the others connect to. 0 picks any free port."));
    m_portNote->setObjectName(QStringLiteral("portNote"));

    m_open->setObjectName(QStringLiteral("open"));
    m_protected->setObjectName(QStringLiteral("protected"));
    m_open->setChecked(true);

    m_serverName->setObjectName(QStringLiteral("serverName"));
    m_serverName->setMaxLength(Chat::Discovery::MaxNameLength);
    m_serverName->setPlaceholderText(QHostInfo::localHostName());
    m_serverName->setToolTip(tr("What \"Rooms on your network\" shows on the others' computers."));

    auto *hostButton = m_buttons->addButton(tr("&Host"), QDialogButtonBox::AcceptRole);
    hostButton->setObjectName(QStringLiteral("host"));
    hostButton->setDefault(true);

    auto *form = new FormGrid;
    form->addField(tr("&Room:"), m_room, {m_roomMessage});
    form->addField(tr("Por&t:"), m_port, {m_portNote});
    form->addField(tr("Who can join:"), m_open, {m_protected});
    form->addField(tr("&Name on the network:"), m_serverName);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(440);

    connect(m_room, &QLineEdit::textChanged, this, [this](const QString &room) {
        const QString problem = roomNameProblem(room);
        if (problem.isEmpty())
            m_roomMessage->clearMessage();
        else
            m_roomMessage->showError(problem);
    });
    connect(m_port, &QSpinBox::valueChanged, this, &HostDialog::updatePortNote);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &HostDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &HostDialog::reject);
    updatePortNote();
}

HostDialog::~HostDialog() = default;

HostSettings HostDialog::settings() const
{
    HostSettings settings;
    settings.roomName = m_room->text().trimmed();
    settings.port = quint16(m_port->value());
    settings.requireToken = m_protected->isChecked();
    settings.serverName = m_serverName->text().trimmed();
    return settings;
}

void HostDialog::setSettings(const HostSettings &settings)
{
    m_room->setText(settings.roomName);
    m_port->setValue(settings.port);
    (settings.requireToken ? m_protected : m_open)->setChecked(true);
    m_serverName->setText(settings.serverName);
}

bool HostDialog::isComplete() const
{
    return roomNameProblem(m_room->text()).isEmpty();
}

QString HostDialog::roomNameProblem(const QString &room)
{
    const QString trimmed = room.trimmed();
    if (trimmed.isEmpty())
        return tr("Name the room: it is what the others join.");
    if (!JoinUrl::isValidRoomName(trimmed))
        return tr("Not a room name: 1 to %n printable characters, without invisible ones.", nullptr,
                  Chat::Limits::MaxRoomNameLength);
    return {};
}

void HostDialog::accept()
{
    const QString problem = roomNameProblem(m_room->text());
    if (!problem.isEmpty()) {
        m_roomMessage->showError(problem);
        m_room->setFocus();
        return;
    }
    QDialog::accept();
}

void HostDialog::updatePortNote()
{
    const int port = m_port->value();
    if (port == 0)
        m_portNote->showInfo(tr("A free port is picked when hosting starts; the invite link carries it."));
    else if (port < 1024)
        m_portNote->showInfo(tr("Ports below 1024 usually need administrator rights."));
    else
        m_portNote->clearMessage();
}

} // namespace Roomcast::Ui
