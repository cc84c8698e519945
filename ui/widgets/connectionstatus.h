// ConnectionStatus: the status bar's account of the connection — connecting, connected (to
// whom, as whom), "reconnecting in N s" counting down with a Retry now button, or disconnected
// and why.
#pragma once

#include <QDeadlineTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace Roomcast::Chat {
class ChatClient;
}

namespace Roomcast::Ui {

class ConnectionStatus : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionStatus(Chat::ChatClient *client, QWidget *parent = nullptr);

    //! What the status bar says now.
    QString text() const;
    QPushButton *retryButton() const;

private:
    void update();
    void onReconnecting(int attempt, int delayMs);

    Chat::ChatClient *m_client;
    QLabel *m_label;
    QPushButton *m_retry;
    QTimer *m_countdown;
    QDeadlineTimer m_nextAttempt;
    int m_attempt = 0;
    QString m_reason; //!< why the connection dropped or ended, translated
};

} // namespace Roomcast::Ui
