// digitpad-cli export run as a process (issue 18): --onnx writes a file that
// predict --model reads back with the same answers as the .dpm it came from;
// --torch writes the PyTorch project with the options given; bad input (a
// missing or unreadable --model, a folder where a file is wanted, a folder
// that is not empty, options that do not go together) gets a message naming
// the file or option, a non-zero exit and no file left behind.
#include "cli_process.h"

#include <nn/model.h>
#include <nn/serialize.h>

#include <QtTest>

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>

#include <sys/stat.h>

namespace {

using Run = CliRun;

Run cli(const QStringList& args, const QString& workDir) { return runCli(args, {}, workDir, 120000); }

QString describe(const Run& r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out, r.err);
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// Everything under `dir`, relative, sorted: what a failed command must not change.
QStringList listing(const QString& dir)
{
    QStringList names;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        names << QDir(dir).relativeFilePath(it.next());
    names.sort();
    return names;
}

// How the project's CONFIG spells a float setting (nn/torch_project.cpp: %.9g of the float).
QString configNumber(double v) { return QString::number(double(float(v)), 'g', 9); }

void drawDigits(const QString& dir)
{
    QImage one(120, 120, QImage::Format_RGB32);
    one.fill(Qt::white);
    {
        QPainter p(&one);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::black, 9, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(62, 18), QPointF(56, 102));
    }
    QVERIFY(one.save(dir + "/one.png"));
    QImage zero(120, 120, QImage::Format_RGB32);
    zero.fill(Qt::black);
    {
        QPainter p(&zero);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::white, 10));
        p.drawEllipse(QRectF(36, 18, 48, 84));
    }
    QVERIFY(zero.save(dir + "/zero.png"));
}

}  // namespace

class TestCliExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void onnxPredictsAsTheDpm();
    void torchProjectCarriesTheOptions();
    void torchProjectFromAModelsArchitecture();
    void forceReplacesOnlyTheProjectFiles();
    void badInputIsRefused_data();
    void badInputIsRefused();

private:
    QTemporaryDir m_dir;
    QString m_dpm;
};

void TestCliExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A model of its own (seeded He initialisation, not the default model),
    // with a batchnorm and a dropout so that every kind of node is read back.
    nn::Model m = nn::Model::fromSpec("conv 6 5 pad=2 | relu | maxpool 2 | batchnorm | dense 32 | tanh | dropout 0.2 | dense 10");
    m.metadata()["note"] = "test_cli_export";
    m_dpm = m_dir.filePath("mine.dpm");
    nn::saveModel(m, m_dpm.toStdString());
    drawDigits(m_dir.path());
}

// export --onnx, then predict --model file.onnx: the same CSV (digit and all
// ten probabilities as printed) as predict --model file.dpm.
void TestCliExport::onnxPredictsAsTheDpm()
{
    const QString work = m_dir.path();
    const Run e = cli({"export", "--onnx", "mine.onnx", "--model", m_dpm}, work);
    QVERIFY2(e.code == 0, qPrintable(describe(e)));
    QVERIFY2(e.out.contains("saved mine.onnx (ONNX opset 13"), qPrintable(e.out));
    QVERIFY(QFileInfo(work + "/mine.onnx").size() > 1000);

    const Run fromDpm = cli({"predict", "--csv", "--model", m_dpm, "one.png", "zero.png"}, work);
    const Run fromOnnx = cli({"predict", "--csv", "--model", "mine.onnx", "one.png", "zero.png"}, work);
    QVERIFY2(fromDpm.code == 0, qPrintable(describe(fromDpm)));
    QVERIFY2(fromOnnx.code == 0, qPrintable(describe(fromOnnx)));
    QCOMPARE(fromOnnx.out.split('\n').size(), 4);  // header, two rows, the final newline
    QCOMPARE(fromOnnx.out, fromDpm.out);

    // --softmax: the file's output is probabilities; DigitPad reads it to the same answers.
    const Run s = cli({"export", "--onnx", "soft.onnx", "--model", m_dpm, "--softmax"}, work);
    QVERIFY2(s.code == 0 && s.out.contains("output probabilities"), qPrintable(describe(s)));
    const Run fromSoft = cli({"predict", "--csv", "--model", "soft.onnx", "one.png", "zero.png"}, work);
    QCOMPARE(fromSoft.out, fromDpm.out);

    // Without --model: the embedded default model.
    const Run d = cli({"export", "--onnx", "default.onnx"}, work);
    QVERIFY2(d.code == 0, qPrintable(describe(d)));
    const Run defaultDpm = cli({"predict", "--csv", "one.png", "zero.png"}, work);
    const Run defaultOnnx = cli({"predict", "--csv", "--model", "default.onnx", "one.png", "zero.png"}, work);
    QCOMPARE(defaultOnnx.out, defaultDpm.out);
}

