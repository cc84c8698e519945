// Translations: the app's own (translations/, compiled into the binary by qt_add_translations)
// and Qt's, for the locale the user asked for (--locale) or the system's.
#pragma once

#include <QLocale>

class QCoreApplication;

namespace Roomcast::Ui {

//! Installs the translators for @p locale on @p app, in place of those of an earlier call; returns
//! whether the app's own translation for that language was found (always for English). A language
//! without one reads English, with the English plural forms.
bool installTranslations(QCoreApplication &app, const QLocale &locale);

} // namespace Roomcast::Ui
