// Logging in to the chat server and keeping out of other people's private messages, over the
// wire: our ChatServer on port 0 and our own Socket.IO client, in one process. The tokens are
// built by hand (header, claims, HMAC, base64url), as jwt.io or a hostile client would, so that
// each refusal is the server's answer to real bytes, with the exact CONNECT_ERROR message of
// the chat contract (core/chat/jwt.h, docs/chat-protocol.md).
#include "chat/jwt.h"
#include "chat/protocol.h"
#include "server/chatserver.h"
#include "socketio/client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

using Roomcast::Server::ChatServer;
using Roomcast::Server::ChatServerOptions;
using Roomcast::SocketIO::AckResult;
using Roomcast::SocketIO::Manager;
using Roomcast::SocketIO::ManagerOptions;
using Roomcast::SocketIO::Room;
using Roomcast::SocketIO::ServerSocket;
using Roomcast::SocketIO::Socket;
using namespace std::chrono_literals;
namespace Chat = Roomcast::Chat;
namespace EngineIO = Roomcast::EngineIO;
namespace Events = Roomcast::Chat::Events;

Q_DECLARE_METATYPE(Roomcast::EngineIO::TransportType)

namespace {

const QByteArray Secret = QByteArrayLiteral("roomcast-login-test-secret");
// The header jwt.io writes.
const QByteArray Hs256Header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");
constexpr qsizetype OneMiB = 1024 * 1024;
constexpr int Timeout = 10000; // ms: an upper bound, never a wait

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

//! "header.claims" as a JWT's signature covers it.
QByteArray signingInput(const QByteArray &header, const QByteArray &claims)
{
    return base64Url(header) + '.' + base64Url(claims);
}

QByteArray hmac(const QByteArray &input, const QByteArray &key,
                QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(input, key, algorithm);
}

//! A token as jwt.io builds one: any header and claims text, signed with `key`.
QByteArray signedToken(const QByteArray &header, const QByteArray &claims, const QByteArray &key = Secret,
                       QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    const QByteArray input = signingInput(header, claims);
    return input + '.' + base64Url(hmac(input, key, algorithm));
}

QByteArray signedToken(const QJsonObject &claims, const QByteArray &key = Secret)
{
    return signedToken(Hs256Header, compact(claims), key);
}

//! A correctly signed token whose signature is written in standard base64 with a '+' in it:
//! what a lenient decoder (one that maps '+' to '-') would accept.
QByteArray tokenWithPlus()
{
    for (int n = 0;; ++n) {
        const QByteArray input = signingInput(
            Hs256Header, compact({{QLatin1String("id"), QLatin1String("p")}, {QLatin1String("name"), QLatin1String("Plus")},
                                  {QLatin1String("n"), n}}));
        const QByteArray signature = hmac(input, Secret).toBase64(QByteArray::OmitTrailingEquals);
        if (signature.contains('+'))
            return input + '.' + signature;
    }
}

//! A valid token with one spare bit of its signature's last character set: the same bytes to a
//! lenient decoder, a second spelling of them to a strict one.
QByteArray tokenWithTrailingBits(const QByteArray &valid)
{
    static const QByteArray alphabet = QByteArrayLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    QByteArray token = valid;
    // 32 signature bytes are 43 characters: the last one carries 4 bits and 2 spare ones.
    token.back() = alphabet.at(alphabet.indexOf(token.back()) ^ 1);
    return token;
}

QVariantMap tokenAuth(const QByteArray &token)
{
    return {{QStringLiteral("token"), QString::fromLatin1(token)}};
}

//! The arguments of every `event` a spy on Socket::eventReceived recorded, in order.
QList<QVariantList> eventsNamed(const QSignalSpy &spy, const QString &event)
{
    QList<QVariantList> found;
    for (const QList<QVariant> &emission : spy) {
        if (emission.at(0).toString() == event)
            found.append(emission.at(1).toList());
    }
    return found;
}

QVariantMap ackError(const QString &error)
{
    return {{QStringLiteral("status"), QStringLiteral("error")}, {QStringLiteral("error"), error}};
}

} // namespace

class tst_ChatLogin : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void login_data();
    void login();
    void oversizedLoginOverDefaultLimit_data();
    void oversizedLoginOverDefaultLimit();
    void cannotEavesdropOnPrivateMessages();

