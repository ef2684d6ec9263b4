// Hyperparameter search (issue 17): the --grid/--random syntax and its error
// messages, seeded trials, applying a trial, stratified k-fold splits,
// successive halving's rungs, budgets, and whole searches on synthetic data
// with planted good and bad settings (a learning rate that learns, ones that
// are too small to learn in time, one that diverges).
#include "fixtures.h"

#include <nn/errors.h>
#include <nn/search.h>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace nn;

namespace {

const char* kSmallNet = "dense 32 | relu | dense 10";

SearchRequest syntheticSearch(const std::vector<std::string>& lrs, int folds, int epochs)
{
    SearchRequest r;
    r.base.spec = kSmallNet;
    r.base.config.epochs = epochs;
    r.base.config.batchSize = 32;
    r.base.config.optimizer.kind = OptimizerConfig::SGD;
    r.base.config.optimizer.momentum = 0.9f;
    r.base.config.threads = 2;
    r.base.config.seed = 3;
    std::string grid = "lr=";
    for (std::size_t i = 0; i < lrs.size(); ++i)
        grid += (i ? "," : "") + lrs[i];
    const SearchSpace space = SearchSpace::parse(grid, "");
    r.trials = space.trials(int(space.gridSize()), 1);
    r.data = std::make_shared<const Dataset>(fixtures::syntheticBars(600, 5));
    r.dataLabel = "bars";
    r.folds = folds;
    r.searchId = "test-search";
    return r;
}

const TrialOutcome* find(const SearchResult& r, const std::string& lr)
{
    for (const TrialOutcome& t : r.trials)
        if (t.point.value("lr") == lr)
            return &t;
    return nullptr;
}

}  // namespace

class TestSearch : public QObject {
    Q_OBJECT
private slots:
    void gridOrderAndSize()
    {
        const SearchSpace s = SearchSpace::parse("lr=1e-3,3e-3 batch=32,64", "");
        QCOMPARE(int(s.gridSize()), 4);
        const auto t = s.trials(4, 1);
        QCOMPARE(QString::fromStdString(t[0].describe()), QStringLiteral("lr=0.001 batch=32"));
        QCOMPARE(QString::fromStdString(t[1].describe()), QStringLiteral("lr=0.001 batch=64"));
        QCOMPARE(QString::fromStdString(t[2].describe()), QStringLiteral("lr=0.003 batch=32"));
        QCOMPARE(QString::fromStdString(t[3].describe()), QStringLiteral("lr=0.003 batch=64"));
        // More trials than points: the grid repeats.
        QCOMPARE(s.trials(6, 1)[5], t[1]);
        // Choices are canonical; a quoted spec keeps its spaces.
        const SearchSpace c = SearchSpace::parse("opt=SGD,adam arch=mlp,'dense 10'", "");
        const auto ct = c.trials(4, 1);
        QCOMPARE(ct[0].value("opt"), std::string("sgd"));
        QCOMPARE(ct[1].value("arch"), std::string("dense 10"));
        QCOMPARE(QString::fromStdString(ct[1].describe()), QStringLiteral("opt=sgd arch='dense 10'"));
    }

