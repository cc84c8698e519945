#include "mainwindow.h"

#include "chat/chatclient.h"
#include "ui/models/chatsession.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/session/recentservers.h"
#include "ui/session/tokenstore.h"
#include "ui/widgets/appicon.h"
#include "ui/widgets/connectionstatus.h"
#include "ui/widgets/conversationpane.h"
#include "ui/widgets/conversationview.h"
#include "ui/widgets/hostdialog.h"
#include "ui/widgets/hostingpanel.h"
#include "ui/widgets/joindialog.h"
#include "ui/widgets/memberpane.h"
#include "ui/widgets/notifier.h"
#include "ui/widgets/roombrowser.h"
#include "ui/widgets/startpage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcMainWindow, "roomcast.ui.window", QtInfoMsg)

namespace Roomcast::Ui {

using Chat::ChatClient;

namespace {

namespace Keys {
const QString Geometry = QStringLiteral("window/geometry");
const QString State = QStringLiteral("window/state");
const QString Splitter = QStringLiteral("window/splitter");
const QString Nickname = QStringLiteral("identity/nickname");
const QString Muted = QStringLiteral("muted/");
} // namespace Keys

enum Page { StartPageIndex, ChatPageIndex };

} // namespace

MainWindow::MainWindow(Chat::Discovery::DiscoveryBrowser *browser, QWidget *parent)
    : QMainWindow(parent)
    , m_client(new ChatClient(this))
    , m_session(new ChatSession(m_client, this))
    , m_tokens(new TokenStore(this))
    , m_recent(new RecentServers(this))
    , m_host(new HostController(m_tokens, this))
    , m_pages(new QStackedWidget(this))
    , m_startPage(new StartPage(m_recent, browser, this))
    , m_splitter(new QSplitter(this))
    , m_banner(new QLabel(this))
    , m_conversations(new ConversationPane(m_session, this))
    , m_view(new ConversationView(m_session, this))
    , m_members(new MemberPane(m_client, this))
    , m_status(new ConnectionStatus(m_client, this))
    , m_notifier(new Notifier(m_session->conversations(), this, this))
    , m_hostingPanel(new HostingPanel(m_host, this))
    , m_hostingDock(new QDockWidget(tr("Hosting"), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon());
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setMargin(6);
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, QColor(0xfd, 0xed, 0xc8));
    bannerPalette.setColor(QPalette::WindowText, QColor(0x4a, 0x34, 0x00));
    m_banner->setPalette(bannerPalette);
    m_banner->hide();

