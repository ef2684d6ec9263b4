// digitpad-cli sweep (issue 17) through the real executable: a planted grid
// on synthetic IDX files finds the learning rate that learns (JSON, CSV, the
// run history), successive halving stops the bad trials, bad syntax is named,
// and Ctrl-C (SIGINT sent to the process) keeps the finished trials -- the
// second one discards the unfinished trial.
#include "fixtures.h"

#include <nn/data/idx.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <set>

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args, const QString& db)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DIGITPAD_RUNS_DB", db);
    p.setProcessEnvironment(env);
    p.start(QString(DIGITPAD_CLI), args);
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, {}, QStringLiteral("timed out")};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

void writeFixture(const QString& dir, const char* prefix, int n, std::uint64_t seed)
{
    const nn::Dataset d = fixtures::syntheticBars(n, seed);
    nn::writeIdx((dir + "/" + prefix + "-images-idx3-ubyte").toStdString(), {n, 28, 28}, d.images);
    nn::writeIdx((dir + "/" + prefix + "-labels-idx1-ubyte").toStdString(), {n}, d.labels);
}

QJsonDocument json(const QString& text)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(text.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(text));
    return d;
}

// The runs of the history (runs list --json) that belong to `searchId`.
QJsonArray searchRuns(const QString& db, const QString& searchId)
{
    QJsonArray out;
    for (const QJsonValue& v : json(cli({"runs", "list", "--json"}, db).out).array())
        if (v.toObject()["search_id"].toString() == searchId)
            out.append(v);
    return out;
}

const QString kNet = QStringLiteral("dense 32 | relu | dense 10");

}  // namespace

