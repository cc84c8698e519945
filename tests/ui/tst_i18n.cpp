// The translations: every catalogue in translations/ complete and faithful to its sources
// (placeholders, accelerators, plural forms, French typography), compiled into the app and
// loaded by Ui::installTranslations() together with Qt's own, and the main window and the
// dialogs built in French with their accelerators unique and no button cut short.
// (That the .ts files hold every string of the sources is checked beside this suite by running
// lupdate on copies of them: roomcast_translations_current, session.cmake.)
#include "ui/i18n.h"
#include "ui/session/tokenstore.h"
#include "ui/widgets/hostdialog.h"
#include "ui/widgets/hostingpanel.h"
#include "ui/widgets/joindialog.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/startpage.h"

#include "chat/chatclient.h"
#include "chat/discovery.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLayout>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>

using namespace Roomcast;

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    QString type;              //!< the translation's type attribute: "unfinished", "obsolete", …
    QStringList translations;  //!< one, or one per plural form
};

struct Catalogue
{
    QString language; //!< the TS element's language attribute, "fr_FR"
    QList<Message> messages;
    QString error;
};

Catalogue parse(const QString &path)
{
    Catalogue catalogue;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        catalogue.error = file.errorString();
        return catalogue;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("TS")) {
            catalogue.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = Message{context, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes"), {}, {}};
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            if (message.numerus) {
                while (xml.readNextStartElement()) {
                    if (xml.name() == QLatin1String("numerusform"))
                        message.translations.append(xml.readElementText());
                    else
                        xml.skipCurrentElement();
                }
            } else {
                message.translations.append(xml.readElementText());
            }
            catalogue.messages.append(message);
        }
    }
    if (xml.hasError())
        catalogue.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return catalogue;
}

QString translationsDir()
{
    return QStringLiteral(ROOMCAST_TRANSLATIONS_DIR);
}

//! %1…%9 and %n, sorted, with repeats; %L1 and %Ln (the same, in the locale's digits) count as %1 and %n.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("%L?([1-9n])"));
    QStringList found;
    for (auto it = marker.globalMatch(text); it.hasNext();)
        found.append(u'%' + it.next().captured(1));
    found.sort();
    return found;
}

//! The letter after each '&' that marks an accelerator ("&&" is a literal '&'), lower-cased.
QString accelerators(const QString &text)
{
    QString letters;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        letters.append(text.at(i + 1).toLower());
    }
    return letters;
}

//! How many plural forms Qt's rules give the language of a catalogue (lrelease's numerus rules).
int pluralForms(const QString &language)
{
    static const QHash<QString, int> forms{{QStringLiteral("fr"), 2}, {QStringLiteral("en"), 2}};
    return forms.value(language.section(u'_', 0, 0), -1);
}

//! Where French wants a no-break space (U+00A0 or U+202F) and the text has none: "" when all is well.
QString frenchTypographyProblem(const QString &text)
{
    const auto noBreak = [](QChar c) { return c == QChar(0x00a0) || c == QChar(0x202f); };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool endOfWord = i + 1 == text.size() || text.at(i + 1).isSpace();
        if (QStringLiteral(":;!?»").contains(c) && (c == u'»' || endOfWord) && (i == 0 || !noBreak(text.at(i - 1))))
            return QStringLiteral("no no-break space before '%1' at %2").arg(c).arg(i);
        if (c == u'«' && (i + 1 == text.size() || !noBreak(text.at(i + 1))))
            return QStringLiteral("no no-break space after '«' at %1").arg(i);
        if (c == u'\'')
            return QStringLiteral("a straight apostrophe at %1: French typography uses ’").arg(i);
        if (c == u'"')
            return QStringLiteral("English quotes at %1: French uses « »").arg(i);
    }
    if (text.contains(QLatin1String("...")))
        return QStringLiteral("three dots: the source's '…' is one character");
    return {};
}

QString translated(const char *context, const char *source, int n = -1)
{
    return QCoreApplication::translate(context, source, nullptr, n);
}

