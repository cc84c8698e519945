#include "appicon.h"

namespace Roomcast::Ui {

QString appIconPath()
{
    return QStringLiteral(":/icons/roomcast.svg");
}

QIcon appIcon()
{
    return QIcon::fromTheme(QStringLiteral("roomcast"), QIcon(appIconPath()));
}

} // namespace Roomcast::Ui
