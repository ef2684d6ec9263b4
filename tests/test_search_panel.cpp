// The search queue on the Runs page (issue 17), offscreen: a planted grid run
// on the training worker thread fills the table live, best first; its runs
// are in the run history; "Train the best fully" names the best trial's run
// and its settings reach the Train page with the page's epochs; Stop After
// Trial stops a search early; bad syntax is shown, not run.
#include "fixtures.h"

#include "common/run_store.h"
#include "panels/search_panel.h"
#include "workers/training_controller.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace app;

namespace {

TrainingRequest baseRequest()
{
    static const auto data = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(400, 5));
    TrainingRequest r;
    r.spec = "dense 32 | relu | dense 10";
    r.config.optimizer.kind = nn::OptimizerConfig::SGD;
    r.config.optimizer.momentum = 0.9f;
    r.config.batchSize = 32;
    r.config.threads = 2;
    r.config.seed = 3;
    r.trainOverride = data;
    return r;
}

int column(const QTableWidget* t, const QString& title)
{
    for (int c = 0; c < t->columnCount(); ++c)
        if (t->horizontalHeaderItem(c)->text() == title)
            return c;
    return -1;
}

}  // namespace

class TestSearchPanel : public QObject {
    Q_OBJECT
private slots:
    void gridFillsTheTableAndTrainsTheBest()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.sqlite");
        TrainingController controller;
        SearchPanel panel(&controller, baseRequest, db);
        panel.resize(900, 500);
        panel.show();
        panel.gridEdit()->setText("lr=1e-6,0.05,50");
        panel.randomEdit()->clear();
        panel.foldsBox()->setValue(2);
        panel.epochsBox()->setValue(2);
        QVERIFY(!panel.trainBestButton()->isEnabled());
        std::vector<int> rowsWhenTrialEnded;
        connect(&controller, &TrainingController::searchTrialEnded, this,
                [&] { rowsWhenTrialEnded.push_back(panel.table()->rowCount()); });
        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QVERIFY(controller.isSearching());
        QVERIFY(!panel.startButton()->isEnabled());
        QVERIFY(panel.stopButton()->isEnabled());
        QVERIFY(!panel.gridEdit()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 60000);
        // The table grew one row per finished trial while the search ran.
        QCOMPARE(rowsWhenTrialEnded, (std::vector<int>{1, 2, 3}));
        QTableWidget* t = panel.table();
        QCOMPARE(t->rowCount(), 3);
        const int lr = column(t, "lr"), val = column(t, "Validation"), status = column(t, "Status");
        QVERIFY(lr >= 0 && val >= 0 && status >= 0);
        QCOMPARE(t->item(0, lr)->text(), QStringLiteral("0.05"));
        QCOMPARE(t->item(0, status)->text(), QStringLiteral("finished"));
        QVERIFY2(t->item(0, val)->text().contains(QRegularExpression("^\\d+\\.\\d\\d% ± \\d+\\.\\d\\d%$")),
                 qPrintable(t->item(0, val)->text()));
        QCOMPARE(t->item(2, lr)->text(), QStringLiteral("50"));
        QCOMPARE(t->item(2, status)->text(), QStringLiteral("diverged"));
        QVERIFY2(panel.statusLabel()->text().contains("3 of 3 trials in "), qPrintable(panel.statusLabel()->text()));
        QVERIFY(panel.statusLabel()->text().contains("Best: lr=0.05"));
        QVERIFY(panel.trials().front().mean > 0.85);
        // Every run is in the history, marked as this search's.
        RunStore store(db);
        const auto runs = store.list();
        QVERIFY2(runs.size() >= 5, qPrintable(QString::number(runs.size())));
        for (const auto& r : runs) {
            QVERIFY(QString::fromStdString(r.searchId).startsWith("search-"));
            QCOMPARE(r.frontEnd, std::string("gui"));
        }
        // One click: the best trial's run, and its settings with the page's epochs.
        QVERIFY(panel.trainBestButton()->isEnabled());
        QSignalSpy best(&panel, &SearchPanel::trainBestRequested);
        QTest::mouseClick(panel.trainBestButton(), Qt::LeftButton);
        QCOMPARE(best.count(), 1);
        const long long id = best[0][0].toLongLong();
        QCOMPARE(id, panel.trials().front().runIds.front());
        const auto run = store.load(id);
        QVERIFY(run);
        TrainingSettings page;
        page.epochs = 7;
        page.learningRate = 0.3;
        const TrainingSettings s = bestTrialSettings(*run, page);
        QCOMPARE(s.learningRate, double(0.05f));
        QCOMPARE(s.epochs, 7);
        QCOMPARE(s.optimizer, QStringLiteral("sgd"));
        QCOMPARE(s.batchSize, 32);
        QCOMPARE(s.spec, QStringLiteral("dense 32 | relu | dense 10"));
    }

    void stopAfterTrialAndBadSyntax()
    {
        QTemporaryDir dir;
        TrainingController controller;
        SearchPanel panel(&controller, baseRequest, dir.filePath("runs.sqlite"));
        panel.gridEdit()->setText("lrr=1e-3");
        QVERIFY(!panel.start());
        QVERIFY2(panel.statusLabel()->text().contains("unknown parameter 'lrr' in 'lrr=1e-3'"),
                 qPrintable(panel.statusLabel()->text()));
        QVERIFY(!controller.isRunning());
        // Long trials; Stop After Trial once the first has ended.
        panel.gridEdit()->setText("lr=0.01,0.02,0.03,0.04");
        panel.foldsBox()->setValue(1);
        panel.epochsBox()->setValue(60);
        QVERIFY(panel.start());
        QSignalSpy trials(&controller, &TrainingController::searchTrialEnded);
        QTRY_VERIFY_WITH_TIMEOUT(trials.count() >= 1, 60000);
        QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
        QVERIFY(!panel.stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 60000);
        QVERIFY2(panel.trials().size() < 4, qPrintable(QString::number(panel.trials().size())));
        QVERIFY(!panel.trials().empty());
        QVERIFY2(panel.statusLabel()->text().contains(" Stopped."), qPrintable(panel.statusLabel()->text()));
        QVERIFY(panel.startButton()->isEnabled());
    }
};

QTEST_MAIN(TestSearchPanel)
#include "test_search_panel.moc"
