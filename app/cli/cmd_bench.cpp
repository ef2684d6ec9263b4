// digitpad-cli bench: training throughput, batch-1 latency and test-set
// inference throughput of one network on this machine (issue 7).
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include <nn/cpu.h>
#include <nn/metrics.h>
#include <nn/parallel.h>
#include <nn/trainer.h>

#include <array>
#include <chrono>
#include <numeric>
#include <ostream>
#include <random>

namespace app::cli {

namespace {

using Clock = std::chrono::steady_clock;
double secondsBetween(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Stand-in data when MNIST is absent: speed does not depend on the pixels.
nn::Dataset syntheticSet(int n, std::uint64_t seed)
{
    nn::Dataset d;
    std::mt19937_64 rng(seed);
    d.images.resize(std::size_t(n) * d.pixels());
    d.labels.resize(std::size_t(n));
    for (auto& p : d.images)
        p = std::uint8_t(rng() & 0xff);
    for (auto& l : d.labels)
        l = std::uint8_t(rng() % 10);
    return d;
}

struct BenchResult {
    double trainImagesPerSecond = 0;
    LatencyStats latencyUs;
    double inferImagesPerSecond = 0;
};

}  // namespace

int benchCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("bench"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    std::string label;
    std::string spec = resolveArch(a, &label);
    if (spec.empty()) {
        label = "cnn";
        spec = nn::Model::presetSpec("cnn");
    }
    const int batch = a.intValue(QStringLiteral("batch"), 64, 1, 65536);
    const int batches = a.intValue(QStringLiteral("batches"), 200, 1, 10000000);
    const int warmup = a.intValue(QStringLiteral("warmup"), 20, 0, 10000000);
    const int calls = a.intValue(QStringLiteral("calls"), 2000, 1, 100000000);
    const int repeats = a.intValue(QStringLiteral("repeats"), 3, 1, 1000);
    const int threadsOption = a.intValue(QStringLiteral("threads"), 0, 0, 1024);
    const int threads = effectiveThreads(threadsOption);
    const bool json = a.isSet(QStringLiteral("json"));
    std::uint64_t seed = 1;
    if (a.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        seed = a.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            throw UsageError("--seed: expected a non-negative whole number");
    }

    // Data: real MNIST when available (same images as the PyTorch side of the comparison).
    nn::Dataset train, test;
    std::string dataNote;
    bool mnist = true;
    try {
        std::string dir;
        train = loadMnistSplit(a.value(QStringLiteral("data")), nn::Split::Train, &dir);
        test = loadMnistSplit(a.value(QStringLiteral("data")), nn::Split::Test);
        dataNote = "MNIST " + dir;
    } catch (const nn::Error& e) {
        if (a.isSet(QStringLiteral("data")))
            throw;  // asked for explicitly: report it
        mnist = false;
        train = syntheticSet(60000, seed);
        test = syntheticSet(10000, seed + 1);
        dataNote = "random images (MNIST not found: run scripts/fetch-mnist for real data)";
    }
    // Whole batches only, so images per second counts exactly batch images per step.
    const int usable = (train.size() / batch) * batch;
    if (usable == 0)
        throw UsageError("--batch " + std::to_string(batch) + " is larger than the training set (" +
                         std::to_string(train.size()) + " images)");
    if (usable < train.size()) {
        std::vector<int> idx(static_cast<std::size_t>(usable));
        std::iota(idx.begin(), idx.end(), 0);
        train = train.subset(idx);
    }

    nn::Model model = nn::Model::fromSpec(spec);
    model.initialize(seed);
    const double macs = model.flopsPerSample();

    BenchResult res;
    // --- training: SGD with momentum 0.9, softmax cross-entropy, as in the reference measurements.
    // Returns img/s over `batches` steps after `warmup` steps; trains `m` in place.
    double trainAccuracy = 0;
    auto timeTraining = [&](nn::Model& m, int nThreads, double* accuracy) {
        nn::TrainConfig cfg;
        cfg.batchSize = batch;
        cfg.learningRate = 0.01f;
        cfg.optimizer.kind = nn::OptimizerConfig::SGD;
        cfg.optimizer.momentum = 0.9f;
        cfg.loss = nn::LossKind::CrossEntropy;
        cfg.seed = seed;
        cfg.threads = nThreads;
        cfg.progressIntervalSec = 0.0;  // a report after every batch marks the timing points
        const long long total = (long long)warmup + batches;
        const long long perEpoch = usable / batch;
        cfg.epochs = int((total + perEpoch - 1) / perEpoch);
        nn::Trainer trainer(m, cfg);
        nn::RunControl control;
        Clock::time_point t0 = Clock::now(), t1 = t0;
        double correct = 0;
        long long seen = 0;
        const nn::TrainResult r = trainer.run(
            train, nn::Dataset{},
            [&](const nn::BatchReport& rep) {
                if (rep.step == warmup)
                    t0 = Clock::now();
                if (rep.step > warmup) {
                    correct += rep.accuracy * batch;
                    seen += batch;
                }
                if (rep.step == total) {
                    t1 = Clock::now();
                    control.requestStop();
                }
            },
            {}, &control);
        if (r.status == nn::TrainResult::Diverged)
            throw nn::Error("benchmark training diverged: " + nn::toString(r.message));
        if (accuracy)
            *accuracy = seen > 0 ? correct / double(seen) : 0.0;
        return double(batches) * batch / std::max(1e-9, secondsBetween(t0, t1));
    };
    double oneThreadRate = 0;
    if (a.isSet(QStringLiteral("scaling")) && threads > 1) {
        nn::Model single = model;
        oneThreadRate = timeTraining(single, 1, nullptr);
    }
    res.trainImagesPerSecond = timeTraining(model, threads, &trainAccuracy);

    // --- batch-1 latency: one image at a time, as the drawing canvas does.
    {
        std::array<float, 28 * 28> x{};
        std::array<float, nn::kClasses> probs{};
        test.imageAsFloat(0, x.data());
        const int warm = std::min(calls, 200);
        for (int i = 0; i < warm; ++i)
            model.predict(x.data(), 1, probs.data());
        std::vector<double> us;
        us.reserve(std::size_t(calls));
        for (int i = 0; i < calls; ++i) {
            test.imageAsFloat(i % test.size(), x.data());
            const auto t = Clock::now();
            model.predict(x.data(), 1, probs.data());
            us.push_back(secondsBetween(t, Clock::now()) * 1e6);
        }
        res.latencyUs = latencyStats(std::move(us));
    }

    // --- test-set inference throughput: the median of several passes.
    double testAccuracy = 0;
    {
        std::vector<double> rates;
        const nn::Evaluation e = nn::evaluate(model, test, threads);  // warm-up
        int right = 0;
        for (int i = 0; i < e.size(); ++i)
            right += e.labels[std::size_t(i)] == e.predictions[std::size_t(i)] ? 1 : 0;
        testAccuracy = e.size() > 0 ? double(right) / e.size() : 0.0;
        for (int i = 0; i < repeats; ++i) {
            const auto t = Clock::now();
            nn::evaluate(model, test, threads);
            rates.push_back(test.size() / std::max(1e-9, secondsBetween(t, Clock::now())));
        }
        res.inferImagesPerSecond = latencyStats(rates).median;
    }

    const std::string cpu = cpuModelFromCpuinfo(readCpuinfo());
    const int hw = nn::ThreadPool::hardwareThreads();
    if (json) {
        io.out << "{\"net\":" << jsonString(label) << ",\"spec\":" << jsonString(model.spec())
               << ",\"params\":" << model.params().size() << ",\"macs_per_image\":" << jsonNumber(macs)
               << ",\"threads\":" << threads << ",\"hardware_threads\":" << hw << ",\"cpu\":" << jsonString(cpu)
               << ",\"isa\":" << jsonString(nn::cpu::levelName(nn::cpu::activeLevel()))
               << ",\"isa_cpu\":" << jsonString(nn::cpu::levelName(nn::cpu::cpuLevel()))
               << ",\"isa_summary\":" << jsonString(nn::cpu::summary())
               << ",\"data\":" << jsonString(mnist ? "mnist" : "synthetic") << ",\"batch\":" << batch
               << ",\"batches\":" << batches << ",\"warmup\":" << warmup
               << ",\"train_images_per_second\":" << jsonNumber(res.trainImagesPerSecond)
               << ",\"latency_us_median\":" << jsonNumber(res.latencyUs.median)
               << ",\"latency_us_p99\":" << jsonNumber(res.latencyUs.p99)
               << ",\"latency_us_mean\":" << jsonNumber(res.latencyUs.mean) << ",\"latency_calls\":" << calls
               << ",\"infer_images_per_second\":" << jsonNumber(res.inferImagesPerSecond)
               << ",\"infer_images\":" << test.size() << ",\"infer_repeats\":" << repeats
               << ",\"train_accuracy\":" << jsonNumber(trainAccuracy) << ",\"test_accuracy\":" << jsonNumber(testAccuracy);
        if (oneThreadRate > 0)
            io.out << ",\"train_images_per_second_1thread\":" << jsonNumber(oneThreadRate)
                   << ",\"scaling\":" << jsonNumber(res.trainImagesPerSecond / oneThreadRate);
        io.out << "}\n";
        return ExitOk;
    }
    const auto gflops = [&](double imagesPerSecond, double factor) {
        return formatFixed(imagesPerSecond * macs * 2.0 * factor / 1e9, 1) + " GFLOP/s";
    };
    io.out << "net: " << label << ": " << model.spec() << "\n";
    io.out << "     " << formatCount((long long)model.params().size()) << " parameters, "
           << formatFixed(macs / 1e6, 3) << " M multiply-adds per image\n";
    io.out << "cpu: " << cpu << "; threads: " << threads << " (of " << hw << " hardware threads)\n";
    io.out << "engine: " << nn::cpu::summary() << "\n";
    io.out << "data: " << dataNote << "\n";
    io.out << "train:   " << formatCount(std::llround(res.trainImagesPerSecond)) << " img/s  (batch " << batch << ", "
           << batches << " batches after " << warmup << " warm-up, SGD momentum 0.9; ~"
           << gflops(res.trainImagesPerSecond, 3.0) << ")\n";
    io.out << "         accuracy " << formatFixed(100.0 * trainAccuracy, 2) << "% on the timed batches, "
           << formatFixed(100.0 * testAccuracy, 2) << "% on the test set after training\n";
    if (oneThreadRate > 0)
        io.out << "scaling: 1 thread " << formatCount(std::llround(oneThreadRate)) << " img/s, " << threads
               << " threads " << formatCount(std::llround(res.trainImagesPerSecond)) << " img/s: "
               << formatFixed(res.trainImagesPerSecond / oneThreadRate, 2) << "x\n";
    io.out << "latency: median " << formatFixed(res.latencyUs.median, 1) << " us, p99 "
           << formatFixed(res.latencyUs.p99, 1) << " us  (batch 1, " << calls << " calls)\n";
    io.out << "infer:   " << formatCount(std::llround(res.inferImagesPerSecond)) << " img/s  ("
           << formatCount(test.size()) << " test images, median of " << repeats << " passes; ~"
           << gflops(res.inferImagesPerSecond, 1.0) << ")\n";
    return ExitOk;
}

}  // namespace app::cli
