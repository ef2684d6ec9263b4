// The GUI's languages (issue 19): the choice kept in the settings, the
// locale it means, the embedded zh_CN translation reaching the main window,
// the training form's field table, the engine's labels and the plain code
// beside the panels (whose tr() context must match what lupdate wrote), and
// the training log, whose sentences come from the engine (nn::UiText).
#include "common/defaultmodel.h"
#include "common/language.h"
#include "common/run_compare.h"
#include "common/settings.h"
#include "main_window.h"
#include "panels/training_plan.h"
#include "workers/training_controller.h"
#include "workers/training_worker.h"

#include "fixtures.h"

#include <nn/onnx.h>
#include <nn/serialize.h>
#include <nn/session.h>
#include <nn/uitext.h>

#include <QAction>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QApplication>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QDir>
#include <QFile>
#include <QTimer>
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

    void engineSentencesFillTheirPlaceholders()
    {
        // One pass: an argument's own "%1" is not filled again; a missing
        // argument leaves its placeholder; "%" before anything else stays.
        QCOMPARE(nn::fillPlaceholders("%2 of %1", {"a", "b%1"}), std::string("b%1 of a"));
        QCOMPARE(nn::fillPlaceholders("%1% of %3", {"10"}), std::string("10% of %3"));
        QCOMPARE(nn::fillPlaceholders("100% %", {}), std::string("100% %"));
        const nn::UiText held = nn::uiText(DIGITPAD_UI_TEXT("nn::ui", "my held-out digits before: %1 of %2 right (%3)"),
                                           3, 4, "75.00%");
        QCOMPARE(nn::toString(held), std::string("my held-out digits before: 3 of 4 right (75.00%)"));
        // Parts of a sentence, each translated; values stay as they are.
        nn::UiText data = nn::uiText(DIGITPAD_UI_TEXT("nn::ui", "my digits: %1 x%2"), 30, 4);
        data += nn::uiText(DIGITPAD_UI_TEXT("nn::ui", ", %1 for validation"), 10);
        data += nn::uiText(DIGITPAD_UI_TEXT("nn::ui", "; "));
        data += nn::uiText(DIGITPAD_UI_TEXT("nn::ui", "digit styles: %1 synthetic"), 70);
        const nn::UiText line = nn::uiText(DIGITPAD_UI_TEXT("nn::ui", "data: %1"), data);
        QCOMPARE(nn::toString(line), std::string("data: my digits: 30 x4, 10 for validation; digit styles: 70 synthetic"));
        QCOMPARE(app::translated(line), QString::fromStdString(nn::toString(line)));  // English
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        // The translation puts the placeholders in its own order.
        QCOMPARE(app::translated(held), QStringLiteral("训练前我的留出数字：4 个中对 3 个（75.00%）"));
        QCOMPARE(app::translated(line),
                 QStringLiteral("数据：我的数字：30 个 ×4，其中 10 个用于验证；数字书写风格：70 个合成样本"));
        QCOMPARE(app::translated(nn::verbatim("conv 8 5")), QStringLiteral("conv 8 5"));
        QCOMPARE(app::translated(nn::UiText{}), QString());
    }

    void trainingLogInChinese()
    {
        // A real run through the GUI's training controller, in Chinese: every
        // line of the log, the data line and why it ended are translated;
        // what stays Latin is values (the architecture, the settings line).
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        app::TrainingController c;
        QSignalSpy started(&c, &app::TrainingController::started);
        QSignalSpy finished(&c, &app::TrainingController::finished);
        QSignalSpy failed(&c, &app::TrainingController::failed);
        QSignalSpy log(&c, &app::TrainingController::logMessage);
        app::TrainingRequest r;
        r.spec = "conv 4 5 stride=2 | relu | maxpool 2 | dense 10";
        r.config.epochs = 2;
        r.config.batchSize = 32;
        r.config.learningRate = 3e-3f;
        r.config.threads = 2;
        r.config.seed = 7;
        r.config.earlyStopPatience = 0;
        r.useMnist = false;
        r.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(300, 1));
        r.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(100, 2));
        QVERIFY(c.start(r));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 120000);
        QCOMPARE(failed.count(), 0);
        const auto info = started.first().at(0).value<app::RunInfo>();
        QCOMPARE(info.data, QStringLiteral("给定数据：300 张训练图像，100 张验证图像"));
        const auto outcome = finished.first().at(0).value<app::TrainingOutcome>();
        QCOMPARE(outcome.message, QStringLiteral("完成 2 轮"));
        QStringList lines;
        for (const auto& args : log)
            lines << args.at(0).toString();
        const QString all = lines.join('\n');
        for (const QString& part : {QStringLiteral("从头训练 "), QStringLiteral("个参数）"),
                                    QStringLiteral("数据：给定数据：300 张训练图像"),
                                    QStringLiteral("没有 MNIST 测试准确率：用给定数据训练，而非 MNIST"),
                                    QStringLiteral("设置："), QStringLiteral("第 1/2 轮：训练损失 "),
                                    QStringLiteral("；验证损失 "), QStringLiteral("；学习率 "),
                                    QStringLiteral("第 2/2 轮："), QStringLiteral("完成 2 轮（")})
            QVERIFY2(all.contains(part), qPrintable(QStringLiteral("missing '%1' in\n%2").arg(part, all)));
        // No English words once the values are taken out.
        QString rest = all;
        rest.remove(info.spec).remove(info.hyperparameters).remove(QStringLiteral("MNIST"));
        const QRegularExpressionMatch english = QRegularExpression(QStringLiteral("[A-Za-z]{2,}")).match(rest);
        QVERIFY2(!english.hasMatch(), qPrintable(QStringLiteral("'%1' in\n%2").arg(english.captured(), rest)));
    }

    void trainingErrorInChinese()
    {
        // The error a new user meets first: no MNIST yet and no digits of
        // their own. Its message is the engine's (nn::UiError), in Chinese.
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        QTemporaryDir empty;
        app::TrainingController c;
        QSignalSpy finished(&c, &app::TrainingController::finished);
        QSignalSpy failed(&c, &app::TrainingController::failed);
        app::TrainingRequest r;
        r.spec = "dense 10";
        r.config.epochs = 1;
        r.config.threads = 1;
        r.useMnist = true;
        r.mnistDir = empty.path();
        QVERIFY(c.start(r));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 30000);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().at(0).toString();
        const QString dir = QDir::toNativeSeparators(empty.path());
        QVERIFY2(message.contains(QStringLiteral("在 %1 中未找到 MNIST，也没有你自己的数字可供训练").arg(dir)),
                 qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("加载训练数据时：")), qPrintable(message));
        // In English, the engine's own words.
        app::installLanguage(QLocale(QLocale::English));
        QVERIFY(c.start(r));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 2, 30000);
        QVERIFY2(failed.last().at(0).toString().contains(
                     QStringLiteral("MNIST was not found in %1 and there are no digits of your own to train on").arg(dir)),
                 qPrintable(failed.last().at(0).toString()));
    }

    void damagedFilesInChinese()
    {
        // The errors about a file a person picked (not there, a folder, not a
        // model, cut short, damaged) are the engine's FileErrors: in Chinese
        // all of the sentence is Chinese but the path and the file's magic.
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        QTemporaryDir dir;
        const auto write = [&](const QString& name, const QByteArray& bytes) {
            const QString path = dir.filePath(name);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
                return QString();
            return path;
        };
        const std::vector<std::uint8_t> model = nn::modelToBytes(*app::loadDefaultModel());
        QByteArray good(reinterpret_cast<const char*>(model.data()), qsizetype(model.size()));
        QByteArray damaged = good;
        damaged[damaged.size() / 2] = char(damaged[damaged.size() / 2] ^ 0x40);
        const QString missing = dir.filePath(QStringLiteral("gone.dpm"));
        const QString folder = dir.filePath(QStringLiteral("models.dpm"));
        QVERIFY(QDir().mkpath(folder));
        const struct {
            QString path;
            QString expected;
        } cases[] = {
            {missing, QStringLiteral("无法打开：没有那个文件或文件夹")},
            {folder, QStringLiteral("是文件夹，不是文件")},
            {write(QStringLiteral("notes.dpm"), "these are my notes, not a model"),
             QStringLiteral("不是 DigitPad 模型文件（文件标识不符：应为“DGTPADNN”）（位于第 0 字节）")},
            {write(QStringLiteral("cut.dpm"), good.left(good.size() / 2)), QStringLiteral("文件被截断：")},
            {write(QStringLiteral("damaged.dpm"), damaged), QStringLiteral("校验和不符：记录的是 0x")},
        };
        for (const auto& c : cases) {
            QVERIFY(!c.path.isEmpty());
            try {
                (void)nn::loadModel(c.path.toStdString());
                QFAIL(qPrintable(c.path + QStringLiteral(" loaded")));
            } catch (const nn::Error& e) {
                const QString text = app::errorText(e);
                QVERIFY2(text.startsWith(c.path + QStringLiteral("：")) && text.contains(c.expected), qPrintable(text));
                QString rest = text.mid(c.path.size());
                rest.remove(QRegularExpression(QStringLiteral("0x[0-9a-f]+|DigitPad|“[^”]*”")));
                QVERIFY2(!rest.contains(QRegularExpression(QStringLiteral("[A-Za-z]{2,}"))), qPrintable(text));
                // In English, what() as it always was.
                app::installLanguage(QLocale(QLocale::English));
                QCOMPARE(app::errorText(e), QString::fromStdString(e.what()));
                app::installLanguage(QLocale(QStringLiteral("zh_CN")));
            }
        }
        // An ONNX file that is not one, and one cut short.
        const std::vector<std::uint8_t> onnx = nn::modelToOnnx(*app::loadDefaultModel());
        const QByteArray onnxBytes(reinterpret_cast<const char*>(onnx.data()), qsizetype(onnx.size()));
        for (const QString& path : {write(QStringLiteral("notes.onnx"), "these are my notes, not a model"),
                                    write(QStringLiteral("cut.onnx"), onnxBytes.left(onnxBytes.size() / 2))}) {
            try {
                (void)nn::loadOnnx(path.toStdString());
                QFAIL(qPrintable(path + QStringLiteral(" loaded")));
            } catch (const nn::Error& e) {
                const QString text = app::errorText(e);
                QVERIFY2(text.startsWith(path + QStringLiteral("：不是有效的 ONNX 模型：")), qPrintable(text));
                QString rest = text.mid(path.size());
                rest.remove(QRegularExpression(QStringLiteral("ONNX|protobuf|“[^”]*”")));
                QVERIFY2(!rest.contains(QRegularExpression(QStringLiteral("[A-Za-z]{2,}"))), qPrintable(text));
            }
        }
        // And so the window says when the model is opened there: a Chinese
        // message box, and the current model stays.
        app::MainWindow w;
        const auto kept = w.model();
        QTimer closer;
        connect(&closer, &QTimer::timeout, [] {
            if (QWidget* box = QApplication::activeModalWidget())
                box->close();
        });
        closer.start(50);
        QVERIFY(!w.openModelFile(cases[4].path));
        QVERIFY2(w.lastError().contains(QStringLiteral("校验和不符")) && w.lastError().contains(QStringLiteral("当前模型")),
                 qPrintable(w.lastError()));
        QCOMPARE(w.model(), kept);
    }

    void specErrorsInChinese()
    {
        // What the architecture editor says about a spec, in Chinese: the
        // sentence translated, the spec's own words (layer names, options,
        // the text typed) as they are.
        app::installLanguage(QLocale(QStringLiteral("zh_CN")));
        const struct {
            const char* spec;
            QString expected;
        } cases[] = {
            {"conv 6 5 | relu | dens 10", QStringLiteral("第 3 层“dens 10”：未知的层“dens”（你是想写“dense”吗？）")},
            {"dense 64 | relu", QStringLiteral("最后一层必须输出 10 个值（每个类别一个），实际为 64x1x1 = 64（请以“dense 10”结束架构描述）")},
            {"conv 6 5 stride=0 | dense 10", QStringLiteral("第 1 层“conv 6 5 stride=0”：stride 必须为正数，实际为 0")},
            {"conv 6 5 | | dense 10", QStringLiteral("第 2 层为空（连续两个“|”，或“|”位于开头或结尾）")},
            {"maxpool 2 | maxpool 2 | maxpool 2 | maxpool 2 | maxpool 2 | dense 10",
             QStringLiteral("第 5 层“maxpool 2”（输入 1x1x1）：maxpool：2x2 的池化窗口放不进输入 1x1x1")},
        };
        for (const auto& c : cases) {
            const app::SpecCheck check = app::SpecCheck::forSpec(QString::fromLatin1(c.spec), -1);
            QVERIFY(!check.valid);
            QVERIFY2(check.error.contains(c.expected), qPrintable(check.error + QStringLiteral(" / ") + c.expected));
        }
        const app::SpecCheck huge = app::SpecCheck::forSpec(QStringLiteral("dense 10"), -1, 100);
        QVERIFY2(huge.error.startsWith(QStringLiteral("该模型将有 ")),
                 qPrintable(huge.error));
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
