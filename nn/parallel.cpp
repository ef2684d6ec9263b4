#include "parallel.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_CPU_RELAX() _mm_pause()
#else
#define NN_CPU_RELAX() std::this_thread::yield()
#endif

namespace nn {

namespace {
// How long an idle worker (or the caller waiting for the workers) spins before
// sleeping. Long enough to bridge the serial part of a training step.
constexpr auto kSpin = std::chrono::microseconds(300);

template <class Pred>
bool spinUntil(Pred pred)
{
    const auto end = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (pred())
                return true;
            NN_CPU_RELAX();
        }
        if (std::chrono::steady_clock::now() >= end)
            return pred();
    }
}
}  // namespace

ThreadPool::ThreadPool(int threads) : m_size(threads < 1 ? 1 : threads)
{
    m_threads.reserve(std::size_t(m_size));
    for (int i = 1; i < m_size; ++i)
        m_threads.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit.store(true);
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        t.join();
}

int ThreadPool::hardwareThreads()
{
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

void ThreadPool::runImpl(int k, Call call, void* ctx)
{
    if (k > m_size)
        k = m_size;
    if (k <= 1 || m_size <= 1) {
        call(ctx, 0);
        return;
    }
    // Every worker acknowledges every generation (those with index >= k just
    // count down), so no worker can still be reading the previous job's
    // description when the next one is written.
    m_call = call;
    m_ctx = ctx;
    m_jobCount = k;
    m_pending.store(m_size - 1, std::memory_order_relaxed);
    {
        std::lock_guard lock(m_mutex);
        m_generation.fetch_add(1, std::memory_order_release);
    }
    m_wake.notify_all();
    // The workers run `call` on this stack frame's context: whatever fn(0)
    // does, they must be done before this frame unwinds.
    std::exception_ptr own;
    try {
        call(ctx, 0);
    } catch (...) {
        own = std::current_exception();
    }
    if (!spinUntil([this] { return m_pending.load(std::memory_order_acquire) == 0; })) {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending.load(std::memory_order_acquire) == 0; });
    }
    std::exception_ptr worker;
    if (m_failed.load(std::memory_order_acquire)) {
        std::lock_guard lock(m_mutex);
        worker = std::exchange(m_error, nullptr);
        m_failed.store(false, std::memory_order_relaxed);
    }
    if (own)
        std::rethrow_exception(own);
    if (worker)
        std::rethrow_exception(worker);
}

void ThreadPool::workerLoop(int index)
{
    // Each worker runs single-threaded Eigen on its share of a batch.
    unsigned long seen = 0;
    for (;;) {
        auto fresh = [&] {
            return m_quit.load(std::memory_order_relaxed) || m_generation.load(std::memory_order_acquire) != seen;
        };
        if (!spinUntil(fresh)) {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, fresh);
        }
        if (m_quit.load())
            return;
        seen = m_generation.load(std::memory_order_acquire);
        if (index < m_jobCount) {
            try {
                m_call(m_ctx, index);
            } catch (...) {
                // Handed to the caller of run(), which rethrows it (the first
                // one, unless its own share threw too).
                std::lock_guard lock(m_mutex);
                if (!m_error)
                    m_error = std::current_exception();
                m_failed.store(true, std::memory_order_release);
            }
        }
        if (m_pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard lock(m_mutex);
            m_done.notify_one();
        }
    }
}

void SpinBarrier::arriveAndWait()
{
    if (m_n <= 1)
        return;
    const unsigned phase = m_phase.load(std::memory_order_relaxed);
    if (m_waiting.fetch_add(1, std::memory_order_acq_rel) + 1 == m_n) {
        m_waiting.store(0, std::memory_order_relaxed);
        m_phase.store(phase + 1, std::memory_order_release);
        return;
    }
    for (unsigned spins = 0; m_phase.load(std::memory_order_acquire) == phase; ++spins) {
        if (spins < 4096)
            NN_CPU_RELAX();
        else
            std::this_thread::yield();
    }
}

AllReduce::AllReduce(int maxParticipants)
{
    const int n = std::max(1, maxParticipants);
    m_barriers.resize(std::size_t(n) + 1);
    for (int k = 1; k <= n; ++k)
        m_barriers[std::size_t(k)] = std::make_unique<SpinBarrier>(k);
    m_slots.resize(std::size_t(n));
}

void AllReduce::begin(int participants)
{
    m_k = std::clamp(participants, 1, int(m_slots.size()));
}

void AllReduce::allReduce(int t, double* data, int n)
{
    if (m_k <= 1)
        return;
    std::vector<double>& mine = m_slots[std::size_t(t)];
    if (mine.size() < std::size_t(n))
        mine.resize(std::size_t(n));
    std::copy(data, data + n, mine.begin());
    SpinBarrier& barrier = *m_barriers[std::size_t(m_k)];
    barrier.arriveAndWait();  // every contribution is in
    for (int i = 0; i < n; ++i) {
        double s = 0.0;
        for (int k = 0; k < m_k; ++k)
            s += m_slots[std::size_t(k)][std::size_t(i)];
        data[i] = s;
    }
    barrier.arriveAndWait();  // every sum is read: the slots may be reused
}

}  // namespace nn
