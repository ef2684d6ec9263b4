// Micro-benchmarks of the engine's hot kernels (issue 7), with Google Benchmark.
// Not a test: built with the tests, never registered with ctest. Run
//   build/tests/bench_kernels [--benchmark_filter=conv] [--benchmark_repetitions=5]
//   build/tests/bench_kernels --isa=all [...]   every CPU level, one table at the end
//   DIGITPAD_ISA=avx2 build/tests/bench_kernels  one level
// Each kernel reports GFLOP/s (counter "GFLOPs", 2 flops per multiply-add);
// BM_FmaPeak measures this core's peak with independent FMA chains, for context
// (the machine's peak is that times the number of cores: the kernels run one
// per core, each single-threaded, on its share of a batch).
//
// Shapes: a thread's share of a batch of 64 on 2 cores (32 images) for
// training, 32-image inference chunks, and batch 1 for latency.
#include <nn/cpu.h>
#include <nn/layers/conv2d.h>
#include <nn/layers/dense.h>
#include <nn/layers/fused.h>
#include <nn/model.h>
#include <nn/parallel.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace nn;

namespace {

void fill(float* p, std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> d(0.0f, 0.5f);
    for (std::size_t i = 0; i < n; ++i)
        p[i] = d(rng);
}

// ---- peak ------------------------------------------------------------------

// The FMA peak of the engine build that runs (nn::cpu::fmaPeakGflops is
// compiled per level, like the kernels): one thread, then every hardware
// thread at once, each its own chains, as the training pool runs.
void BM_FmaPeak(benchmark::State& state)
{
    double g = 0;
    for (auto _ : state)
        g = nn::cpu::fmaPeakGflops(0.05);
    state.counters["GFLOPs"] = g;
}
BENCHMARK(BM_FmaPeak)->Name("FmaPeak/1thread")->Iterations(5);

void BM_FmaPeakAllCores(benchmark::State& state)
{
    const int T = ThreadPool::hardwareThreads();
    ThreadPool pool(T);
    std::vector<double> g(std::size_t(T), 0.0);
    for (auto _ : state)
        pool.run(T, [&](int i) { g[std::size_t(i)] = nn::cpu::fmaPeakGflops(0.05); });
    double sum = 0;
    for (double x : g)
        sum += x;
    state.counters["GFLOPs"] = sum;
    state.counters["threads"] = T;
}
BENCHMARK(BM_FmaPeakAllCores)->Name("FmaPeak/allthreads")->Iterations(5);

// ---- layers at the reference shapes ------------------------------------------

struct LayerCase {
    std::unique_ptr<Layer> layer;
    std::vector<float> values, grads;
    Tensor x, dy;
};

LayerCase makeCase(std::unique_ptr<Layer> layer, Shape3 in, int n)
{
    LayerCase c;
    c.layer = std::move(layer);
    const Shape3 out = c.layer->setup(in);
    std::size_t count = 0;
    for (const auto& p : c.layer->params())
        count += p.size();
    c.values.resize(count);
    c.grads.assign(count, 0.0f);
    fill(c.values.data(), count, 1);
    c.layer->bind(c.values.data(), c.grads.data());
    c.x.resize(n, in);
    fill(c.x.data(), c.x.size(), 2);
    c.dy.resize(n, out);
    fill(c.dy.data(), c.dy.size(), 3);
    return c;
}

enum Kind { ConvFused, ConvPlain, DenseLayer };

std::unique_ptr<Layer> make(Kind k, int a, int b, int pad)
{
    if (k == DenseLayer)
        return std::make_unique<Dense>(a);
    Conv2D conv(a, b, 1, pad);
    if (k == ConvPlain)
        return std::make_unique<Conv2D>(conv);
    return std::make_unique<ConvReluPool>(conv);
}

struct Shape {
    const char* name;
    Kind kind;
    int a, k, pad, c, h, w;
    bool first;  // first layer of its net: no input gradient
};

void BM_Forward(benchmark::State& state, Shape s, int n)
{
    const Shape3 in{s.c, s.h, s.w};
    LayerCase c = makeCase(make(s.kind, s.a, s.k, s.pad), in, n);
    c.layer->forward(c.x, Mode::Infer);
    for (auto _ : state) {
        const Tensor& y = c.layer->forward(c.x, Mode::Infer);
        benchmark::DoNotOptimize(y.data());
    }
    const double flops = 2.0 * c.layer->flopsPerSample() * n;
    state.counters["GFLOPs"] = benchmark::Counter(flops * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
    state.counters["img/s"] = benchmark::Counter(double(n) * double(state.iterations()), benchmark::Counter::kIsRate);
}

// Training forward + backward (dW, db and dx: 3x the forward's multiply-adds).
void BM_TrainStep(benchmark::State& state, Shape s, int n)
{
    const Shape3 in{s.c, s.h, s.w};
    const bool first = s.first;
    LayerCase c = makeCase(make(s.kind, s.a, s.k, s.pad), in, n);
    c.layer->setInputGradientNeeded(!first);
    c.layer->forward(c.x, Mode::Train);
    c.layer->backward(c.dy);
    for (auto _ : state) {
        const Tensor& y = c.layer->forward(c.x, Mode::Train);
        benchmark::DoNotOptimize(y.data());
        const Tensor& dx = c.layer->backward(c.dy);
        benchmark::DoNotOptimize(dx.data());
    }
    const double flops = 2.0 * c.layer->flopsPerSample() * n * (first ? 2.0 : 3.0);
    state.counters["GFLOPs"] = benchmark::Counter(flops * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
    state.counters["img/s"] = benchmark::Counter(double(n) * double(state.iterations()), benchmark::Counter::kIsRate);
}

// The same training step on T threads at once, each on its own 32 images (a
// batch of 32*T split as the trainer splits it): GFLOP/s of all threads
// together, so train2t / train at T=2 is the 1-vs-2-thread scaling.
void BM_TrainStepThreads(benchmark::State& state, Shape s, int n, int T)
{
    const Shape3 in{s.c, s.h, s.w};
    std::vector<LayerCase> cases;
    for (int t = 0; t < T; ++t) {
        cases.push_back(makeCase(make(s.kind, s.a, s.k, s.pad), in, n));
        cases.back().layer->setInputGradientNeeded(!s.first);
    }
    ThreadPool pool(T);
    const auto step = [&](int t) {
        LayerCase& c = cases[std::size_t(t)];
        benchmark::DoNotOptimize(c.layer->forward(c.x, Mode::Train).data());
        benchmark::DoNotOptimize(c.layer->backward(c.dy).data());
    };
    pool.run(T, step);
    for (auto _ : state)
        pool.run(T, step);
    const double flops = 2.0 * cases[0].layer->flopsPerSample() * n * T * (s.first ? 2.0 : 3.0);
    state.counters["GFLOPs"] = benchmark::Counter(flops * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
    state.counters["img/s"] = benchmark::Counter(double(n) * T * double(state.iterations()), benchmark::Counter::kIsRate);
}

// Registered explicitly so that each shape has a readable name.
void registerAll()
{
    const Shape shapes[] = {
        {"lenet5.conv1+relu+pool", ConvFused, 6, 5, 0, 1, 28, 28, true},
        {"lenet5.conv2+relu+pool", ConvFused, 16, 5, 0, 6, 12, 12, false},
        {"lenet5.dense1", DenseLayer, 120, 0, 0, 16, 4, 4, false},
        {"ref.conv1+relu+pool", ConvFused, 16, 5, 2, 1, 28, 28, true},
        {"ref.conv2+relu+pool", ConvFused, 32, 5, 2, 16, 14, 14, false},
        {"ref.dense1", DenseLayer, 128, 0, 0, 32, 7, 7, false},
        {"cnn.conv1", ConvPlain, 32, 5, 2, 1, 28, 28, true},
        {"cnn.conv2", ConvPlain, 64, 5, 2, 32, 14, 14, false},
        {"cnn.dense1", DenseLayer, 128, 0, 0, 64, 7, 7, false},
    };
    for (const Shape& s : shapes) {
        for (int n : {1, 32}) {
            benchmark::RegisterBenchmark((std::string("infer/") + s.name + "/n=" + std::to_string(n)).c_str(),
                                         [s, n](benchmark::State& st) { BM_Forward(st, s, n); });
        }
        benchmark::RegisterBenchmark((std::string("train/") + s.name + "/n=32").c_str(),
                                     [s](benchmark::State& st) { BM_TrainStep(st, s, 32); });
        // Process CPU time (both threads, their waits for each other
        // included): GFLOP/s per CPU-second, so 2 x (train2t / train) is the
        // speed-up two threads give, whatever else runs on the machine.
        benchmark::RegisterBenchmark((std::string("train2t/") + s.name + "/n=32x2").c_str(),
                                     [s](benchmark::State& st) { BM_TrainStepThreads(st, s, 32, 2); })
            ->MeasureProcessCPUTime();
    }
}

// Besides the console table, each run's GFLOP/s go to $DIGITPAD_BENCH_RESULTS
// (name TAB value per line) for the per-level table of --isa=all.
class RecordingReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        const char* path = std::getenv("DIGITPAD_BENCH_RESULTS");
        if (!path)
            return;
        std::ofstream out(path, std::ios::app);
        bool aggregates = false;
        for (const Run& r : runs)
            aggregates = aggregates || r.run_type == Run::RT_Aggregate;
        for (const Run& r : runs) {
            if (aggregates && r.run_type != Run::RT_Aggregate)
                continue;
            const auto it = r.counters.find("GFLOPs");
            if (it == r.counters.end() || r.error_occurred)
                continue;
            // With repetitions only the median is recorded.
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median")
                continue;
            out << r.benchmark_name() << '\t' << double(it->second) << '\n';
        }
    }
};

int runAll(int argc, char** argv)
{
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::AddCustomContext("engine", nn::cpu::summary());
    benchmark::AddCustomContext("note", "FmaPeak: this level's peak; the engine runs one single-threaded kernel "
                                        "per core on its share of a batch (train2t: two at once)");
    RecordingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

// --isa=all: runs every level this CPU and build have (DIGITPAD_ISA set for
// each run of this program), then prints one table: GFLOP/s per kernel and
// level, with the share of that level's single-thread FMA peak, and the
// 1-vs-2-thread scaling of each training step.
int runLevels(int argc, char** argv)
{
    std::vector<nn::cpu::Level> levels;
    for (nn::cpu::Level l : nn::cpu::builtLevels())
        if (l <= nn::cpu::cpuLevel())
            levels.push_back(l);
    char tmpl[] = "/tmp/bench_kernels.XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (!dir) {
        std::perror("bench_kernels: mkdtemp");
        return 1;
    }
    std::map<std::string, std::map<int, double>> table;
    std::vector<std::string> order;
    for (nn::cpu::Level l : levels) {
        const std::string file = std::string(dir) + "/" + nn::cpu::levelName(l);
        std::printf("==== DIGITPAD_ISA=%s\n", nn::cpu::levelName(l));
        std::fflush(stdout);
        const pid_t pid = fork();
        if (pid == 0) {
            setenv("DIGITPAD_ISA", nn::cpu::levelName(l), 1);
            setenv("DIGITPAD_ISA_STRICT", "1", 1);
            setenv("DIGITPAD_BENCH_RESULTS", file.c_str(), 1);
            std::vector<char*> args;
            for (int i = 0; i < argc; ++i)
                if (std::strcmp(argv[i], "--isa=all") != 0)
                    args.push_back(argv[i]);
            args.push_back(nullptr);
            execv("/proc/self/exe", args.data());
            std::_Exit(127);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "bench_kernels: the %s run failed\n", nn::cpu::levelName(l));
            return 1;
        }
        std::ifstream in(file);
        std::string name;
        double v = 0;
        while (std::getline(in, name, '\t') && in >> v) {
            in.ignore(1);
            if (!table.count(name))
                order.push_back(name);
            table[name][int(l)] = v;
        }
        std::remove(file.c_str());
    }
    rmdir(dir);
    std::printf("\nGFLOP/s per level, per CPU-second (%% of that level's 1-thread FMA peak; train2t: 2 threads, "
                "(x: speed-up over 1 thread))\n");
    std::printf("%-44s", "kernel");
    for (nn::cpu::Level l : levels)
        std::printf(" %22s", nn::cpu::levelName(l));
    std::printf("\n");
    for (const std::string& name : order) {
        const std::string base = name.rfind("_median") == name.size() - 7 ? name.substr(0, name.size() - 7) : name;
        std::printf("%-44s", base.c_str());
        for (nn::cpu::Level l : levels) {
            const auto& row = table[name];
            const auto it = row.find(int(l));
            char cell[64] = "-";
            if (it != row.end()) {
                const double peak = [&] {
                    for (const auto& [n, r] : table)
                        if (n.rfind("FmaPeak/1thread", 0) == 0 && r.count(int(l)))
                            return r.at(int(l));
                    return 0.0;
                }();
                if (base.rfind("train2t/", 0) == 0) {
                    // Scaling against the one-thread step of the same shape.
                    std::string one = "train/" + base.substr(8);
                    one = one.substr(0, one.rfind("x2"));
                    double single = 0;
                    for (const auto& [n, r] : table)
                        if (n.rfind(one, 0) == 0 && r.count(int(l)))
                            single = r.at(int(l));
                    std::snprintf(cell, sizeof cell, "%.1f (x%.2f)", it->second,
                                  single > 0 ? 2.0 * it->second / single : 0.0);
                } else if (base.rfind("FmaPeak", 0) == 0 || peak <= 0) {
                    std::snprintf(cell, sizeof cell, "%.1f", it->second);
                } else {
                    std::snprintf(cell, sizeof cell, "%.1f (%.0f%%)", it->second, 100.0 * it->second / peak);
                }
            }
            std::printf(" %22s", cell);
        }
        std::printf("\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--isa=all") == 0)
            return runLevels(argc, argv);
    return runAll(argc, argv);
}
