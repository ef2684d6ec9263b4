// digitpad-cli run as a process: predict (text and CSV, empty and unreadable
// files), info, eval --json on a fixture, a short train run, and the messages
// for a bad model file and a spec typo.
#include <nn/data/idx.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <QtTest>

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>

#include <cmath>
#include <csignal>
#include <random>

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args, const QString& dataDir = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!dataDir.isEmpty())
        env.insert("DIGITPAD_DATA", dataDir);
    p.setProcessEnvironment(env);
    p.start(QString(DIGITPAD_CLI), args);
    if (!p.waitForFinished(300000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// A digit "1" as a person might scan it: a dark slightly slanted bar on white.
QImage drawnOne(int size)
{
    QImage img(size, size, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::black, size / 14.0, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(size * 0.52, size * 0.15), QPointF(size * 0.47, size * 0.85));
    return img;
}

QImage drawnZero(int size)
{
    QImage img(size, size, QImage::Format_RGB32);
    img.fill(Qt::black);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, size / 12.0));
    p.drawEllipse(QRectF(size * 0.3, size * 0.15, size * 0.4, size * 0.7));
    return img;
}

// Fixture MNIST-format files: class k is a vertical bar at column 4+2k.
void writeFixture(const QString& dir, const QString& prefix, int n, std::uint64_t seed)
{
    std::vector<std::uint8_t> images(std::size_t(n) * 784, 0), labels(n);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < n; ++i) {
        const int k = int(rng() % 10);
        labels[i] = std::uint8_t(k);
        for (int y = 5; y < 23; ++y)
            images[std::size_t(i) * 784 + y * 28 + 4 + 2 * k] = 255;
    }
    nn::writeIdx((dir + "/" + prefix + "-images-idx3-ubyte").toStdString(), {n, 28, 28}, images);
    nn::writeIdx((dir + "/" + prefix + "-labels-idx1-ubyte").toStdString(), {n}, labels);
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void predictCsvKeepsOrderAndReportsBadFiles();
    void predictText();
    void badModelFileIsExplained();
    void infoShowsArchitectureAndMetadata();
    void trainEvalJsonOnFixture();
    void trainResumesACheckpoint();
    void specTypoIsExplained();
    void missingDataIsExplained();
    void divergedRunKeepsTheExistingModel();
    void badOutIsFoundBeforeTraining_data();
    void badOutIsFoundBeforeTraining();
    void stopSignalsSaveTheRun_data();
    void stopSignalsSaveTheRun();

private:
    QTemporaryDir m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(drawnOne(300).save(m_dir.filePath("one.png")));
    QVERIFY(drawnZero(420).save(m_dir.filePath("zero.jpg"), "JPEG", 95));
    QImage blank(64, 64, QImage::Format_RGB32);
    blank.fill(Qt::white);
    QVERIFY(blank.save(m_dir.filePath("blank.png")));
    QFile bogus(m_dir.filePath("notes.png"));
    QVERIFY(bogus.open(QIODevice::WriteOnly));
    bogus.write("this is not an image\n");
}

void TestCli::predictCsvKeepsOrderAndReportsBadFiles()
{
    const Run r = cli({"predict", "--csv", m_dir.filePath("zero.jpg"), m_dir.filePath("notes.png"),
                       m_dir.filePath("blank.png"), m_dir.filePath("missing.png"), m_dir.filePath("one.png")});
    QCOMPARE(r.code, 1);  // some files could not be read
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QString("file,digit,probability,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9"));
    const QStringList zero = lines[1].split(',');
    QCOMPARE(zero.size(), 13);
    QCOMPARE(zero[0], m_dir.filePath("zero.jpg"));
    QCOMPARE(zero[1], QString("0"));
    double sum = 0;
    for (int k = 3; k < 13; ++k)
        sum += zero[k].toDouble();
    QVERIFY(std::abs(sum - 1.0) < 1e-4);
    QCOMPARE(lines[2], m_dir.filePath("blank.png") + ",empty" + QString(11, ','));
    const QStringList one = lines[3].split(',');
    QCOMPARE(one[0], m_dir.filePath("one.png"));
    QCOMPARE(one[1], QString("1"));
    QVERIFY(one[2].toDouble() > 0.5);
    QVERIFY2(r.err.contains(m_dir.filePath("notes.png") + ": not a readable image"), qPrintable(r.err));
    QVERIFY2(r.err.contains(m_dir.filePath("missing.png") + ": no such file"), qPrintable(r.err));
}

