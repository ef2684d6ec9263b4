// Micro-benchmarks of the engine's hot kernels (issue 7), with Google Benchmark.
// Not a test: built with the tests, never registered with ctest. Run
//   build/tests/bench_kernels [--benchmark_filter=conv] [--benchmark_repetitions=5]
// Each kernel reports GFLOP/s (counter "GFLOPs", 2 flops per multiply-add);
// BM_FmaPeak measures this core's peak with independent FMA chains, for context
// (the machine's peak is that times the number of cores: the kernels run one
// per core, each single-threaded, on its share of a batch).
//
// Shapes: a thread's share of a batch of 64 on 2 cores (32 images) for
// training, 32-image inference chunks, and batch 1 for latency.
#include <nn/layers/conv2d.h>
#include <nn/layers/dense.h>
#include <nn/layers/fused.h>
#include <nn/model.h>
#include <nn/parallel.h>

#include <benchmark/benchmark.h>

#include <immintrin.h>

#include <memory>
#include <random>
#include <thread>
#include <vector>

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

#if defined(__AVX512F__)
using Vec = __m512;
#define VSET1 _mm512_set1_ps
#define VFMA _mm512_fmadd_ps
#define VADD _mm512_add_ps
constexpr int kLanes = 16;
inline float vsum(Vec v)
{
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    float s = 0;
    for (float x : t)
        s += x;
    return s;
}
#elif defined(__AVX2__) && defined(__FMA__)
using Vec = __m256;
#define VSET1 _mm256_set1_ps
#define VFMA _mm256_fmadd_ps
#define VADD _mm256_add_ps
constexpr int kLanes = 8;
inline float vsum(Vec v)
{
    alignas(32) float t[8];
    _mm256_store_ps(t, v);
    float s = 0;
    for (float x : t)
        s += x;
    return s;
}
#endif

#ifdef VFMA
// 12 independent accumulators hide the FMA latency on both FMA pipes.
float fmaLoop(long iters)
{
    Vec a[12];
    for (int i = 0; i < 12; ++i)
        a[i] = VSET1(float(i) * 1e-3f);
    const Vec m = VSET1(0.999999f), c = VSET1(1e-7f);
    for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
        for (int i = 0; i < 12; ++i)
            a[i] = VFMA(a[i], m, c);
    }
    Vec s = a[0];
    for (int i = 1; i < 12; ++i)
        s = VADD(s, a[i]);
    return vsum(s);
}

void BM_FmaPeak(benchmark::State& state)
{
    long iters = 1 << 16;
    for (auto _ : state) {
        benchmark::DoNotOptimize(iters);  // keeps the call inside the loop
        benchmark::DoNotOptimize(fmaLoop(iters));
    }
    state.counters["GFLOPs"] =
        benchmark::Counter(double(iters) * 12 * kLanes * 2 * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FmaPeak)->Name("FmaPeak/1core");

// Both cores at once (each thread its own chain), as the training pool runs.
void BM_FmaPeakAllCores(benchmark::State& state)
{
    const int T = ThreadPool::hardwareThreads();
    ThreadPool pool(T);
    long iters = 1 << 16;
    for (auto _ : state) {
        benchmark::DoNotOptimize(iters);
        pool.run(T, [&](int) { benchmark::DoNotOptimize(fmaLoop(iters)); });
    }
    state.counters["GFLOPs"] = benchmark::Counter(double(iters) * 12 * kLanes * 2 * T * double(state.iterations()) / 1e9,
                                                  benchmark::Counter::kIsRate);
    state.counters["threads"] = T;
}
BENCHMARK(BM_FmaPeakAllCores)->Name("FmaPeak/allcores")->UseRealTime();
#endif

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
    }
}

int runAll(int argc, char** argv)
{
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::AddCustomContext("note", "peak of the machine = FmaPeak/1core x cores; the engine runs one "
                                        "single-threaded kernel per core on its share of a batch");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return runAll(argc, argv); }
