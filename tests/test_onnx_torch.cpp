// PyTorch's ONNX files in DigitPad (issue 18), where python3-torch is
// installed (otherwise skipped, exit 77, visible in ctest):
//  - exportedModelsImport: classifiers built and exported by torch.onnx.export
//    in this test (opsets 11, 13, 17; Conv, BatchNorm, Relu/Sigmoid/Tanh,
//    MaxPool, Flatten and x.view(x.size(0), -1), Linear and x @ W + b,
//    Dropout, Softmax/LogSoftmax) import, and DigitPad's probabilities equal
//    PyTorch's within 1e-4;
//  - torchrunProject (its own entry, needs MNIST too): the project of
//    `digitpad-cli export --torch` trains under torchrun --standalone
//    --nproc_per_node 2 on the CPU for 400 steps, its model.onnx imports,
//    reaches 95% on the MNIST test set in DigitPad, and DigitPad's logits
//    equal PyTorch's within 1e-4;
//  - projectSettingsRunInPyTorch: a project with the settings train.py
//    implements beyond Adam (RMSprop with momentum, L1, weight decay, a step
//    schedule with warm-up, the MNIST limit, augmentation) runs under plain
//    python3 on small IDX files written here: the step count shows the limit
//    and the batch were applied, the checkpoint's optimizer state is
//    RMSprop's, and DigitPad's logits of its model.onnx equal PyTorch's.
#include "fixtures.h"
#include "mnist_check.h"
#include "onnx_builder.h"

#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/onnx.h>
#include <nn/torch_project.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <random>

#define DIGITPAD_SKIP_WITHOUT_TORCH(message)                                         \
    do {                                                                             \
        const QString skipMessage_ = (message);                                      \
        if (qEnvironmentVariableIsSet("DIGITPAD_SKIP_EXIT_CODE")) {                  \
            std::printf("SKIP   : %s: %s\n", QTest::currentTestFunction(),           \
                        qPrintable(skipMessage_));                                   \
            std::fflush(stdout);                                                     \
            std::_Exit(qEnvironmentVariableIntValue("DIGITPAD_SKIP_EXIT_CODE"));     \
        }                                                                            \
        QSKIP(qPrintable(skipMessage_));                                             \
    } while (false)

using testonnx::maxDiff;

namespace {

// The Python that has torch: $DIGITPAD_PYTHON, else Debian's /usr/bin/python3
// (a python3 earlier on PATH, such as pyenv's, may not see Debian's packages).
QString torchPython()
{
    QStringList candidates;
    if (qEnvironmentVariableIsSet("DIGITPAD_PYTHON"))
        candidates << qEnvironmentVariable("DIGITPAD_PYTHON");
    candidates << QStringLiteral("/usr/bin/python3") << QStringLiteral("python3");
    for (const QString& py : candidates) {
        QProcess p;
        p.start(py, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return py;
    }
    return {};
}

std::vector<float> readFloats(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray b = f.readAll();
    std::vector<float> v(std::size_t(b.size()) / 4);
    std::memcpy(v.data(), b.constData(), v.size() * 4);
    return v;
}

QString mnistDir()
{
    QString dir = qEnvironmentVariable("DIGITPAD_DATA");
    return dir.isEmpty() ? QDir::homePath() + "/.local/share/DigitPad/mnist" : dir;
}

// Builds the model named by argv[1], exports it at opset argv[2] to argv[3],
// and writes 32 random images and PyTorch's probabilities for them.
const char* const kExportScript = R"PY(
import sys, torch, torch.nn as nn, torch.nn.functional as F
name, opset, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
torch.manual_seed(3)

class ViewMlp(nn.Module):  # x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat, Reshape
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 64), nn.Linear(64, 10)
    def forward(self, x):
        x = x.view(x.size(0), -1)
        return F.log_softmax(self.fc2(torch.tanh(self.fc1(x))), dim=1)

class MatMulNet(nn.Module):  # x @ W + b: MatMul and Add
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.w = nn.Parameter(torch.randn(4 * 14 * 14, 10) * 0.05)
        self.b = nn.Parameter(torch.randn(10))
    def forward(self, x):
        x = torch.sigmoid(self.conv(x))
        return torch.flatten(x, 1) @ self.w + self.b

models = {
    "cnn": lambda: nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 6 * 6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(32, 10), nn.Softmax(dim=1)),
    "view-mlp": ViewMlp,
    "matmul": MatMulNet,
}
m = models[name]()
with torch.no_grad():  # BatchNorm statistics away from 0 and 1
    for mod in m.modules():
        if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d)):
            mod.running_mean.uniform_(-0.3, 0.3)
            mod.running_var.uniform_(0.5, 1.5)
            mod.weight.uniform_(0.5, 1.5)
            mod.bias.uniform_(-0.3, 0.3)
