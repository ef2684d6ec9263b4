// Augmentation: determinism by seed, exact affine warps with explicit
// parameters, thickness, contrast, noise, elastic distortion, the parameter
// text format, and no allocation in the steady state.
#include <nn/augment.h>
#include <nn/errors.h>

#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <numeric>

// Counts heap allocations so the test can check that apply() does none once
// its buffers have grown.
static std::atomic<long> g_allocations{0};
void* operator new(std::size_t n)
{
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace nn;

namespace {

using Image = std::vector<float>;

// A digit-like blob on 28x28: a ring with a tail, anti-aliased values included.
Image digitLike()
{
    Image img(28 * 28, 0.0f);
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const float d = std::hypot(float(x) + 0.5f - 14.0f, float(y) + 0.5f - 11.0f);
            const float ring = std::clamp(1.5f - std::abs(d - 5.0f), 0.0f, 1.0f);
            const float tail = (x >= 17 && x <= 19 && y >= 11 && y <= 23) ? 1.0f : 0.0f;
            img[std::size_t(y * 28 + x)] = std::max(ring, tail);
        }
    return img;
}

float mass(const Image& img) { return std::accumulate(img.begin(), img.end(), 0.0f); }

float maxDiff(const Image& a, const Image& b)
{
    float m = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

AugmentParams only()
{
    // Everything off but enabled: each test turns on exactly what it checks.
    AugmentParams p;
    p.enabled = true;
    return p;
}

Image run(const Image& src, const AugmentParams& p, std::uint64_t seed, int w = 28, int h = 28)
{
    Image out(src.size(), -1.0f);
    Augmenter a;
    a.apply(src.data(), out.data(), w, h, p, seed);
    return out;
}

QString errorOf(const std::string& text)
{
    try {
        AugmentParams::parse(text);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error)");
}

}  // namespace

class TestAugment : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameImage();
    void differentSeedsDiffer();
    void disabledIsIdentity();
    void drawnValuesStayInRange();
    void rotate90();
    void scale2AboutCentre();
    void integerShift();
    void shearSlantsAVerticalBar();
    void thicknessByHand();
    void thicknessChangesInkMass_data();
    void thicknessChangesInkMass();
    void contrastScales();
    void noiseIsClampedAndSeeded();
    void elasticWarpsButKeepsTheDigit();
    void standardToString();
    void parse_data();
    void parse();
    void parseErrors_data();
    void parseErrors();
    void roundTrip();
    void noAllocationOnceGrown();
};

void TestAugment::sameSeedSameImage()
{
    AugmentParams p = AugmentParams::standard();
    p.elasticAlpha = 30.0f;
    p.noiseStd = 0.05f;
    const Image src = digitLike();
    const Image a = run(src, p, 1234);
    // A second Augmenter, and one that was used on another size first: no
    // state other than the seed may leak into the result.
    Augmenter used;
    Image other(16 * 16, 0.5f), tmp(16 * 16);
    used.apply(other.data(), tmp.data(), 16, 16, p, 99);
    Image b(src.size());
    used.apply(src.data(), b.data(), 28, 28, p, 1234);
    QCOMPARE(maxDiff(a, b), 0.0f);
    QVERIFY(maxDiff(a, src) > 0.1f);
    for (const float v : a)
        QVERIFY(v >= 0.0f && v <= 1.0f);
}

void TestAugment::differentSeedsDiffer()
{
    const Image src = digitLike();
    const AugmentParams p = AugmentParams::standard();
    const Image a = run(src, p, 1), b = run(src, p, 2);
    QVERIFY2(maxDiff(a, b) > 0.2f, qPrintable(QString::number(maxDiff(a, b))));
    QVERIFY(Augmenter::draw(p, 1).rotationDeg != Augmenter::draw(p, 2).rotationDeg);
}

void TestAugment::disabledIsIdentity()
{
    AugmentParams p = AugmentParams::standard();
    p.enabled = false;
    const Image src = digitLike();
    QCOMPARE(run(src, p, 5), src);
    // Enabled, but every range collapsed to the identity: also unchanged.
    QCOMPARE(run(src, only(), 5), src);
}