void TestCliExport::torchProjectCarriesTheOptions()
{
    const QString work = m_dir.path();
    const Run r = cli({"export", "--torch", "job", "--preset", "lenet5", "--epochs", "3", "--batch", "128", "--lr", "0.005",
                       "--optimizer", "rmsprop", "--rho", "0.95", "--momentum", "0.5", "--l1", "0.0001",
                       "--weight-decay", "0.0002", "--schedule", "step", "--step-epochs", "2", "--gamma", "0.25",
                       "--augment", "rot=7,shift=1.5", "--seed", "77", "--limit", "5000", "--val", "0.2",
                       "--patience", "2"},
                      work);
    QVERIFY2(r.code == 0, qPrintable(describe(r)));
    QCOMPARE(listing(work + "/job"), (QStringList{"README.md", "train.py"}));
    for (const QString& name : listing(work))
        QVERIFY2(!name.contains(".tmp-"), qPrintable(name));  // the temporary folder is gone

    const QString py = readText(work + "/job/train.py");
    const QString spec = QString::fromStdString(nn::Model::presetSpec("lenet5"));
    for (const QString& want :
         {QString("\"spec\": \"%1\"").arg(spec), QString("\"epochs\": 3,"), QString("\"batch\": 128,"),
          QString("\"lr\": %1,").arg(configNumber(0.005)), QString("\"optimizer\": \"rmsprop\""),
          QString("\"rho\": %1,").arg(configNumber(0.95)), QString("\"momentum\": 0.5,"),
          QString("\"l1\": %1,").arg(configNumber(0.0001)), QString("\"weight_decay\": %1,").arg(configNumber(0.0002)),
          QString("\"schedule\": \"step\""), QString("\"step_epochs\": 2,"), QString("\"gamma\": 0.25,"),
          QString("\"seed\": 77,"), QString("\"limit\": 5000,"), QString("\"val\": 0.2,"),
          QString("\"patience\": 2,"), QString("\"rotation_deg\": 7,"), QString("\"shift_px\": 1.5,"),
          QString("torch.optim.RMSprop(groups"), QString("nn.Conv2d(1, 6, 5, stride=1, padding=0)")})
        QVERIFY2(py.contains(want), qPrintable(want));
    QVERIFY(readText(work + "/job/README.md").contains("digitpad-cli export --torch job --preset lenet5"));

    // The message says how to run it and how the result comes back.
    QVERIFY2(r.out.contains("run: cd job && torchrun --standalone --nproc_per_node 2 --redirects 1 --tee 1 train.py --data "),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("File > Open Model, or digitpad-cli eval --model job/run/model.onnx"), qPrintable(r.out));

    // train.py is Python that parses.
    const QString python = QStandardPaths::findExecutable("python3", {"/usr/bin", "/bin"});
    QVERIFY2(!python.isEmpty(), "no python3 in /usr/bin");
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python, {"-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", work + "/job/train.py"});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAll().constData());
}

