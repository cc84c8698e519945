// HostController: "host a room" — the chat server running inside the app, for the people on
// the LAN.
//
//     HostController host(&tokens);
//     connect(&host, &HostController::started, window, [&] {
//         client->connectToServer(host.localUrl(), host.hostToken(nickname), nickname);
//         shareLink(host.inviteUrl());
//     });
//     connect(&host, &HostController::startFailed, window, &MainWindow::showError);
//     host.start({QStringLiteral("general"), 3000, true, {}});
//
// start() is asynchronous: a protected room needs the hosting secret (the HS256 key every
// invite is signed with), which is read from the system keychain through the TokenStore, or
// made with QRandomGenerator::system() and stored there on the first start. Without a keychain
// the secret lives in memory for this session only (invites stop working after a restart) and
// secretNotSaved() says so. An open room needs no secret and touches no keychain.
//
// The server listens on every address (QHostAddress::Any), keeps its history in
// defaultDataDirectory() (AppDataLocation + "/hosted"), and announces itself on the LAN
// (ChatServerOptions::announce, named after HostSettings::serverName or the host name).
// Neither the secret nor a token ever reaches a log line or a settings file.
#pragma once

#include "server/chatserver.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>

namespace Roomcast::Ui {

class TokenStore;

//! What the Host dialog asks for.
struct HostSettings
{
    QString roomName;          //!< the room the host joins and invites to
    quint16 port = 3000;       //!< 0: any free port
    bool requireToken = false; //!< protected: only invite links (signed tokens) get in
    QString serverName;        //!< shown in "rooms on your network"; the host name when empty

    friend bool operator==(const HostSettings &, const HostSettings &) = default;
};

class HostController : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle,
        Starting, //!< start() called: reading the secret, opening the history, listening
        Hosting,
        Stopping, //!< stop() called: clients are being told, connections closing
    };
    Q_ENUM(State)

    //! How long an invite link's token is valid by default.
    static constexpr std::chrono::seconds DefaultInviteTtl = std::chrono::hours(24);
    //! The validity of the host's own token (hostToken()), renewed at every call.
    static constexpr std::chrono::seconds HostTokenTtl = std::chrono::hours(24 * 30);
    //! The length of a newly made hosting secret, in bytes.
    static constexpr int SecretBytes = 32;
    //! How long stop() lets clients receive what is queued before closing anyway (ms).
    static constexpr int ShutdownGraceMs = 2000;

    //! @p tokens keeps the hosting secret; it must outlive the controller.
    explicit HostController(TokenStore *tokens, QObject *parent = nullptr);
    //! Closes the server at once if it still runs (no stopped() then).
    ~HostController() override;

    //! Starts hosting; started() or startFailed() follows, never before this returns. Ignored
    //! unless Idle.
    void start(const HostSettings &settings);
    //! Stops gracefully: every client is told "server shutting down", then the server closes and
    //! stopped() follows, never before this returns. While Starting, the start is abandoned
    //! (stopped() follows too).
    void stop();

    State state() const;
    bool isHosting() const;
    //! The settings of the current (or last) start().
    HostSettings settings() const;
    //! The port the server listens on (the one picked when 0 was asked for); 0 unless hosting.
    quint16 port() const;
    //! http://127.0.0.1:PORT: what the host's own ChatClient connects to. Empty unless hosting.
    QUrl localUrl() const;
    //! Where the others reach this machine: the IPv4 addresses (loopback excepted) and global
    //! IPv6 addresses of the interfaces that are up and running, IPv4 first; loopback alone
    //! when there is none.
    QList<QHostAddress> lanAddresses() const;
    QString roomName() const;
    bool requiresToken() const;

    //! The invite link for @p address (the first lanAddresses() when null): JoinUrl's
    //! roomcast://ADDRESS:PORT/?room=ROOM, plus, when protected, a freshly minted token (a
    //! random user id, name "guest", valid inviteTtl()). Empty unless hosting.
    QString inviteUrl(const QHostAddress &address = {}) const;
    std::chrono::seconds inviteTtl() const;
    void setInviteTtl(std::chrono::seconds ttl); //!< must be positive

    //! The token the host's own client logs in with when protected: id "host", name
    //! @p nickname, valid HostTokenTtl. Empty when open or not hosting.
    QString hostToken(const QString &nickname) const;

    //! Whether the secret of the current protected room is in the keychain (false when it is
    //! kept in memory only, or the room is open).
    bool isSecretSaved() const;

    //! The server while Hosting or Stopping; nullptr otherwise.
    Server::ChatServer *server() const;

    //! Where the hosted rooms' history lives: AppDataLocation + "/hosted".
    static QString defaultDataDirectory();
    QString dataDirectory() const;
    //! For the next start(); empty: defaultDataDirectory().
    void setDataDirectory(const QString &directory);

    //! The options every start() begins with (flood control, engine limits, the beacon's UDP
    //! port and targets: tests aim it at loopback); start() sets the secret, the data directory
    //! and turns the announcement on with the server name on top of them.
    Server::ChatServerOptions baseOptions() const;
    void setBaseOptions(const Server::ChatServerOptions &options);

Q_SIGNALS:
    void stateChanged(Roomcast::Ui::HostController::State state);
    void started();
    //! @p message is translated and says what to do (another port, …).
    void startFailed(const QString &message);
    void stopped();
    //! No keychain could keep the hosting secret: it lives in memory for this session only.
    //! @p message is translated (TokenStore's words), for the window to show as is.
    void secretNotSaved(const QString &message);

private:
    void setState(State state);
    void secretReady(const QByteArray &secret);
    void listen();
    void fail(const QString &message);
    void onServerClosed();
    QString listenErrorMessage(const Server::ChatServer &server, quint16 port) const;

    TokenStore *m_tokens;
    State m_state = State::Idle;
    HostSettings m_settings;
    Server::ChatServerOptions m_baseOptions;
    QString m_dataDirectory;
    std::chrono::seconds m_inviteTtl = DefaultInviteTtl;
    QByteArray m_secret;         //!< of the current protected room; also this session's copy
    bool m_secretSaved = false;
    quint64 m_attempt = 0;       //!< tells a stale keychain answer from the current start's
    QPointer<Server::ChatServer> m_server;
};

} // namespace Roomcast::Ui