void TestCli::predictText()
{
    const Run r = cli({"predict", m_dir.filePath("one.png")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(m_dir.filePath("one.png") + ": digit 1 (p="), qPrintable(r.out));
    QVERIFY(r.out.contains(" 9:"));
}

void TestCli::badModelFileIsExplained()
{
    QFile f(m_dir.filePath("garbage.dpm"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("GARBAGE! this is not a model at all");
    f.close();
    const Run r = cli({"predict", "--model", m_dir.filePath("garbage.dpm"), m_dir.filePath("one.png")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(m_dir.filePath("garbage.dpm") + ": not a DigitPad model file (wrong magic"), qPrintable(r.err));
    QVERIFY(!r.err.contains("std::"));
    QVERIFY(r.out.isEmpty());
}

void TestCli::infoShowsArchitectureAndMetadata()
{
    const Run r = cli({"info", "--help"});
    QCOMPARE(r.code, 0);
    // Train a tiny model to a file and inspect it.
    const QString data = m_dir.filePath("info-data");
    QDir().mkpath(data);
    writeFixture(data, "train", 300, 1);
    writeFixture(data, "t10k", 100, 2);
    const QString model = m_dir.filePath("tiny.dpm");
    const Run t = cli({"train", "--arch", "dense 16 | relu | dense 10", "--epochs", "1", "--data", data, "--out", model,
                       "--threads", "1", "--val", "0"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    const Run i = cli({"info", model});
    QCOMPARE(i.code, 0);
    QVERIFY2(i.out.contains("dense 16 | relu | dense 10"), qPrintable(i.out));
    QVERIFY2(i.out.contains("12,730") || i.out.contains("12730"), qPrintable(i.out));  // 784*16+16+16*10+10
    QVERIFY2(i.out.contains("test_accuracy"), qPrintable(i.out));
}

void TestCli::trainEvalJsonOnFixture()
{
    const QString data = m_dir.filePath("fixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 1200, 3);
    writeFixture(data, "t10k", 200, 4);
    const QString model = m_dir.filePath("fixture.dpm");
    const Run t = cli({"train", "--arch", "conv 4 5 stride=2 | relu | maxpool 2 | dense 10", "--epochs", "3", "--lr",
                       "0.003", "--data", data, "--out", model, "--threads", "2", "--val", "0.1", "--seed", "5"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    QVERIFY2(t.out.contains("epoch  3/3") || t.out.contains("epoch 3/3"), qPrintable(t.out));
    QVERIFY(QFile::exists(model));

    const Run e = cli({"eval", "--model", model, "--json"}, data);
    QVERIFY2(e.code == 0, qPrintable(e.err));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(e.out.toUtf8(), &perr);
    QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(e.out));
    const QJsonObject o = doc.object();
    QVERIFY(o.value("accuracy").toDouble() > 0.9);
    const QJsonArray confusion = o.value("confusion").toArray();
    QCOMPARE(confusion.size(), 10);
    int total = 0, diagonal = 0;
    for (int i = 0; i < 10; ++i) {
        const QJsonArray row = confusion[i].toArray();
        QCOMPARE(row.size(), 10);
        for (int j = 0; j < 10; ++j) {
            total += row[j].toInt();
            if (i == j)
                diagonal += row[j].toInt();
        }
    }
    QCOMPARE(total, 200);
    QVERIFY(std::abs(double(diagonal) / total - o.value("accuracy").toDouble()) < 1e-9);
    const QJsonArray perClass = o.value("per_class").toArray();
    QCOMPARE(perClass.size(), 10);
    int support = 0;
    for (const auto& c : perClass) {
        const QJsonObject co = c.toObject();
        QVERIFY(co.contains("precision") && co.contains("recall") && co.contains("f1"));
        support += co.value("support").toInt();
    }
    QCOMPARE(support, 200);

    const Run text = cli({"eval", "--model", model, "--data", data});
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains("accuracy"), qPrintable(text.out));
}

// Interrupted with Ctrl-C after its first epoch, a run with --checkpoint is
// continued by `train --resume` with the checkpoint's own settings (the
// options given to the resuming command are ignored) and ends with the very
// weights of an uninterrupted run.
void TestCli::trainResumesACheckpoint()
{
    const QString data = m_dir.filePath("resume-fixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 1500, 7);
    writeFixture(data, "t10k", 100, 8);
    const QStringList run = {"train", "--arch", "conv 4 5 stride=2 | relu | maxpool 2 | dense 16 | relu | dense 10",
                             "--epochs", "6", "--batch", "4", "--augment", "--data", data, "--threads", "2",
                             "--seed", "11"};
    const QString whole = m_dir.filePath("whole.dpm");
    const Run w = cli(run + QStringList{"--out", whole});
    QVERIFY2(w.code == 0, qPrintable(w.err));

    // The interrupted run: Ctrl-C once its first epoch line is out.
    const QString ckpt = m_dir.filePath("ckpt/run.ckpt");
    QProcess p;
    p.start(QString(DIGITPAD_CLI), run + QStringList{"--out", m_dir.filePath("part.dpm"), "--checkpoint", ckpt});
    QVERIFY(p.waitForStarted());
    QByteArray out;
    while (!out.contains("epoch  1/6") && !out.contains("epoch 1/6") && p.state() == QProcess::Running) {
        p.waitForReadyRead(100);
        out += p.readAllStandardOutput();
    }
    QVERIFY2(p.state() == QProcess::Running, out.constData());
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    out += p.readAllStandardOutput();
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(QFile::exists(ckpt), out.constData());
    const auto [saved, state] = nn::loadCheckpoint(ckpt.toStdString());
    QVERIFY2(state.nextEpoch >= 1 && state.nextEpoch < 6, qPrintable(QString::number(state.nextEpoch)));

    const QString resumed = m_dir.filePath("resumed.dpm");
    const Run r = cli({"train", "--resume", ckpt, "--epochs", "1", "--seed", "99", "--arch", "dense 10", "--data",
                       data, "--out", resumed});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("resuming " + ckpt + " at epoch " + QString::number(state.nextEpoch + 1) + " of 6"),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("epoch  6/6") || r.out.contains("epoch 6/6"), qPrintable(r.out));
    const nn::Model a = nn::loadModel(whole.toStdString());
    const nn::Model b = nn::loadModel(resumed.toStdString());
    QCOMPARE(b.spec(), a.spec());
    QCOMPARE(b.metadata().at("epochs"), std::string("6"));
    QCOMPARE(b.params().size(), a.params().size());
    double diff = 0;
    for (std::size_t i = 0; i < a.params().size(); ++i)
        diff = std::max(diff, double(std::abs(a.params()[i] - b.params()[i])));
    qInfo("resumed vs uninterrupted: largest weight difference %g", diff);
    QCOMPARE(diff, 0.0);

    // A finished run has nothing left to resume.
    const Run again = cli({"train", "--resume", ckpt, "--data", data, "--out", m_dir.filePath("again.dpm")});
    QCOMPARE(again.code, 1);
    QVERIFY2(again.err.contains("nothing left to resume"), qPrintable(again.err));
}

void TestCli::specTypoIsExplained()
{
    const Run r = cli({"train", "--arch", "conv 8 3 | rleu | dense 10", "--epochs", "1", "--data", m_dir.path()});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("layer 2 'rleu': unknown layer 'rleu' (did you mean 'relu'?)"), qPrintable(r.err));
}

void TestCli::missingDataIsExplained()
{
    const Run r = cli({"eval", "--data", m_dir.filePath("nowhere")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("the MNIST files were not found in " + m_dir.filePath("nowhere")), qPrintable(r.err));
    QVERIFY2(r.err.contains("scripts/fetch-mnist"), qPrintable(r.err));
}

// Issue 21, item 7: SGD at --lr 100 ends "diverged" with exit code 3 even
// though its loss stays finite, and the diverged model does not replace an
// existing --out (it goes beside it) unless --overwrite-diverged is given.
void TestCli::divergedRunKeepsTheExistingModel()
{
    const QString data = m_dir.filePath("diverge-fixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 1200, 3);
    writeFixture(data, "t10k", 200, 4);
    QTemporaryDir dir;
    const QString out = dir.filePath("good.dpm");
    const QStringList common = {"train", "--arch", "dense 32 | relu | dense 10", "--epochs", "3", "--data", data,
                                "--threads", "1", "--out", out};
    const Run good = cli(common);
    QVERIFY2(good.code == 0, qPrintable(good.err));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray before = f.readAll();
    f.close();

    const Run bad = cli(common + QStringList{"--optimizer", "sgd", "--lr", "100"});
    QCOMPARE(bad.code, 3);
    QVERIFY2(bad.err.contains("training diverged: the loss became"), qPrintable(bad.err));
    QVERIFY2(!bad.out.contains("finished"), qPrintable(bad.out));
    const QString beside = dir.filePath("good.diverged.dpm");
    QVERIFY2(bad.err.contains(out + " was kept: the diverged model is saved beside it as " + beside), qPrintable(bad.err));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);  // the good model is untouched
    f.close();
    QVERIFY(QFile::exists(beside));
    nn::loadModel(beside.toStdString());

    const Run asked = cli(common + QStringList{"--optimizer", "sgd", "--lr", "100", "--overwrite-diverged"});
    QCOMPARE(asked.code, 3);
    QVERIFY2(!asked.err.contains("was kept"), qPrintable(asked.err));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll() != before);  // replaced, as asked
}

// Issue 21, item 6: a --out that cannot be written is refused before any
// data is loaded or any epoch is trained, and leaves nothing behind (no
// empty "new.dpm" folder).
void TestCli::badOutIsFoundBeforeTraining_data()
{
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("message");
    QTest::newRow("/dev/full") << "/dev/full" << "/dev/full: is a device or special file";
    QTest::newRow("trailing slash") << "{dir}/new.dpm/" << "{dir}/new.dpm/: ends with '/'";
    QTest::newRow("a folder") << "{dir}" << "{dir}: is a directory";
    QTest::newRow("read-only folder") << "/sys/digitpad.dpm" << "/sys/digitpad.dpm: cannot create a file in /sys: Permission denied";
    QTest::newRow("missing folders under a read-only one") << "/sys/a/b/digitpad.dpm"
                                                           << "cannot create a file in /sys: Permission denied";
}

void TestCli::badOutIsFoundBeforeTraining()
{
    QFETCH(QString, out);
    QFETCH(QString, message);
    QTemporaryDir dir;
    out.replace("{dir}", dir.path());
    message.replace("{dir}", dir.path());
    const QString data = m_dir.filePath("out-fixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 200, 1);
    writeFixture(data, "t10k", 50, 2);
    const Run r = cli({"train", "--arch", "dense 10", "--epochs", "1", "--data", data, "--out", out});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(!r.out.contains("epoch"), qPrintable(r.out));  // nothing was trained
    QVERIFY2(!r.out.contains("data:"), qPrintable(r.out));  // nor loaded
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());

    // A missing folder under a writable one is still created when the model is saved.
    const QString nested = dir.filePath("a/b/model.dpm");
    const Run ok = cli({"train", "--arch", "dense 10", "--epochs", "1", "--data", data, "--out", nested});
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
    QVERIFY(QFile::exists(nested));
}

// Issue 21, item 5: `kill`, `timeout` (SIGTERM) and closing the terminal
// (SIGHUP) stop a training run as Ctrl-C does: the weights so far are
// evaluated and saved, exit code 130.
void TestCli::stopSignalsSaveTheRun_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGHUP") << int(SIGHUP);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestCli::stopSignalsSaveTheRun()
{
    QFETCH(int, signal);
    const QString data = m_dir.filePath("signal-fixture");
    if (!QFile::exists(data + "/t10k-labels-idx1-ubyte")) {
        QDir().mkpath(data);
        writeFixture(data, "train", 1500, 7);
        writeFixture(data, "t10k", 100, 8);
    }
    const QString out = m_dir.filePath(QStringLiteral("signal-%1.dpm").arg(signal));
    QProcess p;
    p.start(QString(DIGITPAD_CLI), {"train", "--arch", "conv 4 5 stride=2 | relu | maxpool 2 | dense 16 | relu | dense 10",
                                    "--epochs", "50", "--batch", "4", "--augment", "--data", data, "--threads", "1",
                                    "--out", out});
    QVERIFY(p.waitForStarted());
    QByteArray stdoutText;
    while (!stdoutText.contains("epoch  1/50") && !stdoutText.contains("epoch 1/50") && p.state() == QProcess::Running) {
        p.waitForReadyRead(100);
        stdoutText += p.readAllStandardOutput();
    }
    QVERIFY2(p.state() == QProcess::Running, stdoutText.constData());
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(120000));
    stdoutText += p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);  // not killed by the signal
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(err.contains("interrupted: "), err.constData());
    QVERIFY2(stdoutText.contains("saved " + out.toUtf8()), stdoutText.constData());
    const nn::Model saved = nn::loadModel(out.toStdString());
    QVERIFY(saved.metadata().count("epochs") == 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