private:
    void startServer(const ChatServerOptions &options);
    //! A client that does not reconnect, not yet connected (so that spies can be set first).
    Socket *createClient(const QVariantMap &auth, const ManagerOptions &options = {});
    //! Connects a client and waits for its `welcome`; nullptr if it did not come.
    Socket *connectClient(const QVariantMap &auth, QVariantMap *welcome = nullptr);
    //! Emits `event` with an ack and returns the ack's object, or an empty map if none came.
    QVariantMap call(Socket *socket, const QString &event, const QVariantList &args);

    std::unique_ptr<ChatServer> m_server;
    QObject *m_clients = nullptr; // owns the Managers of a test
};

void tst_ChatLogin::init()
{
    m_clients = new QObject(this);
}

void tst_ChatLogin::cleanup()
{
    delete std::exchange(m_clients, nullptr);
    m_server.reset();
}

void tst_ChatLogin::startServer(const ChatServerOptions &options)
{
    m_server = std::make_unique<ChatServer>(options);
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

Socket *tst_ChatLogin::createClient(const QVariantMap &auth, const ManagerOptions &options)
{
    ManagerOptions noRetry = options;
    noRetry.reconnection = false;
    auto *manager = new Manager(m_server->serverUrl(), noRetry, m_clients);
    Socket *socket = manager->socket();
    socket->setAuth(auth);
    return socket;
}

Socket *tst_ChatLogin::connectClient(const QVariantMap &auth, QVariantMap *welcome)
{
    Socket *socket = createClient(auth);
    QSignalSpy events(socket, &Socket::eventReceived);
    socket->connectToNamespace();
    if (!QTest::qWaitFor([&] { return !eventsNamed(events, Events::Welcome).isEmpty(); }, Timeout))
        return nullptr;
    if (welcome)
        *welcome = eventsNamed(events, Events::Welcome).first().value(0).toMap();
    return socket;
}

QVariantMap tst_ChatLogin::call(Socket *socket, const QString &event, const QVariantList &args)
{
    QObject context; // the callback never outlives this call
    std::optional<AckResult> result;
    socket->emitWithAck(event, args, &context, [&result](const AckResult &ack) { result = ack; },
                        std::chrono::milliseconds(Timeout));
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 2 * Timeout) || !result->isAcknowledged())
        return {};
    return result->args.value(0).toMap();
}