void TestAugment::drawnValuesStayInRange()
{
    const AugmentParams p = AugmentParams::standard();
    float lo = 1e9f, hi = -1e9f;
    for (std::uint64_t seed = 0; seed < 2000; ++seed) {
        const AugmentDraw d = Augmenter::draw(p, seed);
        QVERIFY(std::abs(d.rotationDeg) <= 12.0f);
        QVERIFY(d.scale >= 0.85f && d.scale <= 1.1f);
        QVERIFY(std::abs(d.shearDeg) <= 12.0f);
        QVERIFY(std::abs(d.shiftX) <= 2.5f && std::abs(d.shiftY) <= 2.5f);
        QVERIFY(d.thickness >= -0.4f && d.thickness <= 0.9f);
        QVERIFY(d.contrast >= 0.75f && d.contrast <= 1.0f);
        lo = std::min(lo, d.rotationDeg);
        hi = std::max(hi, d.rotationDeg);
    }
    // The whole range is used, in both directions.
    QVERIFY(lo < -11.5f && hi > 11.5f);
    // Collapsed ranges give exactly their value.
    AugmentParams fixed = only();
    fixed.scaleMin = fixed.scaleMax = 1.25f;
    fixed.contrastMin = fixed.contrastMax = 0.5f;
    const AugmentDraw d = Augmenter::draw(fixed, 77);
    QCOMPARE(d.scale, 1.25f);
    QCOMPARE(d.contrast, 0.5f);
    QCOMPARE(d.rotationDeg, 0.0f);
}

void TestAugment::rotate90()
{
    // An asymmetric L on 8x8; about the centre of an even grid, a quarter
    // turn maps pixel centres onto pixel centres: (x, y) -> (7 - y, x).
    Image src(64, 0.0f);
    for (int y = 1; y <= 5; ++y)
        src[std::size_t(y * 8 + 2)] = 1.0f;
    src[5 * 8 + 3] = 0.5f;
    src[5 * 8 + 4] = 0.25f;
    Image dst(64, -1.0f);
    Augmenter::affine(src.data(), dst.data(), 8, 8, 90.0f, 1.0f, 0.0f, 0.0f, 0.0f);
    Image expected(64, 0.0f);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            expected[std::size_t(x * 8 + (7 - y))] = src[std::size_t(y * 8 + x)];
    QVERIFY2(maxDiff(dst, expected) < 1e-5f, qPrintable(QString::number(maxDiff(dst, expected))));
    QCOMPARE(dst[2 * 8 + 2], 1.0f);  // (2,5) -> (2,2)
}

void TestAugment::scale2AboutCentre()
{
    // A 4x4 block in the middle of 16x16 becomes 8x8 with a bilinear rim:
    // per row 0.25, 0.75, 1 x6, 0.75, 0.25 -- exactly twice the width.
    Image src(256, 0.0f);
    for (int y = 6; y < 10; ++y)
        for (int x = 6; x < 10; ++x)
            src[std::size_t(y * 16 + x)] = 1.0f;
    Image dst(256);
    Augmenter::affine(src.data(), dst.data(), 16, 16, 0.0f, 2.0f, 0.0f, 0.0f, 0.0f);
    const float row[16] = {0, 0, 0, 0.25f, 0.75f, 1, 1, 1, 1, 1, 1, 0.75f, 0.25f, 0, 0, 0};
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
            QCOMPARE(dst[std::size_t(y * 16 + x)], row[x] * row[y]);
    QCOMPARE(mass(dst), 4.0f * mass(src));
}

void TestAugment::integerShift()
{
    const Image src = digitLike();
    Image dst(src.size());
    Augmenter::affine(src.data(), dst.data(), 28, 28, 0.0f, 1.0f, 0.0f, 3.0f, -2.0f);
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const int sx = x - 3, sy = y + 2;
            const float want = (sx >= 0 && sy < 28) ? src[std::size_t(sy * 28 + sx)] : 0.0f;
            QCOMPARE(dst[std::size_t(y * 28 + x)], want);
        }
    // Half a pixel: each output pixel is the mean of two neighbours.
    Augmenter::affine(src.data(), dst.data(), 28, 28, 0.0f, 1.0f, 0.0f, 0.5f, 0.0f);
    QCOMPARE(dst[11 * 28 + 18], 0.5f * (src[11 * 28 + 17] + src[11 * 28 + 18]));
}

