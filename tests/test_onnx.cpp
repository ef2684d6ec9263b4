// ONNX export and import without any ONNX library (issue 18): every layer
// round-trips (export, import, the same logits), graphs written here the way
// torch.onnx.export writes them import to the DigitPad model they describe,
// and graphs DigitPad cannot run are refused naming the node, its op and what
// is supported. The files checked by ONNX itself and run by OpenCV are
// test_onnx_reference's; PyTorch's are test_onnx_torch's.
#include "onnx_builder.h"

#include <nn/errors.h>
#include <nn/model.h>
#include <nn/onnx.h>
#include <nn/serialize.h>

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using testonnx::OnnxGraph;
using testonnx::maxDiff;
using testonnx::ramp;
using testonnx::randomModel;
using nn::onnx::Writer;
namespace onnx = nn::onnx;

namespace {

std::vector<float> randomImages(int n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);  // DigitPad's input: ink in [0, 1]
    std::vector<float> x(std::size_t(n) * 784);
    for (float& v : x)
        v = u(rng);
    return x;
}

std::vector<float> logitsOf(const nn::Model& m, const std::vector<float>& x)
{
    std::vector<float> out(x.size() / 784 * std::size_t(m.outputs()));
    m.logits(x.data(), int(x.size() / 784), out.data());
    return out;
}

nn::Model import(const std::vector<std::uint8_t>& b, const std::string& name = "test.onnx")
{
    return nn::onnxToModel(b.data(), b.size(), name);
}

QString refusal(const std::vector<std::uint8_t>& b)
{
    try {
        import(b);
    } catch (const nn::FileError& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(imported)");
}

}  // namespace

class TestOnnx : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void softmaxOption();
    void exportIsAtomicAndNamed();
    void torchStyleMatMulAndShapeFlatten();
    void gemmAttributesAndEpsilonFold();
    void typedValueFieldsInFileOrder();
    void refusals_data();
    void refusals();
};

void TestOnnx::roundTrip_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("sameSpec");  // the imported spec reads the same (no implicit flatten or reshape)
    for (const nn::Model::Preset& p : nn::Model::presets())
        QTest::newRow(p.name) << QString::fromLatin1(p.spec) << true;
    QTest::newRow("every layer")
        << "conv 6 5 stride=2 pad=2 | batchnorm | sigmoid | maxpool 3 stride=2 | conv 8 3 pad=1 | tanh | "
           "maxpool 2 | flatten | dense 32 | batchnorm | relu | dropout 0.25 | dense 10"
        << false;
    QTest::newRow("conv after dense") << "dense 12 | relu | conv 10 1" << false;
    QTest::newRow("no dense") << "conv 4 3 | relu | maxpool 2 | conv 10 13" << false;
}

void TestOnnx::roundTrip()
{
    QFETCH(QString, spec);
    QFETCH(bool, sameSpec);
    nn::Model m = randomModel(spec.toStdString(), 7);
    m.metadata()["test_accuracy"] = "0.9912";
    m.metadata()["data"] = "MNIST, 60,000 images";
    const std::vector<std::uint8_t> bytes = nn::modelToOnnx(m);
    const nn::Model back = import(bytes, "/some/folder/round.onnx");
    if (sameSpec)
        QCOMPARE(QString::fromStdString(back.spec()), QString::fromStdString(m.spec()));
    QCOMPARE(back.params().size(), m.params().size());
    QCOMPARE(back.metadata().at("test_accuracy"), std::string("0.9912"));
    QCOMPARE(back.metadata().at("data"), std::string("MNIST, 60,000 images"));
    QCOMPARE(back.metadata().at("imported_from"), std::string("round.onnx"));
    QCOMPARE(back.metadata().at("onnx_producer"), std::string("DigitPad 1, opset 13"));
    QVERIFY(!back.metadata().count("digitpad_spec"));
    const std::vector<float> x = randomImages(40, 3);
    const float d = maxDiff(logitsOf(m, x), logitsOf(back, x));
    qInfo("%s: max |logit difference| %.3g", qPrintable(spec), double(d));
    QVERIFY2(d <= 1e-5f, qPrintable(QString::number(d)));
    // The imported model is an ordinary model: it saves as .dpm and loads again.
    const std::vector<std::uint8_t> dpm = nn::modelToBytes(back);
    const nn::Model again = nn::loadModelFromBytes(dpm.data(), dpm.size(), "again.dpm");
    QCOMPARE(again.params(), back.params());
}

