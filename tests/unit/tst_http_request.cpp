// The Engine.IO server's HTTP/1.1 request parser, body framing and response writer.
#include "engineio/serverhttp.h"

#include <QTest>

using namespace Roomcast::EngineIO::Http;
using Status = HeadParseResult::Status;

class tst_HttpRequest : public QObject
{
    Q_OBJECT

private slots:
    void parsesHead();
    void parsesInAnySplit();
    void blankLineSplitAfterItsCr();
    void keepsBytesAfterTheHead();
    void absoluteTarget();
    void keepAlive_data();
    void keepAlive();
    void webSocketUpgrade();
    void rejects_data();
    void rejects();
    void limitsAppliedBeforeTheHeadEnds();
    void blankLinesCountTowardsTheCap();
    void bodyFraming_data();
    void bodyFraming();
    void chunked();
    void chunkedByteByByte();
    void chunkedRejects_data();
    void chunkedRejects();
    void chunkedTooLarge();
    void writesResponse();
};

namespace {

const QByteArray PollingGet = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\n"
                              "Host: 127.0.0.1:3000\r\n"
                              "Accept: */*\r\n"
                              "X-Twice: a\r\n"
                              "x-twice:  b \r\n"
                              "\r\n";

QByteArray headWithHeaders(int count)
{
    QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 1; i < count; ++i)
        head += "X-Header-" + QByteArray::number(i) + ": v\r\n";
    return head + "\r\n";
}

} // namespace

void tst_HttpRequest::parsesHead()
{
    const HeadParseResult result = parseRequestHead(PollingGet);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.size, PollingGet.size());
    const RequestHead &head = result.head;
    QCOMPARE(head.method, "GET");
    QCOMPARE(head.target, "/engine.io/?EIO=4&transport=polling");
    QCOMPARE(head.path, "/engine.io/");
    QCOMPARE(head.query, "EIO=4&transport=polling");
    QCOMPARE(head.minorVersion, 1);
    QCOMPARE(head.headers.size(), 4);
    QCOMPARE(head.headers.at(0).first, "host");
    QCOMPARE(head.header("HOST"), "127.0.0.1:3000");
    QCOMPARE(head.header("x-twice"), "a, b");
    QVERIFY(head.hasHeader("Accept"));
    QVERIFY(!head.hasHeader("Origin"));
    QCOMPARE(head.header("origin"), QByteArray());
}

void tst_HttpRequest::parsesInAnySplit()
{
    for (qsizetype n = 0; n < PollingGet.size(); ++n)
        QCOMPARE(parseRequestHead(QByteArrayView(PollingGet).first(n)).status, Status::Incomplete);
    // Blank lines before a request are skipped.
    const QByteArray withBlankLines = "\r\n\r\n" + PollingGet;
    const HeadParseResult result = parseRequestHead(withBlankLines);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.size, withBlankLines.size());
}

// Found by fuzz/http_request: a blank line before the request, cut between its CR and its LF
// by TCP, had the connection refused with 400.
void tst_HttpRequest::blankLineSplitAfterItsCr()
{
    QCOMPARE(parseRequestHead("\r").status, Status::Incomplete);
    QCOMPARE(parseRequestHead("\r\n\r").status, Status::Incomplete);
    const QByteArray withBlankLines = "\r\n\r\n" + PollingGet;
    for (qsizetype n = 0; n < withBlankLines.size(); ++n)
        QCOMPARE(parseRequestHead(QByteArrayView(withBlankLines).first(n)).status, Status::Incomplete);
    // A CR followed by anything but LF is still refused at once.
    QCOMPARE(parseRequestHead("\rGET").errorStatus, 400);
}

void tst_HttpRequest::keepsBytesAfterTheHead()
{
    const QByteArray data = "POST /p?sid=x HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\n4hello"
                            "GET /next HTTP/1.1\r\n";
    const HeadParseResult result = parseRequestHead(data);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(data.mid(result.size, 6), "4hello");
    QCOMPARE(result.head.method, "POST");
    QCOMPARE(result.head.query, "sid=x");
}

