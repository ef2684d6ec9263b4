// No allocation in the steady state (issues 7 and 14). Every heap
// allocation of the process is counted (all threads, the trainer's pool
// included), not only operator new: malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign are replaced in this executable (the libraries
// call them through the dynamic symbol table, so Eigen's aligned_malloc and
// libstdc++'s operator new are counted too). Under AddressSanitizer, which
// owns malloc, the sanitizer's allocation hook counts instead. After a
// warm-up, training steps and inference calls must not move the counter, and
// evaluate() must allocate the same whatever the number of images.
#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>
#include <nn/trainer.h>

#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <thread>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOALLOC_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NOALLOC_SANITIZER 1
#endif

namespace {
std::atomic<long long> g_allocations{0};
}

#ifdef NOALLOC_SANITIZER
// GCC 12 ships no <sanitizer/allocator_interface.h>, but its libasan has the
// hook: declare it as the sanitizer runtime defines it.
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                          void (*free_hook)(const volatile void*));
#endif
namespace {
void countMalloc(const volatile void*, std::size_t) { g_allocations.fetch_add(1, std::memory_order_relaxed); }
void ignoreFree(const volatile void*) {}
const bool g_hooked = [] { return __sanitizer_install_malloc_and_free_hooks(countMalloc, ignoreFree) != 0; }();
}  // namespace
#else
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
void* memalign(std::size_t alignment, std::size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) { return memalign(alignment, n); }
int posix_memalign(void** out, std::size_t alignment, std::size_t n)
{
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void* p = memalign(alignment, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
void free(void* p) { __libc_free(p); }
}
namespace {
const bool g_hooked = true;
}
#endif

using namespace nn;

namespace {
Dataset synthetic(int n, std::uint64_t seed)
{
    Dataset d;
    std::mt19937_64 rng(seed);
    d.images.resize(std::size_t(n) * d.pixels());
    d.labels.resize(std::size_t(n));
    for (auto& p : d.images)
        p = std::uint8_t(rng() & 0xff);
    for (auto& l : d.labels)
        l = std::uint8_t(rng() % 10);
    return d;
}
}  // namespace

class TestNoAlloc : public QObject {
    Q_OBJECT
private slots:
    void counterWorks();
    void trainingSteps_data();
    void trainingSteps();
    void inference_data();
    void inference();
    void evaluation_data();
    void evaluation();
};

void TestNoAlloc::counterWorks()
{
    const long long before = g_allocations.load();
    std::vector<float>* volatile v = new std::vector<float>(100);  // volatile: the pair may not be elided
    QVERIFY(v->size() == 100);
    delete v;
    QVERIFY(g_allocations.load() - before >= 2);
    QVERIFY(g_hooked);

    // The C allocator and Eigen's aligned allocator are counted too.
    long long at = g_allocations.load();
    void* volatile p = std::malloc(1000);
    QVERIFY(p != nullptr);
    std::free(p);
    QCOMPARE(g_allocations.load() - at, 1LL);
    at = g_allocations.load();
    void* q = nullptr;
    QCOMPARE(posix_memalign(&q, 64, 4096), 0);
    QVERIFY(q != nullptr && reinterpret_cast<std::uintptr_t>(q) % 64 == 0);
    std::free(q);
    QCOMPARE(g_allocations.load() - at, 1LL);
    at = g_allocations.load();
    float* e = Eigen::internal::aligned_new<float>(1 << 16);
    e[0] = 1.0f;
    Eigen::internal::aligned_delete(e, 1 << 16);
    QCOMPARE(g_allocations.load() - at, 1LL);
    at = g_allocations.load();
    Eigen::MatrixXf* volatile big = new Eigen::MatrixXf(Eigen::MatrixXf::Ones(300, 300));
    QVERIFY((*big)(299, 299) == 1.0f);
    delete big;
    QVERIFY(g_allocations.load() - at >= 2);  // the object and its storage
}

void TestNoAlloc::trainingSteps_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<bool>("mse");
    for (const std::string& p : Model::presetNames())
        for (int t : {1, 2})
            QTest::newRow(qPrintable(QString("%1 %2 thread(s) sgd").arg(p.c_str()).arg(t)))
                << QString::fromStdString(p) << t << int(OptimizerConfig::SGD) << false;
    QTest::newRow("cnn adam 2 threads") << "cnn" << 2 << int(OptimizerConfig::Adam) << false;
    QTest::newRow("lenet5 adam mse") << "lenet5" << 2 << int(OptimizerConfig::Adam) << true;
}

