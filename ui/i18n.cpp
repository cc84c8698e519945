#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace Roomcast::Ui {

bool installTranslations(QCoreApplication &app, const QLocale &locale)
{
    QLocale::setDefault(locale);
    // Qt's own strings (dialog buttons, …) from the system's Qt translations, when installed.
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    // Ours, embedded by qt_add_translations under :/i18n.
    auto *own = new QTranslator(&app);
    if (!own->load(locale, QStringLiteral("roomcast"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    return true;
}

} // namespace Roomcast::Ui