class TestCliSweep : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("data");
        QDir().mkpath(m_data);
        writeFixture(m_data, "train", 600, 3);
    }

    void gridFindsTheKnownBest()
    {
        const QString db = m_dir.filePath("grid.sqlite"), csv = m_dir.filePath("grid.csv");
        const Run r = cli({"sweep", "--data", m_data, "--arch", kNet, "--optimizer", "sgd", "--grid",
                           "lr=1e-6,0.05,50", "--folds", "3", "--epochs", "2", "--threads", "1", "--json", "--csv", csv},
                          db);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = json(r.out).object();
        QCOMPARE(o["planned"].toInt(), 3);
        QCOMPARE(o["ran"].toInt(), 3);
        QCOMPARE(o["folds"].toInt(), 3);
        QCOMPARE(o["interrupted"].toBool(), false);
        const QJsonArray trials = o["trials"].toArray();
        QCOMPARE(trials.size(), 3);
        const QJsonObject best = trials[0].toObject();
        QCOMPARE(best["settings"].toObject()["lr"].toString(), QStringLiteral("0.05"));
        QVERIFY2(best["mean"].toDouble() > 0.85, qPrintable(r.out));
        QCOMPARE(best["folds"].toArray().size(), 3);
        QCOMPARE(best["status"].toString(), QStringLiteral("finished"));
        const QJsonObject slow = trials[1].toObject();
        QCOMPARE(slow["settings"].toObject()["lr"].toString(), QStringLiteral("1e-06"));
        QVERIFY(slow["mean"].toDouble() < 0.5);
        const QJsonObject wild = trials[2].toObject();
        QCOMPARE(wild["settings"].toObject()["lr"].toString(), QStringLiteral("50"));
        QCOMPARE(wild["status"].toString(), QStringLiteral("diverged"));
        QVERIFY(wild["mean"].isNull());
        // The per-trial lines go to stderr with --json; the progress of each trial too.
        QVERIFY2(r.err.contains(QRegularExpression("trial 2/3  lr=0.05  val \\d+\\.\\d\\d% ± \\d+\\.\\d\\d%")),
                 qPrintable(r.err));
        // The CSV: a header and one row per trial, best first, its folds' accuracies.
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0], QStringLiteral("rank,trial,lr,mean_val_accuracy,std_val_accuracy,fold_1,fold_2,fold_3,epochs,"
                                         "status,seconds,run_ids"));
        QVERIFY2(rows[1].contains(QRegularExpression("^1,2,0.05,[01]\\.\\d{6},0\\.\\d{6},([01]\\.\\d{6},){3}2,finished,")),
                 qPrintable(rows[1]));
        QVERIFY2(rows[3].startsWith("3,3,50,,,"), qPrintable(rows[3]));
        // Every fold of the learning trials is a recorded run of this search.
        const QJsonArray runs = searchRuns(db, o["search_id"].toString());
        QVERIFY2(runs.size() >= 7, qPrintable(QString::number(runs.size())));
        std::set<std::pair<int, int>> seen;
        for (const QJsonValue& v : runs) {
            const QJsonObject run = v.toObject();
            QVERIFY(seen.insert({run["search_trial"].toInt(), run["search_fold"].toInt()}).second);
            QCOMPARE(run["source"].toString(), QStringLiteral("cli"));
            QVERIFY(run["command"].toString().startsWith("digitpad-cli sweep "));
            if (run["search_trial"].toInt() == 2) {
                QCOMPARE(run["settings"].toObject()["lr"].toString(), QStringLiteral("0.05"));
                QVERIFY(run["data"].toString().contains(QRegularExpression("MNIST, fold [123] of 3: 400 training, 200 validation images")));
            }
        }
        for (int fold = 1; fold <= 3; ++fold)
            QVERIFY(seen.count({2, fold}) && seen.count({1, fold}));
        QVERIFY(best["run_ids"].toArray().size() == 3);
    }

    void textTableAndHalving()
    {
        const QString db = m_dir.filePath("halving.sqlite");
        const Run r = cli({"sweep", "--data", m_data, "--arch", kNet, "--optimizer", "sgd", "--grid",
                           "lr=1e-6,2e-6,0.05,4e-6", "--halving", "2", "--epochs", "4", "--threads", "1"},
                          db);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("rung 1 of 3: 4 trials to 1 epoch\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("rung 3 of 3: 1 trial to 4 epochs\n"), qPrintable(r.out));
        // The table: a header, then the good trial first, finished after 4 epochs.
        const int at = r.out.indexOf(QRegularExpression("^rank  trial  lr ", QRegularExpression::MultilineOption));
        QVERIFY2(at >= 0, qPrintable(r.out));
        const QStringList table = r.out.mid(at).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(table[1].contains(QRegularExpression("^\\s+1\\s+3\\s+0\\.05\\s+\\d+\\.\\d\\d%\\s+4\\s+finished")),
                 qPrintable(table[1]));
        int halved = 0;
        for (int i = 2; i <= 4; ++i)
            halved += table[i].contains(QRegularExpression("\\s[12]\\s+halved\\s"));
        QCOMPARE(halved, 3);
        QVERIFY(r.out.contains("best: lr=0.05 (val "));
        QVERIFY(r.out.contains(": 4 of 4 trials in "));
        QVERIFY(r.out.contains(", 8 epochs trained"));  // 4 x 1 + 2 x 1 + 1 x 2
    }

    void badSyntax_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing to search") << QStringList{} << "sweep needs --grid or --random";
        QTest::newRow("unknown key") << QStringList{"--grid", "lrr=1e-3"}
                                     << "--grid: unknown parameter 'lrr' in 'lrr=1e-3' (known: lr, batch, opt, momentum, "
                                        "wd, l1, dropout, augment, arch)";
        QTest::newRow("log of 0") << QStringList{"--random", "wd=log:0:1e-3"}
                                  << "--random: 'wd=log:0:1e-3': log needs a range above 0";
        QTest::newRow("bad value") << QStringList{"--grid", "lr=1e-3 batch=32,x"}
                                   << "--grid: 'batch=32,x': 'x' is not a number";
        QTest::newRow("range in grid") << QStringList{"--grid", "lr=1e-4:1e-2"}
                                       << "--grid: 'lr=1e-4:1e-2': a grid takes a list of values";
        QTest::newRow("budget") << QStringList{"--grid", "lr=1e-3", "--budget", "10x"}
                                << "--budget: '10x' is not a time (30m, 90s, 1h30m) or a number of epochs (40e)";
        QTest::newRow("too many trials") << QStringList{"--grid", "lr=1e-3,3e-3", "--trials", "5"}
                                         << "--trials: the grid has only 2 points";
        QTest::newRow("halving rung") << QStringList{"--grid", "lr=1e-3", "--halving", "3", "--epochs", "2", "--min-epochs", "2"}
                                      << "--halving: --min-epochs (2) must be below --epochs (2)";
        QTest::newRow("no validation") << QStringList{"--grid", "lr=1e-3", "--val", "0"}
                                       << "give --val above 0 or --folds 2 or more";
        QTest::newRow("train-only option") << QStringList{"--grid", "lr=1e-3", "--out", "x.dpm"}
                                           << "Unknown option 'out'";
    }
    void badSyntax()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString db = m_dir.filePath("bad.sqlite");
        const Run r = cli(QStringList{"sweep", "--data", m_data} + args, db);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.contains("(see 'digitpad-cli sweep --help')"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFile::exists(db));  // nothing ran, nothing was recorded
    }

    // Ctrl-C during the second trial: it is finished, the search stops, the
    // results of both are printed and both are in the run history.
    void ctrlCKeepsFinishedTrials_data()
    {
        QTest::addColumn<int>("interrupts");
        QTest::newRow("once: finish the trial") << 1;
        QTest::newRow("twice: discard it") << 2;
    }
    void ctrlCKeepsFinishedTrials()
    {
        QFETCH(int, interrupts);
        const QString db = m_dir.filePath(QStringLiteral("sigint%1.sqlite").arg(interrupts));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DIGITPAD_RUNS_DB", db);
        p.setProcessEnvironment(env);
        // Trials of a second or two each.
        p.start(QString(DIGITPAD_CLI), {"sweep", "--data", m_data, "--arch", "conv 8 5 | relu | maxpool 2 | dense 10",
                                        "--grid", "lr=1e-3,2e-3,3e-3,4e-3", "--epochs", "60", "--threads", "1"});
        QVERIFY(p.waitForStarted());
        QString out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("trial 1/4  ") && t.elapsed() < 120000) {
            p.waitForReadyRead(200);
            out += QString::fromUtf8(p.readAllStandardOutput());
        }
        QVERIFY2(out.contains("trial 1/4  "), qPrintable(out));
        // Trial 1's line is printed as trial 2 begins (a signal at that
        // very moment stops before trial 2); trial 2 takes over a second.
        QTest::qWait(300);
        for (int i = 0; i < interrupts; ++i) {
            QVERIFY2(p.state() == QProcess::Running && p.processId() > 0, "the sweep ended before Ctrl-C");
            ::kill(pid_t(p.processId()), SIGINT);
            QTest::qWait(100);
        }
        if (p.state() != QProcess::NotRunning)
            QVERIFY(p.waitForFinished(120000));
        out += QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains("interrupted: finishing the current trial, then stopping"), qPrintable(err));
        const int kept = interrupts == 1 ? 2 : 1;
        QVERIFY2(out.contains(QStringLiteral(": %1 of 4 trials in ").arg(kept)), qPrintable(out));
        QVERIFY(!out.contains("trial 3/4  "));
        if (interrupts == 1) {
            QVERIFY2(out.contains("trial 2/4  lr=0.002  val "), qPrintable(out));
        } else {
            QVERIFY2(err.contains("interrupted again: stopping now; the unfinished trial is discarded"), qPrintable(err));
            QVERIFY2(out.contains("interrupted, trial 2 (lr=0.002) discarded"), qPrintable(out));
            QVERIFY(!out.contains("trial 2/4  lr=0.002  val "));
        }
        // The table has the finished trials, and so has the run history.
        const int at = out.indexOf(QRegularExpression("^rank  trial ", QRegularExpression::MultilineOption));
        QVERIFY2(at >= 0, qPrintable(out));
        const QStringList table = out.mid(at).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(table.size(), 1 + kept + 1);  // header, trials, "best: ..."
        const QString id = QRegularExpression("search (sweep-\\S+):").match(out).captured(1);
        QVERIFY(!id.isEmpty());
        const QJsonArray runs = searchRuns(db, id);
        QCOMPARE(runs.size(), kept);
        for (const QJsonValue& v : runs) {
            QCOMPARE(v.toObject()["status"].toString(), QStringLiteral("finished"));
            QCOMPARE(v.toObject()["epochs"].toInt(), 60);
            QVERIFY(v.toObject()["search_trial"].toInt() <= kept);
        }
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
};

QTEST_GUILESS_MAIN(TestCliSweep)
#include "test_cli_sweep.moc"
