#include "language.h"

#include "settings.h"

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
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return result;
    auto mine = std::make_unique<QTranslator>();
    if (mine->load(locale, QStringLiteral("digitpad"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(mine.get());
        appTr = std::move(mine);
        result.appTranslation = true;
    }
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

}  // namespace app
