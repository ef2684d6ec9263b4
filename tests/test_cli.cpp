// digitpad-cli run as a process: predict (text and CSV, empty and unreadable
// files), info, eval --json on a fixture, a short train run, and the messages
// for a bad model file and a spec typo; "not a digit" in predict and the
// calibrate command.
#include "cli_process.h"
#include "fixtures.h"

#include <nn/cpu.h>
#include <nn/data/dataset.h>
#include <nn/data/idx.h>
#include <nn/model.h>
#include <nn/notdigit.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <QtTest>

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>

#include <cmath>
#include <csignal>
#include <random>

#include <sys/stat.h>
#include <unistd.h>

namespace {

using Run = CliRun;

Run cli(const QStringList& args, const QString& dataDir = {}, int timeoutMs = 300000, const QString& workDir = {})
{
    QProcessEnvironment env;
    if (!dataDir.isEmpty())
        env.insert("DIGITPAD_DATA", dataDir);
    return runCli(args, env, workDir, timeoutMs);
}

// "dense 1 | dense 10" whose output is 0 for a blank and for an all-ink input
// (+6 on columns 12..15, -1 elsewhere: 112*6 == 672 exactly) but 3e38 times the
// ink in the centre columns, which overflows, for a drawn digit.
void writeOverflowingModel(const QString& path)
{
    nn::Model m = nn::Model::fromSpec("dense 1 | dense 10");
    std::vector<float>& p = m.params();
    std::fill(p.begin(), p.end(), 0.0f);
    for (const auto& v : m.paramViews()) {
        if (v.name == "0.dense.weight")
            for (int i = 0; i < 784; ++i)
                p[v.offset + std::size_t(i)] = (i % 28 >= 12 && i % 28 < 16) ? 6.0f : -1.0f;
        if (v.name == "1.dense.weight")
            for (std::size_t i = 0; i < 10; ++i)
                p[v.offset + i] = 3e38f;
    }
    nn::saveModel(m, path.toStdString());
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
    fixtures::writeBarIdx(dir.toStdString(), prefix.toStdString(), n, seed);
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void adversarialTrainingAndRobustness();
    void predictCsvKeepsOrderAndReportsBadFiles();
    void predictText();
    void predictNumber();
    void nonAsciiPaths();
    void badModelFileIsExplained();
    void infoShowsArchitectureAndMetadata();
    void infoSaysWhichEngineRuns();
    void trainEvalJsonOnFixture();
    void rmspropAndL1FromTheCommandLine();
    void trainResumesACheckpoint();
    void specTypoIsExplained();
    void missingDataIsExplained();
    void specialFilesNeverHang_data();
    void specialFilesNeverHang();
    void nonFiniteOutputIsNoPrediction();
    void infoEscapesControlCharacters();
    void csvNeutralisesFormulas();
    void predictSaysNone();
    void calibrateStoresTemperatureAndThreshold();
    void divergedRunKeepsTheExistingModel();
    void badOutIsFoundBeforeTraining_data();
    void badOutIsFoundBeforeTraining();
    void stopSignalsSaveTheRun_data();
    void stopSignalsSaveTheRun();
    void trainWithStylesAndOutliers();

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

// `predict --number`: "10" drawn side by side (a 1 and a 0, dark ink on
// white) is split into its digits; a blank image is empty; CSV in order.
void TestCli::predictNumber()
{
    QImage ten(600, 300, QImage::Format_RGB32);
    ten.fill(Qt::white);
    {
        QPainter p(&ten);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::black, 18, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(170, 50), QPointF(160, 250));
        p.drawEllipse(QRectF(320, 50, 130, 200));
    }
    QVERIFY(ten.save(m_dir.filePath("ten.png")));
    Run r = cli({"predict", "--number", m_dir.filePath("ten.png"), m_dir.filePath("one.png")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(m_dir.filePath("ten.png") + ": number 10 (p="), qPrintable(r.out));
    QVERIFY2(r.out.contains(", 2 digits)\n  1 (p="), qPrintable(r.out));
    QVERIFY2(r.out.contains(m_dir.filePath("one.png") + ": number 1 (p="), qPrintable(r.out));
    QVERIFY2(r.out.contains(", 1 digit)"), qPrintable(r.out));
    r = cli({"predict", "--number", "--csv", m_dir.filePath("blank.png"), m_dir.filePath("ten.png")});
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QStringLiteral("file,number,probability,digits,probabilities"));
    QCOMPARE(lines[1], m_dir.filePath("blank.png") + ",empty,,,");
    const QStringList ten10 = lines[2].split(',');
    QCOMPARE(ten10.size(), 5);
    QCOMPARE(ten10[1], QStringLiteral("10"));
    QCOMPARE(ten10[3], QStringLiteral("2"));
    const QStringList each = ten10[4].split(' ');
    QCOMPARE(each.size(), 2);
    QVERIFY(std::abs(each[0].toDouble() * each[1].toDouble() - ten10[2].toDouble()) < 1e-5);
}

// Chinese file names work and appear as they are in results and errors; a
// name that is not UTF-8 gets a message saying so, not "no such file".
void TestCli::nonAsciiPaths()
{
    const QString digit = m_dir.filePath(QStringLiteral("数字.png"));
    QFile::remove(digit);
    QVERIFY(QFile::copy(m_dir.filePath("one.png"), digit));
    const QString model = m_dir.filePath(QStringLiteral("模型.dpm"));
    QFile bad(model);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a model");
    bad.close();
    Run r = cli({"predict", digit, m_dir.filePath(QStringLiteral("不存在.png"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.startsWith(digit + ": digit 1 (p="), qPrintable(r.out));
    QVERIFY2(r.err.contains(m_dir.filePath(QStringLiteral("不存在.png")) + ": no such file"), qPrintable(r.err));
    r = cli({"info", model});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(model + ": not a DigitPad model file (wrong magic"), qPrintable(r.err));

    QProcess p;
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("exec \"$0\" predict \"$(printf 'caf\\351.png')\""),
                                        QStringLiteral(DIGITPAD_CLI)});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("argument 2 (caf\\xe9.png) is not valid UTF-8")), qPrintable(err));
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