//! The accelerators of the widgets a user sees together: buttons, and labels that have a buddy.
QStringList widgetAccelerators(const QWidget *top)
{
    QStringList found;
    for (const QAbstractButton *button : top->findChildren<QAbstractButton *>()) {
        if (button->isVisibleTo(top) && !accelerators(button->text()).isEmpty())
            found.append(accelerators(button->text()) + u' ' + button->text());
    }
    for (const QLabel *label : top->findChildren<QLabel *>()) {
        if (label->buddy() && label->isVisibleTo(top) && !accelerators(label->text()).isEmpty())
            found.append(accelerators(label->text()) + u' ' + label->text());
    }
    return found;
}

//! "x: A, B" for every letter two or more of @p entries ("x text") share; empty when all differ.
QString clashes(const QStringList &entries)
{
    QHash<QChar, QStringList> byLetter;
    for (const QString &entry : entries)
        byLetter[entry.at(0)].append(entry.mid(2));
    QStringList found;
    for (auto it = byLetter.cbegin(); it != byLetter.cend(); ++it)
        if (it->size() > 1)
            found.append(QStringLiteral("%1: %2").arg(it.key()).arg(it->join(QLatin1String(", "))));
    return found.join(QLatin1String("; "));
}

//! The buttons of @p top whose text does not fit: narrower than they ask to be.
QStringList cutShort(const QWidget *top)
{
    QStringList found;
    for (const QAbstractButton *button : top->findChildren<QAbstractButton *>()) {
        if (button->isVisible() && !button->text().isEmpty() && button->width() < button->sizeHint().width())
            found.append(QStringLiteral("%1 (%2 < %3)").arg(button->text()).arg(button->width()).arg(button->sizeHint().width()));
    }
    return found;
}

} // namespace

class tst_I18n : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void checkersFindWhatTheyLookFor();
    void catalogues_data();
    void catalogues();
    void frenchTypography();
    void frenchIsLoaded_data();
    void frenchIsLoaded();
    void frenchPluralRules();
    void qtsOwnInFrench();
    void englishPluralForms_data();
    void englishPluralForms();
    void otherLanguagesReadEnglish();
    void mainWindowInFrench();
    void dialogsInFrench();

private:
    Chat::Discovery::DiscoveryBrowser m_browser; //!< never started: no test binds the LAN port
};

void tst_I18n::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the window's settings: ours, not the user's
    QSettings().clear();
}

void tst_I18n::cleanup()
{
    Ui::installTranslations(*qApp, QLocale(QLocale::English));
}

void tst_I18n::checkersFindWhatTheyLookFor()
{
    QCOMPARE(accelerators(QStringLiteral("Sa&lon && co")), QStringLiteral("l"));
    QCOMPARE(accelerators(QStringLiteral("Salon && co")), QString());
    QCOMPARE(placeholders(QStringLiteral("%2 de %L1, %Ln et %n")),
             (QStringList{QStringLiteral("%1"), QStringLiteral("%2"), QStringLiteral("%n"), QStringLiteral("%n")}));
    QVERIFY(placeholders(QStringLiteral("100 %")).isEmpty());
    QCOMPARE(clashes({QStringLiteral("s &Salons"), QStringLiteral("s &Serveur"), QStringLiteral("a &Aide")}),
             QStringLiteral("s: &Salons, &Serveur"));
    QVERIFY(clashes({QStringLiteral("s &Salons"), QStringLiteral("a &Aide")}).isEmpty());
    QVERIFY(!frenchTypographyProblem(QStringLiteral("Serveur : %1")).isEmpty());
    QVERIFY(!frenchTypographyProblem(QStringLiteral("« %1 »")).isEmpty());
    QVERIFY(!frenchTypographyProblem(QStringLiteral("l'hôte")).isEmpty());
    QVERIFY(!frenchTypographyProblem(QStringLiteral("Rejoindre...")).isEmpty());
    QVERIFY(frenchTypographyProblem(QString(u"Serveur" + QChar(0x00a0) + u": %1")).isEmpty());
    QVERIFY(frenchTypographyProblem(QStringLiteral("roomcast://hôte:3000/?room=R")).isEmpty());
}