void tst_ChatLogin::login_data()
{
    QTest::addColumn<QByteArray>("secret"); // empty: an open server
    QTest::addColumn<bool>("requireExp");
    QTest::addColumn<QVariantMap>("auth");
    QTest::addColumn<QString>("error"); // the CONNECT_ERROR message; empty: logged in
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("userId");

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto claims = [](const QJsonValue &id, const QString &name, const QJsonObject &more = {}) {
        QJsonObject object = more;
        object.insert(QLatin1String("id"), id);
        object.insert(QLatin1String("name"), name);
        return object;
    };
    const QJsonObject inAnHour{{QLatin1String("iat"), now}, {QLatin1String("exp"), now + 3600}};
    const QByteArray valid = signedToken(claims(QStringLiteral("u-carl"), QStringLiteral("Carl"), inAnHour));

    QTest::newRow("valid, numeric id, as jwt.io signs it")
        << Secret << false << tokenAuth(signedToken(claims(42, QStringLiteral("Alice"), {{QLatin1String("iat"), now}})))
        << QString() << QStringLiteral("Alice") << QStringLiteral("42");
    QTest::newRow("valid, string id, with exp")
        << Secret << false << tokenAuth(valid) << QString() << QStringLiteral("Carl") << QStringLiteral("u-carl");
    QTest::newRow("valid, minted by Chat::mintToken")
        << Secret << true << tokenAuth(Chat::mintToken(QStringLiteral("u-erin"), QStringLiteral("Erin"), 1h, Secret))
        << QString() << QStringLiteral("Erin") << QStringLiteral("u-erin");

    QTest::newRow("expired")
        << Secret << false
        << tokenAuth(signedToken(claims(7, QStringLiteral("Old"),
                                        {{QLatin1String("iat"), now - 7200}, {QLatin1String("exp"), now - 60}})))
        << QStringLiteral("token expired") << QString() << QString();
    QTest::newRow("not yet valid (nbf in an hour)")
        << Secret << false
        << tokenAuth(signedToken(claims(7, QStringLiteral("Early"), {{QLatin1String("nbf"), now + 3600}})))
        << QStringLiteral("token not yet valid") << QString() << QString();
    QTest::newRow("signed with another secret")
        << Secret << false
        << tokenAuth(signedToken(claims(7, QStringLiteral("Forger"), inAnHour), QByteArrayLiteral("not-the-secret")))
        << QStringLiteral("bad signature") << QString() << QString();

    const QByteArray forgedClaims = compact(claims(1, QStringLiteral("Admin"), inAnHour));
    QTest::newRow("alg none, empty signature")
        << Secret << false << tokenAuth(signingInput(R"({"alg":"none","typ":"JWT"})", forgedClaims) + '.')
        << QStringLiteral("algorithm not allowed") << QString() << QString();
    QTest::newRow("alg None, empty signature")
        << Secret << false << tokenAuth(signingInput(R"({"alg":"None","typ":"JWT"})", forgedClaims) + '.')
        << QStringLiteral("algorithm not allowed") << QString() << QString();
    QTest::newRow("alg HS384, signed with HMAC-SHA384 and the secret")
        << Secret << false
        << tokenAuth(signedToken(R"({"alg":"HS384","typ":"JWT"})", forgedClaims, Secret, QCryptographicHash::Sha384))
        << QStringLiteral("algorithm not allowed") << QString() << QString();
    QTest::newRow("alg RS256, signed with HMAC-SHA256 and the secret (key confusion)")
        << Secret << false << tokenAuth(signedToken(R"({"alg":"RS256","typ":"JWT"})", forgedClaims))
        << QStringLiteral("algorithm not allowed") << QString() << QString();
    QTest::newRow("no alg")
        << Secret << false << tokenAuth(signedToken(R"({"typ":"JWT"})", forgedClaims))
        << QStringLiteral("algorithm not allowed") << QString() << QString();
    QTest::newRow("crit header")
        << Secret << false << tokenAuth(signedToken(R"({"alg":"HS256","typ":"JWT","crit":["exp"]})", forgedClaims))
        << QStringLiteral("unsupported critical header") << QString() << QString();

    QTest::newRow("'+' in a segment (standard base64)")
        << Secret << false << tokenAuth(tokenWithPlus()) << QStringLiteral("malformed token") << QString() << QString();
    QTest::newRow("'=' padding")
        << Secret << false << tokenAuth(valid + '=') << QStringLiteral("malformed token") << QString() << QString();
    QByteArray withStar = valid;
    withStar.insert(withStar.indexOf('.') + 1, '*');
    QTest::newRow("'*' in a segment")
        << Secret << false << tokenAuth(withStar) << QStringLiteral("malformed token") << QString() << QString();
    QTest::newRow("non-zero trailing bits")
        << Secret << false << tokenAuth(tokenWithTrailingBits(valid)) << QStringLiteral("malformed token") << QString()
        << QString();
    QTest::newRow("two segments")
        << Secret << false << tokenAuth(valid.first(valid.lastIndexOf('.'))) << QStringLiteral("malformed token")
        << QString() << QString();
    QTest::newRow("four segments")
        << Secret << false << tokenAuth(valid + '.' + base64Url("more")) << QStringLiteral("malformed token")
        << QString() << QString();
    // Correctly signed: only its size is wrong. The table's server takes Engine.IO messages of
    // 4 MiB, so the token reaches the JWT check (see oversizedLoginOverDefaultLimit for 1e6).
    QTest::newRow("1 MiB token")
        << Secret << false
        << tokenAuth(signedToken(claims(7, QStringLiteral("Big"), {{QLatin1String("pad"), QString(OneMiB, u'x')}})))
        << QStringLiteral("token too large") << QString() << QString();

    QTest::newRow("claims a JSON array")
        << Secret << false << tokenAuth(signedToken(Hs256Header, R"([{"id":7,"name":"Arr"}])"))
        << QStringLiteral("claims must be an object") << QString() << QString();
    QTest::newRow("claims a JSON string")
        << Secret << false << tokenAuth(signedToken(Hs256Header, R"("Str")")) << QStringLiteral("claims must be an object")
        << QString() << QString();
    QTest::newRow("claims not JSON")
        << Secret << false << tokenAuth(signedToken(Hs256Header, "id=7&name=Q")) << QStringLiteral("malformed token")
        << QString() << QString();
    QTest::newRow("exp a string")
        << Secret << false
        << tokenAuth(signedToken(claims(7, QStringLiteral("Str"), {{QLatin1String("exp"), QString::number(now + 3600)}})))
        << QStringLiteral("invalid claim: exp") << QString() << QString();
    QTest::newRow("no id")
        << Secret << false << tokenAuth(signedToken(QJsonObject{{QLatin1String("name"), QLatin1String("Nobody")}}))
        << QStringLiteral("missing claim: id") << QString() << QString();
    QTest::newRow("blank name")
        << Secret << false << tokenAuth(signedToken(claims(7, QStringLiteral("  "))))
        << QStringLiteral("invalid claim: name") << QString() << QString();

    QTest::newRow("control character in the name")
        << Secret << false << tokenAuth(signedToken(claims(7, QStringLiteral("Bell\u0007"))))
        << QStringLiteral("invalid nickname") << QString() << QString();
    QTest::newRow("long name, cut to 32 characters")
        << Secret << false << tokenAuth(signedToken(claims(8, QString(40, QLatin1Char('n')))))
        << QString() << QString(32, QLatin1Char('n')) << QStringLiteral("8");

    QTest::newRow("no token") << Secret << false << QVariantMap() << QStringLiteral("token required") << QString()
                              << QString();
    QTest::newRow("a nickname instead of a token")
        << Secret << false << QVariantMap{{QStringLiteral("name"), QStringLiteral("Sneaky")}}
        << QStringLiteral("token required") << QString() << QString();
    QTest::newRow("token a number")
        << Secret << false << QVariantMap{{QStringLiteral("token"), 42}} << QStringLiteral("token required") << QString()
        << QString();
    QTest::newRow("token an object")
        << Secret << false << QVariantMap{{QStringLiteral("token"), QVariantMap{{QStringLiteral("id"), 7}}}}
        << QStringLiteral("token required") << QString() << QString();
    QTest::newRow("empty token") << Secret << false << tokenAuth({}) << QStringLiteral("token required") << QString()
                                 << QString();

    QTest::newRow("no exp, server requires exp")
        << Secret << true << tokenAuth(signedToken(claims(7, QStringLiteral("Forever"))))
        << QStringLiteral("expiry required") << QString() << QString();
    QTest::newRow("with exp, server requires exp")
        << Secret << true << tokenAuth(valid) << QString() << QStringLiteral("Carl") << QStringLiteral("u-carl");

    QTest::newRow("open server, nickname")
        << QByteArray() << false << QVariantMap{{QStringLiteral("name"), QStringLiteral("Dora")}} << QString()
        << QStringLiteral("Dora") << QString();
    QTest::newRow("open server, a token is not a login")
        << QByteArray() << false << tokenAuth(valid) << QString() << QString() << QString();
    QTest::newRow("open server, control character in nickname")
        << QByteArray() << false << QVariantMap{{QStringLiteral("name"), QStringLiteral("Do\u0007ra")}}
        << QStringLiteral("invalid nickname") << QString() << QString();
    QTest::newRow("open server, nickname over 32 characters")
        << QByteArray() << false << QVariantMap{{QStringLiteral("name"), QString(33, u'n')}}
        << QStringLiteral("invalid nickname") << QString() << QString();
}