void TestAugment::shearSlantsAVerticalBar()
{
    // A vertical bar sheared by 20 degrees: row centres move by tan(20) per row.
    Image src(32 * 32, 0.0f);
    for (int y = 4; y < 28; ++y)
        src[std::size_t(y * 32 + 16)] = 1.0f;
    Image dst(src.size());
    Augmenter::affine(src.data(), dst.data(), 32, 32, 0.0f, 1.0f, 20.0f, 0.0f, 0.0f);
    auto rowCentre = [&](int y) {
        float m = 0, mx = 0;
        for (int x = 0; x < 32; ++x) {
            m += dst[std::size_t(y * 32 + x)];
            mx += dst[std::size_t(y * 32 + x)] * float(x);
        }
        return mx / m;
    };
    const float slope = (rowCentre(24) - rowCentre(8)) / 16.0f;
    QVERIFY2(std::abs(slope - std::tan(20.0f * 3.14159265f / 180.0f)) < 0.02f, qPrintable(QString::number(slope)));
    // The centre row stays where it was.
    QVERIFY(std::abs(rowCentre(16) - 16.0f) < 0.3f);
}

void TestAugment::thicknessByHand()
{
    Augmenter a;
    // Dilating a single pixel by 1 gives a 3x3 block; by 0.5 a half-bright ring.
    Image img(49, 0.0f);
    img[24] = 0.8f;
    a.thickness(img.data(), 7, 7, 1.0f);
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 7; ++x)
            QCOMPARE(img[std::size_t(y * 7 + x)], (std::abs(x - 3) <= 1 && std::abs(y - 3) <= 1) ? 0.8f : 0.0f);

    Image dot(49, 0.0f);
    dot[24] = 1.0f;
    a.thickness(dot.data(), 7, 7, 0.5f);
    QCOMPARE(dot[24], 1.0f);
    QCOMPARE(dot[23], 0.5f);
    QCOMPARE(dot[16], 0.5f);
    QCOMPARE(dot[22], 0.0f);

    // Eroding the 3x3 block by 1 leaves its centre; by 2 nothing.
    Image block = img;
    a.thickness(block.data(), 7, 7, -1.0f);
    QCOMPARE(mass(block), 0.8f);
    QCOMPARE(block[24], 0.8f);
    a.thickness(img.data(), 7, 7, -2.0f);
    QCOMPARE(mass(img), 0.0f);
}

void TestAugment::thicknessChangesInkMass_data()
{
    QTest::addColumn<float>("thickness");
    QTest::addColumn<float>("minRatio");
    QTest::addColumn<float>("maxRatio");
    QTest::newRow("thicker by 1") << 1.0f << 1.4f << 3.0f;
    QTest::newRow("thicker by 0.5") << 0.5f << 1.15f << 2.0f;
    QTest::newRow("thinner by 0.4") << -0.4f << 0.5f << 0.9f;
    QTest::newRow("thinner by 1") << -1.0f << 0.05f << 0.7f;
}

void TestAugment::thicknessChangesInkMass()
{
    QFETCH(float, thickness);
    QFETCH(float, minRatio);
    QFETCH(float, maxRatio);
    AugmentParams p = only();
    p.thicknessMin = p.thicknessMax = thickness;
    const Image src = digitLike();
    const float ratio = mass(run(src, p, 3)) / mass(src);
    QVERIFY2(ratio > minRatio && ratio < maxRatio, qPrintable(QString::number(ratio)));
}

void TestAugment::contrastScales()
{
    AugmentParams p = only();
    p.contrastMin = p.contrastMax = 0.5f;
    const Image src = digitLike();
    const Image out = run(src, p, 11);
    for (std::size_t i = 0; i < src.size(); ++i)
        QCOMPARE(out[i], 0.5f * src[i]);
}

