#pragma once
// A small fixed pool of worker threads. run(k, fn) calls fn(0..k-1), one call
// per thread (the caller runs fn(0)), and returns when all are done. When a
// call throws, run() still waits for all of them and then rethrows (the
// caller's own exception first, otherwise the first worker's); a job whose
// calls wait for each other (SpinBarrier) must not throw between barriers.
//
// Jobs are posted without allocating (the callable is passed by address, not
// wrapped in a std::function). Between jobs the workers spin for a short while
// (a training step posts a job every millisecond or so, and waking a thread
// sleeping on a condition variable costs tens of microseconds), then sleep on
// a condition variable: an idle pool uses no CPU.
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace nn {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return m_size; }
    // Runs fn(i) for i in [0, k) with k <= size(); fn(0) on the calling thread.
    template <class F>
    void run(int k, F&& fn)
    {
        using Fn = std::remove_reference_t<F>;
        runImpl(k, [](void* ctx, int i) { (*static_cast<Fn*>(ctx))(i); },
                const_cast<void*>(static_cast<const void*>(&fn)));
    }

    // The number of hardware threads, at least 1.
    static int hardwareThreads();

private:
    using Call = void (*)(void*, int);
    void runImpl(int k, Call call, void* ctx);
    void workerLoop(int index);

    int m_size;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    // Job description: written by run() before the generation is bumped, read
    // by the workers after they see the new generation.
    Call m_call = nullptr;
    void* m_ctx = nullptr;
    int m_jobCount = 0;
    std::atomic<unsigned long> m_generation{0};
    std::atomic<int> m_pending{0};  // workers that have not yet finished the current generation
    std::atomic<bool> m_quit{false};
    std::exception_ptr m_error;          // a worker's exception, under m_mutex
    std::atomic<bool> m_failed{false};   // m_error is set
};

// A barrier for the k participants of one ThreadPool::run() job (each runs on
// its own thread, so they are all live at once). Spins, then yields.
class SpinBarrier {
public:
    explicit SpinBarrier(int participants) : m_n(participants) {}
    void arriveAndWait();

private:
    const int m_n;
    alignas(64) std::atomic<int> m_waiting{0};
    alignas(64) std::atomic<unsigned> m_phase{0};
};

// Sums of per-thread partial values over the threads that share one batch
// (the Trainer's nets, one per thread; BatchNorm's statistics must be the
// whole batch's). begin(k) before each parallel pass of k participants; then
// each participant t calls allReduce(t, data, n) at the same points with the
// same n, and gets back the sum over all k, added in participant order so
// that every thread sees the same values. Allocates only while a slot grows.
class AllReduce {
public:
    explicit AllReduce(int maxParticipants);
    void begin(int participants);
    int participants() const { return m_k; }
    void allReduce(int t, double* data, int n);

private:
    int m_k = 1;
    std::vector<std::unique_ptr<SpinBarrier>> m_barriers;  // [k]: a barrier for k participants
    std::vector<std::vector<double>> m_slots;              // [t]: what participant t contributed
};

}  // namespace nn
