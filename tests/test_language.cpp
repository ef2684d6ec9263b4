// The GUI's languages (issue 19): the choice kept in the settings, the
// locale it means, the embedded zh_CN translation reaching the main window,
// the training form's field table, the engine's labels and the plain code
// beside the panels (whose tr() context must match what lupdate wrote).
#include "common/language.h"
#include "common/run_compare.h"
#include "common/settings.h"
#include "main_window.h"
#include "panels/training_plan.h"
#include "workers/training_worker.h"

#include <QAction>
#include <QApplication>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

class TestLanguage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        app::Settings().remove(QString::fromLatin1(app::keys::kLanguage));
    }

    void cleanup() { app::installLanguage(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void choices()
    {
        QCOMPARE(app::uiLocale(QString(), QLocale(QLocale::German)).language(), QLocale::German);
        QCOMPARE(app::uiLocale(QStringLiteral("xx_YY"), QLocale(QLocale::German)).language(), QLocale::German);
        QCOMPARE(app::uiLocale(QStringLiteral("zh_CN"), QLocale(QLocale::German)).name(), QStringLiteral("zh_CN"));
        QCOMPARE(app::uiLocale(QStringLiteral("en"), QLocale(QLocale::Chinese)).language(), QLocale::English);
        QCOMPARE(app::storedLanguage(), QString());
        app::storeLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(app::storedLanguage(), QStringLiteral("zh_CN"));
        app::storeLanguage(QString());
        QCOMPARE(app::storedLanguage(), QString());
        QVERIFY(!app::Settings().contains(QString::fromLatin1(app::keys::kLanguage)));
    }

    void chineseIsEmbeddedAndInstalled()
    {
        const app::InstalledLanguage l = app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        QVERIFY(l.appTranslation);
        QCOMPARE(QLocale().name(), QStringLiteral("zh_CN"));
        // From a Q_OBJECT class, from the field table in nn/ and from plain
        // code with its own context (training_plan.cpp).
        QCOMPARE(app::engineText("Scale"), QStringLiteral("缩放"));
        QCOMPARE(app::engineText("Default CNN"), QStringLiteral("默认 CNN"));
        QCOMPARE(app::userDigitsLabel(0, 0).text, QStringLiteral("我的数字（暂无）"));
        QCOMPARE(app::userDigitsLabel(5, 2).text, QStringLiteral("我的数字：3 个用于训练，2 个留出"));
        // English again replaces it with the English plural forms only.
        app::installLanguage(QLocale(QLocale::English));
        QCOMPARE(app::engineText("Scale"), QStringLiteral("Scale"));
        QCOMPARE(app::userDigitsLabel(0, 0).text, QStringLiteral("My digits (none yet)"));
    }

    // English has a plural-only translation (digitpad_en.ts): "1 epoch",
    // "2 epochs" instead of "epoch(s)", for View > Language English and for
    // the System choice on a locale DigitPad has no translation for.
    void englishPlurals_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QLocale>("system");
        QTest::newRow("English chosen on a Chinese system") << QStringLiteral("en") << QLocale(QStringLiteral("zh_CN"));
        QTest::newRow("System, English locale") << QString() << QLocale(QLocale::English, QLocale::UnitedKingdom);
        QTest::newRow("System, German locale") << QString() << QLocale(QLocale::German, QLocale::Germany);
        QTest::newRow("System, C locale") << QString() << QLocale::c();
    }

    void englishPlurals()
    {
        QFETCH(QString, code);
        QFETCH(QLocale, system);
        const app::InstalledLanguage l = app::installLanguage(app::uiLocale(code, system));
        QVERIFY(l.englishPlurals);
        QVERIFY(!l.appTranslation);
        const char* finished = "Finished %n epoch(s)";
        QCOMPARE(QCoreApplication::translate("app::TrainingPanel", finished, nullptr, 1), QStringLiteral("Finished 1 epoch"));
        QCOMPARE(QCoreApplication::translate("app::TrainingPanel", finished, nullptr, 2), QStringLiteral("Finished 2 epochs"));
        QCOMPARE(QCoreApplication::translate("app::TrainingPanel", finished, nullptr, 0), QStringLiteral("Finished 0 epochs"));
        // Through the training page's own text, whatever the default
        // locale's number format (both the counts are below 1,000).
        app::TrainingOutcome o;
        o.status = nn::TrainResult::Finished;
        o.epochsCompleted = 1;
        o.validationSize = 1;
        o.valAccuracy = 1.0;
        QVERIFY2(app::resultSummary(o).startsWith(QStringLiteral("Finished 1 epoch · validation 100.00% on 1 image · ")),
                 qPrintable(app::resultSummary(o)));
        o.epochsCompleted = 2;
        o.validationSize = 600;
        QVERIFY2(app::resultSummary(o).startsWith(QStringLiteral("Finished 2 epochs · validation 100.00% on 600 images · ")),
                 qPrintable(app::resultSummary(o)));
        o.status = nn::TrainResult::EarlyStopped;
        o.epochsCompleted = 1;
        QVERIFY2(app::resultSummary(o).startsWith(QStringLiteral("Stopped early after 1 epoch (best weights restored)")),
                 qPrintable(app::resultSummary(o)));
        // The other texts are the source's.
        QCOMPARE(QCoreApplication::translate("app::MainWindow", "Open Model"), QStringLiteral("Open Model"));
    }

    void chineseSystemGetsChinesePlurals()
    {
        const app::InstalledLanguage l = app::installLanguage(app::uiLocale(QString(), QLocale(QStringLiteral("zh_CN"))));
        QVERIFY(l.appTranslation);
        QVERIFY(!l.englishPlurals);
        QCOMPARE(QCoreApplication::translate("app::TrainingPanel", "Finished %n epoch(s)", nullptr, 2),
                 QStringLiteral("已完成 2 轮"));
    }

    void mainWindowInChinese()
    {
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        app::MainWindow w;
        QStringList menus;
        for (QAction* a : w.menuBar()->actions())
            menus << a->text();
        QCOMPARE(menus, (QStringList{QStringLiteral("文件(&F)"), QStringLiteral("编辑(&E)"),
                                     QStringLiteral("绘制(&D)"), QStringLiteral("视图(&V)"),
                                     QStringLiteral("帮助(&H)")}));
        // The training form's numeric fields come from a table of marked texts.
        auto* lr = w.findChild<QWidget*>(QStringLiteral("learningRateSpin"));
        QVERIFY(lr);
        auto* form = qobject_cast<QFormLayout*>(lr->parentWidget()->layout());
        QVERIFY(form);
        auto* label = qobject_cast<QLabel*>(form->labelForField(lr));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("学习率"));
        auto* patience = w.findChild<QSpinBox*>(QStringLiteral("patienceSpin"));
        QVERIFY(patience);
        QCOMPARE(patience->suffix(), QStringLiteral(" 轮"));
    }

    void runHistoryInChinese()
    {
        // The Runs page's titles are shared with the CLI (English there) and
        // translated through their own context.
        const int status = app::runColumnIndex(QStringLiteral("status"));
        QVERIFY(status >= 0);
        const app::RunColumn& ended = app::runColumns()[std::size_t(status)];
        QCOMPARE(app::runColumnTitle(ended), QStringLiteral("Ended"));
        QCOMPARE(app::runStatusText(QStringLiteral("finished")), QStringLiteral("finished"));
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        QCOMPARE(ended.title, QStringLiteral("Ended"));  // the CSV's and the CLI's
        QCOMPARE(app::runColumnTitle(ended), QStringLiteral("结束方式"));
        QCOMPARE(app::runColumnTitle(app::runColumns().front()), QStringLiteral("训练"));
        QCOMPARE(app::runStatusText(QStringLiteral("finished")), QStringLiteral("完成"));
        QCOMPARE(app::runStatusText(QStringLiteral("diverged")), QStringLiteral("发散"));
        // Every title and ending has its translation.
        for (const app::RunColumn& c : app::runColumns())
            QVERIFY2(app::runColumnTitle(c) != c.title || c.title == QLatin1String("LR"), qPrintable(c.title));
        for (const QString& s : app::runStatuses())
            QVERIFY2(app::runStatusText(s) != s, qPrintable(s));
    }

    void languageMenuStoresTheChoice()
    {
        app::MainWindow w;
        auto* menu = w.findChild<QMenu*>(QStringLiteral("languageMenu"));
        QVERIFY(menu);
        QStringList items;
        for (QAction* a : menu->actions())
            items << a->objectName();
        QCOMPARE(items, (QStringList{QStringLiteral("language.system"), QStringLiteral("language.en"),
                                     QStringLiteral("language.zh_CN")}));
        QVERIFY(menu->actions().at(0)->isChecked());  // nothing stored: the system's
        QCOMPARE(menu->actions().at(2)->text(), QStringLiteral("简体中文"));
        menu->actions().at(2)->trigger();
        QCOMPARE(app::storedLanguage(), QStringLiteral("zh_CN"));
        QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("The language changes when DigitPad is started again."));
        menu->actions().at(0)->trigger();
        QCOMPARE(app::storedLanguage(), QString());
    }
};

QTEST_MAIN(TestLanguage)
#include "test_language.moc"
