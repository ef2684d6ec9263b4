// CPU levels (nn/cpu.h): names, which engine build runs, and DIGITPAD_ISA.
// The DIGITPAD_ISA cases start this program again with the variable set
// (`test_cpu --print-level` prints the level that runs and the summary), so
// they go through the re-execution before main that every program gets.
// ctest also runs the whole test once per lower level (test_cpu_avx2 ...),
// where requestedLevelRuns asserts that the level asked for is the one running
// (and lowerLevelsAreReachable that children of such a run can still reach
// every level). Under qemu (tests/CMakeLists.txt) the fallback from a level
// the emulated CPU lacks is checked through --print-level directly.
#include <nn/cpu.h>

#include <QProcess>
#include <QtTest>

#include <cstdio>
#include <cstring>

using namespace nn::cpu;

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run runSelf(const QString& isa, bool strict = false)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DIGITPAD_ISA");
    env.remove("DIGITPAD_ISA_STRICT");
    if (!isa.isNull())
        env.insert("DIGITPAD_ISA", isa);
    if (strict)
        env.insert("DIGITPAD_ISA_STRICT", "1");
    p.setProcessEnvironment(env);
    p.start(QCoreApplication::applicationFilePath(), {"--print-level"});
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return r;
}

// The best level this build can run here without DIGITPAD_ISA.
Level bestHere()
{
    Level best = Level::Baseline;
    for (Level l : builtLevels())
        if (l <= cpuLevel() && l > best)
            best = l;
    return nativeBuild() ? activeLevel() : best;
}

}  // namespace

class TestCpu : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip();
    void unknownNamesAreRefused();
    void bestLevelRunsByDefault();
    void requestedLevelRuns();
    void lowerLevelsAreReachable();
    void unknownLevelWarnsAndRunsTheBest();
    void levelAboveTheCpuFallsBack();
};

void TestCpu::namesRoundTrip()
{
    for (Level l : {Level::Baseline, Level::Avx2, Level::Avx512}) {
        QCOMPARE(parseLevel(levelName(l)), std::optional<Level>(l));
        QVERIFY(std::strlen(levelDescription(l)) > 6);
    }
    QCOMPARE(parseLevel("x86-64-v3"), std::optional<Level>(Level::Avx2));
    QCOMPARE(parseLevel("x86-64-v4"), std::optional<Level>(Level::Avx512));
    QCOMPARE(QString(levelDescription(Level::Avx2)), QString("x86-64-v3 (AVX2+FMA)"));
}

void TestCpu::unknownNamesAreRefused()
{
    QCOMPARE(parseLevel("AVX2"), std::nullopt);
    QCOMPARE(parseLevel("sse4"), std::nullopt);
    QCOMPARE(parseLevel(""), std::nullopt);
}

void TestCpu::bestLevelRunsByDefault()
{
    if (qEnvironmentVariableIsSet("DIGITPAD_ISA"))
        QSKIP("this entry runs with DIGITPAD_ISA set: see requestedLevelRuns");
    QCOMPARE(levelName(activeLevel()), levelName(bestHere()));
    QCOMPARE(selection().requested, std::nullopt);
    const QString s = QString::fromStdString(summary());
    QVERIFY2(s.startsWith(QString(levelName(activeLevel())) + ": "), qPrintable(s));
    QVERIFY2(s.contains(QString("the CPU supports ") + levelName(cpuLevel())), qPrintable(s));
}

void TestCpu::requestedLevelRuns()
{
    const QByteArray want = qgetenv("DIGITPAD_ISA");
    if (want.isEmpty())
        QSKIP("runs in the per-level entries (test_cpu_<level>), which set DIGITPAD_ISA");
    const auto r = parseLevel(want.toStdString());
    QVERIFY2(r, want.constData());
    QCOMPARE(levelName(activeLevel()), levelName(*r));
    QCOMPARE(selection().requested, r);
    QVERIFY2(selection().note.empty(), selection().note.c_str());
    const QString s = QString::fromStdString(summary());
    QVERIFY2(s.contains("forced by DIGITPAD_ISA"), qPrintable(s));
}

void TestCpu::lowerLevelsAreReachable()
{
    if (nativeBuild())
        QSKIP("a -march=native build has one engine");
    for (Level l : builtLevels()) {
        if (l > cpuLevel())
            continue;
        const Run r = runSelf(levelName(l), true);
        QVERIFY2(r.exitCode == 0, qPrintable(QString("DIGITPAD_ISA=%1: exit %2, %3").arg(levelName(l)).arg(r.exitCode).arg(r.err)));
        QCOMPARE(r.out.section('\n', 0, 0), QString(levelName(l)));
        QVERIFY2(r.out.contains("forced by DIGITPAD_ISA") || l == bestHere(), qPrintable(r.out));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }
}

void TestCpu::unknownLevelWarnsAndRunsTheBest()
{
    const Run r = runSelf("avx9000");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.section('\n', 0, 0), QString(levelName(bestHere())));
    QVERIFY2(r.err.contains("DIGITPAD_ISA=avx9000 is not a level (baseline, avx2, avx512)"), qPrintable(r.err));
    const Run strict = runSelf("avx9000", true);
    QCOMPARE(strict.exitCode, 1);
}

void TestCpu::levelAboveTheCpuFallsBack()
{
    if (cpuLevel() == Level::Avx512)
        QSKIP("this CPU has every level (the qemu entries check the fallback on an emulated CPU without AVX)");
    const Level above = Level(int(cpuLevel()) + 1);
    const Run r = runSelf(levelName(above));
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.section('\n', 0, 0), QString(levelName(bestHere())));
    QVERIFY2(r.err.contains(QString("this CPU supports only ") + levelName(cpuLevel())), qPrintable(r.err));
    // Under ctest's per-level entries that is a skip, exit 77.
    QCOMPARE(runSelf(levelName(above), true).exitCode, 77);
}

int main(int argc, char** argv)
{
    if (argc == 2 && std::strcmp(argv[1], "--print-level") == 0) {
        std::printf("%s\n%s\n", levelName(activeLevel()), summary().c_str());
        return 0;
    }
    QCoreApplication app(argc, argv);
    TestCpu t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_cpu.moc"
