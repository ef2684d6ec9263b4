// "No lost work" (issue 6): model, checkpoint and my-digits saves are atomic
// (temporary file in the same folder, write, fsync, close, rename). A failure
// at any step -- injected through nn::setAtomicWriteHook, or real: a process
// killed mid-save, a file size limit, a real full disk (a tiny tmpfs), an
// unwritable folder -- leaves the
// previous file intact and loadable, leaves no temporary file behind, gives a
// message naming the path, and the model in memory keeps predicting.
#include <nn/data/idx.h>
#include <nn/data/userdigits.h>
#include <nn/errors.h>
#include <nn/model.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <QtTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace nn;

namespace {

// --- the fault-injection hook ------------------------------------------------

struct Fault {
    AtomicWriteStep step = AtomicWriteStep::Write;
    int skip = 0;      // occurrences of `step` to let through first
    int error = 0;     // errno to fail with; 0 = raise(SIGKILL) instead
    int seen = 0;
    std::string temp;  // the temporary file's path when the fault fired
};
Fault g_fault;

int faultHook(AtomicWriteStep step, const std::string& temp)
{
    if (step != g_fault.step || g_fault.seen++ < g_fault.skip)
        return 0;
    g_fault.temp = temp;
    if (g_fault.error == 0)
        ::raise(SIGKILL);  // a crash (or power cut) at exactly this point
    return g_fault.error;
}

struct HookGuard {
    HookGuard(AtomicWriteStep step, int skip, int error)
    {
        g_fault = Fault{};
        g_fault.step = step;
        g_fault.skip = skip;
        g_fault.error = error;
        setAtomicWriteHook(faultHook);
    }
    ~HookGuard() { setAtomicWriteHook(nullptr); }
};

// --- helpers -------------------------------------------------------------------

Model makeModel(std::uint64_t seed, const char* spec = "dense 10")
{
    Model m = Model::fromSpec(spec);
    m.initialize(seed);
    m.metadata()["seed"] = std::to_string(seed);
    return m;
}

std::vector<float> probe(const Model& m)
{
    std::vector<float> x(784);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float((i * 37) % 101) / 100.0f;
    std::vector<float> p(10);
    m.predict(x.data(), 1, p.data());
    return p;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

std::string fileError(const std::function<void()>& f)
{
    try {
        f();
    } catch (const FileError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("WRONG EXCEPTION: ") + e.what();
    }
    return "NO ERROR";
}

// Runs f in a child process; returns (how it ended, what it wrote to the pipe).
// status: the raw waitpid status.
std::pair<int, std::string> inChild(const std::function<std::string()>& f)
{
    int fds[2];
    if (::pipe(fds) != 0)
        qFatal("pipe");
    const pid_t pid = ::fork();
    if (pid < 0)
        qFatal("fork");
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = f();
        } catch (const std::exception& e) {
            out = std::string("EXCEPTION: ") + e.what();
        }
        (void)!::write(fds[1], out.data(), out.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        out.append(buf, std::size_t(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return {status, out};
}

TrainConfig smallConfig()
{
    TrainConfig c;
    c.epochs = 1;
    return c;
}

TrainState stateOf(const Model& m, int epoch)
{
    TrainState s;
    s.nextEpoch = epoch;
    s.step = epoch * 10;
    s.params = m.params();
    return s;
}

}  // namespace

class TestNoLostWork : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void faultAtEachStep_data();
    void faultAtEachStep();
    void checkpointFaultKeepsPreviousCheckpoint();
    void userDigitsFaultKeepsStore();
    void killedMidSave_data();
    void killedMidSave();
    void killedAtRandomMoments();
    void fileSizeLimitMidWrite();
    void realFullDisk();
    void unwritableFolder();
    void deviceTargetRefused();

private:
    QString path(const QString& name) const { return m_dir->path() + "/" + name; }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestNoLostWork::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestNoLostWork::cleanup()
{
    setAtomicWriteHook(nullptr);
    m_dir.reset();
}

void TestNoLostWork::faultAtEachStep_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("skip");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("expected");  // after "<path>: "
    using S = AtomicWriteStep;
    QTest::newRow("create temp: disk full") << int(S::CreateTemp) << 0 << ENOSPC
                                            << "cannot create a temporary file in {dir}: No space left on device";
    QTest::newRow("create temp: read-only fs") << int(S::CreateTemp) << 0 << EROFS
                                               << "cannot create a temporary file in {dir}: Read-only file system";
    QTest::newRow("set mode") << int(S::SetMode) << 0 << EPERM << "cannot set permissions: Operation not permitted";
    QTest::newRow("first write: disk full") << int(S::Write) << 0 << ENOSPC << "cannot write: No space left on device";
    QTest::newRow("write midway: disk full") << int(S::Write) << 4 << ENOSPC << "cannot write: No space left on device";
    QTest::newRow("write midway: quota") << int(S::Write) << 2 << EDQUOT << "cannot write: Disk quota exceeded";
    QTest::newRow("last write: I/O error") << int(S::Write) << 7 << EIO << "cannot write: Input/output error";
    QTest::newRow("fsync: I/O error") << int(S::Sync) << 0 << EIO << "cannot flush to disk: Input/output error";
    QTest::newRow("fsync: disk full") << int(S::Sync) << 0 << ENOSPC << "cannot flush to disk: No space left on device";
    QTest::newRow("close: disk full (NFS)") << int(S::Close) << 0 << ENOSPC << "cannot write: No space left on device";
    QTest::newRow("rename: permission") << int(S::Rename) << 0 << EACCES << "cannot replace the file: Permission denied";
    QTest::newRow("rename: busy") << int(S::Rename) << 0 << EBUSY << "cannot replace the file: Device or resource busy";
}

void TestNoLostWork::faultAtEachStep()
{
    QFETCH(int, step);
    QFETCH(int, skip);
    QFETCH(int, error);
    QFETCH(QString, expected);

    const QString file = path("model.dpm");
    const Model old = makeModel(1);
    saveModel(old, file.toStdString());
    const QByteArray before = readAll(file);
    QVERIFY(before.size() > 7 * 4096);  // "dense 10" is 31 KiB: eight 4 KiB writes under the hook

    const Model next = makeModel(2);
    const std::vector<float> p = probe(next);
    std::string msg;
    {
        HookGuard hook(AtomicWriteStep(step), skip, error);
        msg = fileError([&] { saveModel(next, file.toStdString()); });
        QVERIFY2(g_fault.seen > skip, "the fault never fired");
    }
    QCOMPARE(QString::fromStdString(msg), file + ": " + QString(expected).replace("{dir}", m_dir->path()));

    // The previous file is there, byte for byte, and loads; nothing else is.
    QCOMPARE(readAll(file), before);
    QCOMPARE(loadModel(file.toStdString()).params(), old.params());
    QCOMPARE(entries(m_dir->path()), QStringList{"model.dpm"});
    // The model in memory is untouched and still predicts the same.
    QCOMPARE(probe(next), p);

    // Once the fault is gone, the same save goes through.
    saveModel(next, file.toStdString());
    QCOMPARE(loadModel(file.toStdString()).params(), next.params());
    QCOMPARE(entries(m_dir->path()), QStringList{"model.dpm"});
}

void TestNoLostWork::checkpointFaultKeepsPreviousCheckpoint()
{
    const QString file = path("run.ckpt");
    const Model m1 = makeModel(1);
    saveCheckpoint(file.toStdString(), m1, smallConfig(), stateOf(m1, 3));
    const QByteArray before = readAll(file);

    const Model m2 = makeModel(2);
    for (const auto step : {AtomicWriteStep::Write, AtomicWriteStep::Sync, AtomicWriteStep::Rename}) {
        HookGuard hook(step, step == AtomicWriteStep::Write ? 3 : 0, ENOSPC);
        const std::string msg = fileError([&] { saveCheckpoint(file.toStdString(), m2, smallConfig(), stateOf(m2, 4)); });
        QVERIFY2(msg.rfind(file.toStdString() + ": ", 0) == 0, msg.c_str());
        QVERIFY2(msg.find("No space left on device") != std::string::npos, msg.c_str());
    }
    QCOMPARE(readAll(file), before);
    const auto [model, state] = loadCheckpoint(file.toStdString());
    QCOMPARE(state.nextEpoch, 3);
    QCOMPARE(model.params(), m1.params());
    QCOMPARE(entries(m_dir->path()), QStringList{"run.ckpt"});
    QCOMPARE(probe(m2), probe(makeModel(2)));
}

void TestNoLostWork::userDigitsFaultKeepsStore()
{
    const std::string dir = path("mydigits").toStdString();
    UserDigitStore store(dir);
    store.load();
    std::vector<std::uint8_t> img(784, 0);
    img[300] = 255;
    store.add(img.data(), 3);
    store.add(img.data(), 5);

    // Fail each of the three files of a commit in turn (images, labels, manifest).
    for (int skipWrites : {0, 1, 2}) {
        HookGuard hook(AtomicWriteStep::Rename, skipWrites, ENOSPC);
        const std::string msg = fileError([&] { store.add(img.data(), 7); });
        QVERIFY2(msg.find("cannot replace the file: No space left on device") != std::string::npos, msg.c_str());
        QCOMPARE(store.size(), 2);
    }
    UserDigitStore again(dir);
    again.load();
    QCOMPARE(again.size(), 2);
    QCOMPARE(again.label(1), 5);
    // A later successful change removes whatever the failed ones left behind.
    store.add(img.data(), 7);
    UserDigitStore third(dir);
    third.load();
    QCOMPARE(third.size(), 3);
    for (const QString& e : entries(QString::fromStdString(dir)))
        QVERIFY2(!e.contains(".tmp-"), qPrintable(e));
}

void TestNoLostWork::killedMidSave_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("skip");
    QTest::newRow("before the first write") << int(AtomicWriteStep::Write) << 0;
    QTest::newRow("halfway through the data") << int(AtomicWriteStep::Write) << 4;
    QTest::newRow("data written, before fsync") << int(AtomicWriteStep::Sync) << 0;
    QTest::newRow("before close") << int(AtomicWriteStep::Close) << 0;
    QTest::newRow("synced, before rename") << int(AtomicWriteStep::Rename) << 0;
}

void TestNoLostWork::killedMidSave()
{
    QFETCH(int, step);
    QFETCH(int, skip);
    const QString file = path("model.dpm");
    const Model old = makeModel(1);
    saveModel(old, file.toStdString());
    const QByteArray before = readAll(file);

    // The child saves another model and is killed (SIGKILL: no handlers, no
    // cleanup) at the chosen step, with the temporary file open.
    const auto [status, out] = inChild([&] {
        HookGuard hook(AtomicWriteStep(step), skip, 0);
        saveModel(makeModel(2), file.toStdString());
        return std::string("saved without being killed");
    });
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, out.c_str());