void TestOnnx::softmaxOption()
{
    const nn::Model m = randomModel(nn::Model::presetSpec("lenet5"), 11);
    const std::vector<std::uint8_t> plain = nn::modelToOnnx(m);
    const std::vector<std::uint8_t> soft = nn::modelToOnnx(m, {true});
    QVERIFY(soft != plain);
    const onnx::ModelProto p = onnx::parseModel(soft.data(), soft.size(), "soft.onnx");
    QCOMPARE(p.graph.outputs.size(), std::size_t(1));
    QCOMPARE(p.graph.outputs[0].name, std::string("probabilities"));
    QCOMPARE(p.graph.nodes[p.graph.nodes.size() - 2].opType, std::string("Softmax"));
    QCOMPARE(p.opsets.at(0).version, std::int64_t(13));
    QCOMPARE(p.irVersion, std::int64_t(7));
    // Imported, the softmax is DigitPad's own: the same logits.
    const nn::Model back = import(soft);
    QCOMPARE(back.spec(), m.spec());
    const std::vector<float> x = randomImages(5, 4);
    QVERIFY(maxDiff(logitsOf(m, x), logitsOf(back, x)) <= 1e-5f);
}

void TestOnnx::exportIsAtomicAndNamed()
{
    QTemporaryDir dir;
    const nn::Model m = randomModel(nn::Model::presetSpec("mlp"), 2);
    const std::string path = (dir.path() + "/out.onnx").toStdString();
    nn::saveOnnx(m, path);
    const nn::Model back = nn::loadOnnx(path);
    QCOMPARE(back.params(), m.params());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"out.onnx"});  // no temporary left
    QVERIFY(nn::isOnnxPath("a/B.ONNX"));
    QVERIFY(!nn::isOnnxPath("model.dpm"));
    try {
        nn::saveOnnx(m, (dir.path() + "/missing/out.onnx").toStdString());
        QFAIL("saved into a folder that does not exist");
    } catch (const nn::FileError& e) {
        QVERIFY2(QString(e.what()).startsWith(dir.path() + "/missing/out.onnx: "), e.what());
    }
}

// What torch.onnx.export writes for
//   x = self.pool(F.relu(self.conv(x))); x = x.view(x.size(0), -1); x = x @ W + b; F.log_softmax(x, 1)
// at opset 11 (Unsqueeze with an axes attribute): the DigitPad model with the
// same weights gives the same logits.
void TestOnnx::torchStyleMatMulAndShapeFlatten()
{
    const nn::Model ref = randomModel("conv 4 3 pad=1 | relu | maxpool 2 | dense 10", 5);
    const float* p = ref.params().data();
    const auto& v = ref.paramViews();
    auto values = [&](int i) { return std::vector<float>(p + v[i].offset, p + v[i].offset + v[i].spec.size()); };
    const std::vector<float> w = values(2);  // 10 x 784 (out, in); MatMul wants in x out
    std::vector<float> wt(w.size());
    for (int o = 0; o < 10; ++o)
        for (int i = 0; i < 784; ++i)
            wt[std::size_t(i) * 10 + o] = w[std::size_t(o) * 784 + i];
    OnnxGraph g;
    g.opset = 11;
    g.init("conv.weight", {4, 1, 3, 3}, values(0)).init("conv.bias", {4}, values(1));
    g.init("fc.weight_t", {784, 10}, wt).init("fc.bias", {10}, values(3));
    g.node("Conv", "Conv_0", {"input", "conv.weight", "conv.bias"}, {"c"},
           {onnx::attrInts("kernel_shape", {3, 3}), onnx::attrInts("pads", {1, 1, 1, 1}), onnx::attrInts("strides", {1, 1})});
    g.node("Relu", "Relu_1", {"c"}, {"r"});
    g.node("MaxPool", "MaxPool_2", {"r"}, {"m"}, {onnx::attrInts("kernel_shape", {2, 2}), onnx::attrInts("strides", {2, 2})});
    g.node("Shape", "Shape_3", {"m"}, {"s"});
    Writer zero = onnx::int64TensorProto("", std::vector<std::int64_t>{}, std::vector<std::int64_t>{0});
    Writer zeroAttr;
    zeroAttr.string(1, "value");
    zeroAttr.message(5, zero);
    zeroAttr.int64(20, onnx::kAttrTensor);
    g.node("Constant", "Constant_4", {}, {"zero"}, {zeroAttr});
    g.node("Gather", "Gather_5", {"s", "zero"}, {"n"}, {onnx::attrInt("axis", 0)});
    g.node("Unsqueeze", "Unsqueeze_6", {"n"}, {"n1"}, {onnx::attrInts("axes", {0})});
    g.initInts("minus_one", {1}, {-1});
    g.node("Concat", "Concat_7", {"n1", "minus_one"}, {"shape"}, {onnx::attrInt("axis", 0)});
    g.node("Reshape", "Reshape_8", {"m", "shape"}, {"flat"});
    g.node("MatMul", "MatMul_9", {"flat", "fc.weight_t"}, {"mm"});
    g.node("Add", "Add_10", {"fc.bias", "mm"}, {"z"});
    g.node("LogSoftmax", "LogSoftmax_11", {"z"}, {"logits"}, {onnx::attrInt("axis", 1)});
    g.metadata = {{"trained_by", "a test"}};
    const nn::Model m = import(g.bytes());
    QCOMPARE(QString::fromStdString(m.spec()), QStringLiteral("conv 4 3 pad=1 | relu | maxpool 2 | dense 10"));
    QCOMPARE(m.metadata().at("trained_by"), std::string("a test"));
    QCOMPARE(m.metadata().at("onnx_producer"), std::string("test, opset 11"));
    const std::vector<float> x = randomImages(8, 9);
    const float d = maxDiff(logitsOf(ref, x), logitsOf(m, x));
    QVERIFY2(d <= 1e-5f, qPrintable(QString::number(d)));
}