// The engine line of `info` (nn/cpu.h): the level that runs, and with
// DIGITPAD_ISA=baseline the baseline engine, said to be forced.
void TestCli::infoSaysWhichEngineRuns()
{
    const Run i = cli({"info"});
    QVERIFY2(i.code == 0, qPrintable(i.err));
    const QString cpuSays = QString("the CPU supports ") + nn::cpu::levelName(nn::cpu::cpuLevel());
    QVERIFY2(i.out.contains(QString("engine: ") + nn::cpu::levelName(nn::cpu::activeLevel()) + ": "), qPrintable(i.out));
    QVERIFY2(i.out.contains(cpuSays), qPrintable(i.out));
    if (nn::cpu::nativeBuild())
        return;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DIGITPAD_ISA", "baseline");
    p.setProcessEnvironment(env);
    p.start(QString(DIGITPAD_CLI), {"info"});
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.contains("engine: baseline: x86-64 (SSE2), forced by DIGITPAD_ISA; " + cpuSays), qPrintable(out));
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

void TestCli::specialFilesNeverHang_data()
{
    QTest::addColumn<QStringList>("args");     // {fifo}, {zero}: a FIFO, a link to /dev/zero
    QTest::addColumn<QString>("expected");     // in stderr
    const QString fifo = QStringLiteral(": is a named pipe (FIFO), not a regular file");
    const QString zero = QStringLiteral(": is a character device, not a regular file");
    QTest::newRow("info fifo") << QStringList{"info", "{fifo}.dpm"} << "{fifo}.dpm" + fifo;
    QTest::newRow("info /dev/zero") << QStringList{"info", "{zero}.dpm"} << "{zero}.dpm" + zero;
    QTest::newRow("predict --model fifo") << QStringList{"predict", "--model", "{fifo}.dpm", "{dir}/one.png"}
                                          << "{fifo}.dpm" + fifo;
    QTest::newRow("eval --model fifo") << QStringList{"eval", "--model", "{fifo}.dpm"} << "{fifo}.dpm" + fifo;
    QTest::newRow("predict fifo image") << QStringList{"predict", "{fifo}.png"} << "{fifo}.png" + fifo;
    QTest::newRow("predict /dev/zero image") << QStringList{"predict", "{zero}.png"} << "{zero}.png" + zero;
    QTest::newRow("train --init-from fifo")
        << QStringList{"train", "--init-from", "{fifo}.dpm", "--epochs", "1", "--data", "{dir}/fixture-small"}
        << "{fifo}.dpm" + fifo;
    QTest::newRow("eval on a FIFO images file")
        << QStringList{"eval", "--data", "{dir}/fifo-mnist"} << "{dir}/fifo-mnist/t10k-images-idx3-ubyte" + fifo;
}

