// HostDialog: "Host a room" — the room's name, the port, open or protected, and the name the
// LAN sees. Returns HostSettings for HostController::start().
//
//     HostDialog dialog(window);
//     dialog.setSettings(lastSettings);      // optional
//     if (dialog.exec() == QDialog::Accepted)
//         host->start(dialog.settings());
//
// The room name is checked as a join link would carry it (JoinUrl::isValidRoomName): the
// invite link must hold it. Problems are told inline, under the field.
#pragma once

#include "ui/session/hostcontroller.h"

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace Roomcast::Ui {

class InlineMessage;

class HostDialog : public QDialog
{
    Q_OBJECT

public:
    //! The room a first host is offered.
    static QString defaultRoomName(); //!< "general"

    explicit HostDialog(QWidget *parent = nullptr);
    ~HostDialog() override;

    //! What was entered (the room name trimmed).
    HostSettings settings() const;
    //! Pre-fills every field.
    void setSettings(const HostSettings &settings);
    bool isComplete() const;

    //! Why @p room cannot be hosted (translated), or empty.
    static QString roomNameProblem(const QString &room);

public Q_SLOTS:
    //! Accepts only a valid room name; says what is wrong under the field otherwise.
    void accept() override;

private:
    void updatePortNote();

    QLineEdit *m_room;
    InlineMessage *m_roomMessage;
    QSpinBox *m_port;
    InlineMessage *m_portNote;
    QRadioButton *m_open;
    QRadioButton *m_protected;
    QLineEdit *m_serverName;
    QDialogButtonBox *m_buttons;
};

} // namespace Roomcast::Ui