void tst_HttpRequest::absoluteTarget()
{
    const HeadParseResult result = parseRequestHead("GET http://example.com:80/engine.io/?EIO=4 HTTP/1.1\r\nHost: e\r\n\r\n");
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.head.path, "/engine.io/");
    QCOMPARE(result.head.query, "EIO=4");
    QCOMPARE(parseRequestHead("OPTIONS * HTTP/1.1\r\nHost: e\r\n\r\n").head.path, "*");
}

void tst_HttpRequest::keepAlive_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n") << false;
    QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
}

void tst_HttpRequest::keepAlive()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    const HeadParseResult result = parseRequestHead(head);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.head.keepAlive(), keepAlive);
}

void tst_HttpRequest::webSocketUpgrade()
{
    const HeadParseResult result = parseRequestHead("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                                                    "Host: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n"
                                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QCOMPARE(result.status, Status::Complete);
    QVERIFY(result.head.isWebSocketUpgrade());
    QVERIFY(!parseRequestHead(PollingGet).head.isWebSocketUpgrade());
    QVERIFY(!parseRequestHead("POST / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                 .head.isWebSocketUpgrade());
}

void tst_HttpRequest::rejects_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("status");
    QTest::newRow("no target") << QByteArray("GET HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("not http") << QByteArray("GET / FTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15) << 400;
    QTest::newRow("tls hello, incomplete") << QByteArray("\x16\x03\x01\x02\x00\x01", 6) << 400;
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost h\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400;
    QTest::newRow("folding") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n  folded\r\n\r\n") << 400;
    QTest::newRow("control in value") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nOrigin: a\x01z\r\n\r\n") << 400;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n") << 400;
    QTest::newRow("1.1 without host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("100 header lines") << headWithHeaders(100) << 431;
    QTest::newRow("huge header") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(20000, 'a') + "\r\n\r\n")
                                 << 431;
}

void tst_HttpRequest::rejects()
{
    QFETCH(QByteArray, data);
    QFETCH(int, status);
    const HeadParseResult result = parseRequestHead(data);
    QCOMPARE(result.status, Status::Error);
    QCOMPARE(result.errorStatus, status);
    QVERIFY(!result.error.isEmpty());
}

void tst_HttpRequest::limitsAppliedBeforeTheHeadEnds()
{
    // A head that is still arriving is refused once it can no longer fit.
    QByteArray many = headWithHeaders(100);
    many.chop(2);
    QCOMPARE(parseRequestHead(many).status, Status::Error);
    QCOMPARE(parseRequestHead(QByteArray(17000, 'a')).errorStatus, 431);

    HeadLimits limits;
    limits.maxCount = 3;
    QCOMPARE(parseRequestHead(headWithHeaders(3), limits).status, Status::Complete);
    QCOMPARE(parseRequestHead(headWithHeaders(4), limits).errorStatus, 431);
    const QByteArray small = headWithHeaders(1);
    limits.maxBytes = small.size();
    QCOMPARE(parseRequestHead(small, limits).status, Status::Complete);
    limits.maxBytes = small.size() - 1;
    QCOMPARE(parseRequestHead(small, limits).errorStatus, 431);
}

// Found by fuzz/http_request: a blank line, then more bytes than the cap and no end of head,
// was Incomplete however much followed. The connection peeks at most maxBytes + 1 bytes, so it
// waited for the request timeout (408) instead of refusing at once (431).
void tst_HttpRequest::blankLinesCountTowardsTheCap()
{
    HeadLimits limits;
    limits.maxBytes = 512;
    const QByteArray head = "\r\nGET /" + QByteArray(600, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n";
    const HeadParseResult peeked = parseRequestHead(head.first(limits.maxBytes + 1), limits);
    QCOMPARE(peeked.status, Status::Error);
    QCOMPARE(peeked.errorStatus, 431);
    QCOMPARE(parseRequestHead(head, limits).errorStatus, 431);
    // Up to the cap, blank lines included, it is still arriving.
    QCOMPARE(parseRequestHead(head.first(limits.maxBytes), limits).status, Status::Incomplete);
}

void tst_HttpRequest::bodyFraming_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("length");
    using Kind = BodyFraming::Kind;
    QTest::newRow("none") << QByteArray() << int(Kind::None) << qint64(0);
    QTest::newRow("zero") << QByteArray("Content-Length: 0\r\n") << int(Kind::None) << qint64(0);
    QTest::newRow("length") << QByteArray("Content-Length: 42\r\n") << int(Kind::Length) << qint64(42);
    QTest::newRow("same twice") << QByteArray("Content-Length: 42\r\nContent-Length: 42\r\n") << int(Kind::Length)
                                << qint64(42);
    QTest::newRow("conflict") << QByteArray("Content-Length: 42\r\nContent-Length: 43\r\n") << int(Kind::Invalid)
                              << qint64(0);
    QTest::newRow("negative") << QByteArray("Content-Length: -1\r\n") << int(Kind::Invalid) << qint64(0);
    QTest::newRow("hex") << QByteArray("Content-Length: 0x10\r\n") << int(Kind::Invalid) << qint64(0);
    QTest::newRow("huge") << QByteArray("Content-Length: 99999999999999999999999\r\n") << int(Kind::Invalid)
                          << qint64(0);
    QTest::newRow("chunked") << QByteArray("Transfer-Encoding: chunked\r\n") << int(Kind::Chunked) << qint64(0);
    QTest::newRow("gzip") << QByteArray("Transfer-Encoding: gzip, chunked\r\n") << int(Kind::Invalid) << qint64(0);
    QTest::newRow("smuggling") << QByteArray("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n") << int(Kind::Invalid)
                               << qint64(0);
}

void tst_HttpRequest::bodyFraming()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, kind);
    QFETCH(qint64, length);
    const QByteArray head = "POST / HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n";
    const HeadParseResult result = parseRequestHead(head);
    QCOMPARE(result.status, Status::Complete);
    const BodyFraming framing = Roomcast::EngineIO::Http::bodyFraming(result.head);
    QCOMPARE(int(framing.kind), kind);
    QCOMPARE(framing.length, length);
    QCOMPARE(framing.error.isEmpty(), kind != int(BodyFraming::Kind::Invalid));
}