// Each would block in open() (a FIFO) or read without end (/dev/zero) before
// the files were opened non-blocking and checked to be regular.
void TestCli::specialFilesNeverHang()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const QString fifo = m_dir.filePath("fifo"), zero = m_dir.filePath("zero");
    for (const char* ext : {".dpm", ".png"}) {
        if (!QFileInfo::exists(fifo + ext))
            QVERIFY(::mkfifo(QFile::encodeName(fifo + ext).constData(), 0600) == 0);
        if (!QFileInfo(zero + ext).isSymLink())
            QVERIFY(::symlink("/dev/zero", QFile::encodeName(zero + ext).constData()) == 0);
    }
    const QString small = m_dir.filePath("fixture-small");
    if (!QFileInfo::exists(small)) {
        QDir().mkpath(small);
        writeFixture(small, "train", 50, 7);
        writeFixture(small, "t10k", 20, 8);
    }
    const QString fm = m_dir.filePath("fifo-mnist");
    if (!QFileInfo::exists(fm)) {
        QDir().mkpath(fm);
        writeFixture(fm, "t10k", 20, 9);
        QFile::remove(fm + "/t10k-images-idx3-ubyte");
        QVERIFY(::mkfifo(QFile::encodeName(fm + "/t10k-images-idx3-ubyte").constData(), 0600) == 0);
    }
    const auto expand = [&](QString s) {
        return s.replace("{fifo}", fifo).replace("{zero}", zero).replace("{dir}", m_dir.path());
    };
    QStringList expanded;
    for (const QString& a : args)
        expanded << expand(a);
    QElapsedTimer t;
    t.start();
    const Run r = cli(expanded, {}, 15000);
    QVERIFY2(r.code != -1, "digitpad-cli hung (killed after 15 s)");
    QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(expand(expected)), qPrintable(r.err));
}

void TestCli::nonFiniteOutputIsNoPrediction()
{
    const QString model = m_dir.filePath("overflow.dpm");
    writeOverflowingModel(model);
    const Run r = cli({"predict", "--model", model, m_dir.filePath("one.png"), m_dir.filePath("blank.png")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(m_dir.filePath("one.png") +
                            ": the model's output for this image is NaN or infinite (its weights overflow); no "
                            "prediction"),
             qPrintable(r.err));
    QVERIFY2(!r.out.contains("nan") && !r.out.contains("one.png"), qPrintable(r.out));
    QVERIFY2(r.out.contains("blank.png: empty"), qPrintable(r.out));

    // Weights that overflow on a blank or full input are refused at load.
    nn::Model m = nn::Model::fromSpec("dense 10");
    std::fill(m.params().begin(), m.params().end(), 3e38f);
    const QString huge = m_dir.filePath("huge-weights.dpm");
    nn::saveModel(m, huge.toStdString());
    const Run h = cli({"predict", "--model", huge, m_dir.filePath("one.png")});
    QVERIFY(h.code != 0);
    QVERIFY2(h.err.contains(huge + ": the model's output for a fully inked image is NaN or infinite"), qPrintable(h.err));
    QVERIFY(h.out.isEmpty());
}

void TestCli::infoEscapesControlCharacters()
{
    nn::Model m = nn::Model::fromSpec("maxpool 7 | dense 10");
    m.initialize(1);
    m.metadata()["data"] = "\x1b]0;pwned\x07\x1b[2J\x1b[Hclean";
    m.metadata()["note\r"] = "ok \xc2\x9b" "31m caf\xc3\xa9";  // C1 CSI, then a real UTF-8 e-acute
    const QString path = m_dir.filePath("control.dpm");
    nn::saveModel(m, path.toStdString());
    QProcess p;
    p.start(QString(DIGITPAD_CLI), {"info", path});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray out = p.readAllStandardOutput();
    for (const char c : out)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == '\n', qPrintable(QString::fromUtf8(out)));
    QVERIFY2(!out.contains("\xc2\x9b"), out.constData());
    QVERIFY2(out.contains("\\x1b]0;pwned\\x07\\x1b[2J\\x1b[Hclean"), out.constData());
    QVERIFY2(out.contains("note\\x0d: ok \\xc2\\x9b31m caf\xc3\xa9"), out.constData());
}

