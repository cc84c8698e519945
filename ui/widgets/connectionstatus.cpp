#include "connectionstatus.h"

#include "chat/chatclient.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace Roomcast::Ui {

using Chat::ChatClient;

namespace {

QString serverName(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

ConnectionStatus::ConnectionStatus(ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_label(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry now"), this))
    , m_countdown(new QTimer(this))
{
    m_label->setObjectName(QStringLiteral("connectionState"));
    m_label->setTextFormat(Qt::PlainText);
    m_retry->setObjectName(QStringLiteral("retryNowButton"));
    m_retry->setFlat(true);
    m_retry->hide();
    connect(m_retry, &QPushButton::clicked, this, [this] {
        m_nextAttempt = QDeadlineTimer(0); // the attempt starts now: no countdown left
        m_client->retryNow();
        update();
    });
    m_countdown->setInterval(1000);
    connect(m_countdown, &QTimer::timeout, this, &ConnectionStatus::update);

    connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state == ChatClient::State::Connected || state == ChatClient::State::Connecting)
            m_reason.clear();
        update();
    });
    connect(client, &ChatClient::disconnected, this, [this](const QString &reason) {
        m_reason = ChatClient::translatedError(reason);
        update();
    });
    connect(client, &ChatClient::loginFailed, this, [this](const QString &reason) {
        m_reason = ChatClient::translatedError(reason);
        update();
    });
    connect(client, &ChatClient::reconnecting, this, &ConnectionStatus::onReconnecting);
    connect(client, &ChatClient::loggedIn, this, &ConnectionStatus::update);
    connect(client, &ChatClient::nicknameChanged, this, [this](const QString &socketId) {
        if (socketId == m_client->socketId())
            update();
    });

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_retry);
    update();
}

QString ConnectionStatus::text() const
{
    return m_label->text();
}

QPushButton *ConnectionStatus::retryButton() const
{
    return m_retry;
}

void ConnectionStatus::onReconnecting(int attempt, int delayMs)
{
    m_attempt = attempt;
    m_nextAttempt = QDeadlineTimer(delayMs);
    m_countdown->start();
    update();
}

void ConnectionStatus::update()
{
    const QString server = serverName(m_client->url());
    QString text;
    bool retry = false;
    switch (m_client->state()) {
    case ChatClient::State::Disconnected:
        m_countdown->stop();
        text = m_reason.isEmpty() ? tr("Not connected") : tr("Disconnected: %1").arg(m_reason);
        break;
    case ChatClient::State::Connecting:
        text = tr("Connecting to %1…").arg(server);
        break;
    case ChatClient::State::Connected:
        m_countdown->stop();
        text = tr("Connected to %1 as %2").arg(server, m_client->nickname());
        break;
    case ChatClient::State::Reconnecting: {
        retry = true;
        const QString why = m_reason.isEmpty() ? tr("Connection lost.") : m_reason;
        if (m_nextAttempt.isForever() || m_nextAttempt.hasExpired()) {
            m_countdown->stop();
            text = tr("%1 Reconnecting…").arg(why);
        } else {
            // whole seconds, rounded up: "in 1 s" until the attempt starts
            const int seconds = int((m_nextAttempt.remainingTime() + 999) / 1000);
            text = tr("%1 Reconnecting in %n s…", nullptr, seconds).arg(why);
        }
        break;
    }
    }
    m_label->setText(text);
    m_retry->setVisible(retry);
}

} // namespace Roomcast::Ui
