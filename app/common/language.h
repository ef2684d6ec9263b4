#pragma once
// The GUI's language: which one the person chose (View > Language, kept in
// the settings under keys::kLanguage), what that means for this system, and
// installing the translators for it. Applied at start-up (main.cpp, the
// screenshot tool, tests): a change in the menu takes effect at the next
// start, because the panels build their texts once.
#include <QLocale>
#include <QString>
#include <QStringList>

#include <exception>

namespace nn {
class Error;
struct UiText;
}

namespace app {

// The languages DigitPad ships, as stored in the settings: "" (follow the
// system), "en", "zh_CN".
struct LanguageChoice {
    QString code;    // the settings value
    QString native;  // its name in that language, as the menu shows it ("简体中文")
};
const QList<LanguageChoice>& languageChoices();

// The locale the GUI uses for `code`: the system's for "" (or an unknown
// code), otherwise that language. A system locale DigitPad has no
// translation for still formats numbers and dates its own way; the texts
// stay English.
QLocale uiLocale(const QString& code, const QLocale& system = QLocale::system());

struct InstalledLanguage {
    QLocale locale;
    bool appTranslation = false;  // :/i18n/digitpad_<lang>.qm was found and installed
    bool englishPlurals = false;  // instead, English plural forms (:/i18n/digitpad_en.qm): the texts are English
    bool qtTranslation = false;   // Qt's own qtbase_<lang>.qm (standard dialogs' buttons)
};

// Makes `locale` the default QLocale (number and date formatting) and
// installs DigitPad's and Qt's translators for it on the application,
// replacing any installed by an earlier call. English gets DigitPad's English
// plural forms only; a language DigitPad has no translation for gets them
// too (its texts stay English), with Qt's translation when there is one.
InstalledLanguage installLanguage(const QLocale& locale);

// The language the settings ask for ("" when none is stored).
QString storedLanguage();
void storeLanguage(const QString& code);

// An engine label marked DIGITPAD_UI_TEXT in nn/ (nn/uitext.h), translated.
QString engineText(const char* text);
// An engine sentence (the training log, why a run ended): its template and
// each translated part in the GUI's language, the placeholders filled in the
// translation's order; the values (numbers, paths) as they are.
QString translated(const nn::UiText& text);
// An error's message in the GUI's language: an nn::Error's text() (a
// UiError's sentence, a FileError's path, detail and offset, a SpecError's
// complaint) translated, its English parts as they are; any other
// exception's what() as it is.
QString errorText(const std::exception& error);

}  // namespace app
