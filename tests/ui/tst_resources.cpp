// The app's resources: the SVG icon compiled into roomcast_ui draws through Qt's SVG icon engine
// on the offscreen platform (as the window and the tray need it to), and the .desktop file says
// what desktops need to start Roomcast for a roomcast:// link. (desktop-file-validate and an
// install into a temporary prefix are registered beside this suite, in widgets.cmake.)
#include "ui/widgets/appicon.h"

#include <QFile>
#include <QGuiApplication>
#include <QIcon>
#include <QImage>
#include <QImageReader>
#include <QTest>

using namespace Roomcast;

namespace {

QString sourceFile(const char *relative)
{
    return QStringLiteral(ROOMCAST_SOURCE_DIR "/") + QString::fromLatin1(relative);
}

//! The "Key=value" lines of the [Desktop Entry] group.
QHash<QString, QString> desktopEntry(const QString &path)
{
    QHash<QString, QString> entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return entries;
    bool inGroup = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(u'[')) {
            inGroup = line == QLatin1String("[Desktop Entry]");
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (inGroup && equals > 0 && !line.startsWith(u'#'))
            entries.insert(line.left(equals), line.mid(equals + 1));
    }
    return entries;
}

} // namespace

class tst_Resources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void iconIsCompiledIn();
    void iconDraws_data();
    void iconDraws();
    void desktopFile();
};

void tst_Resources::iconIsCompiledIn()
{
    QFile compiled(Ui::appIconPath());
    QVERIFY2(compiled.open(QIODevice::ReadOnly), qPrintable(Ui::appIconPath()));
    QFile source(sourceFile("resources/roomcast.svg"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray svg = compiled.readAll();
    QCOMPARE(svg, source.readAll());
    QVERIFY(svg.contains("viewBox=\"0 0 256 256\""));
    // the SVG plugins are there: the icon engine (QIcon) and the image format
    QVERIFY(QImageReader::supportedImageFormats().contains("svg"));
}

void tst_Resources::iconDraws_data()
{
    QTest::addColumn<int>("size");
    for (int size : {16, 22, 32, 48, 64, 128, 256})
        QTest::addRow("%d", size) << size;
}

void tst_Resources::iconDraws()
{
    QFETCH(int, size);
    for (const QIcon &icon : {QIcon(Ui::appIconPath()), Ui::appIcon()}) {
        QVERIFY(!icon.isNull());
        const QImage image = icon.pixmap(QSize(size, size)).toImage().convertToFormat(QImage::Format_ARGB32);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(size, size));
        // transparent around the bubble, a blue bubble, the white broadcast source at its heart
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
        const QRgb bubble = image.pixel(size / 2, size * 170 / 256);
        QVERIFY(qAlpha(bubble) > 250);
        QVERIFY2(qBlue(bubble) > qRed(bubble) + 60, qPrintable(QString::number(bubble, 16)));
        const QRgb source = image.pixel(size / 2, size * 114 / 256);
        QVERIFY2(qRed(source) > 200 && qGreen(source) > 200 && qBlue(source) > 200, qPrintable(QString::number(source, 16)));
    }
}

void tst_Resources::desktopFile()
{
    const QHash<QString, QString> entry = desktopEntry(sourceFile("resources/roomcast.desktop"));
    QCOMPARE(entry.value(QStringLiteral("Type")), QStringLiteral("Application"));
    QCOMPARE(entry.value(QStringLiteral("Name")), QStringLiteral("Roomcast"));
    QVERIFY(!entry.value(QStringLiteral("Comment")).isEmpty());
    QCOMPARE(entry.value(QStringLiteral("Exec")), QStringLiteral("roomcast %u"));
    QCOMPARE(entry.value(QStringLiteral("Icon")), QStringLiteral("roomcast"));
    const QStringList types = entry.value(QStringLiteral("MimeType")).split(u';', Qt::SkipEmptyParts);
    QVERIFY(types.contains(QStringLiteral("x-scheme-handler/roomcast")));
    QVERIFY(types.contains(QStringLiteral("x-scheme-handler/roomcasts")));
    const QStringList categories = entry.value(QStringLiteral("Categories")).split(u';', Qt::SkipEmptyParts);
    QCOMPARE(categories, (QStringList{QStringLiteral("Network"), QStringLiteral("Chat"), QStringLiteral("InstantMessaging")}));
}

QTEST_MAIN(tst_Resources)
#include "tst_resources.moc"