void TestAugment::noiseIsClampedAndSeeded()
{
    AugmentParams p = only();
    p.noiseStd = 0.1f;
    const Image src = digitLike();
    const Image a = run(src, p, 8), b = run(src, p, 8), c = run(src, p, 9);
    QCOMPARE(a, b);
    QVERIFY(a != c);
    int background = 0, lifted = 0;
    double sumSq = 0.0;
    for (std::size_t i = 0; i < src.size(); ++i) {
        QVERIFY(a[i] >= 0.0f && a[i] <= 1.0f);
        if (src[i] == 0.0f) {
            ++background;
            lifted += a[i] > 0.0f;
            sumSq += double(a[i]) * a[i];
        }
    }
    // About half the background pixels get positive noise (the rest clip to 0);
    // the clipped half-normal has E[x^2] = sigma^2 / 2.
    QVERIFY2(lifted > background / 3 && lifted < 2 * background / 3, qPrintable(QString::number(lifted)));
    const double rms = std::sqrt(sumSq / background);
    QVERIFY2(std::abs(rms - 0.1 / std::sqrt(2.0)) < 0.015, qPrintable(QString::number(rms)));
}

void TestAugment::elasticWarpsButKeepsTheDigit()
{
    AugmentParams p = only();
    p.elasticAlpha = 34.0f;  // Simard et al.'s values for MNIST
    p.elasticSigma = 4.0f;
    const Image src = digitLike();
    const Image a = run(src, p, 21), b = run(src, p, 22);
    QVERIFY(maxDiff(a, src) > 0.2f);
    QVERIFY(maxDiff(a, b) > 0.2f);
    // A smooth displacement of a pixel or two keeps the amount of ink roughly.
    const float ratio = mass(a) / mass(src);
    QVERIFY2(ratio > 0.8f && ratio < 1.2f, qPrintable(QString::number(ratio)));
    // Alpha scales the displacement: a tiny alpha barely changes anything.
    p.elasticAlpha = 0.5f;
    QVERIFY(maxDiff(run(src, p, 21), src) < 0.15f);
}

void TestAugment::standardToString()
{
    QCOMPARE(AugmentParams::standard().toString(),
             std::string("rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=0:4,thick=-0.4:0.9,contrast=0.75:1,noise=0"));
    AugmentParams off = AugmentParams::standard();
    off.enabled = false;
    QCOMPARE(off.toString(), std::string("none"));
}

void TestAugment::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");  // toString() of the result
    QTest::newRow("empty = standard") << ""
                                      << "rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=0:4,thick=-0.4:0.9,"
                                         "contrast=0.75:1,noise=0";
    QTest::newRow("standard") << "standard"
                              << "rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=0:4,thick=-0.4:0.9,"
                                 "contrast=0.75:1,noise=0";
    QTest::newRow("none") << "none" << "none";
    QTest::newRow("off") << " off " << "none";
    QTest::newRow("header example")
        << "rot=10,scale=0.9:1.1,shift=2,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05"
        << "rot=10,scale=0.9:1.1,shift=2,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05";
    QTest::newRow("subset keeps the rest") << "rot=5, noise=0.1"
                                           << "rot=5,scale=0.85:1.1,shift=2.5,shear=12,elastic=0:4,thick=-0.4:0.9,"
                                              "contrast=0.75:1,noise=0.1";
    QTest::newRow("one value fixes a range") << "scale=1.2,thick=+0.5"
                                             << "rot=12,scale=1.2:1.2,shift=2.5,shear=12,elastic=0:4,thick=0.5:0.5,"
                                                "contrast=0.75:1,noise=0";
    QTest::newRow("elastic alpha only") << "elastic=34"
                                        << "rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=34:4,thick=-0.4:0.9,"
                                           "contrast=0.75:1,noise=0";
    QTest::newRow("all zero") << "rot=0,shift=0,shear=0,scale=1,thick=0,contrast=1"
                              << "rot=0,scale=1:1,shift=0,shear=0,elastic=0:4,thick=0:0,contrast=1:1,noise=0";
}

