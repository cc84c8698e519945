// TokenStore: the login token of each server, and the secret of the room this user hosts, kept
// in the system keychain (the Secret Service on Linux, through QtKeychain) under the service
// name "Roomcast".
//
// Nothing is ever written anywhere else: QtKeychain's plain-text fallback (a QSettings file on
// platforms without a keychain) is switched off on every job. When the keychain cannot be
// reached, every operation fails with unavailableMessage() and availability() turns to
// Unavailable, so the UI can say so; what was stored is then kept in this object's memory, for
// this session only, and load…() hands that copy back along with the failure.
//
// Keys: "token " + the server's origin as scheme://host:port (scheme and host lower-cased, the
// host in ASCII form, the port explicit, anything else in the URL ignored), and
// "hosting-secret" for the hosting secret. Tokens are stored as text, the hosting secret as
// bytes. Neither ever reaches a log line; keys are logged at debug level in
// "roomcast.ui.tokenstore".
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace QKeychain {
class Job;
}

namespace Roomcast::Ui {

class TokenStore : public QObject
{
    Q_OBJECT

public:
    enum class Status {
        Ok,
        NotFound,      //!< load…(): nothing stored under that key
        Unavailable,   //!< no keychain could be reached
        Denied,        //!< the keychain refused access (locked, or the user said no)
        InvalidServer, //!< not an http(s) URL with a host
    };
    Q_ENUM(Status)

    enum class Availability {
        Unknown,     //!< no operation has finished yet
        Available,   //!< the last operation reached the keychain
        Unavailable, //!< the last operation found no keychain
    };
    Q_ENUM(Availability)

    struct Result
    {
        Status status = Status::Ok;
        //! What load…() read. On Unavailable and Denied, the copy this session kept, if any.
        QByteArray secret;
        QString errorString; //!< translated; empty for Ok and NotFound

        bool isOk() const { return status == Status::Ok; }
        QString text() const { return QString::fromUtf8(secret); }
    };
    //! Runs once, on this thread, unless its context object is destroyed first (or the store).
    using Callback = std::function<void(const Result &result)>;

    explicit TokenStore(QObject *parent = nullptr);
    //! A store under another service name (tests use their own, to leave the user's alone).
    explicit TokenStore(const QString &serviceName, QObject *parent = nullptr);
    ~TokenStore() override;

    static QString defaultServiceName(); //!< "Roomcast"
    QString serviceName() const;

    //! The key of @p serverUrl's token; empty when it is not an http(s) URL with a host.
    static QString tokenKey(const QUrl &serverUrl);
    static QString hostingSecretKey();

    void storeToken(const QUrl &serverUrl, const QString &token, QObject *context = nullptr, Callback callback = {});
    void loadToken(const QUrl &serverUrl, QObject *context, Callback callback);
    //! Removing what is not there succeeds.
    void removeToken(const QUrl &serverUrl, QObject *context = nullptr, Callback callback = {});

    void storeHostingSecret(const QByteArray &secret, QObject *context = nullptr, Callback callback = {});
    void loadHostingSecret(QObject *context, Callback callback);
    void removeHostingSecret(QObject *context = nullptr, Callback callback = {});

    Availability availability() const;
    //! Whether the keychain was reached by the last operation (false before any).
    bool isAvailable() const;

    //! The translated messages of Unavailable, for a token and for the hosting secret.
    static QString unavailableMessage();
    static QString hostingSecretUnavailableMessage();

Q_SIGNALS:
    void availabilityChanged(Roomcast::Ui::TokenStore::Availability availability);

private:
    enum class Operation { Read, Write, Delete };
    enum class Kind { Token, HostingSecret };

    void run(Operation operation, Kind kind, const QString &key, const QByteArray &value, QObject *context,
             Callback callback);
    Result finished(QKeychain::Job *job, Operation operation, Kind kind, const QByteArray &value);
    void setAvailability(Availability availability);

    QString m_serviceName;
    Availability m_availability = Availability::Unknown;
    QHash<QString, QByteArray> m_sessionOnly; //!< key → what could not be stored, this session only
};

} // namespace Roomcast::Ui
