// The run history (issue 17): the SQLite store (schema, migration from
// version 1, two writers at once, a damaged file), the recorder's thinning,
// the plain logic of the Runs page (columns, filter, diff, CSV, colours), a
// GUI run recorded through the training controller, and the page itself
// (table, sort, filter, overlay, diff, delete) offscreen.
#include "fixtures.h"

#include "common/run_compare.h"
#include "common/run_store.h"
#include "panels/run_history.h"
#include "panels/runs_panel.h"
#include "panels/training_settings.h"
#include "workers/prediction_controller.h"
#include "workers/training_controller.h"

#include <nn/cpu.h>
#include <nn/errors.h>
#include <nn/session.h>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <thread>

using namespace app;

namespace {

nn::RunRecord sampleRun(const std::string& opt, float lr, double val, int epochs = 3)
{
    nn::RunRecord r;
    r.startedAt = "2026-12-01T10:00:00Z";
    r.frontEnd = "cli";
    r.spec = "dense 10";
    r.parameters = 7850;
    nn::RunSettings s;
    s.config.optimizer.kind = nn::OptimizerConfig::parseKind(opt);
    s.config.learningRate = lr;
    s.config.epochs = epochs;
    s.dataCrc = "1234";
    r.settings = nn::encodeRunSettings(s);
    r.dataCrc = "1234";
    r.data = "MNIST: 900 training, 100 validation images";
    r.status = "finished";
    r.message = "finished 3 epochs";
    r.epochs = epochs;
    r.epochsCompleted = epochs;
    r.valAccuracy = val;
    r.bestValAccuracy = val;
    r.testAccuracy = val - 0.01;
    r.seconds = 12.5;
    r.imagesPerSecond = 4000;
    for (int e = 0; e < epochs; ++e) {
        nn::EpochReport p;
        p.epoch = e;
        p.epochs = epochs;
        p.trainLoss = 1.0 / (e + 1);
        p.trainAccuracy = 0.5 + 0.1 * e;
        p.valLoss = 1.2 / (e + 1);
        p.valAccuracy = val - 0.05 * (epochs - 1 - e);
        p.lr = lr;
        p.seconds = 2;
        p.imagesPerSecond = 3000 + 100 * e;
        r.epochCurve.push_back(p);
        r.batchCurve.push_back({(e + 1) * 10LL, e, 1.0 / (e + 1), 0.5, lr});
    }
    r.classErrorSet = "test";
    for (int k = 0; k < 10; ++k)
        r.classError.push_back(0.01 * k);
    r.latencyMs = {0.5, 0.7, 1.5};
    return r;
}

// What an older DigitPad wrote: schema version 1 (no monitoring, no batch curve).
void writeVersion1(const QString& path)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1writer"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL DEFAULT '', "
                       "front_end TEXT NOT NULL DEFAULT '', spec TEXT NOT NULL DEFAULT '', settings TEXT NOT NULL "
                       "DEFAULT '', data TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'finished', message "
                       "TEXT NOT NULL DEFAULT '', epochs_completed INTEGER NOT NULL DEFAULT 0, val_accuracy REAL NOT "
                       "NULL DEFAULT -1, test_accuracy REAL NOT NULL DEFAULT -1, seconds REAL NOT NULL DEFAULT 0, "
                       "model_path TEXT NOT NULL DEFAULT '')"));
        QVERIFY(q.exec("CREATE TABLE epochs (run_id INTEGER NOT NULL, epoch INTEGER NOT NULL, train_loss REAL, "
                       "train_accuracy REAL, val_loss REAL, val_accuracy REAL, lr REAL, seconds REAL, PRIMARY KEY "
                       "(run_id, epoch))"));
        QVERIFY(q.exec("INSERT INTO runs (started_at, front_end, spec, settings, status, epochs_completed, "
                       "val_accuracy, test_accuracy, seconds, model_path) VALUES ('2025-01-02T03:04:05Z', 'cli', "
                       "'dense 10', 'epochs=2 batch=32 lr=0.01 opt=sgd', 'stopped', 1, 0.8, 0.79, 3.5, '/nowhere/old.dpm')"));
        QVERIFY(q.exec("INSERT INTO epochs VALUES (1, 0, 0.9, 0.7, 0.8, 0.8, 0.01, 3.0)"));
        QVERIFY(q.exec("PRAGMA user_version = 1"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1writer"));
}

int tableCount(const QString& path, const QString& table)
{
    int n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("counter"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(table)) && q.next())
                n = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("counter"));
    return n;
}

}  // namespace