m.eval()
x = torch.rand(32, 1, 28, 28)
torch.onnx.export(m, torch.zeros(1, 1, 28, 28), out, opset_version=opset, input_names=["input"],
                  output_names=["output"], dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
with torch.no_grad():
    y = m(x)
    p = y.exp() if name == "view-mlp" else (y if name == "cnn" else F.softmax(y, 1))
x.numpy().astype("<f4").tofile(out + ".x")
p.numpy().astype("<f4").tofile(out + ".p")
)PY";

}  // namespace

class TestOnnxTorch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exportedModelsImport_data();
    void exportedModelsImport();
    void torchrunProject();
    void projectSettingsRunInPyTorch();

private:
    QString m_python;
    QTemporaryDir m_dir;
};

void TestOnnxTorch::initTestCase()
{
    m_python = torchPython();
    QVERIFY(m_dir.isValid());
}

void TestOnnxTorch::exportedModelsImport_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("opset");
    QTest::addColumn<QString>("spec");
    // Eval-mode export folds each BatchNorm2d into its conv and drops the
    // dropout; BatchNorm1d stays a BatchNormalization node.
    const QString cnn = QStringLiteral(
        "conv 8 5 pad=2 | relu | maxpool 2 | conv 16 3 | relu | maxpool 2 | dense 32 | batchnorm | relu | dense 10");
    for (int opset : {11, 13, 17})
        QTest::newRow(qPrintable(QStringLiteral("cnn opset %1").arg(opset))) << "cnn" << opset << cnn;
    QTest::newRow("view-mlp opset 11") << "view-mlp" << 11 << "dense 64 | tanh | dense 10";
    QTest::newRow("view-mlp opset 14") << "view-mlp" << 14 << "dense 64 | tanh | dense 10";
    QTest::newRow("matmul opset 13") << "matmul" << 13 << "conv 4 3 stride=2 pad=1 | sigmoid | dense 10";
}

void TestOnnxTorch::exportedModelsImport()
{
    QFETCH(QString, model);
    QFETCH(int, opset);
    QFETCH(QString, spec);
    if (m_python.isEmpty())
        DIGITPAD_SKIP_WITHOUT_TORCH("PyTorch not found (install python3-torch, or set DIGITPAD_PYTHON)");
    const QString script = m_dir.filePath("export.py");
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kExportScript);
    }
    const QString out = m_dir.filePath(QStringLiteral("%1-%2.onnx").arg(model).arg(opset));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(m_python, {script, model, QString::number(opset), out});
    QVERIFY(p.waitForFinished(300000));
    QVERIFY2(p.exitCode() == 0, p.readAll().constData());

    const nn::Model m = nn::loadOnnx(out.toStdString());
    QCOMPARE(QString::fromStdString(m.spec()), spec);
    QVERIFY2(m.metadata().at("onnx_producer").find("opset " + std::to_string(opset)) != std::string::npos,
             m.metadata().at("onnx_producer").c_str());
    const std::vector<float> x = readFloats(out + ".x"), want = readFloats(out + ".p");
    QCOMPARE(x.size(), std::size_t(32 * 784));
    std::vector<float> probs(32 * 10);
    m.predict(x.data(), 32, probs.data());
    const float d = maxDiff(probs, want);
    qInfo("PyTorch vs DigitPad, %s at opset %d, 32 random images: max |probability difference| %.3g", qPrintable(model),
          opset, double(d));
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(double(d))));
}

void TestOnnxTorch::torchrunProject()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    if (m_python.isEmpty())
        DIGITPAD_SKIP_WITHOUT_TORCH("PyTorch not found (install python3-torch, or set DIGITPAD_PYTHON)");
    const QString data = mnistDir();
    if (!nn::mnistPresent(data.toStdString(), nn::Split::Train) || !nn::mnistPresent(data.toStdString(), nn::Split::Test))
        DIGITPAD_SKIP_WITHOUT_MNIST("MNIST not found in " + data + " (set DIGITPAD_DATA or run scripts/fetch-mnist)");

    nn::TorchProjectRequest r;
    r.spec = nn::Model::presetSpec("lenet5");
    r.config.batchSize = 64;
    r.config.epochs = 1;
    r.config.learningRate = 2e-3f;
    r.command = "test_onnx_torch";
    const QString dir = m_dir.filePath("project");
    nn::writeTorchProject(dir.toStdString(), r);

    QElapsedTimer timer;
    timer.start();
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(dir);
    // --redirects 1 --tee 1: Debian 12's torchrun (PyTorch 1.13, Python 3.11)
    // cannot parse its own default of 0 (see the project's README).
    p.start(m_python, {"-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--redirects", "1",
                       "--tee", "1", "train.py", "--data", data, "--out", "run", "--max-steps", "400", "--threads", "1"});
    QVERIFY(p.waitForFinished(1200000));
    const QByteArray log = p.readAll();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, log.constData());
    const double seconds = timer.elapsed() / 1000.0;

    const nn::Model m = nn::loadOnnx((dir + "/run/model.onnx").toStdString());
    QCOMPARE(m.spec(), r.spec);
    const nn::Dataset test = nn::Dataset::loadMnist(data.toStdString(), nn::Split::Test);
    const double accuracy = nn::computeMetrics(nn::evaluate(m, test)).accuracy;
    const std::vector<float> theirs = readFloats(dir + "/run/test_logits.f32");
    QCOMPARE(theirs.size(), std::size_t(1000 * 10));
    std::vector<float> x(1000 * 784), ours(1000 * 10);
    for (int i = 0; i < 1000; ++i)
        test.imageAsFloat(i, x.data() + std::size_t(i) * 784);
    m.logits(x.data(), 1000, ours.data());
    const float d = maxDiff(ours, theirs);
    qInfo("torchrun --standalone --nproc_per_node 2, lenet5, 400 steps of 64: %.0f s; DigitPad's MNIST test accuracy "
          "of its model.onnx %.2f%%; max |logit difference| to PyTorch on 1,000 test images %.3g",
          seconds, 100.0 * accuracy, double(d));
    QVERIFY2(accuracy >= 0.95, qPrintable(QString::number(accuracy)));
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(double(d))));
}

