// roomcast: the desktop app. Until the Widgets UI lands (ui/), it opens a window that says
// which protocol engine it carries, so that the README's run command starts something real.
#include "engineio/packet.h"
#include "socketio/packet.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("roomcast"));
    QApplication::setApplicationDisplayName(QStringLiteral("Roomcast"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));

    QMainWindow window;
    auto *label = new QLabel(QApplication::translate("main", "Roomcast %1 — Engine.IO v%2, Socket.IO v%3.\n"
                                                              "The chat window is being built.")
                                 .arg(QApplication::applicationVersion())
                                 .arg(Roomcast::EngineIO::ProtocolVersion)
                                 .arg(Roomcast::SocketIO::ProtocolVersion),
                             &window);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(24);
    window.setCentralWidget(label);
    window.resize(480, 200);
    window.show();
    return app.exec();
}