    m_splitter->setObjectName(QStringLiteral("splitter"));
    m_splitter->addWidget(m_conversations);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_members);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({220, 560, 180});
    m_splitter->setChildrenCollapsible(false);

    m_pages->addWidget(m_startPage);
    m_pages->addWidget(m_splitter);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_status, 1);

    m_hostingDock->setObjectName(QStringLiteral("hostingDock"));
    m_hostingDock->setWidget(m_hostingPanel);
    m_hostingDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                               | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, m_hostingDock);
    m_hostingDock->hide();

    connect(m_startPage, &StartPage::hostRequested, this, &MainWindow::openHostDialog);
    connect(m_startPage, &StartPage::joinRequested, this, &MainWindow::openJoinDialog);
    connect(m_startPage, &StartPage::recentChosen, this, &MainWindow::joinRecent);
    connect(m_host, &HostController::started, this, &MainWindow::onHostStarted);
    connect(m_host, &HostController::stopped, this, &MainWindow::onHostStopped);
    connect(m_host, &HostController::startFailed, this, [this](const QString &message) {
        m_pages->setCurrentIndex(StartPageIndex);
        showBanner(message);
    });
    connect(m_host, &HostController::secretNotSaved, this, &MainWindow::showBanner);

    connect(m_conversations, &ConversationPane::conversationSelected, this, &MainWindow::onConversationSelected);
    connect(m_conversations, &ConversationPane::joinRoomRequested, this, &MainWindow::joinRoomDialog);
    connect(m_conversations, &ConversationPane::browseRoomsRequested, this, &MainWindow::browseRooms);
    connect(m_conversations, &ConversationPane::muteToggled, this, &MainWindow::setMuted);
    connect(m_members, &MemberPane::privateConversationRequested, this,
            [this](const QString &socketId) { showConversation(m_session->openPrivate(socketId)); });
    connect(m_view, &ConversationView::privateConversationRequested, this,
            [this](const QString &socketId) { showConversation(m_session->openPrivate(socketId)); });
    connect(m_notifier, &Notifier::activated, this, [this](const ConversationId &conversation) {
        showNormal();
        raise();
        activateWindow();
        if (conversation.isValid())
            showConversation(conversation);
    });

    connect(m_client, &ChatClient::loggedIn, this, &MainWindow::onLoggedIn);
    connect(m_client, &ChatClient::loginFailed, this, &MainWindow::onLoginFailed);
    connect(m_client, &ChatClient::joined, this, [this](const QString &room) {
        // the room the user asked for comes to the front; a rejoin after a drop does not move it
        if (m_roomPending && room == m_request.room) {
            m_roomPending = false;
            showConversation(ConversationId::room(room));
        } else if (!m_view->conversation().isValid()) {
            showConversation(ConversationId::room(room));
        }
        restoreMuted();
    });
    connect(m_client, &ChatClient::nicknameChanged, this, [this](const QString &socketId, const QString &name) {
        if (socketId == m_client->socketId())
            updateTitle();
        Q_UNUSED(name);
    });
    connect(m_client, &ChatClient::rateLimited, this, [this](int retryAfterMs) {
        statusBar()->showMessage(tr("You are sending too fast: wait %n second(s).", nullptr,
                                    std::max(1, (retryAfterMs + 999) / 1000)),
                                 5000);
    });
    connect(m_session, &ChatSession::errorOccurred, this,
            [this](const ConversationId &, const QString &message) { showBanner(message); });
    connect(m_session->conversations(), &ConversationListModel::unreadTotalChanged, this, &MainWindow::updateTitle);
    connect(m_tokens, &TokenStore::availabilityChanged, this, [this](TokenStore::Availability availability) {
        if (availability == TokenStore::Availability::Unavailable)
            showBanner(TokenStore::unavailableMessage());
    });

    createMenus();
    restoreSettings();
    m_pages->setCurrentIndex(StartPageIndex);
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Roomcast"));
    QAction *joinServer = file->addAction(tr("&Join a server…"), this, [this] { openJoinDialog(); });
    joinServer->setShortcut(QKeySequence::Open);
    file->addAction(tr("&Host a room…"), this, &MainWindow::openHostDialog);
    QAction *stop = file->addAction(tr("&Stop hosting"), this, &MainWindow::stopHosting);
    stop->setObjectName(QStringLiteral("stopHostingAction"));
    stop->setEnabled(false);
    connect(m_host, &HostController::stateChanged, stop, [this, stop] { stop->setEnabled(m_host->isHosting()); });
    QAction *panel = m_hostingDock->toggleViewAction();
    panel->setText(tr("Hosting &panel"));
    file->addAction(panel);
    file->addSeparator();
    QAction *disconnect = file->addAction(tr("&Disconnect"), this, &MainWindow::disconnectFromServer);
    disconnect->setObjectName(QStringLiteral("disconnectAction"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QCoreApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *rooms = menuBar()->addMenu(tr("R&ooms"));
    QAction *join = rooms->addAction(tr("&Join or create a room…"), this, &MainWindow::joinRoomDialog);
    join->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    rooms->addAction(tr("&Browse rooms…"), this, &MainWindow::browseRooms);
    QAction *leave = rooms->addAction(tr("&Leave this room"), this, [this] {
        const ConversationId current = m_view->conversation();
        if (current.kind == ConversationId::Kind::Room && current.isValid())
            m_session->leaveRoom(current.id);
    });
    leave->setObjectName(QStringLiteral("leaveRoomAction"));

    QMenu *me = menuBar()->addMenu(tr("&You"));
    QAction *nickname = me->addAction(tr("Change &nickname…"), this, &MainWindow::changeNickname);
    nickname->setObjectName(QStringLiteral("changeNicknameAction"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Roomcast"), this, [this] {
        QMessageBox::about(this, tr("About Roomcast"),
                           tr("<h3>Roomcast %1</h3><p>Chat rooms on your network, on a native Socket.IO engine "
                              "(Engine.IO 4, Socket.IO 5).</p>")
                               .arg(QApplication::applicationVersion().toHtmlEscaped()));
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

Chat::ChatClient *MainWindow::client() const
{
    return m_client;
}

ChatSession *MainWindow::session() const
{
    return m_session;
}

TokenStore *MainWindow::tokenStore() const
{
    return m_tokens;
}

ConversationPane *MainWindow::conversationPane() const
{
    return m_conversations;
}

ConversationView *MainWindow::conversationView() const
{
    return m_view;
}

MemberPane *MainWindow::memberPane() const
{
    return m_members;
}

ConnectionStatus *MainWindow::connectionStatus() const
{
    return m_status;
}

Notifier *MainWindow::notifier() const
{
    return m_notifier;
}

HostController *MainWindow::hostController() const
{
    return m_host;
}

HostingPanel *MainWindow::hostingPanel() const
{
    return m_hostingPanel;
}

StartPage *MainWindow::startPage() const
{
    return m_startPage;
}

RecentServers *MainWindow::recentServers() const
{
    return m_recent;
}

QString MainWindow::bannerText() const
{
    return m_banner->isVisibleTo(const_cast<MainWindow *>(this)) ? m_banner->text() : QString();
}

bool MainWindow::isShowingChat() const
{
    return m_pages->currentIndex() == ChatPageIndex;
}

bool MainWindow::openUrl(const QString &text)
{
    const JoinUrl::Result link = JoinUrl::parse(text);
    if (!link.isValid()) {
        showBanner(tr("This link cannot be opened: %1").arg(link.errorString));
        return false;
    }
    ConnectRequest request;
    request.serverUrl = link.request.serverUrl;
    request.room = link.request.room;
    request.token = link.request.token;
    request.nickname = QSettings().value(Keys::Nickname).toString();
    connectToServer(request);
    return true;
}

void MainWindow::connectToServer(const ConnectRequest &request)
{
    hideBanner();
    m_request = request;
    m_roomPending = !request.room.isEmpty();
    m_view->setConversation({});
    m_members->setRoom({});
    if (!request.nickname.isEmpty())
        QSettings().setValue(Keys::Nickname, request.nickname);
    if (request.rememberToken && !request.token.isEmpty())
        m_tokens->storeToken(request.serverUrl, request.token);
    qCInfo(lcMainWindow) << "connecting to" << request.serverUrl.toDisplayString();
    m_client->connectToServer(request.serverUrl, request.token, request.nickname);
    m_pages->setCurrentIndex(ChatPageIndex);
    updateTitle();
}

void MainWindow::disconnectFromServer()
{
    m_client->disconnectFromServer();
    m_view->setConversation({});
    m_members->setRoom({});
    m_pages->setCurrentIndex(StartPageIndex);
    updateTitle();
}

void MainWindow::openJoinDialog(const QUrl &serverUrl)
{
    auto *dialog = new JoinDialog(m_tokens, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (serverUrl.isValid())
        dialog->setServerUrl(serverUrl);
    dialog->setNickname(QSettings().value(Keys::Nickname).toString());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const JoinRequestInput input = dialog->input();
        connectToServer({input.serverUrl, input.nickname, input.token, input.room, input.rememberToken});
    });
    dialog->open();
}

void MainWindow::openHostDialog()
{
    auto *dialog = new HostDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { hostRoom(dialog->settings()); });
    dialog->open();
}

void MainWindow::hostRoom(const HostSettings &settings)
{
    hideBanner();
    if (m_host->state() != HostController::State::Idle) {
        showBanner(tr("You are already hosting a room: stop it first."));
        return;
    }
    m_hostNickname = QSettings().value(Keys::Nickname).toString();
    if (m_hostNickname.isEmpty())
        m_hostNickname = tr("Host");
    statusBar()->showMessage(tr("Starting the server…"));
    m_host->start(settings);
}

void MainWindow::stopHosting()
{
    if (m_host->state() == HostController::State::Idle)
        return;
    m_host->stop();
}

void MainWindow::onHostStarted()
{
    statusBar()->clearMessage();
    m_hostingDock->show();
    m_hostedUrl = m_host->localUrl();
    ConnectRequest request;
    request.serverUrl = m_hostedUrl;
    request.nickname = m_hostNickname;
    request.token = m_host->requiresToken() ? m_host->hostToken(m_hostNickname) : QString();
    request.room = m_host->roomName();
    connectToServer(request);
}

void MainWindow::onHostStopped()
{
    m_hostingDock->hide();
    // our own client would wait for a server that is not coming back
    if (m_client->url() == std::exchange(m_hostedUrl, {}))
        disconnectFromServer();
    statusBar()->showMessage(tr("You stopped hosting."), 5000);
}

void MainWindow::joinRecent(const QUrl &serverUrl, const QString &nickname, const QString &room)
{
    // with the token the keychain keeps for that server, if any; a refusal opens the Join dialog
    m_tokens->loadToken(serverUrl, this, [this, serverUrl, nickname, room](const TokenStore::Result &result) {
        connectToServer({serverUrl, nickname, result.isOk() ? result.text() : QString(), room, false});
    });
}

void MainWindow::onLoggedIn()
{
    hideBanner();
    // a server of someone else's, to come back to (our own hosted one is hosted again instead)
    if (m_client->url() != m_hostedUrl)
        m_recent->add(m_request.serverUrl, m_client->nickname(), m_request.room);
    if (m_roomPending && !m_client->isJoined(m_request.room))
        m_session->joinRoom(m_request.room);
    updateTitle();
}

void MainWindow::onLoginFailed(const QString &reason)
{
    m_pages->setCurrentIndex(StartPageIndex);
    showBanner(tr("Could not log in to %1: %2")
                   .arg(m_request.serverUrl.toDisplayString(QUrl::RemoveUserInfo), ChatClient::translatedError(reason)));
    updateTitle();
    // a server that wants a token we do not have: ask for one
    if (reason == QLatin1String("token required") && m_request.token.isEmpty())
        openJoinDialog(m_request.serverUrl);
}

void MainWindow::showConversation(const ConversationId &conversation)
{
    m_conversations->select(conversation);
    if (m_view->conversation() != conversation)
        onConversationSelected(conversation);
}

void MainWindow::onConversationSelected(const ConversationId &conversation)
{
    if (!conversation.isValid() && m_view->conversation().isValid()
        && m_session->conversations()->contains(m_view->conversation()))
        return; // the filter hid the one shown: it stays
    m_view->setConversation(conversation);
    m_session->conversations()->setCurrent(conversation);
    m_members->setRoom(conversation.kind == ConversationId::Kind::Room ? conversation.id : QString());
    updateTitle();
    Q_EMIT conversationShown(conversation);
}

void MainWindow::joinRoomDialog()
{
    if (m_client->state() == ChatClient::State::Disconnected)
        return;
    bool ok = false;
    const QString room =
        QInputDialog::getText(this, tr("Join a room"), tr("Room name (a new name creates the room):"),
                              QLineEdit::Normal, {}, &ok)
            .trimmed();
    if (ok && !room.isEmpty())
        joinOrShow(room);
}

void MainWindow::browseRooms()
{
    if (m_client->state() == ChatClient::State::Disconnected)
        return;
    auto *browser = new RoomBrowser(m_client, this);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    connect(browser, &QDialog::accepted, this, [this, browser] {
        if (!browser->chosenRoom().isEmpty())
            joinOrShow(browser->chosenRoom());
    });
    browser->open();
}

void MainWindow::joinOrShow(const QString &room)
{
    if (m_client->isJoined(room)) {
        showConversation(ConversationId::room(room));
        return;
    }
    // shown once joined (see the joined() handler)
    m_request.room = room;
    m_roomPending = true;
    m_session->joinRoom(room);
}

void MainWindow::changeNickname()
{
    if (m_client->state() != ChatClient::State::Connected)
        return;
    bool ok = false;
    const QString wanted = QInputDialog::getText(this, tr("Change nickname"), tr("Your nickname:"), QLineEdit::Normal,
                                                 m_client->nickname(), &ok)
                               .trimmed();
    if (!ok || wanted.isEmpty() || wanted == m_client->nickname())
        return;
    m_client->setNickname(wanted, this, [this](const Chat::Reply &reply) {
        if (!reply.ok) {
            showBanner(tr("Could not change your nickname: %1").arg(ChatClient::translatedError(reply.error)));
            return;
        }
        QSettings().setValue(Keys::Nickname, reply.data.value(QStringLiteral("name")).toString());
        statusBar()->showMessage(tr("You are now %1.").arg(reply.data.value(QStringLiteral("name")).toString()), 5000);
    });
}

void MainWindow::setMuted(const ConversationId &conversation, bool muted)
{
    m_session->conversations()->setMuted(conversation, muted);
    if (conversation.kind != ConversationId::Kind::Room)
        return;
    QSettings settings;
    QStringList rooms = settings.value(Keys::Muted + serverKey()).toStringList();
    rooms.removeAll(conversation.id);
    if (muted)
        rooms.append(conversation.id);
    settings.setValue(Keys::Muted + serverKey(), rooms);
}

void MainWindow::restoreMuted()
{
    const QStringList rooms = QSettings().value(Keys::Muted + serverKey()).toStringList();
    for (const QString &room : rooms)
        if (m_session->conversations()->contains(ConversationId::room(room)))
            m_session->conversations()->setMuted(ConversationId::room(room), true);
}

QString MainWindow::serverKey() const
{
    const QUrl url = m_client->url();
    // settings keys cannot hold '/' or ':' portably
    return QStringLiteral("%1_%2_%3").arg(url.scheme(), url.host()).arg(url.port());
}

void MainWindow::showBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->show();
}

void MainWindow::hideBanner()
{
    m_banner->clear();
    m_banner->hide();
}

void MainWindow::updateTitle()
{
    QString title;
    const ConversationId current = m_view->conversation();
    if (current.isValid())
        title = current.kind == ConversationId::Kind::Room
                    ? tr("#%1").arg(current.id)
                    : m_session->conversations()->title(current);
    const int unread = m_session->conversations()->unreadTotal();
    if (unread > 0)
        title = title.isEmpty() ? tr("(%1)").arg(unread) : tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title); // the application display name follows: "… — Roomcast"
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange) {
        m_session->conversations()->setWindowActive(isActiveWindow());
        // back in front: the conversation shown is read now
        if (isActiveWindow())
            m_session->conversations()->setCurrent(m_view->conversation());
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_host->state() != HostController::State::Idle) {
        // the people in our room are told it closes (two seconds at the most), then we go
        event->ignore();
        if (m_host->state() != HostController::State::Stopping) {
            connect(m_host, &HostController::stopped, this, &QWidget::close, Qt::SingleShotConnection);
            m_host->stop();
        }
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(Keys::Geometry, saveGeometry());
    settings.setValue(Keys::State, saveState());
    settings.setValue(Keys::Splitter, m_splitter->saveState());
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(Keys::Geometry).toByteArray()))
        resize(1000, 680);
    restoreState(settings.value(Keys::State).toByteArray());
    m_splitter->restoreState(settings.value(Keys::Splitter).toByteArray());
}

} // namespace Roomcast::Ui
