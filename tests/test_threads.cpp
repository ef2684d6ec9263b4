// Exceptions on our own threads: ThreadPool::run waits for every worker
// before it rethrows (they run a lambda on the caller's stack), and a
// WorkerThread (and a BackgroundTask on it) survives a job that throws and
// reports it.
#include "workers/handoff.h"

#include <nn/parallel.h>

#include <QtTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

class TestThreads : public QObject {
    Q_OBJECT
private slots:
    void poolWaitsForWorkersWhenTheCallersShareThrows();
    void poolRethrowsAWorkersException();
    void workerThreadReportsAFailedJobAndGoesOn();
    void backgroundTaskThatThrowsIsNoLongerRunning();
};

void TestThreads::poolWaitsForWorkersWhenTheCallersShareThrows()
{
    nn::ThreadPool pool(4);
    for (int round = 0; round < 20; ++round) {
        std::atomic<int> finished{0};
        try {
            pool.run(4, [&](int i) {
                if (i == 0)
                    throw std::runtime_error("caller's share failed");
                // Workers still use the caller's frame (`finished`) well after fn(0) threw.
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                finished.fetch_add(1);
            });
            QFAIL("expected the exception of fn(0)");
        } catch (const std::runtime_error& e) {
            QCOMPARE(QString(e.what()), QString("caller's share failed"));
            // Rethrown only once all three workers were done with the job.
            QCOMPARE(finished.load(), 3);
        }
    }
    // The pool still works.
    std::atomic<int> sum{0};
    pool.run(4, [&](int i) { sum.fetch_add(i + 1); });
    QCOMPARE(sum.load(), 10);
}

void TestThreads::poolRethrowsAWorkersException()
{
    nn::ThreadPool pool(3);
    std::atomic<int> ran{0};
    try {
        pool.run(3, [&](int i) {
            ran.fetch_add(1);
            if (i == 2)
                throw std::out_of_range("worker 2 failed");
        });
        QFAIL("expected the worker's exception");
    } catch (const std::out_of_range& e) {
        QCOMPARE(QString(e.what()), QString("worker 2 failed"));
    }
    QCOMPARE(ran.load(), 3);
    // Reported once: the next job runs clean.
    pool.run(3, [&](int) { ran.fetch_add(1); });
    QCOMPARE(ran.load(), 6);
}

void TestThreads::workerThreadReportsAFailedJobAndGoesOn()
{
    app::WorkerThread t("test");
    std::mutex m;
    QStringList reported;
    t.setFailureHandler([&](const std::string& what) {
        std::lock_guard lock(m);
        reported << QString::fromStdString(what);
    });
    std::atomic<bool> after{false};
    t.post([] { throw std::runtime_error("job failed"); });
    t.post([] { throw 42; });
    t.post([&] { after = true; });
    t.waitForIdle();
    QVERIFY(after.load());
    QCOMPARE(t.failures(), 2);
    std::lock_guard lock(m);
    QCOMPARE(reported, QStringList({"job failed", "unknown exception"}));
}

void TestThreads::backgroundTaskThatThrowsIsNoLongerRunning()
{
    app::BackgroundTask<int> task("test-task");
    bool delivered = false;
    task.start([]() -> int { throw std::runtime_error("work failed"); }, [&](int) { delivered = true; });
    QVERIFY(task.isRunning());
    task.waitForFinished();
    QVERIFY(!task.isRunning());
    QVERIFY(!delivered);
    // And the next one runs and delivers.
    int value = 0;
    task.start([] { return 7; }, [&](int v) { value = v; });
    task.waitForFinished();
    QCOMPARE(value, 7);
}

QTEST_GUILESS_MAIN(TestThreads)
#include "test_threads.moc"