void tst_I18n::catalogues_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = QDir(translationsDir()).entryList({QStringLiteral("*.ts")}, QDir::Files, QDir::Name);
    QVERIFY2(files.contains(QLatin1String("roomcast_fr.ts")) && files.contains(QLatin1String("roomcast_en.ts")),
             qPrintable(files.join(u' ')));
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << QDir(translationsDir()).filePath(file);
}

void tst_I18n::catalogues()
{
    QFETCH(QString, path);
    const Catalogue catalogue = parse(path);
    QVERIFY2(catalogue.error.isEmpty(), qPrintable(catalogue.error));
    const int forms = pluralForms(catalogue.language);
    QVERIFY2(forms > 0, qPrintable(QStringLiteral("%1: how many plural forms has %2? (pluralForms())")
                                       .arg(path, catalogue.language)));
    // the plural-only English catalogue has its few, the French one everything
    QVERIFY(catalogue.messages.size() >= (catalogue.language.startsWith(QLatin1String("en")) ? 5 : 250));

    QStringList problems;
    for (const Message &message : catalogue.messages) {
        const QString where = message.context + QLatin1String(": \"") + message.source + u'"';
        if (!message.type.isEmpty())
            problems.append(where + QLatin1String(" is ") + message.type);
        if (message.numerus != placeholders(message.source).contains(QLatin1String("%n")))
            problems.append(where + QLatin1String(": %n without numerus, or numerus without %n"));
        if (message.translations.size() != (message.numerus ? forms : 1))
            problems.append(where + QStringLiteral(": %1 forms").arg(message.translations.size()));
        if (catalogue.language.startsWith(QLatin1String("en")) && !message.numerus)
            problems.append(where + QLatin1String(": the English catalogue holds plural forms only"));
        if (accelerators(message.source).size() > 1)
            problems.append(where + QLatin1String(": more than one accelerator in the source"));
        for (const QString &translation : message.translations) {
            if (translation.trimmed().isEmpty())
                problems.append(where + QLatin1String(": empty"));
            else if (placeholders(translation) != placeholders(message.source))
                problems.append(where + QLatin1String(": placeholders of \"") + translation + u'"');
            if (accelerators(translation).size() != accelerators(message.source).size())
                problems.append(where + QLatin1String(": accelerators of \"") + translation + u'"');
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void tst_I18n::frenchTypography()
{
    const Catalogue french = parse(QDir(translationsDir()).filePath(QStringLiteral("roomcast_fr.ts")));
    QVERIFY2(french.error.isEmpty(), qPrintable(french.error));
    QStringList problems;
    for (const Message &message : french.messages) {
        for (const QString &translation : message.translations) {
            const QString problem = frenchTypographyProblem(translation);
            if (!problem.isEmpty())
                problems.append(QStringLiteral("\"%1\": %2").arg(translation, problem));
            if (message.source.contains(QChar(0x2026)) != translation.contains(QChar(0x2026)))
                problems.append(QStringLiteral("\"%1\": the source's '…' is lost or added").arg(translation));
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void tst_I18n::frenchIsLoaded_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("french");
    const QString nbsp(QChar(0x00a0));
    const auto row = [](const char *name, const char *context, const char *source, const QString &french) {
        QTest::newRow(name) << QString::fromLatin1(context) << QString::fromUtf8(source) << french;
    };
    row("MainWindow menu", "Roomcast::Ui::MainWindow", "R&ooms", QStringLiteral("&Salons"));
    row("MainWindow action", "Roomcast::Ui::MainWindow", "Change &nickname…", QStringLiteral("Changer de &pseudo…"));
    row("JoinDialog label", "Roomcast::Ui::JoinDialog", "&Nickname:", QString(u"&Pseudo" + nbsp + u':'));
    row("HostDialog title", "Roomcast::Ui::HostDialog", "Host a Room", QStringLiteral("Héberger un salon"));
    row("engine error", "Roomcast::EngineIO::Server", "Port %1 is already in use on %2.",
        QStringLiteral("Le port %1 est déjà utilisé sur %2."));
    row("main", "main", "Host a room on this computer at once.",
        QStringLiteral("Héberger tout de suite un salon sur cet ordinateur."));
}

void tst_I18n::frenchIsLoaded()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(QString, french);
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French)));
    QCOMPARE(QLocale().language(), QLocale::French);
    QCOMPARE(translated(context.toLatin1().constData(), source.toUtf8().constData()), french);
    // a ChatClient error, as the server sends it in English and the window shows it
    QCOMPARE(Chat::ChatClient::translatedError(QStringLiteral("token required")),
             QStringLiteral("Ce serveur demande un jeton de connexion."));
    QCOMPARE(Chat::ChatClient::translatedError(QStringLiteral("not a code we know")), QStringLiteral("not a code we know"));
}

void tst_I18n::frenchPluralRules()
{
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French)));
    const char *context = "Roomcast::Ui::RoomBrowser";
    const char *source = "#%1 · %n member(s)";
    QCOMPARE(translated(context, source, 1), QStringLiteral("#%1 · 1 membre"));
    QCOMPARE(translated(context, source, 3), QStringLiteral("#%1 · 3 membres"));
    // French counts 0 as singular, English as plural
    QCOMPARE(translated(context, source, 0), QStringLiteral("#%1 · 0 membre"));
    QCOMPARE(translated("Roomcast::Ui::Notifier", "Roomcast: %n unread message(s)", 2),
             QString(u"Roomcast" + QChar(0x00a0) + u": 2 messages non lus"));
    // the count in French digits (%Ln): 1 200
    QCOMPARE(translated("Roomcast::Ui::MainWindow", "You are sending too fast: wait %n second(s).", 1200),
             QString(u"Vous envoyez trop vite" + QChar(0x00a0) + u": patientez " + QLocale().toString(1200)
                     + u" secondes."));
}

