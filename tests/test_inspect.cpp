// The layer inspector's engine (nn/inspect.h): every layer's output for one
// input, checked against values computed here by hand (convolution, relu,
// pooling, dense) and against Model::logits (the fused inference path);
// receptive fields on the default CNN's geometry, worked out by hand; the
// kernels; the images that excite each channel most, against brute force.
#include "fixtures.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/inspect.h>
#include <nn/model.h>
#include <nn/serialize.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace {

const float* param(const nn::Model& m, const std::string& name)
{
    for (const nn::ParamView& v : m.paramViews())
        if (v.name == name)
            return m.params().data() + v.offset;
    qFatal("no parameter %s", name.c_str());
    return nullptr;
}

// A stroke-like input: a ring and a bar, not symmetric.
std::vector<float> drawing(int variant)
{
    std::vector<float> x(28 * 28, 0.0f);
    for (int y = 0; y < 28; ++y)
        for (int c = 0; c < 28; ++c) {
            const float r = std::hypot(float(y) - 12.0f - float(variant), float(c) - 14.0f);
            if (std::abs(r - 7.0f) < 1.6f || (c == 18 + variant && y > 14))
                x[std::size_t(y) * 28 + c] = 1.0f - 0.1f * float(variant);
        }
    return x;
}

std::string defaultModelPath() { return std::string(DIGITPAD_SOURCE_DIR) + "/resources/models/default.dpm"; }

}  // namespace

class TestInspect : public QObject {
    Q_OBJECT
private slots:
    void layersByHand();
    void lastLayerIsTheModelsLogits();
    void receptiveFieldsOfTheDefaultCnn();
    void receptiveFieldThroughFlatten();
    void badUnitsAreRefused();
    void kernels();
    void exemplarsAgreeWithBruteForce();
    void exemplarsStop();
};

// conv 2 3 pad=1 | relu | maxpool 2 | dense 3 on a 1x6x6 input.
void TestInspect::layersByHand()
{
    nn::Model m = nn::Model::fromSpec("conv 2 3 pad=1 | relu | maxpool 2 | dense 3", {1, 6, 6}, 3);
    m.initialize(7);
    std::vector<float> x(36);
    for (int i = 0; i < 36; ++i)
        x[std::size_t(i)] = float((i * 7) % 11) / 10.0f - 0.3f;
    nn::LayerTracer tracer(m);
    const auto& t = tracer.trace(x.data());
    QCOMPARE(t.size(), std::size_t(4));
    QCOMPARE(t[0].kind, std::string("conv"));
    QCOMPARE(t[0].spec, std::string("conv 2 3 pad=1"));
    QVERIFY(t[0].shape == (nn::Shape3{2, 6, 6}));
    QCOMPARE(t[0].params, std::size_t(2 * 9 + 2));
    QVERIFY(t[2].shape == (nn::Shape3{2, 3, 3}));
    QVERIFY(t[3].shape == (nn::Shape3{3, 1, 1}));
    QVERIFY(!t[3].spatial());

    const float* w = param(m, "0.conv.weight");
    const float* b = param(m, "0.conv.bias");
    for (int c = 0; c < 2; ++c)
        for (int y = 0; y < 6; ++y)
            for (int xx = 0; xx < 6; ++xx) {
                double s = b[c];
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int yy = y + dy, xc = xx + dx;
                        if (yy >= 0 && yy < 6 && xc >= 0 && xc < 6)
                            s += double(w[c * 9 + (dy + 1) * 3 + (dx + 1)]) * x[std::size_t(yy * 6 + xc)];
                    }
                QVERIFY2(std::abs(t[0].at(c, y, xx) - s) < 1e-5, qPrintable(QString("conv %1 %2 %3").arg(c).arg(y).arg(xx)));
                QCOMPARE(t[1].at(c, y, xx), std::max(t[0].at(c, y, xx), 0.0f));
            }
    for (int c = 0; c < 2; ++c)
        for (int y = 0; y < 3; ++y)
            for (int xx = 0; xx < 3; ++xx) {
                const float mx = std::max({t[1].at(c, 2 * y, 2 * xx), t[1].at(c, 2 * y, 2 * xx + 1),
                                           t[1].at(c, 2 * y + 1, 2 * xx), t[1].at(c, 2 * y + 1, 2 * xx + 1)});
                QCOMPARE(t[2].at(c, y, xx), mx);
            }
    const float* dw = param(m, "3.dense.weight");
    const float* db = param(m, "3.dense.bias");
    for (int k = 0; k < 3; ++k) {
        double s = db[k];
        for (int i = 0; i < 18; ++i)
            s += double(dw[k * 18 + i]) * t[2].values[std::size_t(i)];
        QVERIFY(std::abs(t[3].values[std::size_t(k)] - s) < 1e-5);
    }
    const auto [lo, hi] = std::minmax_element(t[0].values.begin(), t[0].values.end());
    QCOMPARE(t[0].min, *lo);
    QCOMPARE(t[0].max, *hi);
    QVERIFY(t[1].min >= 0.0f);
}

