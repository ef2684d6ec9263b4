// The exported ONNX files against ONNX's own tools and another runtime
// (issue 18): onnx::checker::check_model and strict shape inference accept
// every exported model and infer the shapes DigitPad computes, and OpenCV's
// dnn module (cv::dnn::readNetFromONNX) gives the logits of DigitPad's own
// forward pass within 1e-4: on random images for every layer, and on 1,000
// MNIST test images for the default model (mnistAgreesWithOpenCv, its own
// ctest entry, skipped without MNIST).
#include "mnist_check.h"
#include "onnx_builder.h"

#include <nn/data/dataset.h>
#include <nn/model.h>
#include <nn/onnx.h>
#include <nn/serialize.h>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <QtTest>

#include <random>

using testonnx::maxDiff;
using testonnx::randomModel;

namespace {

const char* const kSpecs[] = {
    "dense 256 | relu | dense 128 | relu | dense 10",
    "conv 6 5 | relu | maxpool 2 | conv 16 5 | relu | maxpool 2 | dense 120 | relu | dense 84 | relu | dense 10",
    "conv 32 5 pad=2 | batchnorm | relu | maxpool 2 | conv 64 5 pad=2 | batchnorm | relu | maxpool 2 | dense 128 | "
    "relu | dropout 0.4 | dense 10",
    "conv 6 5 stride=2 pad=2 | batchnorm | sigmoid | maxpool 3 stride=2 | conv 8 3 pad=1 | tanh | maxpool 2 | "
    "flatten | dense 32 | batchnorm | relu | dropout 0.25 | dense 10",
    "dense 12 | relu | conv 10 1",
};

// OpenCV's logits for n images (n x 784 floats in [0, 1]).
std::vector<float> openCvLogits(const std::vector<std::uint8_t>& onnxBytes, const float* x, int n)
{
    cv::dnn::Net net = cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(onnxBytes.data()), onnxBytes.size());
    const int dims[4] = {n, 1, 28, 28};
    cv::Mat blob(4, dims, CV_32F, const_cast<float*>(x));
    net.setInput(blob);
    cv::Mat out = net.forward();
    out = out.reshape(1, n);
    std::vector<float> v(out.total());
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < out.cols; ++k)
            v[std::size_t(i) * std::size_t(out.cols) + std::size_t(k)] = out.at<float>(i, k);
    return v;
}

std::string shapeText(const onnx::TypeProto& t)
{
    std::string s;
    for (const auto& d : t.tensor_type().shape().dim())
        s += (s.empty() ? "" : "x") + (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
    return s;
}

}  // namespace

class TestOnnxReference : public QObject {
    Q_OBJECT

private slots:
    void checkerAndShapeInference_data();
    void checkerAndShapeInference();
    void openCvAgrees_data();
    void openCvAgrees();
    void mnistAgreesWithOpenCv();
};

void TestOnnxReference::checkerAndShapeInference_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("softmax");
    for (const char* s : kSpecs) {
        QTest::newRow(s) << QString::fromLatin1(s) << false;
        QTest::newRow((std::string(s) + " + softmax").c_str()) << QString::fromLatin1(s) << true;
    }
}

void TestOnnxReference::checkerAndShapeInference()
{
    QFETCH(QString, spec);
    QFETCH(bool, softmax);
    nn::Model m = randomModel(spec.toStdString(), 3);
    m.metadata()["test_accuracy"] = "0.99";
    const std::vector<std::uint8_t> bytes = nn::modelToOnnx(m, {softmax});
    onnx::ModelProto proto;
    QVERIFY(proto.ParseFromArray(bytes.data(), int(bytes.size())));
    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("check_model: %1").arg(e.what())));
    }
    QCOMPARE(proto.opset_import(0).version(), std::int64_t(13));
    bool found = false;
    for (const auto& kv : proto.metadata_props())
        found = found || (kv.key() == "test_accuracy" && kv.value() == "0.99");
    QVERIFY(found);
    // Strict: a node whose inferred shape disagrees with what is declared throws.
    try {
        onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("InferShapes: %1").arg(e.what())));
    }
    // Every node's output got an inferred shape; the layers' agree with DigitPad's.
    std::map<std::string, std::string> inferred;
    for (const auto& v : proto.graph().value_info())
        inferred[v.name()] = shapeText(v.type());
    // The batch dimension stays symbolic or becomes unknown (Flatten's inference
    // does not multiply symbols); the others are DigitPad's shapes, N x C x H x W
    // until a dense layer or flatten, N x features after one.
    const auto layers = m.layerInfo();
    int checked = 0;
    bool flat = false;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string kind = layers[i].spec.substr(0, layers[i].spec.find(' '));
        if (kind == "dense" || kind == "flatten")
            flat = true;
        else if (kind == "conv" || kind == "maxpool")
            flat = false;
        const auto it = inferred.find(std::to_string(i) + "_" + kind + "_out");
        QVERIFY2(it != inferred.end(), layers[i].spec.c_str());
        const nn::Shape3 s = layers[i].output;
        const std::string want = flat ? std::to_string(s.size())
                                      : std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
        const std::string& got = it->second;
        const std::size_t x = got.find('x');
        // (a Reshape to -1 x ... names it afresh, "unk__0")
        QVERIFY2(x != std::string::npos && (got.substr(0, x) == "N" || x == 0 || got.rfind("unk__", 0) == 0),
                 got.c_str());
        QCOMPARE(QString::fromStdString(got.substr(x + 1)), QString::fromStdString(want));
        ++checked;
    }
    QCOMPARE(checked, int(layers.size()));
}

