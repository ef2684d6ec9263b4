// Occlusion saliency: on a linear model where one region drives the answer,
// that region is marked as supporting it, a region feeding a rival class as
// opposing it, and ink the model ignores as neutral. The blank-patch shortcut
// matches a brute-force computation.
#include <nn/errors.h>
#include <nn/model.h>
#include <nn/saliency.h>

#include <QTest>

#include <cmath>

namespace {

constexpr int W = 28, H = 28;

// "dense 10": logit k = sum_i w[k][i] x_i + b[k]. Class 3 reads the top-left
// block, class 5 the bottom-right block; everything else has weight 0.
nn::Model regionModel()
{
    nn::Model m = nn::Model::fromSpec("dense 10");
    std::fill(m.params().begin(), m.params().end(), 0.0f);
    std::size_t weight = 0;
    bool found = false;
    for (const nn::ParamView& v : m.paramViews())
        if (v.spec.name == "weight" || v.name.find("weight") != std::string::npos) {
            weight = v.offset;
            found = true;
            break;
        }
    if (!found)
        qFatal("no dense weight");
    float* w = m.params().data() + weight;  // (10, 784)
    for (int y = 2; y < 10; ++y)
        for (int x = 2; x < 10; ++x)
            w[3 * W * H + y * W + x] = 0.2f;
    for (int y = 18; y < 26; ++y)
        for (int x = 18; x < 26; ++x)
            w[5 * W * H + y * W + x] = 0.2f;
    return m;
}

float regionMean(const nn::SaliencyMap& s, int y0, int y1, int x0, int x1)
{
    double sum = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            sum += s.values[std::size_t(y) * W + x];
    return float(sum / ((y1 - y0) * (x1 - x0)));
}

}  // namespace

class TestSaliency : public QObject {
    Q_OBJECT
private slots:
    void regionThatMattersIsMarked();
    void matchesBruteForce();
    void explicitTargetAndErrors();
    void cnnRuns();
};

void TestSaliency::regionThatMattersIsMarked()
{
    const nn::Model m = regionModel();
    std::vector<float> x(W * H, 0.0f);
    for (int y = 2; y < 10; ++y)
        for (int x0 = 2; x0 < 10; ++x0)
            x[std::size_t(y) * W + x0] = 1.0f;  // strong ink where class 3 looks
    for (int y = 18; y < 26; ++y)
        for (int x0 = 18; x0 < 26; ++x0)
            x[std::size_t(y) * W + x0] = 0.5f;  // fainter ink where class 5 looks
    for (int y = 12; y < 16; ++y)
        for (int x0 = 12; x0 < 16; ++x0)
            x[std::size_t(y) * W + x0] = 1.0f;  // ink no class looks at

    const nn::SaliencyMap s = nn::occlusionSaliency(m, x.data());
    QCOMPARE(s.target, 3);
    QCOMPARE(s.w, W);
    QCOMPARE(s.h, H);
    QCOMPARE(int(s.values.size()), W * H);
    const float tl = regionMean(s, 2, 10, 2, 10), br = regionMean(s, 18, 26, 18, 26),
                mid = regionMean(s, 12, 16, 12, 16);
    qInfo("mean saliency: top-left %.4f, bottom-right %.4f, middle %.4f, max |v| %.4f", tl, br, mid, s.maxAbs);
    QVERIFY(tl > 0.5f);   // hiding it removes evidence for 3
    QVERIFY(br < -0.1f);  // hiding it removes evidence for the rival 5
    QCOMPARE(mid, 0.0f);  // weight 0: hiding it changes no logit at all
    QCOMPARE(s.values[std::size_t(27) * W + 0], 0.0f);  // far from any ink
    // The most salient pixel lies in the top-left block.
    const auto top = std::max_element(s.values.begin(), s.values.end()) - s.values.begin();
    QVERIFY(top / W < 12 && top % W < 12);
    QCOMPARE(s.maxAbs, *std::max_element(s.values.begin(), s.values.end(),
                                         [](float a, float b) { return std::abs(a) < std::abs(b); }));
}