void tst_ChatLogin::login()
{
    QFETCH(QByteArray, secret);
    QFETCH(bool, requireExp);
    QFETCH(QVariantMap, auth);
    QFETCH(QString, error);
    QFETCH(QString, name);
    QFETCH(QString, userId);

    ChatServerOptions options;
    options.secret = secret;
    options.requireExp = requireExp;
    options.io.engine.maxHttpBufferSize = 4 * OneMiB;
    startServer(options);
    QCOMPARE(m_server->isOpen(), secret.isEmpty());

    Socket *socket = createClient(auth);
    QSignalSpy connected(socket, &Socket::connected);
    QSignalSpy errors(socket, &Socket::connectError);
    QSignalSpy events(socket, &Socket::eventReceived);
    socket->connectToNamespace();
    QTRY_VERIFY_WITH_TIMEOUT(!eventsNamed(events, Events::Welcome).isEmpty() || !errors.isEmpty(), Timeout);

    if (!error.isEmpty()) {
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().at(0).toString(), error);
        QVERIFY(connected.isEmpty());
        QVERIFY(events.isEmpty());
        QVERIFY(!socket->isConnected());
        QVERIFY(m_server->io()->sockets()->sockets().isEmpty());
        return;
    }

    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
    QCOMPARE(connected.size(), 1);
    const QVariantMap welcome = eventsNamed(events, Events::Welcome).first().value(0).toMap();
    QCOMPARE(welcome.value(QStringLiteral("id")).toString(), socket->id());
    // an open server without a nickname names its guests
    const QString expectedName = name.isEmpty() ? QStringLiteral("guest-") + socket->id().left(4) : name;
    QCOMPARE(welcome.value(QStringLiteral("name")).toString(), expectedName);
    QCOMPARE(welcome.contains(QStringLiteral("userId")), !userId.isEmpty());
    QCOMPARE(welcome.value(QStringLiteral("userId")).toString(), userId);
    QCOMPARE(welcome.value(QStringLiteral("nicknames")).toMap(), (QVariantMap{{socket->id(), expectedName}}));
    QCOMPARE(m_server->nickname(socket->id()), expectedName);
}

