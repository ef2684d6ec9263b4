// Replays every committed fuzz input under tests/fuzz/regressions/TARGET/
// (crashes, hangs and oversize allocations the fuzzers found, after the fix)
// through the same target functions as the libFuzzer harnesses, in any build:
// each must end normally or with one of our own nn::Error exceptions. Under
// DIGITPAD_ASAN the sanitizers check them as the fuzz build did.
#include "targets.h"

#include <QtTest>

#include <functional>

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void replay_data();
    void replay();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    const QDir root(QStringLiteral(DIGITPAD_SOURCE_DIR "/tests/fuzz/regressions"));
    int n = 0;
    for (const char* name : {"idx_raw", "idx_gz", "model", "spec", "checkpoint", "onnx"}) {
        const QString target = QString::fromLatin1(name);
        const QDir d(root.filePath(target));
        for (const QString& f : d.entryList(QDir::Files, QDir::Name)) {
            QTest::newRow(qPrintable(target + "/" + f)) << target << d.filePath(f);
            ++n;
        }
    }
    if (n == 0)
        QTest::newRow("none") << QString() << QString();
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    if (target.isEmpty())
        QSKIP("no committed fuzz inputs");
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.constData());
    const std::size_t size = std::size_t(bytes.size());
    const std::map<QString, std::function<int(const std::uint8_t*, std::size_t)>> targets = {
        {"idx_raw", digitpad_fuzz::fuzzIdxRaw},
        {"idx_gz", digitpad_fuzz::fuzzIdxGz},
        {"model", digitpad_fuzz::fuzzModel},
        {"spec", digitpad_fuzz::fuzzSpec},
        {"checkpoint", digitpad_fuzz::fuzzCheckpoint},
        {"onnx", digitpad_fuzz::fuzzOnnx},
    };
    QElapsedTimer timer;
    timer.start();
    try {
        targets.at(target)(data, size);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("escaped %1: %2").arg(typeid(e).name(), e.what())));
    }
    // libFuzzer's -timeout was 10 s under the sanitizers; a plain build has no excuse.
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_regressions.moc"