void tst_I18n::qtsOwnInFrench()
{
    const QString qtbase = QDir(QLibraryInfo::path(QLibraryInfo::TranslationsPath)).filePath(QStringLiteral("qtbase_fr.qm"));
    QVERIFY2(QFile::exists(qtbase), qPrintable(qtbase + QLatin1String(" is missing: qt6-translations-l10n, see scripts/deps.sh")));
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French)));
    QCOMPARE(translated("QPlatformTheme", "&Yes"), QStringLiteral("&Oui"));
    QCOMPARE(translated("QPlatformTheme", "Cancel"), QStringLiteral("Annuler"));
    QDialogButtonBox buttons(QDialogButtonBox::Yes | QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Yes)->text(), QStringLiteral("&Oui"));
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Annuler"));
    // and back in English, Qt's are English again
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::English)));
    QCOMPARE(translated("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
}

void tst_I18n::englishPluralForms_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::newRow("en_US") << QLocale(QLocale::English, QLocale::UnitedStates);
    QTest::newRow("en_GB") << QLocale(QLocale::English, QLocale::UnitedKingdom);
    QTest::newRow("C") << QLocale::c();
}

void tst_I18n::englishPluralForms()
{
    QFETCH(QLocale, locale);
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French))); // the English one replaces it
    QVERIFY(Ui::installTranslations(*qApp, locale));
    const char *context = "Roomcast::Ui::RoomBrowser";
    const char *source = "#%1 · %n member(s)";
    QCOMPARE(translated(context, source, 1), QStringLiteral("#%1 · 1 member"));
    QCOMPARE(translated(context, source, 3), QStringLiteral("#%1 · 3 members"));
    QCOMPARE(translated(context, source, 0), QStringLiteral("#%1 · 0 members"));
    QCOMPARE(translated("Roomcast::Ui::Notifier", "Roomcast: %n unread message(s)", 1), QStringLiteral("Roomcast: 1 unread message"));
    QCOMPARE(translated("Roomcast::Ui::MainWindow", "You are sending too fast: wait %n second(s).", 2),
             QStringLiteral("You are sending too fast: wait 2 seconds."));
    // everything else is the source, French gone
    QCOMPARE(translated("Roomcast::Ui::MainWindow", "R&ooms"), QStringLiteral("R&ooms"));
    QCOMPARE(Chat::ChatClient::translatedError(QStringLiteral("token required")),
             QStringLiteral("This server needs a login token."));
}