void TestOnnxTorch::projectSettingsRunInPyTorch()
{
    if (m_python.isEmpty())
        DIGITPAD_SKIP_WITHOUT_TORCH("PyTorch not found (install python3-torch, or set DIGITPAD_PYTHON)");
    // MNIST-format files: class k is a vertical bar at column 4 + 2k.
    const QString data = m_dir.filePath("bars");
    QVERIFY(QDir().mkpath(data));
    fixtures::writeBarIdx(data.toStdString(), "train", 800, 1);
    fixtures::writeBarIdx(data.toStdString(), "t10k", 200, 2);

    nn::TorchProjectRequest r;
    r.spec = "conv 4 5 pad=2 | relu | maxpool 2 | dense 10";
    r.config.epochs = 2;
    r.config.batchSize = 32;
    r.config.learningRate = 1e-3f;
    r.config.optimizer.kind = nn::OptimizerConfig::RMSprop;
    r.config.optimizer.momentum = 0.5f;
    r.config.optimizer.l1 = 1e-4f;
    r.config.optimizer.weightDecay = 1e-4f;
    r.config.schedule.kind = nn::ScheduleConfig::Step;
    r.config.schedule.stepEpochs = 1;
    r.config.schedule.warmupBatches = 5;
    r.config.augment = nn::AugmentParams::standard();
    r.config.seed = 9;
    r.mnistLimit = 500;  // 450 training images after the 10% validation split: 15 steps of 32 per epoch
    r.validationFraction = 0.1;
    const QString dir = m_dir.filePath("settings-project");
    nn::writeTorchProject(dir.toStdString(), r);

    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(dir);
    p.start(m_python, {"train.py", "--data", data, "--out", "run", "--dump-logits", "200", "--threads", "1"});
    QVERIFY(p.waitForFinished(600000));
    const QByteArray log = p.readAll();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, log.constData());
    QVERIFY2(log.contains("data: 450 training, 50 validation, 200 test images"), log.constData());

    QFile metricsFile(dir + "/run/metrics.json");
    QVERIFY(metricsFile.open(QIODevice::ReadOnly));
    const QJsonObject metrics = QJsonDocument::fromJson(metricsFile.readAll()).object();
    QCOMPARE(metrics.value("steps").toInt(), 30);

    QProcess state;
    state.setProcessChannelMode(QProcess::MergedChannels);
    state.start(m_python, {"-c", "import sys, torch; s = torch.load(sys.argv[1])['optimizer']; "
                                 "print(sorted(s['state'][0].keys()), s['param_groups'][0]['alpha'], "
                                 "s['param_groups'][0]['momentum'])",
                           dir + "/run/checkpoint.pt"});
    QVERIFY(state.waitForFinished(120000));
    const QByteArray stateText = state.readAll().trimmed();
    QVERIFY2(stateText.endsWith("['momentum_buffer', 'square_avg', 'step'] 0.899999976 0.5"), stateText.constData());

    const nn::Model m = nn::loadOnnx((dir + "/run/model.onnx").toStdString());
    QCOMPARE(m.spec(), r.spec);
    const nn::Dataset test = nn::Dataset::loadMnist(data.toStdString(), nn::Split::Test);
    std::vector<float> x(200 * 784), ours(200 * 10);
    for (int i = 0; i < 200; ++i)
        test.imageAsFloat(i, x.data() + std::size_t(i) * 784);
    m.logits(x.data(), 200, ours.data());
    const float d = maxDiff(ours, readFloats(dir + "/run/test_logits.f32"));
    qInfo("RMSprop + L1 + step schedule project, 30 steps under python3: max |logit difference| to PyTorch %.3g",
          double(d));
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(double(d))));
}

QTEST_GUILESS_MAIN(TestOnnxTorch)
#include "test_onnx_torch.moc"