void tst_ChatLogin::oversizedLoginOverDefaultLimit_data()
{
    QTest::addColumn<EngineIO::TransportType>("transport");
    QTest::addColumn<QString>("errorContains"); // in the client's connectError
    QTest::newRow("websocket") << EngineIO::TransportType::WebSocket << QString();
    QTest::newRow("polling") << EngineIO::TransportType::Polling << QStringLiteral("HTTP 413");
}

void tst_ChatLogin::oversizedLoginOverDefaultLimit()
{
    // With the default maxHttpBufferSize (1e6 bytes), a CONNECT carrying a 1 MiB token is over
    // the Engine.IO limit: the server refuses the WebSocket message (close 1009) or the POST
    // (413) before Socket.IO, let alone the JWT check, sees it. No "token too large" can come
    // back: the client loses its connection and reports a transport error instead.
    QFETCH(EngineIO::TransportType, transport);
    QFETCH(QString, errorContains);
    ChatServerOptions options;
    options.secret = Secret;
    startServer(options);
    QCOMPARE(options.io.engine.maxHttpBufferSize, qint64(1000000));

    const QByteArray token = signedToken({{QLatin1String("id"), 7},
                                          {QLatin1String("name"), QLatin1String("Big")},
                                          {QLatin1String("pad"), QString(OneMiB, u'x')}});
    QVERIFY(token.size() > options.io.engine.maxHttpBufferSize);
    ManagerOptions clientOptions;
    clientOptions.engine.transports = {transport};
    Socket *socket = createClient(tokenAuth(token), clientOptions);
    QSignalSpy connected(socket, &Socket::connected);
    QSignalSpy errors(socket, &Socket::connectError);
    QSignalSpy closed(socket->manager(), &Manager::closed);
    socket->connectToNamespace();
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), Timeout);

    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.first().at(0).toString(), QStringLiteral("transport error"));
    QCOMPARE(errors.size(), 1);
    const QString message = errors.first().at(0).toString();
    QVERIFY2(message.contains(errorContains), qPrintable(message));
    QVERIFY2(message != QLatin1String("token too large"), qPrintable(message));
    QVERIFY(connected.isEmpty());
    QVERIFY(!socket->isConnected());
    QVERIFY(m_server->io()->sockets()->sockets().isEmpty());
}