class TestRuns : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void schemaAndRoundTrip()
    {
        const QString path = m_dir.filePath("rt/runs.sqlite");  // the folder is created
        RunStore store(path);
        QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);
        QVERIFY(store.notice().isEmpty());
        nn::RunRecord r = sampleRun("adam", 1e-3f, 0.95);
        r.modelPath = "/tmp/x.dpm";
        const long long id = store.add(r);
        QCOMPARE(id, 1LL);
        QCOMPARE(r.id, 1LL);
        const auto back = store.load(id);
        QVERIFY(back);
        QCOMPARE(back->spec, r.spec);
        QCOMPARE(back->settings, r.settings);
        QCOMPARE(back->setting("opt"), std::string("adam"));
        QCOMPARE(back->valAccuracy, 0.95);
        QCOMPARE(back->testAccuracy, 0.94);
        QCOMPARE(back->epochs, 3);
        QCOMPARE(int(back->epochCurve.size()), 3);
        QCOMPARE(back->epochCurve[2].valAccuracy, 0.95);
        QCOMPARE(back->epochCurve[1].imagesPerSecond, 3100.0);
        QCOMPARE(int(back->batchCurve.size()), 3);
        QCOMPARE(back->batchCurve[1].step, 20LL);
        QCOMPARE(int(back->classError.size()), 10);
        QCOMPARE(back->classError[7], 0.07);
        QCOMPARE(back->latencyMs, (std::vector<double>{0.5, 0.7, 1.5}));
        QCOMPARE(back->modelPath, std::string("/tmp/x.dpm"));
        // The list is cheap: no curves.
        const auto all = store.list();
        QCOMPARE(int(all.size()), 1);
        QVERIFY(all[0].epochCurve.empty());
        QVERIFY(store.setModelPath(id, "/tmp/y.dpm"));
        QCOMPARE(store.load(id)->modelPath, std::string("/tmp/y.dpm"));
        QVERIFY(!store.load(99));
        QVERIFY(store.remove(id));
        QVERIFY(!store.remove(id));
        QVERIFY(store.list().empty());
        QCOMPARE(tableCount(path, "epochs"), 0);
        QCOMPARE(tableCount(path, "batches"), 0);
        QCOMPARE(tableCount(path, "latencies"), 0);
        // Write-ahead logging is on.
        QVERIFY(QFile::exists(path + "-wal"));
    }

    void migratesVersion1()
    {
        const QString path = m_dir.filePath("v1.sqlite");
        writeVersion1(path);
        RunStore store(path);
        QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);
        const auto runs = store.list();
        QCOMPARE(int(runs.size()), 1);
        const auto r = store.load(runs[0].id);
        QVERIFY(r);
        QCOMPARE(r->status, std::string("stopped"));
        QCOMPARE(r->valAccuracy, 0.8);
        QCOMPARE(r->seconds, 3.5);
        QCOMPARE(int(r->epochCurve.size()), 1);
        QCOMPARE(r->epochCurve[0].trainLoss, 0.9);
        QCOMPARE(r->epochCurve[0].imagesPerSecond, 0.0);  // not kept by version 1
        QCOMPARE(r->bestValAccuracy, -1.0);
        QVERIFY(r->classError.empty());
        QCOMPARE(r->searchTrial, -1);  // not a search's trial
        QVERIFY(runModelMissing(*r));
        QCOMPARE(runModelText(*r), QStringLiteral("missing: /nowhere/old.dpm"));
        // New runs go in beside the old one.
        nn::RunRecord n = sampleRun("sgd", 0.01f, 0.9);
        QCOMPARE(store.add(n), 2LL);
        QCOMPARE(int(store.load(2)->classError.size()), 10);
    }

    // Version 2 (before searches): the search columns are added, old runs belong to none.
    void migratesVersion2()
    {
        const QString path = m_dir.filePath("v2.sqlite");
        {
            RunStore s(path);
            nn::RunRecord r = sampleRun("adam", 1e-3f, 0.93);
            s.add(r);
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v2writer"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("DROP INDEX runs_search"));
            for (const char* c : {"search_id", "search_trial", "search_fold"})
                QVERIFY2(q.exec(QStringLiteral("ALTER TABLE runs DROP COLUMN %1").arg(c)), qPrintable(q.lastError().text()));
            QVERIFY(q.exec("PRAGMA user_version = 2"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v2writer"));
        RunStore store(path);
        QCOMPARE(store.schemaVersion(), 3);
        const auto old = store.load(1);
        QVERIFY(old);
        QCOMPARE(old->valAccuracy, 0.93);
        QCOMPARE(old->searchId, std::string());
        QCOMPARE(old->searchTrial, -1);
        QCOMPARE(old->searchFold, -1);
        QCOMPARE(int(old->epochCurve.size()), 3);
        nn::RunRecord t = sampleRun("sgd", 0.01f, 0.8);
        t.searchId = "sweep-1";
        t.searchTrial = 4;
        t.searchFold = 2;
        store.add(t);
        const auto back = store.load(t.id);
        QCOMPARE(back->searchId, std::string("sweep-1"));
        QCOMPARE(back->searchTrial, 4);
        QCOMPARE(back->searchFold, 2);
        QCOMPARE(store.list().front().searchTrial, 4);  // the list has them too
    }

    void newerVersionIsRefused()
    {
        const QString path = m_dir.filePath("v9.sqlite");
        {
            RunStore s(path);
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec("PRAGMA user_version = 9");
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bump"));
        try {
            RunStore s(path);
            QFAIL("a newer schema was accepted");
        } catch (const nn::FileError& e) {
            QVERIFY2(QString(e.what()).contains("newer DigitPad (schema version 9"), e.what());
            QVERIFY2(QString(e.what()).contains(path), e.what());
        }
        QVERIFY(QFile::exists(path));  // left alone
    }

    void notARegularFile()
    {
        const QString path = m_dir.filePath("adir.sqlite");
        QDir().mkpath(path);
        try {
            RunStore s(path);
            QFAIL("a folder was opened");
        } catch (const nn::FileError& e) {
            QVERIFY2(QString(e.what()).contains("not a regular file"), e.what());
        }
    }

    void damagedFileIsSetAside()
    {
        const QString path = m_dir.filePath("damaged.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray junk = QByteArray("this is not an SQLite database at all\n").repeated(200);
        f.write(junk);
        f.close();
        RunStore store(path);
        QVERIFY2(store.notice().contains("was damaged"), qPrintable(store.notice()));
        QVERIFY2(store.notice().contains(store.setAsidePath()), qPrintable(store.notice()));
        QVERIFY(store.setAsidePath().startsWith(path + ".damaged-"));
        // The old bytes are kept, not emptied.
        QFile aside(store.setAsidePath());
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), junk);
        // The new history works.
        nn::RunRecord r = sampleRun("adam", 1e-3f, 0.9);
        QCOMPARE(store.add(r), 1LL);
        QCOMPARE(int(store.list().size()), 1);
    }

    void twoWritersAtOnce()
    {
        const QString path = m_dir.filePath("two.sqlite");
        { RunStore init(path); }
        constexpr int kEach = 25;
        std::atomic<int> failures{0};
        const auto writer = [&](const char* opt) {
            try {
                RunStore s(path);  // its own connection on this thread
                for (int i = 0; i < kEach; ++i) {
                    nn::RunRecord r = sampleRun(opt, 1e-3f, 0.5 + 0.01 * i, 4);
                    s.add(r);
                    if (s.list().empty())
                        ++failures;
                }
            } catch (const std::exception& e) {
                qWarning("writer: %s", e.what());
                ++failures;
            }
        };
        std::thread a(writer, "adam"), b(writer, "sgd");
        a.join();
        b.join();
        QCOMPARE(failures.load(), 0);
        RunStore s(path);
        const auto runs = s.list();
        QCOMPARE(int(runs.size()), 2 * kEach);
        int adam = 0;
        for (const auto& r : runs) {
            adam += r.setting("opt") == "adam";
            QCOMPARE(int(s.load(r.id)->epochCurve.size()), 4);  // every run whole
        }
        QCOMPARE(adam, kEach);
        QCOMPARE(tableCount(path, "epochs"), 2 * kEach * 4);
    }

    void recorderThinsEvenly()
    {
        nn::RunRecorder rec(8);
        for (int i = 0; i < 100; ++i) {
            nn::BatchReport b;
            b.step = i + 1;
            rec.batch(b);
        }
        const auto& pts = rec.record().batchCurve;
        QVERIFY2(pts.size() < 8 && pts.size() >= 4, qPrintable(QString::number(pts.size())));
        QCOMPARE(pts.front().step, 1LL);
        const long long gap = pts[1].step - pts[0].step;
        for (std::size_t i = 1; i < pts.size(); ++i)
            QCOMPARE(pts[i].step - pts[i - 1].step, gap);  // evenly spaced
        QCOMPARE(nn::percentile({1, 2, 3, 4}, 50), 2.5);
        QCOMPARE(nn::percentile({}, 50), -1.0);
    }

    void sessionFillsTheRecord()
    {
        nn::SessionRequest req;
        req.spec = "dense 10";
        req.config.epochs = 2;
        req.config.batchSize = 50;
        req.config.threads = 1;
        req.config.learningRate = 0.01f;
        req.useMnist = false;
        req.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(300, 1));
        req.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(100, 2));
        nn::TrainingSession session(req, {});
        const nn::SessionResult res = session.run();
        const nn::RunRecord& r = res.record;
        QCOMPARE(r.status, std::string("finished"));
        QCOMPARE(r.epochs, 2);
        QCOMPARE(r.epochsCompleted, 2);
        QCOMPARE(int(r.epochCurve.size()), 2);
        QCOMPARE(int(r.batchCurve.size()), 12);  // 6 batches per epoch
        QCOMPARE(r.batchCurve.back().step, 12LL);
        QCOMPARE(r.valAccuracy, res.valAccuracy);
        QCOMPARE(r.epochCurve.back().valAccuracy, res.valAccuracy);
        QCOMPARE(r.setting("lr"), std::string("0.01"));
        QCOMPARE(r.setting("batch"), std::string("50"));
        QVERIFY(!r.dataCrc.empty());
        QCOMPARE(r.trainSize, 300);
        QCOMPARE(r.threads, 1);
        // The engine level that ran, for GUI and CLI runs alike.
        QCOMPARE(r.cpu, nn::cpu::summary());
        QVERIFY(r.cpu.find(nn::cpu::levelName(nn::cpu::activeLevel())) == 0);
    }

    void compareLogic()
    {
        std::vector<nn::RunRecord> runs{sampleRun("adam", 1e-3f, 0.95), sampleRun("sgd", 0.01f, 0.90)};
        runs[0].id = 3;
        runs[1].id = 5;
        const auto diff = settingsDiff(runs, true);
        QStringList keys;
        for (const auto& row : diff) {
            QVERIFY(row.differs);
            keys << row.key;
        }
        QCOMPARE(keys, (QStringList{"lr", "opt"}));
        QCOMPARE(diff[0].values, (QStringList{"0.001", "0.01"}));
        QCOMPARE(diff[1].values, (QStringList{"adam", "sgd"}));
        const auto all = settingsDiff(runs, false);
        QVERIFY(all.size() > 20);
        QCOMPARE(all[0].key, QStringLiteral("architecture"));
        QVERIFY(!all[0].differs);

        QVERIFY(runMatches(runs[0], "ADAM"));
        QVERIFY(!runMatches(runs[1], "adam"));
        QVERIFY(runMatches(runs[1], "sgd 90.00%"));
        QVERIFY(!runMatches(runs[1], "sgd", "diverged"));
        QVERIFY(runMatches(runs[1], "", "finished"));

        const QString csv = runsCsv(runs);
        const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("id,started,source,optimizer,lr,batch,epochs,status,val_accuracy"));
        QVERIFY(lines[0].contains(",architecture,model,search,"));  // the search a run was a trial of (none here)
        QVERIFY2(lines[1].startsWith("3,2026-12-01T10:00:00Z,CLI,adam,0.001,64,3/3,finished,0.95,0.95,0.94,,12.5,4000,dense 10,,,"
                                   "finished 3 epochs,epochs=3 batch=64 lr=0.001 opt=adam "),
                 qPrintable(lines[1]));
        QCOMPARE(csvField("a,b\"c"), QStringLiteral("\"a,b\"\"c\""));
        const QStringList curves = curvesCsv(runs).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(curves.size(), 1 + 2 * (3 + 3));
        QCOMPARE(curves[3], QStringLiteral("3,#3 adam lr 0.001 batch 64,epoch,3,,0.33333333,0.7,0.4,0.95,0.001,3200"));

        RunColors colors;
        colors.show({3, 13});  // both prefer entry 3
        QCOMPARE(colors.color(3), RunColors::palette()[3]);
        QCOMPARE(colors.color(13), RunColors::palette()[4]);
        colors.show({13, 23});  // 13 keeps its colour; 23 takes its own free one
        QCOMPARE(colors.color(13), RunColors::palette()[4]);
        QCOMPARE(colors.color(23), RunColors::palette()[3]);
        QVERIFY(!colors.color(3).isValid());

        const Histogram h = histogram({0.1, 0.2, 0.3, 5.0}, 4, 1.0);
        QCOMPARE(h.binWidth, 0.25);
        QCOMPARE(h.counts, (std::vector<int>{2, 1, 0, 1}));  // [0, .25) [.25, .5) [.5, .75) [.75, inf)
        QVERIFY(latencySummary({1, 2, 3}).startsWith("p50 2 ms"));

        const TrainingSettings s = rerunSettings(runs[1], TrainingSettings());
        QCOMPARE(s.optimizer, QStringLiteral("sgd"));
        QCOMPARE(s.learningRate, double(0.01f));
        QCOMPARE(s.epochs, 3);
        QCOMPARE(s.spec, QStringLiteral("dense 10"));
    }

    void guiRunIsRecorded()
    {
        const QString path = m_dir.filePath("gui.sqlite");
        RunHistory history(path);
        TrainingController c;
        history.watch(&c);
        QSignalSpy changed(&history, &RunHistory::changed);
        TrainingRequest r;
        r.spec = "conv 4 5 stride=2 | relu | maxpool 2 | dense 10";
        r.config.epochs = 2;
        r.config.batchSize = 32;
        r.config.learningRate = 3e-3f;
        r.config.threads = 2;
        r.useMnist = false;
        r.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(320, 1));
        r.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(100, 2));
        QSignalSpy finished(&c, &TrainingController::finished);
        QSignalSpy started(&c, &TrainingController::started);
        // Before a run, the pad's predictions are not kept.
        Prediction before;
        before.valid = true;
        before.input.empty = false;
        before.started = std::chrono::steady_clock::now();
        before.finished = before.started + std::chrono::milliseconds(40);
        history.padPredicted(before);
        QVERIFY(c.start(r));
        c.pause();  // holds the run at its first batch, so it cannot end before the prediction below
        // The pad predicts while it trains: those latencies are kept.
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 60000);
        QCOMPARE(finished.count(), 0);
        Prediction p;
        p.valid = true;
        p.input.empty = false;
        p.started = std::chrono::steady_clock::now();
        p.finished = p.started + std::chrono::microseconds(1500);
        history.padPredicted(p);
        c.resume();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(changed.count(), 1);
        const long long id = history.lastRecorded();
        QVERIFY(id > 0);
        const auto rec = history.load(id);
        QVERIFY(rec);
        QCOMPARE(rec->frontEnd, std::string("gui"));
        QCOMPARE(rec->status, std::string("finished"));
        QCOMPARE(int(rec->epochCurve.size()), 2);
        QCOMPARE(int(rec->batchCurve.size()), 20);
        QCOMPARE(rec->setting("lr"), std::string("0.003"));
        QCOMPARE(int(rec->latencyMs.size()), 1);
        QVERIFY(std::abs(rec->latencyMs[0] - 1.5) < 1e-9);
        // After the run no latencies are collected.
        history.padPredicted(p);
        // Keeping the model records where it was saved.
        const auto model = finished.at(0).at(1).value<std::shared_ptr<const nn::Model>>();
        history.modelSaved(model, m_dir.filePath("kept.dpm"));
        QCOMPARE(history.load(id)->modelPath, m_dir.filePath("kept.dpm").toStdString());
        history.modelSaved(std::make_shared<const nn::Model>(*model), m_dir.filePath("other.dpm"));  // not this run's
        QCOMPARE(history.load(id)->modelPath, m_dir.filePath("kept.dpm").toStdString());
    }

    void runsPage()
    {
        const QString path = m_dir.filePath("page.sqlite");
        RunHistory history(path);
        nn::RunRecord a = sampleRun("adam", 1e-3f, 0.95), b = sampleRun("sgd", 0.01f, 0.90, 5),
                      c = sampleRun("adamw", 3e-3f, 0.97);
        c.status = "diverged";
        const QString modelFile = m_dir.filePath("b.dpm");
        QFile mf(modelFile);
        QVERIFY(mf.open(QIODevice::WriteOnly));
        mf.write("x");
        mf.close();
        b.modelPath = modelFile.toStdString();
        const long long ia = history.add(a), ib = history.add(b), ic = history.add(c);
        RunsPanel page(&history);
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTableView* t = page.table();
        QCOMPARE(t->model()->rowCount(), 3);
        // Newest first; sorting by validation accuracy puts the best on top when descending.
        QCOMPARE(t->model()->index(0, 0).data().toString(), QString::number(ic));
        const int val = runColumnIndex("val_accuracy");
        t->sortByColumn(val, Qt::AscendingOrder);
        QCOMPARE(t->model()->index(0, val).data().toString(), QStringLiteral("90.00%"));
        QCOMPARE(t->model()->index(2, val).data().toString(), QStringLiteral("97.00%"));
        // Filter by words and by how the run ended.
        page.filterEdit()->setText("adam");
        QCOMPARE(t->model()->rowCount(), 2);  // adam and adamw
        page.statusBox()->setCurrentIndex(page.statusBox()->findData("diverged"));
        QCOMPARE(t->model()->rowCount(), 1);
        QCOMPARE(t->model()->index(0, 0).data().toString(), QString::number(ic));
        page.filterEdit()->clear();
        page.statusBox()->setCurrentIndex(0);
        QCOMPARE(t->model()->rowCount(), 3);

        // Two runs selected: their curves overlaid, named, in their colours.
        page.select({ia, ib});
        QCOMPARE(page.selectedIds(), (std::vector<long long>{ia, ib}));
        QChart* chart = page.curvesChart()->chart();
        QCOMPARE(chart->series().size(), 2);
        auto* s0 = qobject_cast<QLineSeries*>(chart->series()[0]);
        auto* s1 = qobject_cast<QLineSeries*>(chart->series()[1]);
        QCOMPARE(s0->name(), QString::fromStdString(page.shown()[0].label()));
        QCOMPARE(s0->name(), QStringLiteral("#%1 adam lr 0.001 batch 64").arg(ia));
        QCOMPARE(s0->count(), 3);
        QCOMPARE(s1->count(), 5);
        QCOMPARE(s0->at(2), QPointF(3, 95.0));
        QCOMPARE(s0->pen().color(), page.colorOf(ia));
        QCOMPARE(s1->pen().color(), page.colorOf(ib));
        QVERIFY(page.colorOf(ia) != page.colorOf(ib));
        const QColor colorB = page.colorOf(ib);
        // The settings diff shows what differs.
        QTableWidget* d = page.diffTable();
        QCOMPARE(d->columnCount(), 3);
        QStringList keys;
        for (int i = 0; i < d->rowCount(); ++i)
            keys << d->item(i, 0)->text();
        QCOMPARE(keys, (QStringList{"epochs", "lr", "opt"}));
        QCOMPARE(d->item(2, 1)->text(), QStringLiteral("adam"));
        QCOMPARE(d->item(2, 2)->text(), QStringLiteral("sgd"));

        // Colours stay with their run when the selection changes.
        page.select({ib, ic});
        QCOMPARE(page.colorOf(ib), colorB);

        // Delete one run with its model file.
        page.select({ib});
        QCOMPARE(page.deleteSelected(true), 1);
        QVERIFY(!QFile::exists(modelFile));
        QCOMPARE(t->model()->rowCount(), 2);
        QVERIFY(!history.load(ib));
        // Delete another without touching anything else.
        page.select({ia});
        QCOMPARE(page.deleteSelected(false), 1);
        QCOMPARE(t->model()->rowCount(), 1);
    }

    void pageSaysWhenTheHistoryWasDamaged()
    {
        const QString path = m_dir.filePath("pagedamaged.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'z'));
        f.close();
        RunHistory history(path);
        RunsPanel page(&history);
        QVERIFY2(page.notice().contains("was damaged"), qPrintable(page.notice()));
        QCOMPARE(page.table()->model()->rowCount(), 0);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRuns)
#include "test_runs.moc"