// The inspector's layer-by-layer pass ends where the fused inference path
// ends: the same logits (batchnorm with running statistics, dropout off).
void TestInspect::lastLayerIsTheModelsLogits()
{
    const nn::Model m = nn::loadModel(defaultModelPath());
    nn::LayerTracer tracer(m);
    QVERIFY(tracer.layers() >= 10);
    for (int v = 0; v < 3; ++v) {
        const auto x = drawing(v);
        const auto& t = tracer.trace(x.data());
        std::vector<float> logits(10);
        m.logits(x.data(), 1, logits.data());
        QCOMPARE(t.back().values.size(), std::size_t(10));
        for (int k = 0; k < 10; ++k)
            QVERIFY2(std::abs(t.back().values[std::size_t(k)] - logits[std::size_t(k)]) < 1e-4f * std::max(1.0f, std::abs(logits[std::size_t(k)])),
                     qPrintable(QString("class %1: %2 vs %3").arg(k).arg(t.back().values[std::size_t(k)]).arg(logits[std::size_t(k)])));
        // Each layer's output is the next one's input: relu after batchnorm is max(0, .).
        for (std::size_t i = 1; i < t.size(); ++i)
            if (t[i].kind == "relu" && t[i - 1].values.size() == t[i].values.size())
                for (std::size_t j = 0; j < t[i].values.size(); j += 97)
                    QCOMPARE(t[i].values[j], std::max(t[i - 1].values[j], 0.0f));
    }
}

// conv 32 5 pad=2 | batchnorm | relu | maxpool 2 | conv 64 5 pad=2 | batchnorm | relu | maxpool 2 | dense ...
void TestInspect::receptiveFieldsOfTheDefaultCnn()
{
    const nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("cnn"));
    nn::LayerTracer tracer(m);
    using RF = nn::ReceptiveField;
    // First conv: a 5x5 window centred on the unit, clipped by the padding.
    QCOMPARE(tracer.receptiveField(0, 0, 10, 10), (RF{8, 8, 13, 13}));
    QCOMPARE(tracer.receptiveField(0, 0, 0, 0), (RF{0, 0, 3, 3}));
    QCOMPARE(tracer.receptiveField(0, 31, 27, 27), (RF{25, 25, 28, 28}));
    // batchnorm and relu keep it.
    QCOMPARE(tracer.receptiveField(2, 5, 10, 10), (RF{8, 8, 13, 13}));
    // Pool unit (5, 5): pool rows 10..11, conv rows 8..13.
    QCOMPARE(tracer.receptiveField(3, 0, 5, 5), (RF{8, 8, 14, 14}));
    // Second conv unit (5, 5): its rows 3..7 of the pooled map, 6..15 before the pool, 4..17 in the input.
    QCOMPARE(tracer.receptiveField(4, 0, 5, 5), (RF{4, 4, 18, 18}));
    // Second pool unit (3, 3): rows 6..7, conv 4..9, pool 8..19, input 6..21.
    QCOMPARE(tracer.receptiveField(7, 0, 3, 3), (RF{6, 6, 22, 22}));
    // Dense layers see everything.
    QCOMPARE(tracer.receptiveField(8, 100, 0, 0), (RF{0, 0, 28, 28}));
    QCOMPARE(tracer.receptiveField(tracer.layers() - 1, 3, 0, 0), (RF{0, 0, 28, 28}));
}

void TestInspect::receptiveFieldThroughFlatten()
{
    const nn::Model m = nn::Model::fromSpec("conv 2 3 | flatten | dense 10");
    nn::LayerTracer tracer(m);
    // Flattened unit of channel 1, row 3, column 4 of the 26x26 maps.
    const int unit = 26 * 26 + 26 * 3 + 4;
    QCOMPARE(tracer.receptiveField(1, unit, 0, 0), (nn::ReceptiveField{4, 3, 7, 6}));
    QCOMPARE(tracer.receptiveField(2, 0, 0, 0), (nn::ReceptiveField{0, 0, 28, 28}));
}

