// The Roomcast icon (resources/roomcast.svg, compiled in as :/icons/roomcast.svg), for the
// windows and the tray. Drawing it needs Qt's SVG icon engine plugin at run time (Debian:
// libqt6svg6).
#pragma once

#include <QIcon>
#include <QString>

namespace Roomcast::Ui {

//! ":/icons/roomcast.svg"
QString appIconPath();
//! The installed theme's "roomcast" icon if there is one, else the compiled-in SVG.
QIcon appIcon();

} // namespace Roomcast::Ui
