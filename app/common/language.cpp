#include "language.h"

#include "settings.h"

#include <nn/uierror.h>
#include <nn/uitext.h>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace app {

const QList<LanguageChoice>& languageChoices()
{
    static const QList<LanguageChoice> list = {
        {QString(), QString()},  // "System": named by the menu in the current language
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("zh_CN"), QStringLiteral("简体中文")},
    };
    return list;
}

QLocale uiLocale(const QString& code, const QLocale& system)
{
    for (const LanguageChoice& c : languageChoices())
        if (!c.code.isEmpty() && c.code == code)
            return QLocale(code);
    return system;
}

InstalledLanguage installLanguage(const QLocale& locale)
{
    // Owned here so that a second call replaces the first one's translators.
    static std::unique_ptr<QTranslator> appTr, qtTr;
    for (auto* t : {&appTr, &qtTr})
        if (*t) {
            QCoreApplication::removeTranslator(t->get());
            t->reset();
        }
    QLocale::setDefault(locale);
    InstalledLanguage result{locale};
    const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
    auto mine = std::make_unique<QTranslator>();
    // English, and a language DigitPad has no translation for (its texts
    // stay English), get the English plural forms ("1 epoch", "2 epochs"
    // for tr("%n epoch(s)", nullptr, n)): digitpad_en.qm holds only those.
    if ((!english && mine->load(locale, QStringLiteral("digitpad"), QStringLiteral("_"), QStringLiteral(":/i18n"))) ||
        mine->load(QStringLiteral(":/i18n/digitpad_en.qm"))) {
        QCoreApplication::installTranslator(mine.get());
        result.englishPlurals = mine->language() == QLatin1String("en");
        result.appTranslation = !result.englishPlurals;
        appTr = std::move(mine);
    }
    if (english)
        return result;
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qtTr = std::move(qt);
        result.qtTranslation = true;
    }
    return result;
}

QString storedLanguage() { return Settings().value(QString::fromLatin1(keys::kLanguage)).toString(); }

void storeLanguage(const QString& code)
{
    Settings s;
    if (code.isEmpty())
        s.remove(QString::fromLatin1(keys::kLanguage));
    else
        s.setValue(QString::fromLatin1(keys::kLanguage), code);
}

QString engineText(const char* text) { return QCoreApplication::translate("nn::ui", text); }

QString translated(const nn::UiText& text)
{
    return QString::fromStdString(
        nn::render(text, [](const char* tmpl) { return engineText(tmpl).toStdString(); }));
}

QString errorText(const std::exception& error)
{
    if (const auto* engine = dynamic_cast<const nn::Error*>(&error))
        return translated(engine->text());
    return QString::fromStdString(error.what());
}

}  // namespace app