    // The target is the old file, byte for byte; the child's temporary file
    // is what a crash leaves behind.
    QCOMPARE(readAll(file), before);
    QCOMPARE(loadModel(file.toStdString()).params(), old.params());
    const QStringList left = entries(m_dir->path());
    QCOMPARE(left.size(), 2);
    QVERIFY2(left.contains("model.dpm") && left.filter(".tmp-").size() == 1, qPrintable(left.join(',')));

    // The next save of that file succeeds and removes the dead process's temporary file.
    const Model next = makeModel(3);
    saveModel(next, file.toStdString());
    QCOMPARE(loadModel(file.toStdString()).params(), next.params());
    QCOMPARE(entries(m_dir->path()), QStringList{"model.dpm"});
}

void TestNoLostWork::killedAtRandomMoments()
{
    // No hook: a child saves two large models (13 MiB) in turns, as fast as it
    // can, and is killed at arbitrary moments. Whatever the moment, the file
    // is one of the two models, complete.
    const QString file = path("big.dpm");
    const Model a = makeModel(1, "dense 4096 | dense 10");
    const Model b = makeModel(2, "dense 4096 | dense 10");
    saveModel(a, file.toStdString());
    std::mt19937 rng(7);
    for (int round = 0; round < 6; ++round) {
        const pid_t pid = ::fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            for (int i = 0;; ++i)
                saveModel(i % 2 ? a : b, file.toStdString());
        }
        QThread::msleep(50 + rng() % 400);
        ::kill(pid, SIGKILL);
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        QVERIFY(WIFSIGNALED(status));
        const Model got = loadModel(file.toStdString());
        QVERIFY(got.params() == a.params() || got.params() == b.params());
    }
    saveModel(a, file.toStdString());
    QCOMPARE(entries(m_dir->path()), QStringList{"big.dpm"});
}