void TestSaliency::matchesBruteForce()
{
    // A random small CNN and a blob: the shortcut that skips blank patches
    // must give exactly what running every patch gives.
    nn::Model m = nn::Model::fromSpec("conv 4 3 pad=1 | relu | maxpool 2 | dense 10");
    m.initialize(7);
    std::vector<float> x(W * H, 0.0f);
    for (int y = 8; y < 20; ++y)
        for (int x0 = 10; x0 < 17; ++x0)
            x[std::size_t(y) * W + x0] = float((x0 * 7 + y * 3) % 10) / 10.0f;
    nn::SaliencyOptions o;
    o.patch = 5;
    o.stride = 3;
    const nn::SaliencyMap s = nn::occlusionSaliency(m, x.data(), o);
    QVERIFY(s.evaluated > 0);

    std::vector<int> pos;
    for (int p = 0; p < W - o.patch; p += o.stride)
        pos.push_back(p);
    pos.push_back(W - o.patch);
    QVERIFY2(s.evaluated < int(pos.size() * pos.size()), "blank patches should be skipped");
    std::vector<float> z(10);
    m.logits(x.data(), 1, z.data());
    const double base = nn::logOdds(z.data(), 10, s.target);
    std::vector<double> sum(W * H, 0.0), cover(W * H, 0.0);
    for (int y0 : pos)
        for (int x0 : pos) {
            std::vector<float> o2 = x;
            for (int y = y0; y < y0 + o.patch; ++y)
                for (int xx = x0; xx < x0 + o.patch; ++xx)
                    o2[std::size_t(y) * W + xx] = 0.0f;
            m.logits(o2.data(), 1, z.data());
            const double drop = base - nn::logOdds(z.data(), 10, s.target);
            for (int y = y0; y < y0 + o.patch; ++y)
                for (int xx = x0; xx < x0 + o.patch; ++xx) {
                    sum[std::size_t(y) * W + xx] += drop;
                    cover[std::size_t(y) * W + xx] += 1;
                }
        }
    double worst = 0;
    for (int i = 0; i < W * H; ++i)
        worst = std::max(worst, std::abs(sum[std::size_t(i)] / cover[std::size_t(i)] - s.values[std::size_t(i)]));
    qInfo("largest difference from brute force: %g", worst);
    QVERIFY(worst < 1e-4);
}

void TestSaliency::explicitTargetAndErrors()
{
    const nn::Model m = regionModel();
    std::vector<float> x(W * H, 0.0f);
    for (int y = 2; y < 10; ++y)
        for (int x0 = 2; x0 < 10; ++x0)
            x[std::size_t(y) * W + x0] = 1.0f;
    nn::SaliencyOptions o;
    o.target = 5;
    const nn::SaliencyMap s = nn::occlusionSaliency(m, x.data(), o);
    QCOMPARE(s.target, 5);
    QVERIFY(regionMean(s, 2, 10, 2, 10) < 0);  // the block is evidence against 5
    o.target = 10;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::occlusionSaliency(m, x.data(), o));
    o.target = -1;
    o.stride = 0;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::occlusionSaliency(m, x.data(), o));
    // A blank input: nothing to occlude, nothing evaluated, all zero.
    std::vector<float> blank(W * H, 0.0f);
    const nn::SaliencyMap b = nn::occlusionSaliency(m, blank.data());
    QCOMPARE(b.evaluated, 0);
    QCOMPARE(b.maxAbs, 0.0f);
}

void TestSaliency::cnnRuns()
{
    nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("cnn"));
    m.initialize(3);
    std::vector<float> x(W * H, 0.0f);
    for (int y = 5; y < 23; ++y)
        x[std::size_t(y) * W + 14] = 1.0f;
    QElapsedTimer t;
    t.start();
    const nn::SaliencyMap s = nn::occlusionSaliency(m, x.data());
    qInfo("default CNN saliency: %d occluded inputs in %lld ms", s.evaluated, t.elapsed());
    std::vector<float> p(10);
    m.predict(x.data(), 1, p.data());
    QCOMPARE(s.target, int(std::max_element(p.begin(), p.end()) - p.begin()));
    for (int k = 0; k < 10; ++k)
        QCOMPARE(s.probabilities[std::size_t(k)], p[std::size_t(k)]);
}

QTEST_APPLESS_MAIN(TestSaliency)
#include "test_saliency.moc"
