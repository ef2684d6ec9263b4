// Benchmark: evaluating the default CNN on the 10,000 MNIST test images
// (issue 5 target: under 2 s). Prints every run and the median.
//   bench_evaluate [--model file.dpm | --preset cnn] [--data dir] [--runs N] [--threads T]
// The model defaults to resources/models/default.dpm, or the "cnn" preset
// with random weights when that is not there yet (the time is the same).
// The data defaults to $DIGITPAD_DATA or ~/.local/share/DigitPad/mnist, or
// 10,000 synthetic images when MNIST is absent.
#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>
#include <nn/parallel.h>
#include <nn/saliency.h>
#include <nn/serialize.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv)
{
    std::string modelPath, dataDir, preset;
    int runs = 5, threads = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--model")
            modelPath = value();
        else if (a == "--preset")
            preset = value();
        else if (a == "--data")
            dataDir = value();
        else if (a == "--runs")
            runs = std::max(1, std::atoi(value().c_str()));
        else if (a == "--threads")
            threads = std::atoi(value().c_str());
        else {
            std::fprintf(
                stderr, "usage: bench_evaluate [--model file | --preset name] [--data dir] [--runs N] [--threads T]\n");
            return 2;
        }
    }
    try {
        if (modelPath.empty() && preset.empty()) {
            const std::string shipped = std::string(DIGITPAD_SOURCE_DIR) + "/resources/models/default.dpm";
            if (std::filesystem::exists(shipped))
                modelPath = shipped;
        }
        std::string modelName;
        nn::Model model = [&] {
            if (!modelPath.empty()) {
                modelName = modelPath;
                return nn::loadModel(modelPath);
            }
            if (preset.empty())
                preset = "cnn";
            modelName = preset + " preset, random weights";
            nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec(preset));
            m.initialize(1);
            return m;
        }();

        if (dataDir.empty()) {
            if (const char* env = std::getenv("DIGITPAD_DATA"))
                dataDir = env;
            else if (const char* home = std::getenv("HOME"))
                dataDir = std::string(home) + "/.local/share/DigitPad/mnist";
        }
        nn::Dataset test;
        std::string dataName;
        if (!dataDir.empty() && !nn::findMnistFile(dataDir, "t10k-images-idx3-ubyte").empty()) {
            test = nn::Dataset::loadMnist(dataDir, nn::Split::Test);
            dataName = "MNIST test set from " + dataDir;
        } else {
            test.images.resize(10000 * 784);
            for (std::size_t i = 0; i < test.images.size(); ++i)
                test.images[i] = std::uint8_t((i * 2654435761u) >> 24);
            test.labels.resize(10000);
            for (int i = 0; i < 10000; ++i)
                test.labels[std::size_t(i)] = std::uint8_t(i % 10);
            dataName = "10,000 synthetic images (MNIST not found)";
        }

        std::printf("model:   %s\n         %s\n", modelName.c_str(), model.spec().c_str());
        std::printf("data:    %s (%d images)\n", dataName.c_str(), test.size());
        std::printf("threads: %d (hardware: %d)\n", threads > 0 ? threads : nn::ThreadPool::hardwareThreads(),
                    nn::ThreadPool::hardwareThreads());

        nn::evaluate(model, test, threads);  // warm-up: pools, caches, page faults
        std::vector<double> times, cpu;
        double accuracy = 0;
        for (int r = 0; r < runs; ++r) {
            const double t0 = now();
            const std::clock_t c0 = std::clock();
            const nn::Evaluation e = nn::evaluate(model, test, threads);
            times.push_back(now() - t0);
            cpu.push_back(double(std::clock() - c0) / CLOCKS_PER_SEC);
            accuracy = nn::computeMetrics(e).accuracy;
            std::printf("run %d: %.3f s wall, %.3f s CPU\n", r + 1, times.back(), cpu.back());
        }
        const double med = median(times), medCpu = median(cpu);
        const int cores = threads > 0 ? threads : nn::ThreadPool::hardwareThreads();
        std::printf("evaluate: median %.3f s over %d runs (%.0f images/s), accuracy %.2f%% -- target < 2 s: %s\n",
                    med, runs, test.size() / med, 100.0 * accuracy, med < 2.0 ? "met" : "MISSED");
        // On a shared machine the wall time says more about the neighbours than
        // about the code; CPU time / cores is what an idle machine would take.
        std::printf("          median CPU %.3f s = %.3f s on %d idle cores (this run got %.0f%% of them)\n", medCpu,
                    medCpu / cores, cores, 100.0 * medCpu / (med * cores));

        // Saliency of one test digit (what the browser's detail view computes per selection).
        std::vector<float> x(std::size_t(test.pixels()));
        std::vector<double> sal;
        int evaluated = 0;
        for (int r = 0; r < std::max(3, runs); ++r) {
            test.imageAsFloat(r, x.data());
            const double t0 = now();
            evaluated = nn::occlusionSaliency(model, x.data()).evaluated;
            sal.push_back(now() - t0);
        }
        std::printf("saliency: median %.1f ms per image (%d occluded inputs for the last one)\n", 1e3 * median(sal),
                    evaluated);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_evaluate: %s\n", e.what());
        return 1;
    }
}
