// HostingPanel: what a host sees while hosting — the state (port, open or protected), the
// addresses the others can reach, the invite link with Copy and "New link" (a new token, for a
// protected room), and Stop hosting. It follows a HostController; the main window shows it in a
// dock or a dialog.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace Roomcast::Ui {

class HostController;
class InlineMessage;

class HostingPanel : public QWidget
{
    Q_OBJECT

public:
    //! How long "Copied" shows after Copy (ms).
    static constexpr int CopiedFeedbackMs = 2000;

    //! Follows @p host, which must outlive the panel.
    explicit HostingPanel(HostController *host, QWidget *parent = nullptr);
    ~HostingPanel() override;

    HostController *host() const;
    //! The link shown (empty unless hosting).
    QString inviteUrl() const;

public Q_SLOTS:
    //! Puts the invite link on the clipboard.
    void copyInvite();
    //! Mints a new link (a new token for a protected room) for the chosen address.
    void newInvite();

Q_SIGNALS:
    //! The link was put on the clipboard.
    void inviteCopied();

private:
    void refresh();
    void fillAddresses();

    HostController *m_host;
    QLabel *m_status;
    QLabel *m_access;
    QComboBox *m_addresses;
    QLineEdit *m_invite;
    QLabel *m_inviteNote;
    QPushButton *m_copy;
    QPushButton *m_newLink;
    QPushButton *m_stop;
    InlineMessage *m_secretNote;
    QLabel *m_copied;
    QTimer *m_copiedTimer;
};

} // namespace Roomcast::Ui