void TestCli::csvNeutralisesFormulas()
{
    const QString dir = m_dir.filePath("formulas");
    QDir().mkpath(dir);
    const QStringList names = {"=HYPERLINK(\"x\").png", "+1.png", "@SUM(A1).png", "plain.png"};
    for (const QString& n : names)
        QVERIFY(QFile::copy(m_dir.filePath("one.png"), dir + "/" + n));
    const Run r = cli(QStringList{"predict", "--csv"} + names, {}, 300000, dir);
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines[1].startsWith("\"'=HYPERLINK(\"\"x\"\").png\",1,"), qPrintable(lines[1]));
    QVERIFY2(lines[2].startsWith("\"'+1.png\",1,"), qPrintable(lines[2]));
    QVERIFY2(lines[3].startsWith("\"'@SUM(A1).png\",1,"), qPrintable(lines[3]));
    QVERIFY2(lines[4].startsWith("plain.png,1,"), qPrintable(lines[4]));
}

void TestCli::predictSaysNone()
{
    // The shipped model with its threshold moved above every score (all
    // inputs are "not a digit") and below every score (none is): the CSV and
    // the text follow the model's verdict, the probabilities stay.
    nn::Model m = nn::loadModel(std::string(DIGITPAD_SOURCE_DIR) + "/resources/models/default.dpm");
    auto c = nn::readNotDigit(m);
    QVERIFY2(c.has_value(), "the default model is calibrated");
    const QString strict = m_dir.filePath("strict.dpm"), lax = m_dir.filePath("lax.dpm");
    c->threshold = 1e30;
    nn::storeNotDigit(m, *c);
    nn::saveModel(m, strict.toStdString());
    c->threshold = -1e30;
    nn::storeNotDigit(m, *c);
    nn::saveModel(m, lax.toStdString());

    Run r = cli({"predict", "--csv", "--model", strict, m_dir.filePath("one.png"), m_dir.filePath("blank.png")});
    QCOMPARE(r.code, 0);
    QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QStringList one = lines[1].split(',');
    QCOMPARE(one.size(), 13);
    QCOMPARE(one[1], QString("none"));
    QVERIFY(one[2].toDouble() > 0.5);    // the top probability is still given
    QVERIFY(one[4].toDouble() > 0.5);    // p1
    QCOMPARE(lines[2], m_dir.filePath("blank.png") + ",empty" + QString(11, ','));  // empty stays empty
    r = cli({"predict", "--model", strict, m_dir.filePath("one.png")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(m_dir.filePath("one.png") + ": not a digit (nearest 1, p="), qPrintable(r.out));
    QVERIFY(r.out.contains(" 9:"));

    r = cli({"predict", "--csv", "--model", lax, m_dir.filePath("one.png")});
    QCOMPARE(r.code, 0);
    lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[1].split(',')[1], QString("1"));

    // The shipped calibration itself: a five-pointed star drawn in one
    // stroke is no digit, the drawn 1 is one.
    QImage star(400, 400, QImage::Format_RGB32);
    star.fill(Qt::white);
    {
        QPainter p(&star);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::black, 14, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        QPolygonF pts;
        for (int i = 0; i <= 5; ++i) {
            const double a = (-90.0 + 144.0 * i) * M_PI / 180.0;
            pts << QPointF(200 + 150 * std::cos(a), 200 + 150 * std::sin(a));
        }
        p.drawPolyline(pts);
    }
    QVERIFY(star.save(m_dir.filePath("star.png")));
    r = cli({"predict", "--csv", m_dir.filePath("star.png"), m_dir.filePath("one.png")});
    QCOMPARE(r.code, 0);
    lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[1].split(',')[1], QString("none"));
    QCOMPARE(lines[2].split(',')[1], QString("1"));
}

