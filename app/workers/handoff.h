#pragma once
// How data cross threads in the GUI: through our own std::mutex, never
// inside Qt. A worker thread (WorkerThread, a std::thread with a job queue)
// runs jobs the GUI thread posts; its results come back through an Inbox, a
// mutex-protected queue of calls that an object's own thread runs from its
// event loop. Qt only carries a data-free "deliver" notification, so every
// hand-off is visible to ThreadSanitizer (Qt's libraries are not
// instrumented: data copied inside a queued signal, invokeMethod or
// QtConcurrent would look like a race to it, and be one we could not check).
//
//   Inbox inbox;                       // on the GUI thread
//   WorkerThread worker("evaluation");
//   worker.post([&inbox, job] {        // runs on the worker thread
//       Result r = compute(job);
//       inbox.post([r] { show(r); });  // runs on the GUI thread, soon
//   });
//
// BackgroundTask<T> packages the two for a panel that runs one function at
// a time off the GUI thread and wants its result back (what QFutureWatcher +
// QtConcurrent::run did).
#include <QObject>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace app {

class Inbox : public QObject {
    Q_OBJECT
public:
    explicit Inbox(QObject* parent = nullptr);
    ~Inbox() override;  // what is still queued is dropped, later posts too

    // Any thread. `call` runs on this object's thread from its event loop,
    // after everything posted before it; dropped if the inbox is destroyed
    // first.
    void post(std::function<void()> call) const;
    // This object's thread: runs everything posted so far now, in order.
    // Returns how many calls ran.
    int deliverNow();
    // Calls posted and not yet run.
    int pending() const;

private slots:
    void deliver();

private:
    struct Channel;
    std::shared_ptr<Channel> m_channel;
};

// One std::thread running posted jobs in order. The destructor drops the
// jobs not started, waits for the one running (make it cancellable) and
// joins. The thread starts with the first job. A job that throws does not
// end the program: its exception goes to the failure handler (on this
// thread; by default a warning on stderr) and the next job runs.
class WorkerThread {
public:
    explicit WorkerThread(std::string name);
    ~WorkerThread();
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    void post(std::function<void()> job);
    // Called on the worker thread with what() of a job's exception (or
    // "unknown exception"). Set it before the first post().
    using FailureHandler = std::function<void(const std::string& what)>;
    void setFailureHandler(FailureHandler handler);
    // Jobs that ended with an exception so far.
    int failures() const;
    // Drops the jobs not started yet.
    void clearPending();
    // Blocks until no job runs or waits (tests; destructors).
    void waitForIdle();
    bool isIdle() const;

private:
    void loop();

    std::string m_name;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::function<void()>> m_jobs;
    bool m_busy = false;
    bool m_quit = false;
    int m_failures = 0;
    FailureHandler m_onFailure;
    std::thread m_thread;
};

// Functions run one at a time on a thread of their own; the result of the
// latest one started is handed to `done` on the thread that created the
// task (a superseded function's result is dropped, and one not started yet
// is not run). isRunning() is true from start() until that `done` has run.
// The destructor waits for a running function.
template <class T>
class BackgroundTask {
public:
    explicit BackgroundTask(std::string threadName) : m_thread(std::move(threadName)) {}
    ~BackgroundTask() { m_thread.waitForIdle(); }

    void start(std::function<T()> work, std::function<void(T)> done)
    {
        m_running = true;
        const unsigned generation = ++m_generation;
        m_thread.clearPending();
        m_thread.post([this, work = std::move(work), done = std::move(done), generation]() mutable {
            std::shared_ptr<T> result;
            try {
                result = std::make_shared<T>(work());
            } catch (...) {
                // Reported by the WorkerThread; the task is no longer running.
                m_inbox.post([this, generation] {
                    if (generation == m_generation)
                        m_running = false;
                });
                throw;
            }
            m_inbox.post([this, result, done = std::move(done), generation] {
                if (generation != m_generation)
                    return;
                m_running = false;
                done(std::move(*result));
            });
        });
    }
    bool isRunning() const { return m_running; }
    // Blocks until the function has returned, then delivers its result now
    // (tests, and panels being destroyed).
    void waitForFinished()
    {
        m_thread.waitForIdle();
        m_inbox.deliverNow();
    }

private:
    Inbox m_inbox;
    WorkerThread m_thread;  // after m_inbox: joined before the inbox goes
    unsigned m_generation = 0;
    bool m_running = false;
};

}  // namespace app
