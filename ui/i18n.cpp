#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace Roomcast::Ui {

namespace {

const QString TranslatorName = QStringLiteral("roomcastTranslator");

//! Installs a translator for @p locale from @p directory/@p name_<language>.qm; false if there is none.
bool install(QCoreApplication &app, const QLocale &locale, const QString &name, const QString &directory)
{
    auto *translator = new QTranslator(&app);
    translator->setObjectName(TranslatorName);
    if (!translator->load(locale, name, QStringLiteral("_"), directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

} // namespace

bool installTranslations(QCoreApplication &app, const QLocale &locale)
{
    // A second call switches the language: the translators of the first go (a QTranslator
    // removes itself from the application when deleted).
    const auto previous = app.findChildren<QTranslator *>(TranslatorName, Qt::FindDirectChildrenOnly);
    qDeleteAll(previous);
    QLocale::setDefault(locale);

    // Qt's own strings (dialog buttons, socket and WebSocket errors in our messages' details), from
    // the system's Qt translations when installed (qt6-translations-l10n).
    const QString qt = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    install(app, locale, QStringLiteral("qtbase"), qt);
    install(app, locale, QStringLiteral("qtwebsockets"), qt);

    // Ours, embedded by qt_add_translations under :/i18n. English has one too, for the plural
    // forms alone ("1 member", "3 members"); the C locale and a language we have no translation
    // for read English, so they get it as well.
    const QString own = QStringLiteral(":/i18n");
    const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
    if (!english && install(app, locale, QStringLiteral("roomcast"), own))
        return true;
    install(app, QLocale(QLocale::English), QStringLiteral("roomcast"), own);
    return english;
}

} // namespace Roomcast::Ui