void TestCliExport::torchProjectFromAModelsArchitecture()
{
    const QString work = m_dir.path();
    QVERIFY(QDir(work).mkdir("empty"));  // an empty folder is fine
    const Run r = cli({"export", "--torch", "empty", "--model", m_dpm, "--epochs", "2"}, work);
    QVERIFY2(r.code == 0, qPrintable(describe(r)));
    QVERIFY2(r.out.contains("model: from " + m_dpm), qPrintable(r.out));
    const QString py = readText(work + "/empty/train.py");
    QVERIFY(py.contains(QString("\"spec\": \"%1\"").arg(QString::fromStdString(nn::loadModel(m_dpm.toStdString()).spec()))));
    QVERIFY(py.contains("nn.BatchNorm2d(6, eps=1e-5, momentum=0.1)"));
    QVERIFY(py.contains("nn.Dropout(0.2"));
}

void TestCliExport::forceReplacesOnlyTheProjectFiles()
{
    const QString work = m_dir.path();
    const QString dir = work + "/again";
    QVERIFY(QDir().mkpath(dir + "/run"));
    writeText(dir + "/notes.txt", "mine");
    writeText(dir + "/run/checkpoint.pt", "weights");
    writeText(dir + "/train.py", "old");

    const Run refused = cli({"export", "--torch", "again", "--epochs", "4"}, work);
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains("again: the folder is not empty (it holds 'notes.txt', 'run' and 'train.py')"),
             qPrintable(refused.err));
    QVERIFY2(refused.err.contains("--force"), qPrintable(refused.err));
    QCOMPARE(readText(dir + "/train.py"), QStringLiteral("old"));

    const Run forced = cli({"export", "--torch", "again", "--epochs", "4", "--force"}, work);
    QVERIFY2(forced.code == 0, qPrintable(describe(forced)));
    QVERIFY(readText(dir + "/train.py").contains("\"epochs\": 4,"));
    QCOMPARE(readText(dir + "/notes.txt"), QStringLiteral("mine"));
    QCOMPARE(readText(dir + "/run/checkpoint.pt"), QStringLiteral("weights"));
    QCOMPARE(listing(dir), (QStringList{"README.md", "notes.txt", "run", "run/checkpoint.pt", "train.py"}));
}