void TestCli::calibrateStoresTemperatureAndThreshold()
{
    const QString data = m_dir.filePath("calibrate-data");
    QDir().mkpath(data);
    writeFixture(data, "t10k", 400, 9);
    nn::Model m = nn::Model::fromSpec("dense 10");
    m.initialize(4);
    m.metadata()["note"] = "kept";
    const QString in = m_dir.filePath("uncalibrated.dpm"), out = m_dir.filePath("calibrated.dpm");
    nn::saveModel(m, in.toStdString());

    Run r = cli({"calibrate", "--model", in, "--data", data});
    QCOMPARE(r.code, 2);  // --out is required
    QVERIFY2(r.err.contains("--out"), qPrintable(r.err));

    r = cli({"calibrate", "--model", in, "--data", data, "--out", out, "--rate", "0.05"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("200 digits to fit on, 200 held out"), qPrintable(r.out));
    QVERIFY2(r.out.contains("temperature: "), qPrintable(r.out));
    const nn::Model cal = nn::loadModel(out.toStdString());
    QVERIFY(cal.params() == m.params());  // weights untouched
    QCOMPARE(cal.metadata().at("note"), std::string("kept"));
    const auto c = nn::readNotDigit(cal);
    QVERIFY(c.has_value());
    QVERIFY(c->temperature > 0);
    QVERIFY(c->validationRate <= 0.05);
    QCOMPARE(c->samples, 0);  // not stored; the data line is
    QVERIFY(!c->data.empty());
    // The fit is the engine's on the same half.
    const nn::Dataset test = nn::Dataset::loadMnist(data.toStdString(), nn::Split::Test);
    const nn::NotDigitCalibration direct = nn::calibrateNotDigit(m, nn::calibrationHalves(test).first, 0.05, 1);
    QVERIFY(std::abs(direct.temperature - c->temperature) < 1e-12);
    QVERIFY(std::abs(direct.threshold - c->threshold) < 1e-9);
}

// Issue 17: RMSprop and L1 from the command line reach the trainer (the
// model's hyperparameters say so), train a usable model, and options that
// the chosen optimizer does not use are refused instead of ignored.
void TestCli::rmspropAndL1FromTheCommandLine()
{
    const QString data = m_dir.filePath("rmsprop-fixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 1200, 3);
    writeFixture(data, "t10k", 200, 4);
    const QString model = m_dir.filePath("rmsprop.dpm");
    const QStringList common = {"train", "--arch", "dense 32 | relu | dense 10", "--epochs", "3", "--data", data,
                                "--threads", "1", "--out", model, "--optimizer", "rmsprop"};
    const Run t = cli(common + QStringList{"--momentum", "0.5", "--rho", "0.8", "--l1", "0.0001"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    const nn::Model m = nn::loadModel(model.toStdString());
    const QString hp = QString::fromStdString(m.metadata().at("hyperparameters"));
    QVERIFY2(hp.startsWith("optimizer=rmsprop lr=0.001 momentum=0.5 rho=0.8 "), qPrintable(hp));
    QVERIFY2(hp.contains(" l1=0.0001 "), qPrintable(hp));
    const Run e = cli({"eval", "--model", model, "--json"}, data);
    QVERIFY2(e.code == 0, qPrintable(e.err));
    const double accuracy = QJsonDocument::fromJson(e.out.toUtf8()).object().value("accuracy").toDouble();
    QVERIFY2(accuracy > 0.9, qPrintable(e.out));

    // Without --momentum, RMSprop runs without momentum (it is 0.9 only for SGD).
    const Run plain = cli(common);
    QVERIFY2(plain.code == 0, qPrintable(plain.err));
    const QString hp0 = QString::fromStdString(nn::loadModel(model.toStdString()).metadata().at("hyperparameters"));
    QVERIFY2(hp0.startsWith("optimizer=rmsprop lr=0.001 momentum=0 rho=0.9 "), qPrintable(hp0));
    QVERIFY2(!hp0.contains("l1="), qPrintable(hp0));

    const Run rhoWithAdam = cli({"train", "--optimizer", "adam", "--rho", "0.8", "--data", data, "--out", model});
    QCOMPARE(rhoWithAdam.code, 2);
    QVERIFY2(rhoWithAdam.err.contains("--rho applies to --optimizer rmsprop only"), qPrintable(rhoWithAdam.err));
    const Run momentumWithAdam = cli({"train", "--momentum", "0.5", "--data", data, "--out", model});
    QCOMPARE(momentumWithAdam.code, 2);
    QVERIFY2(momentumWithAdam.err.contains("--momentum applies to --optimizer sgd and rmsprop only"),
             qPrintable(momentumWithAdam.err));
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
    QByteArray err;
    while (!stdoutText.contains("epoch  1/50") && !stdoutText.contains("epoch 1/50") && p.state() == QProcess::Running) {
        p.waitForReadyRead(100);
        stdoutText += p.readAllStandardOutput();
        err += p.readAllStandardError();
    }
    QVERIFY2(p.state() == QProcess::Running, stdoutText.constData());
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(120000));
    stdoutText += p.readAllStandardOutput();
    err += p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);  // not killed by the signal
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(err.contains("interrupted: "), err.constData());
    QVERIFY2(stdoutText.contains("saved " + out.toUtf8()), stdoutText.constData());
    // Issue 21 item 21: what goes to a pipe is whole lines, progress included.
    for (const QByteArray& text : {stdoutText, err}) {
        QVERIFY2(text.endsWith('\n'), text.right(200).constData());
        QVERIFY2(!text.contains('\r'), text.constData());
    }
    const nn::Model saved = nn::loadModel(out.toStdString());
    // Stopped during epoch 2: one epoch and how much of the second.
    const QString epochs = QString::fromStdString(saved.metadata().at("epochs"));
    QVERIFY2(QRegularExpression("^1( \\+ [0-9,]+ of 1,350 samples of epoch 2)?$").match(epochs).hasMatch(),
             qPrintable(epochs));
}

// --adversarial trains on FGSM examples (recorded in the metadata); the
// robustness command prints the accuracy under attack against eps.
void TestCli::adversarialTrainingAndRobustness()
{
    const QString data = m_dir.filePath("advfixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 200, 3);
    writeFixture(data, "t10k", 80, 4);
    const QString model = m_dir.filePath("adv.dpm");
    const QStringList base{"train", "--arch", "dense 32 | relu | dense 10", "--epochs", "2", "--data", data, "--out",
                           model, "--threads", "2", "--val", "0", "--no-record"};
    const Run t = cli(base + QStringList{"--adversarial", "0.1", "--adversarial-steps", "3"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    const Run info = cli({"info", model});
    QVERIFY2(info.out.contains("adversarial_eps=0.1 adversarial_steps=3 adversarial_fraction=0.5"), qPrintable(info.out));
    const Run lone = cli(base + QStringList{"--adversarial-steps", "3"});
    QCOMPARE(lone.code, 2);
    QVERIFY2(lone.err.contains("--adversarial-steps and --adversarial-fraction need --adversarial EPS"),
             qPrintable(lone.err));
    const Run tooBig = cli(base + QStringList{"--adversarial", "1.5"});
    QCOMPARE(tooBig.code, 2);
    QVERIFY2(tooBig.err.contains("--adversarial"), qPrintable(tooBig.err));

    const Run r = cli({"robustness", "--model", model, "--data", data, "--eps", "0,0.1,0.3", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value("samples").toInt(), 80);
    QCOMPARE(o.value("attack").toString(), QString("FGSM L-inf, untargeted"));
    const QJsonArray acc = o.value("accuracy").toArray();
    QCOMPARE(acc.size(), 3);
    QVERIFY(acc[1].toDouble() <= acc[0].toDouble());
    QVERIFY(acc[2].toDouble() <= acc[1].toDouble());
    const Run text = cli({"robustness", "--model", model, "--data", data, "--eps", "0.05", "--steps", "5", "--norm", "l2"});
    QVERIFY2(text.code == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains("attack: PGD L2 (5 steps), untargeted"), qPrintable(text.out));
    QVERIFY2(text.out.contains("0.050    "), qPrintable(text.out));
    for (const QStringList& bad : {QStringList{"--eps", "0.1,abc"}, QStringList{"--norm", "l3"}}) {
        const Run e = cli(QStringList{"robustness", "--model", model, "--data", data} + bad);
        QCOMPARE(e.code, 2);
        QVERIFY2(e.err.contains(bad[0]), qPrintable(e.err));
    }
}

void TestCli::trainWithStylesAndOutliers()
{
    const QString data = m_dir.filePath("synthfixture");
    QDir().mkpath(data);
    writeFixture(data, "train", 300, 7);
    writeFixture(data, "t10k", 100, 8);
    const QString model = m_dir.filePath("synth.dpm");
    const QStringList base{"train", "--arch", "conv 4 5 stride=2 | relu | maxpool 2 | dense 10", "--epochs", "1",
                           "--data", data, "--out", model, "--threads", "2", "--val", "0"};
    const Run t = cli(base + QStringList{"--styles", "70", "--outliers", "50", "--outlier-batch", "8", "--synth-seed", "3"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    QVERIFY2(t.out.contains("synthetic: 70 digits in other styles (in the training images), 50 non-digits for outlier "
                            "exposure"),
             qPrintable(t.out));
    QVERIFY2(t.out.contains("370 training"), qPrintable(t.out));
    QVERIFY2(t.out.contains("non-digits 2.") || t.out.contains("non-digits 3."), qPrintable(t.out));  // >= log 10
    const Run info = cli({"info", model});
    QVERIFY2(info.out.contains("outliers_per_batch=8 outlier_weight=0.5"), qPrintable(info.out));
    QVERIFY2(info.out.contains("digit styles: 70 synthetic"), qPrintable(info.out));

    // Settings that cannot work are refused before anything is trained.
    const Run lone = cli(base + QStringList{"--outlier-batch", "8"});
    QCOMPARE(lone.code, 2);
    QVERIFY2(lone.err.contains("--outlier-batch, --outlier-weight, --outlier-loss and --energy-margins need --outliers N"), qPrintable(lone.err));
    const Run energy = cli(base + QStringList{"--outliers", "50", "--outlier-batch", "8", "--outlier-loss", "energy",
                                              "--energy-margins", "9:2.5", "--overwrite-diverged"});
    QVERIFY2(energy.code == 0, qPrintable(energy.err));
    QVERIFY2(energy.out.contains("outlier_weight=0.1 outlier_loss=energy energy_margins=9:2.5"), qPrintable(energy.out));
    QVERIFY2(cli({"info", model}).out.contains("outlier_loss=energy energy_margins=9:2.5"), qPrintable(cli({"info", model}).out));
    for (const auto& [args, message] :
         std::vector<std::pair<QStringList, QString>>{
             {{"--outliers", "10", "--outlier-loss", "hinge"}, "--outlier-loss: unknown kind 'hinge' (known: uniform, energy)"},
             {{"--outliers", "10", "--energy-margins", "9:2"}, "--energy-margins needs --outlier-loss energy"},
             {{"--outliers", "10", "--outlier-loss", "energy", "--energy-margins", "2:9"},
              "--energy-margins: '2:9' is not IN:OUT with two numbers, OUT below IN (e.g. 10:3)"},
             {{"--outliers", "10", "--outlier-loss", "energy", "--energy-margins", "9"},
              "--energy-margins: '9' is not IN:OUT with two numbers, OUT below IN (e.g. 10:3)"},
             {{"--outlier-loss", "energy"},
              "--outlier-batch, --outlier-weight, --outlier-loss and --energy-margins need --outliers N"}}) {
        const Run bad = cli(base + args);
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(message), qPrintable(bad.err));
    }
    const Run mse = cli(base + QStringList{"--outliers", "10", "--loss", "mse"});
    QCOMPARE(mse.code, 2);
    QVERIFY2(mse.err.contains("--outliers needs --loss ce"), qPrintable(mse.err));
    const Run seed = cli(base + QStringList{"--styles", "7", "--synth-seed", "-1"});
    QCOMPARE(seed.code, 2);
    QVERIFY2(seed.err.contains("--synth-seed: expected a non-negative whole number"), qPrintable(seed.err));
}

QTEST_MAIN(TestCli)
#include "test_cli.moc"