void TestOnnxReference::openCvAgrees_data()
{
    QTest::addColumn<QString>("spec");
    for (const char* s : kSpecs)
        QTest::newRow(s) << QString::fromLatin1(s);
}

void TestOnnxReference::openCvAgrees()
{
    QFETCH(QString, spec);
    const nn::Model m = randomModel(spec.toStdString(), 5);
    std::mt19937 rng(8);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    const int n = 64;
    std::vector<float> x(std::size_t(n) * 784);
    for (float& v : x)
        v = u(rng);
    std::vector<float> ours(std::size_t(n) * 10);
    m.logits(x.data(), n, ours.data());
    const std::vector<float> theirs = openCvLogits(nn::modelToOnnx(m), x.data(), n);
    const float d = maxDiff(ours, theirs);
    qInfo("OpenCV vs DigitPad, %d random images, %s: max |logit difference| %.3g", n, qPrintable(spec), double(d));
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(double(d))));
    // With the Softmax at the end, the probabilities.
    std::vector<float> probs(std::size_t(n) * 10);
    m.predict(x.data(), n, probs.data());
    const float dp = maxDiff(probs, openCvLogits(nn::modelToOnnx(m, {true}), x.data(), n));
    QVERIFY2(dp <= 1e-5f, qPrintable(QString::number(double(dp))));
}

void TestOnnxReference::mnistAgreesWithOpenCv()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    QString dir = qEnvironmentVariable("DIGITPAD_DATA");
    if (dir.isEmpty())
        dir = QDir::homePath() + "/.local/share/DigitPad/mnist";
    if (!nn::mnistPresent(dir.toStdString(), nn::Split::Test))
        DIGITPAD_SKIP_WITHOUT_MNIST("MNIST test set not found in " + dir + " (set DIGITPAD_DATA or run scripts/fetch-mnist)");
    const nn::Dataset test = nn::Dataset::loadMnist(dir.toStdString(), nn::Split::Test);
    const nn::Model m = nn::loadModel(DIGITPAD_SOURCE_DIR "/resources/models/default.dpm");
    const int n = 1000;
    std::vector<float> x(std::size_t(n) * 784);
    for (int i = 0; i < n; ++i)
        test.imageAsFloat(i, x.data() + std::size_t(i) * 784);
    std::vector<float> ours(std::size_t(n) * 10);
    m.logits(x.data(), n, ours.data());
    const std::vector<float> theirs = openCvLogits(nn::modelToOnnx(m), x.data(), n);
    const float d = maxDiff(ours, theirs);
    int agree = 0, correct = 0;
    for (int i = 0; i < n; ++i) {
        const auto a = ours.cbegin() + i * 10, b = theirs.cbegin() + i * 10;
        const long pa = std::max_element(a, a + 10) - a, pb = std::max_element(b, b + 10) - b;
        agree += pa == pb;
        correct += pa == test.labels[std::size_t(i)];
    }
    qInfo("OpenCV vs DigitPad, default model, %d MNIST test images: max |logit difference| %.3g, same class %d/%d, "
          "accuracy %.1f%%",
          n, double(d), agree, n, 100.0 * correct / n);
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(double(d))));
    QCOMPARE(agree, n);
}

QTEST_GUILESS_MAIN(TestOnnxReference)
#include "test_onnx_reference.moc"