void TestNoLostWork::fileSizeLimitMidWrite()
{
    // A real kernel failure in the middle of the data: the file size limit
    // (RLIMIT_FSIZE) stops writes at 16 KiB, like a disk that fills up.
    const QString file = path("model.dpm");
    const Model old = makeModel(1, "maxpool 2 | dense 10");  // 7.7 KiB
    saveModel(old, file.toStdString());
    const QByteArray before = readAll(file);

    const auto [status, out] = inChild([&] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit lim{16384, 16384};
        ::setrlimit(RLIMIT_FSIZE, &lim);
        const Model next = makeModel(2);  // "dense 10": 31 KiB
        const std::vector<float> p = probe(next);
        const std::string msg = fileError([&] { saveModel(next, file.toStdString()); });
        return probe(next) == p ? msg : msg + " (AND THE MODEL CHANGED)";
    });
    QVERIFY(WIFEXITED(status));
    QCOMPARE(QString::fromStdString(out), file + ": cannot write: File too large");
    QCOMPARE(readAll(file), before);
    QCOMPARE(entries(m_dir->path()), QStringList{"model.dpm"});
}

namespace {

bool writeFile(const char* file, const std::string& text)
{
    const int fd = ::open(file, O_WRONLY);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    ::close(fd);
    return ok;
}

// In a child process: a mount namespace of its own (as root; otherwise also a
// user namespace), so that the small file system it mounts is its alone and
// goes away with it. Returns an empty string or why it is not possible here.
std::string privateMountNamespace()
{
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (uid != 0) {
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return std::string("no user namespace: ") + std::strerror(errno);
        if (!writeFile("/proc/self/setgroups", "deny") ||
            !writeFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
            !writeFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
            return std::string("cannot map the user: ") + std::strerror(errno);
    } else if (::unshare(CLONE_NEWNS) != 0) {
        return std::string("no mount namespace: ") + std::strerror(errno);
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return std::string("cannot make the mounts private: ") + std::strerror(errno);
    return {};
}

}  // namespace

void TestNoLostWork::realFullDisk()
{
    // A real full disk: a 64 KiB tmpfs holding the previous model (8 KiB)
    // and a file that leaves 24 KiB free; the next model (31 KiB) runs out
    // of space in the middle of its data. Everything is checked in the child,
    // which alone sees that file system.
    const QString disk = path("disk");
    QVERIFY(QDir().mkdir(disk));
    const QString file = disk + "/model.dpm";
    const auto [status, out] = inChild([&]() -> std::string {
        if (std::string why = privateMountNamespace(); !why.empty())
            return "SKIP: cannot mount a small file system here (" + why + ")";
        if (::mount("tmpfs", disk.toLocal8Bit().constData(), "tmpfs", 0, "size=64k") != 0)
            return std::string("SKIP: cannot mount a small file system here (tmpfs: ") + std::strerror(errno) + ")";
        const Model old = makeModel(1, "maxpool 2 | dense 10");
        saveModel(old, file.toStdString());
        const QByteArray before = readAll(file);
        {
            QFile filler(disk + "/filler");
            if (!filler.open(QIODevice::WriteOnly))
                return "cannot create the filler file";
            struct statvfs fs{};
            const QByteArray page(4096, 'x');
            while (::statvfs(disk.toLocal8Bit().constData(), &fs) == 0 && fs.f_bavail * fs.f_frsize > 24 * 1024) {
                if (filler.write(page) != page.size() || !filler.flush())
                    return "the filler file could not be written";
            }
        }
        struct statvfs fs{};
        ::statvfs(disk.toLocal8Bit().constData(), &fs);
        const Model next = makeModel(2);  // "dense 10": 31 KiB
        const std::vector<float> p = probe(next);
        std::string result = fileError([&] { saveModel(next, file.toStdString()); });
        result += "\nfree before the save: " + std::to_string(fs.f_bavail * fs.f_frsize / 1024) + " KiB";
        result += readAll(file) == before ? "\nprevious file intact" : "\nPREVIOUS FILE CHANGED";
        result += "\nfiles: " + entries(disk).join(' ').toStdString();
        result += probe(next) == p ? "\nmodel still predicts the same" : "\nTHE MODEL CHANGED";
        try {
            result += loadModel(file.toStdString()).params() == old.params() ? "\nprevious model loads" : "\nPREVIOUS MODEL DIFFERS";
        } catch (const std::exception& e) {
            result += std::string("\nPREVIOUS MODEL DOES NOT LOAD: ") + e.what();
        }
        return result;
    });
    QVERIFY(WIFEXITED(status));
    if (out.rfind("SKIP: ", 0) == 0)
        QSKIP(out.c_str());
    qInfo("%s", out.c_str());
    QCOMPARE(QString::fromStdString(out), file + ": cannot write: No space left on device\n"
                                              "free before the save: 24 KiB\n"
                                              "previous file intact\n"
                                              "files: filler model.dpm\n"
                                              "model still predicts the same\n"
                                              "previous model loads");
}

void TestNoLostWork::unwritableFolder()
{
    // Everyone may reach the folder (QTemporaryDir makes 0700); only its owner may write it.
    QVERIFY(QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                     QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                                     QFile::ExeGroup));
    const QString sub = path("readonly");
    QVERIFY(QDir().mkdir(sub));
    const QString file = sub + "/model.dpm";
    const Model old = makeModel(1);
    saveModel(old, file.toStdString());
    const QByteArray before = readAll(file);
    QVERIFY(QFile::setPermissions(sub, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup |
                                           QFile::ReadOther | QFile::ExeOther));

    // Root ignores permissions, so the save runs as "nobody" in a child.
    const bool root = ::geteuid() == 0;
    const auto [status, out] = inChild([&] {
        if (root && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            return std::string("SKIP: cannot drop privileges: ") + std::strerror(errno);
        const Model next = makeModel(2);
        const std::vector<float> p = probe(next);
        const std::string msg = fileError([&] { saveModel(next, file.toStdString()); });
        return probe(next) == p ? msg : msg + " (AND THE MODEL CHANGED)";
    });
    QVERIFY(QFile::setPermissions(sub, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    QVERIFY(WIFEXITED(status));
    if (out.rfind("SKIP: ", 0) == 0)
        QSKIP(out.c_str());
    QCOMPARE(QString::fromStdString(out), file + ": cannot create a temporary file in " + sub + ": Permission denied");
    QCOMPARE(readAll(file), before);
    QCOMPARE(entries(sub), QStringList{"model.dpm"});
}

void TestNoLostWork::deviceTargetRefused()
{
    // /dev/full is the classic full disk; an atomic save would instead have
    // replaced the device node by a regular file (as root). Both are refused.
    const Model m = makeModel(1);
    for (const char* dev : {"/dev/full", "/dev/null"}) {
        struct stat before;
        QVERIFY(::stat(dev, &before) == 0);
        QCOMPARE(QString::fromStdString(fileError([&] { saveModel(m, dev); })),
                 QString::fromLatin1(dev) + ": is a device or special file, not a regular file; choose another file name");
        struct stat after;
        QVERIFY(::stat(dev, &after) == 0);
        QVERIFY(S_ISCHR(after.st_mode) && after.st_rdev == before.st_rdev);
    }
    // writeIdx is a plain writer (tests, exports): on /dev/full it reports the full disk.
    QCOMPARE(QString::fromStdString(fileError([] { writeIdx("/dev/full", {4}, {1, 2, 3, 4}); })),
             QStringLiteral("/dev/full: write failed: No space left on device"));
}

QTEST_GUILESS_MAIN(TestNoLostWork)
#include "test_no_lost_work.moc"
