#include "handoff.h"

#include <QMetaObject>
#include <QtGlobal>

#include <exception>

#include <pthread.h>

namespace app {

// Shared with the posting threads, which may outlive the inbox.
struct Inbox::Channel {
    std::mutex mutex;
    std::deque<std::function<void()>> calls;
    Inbox* inbox = nullptr;  // null once the inbox is gone
};

Inbox::Inbox(QObject* parent) : QObject(parent), m_channel(std::make_shared<Channel>())
{
    m_channel->inbox = this;
}

Inbox::~Inbox()
{
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(m_channel->mutex);
        m_channel->inbox = nullptr;
        dropped.swap(m_channel->calls);
    }
    // `dropped` is destroyed here, outside the lock (the calls' captures may
    // be large, e.g. models).
}

void Inbox::post(std::function<void()> call) const
{
    std::lock_guard lock(m_channel->mutex);
    if (!m_channel->inbox)
        return;
    const bool wasEmpty = m_channel->calls.empty();
    m_channel->calls.push_back(std::move(call));
    // One notification per batch of calls; by name, so that Qt stores
    // nothing of ours. Under the lock: the inbox cannot be destroyed
    // meanwhile, and once it is, Qt drops the notification.
    if (wasEmpty)
        QMetaObject::invokeMethod(m_channel->inbox, "deliver", Qt::QueuedConnection);
}

void Inbox::deliver()
{
    deliverNow();
}

int Inbox::deliverNow()
{
    std::deque<std::function<void()>> calls;
    {
        std::lock_guard lock(m_channel->mutex);
        calls.swap(m_channel->calls);
    }
    // A call may post again (or destroy objects that own this inbox's
    // owner's state); take each out before running it.
    int n = 0;
    while (!calls.empty()) {
        std::function<void()> call = std::move(calls.front());
        calls.pop_front();
        call();
        ++n;
    }
    return n;
}

int Inbox::pending() const
{
    std::lock_guard lock(m_channel->mutex);
    return int(m_channel->calls.size());
}

WorkerThread::WorkerThread(std::string name) : m_name(std::move(name)) {}

WorkerThread::~WorkerThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void WorkerThread::post(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_quit)
            return;
        m_jobs.push_back(std::move(job));
        if (!m_thread.joinable())
            m_thread = std::thread([this] { loop(); });
    }
    m_wake.notify_one();
}

void WorkerThread::setFailureHandler(FailureHandler handler)
{
    std::lock_guard lock(m_mutex);
    m_onFailure = std::move(handler);
}

int WorkerThread::failures() const
{
    std::lock_guard lock(m_mutex);
    return m_failures;
}

void WorkerThread::clearPending()
{
    std::deque<std::function<void()>> dropped;
    std::lock_guard lock(m_mutex);
    dropped.swap(m_jobs);
    if (!m_busy)
        m_idle.notify_all();
}

void WorkerThread::waitForIdle()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_busy && m_jobs.empty(); });
}

bool WorkerThread::isIdle() const
{
    std::lock_guard lock(m_mutex);
    return !m_busy && m_jobs.empty();
}

void WorkerThread::loop()
{
    pthread_setname_np(pthread_self(), m_name.substr(0, 15).c_str());
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
        if (m_quit)
            break;
        std::function<void()> job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_busy = true;
        lock.unlock();
        std::string failure;
        bool failed = false;
        try {
            job();
        } catch (const std::exception& e) {
            failed = true;
            failure = e.what();
        } catch (...) {
            failed = true;
            failure = "unknown exception";
        }
        job = nullptr;  // its captures go on this thread, outside the lock
        if (failed) {
            if (m_onFailure)
                m_onFailure(failure);
            else
                qWarning("%s thread: a job failed: %s", m_name.c_str(), failure.c_str());
        }
        lock.lock();
        m_failures += failed ? 1 : 0;
        m_busy = false;
        if (m_jobs.empty())
            m_idle.notify_all();
    }
    m_busy = false;
    m_idle.notify_all();
}

}  // namespace app