// Gemm with transB=0, alpha and beta; BatchNormalization with epsilon 1e-3
// folded into the variance; Flatten; Dropout with a ratio input; Identity.
void TestOnnx::gemmAttributesAndEpsilonFold()
{
    OnnxGraph g;
    g.opset = 17;
    const std::vector<float> scale = ramp(784, 0.05f, 5), bias = ramp(784, 0.1f, 7);
    std::vector<float> var(784), mean = ramp(784, 0.2f, 3);
    for (std::size_t i = 0; i < var.size(); ++i)
        var[i] = 0.5f + 0.001f * float(i % 13);
    // BatchNormalization on N x 1 x 28 x 28 has one channel.
    g.init("bn.scale", {1}, {1.5f}).init("bn.bias", {1}, {0.25f}).init("bn.mean", {1}, {0.1f}).init("bn.var", {1}, {0.8f});
    g.init("fc.w", {784, 10}, ramp(7840, 0.003f, 23)).init("fc.b", {10}, ramp(10, 0.5f, 10));
    g.init("ratio", {}, {0.3f});
    g.node("BatchNormalization", "bn", {"input", "bn.scale", "bn.bias", "bn.mean", "bn.var"}, {"b"},
           {onnx::attrFloat("epsilon", 1e-3f)});
    g.node("Identity", "id", {"b"}, {"b2"});
    g.node("Flatten", "flat", {"b2"}, {"f"});
    g.node("Dropout", "drop", {"f", "ratio"}, {"d"});
    g.node("Gemm", "fc", {"d", "fc.w", "fc.b"}, {"logits"},
           {onnx::attrFloat("alpha", 2.0f), onnx::attrFloat("beta", 0.5f), onnx::attrInt("transB", 0)});
    const nn::Model m = import(g.bytes());
    QCOMPARE(QString::fromStdString(m.spec()), QStringLiteral("batchnorm | flatten | dropout 0.3 | dense 10"));
    // The same computation by hand.
    const std::vector<float> x = randomImages(3, 1);
    const std::vector<float> w = ramp(7840, 0.003f, 23), b = ramp(10, 0.5f, 10);
    std::vector<float> want(30);
    for (int n = 0; n < 3; ++n)
        for (int o = 0; o < 10; ++o) {
            double z = 0.5 * b[std::size_t(o)];
            for (int i = 0; i < 784; ++i) {
                const double xn = (x[std::size_t(n) * 784 + i] - 0.1) / std::sqrt(0.8 + 1e-3) * 1.5 + 0.25;
                z += 2.0 * xn * w[std::size_t(i) * 10 + o];
            }
            want[std::size_t(n) * 10 + o] = float(z);
        }
    const float d = maxDiff(logitsOf(m, x), want);
    QVERIFY2(d <= 1e-4f, qPrintable(QString::number(d)));
}

