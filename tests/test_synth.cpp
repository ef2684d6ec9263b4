// Synthetic training data (nn/synth.h): digit styles and non-digits drawn
// with a pen and made into the network's input by the pad's preprocessing.
// The shapes are checked for what makes each style that style, the
// datasets for determinism, labels and ink.
#include <nn/preprocess.h>
#include <nn/strokes.h>
#include <nn/synth.h>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace nn;
using strokes::Glyph;
using strokes::Pt;

namespace {

// Do segments ab and cd cross (properly, not touching)?
bool crosses(Pt a, Pt b, Pt c, Pt d)
{
    auto side = [](Pt p, Pt q, Pt r) { return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x); };
    return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

// Does stroke s cross stroke t (or itself, when they are the same, skipping neighbours)?
bool strokesCross(const strokes::Stroke& s, const strokes::Stroke& t, bool self)
{
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
        for (std::size_t j = self ? i + 2 : 0; j + 1 < t.size(); ++j)
            if (crosses(s[i], s[i + 1], t[j], t[j + 1]))
                return true;
    return false;
}

std::array<float, 6> params(std::uint64_t seed) { return Hand::random(seed).r; }

double inkOf(const Dataset& d, int i)
{
    double s = 0;
    for (int k = 0; k < 784; ++k)
        s += d.image(i)[k];
    return s / 255.0;
}

}  // namespace

class TestSynth : public QObject {
    Q_OBJECT
private slots:
    void stylesHaveTheirFeatures();
    void strokeCoverageIsARoundPen();
    void stylesDatasetIsSeededAndLabelled();
    void outliersAreSeededVariedAndInked();
};

void TestSynth::stylesHaveTheirFeatures()
{
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        const auto r = params(seed);
        // The flag 1: one stroke going up to the top and then down to the
        // bottom; the up-stroke starts at least a third of the way down.
        const Glyph one = styleSkeleton(DigitStyle::FlagOne, r);
        QCOMPARE(one.size(), std::size_t(1));
        QCOMPARE(one[0].size(), std::size_t(3));
        QVERIFY(one[0][0].y >= 0.33f && one[0][1].y == 0.0f && one[0][2].y == 1.0f);
        QVERIFY(one[0][1].x - one[0][0].x > 0.4f);  // a long flag, not a lead-in
        // The serif 1 stands on a foot wider than a third of the box.
        const Glyph serif = styleSkeleton(DigitStyle::SerifOne, r);
        QCOMPARE(serif.size(), std::size_t(2));
        QVERIFY(serif[1].back().x - serif[1].front().x > 0.45f);
        QVERIFY(std::abs(serif[1].front().y - 1.0f) < 0.05f);
        // The crossbar of the 7 crosses its stem.
        const Glyph seven = styleSkeleton(DigitStyle::CrossedSeven, r);
        QCOMPARE(seven.size(), std::size_t(2));
        QVERIFY(strokesCross(seven[0], seven[1], false));
        // The open 4: its left upright never meets the stem; the closed 4's diagonal does.
        const Glyph open = styleSkeleton(DigitStyle::OpenFour, r);
        QVERIFY(open[1].front().x - open[0].front().x > 0.35f);
        const Glyph closed = styleSkeleton(DigitStyle::ClosedFour, r);
        const strokes::Stroke& path = closed[0];
        QVERIFY(path.size() >= 3);
        // The 9's stem is upright: it ends right below where it starts.
        const Glyph nine = styleSkeleton(DigitStyle::StraightNine, r);
        const strokes::Stroke& stem = nine.back();
        QVERIFY(std::abs(stem.back().x - stem[stem.size() - 2].x) < 0.03f);
        QCOMPARE(stem.back().y, 1.0f);
        // The 2's loop: seen from their centre, the stroke's points at the
        // bottom left go round at least 270 degrees (nine of twelve 30-degree
        // sectors; a hook or a corner covers six or fewer).
        const Glyph two = styleSkeleton(DigitStyle::LoopTwo, r);
        QCOMPARE(two.size(), std::size_t(1));
        std::vector<Pt> low;
        for (const Pt& p : two[0])
            if (p.y > 0.6f && p.x < 0.5f)
                low.push_back(p);
        QVERIFY(low.size() >= 8);
        Pt c{0, 0};
        for (const Pt& p : low)
            c.x += p.x / float(low.size()), c.y += p.y / float(low.size());
        std::set<int> sectors;
        for (const Pt& p : low)
            sectors.insert(int(std::floor((std::atan2(p.y - c.y, p.x - c.x) + M_PI) / (M_PI / 6))) % 12);
        QVERIFY2(sectors.size() >= 9, qPrintable(QString::number(sectors.size())));
    }
    // Names and digits.
    std::set<std::string> names;
    for (DigitStyle s : kDigitStyles)
        names.insert(styleName(s));
    QCOMPARE(names.size(), kDigitStyles.size());
    QCOMPARE(styleDigit(DigitStyle::CrossedSeven), 7);
    QCOMPARE(styleDigit(DigitStyle::LoopTwo), 2);
    QCOMPARE(styleDigit(DigitStyle::StraightNine), 9);
}

