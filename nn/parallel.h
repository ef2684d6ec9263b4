#pragma once
// A small fixed pool of worker threads. run(k, fn) calls fn(0..k-1), one call
// per thread (the caller runs fn(0)), and returns when all are done. Workers
// sleep on a condition variable between jobs: no spinning.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
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
    void run(int k, const std::function<void(int)>& fn);

    // The number of hardware threads, at least 1.
    static int hardwareThreads();

private:
    void workerLoop(int index);

    int m_size;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    const std::function<void(int)>* m_job = nullptr;
    int m_jobCount = 0;
    int m_pending = 0;
    unsigned long m_generation = 0;
    bool m_quit = false;
};

}  // namespace nn