void tst_I18n::otherLanguagesReadEnglish()
{
    // no Roomcast translation for Icelandic: false, and the English text with its plural forms
    QVERIFY(!Ui::installTranslations(*qApp, QLocale(QLocale::Icelandic)));
    QCOMPARE(QLocale().language(), QLocale::Icelandic);
    QCOMPARE(translated("Roomcast::Ui::RoomBrowser", "#%1 · %n member(s)", 1), QStringLiteral("#%1 · 1 member"));
    QCOMPARE(translated("Roomcast::Ui::MainWindow", "R&ooms"), QStringLiteral("R&ooms"));
}

void tst_I18n::mainWindowInFrench()
{
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French)));
    Ui::MainWindow window(&m_browser);
    QStringList titles;
    QStringList menuBar;
    for (QAction *action : window.menuBar()->actions()) {
        titles.append(action->text());
        menuBar.append(accelerators(action->text()) + u' ' + action->text());
        QStringList items;
        for (QAction *item : action->menu()->actions())
            if (!item->isSeparator())
                items.append(accelerators(item->text()) + u' ' + item->text());
        QVERIFY2(clashes(items).isEmpty(), qPrintable(action->text() + QLatin1String(": ") + clashes(items)));
    }
    QCOMPARE(titles, (QStringList{QStringLiteral("&Roomcast"), QStringLiteral("&Salons"), QStringLiteral("&Profil"),
                                  QStringLiteral("&Aide")}));
    QCOMPARE(window.menuBar()->actions().at(1)->menu()->actions().at(0)->text(), QStringLiteral("&Rejoindre ou créer un salon…"));

    // the start page and the hosting panel share the window with the menu bar: Alt+letter is one thing
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList shown = menuBar + widgetAccelerators(window.startPage()) + widgetAccelerators(window.hostingPanel());
    QVERIFY2(clashes(shown).isEmpty(), qPrintable(clashes(shown)));
    QVERIFY2(shown.size() >= 4 + 2 + 5, qPrintable(shown.join(QLatin1String(", "))));
    window.findChild<QDockWidget *>(QStringLiteral("hostingDock"))->show();
    window.layout()->activate();
    QVERIFY(window.hostingPanel()->isVisible());
    QVERIFY2(cutShort(&window).isEmpty(), qPrintable(cutShort(&window).join(QLatin1String(", "))));
}

void tst_I18n::dialogsInFrench()
{
    QVERIFY(Ui::installTranslations(*qApp, QLocale(QLocale::French)));
    Ui::TokenStore tokens;
    Ui::JoinDialog join(&tokens);
    Ui::HostDialog host;
    QCOMPARE(join.windowTitle(), QStringLiteral("Rejoindre un salon"));
    QCOMPARE(host.windowTitle(), QStringLiteral("Héberger un salon"));
    for (QDialog *dialog : {static_cast<QDialog *>(&join), static_cast<QDialog *>(&host)}) {
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        const QStringList shown = widgetAccelerators(dialog);
        QVERIFY2(shown.size() >= 5, qPrintable(shown.join(QLatin1String(", "))));
        QVERIFY2(clashes(shown).isEmpty(), qPrintable(dialog->windowTitle() + QLatin1String(": ") + clashes(shown)));
        QVERIFY2(cutShort(dialog).isEmpty(), qPrintable(cutShort(dialog).join(QLatin1String(", "))));
        // Qt's Cancel, in French too
        const auto *box = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(box);
        QCOMPARE(box->button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Annuler"));
    }
}

QTEST_MAIN(tst_I18n)
#include "tst_i18n.moc"