void tst_ChatLogin::cannotEavesdropOnPrivateMessages()
{
    ChatServerOptions options;
    options.secret = Secret;
    startServer(options);
    const auto login = [](const QJsonValue &id, const QString &name) {
        return tokenAuth(signedToken({{QLatin1String("id"), id}, {QLatin1String("name"), name}}));
    };
    const QString victimUserId = QStringLiteral("4242"); // an integer `id` claim, in decimal

    // A lurker joins the room named after the victim's user id while the victim is away (the
    // name is only reserved while its user is online): it must get nothing once the victim comes.
    Socket *lurker = connectClient(login(666, QStringLiteral("Lurker")));
    QVERIFY(lurker);
    QCOMPARE(call(lurker, Events::Join, {victimUserId}).value(QStringLiteral("status")).toString(), QStringLiteral("ok"));

    QVariantMap welcome;
    Socket *victim = connectClient(login(4242, QStringLiteral("Victim")), &welcome);
    QVERIFY(victim);
    QCOMPARE(welcome.value(QStringLiteral("userId")).toString(), victimUserId);
    Socket *attacker = connectClient(login(666, QStringLiteral("Mallory")));
    QVERIFY(attacker);
    Socket *sender = connectClient(login(QStringLiteral("u-carol"), QStringLiteral("Carol")));
    QVERIFY(sender);
    const QString victimId = victim->id();

    QSignalSpy victimEvents(victim, &Socket::eventReceived);
    QSignalSpy attackerEvents(attacker, &Socket::eventReceived);
    QSignalSpy lurkerEvents(lurker, &Socket::eventReceived);

    QCOMPARE(call(attacker, Events::Join, {victimId}), ackError(QStringLiteral("room name not allowed")));
    QCOMPARE(call(attacker, Events::Join, {victimUserId}), ackError(QStringLiteral("room name not allowed")));
    QCOMPARE(call(lurker, Events::Join, {victimId}), ackError(QStringLiteral("room name not allowed")));
    const QVariantMap intoVictimRoom{{QStringLiteral("message"), QStringLiteral("psst")},
                                     {QStringLiteral("roomName"), victimId}};
    QCOMPARE(call(attacker, Events::Message, {intoVictimRoom}), ackError(QStringLiteral("not a member")));
    QCOMPARE(call(attacker, Events::History, {QVariantMap{{QStringLiteral("roomName"), victimId}}}),
             ackError(QStringLiteral("not a member")));
    QCOMPARE(call(attacker, Events::Leave, {victimId}), ackError(QStringLiteral("not a member")));
    ServerSocket *attackerOnServer = m_server->io()->sockets()->socket(attacker->id());
    QVERIFY(attackerOnServer);
    QCOMPARE(attackerOnServer->rooms(), QSet<Room>{attacker->id()});
    QVERIFY(!m_server->rooms().contains(victimId));

    const QVariantMap delivered{{QStringLiteral("status"), QStringLiteral("ok")}, {QStringLiteral("delivered"), true}};
    QVariantMap bySocket = call(sender, Events::SendMsgTo,
                                {QVariantMap{{QStringLiteral("msg"), QStringLiteral("secret by socket")},
                                             {QStringLiteral("to"), victimId}}});
    bySocket.remove(QStringLiteral("timestamp"));
    QCOMPARE(bySocket, delivered);
    QVariantMap byUser = call(sender, Events::SendMsgTo,
                              {QVariantMap{{QStringLiteral("msg"), QStringLiteral("secret by user")},
                                           {QStringLiteral("toUser"), victimUserId}}});
    QCOMPARE(byUser.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(byUser.value(QStringLiteral("delivered")).toBool(), true);

    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(victimEvents, Events::PrivateMsg).size(), 2, Timeout);
    const QList<QVariantList> received = eventsNamed(victimEvents, Events::PrivateMsg);
    const QStringList texts{QStringLiteral("secret by socket"), QStringLiteral("secret by user")};
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QVariantMap message = received.at(i).value(0).toMap();
        QCOMPARE(message.value(QStringLiteral("msg")).toString(), texts.at(i));
        QCOMPARE(message.value(QStringLiteral("from")).toString(), sender->id());
        QCOMPARE(message.value(QStringLiteral("fromUser")).toString(), QStringLiteral("u-carol"));
    }
    // What the attacker tried earlier on its own connection would have reached the victim
    // before the sender's messages did.
    QVERIFY(eventsNamed(victimEvents, Events::Message).isEmpty());

    // Last, a marker to each eavesdropper: the server sends in order, so once it arrives,
    // anything the victim's messages had leaked to them would have arrived before it.
    for (Socket *eavesdropper : {attacker, lurker}) {
        QSignalSpy *spy = eavesdropper == attacker ? &attackerEvents : &lurkerEvents;
        const QString marker = QStringLiteral("marker for ") + eavesdropper->id();
        QCOMPARE(call(sender, Events::SendMsgTo,
                      {QVariantMap{{QStringLiteral("msg"), marker}, {QStringLiteral("to"), eavesdropper->id()}}})
                     .value(QStringLiteral("delivered"))
                     .toBool(),
                 true);
        QTRY_VERIFY_WITH_TIMEOUT(!eventsNamed(*spy, Events::PrivateMsg).isEmpty(), Timeout);
        const QList<QVariantList> got = eventsNamed(*spy, Events::PrivateMsg);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.first().value(0).toMap().value(QStringLiteral("msg")).toString(), marker);
        QVERIFY(eventsNamed(*spy, Events::Message).isEmpty());
    }
}

QTEST_MAIN(tst_ChatLogin)
#include "tst_chat_login.moc"