// Values in float_data rather than raw_data, as other writers store them:
// packed runs and single unpacked values mixed, the dims after the values,
// fields of other types in between. They are taken in the file's order
// (protobuf concatenates a repeated field), and one value too many is refused.
void TestOnnx::typedValueFieldsInFileOrder()
{
    const std::vector<float> w = ramp(160, 0.02f, 11), b = ramp(10, 0.3f, 10);
    const auto weights = [&](std::size_t count) {
        Writer t;
        t.int64(2, onnx::kFloat);
        t.string(8, "fc.w");
        const auto packed = [&](std::size_t from, std::size_t to) {
            std::vector<std::uint8_t> raw;
            for (std::size_t i = from; i < to; ++i) {
                std::uint32_t bits;
                std::memcpy(&bits, &w[i % w.size()], 4);
                for (int k = 0; k < 4; ++k)
                    raw.push_back(std::uint8_t(bits >> (8 * k)));
            }
            t.bytes(4, raw.data(), raw.size());
        };
        packed(0, 50);
        t.float32(4, w[50]);  // one unpacked value between two packed runs
        t.bytes(5, "\x01\x02\x03", 3);  // int32_data: not this tensor's type, skipped
        packed(51, count);
        t.packedInt64(1, {10, 16});  // the dims last
        return t;
    };
    const auto model = [&](std::size_t count) {
        Writer gr;
        gr.message(1, onnx::nodeProto("MaxPool", "pool", {"input"}, {"p"},
                                      {onnx::attrInts("kernel_shape", {7, 7}), onnx::attrInts("strides", {7, 7})}));
        gr.message(1, onnx::nodeProto("Flatten", "flat", {"p"}, {"f"}));
        gr.message(1, onnx::nodeProto("Gemm", "fc", {"f", "fc.w", "fc.b"}, {"logits"}, {onnx::attrInt("transB", 1)}));
        gr.string(2, "typed");
        gr.message(5, weights(count));
        gr.message(5, onnx::tensorProto("fc.b", {10}, b.data(), b.size()));
        gr.message(11, onnx::valueInfo("input", {-1, 1, 28, 28}));
        gr.message(12, onnx::valueInfo("logits", {-1, 10}));
        Writer o;
        o.string(1, "");
        o.int64(2, 13);
        Writer m;
        m.int64(1, 7);
        m.message(8, o);
        m.message(7, gr);
        return m.out();
    };
    const nn::Model m = import(model(160));
    QCOMPARE(QString::fromStdString(m.spec()), QStringLiteral("maxpool 7 | dense 10"));  // a Flatten before a Gemm is implied
    for (const auto& v : m.paramViews()) {
        const std::vector<float>& want = v.name.find("weight") != std::string::npos ? w : b;
        QCOMPARE(v.spec.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(m.params()[v.offset + i], want[i]);
    }
    QVERIFY2(refusal(model(161)).contains("tensor 'fc.w' has 110 values for a shape of 160"), qPrintable(refusal(model(161))));
    QVERIFY2(refusal(model(159)).contains("tensor 'fc.w' has 159 values, its shape 10x16 needs 160"),
             qPrintable(refusal(model(159))));
}

void TestOnnx::refusals_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("expected");
    const auto bytes = [](const OnnxGraph& g) {
        const auto b = g.bytes();
        return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
    };
    const auto fc = [](OnnxGraph g, const std::string& from, std::int64_t in = 784) {
        g.init("w", {10, in}, ramp(std::size_t(10 * in))).init("b", {10}, ramp(10));
        g.node("Flatten", "flat", {from}, {"f"});
        g.node("Gemm", "fc", {"f", "w", "b"}, {"logits"}, {onnx::attrInt("transB", 1)});
        return g;
    };
    {
        OnnxGraph g;
        g.node("LeakyRelu", "lrelu", {"input"}, {"a"});
        QTest::newRow("unsupported op") << bytes(fc(g, "a"))
                                        << "test.onnx: node 1 'lrelu' (op LeakyRelu) is not supported; DigitPad imports "
                                           "Conv, BatchNormalization, Relu, Sigmoid, Tanh, MaxPool, Flatten, Reshape (to N x "
                                           "features), Gemm, MatMul and Add (a bias after MatMul), Dropout, Identity, "
                                           "Softmax and LogSoftmax (last), and the Constant, Shape, Gather, Unsqueeze, "
                                           "Concat and Cast nodes of a flatten (at byte 20)";
    }
    {
        OnnxGraph g;
        g.inputDims = {1, 3, 32, 32};
        QTest::newRow("3x32x32 input") << bytes(fc(g, "input", 3072))
                                       << "test.onnx: the input 'input' is 1x3x32x32; DigitPad draws 1x28x28 images (input "
                                          "N x 1 x 28 x 28)";
    }
    {
        OnnxGraph g;
        g.init("w", {5, 784}, ramp(5 * 784)).init("b", {5}, ramp(5));
        g.node("Flatten", "flat", {"input"}, {"f"});
        g.node("Gemm", "fc", {"f", "w", "b"}, {"logits"}, {onnx::attrInt("transB", 1)});
        QTest::newRow("5 classes") << bytes(g) << "test.onnx: the network gives 5 outputs (5x1x1); DigitPad needs 10 class scores";
    }
    {
        OnnxGraph g;
        g.node("Relu", "r", {"input"}, {"a"});
        g.node("Add", "residual", {"a", "input"}, {"s"});
        QTest::newRow("branch") << bytes(fc(g, "s"))
                                << "test.onnx: node 2 'residual' (op Add) is not the bias of a MatMul; DigitPad supports "
                                   "Add only as the bias right after a MatMul (at byte 41)";
    }
    {
        OnnxGraph g;
        g.init("cw", {4, 1, 3, 3}, ramp(36));
        g.node("Conv", "conv", {"input", "cw"}, {"c"}, {onnx::attrInts("dilations", {2, 2})});
        QTest::newRow("dilated conv") << bytes(fc(g, "c", 4 * 24 * 24))
                                      << "test.onnx: node 1 'conv' (op Conv) has dilation 2; DigitPad supports dilation 1 "
                                         "(at byte 20)";
    }
    {
        OnnxGraph g;
        g.opset = 9;
        QTest::newRow("opset 9") << bytes(fc(g, "input"))
                                 << "test.onnx: opset 9 is not supported (DigitPad imports opsets 11 to 17)";
    }
    {
        OnnxGraph g;
        g.node("Softmax", "sm", {"input"}, {"p"});
        QTest::newRow("softmax not last") << bytes(fc(g, "p"))
                                          << "test.onnx: node 1 'sm' (op Softmax) is not over the class scores of an N x "
                                             "classes tensor; DigitPad takes a softmax over the classes at the end only "
                                             "(at byte 20)";
    }
    {
        OnnxGraph g;
        g.node("Reshape", "rs", {"input", "shape"}, {"r"});
        g.initInts("shape", {3}, {-1, 28, 28});
        QTest::newRow("reshape to 3-D") << bytes(fc(g, "r"))
                                        << "test.onnx: node 1 'rs' (op Reshape) reshapes 1x28x28 to -1x28x28; DigitPad "
                                           "supports a Reshape to N x 784 (a flatten) only (at byte 20)";
    }
    QTest::newRow("empty") << QByteArray() << "test.onnx: not a valid ONNX model: the file is empty";
    QTest::newRow("text") << QByteArray("hello world\n")
                          << "test.onnx: not a valid ONNX model: field 13 of a model has wire type 4 (groups and unknown types are not "
                             "protobuf 3) (at byte 2)";
    QTest::newRow("length past the end") << QByteArray::fromHex("3a ff 01 0a")
                                         << "test.onnx: not a valid ONNX model: a field of a model claims 255 bytes, only 1 "
                                            "remain (at byte 1)";
    QTest::newRow("group wire type") << QByteArray::fromHex("0b") << "test.onnx: not a valid ONNX model: field 1 of a model "
                                                                     "has wire type 3 (groups and unknown types are not "
                                                                     "protobuf 3) (at byte 0)";
    QTest::newRow("endless varint") << QByteArray::fromHex("08ffffffffffffffffffff01")
                                    << "test.onnx: not a valid ONNX model: a number is longer than 64 bits (at byte 1)";
    {
        // raw_data of 3 bytes for a 1-element float tensor, inside the graph.
        Writer t;
        t.packedInt64(1, {1});
        t.int64(2, onnx::kFloat);
        t.string(8, "w");
        t.bytes(9, "abc", 3);
        Writer gr;
        gr.message(5, t);
        Writer m;
        m.message(7, gr);
        const auto b = m.out();
        QTest::newRow("raw data of the wrong size")
            << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
            << "test.onnx: not a valid ONNX model: tensor 'w' has 3 bytes of raw data, its shape needs 4 (at byte 14)";
    }
    {
        Writer t;
        t.packedInt64(1, {1 << 20, 1 << 20});
        t.int64(2, onnx::kFloat);
        t.string(8, "huge");
        Writer gr;
        gr.message(5, t);
        Writer m;
        m.message(7, gr);
        const auto b = m.out();
        QTest::newRow("tensor claims 2^40 values")
            << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
            << "test.onnx: not a valid ONNX model: tensor 'huge' has more than 67108864 values (at byte 4)";
    }
}

void TestOnnx::refusals()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, expected);
    const std::vector<std::uint8_t> b(file.begin(), file.end());
    const QString got = refusal(b);
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestOnnx)
#include "test_onnx.moc"