void TestNoAlloc::trainingSteps()
{
    QFETCH(QString, preset);
    QFETCH(int, threads);
    QFETCH(int, optimizer);
    QFETCH(bool, mse);
    Model m = Model::fromSpec(Model::presetSpec(preset.toStdString()));
    const Dataset train = synthetic(64 * 40, 5);  // 40 batches: the counted steps stay inside one epoch
    TrainConfig c;
    c.epochs = 1;
    c.batchSize = 64;
    c.learningRate = 0.01f;
    c.optimizer.kind = OptimizerConfig::Kind(optimizer);
    c.loss = mse ? LossKind::MSE : LossKind::CrossEntropy;
    c.threads = threads;
    c.progressIntervalSec = 0.0;  // a callback after every batch
    Trainer trainer(m, c);
    const long long from = 10, to = 35;  // steps 1..10 are the warm-up
    long long atFrom = -1, atTo = -1;
    trainer.run(train, Dataset{}, [&](const BatchReport& r) {
        if (r.step == from)
            atFrom = g_allocations.load();
        if (r.step == to)
            atTo = g_allocations.load();
    });
    QVERIFY(atFrom >= 0 && atTo >= 0);
    qInfo("%s: %lld allocations in training steps %lld..%lld", qPrintable(preset), atTo - atFrom, from + 1, to);
    QCOMPARE(atTo - atFrom, 0LL);
}

void TestNoAlloc::inference_data()
{
    QTest::addColumn<QString>("preset");
    for (const std::string& p : Model::presetNames())
        QTest::newRow(p.c_str()) << QString::fromStdString(p);
}

void TestNoAlloc::inference()
{
    QFETCH(QString, preset);
    const Model m = Model::fromSpec(Model::presetSpec(preset.toStdString()));
    const int n = 100;
    std::vector<float> x(std::size_t(n) * m.inputShape().size(), 0.25f), probs(std::size_t(n) * m.outputs());
    for (int i = 0; i < 3; ++i) {  // warm-up: the pooled Net sizes its buffers
        m.predict(x.data(), 1, probs.data());
        m.predict(x.data(), n, probs.data());
        m.logits(x.data(), n, probs.data());
    }
    const long long before = g_allocations.load();
    for (int i = 0; i < 50; ++i) {
        m.predict(x.data(), 1, probs.data());
        m.predict(x.data(), n, probs.data());
        m.logits(x.data(), 7, probs.data());
    }
    const long long count = g_allocations.load() - before;
    qInfo("%s: %lld allocations in 150 inference calls", qPrintable(preset), count);
    QCOMPARE(count, 0LL);
}

void TestNoAlloc::evaluation_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("threads");
    for (const std::string& p : Model::presetNames())
        for (int t : {1, 2})
            QTest::newRow(qPrintable(QString("%1 %2 thread(s)").arg(p.c_str()).arg(t))) << QString::fromStdString(p) << t;
}

// evaluate() allocates its result, its thread pool and one input buffer per
// thread; the batches themselves must not allocate: evaluating 4 times as
// many images costs exactly the same number of allocations.
void TestNoAlloc::evaluation()
{
    QFETCH(QString, preset);
    QFETCH(int, threads);
    const Model m = Model::fromSpec(Model::presetSpec(preset.toStdString()));
    const Dataset small = synthetic(300, 7), large = synthetic(1200, 8);
    // Warm-up: the model's pool must hold one Net per thread. Two long
    // logits() calls started together overlap, so each borrows its own Net.
    {
        std::vector<float> x(std::size_t(800) * m.inputShape().size(), 0.5f), out(std::size_t(800) * m.outputs());
        std::vector<float> out2(out.size());
        std::atomic<int> ready{0};
        auto call = [&](float* o) {
            ready.fetch_add(1);
            while (ready.load() < threads)
                std::this_thread::yield();
            m.logits(x.data(), 800, o);
        };
        std::thread other;
        if (threads > 1)
            other = std::thread(call, out2.data());
        call(out.data());
        if (other.joinable())
            other.join();
    }
    evaluate(m, large, threads);
    auto count = [&](const Dataset& d, int* evaluated) {
        const long long before = g_allocations.load();
        const Evaluation e = evaluate(m, d, threads);
        const long long n = g_allocations.load() - before;
        *evaluated = int(e.predictions.size());
        return n;
    };
    int na = 0, nb = 0;
    const long long a = count(small, &na), b = count(large, &nb);
    QCOMPARE(na, small.size());
    QCOMPARE(nb, large.size());
    qInfo("%s, %d thread(s): %lld allocations evaluating %d images, %lld for %d", qPrintable(preset), threads, a,
          small.size(), b, large.size());
    QCOMPARE(b, a);
}

QTEST_APPLESS_MAIN(TestNoAlloc)
#include "test_noalloc.moc"