void TestSynth::strokeCoverageIsARoundPen()
{
    // A dot of pen 10 at (20.5, 20.5): full ink within radius 4.5, none beyond 5.5.
    std::vector<float> c(41 * 41, 0.0f);
    strokes::strokeCoverage(c, 41, 41, {{{20.5f, 20.5f}}}, 10.0f);
    QCOMPARE(c[20 * 41 + 20], 1.0f);
    QCOMPARE(c[20 * 41 + 24], 1.0f);    // 4 px from the centre
    QCOMPARE(c[20 * 41 + 26], 0.0f);    // 6 px
    QVERIFY(c[20 * 41 + 25] > 0.0f && c[20 * 41 + 25] <= 1.0f);  // the antialiased rim at 5 px
    QCOMPARE(c[16 * 41 + 16], 0.0f);    // diagonal, 5.66 px from the centre: outside
    QCOMPARE(c[17 * 41 + 17], 1.0f);    // 4.24 px
}

void TestSynth::stylesDatasetIsSeededAndLabelled()
{
    const Dataset a = synthesizeStyles(70, 5, 2), b = synthesizeStyles(70, 5, 1), c = synthesizeStyles(70, 6, 2);
    QCOMPARE(a.size(), 70);
    QVERIFY(a.images == b.images);  // the same whatever the thread count
    QVERIFY(a.labels == b.labels);
    QVERIFY(a.images != c.images);
    for (int i = 0; i < a.size(); ++i) {
        QCOMPARE(int(a.labels[std::size_t(i)]), styleDigit(kDigitStyles[std::size_t(i) % kDigitStyles.size()]));
        QVERIFY2(inkOf(a, i) > 15.0, qPrintable(QString::number(i)));
        // Preprocessed as MNIST is: the ink's centre of mass near the middle.
        double sx = 0, sy = 0, s = 0;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const double v = a.image(i)[y * 28 + x];
                sx += v * x, sy += v * y, s += v;
            }
        QVERIFY(std::abs(sx / s - 14.0) < 1.0 && std::abs(sy / s - 14.0) < 1.0);
    }
    QCOMPARE(synthesizeStyles(0, 5, 1).size(), 0);
}

void TestSynth::outliersAreSeededVariedAndInked()
{
    const Dataset a = synthesizeOutliers(60, 9, 2), b = synthesizeOutliers(60, 9, 1);
    QVERIFY(a.images == b.images);
    std::set<std::vector<std::uint8_t>> distinct;
    for (int i = 0; i < a.size(); ++i) {
        QVERIFY2(inkOf(a, i) > 10.0, qPrintable(QString::number(i)));
        QCOMPARE(int(a.labels[std::size_t(i)]), 0);
        distinct.insert(std::vector<std::uint8_t>(a.image(i), a.image(i) + 784));
    }
    QCOMPARE(int(distinct.size()), a.size());
    // Different kinds, not one shape: the number of strokes varies.
    std::set<std::size_t> strokeCounts;
    for (std::uint64_t s = 0; s < 100; ++s)
        strokeCounts.insert(outlierGlyph(s).size());
    QVERIFY(strokeCounts.size() >= 4);
}

QTEST_GUILESS_MAIN(TestSynth)
#include "test_synth.moc"
