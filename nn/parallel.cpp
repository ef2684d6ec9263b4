#include "parallel.h"

#include <Eigen/Core>

namespace nn {

ThreadPool::ThreadPool(int threads) : m_size(threads < 1 ? 1 : threads)
{
    for (int i = 1; i < m_size; ++i)
        m_threads.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
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

void ThreadPool::run(int k, const std::function<void(int)>& fn)
{
    if (k > m_size)
        k = m_size;
    if (k <= 1) {
        fn(0);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_job = &fn;
        m_jobCount = k;
        m_pending = k - 1;
        ++m_generation;
    }
    m_wake.notify_all();
    fn(0);
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_pending == 0; });
    m_job = nullptr;
}

void ThreadPool::workerLoop(int index)
{
    // Each worker runs single-threaded Eigen on its share of a batch.
    unsigned long seen = 0;
    for (;;) {
        const std::function<void(int)>* job = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_generation != seen; });
            if (m_quit)
                return;
            seen = m_generation;
            if (index >= m_jobCount)
                continue;
            job = m_job;
        }
        (*job)(index);
        {
            std::lock_guard lock(m_mutex);
            if (--m_pending == 0)
                m_done.notify_one();
        }
    }
}

}  // namespace nn
