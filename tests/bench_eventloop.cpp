// Benchmark (not a test): trains a model on MNIST through the GUI's training
// worker while the GUI thread runs the real training panel (progress, curves
// and log updating, offscreen) and a 10 ms timer measures how late the event
// loop serves it. Prints the timer's lateness percentiles (idle and during
// training) and the worker's images per second, to compare with
//   digitpad-cli train --preset cnn --epochs 1 --limit N --threads T
// on the same settings.
//
//   QT_QPA_PLATFORM=offscreen bench_eventloop [--preset cnn] [--epochs 1]
//       [--limit N] [--batches N] [--batch 64] [--threads 0] [--augment]
//       [--follow SECONDS] [--data DIR] [--idle SECONDS]
#include "common/defaultmodel.h"
#include "panels/training_panel.h"

#include <nn/parallel.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Lateness {
    std::vector<double> ms;
    void add(double v) { ms.push_back(std::max(0.0, v)); }
    double pct(double p) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> s = ms;
        std::sort(s.begin(), s.end());
        const std::size_t i = std::min(s.size() - 1, std::size_t(p / 100.0 * double(s.size() - 1) + 0.5));
        return s[i];
    }
    void print(const char* what) const
    {
        std::printf("%-22s %7zu ticks  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms\n", what, ms.size(),
                    pct(50), pct(90), pct(99), pct(100));
    }
};

void usage()
{
    std::puts("bench_eventloop [--preset NAME | --spec SPEC] [--epochs N] [--limit N] [--batches N] [--batch N]\n"
              "                [--threads N] [--augment] [--follow SECONDS] [--data DIR] [--idle SECONDS]\n"
              "Run with QT_QPA_PLATFORM=offscreen on a headless machine.");
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QCoreApplication::setApplicationName(QStringLiteral("DigitPad"));

    std::string spec = nn::Model::presetSpec("cnn");
    int epochs = 1, limit = 0, batches = 0, batch = 64, threads = 0;
    double follow = 0, idle = 2.0;
    bool augment = false;
    QString data;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args[i];
        const auto next = [&]() -> QString {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "%s needs a value\n", qPrintable(a));
                std::exit(2);
            }
            return args[++i];
        };
        if (a == "--preset")
            spec = nn::Model::presetSpec(next().toStdString());
        else if (a == "--spec")
            spec = next().toStdString();
        else if (a == "--epochs")
            epochs = next().toInt();
        else if (a == "--limit")
            limit = next().toInt();
        else if (a == "--batches")
            batches = next().toInt();
        else if (a == "--batch")
            batch = next().toInt();
        else if (a == "--threads")
            threads = next().toInt();
        else if (a == "--augment")
            augment = true;
        else if (a == "--follow")
            follow = next().toDouble();
        else if (a == "--data")
            data = next();
        else if (a == "--idle")
            idle = next().toDouble();
        else {
            usage();
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    const QString dir = app::resolveDataDir(data);
    QStandardPaths::setTestModeEnabled(true);  // keep the person's settings and checkpoints out of it
    if (nn::findMnistFile(dir.toStdString(), "train-images-idx3-ubyte").empty()) {
        std::fprintf(stderr, "MNIST is not in %s; fetch it with scripts/fetch-mnist or pass --data DIR\n", qPrintable(dir));
        return 1;
    }

    // The real panel, shown (offscreen), so that its progress, curves and log
    // updates cost the GUI thread what they cost in the application.
    app::TrainingPanel panel;
    panel.setCheckpointPath(QString());
    panel.setMnistDir(dir);
    panel.resize(1400, 860);
    panel.show();
    app::TrainingRequest r;
    r.spec = spec;
    r.useMnist = true;
    r.mnistDir = dir;
    r.mnistLimit = limit;
    r.validationFraction = 0.1;
    r.evaluateTest = false;
    r.config.epochs = epochs;
    r.config.batchSize = batch;
    r.config.learningRate = 1e-3f;
    r.config.threads = threads;
    r.config.maxBatchesPerEpoch = batches;
    r.config.augment = augment ? nn::AugmentParams::standard() : nn::AugmentParams{};
    r.config.seed = 1;

    Lateness idleLate, trainLate;
    Lateness* current = &idleLate;
    QElapsedTimer clock;
    clock.start();
    qint64 last = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0)
            current->add(double(now - last) / 1e6 - 10.0);
        last = now;
    });

    int snapshots = 0;
    QObject::connect(panel.controller(), &app::TrainingController::snapshot, [&](auto) { ++snapshots; });
    app::TrainingOutcome outcome;
    app::RunInfo info;
    bool failed = false;
    double trainStart = 0;
    QObject::connect(panel.controller(), &app::TrainingController::started, [&](const app::RunInfo& i) {
        info = i;
        current = &trainLate;  // data loaded: training starts now
        trainStart = double(clock.nsecsElapsed()) / 1e9;
    });
    QObject::connect(panel.controller(), &app::TrainingController::finished,
                     [&](const app::TrainingOutcome& o, auto) {
                         outcome = o;
                         app.quit();
                     });
    QObject::connect(panel.controller(), &app::TrainingController::failed, [&](const QString& m) {
        std::fprintf(stderr, "training failed: %s\n", qPrintable(m));
        failed = true;
        app.quit();
    });

    tick.start();
    QTimer::singleShot(int(idle * 1000), [&] {
        static Lateness loading;  // loading MNIST is not training
        current = &loading;
        panel.controller()->setFollowInterval(follow);
        panel.controller()->start(r);
    });
    app.exec();
    tick.stop();
    if (failed)
        return 1;
    const double wall = double(clock.nsecsElapsed()) / 1e9 - trainStart;

    std::printf("model: %s (%lld parameters)\n", qPrintable(info.spec), (long long)info.parameters);
    std::printf("data: %s\n", qPrintable(info.data));
    std::printf("settings: %s, %d threads (%d hardware)\n", qPrintable(info.hyperparameters), info.threads,
                nn::ThreadPool::hardwareThreads());
    std::printf("%s after %d epoch(s), %lld steps, %.1f s training wall time\n", qPrintable(outcome.message),
                outcome.epochsCompleted, outcome.steps, wall);
    std::printf("worker throughput: %.0f images/s (trainer, whole run)\n", outcome.imagesPerSecond);
    if (follow > 0)
        std::printf("follow snapshots delivered: %d\n", snapshots);
    idleLate.print("10 ms timer, idle:");
    trainLate.print("10 ms timer, training:");
    std::printf("p99 lateness during training %.2f ms: %s (target < 50 ms)\n", trainLate.pct(99),
                trainLate.pct(99) < 50 ? "ok" : "TOO HIGH");
    return 0;
}