void TestAugment::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(AugmentParams::parse(text.toStdString()).toString()), expected);
}

void TestAugment::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << "rot=10,spin=3"
                                 << "augmentation: unknown key \"spin\" (known: rot, scale, shift, shear, elastic, "
                                    "thick, contrast, noise)";
    QTest::newRow("not a number") << "shift=abc"
                                  << "augmentation: bad value \"abc\" for \"shift\": \"abc\" is not a number";
    QTest::newRow("trailing junk") << "rot=10deg"
                                   << "augmentation: bad value \"10deg\" for \"rot\": \"10deg\" is not a number";
    QTest::newRow("no value") << "rot" << "augmentation: \"rot\" has no value (expected key=value, e.g. rot=10)";
    QTest::newRow("empty value") << "noise=" << "augmentation: bad value \"\" for \"noise\": the value is empty";
    QTest::newRow("reversed range") << "scale=1.1:0.9"
                                    << "augmentation: bad value \"1.1:0.9\" for \"scale\": the range's lower end is "
                                       "larger than its upper end";
    QTest::newRow("range for a single") << "rot=1:2"
                                        << "augmentation: bad value \"1:2\" for \"rot\": expected one number, not a range";
    QTest::newRow("bad range end") << "contrast=0.5:x"
                                   << "augmentation: bad value \"0.5:x\" for \"contrast\": \"x\" is not a number";
    QTest::newRow("negative scale") << "scale=-1:1"
                                    << "augmentation: bad value \"-1:1\" for \"scale\": scale must be positive";
    QTest::newRow("negative noise") << "noise=-0.1" << "augmentation: bad value \"-0.1\" for \"noise\": noise must be >= 0";
    QTest::newRow("zero sigma") << "elastic=8:0"
                                << "augmentation: bad value \"8:0\" for \"elastic\": sigma must be in (0, 64] pixels";
    QTest::newRow("nan") << "rot=nan" << "augmentation: bad value \"nan\" for \"rot\": \"nan\" is not a number";
}

void TestAugment::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QCOMPARE(errorOf(text.toStdString()), message);
}

void TestAugment::roundTrip()
{
    AugmentParams p;
    p.enabled = true;
    p.rotationDeg = 7.3f;
    p.scaleMin = 0.912345f;
    p.scaleMax = 1.0f / 3.0f + 1.0f;
    p.shiftPx = 1.1f;
    p.shearDeg = 0.1f;
    p.elasticAlpha = 34.0f;
    p.elasticSigma = 4.5f;
    p.thicknessMin = -0.3f;
    p.thicknessMax = 0.7f;
    p.contrastMin = 0.6f;
    p.contrastMax = 0.95f;
    p.noiseStd = 0.025f;
    QVERIFY(AugmentParams::parse(p.toString()) == p);
    QVERIFY(AugmentParams::parse(AugmentParams::standard().toString()) == AugmentParams::standard());
    QVERIFY(!AugmentParams::parse("none").enabled);
}

void TestAugment::noAllocationOnceGrown()
{
    AugmentParams p = AugmentParams::standard();
    p.elasticAlpha = 34.0f;
    p.noiseStd = 0.05f;
    p.thicknessMin = -1.5f;
    p.thicknessMax = 1.5f;
    const Image src = digitLike();
    Image dst(src.size());
    Augmenter a;
    const long fresh = g_allocations.load();
    a.apply(src.data(), dst.data(), 28, 28, p, 0);  // grows the buffers
    QVERIFY2(g_allocations.load() > fresh, "the allocation counter is not live");
    const long before = g_allocations.load();
    for (std::uint64_t seed = 1; seed < 50; ++seed)
        a.apply(src.data(), dst.data(), 28, 28, p, seed);
    QCOMPARE(g_allocations.load() - before, 0L);
}

QTEST_APPLESS_MAIN(TestAugment)
#include "test_augment.moc"
