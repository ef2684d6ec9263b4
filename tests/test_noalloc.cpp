// No allocation in the steady state (issue 7). A replaced global operator new
// counts every allocation in the process (all threads, the trainer's pool
// included); after a warm-up, training steps and inference calls must not
// move the counter.
#include <nn/model.h>
#include <nn/trainer.h>

#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

namespace {
std::atomic<long long> g_allocations{0};
}

void* operator new(std::size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

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
};

void TestNoAlloc::counterWorks()
{
    const long long before = g_allocations.load();
    std::vector<float>* volatile v = new std::vector<float>(100);  // volatile: the pair may not be elided
    QVERIFY(v->size() == 100);
    delete v;
    QVERIFY(g_allocations.load() - before >= 2);
}

void TestNoAlloc::trainingSteps_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<bool>("mse");
    for (const char* p : {"lenet5", "ref", "cnn", "mlp"})
        for (int t : {1, 2})
            QTest::newRow(qPrintable(QString("%1 %2 thread(s) sgd").arg(p).arg(t))) << p << t << int(OptimizerConfig::SGD) << false;
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
    qInfo("%lld allocations in training steps %lld..%lld", atTo - atFrom, from + 1, to);
    QCOMPARE(atTo - atFrom, 0LL);
}

void TestNoAlloc::inference_data()
{
    QTest::addColumn<QString>("preset");
    for (const char* p : {"lenet5", "ref", "cnn", "mlp"})
        QTest::newRow(p) << p;
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
    qInfo("%lld allocations in 150 inference calls", count);
    QCOMPARE(count, 0LL);
}

QTEST_APPLESS_MAIN(TestNoAlloc)
#include "test_noalloc.moc"