void TestCliExport::badInputIsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");  // in stderr
    QTest::addColumn<QString>("target");   // must not exist afterwards (relative to the work folder)

    // Usage mistakes: exit 2.
    QTest::newRow("neither") << QStringList{"export", "--model", "mine.dpm"} << 2
                             << "give one of --onnx FILE and --torch DIR" << "";
    QTest::newRow("both") << QStringList{"export", "--onnx", "out.onnx", "--torch", "proj"} << 2
                          << "give one of --onnx FILE and --torch DIR" << "out.onnx";
    QTest::newRow("training options with --onnx") << QStringList{"export", "--onnx", "out.onnx", "--epochs", "3"} << 2
                                                  << "the training options are for --torch" << "out.onnx";
    QTest::newRow("--force with --onnx") << QStringList{"export", "--onnx", "out.onnx", "--force"} << 2
                                         << "--force applies to --torch" << "out.onnx";
    QTest::newRow("--softmax with --torch") << QStringList{"export", "--torch", "proj", "--softmax"} << 2
                                            << "--softmax applies to --onnx" << "proj";
    QTest::newRow("--model and --preset") << QStringList{"export", "--torch", "proj", "--model", "mine.dpm", "--preset", "mlp"}
                                          << 2 << "--model or with --arch/--preset, not both" << "proj";
    QTest::newRow("--styles") << QStringList{"export", "--torch", "proj", "--styles", "100"} << 2
                              << "cannot reproduce the synthetic digits in other styles (--styles)" << "proj";
    QTest::newRow("--outliers") << QStringList{"export", "--torch", "proj", "--outliers", "100"} << 2
                                << "cannot reproduce outlier exposure with synthetic non-digits (--outliers)" << "proj";
    QTest::newRow("--init-from") << QStringList{"export", "--torch", "proj", "--init-from", "mine.dpm"} << 2
                                 << "Unknown option 'init-from'" << "proj";
    QTest::newRow("--data") << QStringList{"export", "--torch", "proj", "--data", "."} << 2 << "Unknown option 'data'"
                            << "proj";
    QTest::newRow("not ten classes") << QStringList{"export", "--torch", "proj", "--arch", "dense 32 | relu | dense 5"}
                                     << 2 << "--arch:" << "proj";
    QTest::newRow("empty --torch") << QStringList{"export", "--torch", ""} << 2 << "--torch: empty folder name" << "";

    // Files: exit 1, the message names the file.
    QTest::newRow("missing --model") << QStringList{"export", "--onnx", "out.onnx", "--model", "nosuch.dpm"} << 1
                                     << "nosuch.dpm: cannot open: No such file or directory" << "out.onnx";
    QTest::newRow("--model is not a model") << QStringList{"export", "--onnx", "out.onnx", "--model", "junk.dpm"} << 1
                                            << "junk.dpm:" << "out.onnx";
    QTest::newRow("--model is a folder") << QStringList{"export", "--onnx", "out.onnx", "--model", "adir"} << 1
                                         << "adir: is a directory" << "out.onnx";
    QTest::newRow("--model is a FIFO") << QStringList{"export", "--onnx", "out.onnx", "--model", "fifo.dpm"} << 1
                                       << "fifo.dpm: is a named pipe (FIFO), not a regular file" << "out.onnx";
    QTest::newRow("--torch --model missing") << QStringList{"export", "--torch", "proj", "--model", "nosuch.dpm"} << 1
                                             << "nosuch.dpm: cannot open" << "proj";
    QTest::newRow("--onnx is a folder") << QStringList{"export", "--onnx", "adir", "--model", "mine.dpm"} << 1
                                        << "adir: is a directory; give a file name" << "";
    QTest::newRow("--onnx ends with /") << QStringList{"export", "--onnx", "newdir/", "--model", "mine.dpm"} << 1
                                        << "newdir/: ends with '/'" << "newdir";
    QTest::newRow("--onnx in a missing folder") << QStringList{"export", "--onnx", "nowhere/out.onnx"} << 1
                                                << "nowhere/out.onnx:" << "nowhere";
    QTest::newRow("--torch is a file") << QStringList{"export", "--torch", "junk.dpm"} << 1
                                       << "junk.dpm: is a file, not a folder" << "";
    QTest::newRow("--torch is not empty") << QStringList{"export", "--torch", "full"} << 1
                                          << "full: the folder is not empty (it holds 'keep.txt')" << "full/train.py";
}

void TestCliExport::badInputIsRefused()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QString, target);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString work = dir.path();
    QVERIFY(QFile::copy(m_dpm, work + "/mine.dpm"));
    writeText(work + "/junk.dpm", "this is not a model file");
    QVERIFY(QDir(work).mkdir("adir"));
    QVERIFY(QDir(work).mkdir("full"));
    writeText(work + "/full/keep.txt", "keep");
    QVERIFY(::mkfifo((work + "/fifo.dpm").toLocal8Bit().constData(), 0600) == 0);
    const QStringList before = listing(work);

    const Run r = cli(args, work);
    QVERIFY2(r.code == code, qPrintable(describe(r)));
    QVERIFY2(r.err.contains(message), qPrintable(describe(r)));
    QVERIFY2(r.err.startsWith("digitpad-cli: "), qPrintable(r.err));
    if (!target.isEmpty())
        QVERIFY2(!QFileInfo::exists(work + "/" + target), qPrintable(target));
    // Nothing written, nothing half-written: the folder is as it was.
    QCOMPARE(listing(work), before);
}

QTEST_GUILESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