    void randomDrawsAreSeededAndInRange()
    {
        const SearchSpace s = SearchSpace::parse("batch=32,64", "wd=log:1e-6:1e-3 dropout=0:0.5 opt=sgd,adam");
        const auto a = s.trials(200, 7);
        QCOMPARE(s.trials(200, 7), a);                // the same seed, the same trials
        QCOMPARE(s.trials(5, 7)[4], a[4]);            // trial i does not depend on the count
        QVERIFY(s.trials(5, 8)[4] != a[4]);           // another seed, other draws
        int belowGeoMid = 0, adam = 0;
        std::set<std::string> wds;
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(a[i].value("batch"), std::string(i % 2 ? "64" : "32"));
            const double wd = std::stod(a[i].value("wd"));
            const double dr = std::stod(a[i].value("dropout"));
            QVERIFY2(wd >= 1e-6 && wd <= 1e-3, a[i].describe().c_str());
            QVERIFY2(dr >= 0 && dr <= 0.5, a[i].describe().c_str());
            belowGeoMid += wd < std::sqrt(1e-6 * 1e-3);
            adam += a[i].value("opt") == "adam";
            wds.insert(a[i].value("wd"));
        }
        // Log-uniform: half below the geometric middle (uniform would put ~3% there).
        QVERIFY2(belowGeoMid > 70 && belowGeoMid < 130, qPrintable(QString::number(belowGeoMid)));
        QVERIFY2(adam > 70 && adam < 130, qPrintable(QString::number(adam)));
        QVERIFY(wds.size() > 150);
        // Drawn values have three significant digits, so what is shown is what is trained with.
        for (const auto& t : a)
            QVERIFY2(t.value("wd").size() <= 8, t.value("wd").c_str());
        // Integer ranges give whole numbers within the range.
        for (const auto& t : SearchSpace::parse("", "batch=log:16:256").trials(50, 1)) {
            const int b = std::stoi(t.value("batch"));
            QVERIFY(b >= 16 && b <= 256);
            QCOMPARE(t.value("batch"), std::to_string(b));
        }
    }

    void badSyntax_data()
    {
        QTest::addColumn<QString>("grid");
        QTest::addColumn<QString>("random");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << "lrr=1e-3" << ""
                                     << "--grid: unknown parameter 'lrr' in 'lrr=1e-3' (known: lr, batch, opt,";
        QTest::newRow("no =") << "lr" << "" << "--grid: 'lr' is not key=value (e.g. lr=1e-3,3e-3)";
        QTest::newRow("no values") << "lr=" << "" << "--grid: 'lr=' has no values";
        QTest::newRow("not a number") << "lr=1e-3,abc" << "" << "--grid: 'lr=1e-3,abc': 'abc' is not a number";
        QTest::newRow("empty value") << "lr=1e-3,,3e-3" << "" << "--grid: 'lr=1e-3,,3e-3': an empty value";
        QTest::newRow("out of range") << "lr=-1" << "" << "--grid: 'lr=-1': -1 is out of range for lr (above 0 to 100)";
        QTest::newRow("fractional batch") << "batch=32.5" << "" << "--grid: 'batch=32.5': '32.5' is not a whole number";
        QTest::newRow("range in grid") << "wd=log:1e-6:1e-3" << ""
                                       << "--grid: 'wd=log:1e-6:1e-3': a grid takes a list of values";
        QTest::newRow("half a range") << "" << "wd=log:1e-6" << "--random: 'wd=log:1e-6': expected log:LOW:HIGH";
        QTest::newRow("reversed") << "" << "dropout=0.5:0" << "--random: 'dropout=0.5:0': LOW must be below HIGH";
        QTest::newRow("log of 0") << "" << "wd=log:0:1e-3" << "--random: 'wd=log:0:1e-3': log needs a range above 0";
        QTest::newRow("no log scale") << "" << "dropout=log:0.1:0.5" << "dropout has no log scale";
        QTest::newRow("twice") << "lr=1e-3" << "lr=log:1e-4:1e-2" << "--random: 'lr=log:1e-4:1e-2': lr is given twice";
        QTest::newRow("optimizer") << "opt=sgd,adamx" << "" << "--grid: 'opt=sgd,adamx': unknown optimizer 'adamx'";
        QTest::newRow("arch") << "arch=cnn,'dense ten'" << "" << "--grid: 'arch=cnn,'dense ten'': ";
        QTest::newRow("quote") << "arch='dense 10" << "" << "--grid: unclosed quote (')";
    }
    void badSyntax()
    {
        QFETCH(QString, grid);
        QFETCH(QString, random);
        QFETCH(QString, message);
        try {
            SearchSpace::parse(grid.toStdString(), random.toStdString());
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
    }

    void applyingATrial()
    {
        const SearchSpace s = SearchSpace::parse("lr=0.02 batch=16 opt=rmsprop momentum=0.5 wd=1e-4 l1=2e-5 dropout=0.3 "
                                                 "augment=2 arch=mlp",
                                                 "");
        TrialSetup t{"dense 10", -1, TrainConfig{}};
        applyTrial(s.trials(1, 1)[0], t);
        QCOMPARE(t.config.learningRate, 0.02f);
        QCOMPARE(t.config.batchSize, 16);
        QCOMPARE(t.config.optimizer.kind, OptimizerConfig::RMSprop);
        QCOMPARE(t.config.optimizer.momentum, 0.5f);
        QCOMPARE(t.config.optimizer.weightDecay, 1e-4f);
        QCOMPARE(t.config.optimizer.l1, 2e-5f);
        QCOMPARE(t.dropout, 0.3f);
        QCOMPARE(t.spec, Model::presetSpec("mlp"));
        // Strength 2: the standard ranges twice as wide around the identity.
        const AugmentParams std1 = AugmentParams::standard();
        QVERIFY(t.config.augment.enabled);
        QCOMPARE(t.config.augment.rotationDeg, 2 * std1.rotationDeg);
        QCOMPARE(t.config.augment.scaleMin, 1 - 2 * (1 - std1.scaleMin));
        QCOMPARE(t.config.augment.shiftPx, 2 * std1.shiftPx);
        TrialSetup one{"dense 10", -1, TrainConfig{}};
        applyTrial(SearchSpace::parse("augment=1", "").trials(1, 1)[0], one);
        QCOMPARE(one.config.augment, std1);
        TrialSetup off{"dense 10", -1, TrainConfig{}};
        off.config.augment = std1;
        applyTrial(SearchSpace::parse("augment=0", "").trials(1, 1)[0], off);
        QVERIFY(!off.config.augment.enabled);
    }

    void stratifiedFoldsKeepProportions()
    {
        // Unbalanced classes: class k has 20 + 13k samples, in a shuffled order.
        std::vector<std::uint8_t> labels;
        for (int k = 0; k < 10; ++k)
            labels.insert(labels.end(), std::size_t(20 + 13 * k), std::uint8_t(k));
        std::vector<std::uint8_t> mixed(labels.size());
        const auto order = shuffledIndices(int(labels.size()), 99);
        for (std::size_t i = 0; i < labels.size(); ++i)
            mixed[i] = labels[std::size_t(order[i])];
        for (int k : {2, 3, 5, 7}) {
            const std::vector<int> f = stratifiedFolds(mixed, k, 4);
            QCOMPARE(f.size(), mixed.size());
            std::vector<int> size(std::size_t(k), 0);
            std::map<std::pair<int, int>, int> perClass;  // (fold, class) -> count
            std::vector<int> classCount(10, 0);
            for (std::size_t i = 0; i < f.size(); ++i) {
                QVERIFY(f[i] >= 0 && f[i] < k);  // every sample in exactly one fold
                ++size[std::size_t(f[i])];
                ++perClass[{f[i], mixed[i]}];
                ++classCount[mixed[i]];
            }
            const auto [lo, hi] = std::minmax_element(size.begin(), size.end());
            QVERIFY2(*hi - *lo <= 1, qPrintable(QStringLiteral("k=%1: sizes %2..%3").arg(k).arg(*lo).arg(*hi)));
            for (int fold = 0; fold < k; ++fold)
                for (int c = 0; c < 10; ++c) {
                    const double want = double(classCount[std::size_t(c)]) / k;
                    const int got = perClass[{fold, c}];
                    QVERIFY2(std::abs(got - want) < 1.0,
                             qPrintable(QStringLiteral("k=%1 fold %2 class %3: %4, expected %5").arg(k).arg(fold).arg(c).arg(got).arg(want)));
                }
            QCOMPARE(stratifiedFolds(mixed, k, 4), f);   // seeded
            QVERIFY(stratifiedFolds(mixed, k, 5) != f);  // another seed, other folds
        }
        // The split: validation is the fold, training the rest; together all the data, once.
        Dataset d = fixtures::syntheticBars(101, 3);
        const std::vector<int> f = stratifiedFolds(d.labels, 4, 1);
        int total = 0;
        for (int fold = 0; fold < 4; ++fold) {
            auto [train, val] = foldSplit(d, f, fold);
            QCOMPARE(train.size() + val.size(), 101);
            total += val.size();
        }
        QCOMPARE(total, 101);
        QVERIFY_THROWS_EXCEPTION(Error, stratifiedFolds(d.labels, 1, 1));
        QVERIFY_THROWS_EXCEPTION(Error, stratifiedFolds({1, 2}, 3, 1));
    }

    void rungsAndBudgets()
    {
        QCOMPARE(halvingRungs(9, 3, 1), (std::vector<int>{1, 3, 9}));
        QCOMPARE(halvingRungs(10, 3, 1), (std::vector<int>{1, 3, 9, 10}));
        QCOMPARE(halvingRungs(4, 2, 1), (std::vector<int>{1, 2, 4}));
        QCOMPARE(halvingRungs(3, 2, 3), (std::vector<int>{3}));
        QVERIFY_THROWS_EXCEPTION(Error, halvingRungs(4, 1, 1));
        QCOMPARE(halvingKeep(9, 3), 3);
        QCOMPARE(halvingKeep(4, 3), 2);
        QCOMPARE(halvingKeep(1, 3), 1);
        QCOMPARE(parseBudget("30m").seconds, 1800.0);
        QCOMPARE(parseBudget("1h30m").seconds, 5400.0);
        QCOMPARE(parseBudget("90s").seconds, 90.0);
        QCOMPARE(parseBudget("45").seconds, 45.0);
        QCOMPARE(parseBudget("40e").epochs, 40LL);
        QCOMPARE(parseBudget("12epochs").epochs, 12LL);
        for (const char* bad : {"", "abc", "10x", "0", "1.5e", "3e4m"}) {
            try {
                parseBudget(bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).startsWith(QStringLiteral("--budget: '%1' is not a time").arg(bad)), e.what());
            }
        }
        const auto [m, s] = meanStd({0.9, 0.8, -1, 1.0});
        QCOMPARE(m, 0.9);
        QVERIFY(std::abs(s - 0.1) < 1e-12);
        QCOMPARE(meanStd({-1, -1}).first, -1.0);
    }

    // A planted grid: 0.05 learns, 1e-6 is too small to learn in two epochs,
    // 50 diverges. Three stratified folds; every fold a recorded run.
    void gridFindsTheKnownBest()
    {
        SearchRequest r = syntheticSearch({"1e-6", "0.05", "50"}, 3, 2);
        std::vector<RunRecord> recorded;
        SearchEvents ev;
        ev.record = [&](RunRecord& rec) {
            recorded.push_back(rec);
            return (long long)recorded.size();
        };
        int ended = 0;
        ev.trialEnded = [&](const TrialOutcome&) { ++ended; };
        const SearchResult res = runSearch(r, ev);
        QCOMPARE(res.planned, 3);
        QCOMPARE(int(res.trials.size()), 3);
        QCOMPARE(ended, 3);
        QVERIFY(!res.interrupted);
        const TrialOutcome& best = res.trials[0];
        QCOMPARE(best.point.value("lr"), std::string("0.05"));
        QCOMPARE(best.status, std::string("finished"));
        QVERIFY2(best.mean > 0.85, qPrintable(QString::number(best.mean)));
        QCOMPARE(int(best.foldAccuracy.size()), 3);
        for (double a : best.foldAccuracy)
            QVERIFY(a > 0.7);
        QVERIFY(best.std >= 0 && best.std < 0.1);
        const TrialOutcome* slow = find(res, "1e-06");
        const TrialOutcome* wild = find(res, "50");
        QVERIFY(slow && wild);
        QVERIFY2(slow->mean < 0.5, qPrintable(QString::number(slow->mean)));
        QCOMPARE(wild->status, std::string("diverged"));
        QCOMPARE(wild->mean, -1.0);
        QCOMPARE(res.trials[2].trial, wild->trial);  // ranked last
        // Every fold of the learning trials and the diverging fold were recorded, with the search's marks.
        QVERIFY(recorded.size() >= 7);
        std::set<std::pair<int, int>> marks;
        for (const RunRecord& rec : recorded) {
            QCOMPARE(rec.searchId, std::string("test-search"));
            QVERIFY(rec.searchTrial >= 0 && rec.searchTrial < 3);
            QVERIFY(rec.searchFold >= 0 && rec.searchFold < 3);
            QVERIFY(marks.insert({rec.searchTrial, rec.searchFold}).second);
            QVERIFY2(QString::fromStdString(rec.data).startsWith("bars, fold "), rec.data.c_str());
            if (rec.searchTrial == best.trial) {
                QCOMPARE(rec.status, std::string("finished"));
                QCOMPARE(rec.epochsCompleted, 2);
                QCOMPARE(int(rec.epochCurve.size()), 2);
                QCOMPARE(rec.valAccuracy, best.foldAccuracy[std::size_t(rec.searchFold)]);
                QCOMPARE(rec.setting("lr"), std::string("0.05"));
                QCOMPARE(rec.trainSize + rec.validationSize, 600);
            }
        }
        QCOMPARE(best.runIds.size(), std::size_t(3));
        QVERIFY(best.runIds[0] > 0);
        // The two learners' 2 x 3 x 2 epochs; the diverging one stops at its first fold.
        QVERIFY2(res.epochsTrained >= 12 && res.epochsTrained <= 14, qPrintable(QString::number(res.epochsTrained)));
    }

    // Successive halving: three slow learning rates and one good one, eta 2,
    // rungs 1, 2, 4 epochs. The bad ones stop early; the good one runs to the end.
    void halvingStopsThePlantedBadTrials()
    {
        QTemporaryDir work;
        SearchRequest r = syntheticSearch({"1e-6", "2e-6", "0.05", "4e-6"}, 1, 4);
        r.halvingEta = 2;
        r.workDir = work.path().toStdString();
        std::vector<RunRecord> recorded;
        SearchEvents ev;
        ev.record = [&](RunRecord& rec) {
            recorded.push_back(rec);
            return (long long)recorded.size();
        };
        std::vector<int> startedTo;
        ev.runStarted = [&](const TrialPoint&, int, int, int, int to) { startedTo.push_back(to); };
        const SearchResult res = runSearch(r, ev);
        QCOMPARE(startedTo, (std::vector<int>{1, 1, 1, 1, 2, 2, 4}));
        QCOMPARE(res.epochsTrained, 4LL * 1 + 2 * 1 + 1 * 2);
        QCOMPARE(int(res.trials.size()), 4);
        const TrialOutcome& best = res.trials[0];
        QCOMPARE(best.point.value("lr"), std::string("0.05"));
        QCOMPARE(best.status, std::string("finished"));
        QCOMPARE(best.epochs, 4);
        int halvedAt1 = 0, halvedAt2 = 0;
        for (std::size_t i = 1; i < res.trials.size(); ++i) {
            QCOMPARE(res.trials[i].status, std::string("halved"));
            halvedAt1 += res.trials[i].epochs == 1;
            halvedAt2 += res.trials[i].epochs == 2;
        }
        QCOMPARE(halvedAt1, 2);
        QCOMPARE(halvedAt2, 1);
        // One record per trial: the good one's covers its four epochs across the rungs.
        QCOMPARE(int(recorded.size()), 4);
        for (const RunRecord& rec : recorded) {
            if (rec.searchTrial == best.trial) {
                QCOMPARE(rec.status, std::string("finished"));
                QCOMPARE(rec.epochsCompleted, 4);
                QCOMPARE(int(rec.epochCurve.size()), 4);
                QCOMPARE(rec.epochCurve[3].epoch, 3);
                QVERIFY(!rec.resumed);
            } else {
                QCOMPARE(rec.status, std::string("stopped"));
                QVERIFY2(QString::fromStdString(rec.message).startsWith("stopped by successive halving after"),
                         rec.message.c_str());
                QVERIFY(rec.epochsCompleted == 1 || rec.epochsCompleted == 2);
                QCOMPARE(int(rec.epochCurve.size()), rec.epochsCompleted);
            }
        }
        // The checkpoints between rungs are gone.
        QCOMPARE(QDir(work.path()).entryList(QDir::Files).size(), 0);
    }

    void budgetAndStops()
    {
        // An epoch budget of 2 with two-epoch trials: only the first runs.
        SearchRequest r = syntheticSearch({"0.05", "0.01", "0.02"}, 1, 2);
        r.budget.epochs = 2;
        SearchResult res = runSearch(r, {});
        QVERIFY(res.budgetSpent);
        QCOMPARE(int(res.trials.size()), 1);
        QCOMPARE(res.epochsTrained, 2LL);

        // Stop after the current trial, asked during the first trial.
        SearchControl after;
        SearchEvents ev;
        int records = 0;
        ev.record = [&](RunRecord&) { return (long long)++records; };
        ev.epoch = [&](const EpochReport&) { after.stopAfterTrial(); };
        r.budget = {};
        res = runSearch(r, ev, &after);
        QVERIFY(res.interrupted);
        QCOMPARE(int(res.trials.size()), 1);
        QCOMPARE(res.trials[0].status, std::string("finished"));
        QCOMPARE(res.trials[0].epochs, 2);
        QCOMPARE(records, 1);
        QVERIFY(res.discarded.empty());

        // Stop now, during the second trial: it is discarded, the first is kept.
        SearchControl now;
        records = 0;
        SearchEvents ev2;
        ev2.record = [&](RunRecord&) { return (long long)++records; };
        int trialSeen = -1;
        ev2.runStarted = [&](const TrialPoint&, int trial, int, int, int) { trialSeen = trial; };
        ev2.batch = [&](const BatchReport& b) {
            if (trialSeen == 1 && b.batch >= 2)
                now.stopNow();
        };
        res = runSearch(r, ev2, &now);
        QVERIFY(res.interrupted);
        QCOMPARE(int(res.trials.size()), 1);
        QCOMPARE(res.trials[0].trial, 0);
        QCOMPARE(records, 1);
        QCOMPARE(QString::fromStdString(res.discarded), QStringLiteral("trial 2 (lr=0.01)"));
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "test_search.moc"
