// roomcast: the desktop app. `roomcast [URL]` opens a join link (roomcast://host:port/?room=R&token=T
// or http(s)://…); `roomcast --host` hosts a room at once; with neither it shows the start page.
// A second launch hands its URL to the running window and exits.
#include "ui/i18n.h"
#include "ui/session/hostcontroller.h"
#include "ui/session/joinurl.h"
#include "ui/session/singleinstance.h"
#include "ui/widgets/appicon.h"
#include "ui/widgets/hostdialog.h"
#include "ui/widgets/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>

using namespace Roomcast;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Roomcast"));
    QApplication::setApplicationName(QStringLiteral("roomcast"));
    QApplication::setApplicationDisplayName(QStringLiteral("Roomcast"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("roomcast"));

    // The translation first, so that --help is in the user's language too: --locale is read
    // ahead of the parser, which is built with the translated texts.
    QLocale wanted = QLocale::system();
    const QStringList arguments = QApplication::arguments();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments.at(i).startsWith(QLatin1String("--locale=")))
            wanted = QLocale(arguments.at(i).section(u'=', 1));
        else if (arguments.at(i) == QLatin1String("--locale") && i + 1 < arguments.size())
            wanted = QLocale(arguments.at(i + 1));
    }
    Ui::installTranslations(app, wanted);

    QCommandLineParser parser;
    const QCommandLineOption locale(QStringLiteral("locale"),
                                    QApplication::translate("main", "Use the translation for LOCALE (e.g. fr)."),
                                    QStringLiteral("LOCALE"));
    parser.addOption(locale);
    const QCommandLineOption host(QStringLiteral("host"),
                                  QApplication::translate("main", "Host a room on this computer at once."));
    parser.addOption(host);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QApplication::translate("main", "A room to join: roomcast://host:port/?room=R"),
                                 QStringLiteral("[URL]"));
    parser.process(app);
    QApplication::setWindowIcon(Ui::appIcon());

    const QStringList urls = parser.positionalArguments();
    Ui::SingleInstance instance;
    if (instance.sendToRunning(urls))
        return 0; // the running window opens them
    instance.listen(); // without it a second launch opens a second window: not fatal

    Ui::MainWindow window;
    QObject::connect(&instance, &Ui::SingleInstance::messageReceived, &window, [&window](const QStringList &arguments) {
        window.showNormal();
        window.raise();
        window.activateWindow();
        if (!arguments.isEmpty())
            window.openUrl(arguments.constFirst());
    });
    window.show();
    if (!urls.isEmpty()) {
        window.openUrl(urls.constFirst());
    } else if (parser.isSet(host)) {
        // an open room on the usual port; if another program has it, on any free port
        const Ui::HostSettings settings{Ui::HostDialog::defaultRoomName(), Ui::JoinUrl::DefaultPort, false, {}};
        auto *fallback = new QObject(&window);
        QObject::connect(window.hostController(), &Ui::HostController::startFailed, fallback,
                         [&window, fallback, settings] {
                             fallback->deleteLater();
                             Ui::HostSettings anyPort = settings;
                             anyPort.port = 0;
                             window.hostRoom(anyPort);
                         });
        QObject::connect(window.hostController(), &Ui::HostController::started, fallback, &QObject::deleteLater);
        window.hostRoom(settings);
    }
    return app.exec();
}