void TestInspect::badUnitsAreRefused()
{
    const nn::Model m = nn::Model::fromSpec("conv 2 3 | relu | dense 10");
    nn::LayerTracer tracer(m);
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, tracer.receptiveField(3, 0, 0, 0));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, tracer.receptiveField(0, 2, 0, 0));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, tracer.receptiveField(0, 0, 26, 0));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, tracer.receptiveField(2, 0, 0, 1));
    try {
        (void)nn::convKernels(m, 1);
        QFAIL("relu has no kernels");
    } catch (const nn::ShapeError& e) {
        QVERIFY2(std::string(e.what()).find("layer 1 (relu) is not a convolution") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::convKernels(m, 9));
}

void TestInspect::kernels()
{
    nn::Model m = nn::Model::fromSpec("conv 3 3 | relu | conv 2 5 | relu | dense 10");
    m.initialize(3);
    const nn::ConvKernels k = nn::convKernels(m, 2);
    QCOMPARE(k.filters, 2);
    QCOMPARE(k.inputs, 3);
    QCOMPARE(k.k, 5);
    const float* w = param(m, "2.conv.weight");
    QCOMPARE(k.values.size(), std::size_t(2 * 3 * 25));
    QCOMPARE(k.kernel(1, 2)[7], w[(1 * 3 + 2) * 25 + 7]);
    float maxAbs = 0;
    for (std::size_t i = 0; i < k.values.size(); ++i)
        maxAbs = std::max(maxAbs, std::abs(w[i]));
    QCOMPARE(k.maxAbs, maxAbs);
    const auto mean = k.meanOverInputs(1);
    QCOMPARE(mean.size(), std::size_t(25));
    for (int i = 0; i < 25; ++i)
        QVERIFY(std::abs(mean[std::size_t(i)] - (w[75 + i] + w[100 + i] + w[125 + i]) / 3.0f) < 1e-7f);
}

void TestInspect::exemplarsAgreeWithBruteForce()
{
    nn::Model m = nn::Model::fromSpec("conv 4 5 pad=2 | relu | maxpool 2 | dense 16 | relu | dense 10");
    m.initialize(11);
    const nn::Dataset data = fixtures::syntheticBars(300, 5);
    int calls = 0, lastDone = 0, totalSeen = 0;
    bool complete = false;
    const nn::ChannelExemplars ex = nn::channelExemplars(
        m, data, 9, [&](int done, int total) { ++calls, lastDone = done, totalSeen = total; }, nullptr, &complete);
    QVERIFY(complete);
    QCOMPARE(lastDone, 300);
    QCOMPARE(totalSeen, 300);
    QCOMPARE(calls, 3);  // batches of 128
    nn::LayerTracer tracer(m);
    std::vector<std::vector<std::vector<float>>> peak(tracer.layers());
    std::vector<float> x(784);
    for (int i = 0; i < data.size(); ++i) {
        data.imageAsFloat(i, x.data());
        const auto& t = tracer.trace(x.data());
        for (std::size_t l = 0; l < t.size(); ++l) {
            peak[l].resize(std::size_t(t[l].shape.c));
            const int hw = t[l].shape.h * t[l].shape.w;
            for (int c = 0; c < t[l].shape.c; ++c)
                peak[l][std::size_t(c)].push_back(
                    *std::max_element(t[l].values.begin() + c * hw, t[l].values.begin() + (c + 1) * hw));
        }
    }
    for (std::size_t l = 0; l < peak.size(); ++l)
        for (std::size_t c = 0; c < peak[l].size(); ++c) {
            std::vector<int> order(std::size_t(data.size()));
            std::iota(order.begin(), order.end(), 0);
            const auto& p = peak[l][c];
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[std::size_t(a)] > p[std::size_t(b)]; });
            QCOMPARE(ex.images[l][c].size(), std::size_t(9));
            for (int r = 0; r < 9; ++r) {
                // Same activation (a tie may pick another image with the same value).
                QVERIFY(std::abs(ex.peaks[l][c][std::size_t(r)] - p[std::size_t(order[std::size_t(r)])]) < 1e-5f);
                QVERIFY(std::abs(p[std::size_t(ex.images[l][c][std::size_t(r)])] - ex.peaks[l][c][std::size_t(r)]) < 1e-5f);
            }
        }
}

void TestInspect::exemplarsStop()
{
    const nn::Model m = nn::Model::fromSpec("conv 2 3 | relu | dense 10");
    const nn::Dataset data = fixtures::syntheticBars(400, 2);
    std::atomic<bool> stop{false};
    bool complete = true;
    int batches = 0;
    const auto ex = nn::channelExemplars(m, data, 3, [&](int, int) { if (++batches == 1) stop = true; }, &stop, &complete);
    QVERIFY(!complete);
    QCOMPARE(batches, 1);
    QCOMPARE(ex.images[0][0].size(), std::size_t(3));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::channelExemplars(m, data, 0));
}

QTEST_APPLESS_MAIN(TestInspect)
#include "test_inspect.moc"
