#include "tokenstore.h"

#include <QLoggingCategory>
#include <QPointer>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcTokenStore, "roomcast.ui.tokenstore", QtInfoMsg)

namespace Roomcast::Ui {

TokenStore::TokenStore(QObject *parent)
    : TokenStore(defaultServiceName(), parent)
{
}

TokenStore::TokenStore(const QString &serviceName, QObject *parent)
    : QObject(parent)
    , m_serviceName(serviceName)
{
}

TokenStore::~TokenStore() = default;

QString TokenStore::defaultServiceName()
{
    return QStringLiteral("Roomcast");
}

QString TokenStore::serviceName() const
{
    return m_serviceName;
}

QString TokenStore::tokenKey(const QUrl &serverUrl)
{
    const QString scheme = serverUrl.scheme().toLower();
    const bool secure = scheme == QLatin1String("https");
    if (!serverUrl.isValid() || (!secure && scheme != QLatin1String("http")))
        return {};
    const QString host = serverUrl.host(QUrl::FullyEncoded).toLower();
    if (host.isEmpty())
        return {};
    const QString authority = host.contains(u':') ? QString(u'[' % host % u']') : host; // IPv6
    return QStringLiteral("token ") % scheme % u"://" % authority % u':'
           % QString::number(serverUrl.port(secure ? 443 : 80));
}

QString TokenStore::hostingSecretKey()
{
    return QStringLiteral("hosting-secret");
}

void TokenStore::storeToken(const QUrl &serverUrl, const QString &token, QObject *context, Callback callback)
{
    run(Operation::Write, Kind::Token, tokenKey(serverUrl), token.toUtf8(), context, std::move(callback));
}

void TokenStore::loadToken(const QUrl &serverUrl, QObject *context, Callback callback)
{
    run(Operation::Read, Kind::Token, tokenKey(serverUrl), {}, context, std::move(callback));
}

void TokenStore::removeToken(const QUrl &serverUrl, QObject *context, Callback callback)
{
    run(Operation::Delete, Kind::Token, tokenKey(serverUrl), {}, context, std::move(callback));
}

void TokenStore::storeHostingSecret(const QByteArray &secret, QObject *context, Callback callback)
{
    run(Operation::Write, Kind::HostingSecret, hostingSecretKey(), secret, context, std::move(callback));
}

void TokenStore::loadHostingSecret(QObject *context, Callback callback)
{
    run(Operation::Read, Kind::HostingSecret, hostingSecretKey(), {}, context, std::move(callback));
}

void TokenStore::removeHostingSecret(QObject *context, Callback callback)
{
    run(Operation::Delete, Kind::HostingSecret, hostingSecretKey(), {}, context, std::move(callback));
}

TokenStore::Availability TokenStore::availability() const
{
    return m_availability;
}

bool TokenStore::isAvailable() const
{
    return m_availability == Availability::Available;
}

QString TokenStore::unavailableMessage()
{
    return tr("The system keychain is not available; the token is kept for this session only.");
}

QString TokenStore::hostingSecretUnavailableMessage()
{
    return tr("The system keychain is not available; the hosting secret is kept for this session only.");
}

void TokenStore::run(Operation operation, Kind kind, const QString &key, const QByteArray &value, QObject *context,
                     Callback callback)
{
    const QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    const auto answer = [guard, hasContext, callback = std::move(callback)](const Result &result) {
        if (callback && (!hasContext || guard))
            callback(result);
    };
    if (key.isEmpty()) {
        // Called from the request: answer on the next turn of the event loop, as a job would.
        QMetaObject::invokeMethod(this, [answer] {
            answer({Status::InvalidServer, {}, tr("That is not a server address, so its token cannot be kept.")});
        }, Qt::QueuedConnection);
        return;
    }

    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_serviceName);
        break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_serviceName);
        if (kind == Kind::Token)
            write->setTextData(QString::fromUtf8(value));
        else
            write->setBinaryData(value);
        job = write;
        break;
    }
    case Operation::Delete:
        job = new QKeychain::DeletePasswordJob(m_serviceName);
        break;
    }
    // Never a QSettings file in plain text, whatever the platform offers.
    job->setInsecureFallback(false);
    // The backend's callbacks hold the job: it must outlive them, so it is not parented to us
    // (which may go first) and deletes itself once finished.
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, operation, kind, value, answer](QKeychain::Job *done) {
        const Result result = finished(done, operation, kind, value);
        answer(result);
    });
    job->start();
}

TokenStore::Result TokenStore::finished(QKeychain::Job *job, Operation operation, Kind kind, const QByteArray &value)
{
    const QString key = job->key();
    const QKeychain::Error error = job->error();
    // The backend's message says why (no D-Bus, service unknown…), never what was stored.
    static const char *const names[] = {"read", "write", "delete"};
    qCDebug(lcTokenStore) << "keychain" << names[int(operation)] << "of" << key << "finished:" << int(error)
                          << job->errorString();

    Result result;
    switch (error) {
    case QKeychain::NoError:
        if (operation == Operation::Read)
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData();
        else
            m_sessionOnly.remove(key); // in the keychain now, or gone from it
        setAvailability(Availability::Available);
        return result;
    case QKeychain::EntryNotFound:
        if (operation == Operation::Delete)
            m_sessionOnly.remove(key);
        else
            result.status = Status::NotFound;
        setAvailability(Availability::Available);
        return result;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = Status::Denied;
        result.errorString = kind == Kind::Token
                                 ? tr("The system keychain refused access; the token is kept for this session only.")
                                 : tr("The system keychain refused access; the hosting secret is kept for this "
                                      "session only.");
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        // Without a Secret Service, libsecret fails with a D-Bus error, which QtKeychain
        // reports as OtherError: every failure but a refusal means no keychain to rely on.
        result.status = Status::Unavailable;
        result.errorString = kind == Kind::Token ? unavailableMessage() : hostingSecretUnavailableMessage();
        setAvailability(Availability::Unavailable);
        break;
    }

    // No keychain: this session keeps what it was given, in memory.
    switch (operation) {
    case Operation::Write:
        m_sessionOnly.insert(key, value);
        break;
    case Operation::Read:
        result.secret = m_sessionOnly.value(key);
        break;
    case Operation::Delete:
        m_sessionOnly.remove(key);
        break;
    }
    return result;
}

void TokenStore::setAvailability(Availability availability)
{
    if (m_availability == availability)
        return;
    m_availability = availability;
    Q_EMIT availabilityChanged(availability);
}

} // namespace Roomcast::Ui