void tst_HttpRequest::chunked()
{
    const QByteArray data = "5\r\n4hell\r\n1;ext=1\r\no\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
    ChunkedDecoder decoder(100);
    QByteArray body;
    const qsizetype used = decoder.feed(data, &body);
    QCOMPARE(decoder.status(), ChunkedDecoder::Status::Done);
    QCOMPARE(body, "4hello");
    QCOMPARE(data.mid(used), "NEXT");
}

void tst_HttpRequest::chunkedByteByByte()
{
    const QByteArray data = "3\r\n4he\r\n9\r\nllo world\r\n0\r\n\r\n";
    ChunkedDecoder decoder(100);
    QByteArray body;
    for (char c : data) {
        QCOMPARE(decoder.status(), ChunkedDecoder::Status::NeedMore);
        QCOMPARE(decoder.feed(QByteArrayView(&c, 1), &body), 1);
    }
    QCOMPARE(decoder.status(), ChunkedDecoder::Status::Done);
    QCOMPARE(body, "4hello world");
}

void tst_HttpRequest::chunkedRejects_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("not hex") << QByteArray("zz\r\n");
    QTest::newRow("empty size") << QByteArray("\r\n");
    QTest::newRow("no crlf after data") << QByteArray("1\r\nab\r\n");
    QTest::newRow("endless size line") << QByteArray(2000, '1');
    QTest::newRow("endless trailer") << QByteArray("0\r\n" + QByteArray(10000, 'x'));
}

void tst_HttpRequest::chunkedRejects()
{
    QFETCH(QByteArray, data);
    ChunkedDecoder decoder(1000000);
    QByteArray body;
    decoder.feed(data, &body);
    QCOMPARE(decoder.status(), ChunkedDecoder::Status::Error);
}

void tst_HttpRequest::chunkedTooLarge()
{
    ChunkedDecoder decoder(10);
    QByteArray body;
    decoder.feed("8\r\n12345678\r\n8\r\n", &body);
    QCOMPARE(decoder.status(), ChunkedDecoder::Status::TooLarge);
    QCOMPARE(body, "12345678");
}

void tst_HttpRequest::writesResponse()
{
    QCOMPARE(response(200, {{"Content-Type", "text/html"}}, "ok"),
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok");
    QCOMPARE(response(413, {}, {}), "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
    QCOMPARE(reasonPhrase(400), "Bad Request");
}

QTEST_APPLESS_MAIN(tst_HttpRequest)
#include "tst_http_request.moc"
