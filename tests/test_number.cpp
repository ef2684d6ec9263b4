// Numbers, not only digits (issue 15): nn::readNumber on written numbers of
// 2 to 6 digits (tests/numbers.h) with random gaps, small overlaps (touching
// digits) and uneven baselines, read by the default model (or
// $DIGITPAD_TEST_MODEL).
//  - strokes of synthetic writers (tests/handwriting.h), without MNIST;
//  - MNIST test digits side by side (mnistTestNumbers, its own ctest entry):
//    the held-out half of the test set (nn::calibrationHalves). The
//    segmentation's settings were tuned on numbers made of the other half
//    (bench_number --set tuning), never on these.
// The floors below are what the reader achieves today, less a margin, so
// that a regression fails; they are not the target (97% of 3-digit
// MNIST numbers read exactly; measured 96.3% here, 96.5% on 2,000 numbers of
// the tuning set).
#include "handwriting.h"
#include "mnist_check.h"
#include "model_under_test.h"
#include "numbers.h"

#include "common/defaultmodel.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/notdigit.h>
#include <nn/number.h>
#include <nn/preprocess.h>

#include <QDir>
#include <QtTest>

#include <random>

namespace {

std::shared_ptr<const nn::Model> model()
{
    static const std::shared_ptr<const nn::Model> m = modelUnderTest();
    return m;
}

nn::NumberReading read(const handwriting::Page& p) { return nn::readNumber(*model(), p.px.data(), p.w, p.h); }

std::string randomNumber(std::mt19937& rng, int digits)
{
    std::string s;
    for (int i = 0; i < digits; ++i)
        s += char('0' + int(rng() % 10));
    return s;
}

}  // namespace

class TestNumber : public QObject {
    Q_OBJECT

private slots:
    void emptyAndSpecks();
    void oneDigitIsReadAsThePadReadsIt();
    void digitsAreFoundLeftToRight();
    void bothPolaritiesAndEightBitGrey();
    void touchingDigitsAreCut();
    void strokeNumbers();
    void mnistTestNumbers();
};

void TestNumber::emptyAndSpecks()
{
    handwriting::Page blank(300, 120, 1.0f);
    const nn::NumberReading none = read(blank);
    QVERIFY(none.empty);
    QVERIFY(none.digits.empty());
    QCOMPARE(none.text, std::string());

    // Dust beside a number is no digit.
    const handwriting::Writer wr(3);
    numbers::Written n = numbers::strokeNumber("47", wr, 11);
    n.page.at(5, 5) = 0.0f;
    n.page.at(n.page.w - 4, n.page.h - 6) = 0.0f;
    n.page.at(n.page.w - 5, n.page.h - 6) = 0.0f;
    const nn::NumberReading r = read(n.page);
    QCOMPARE(r.text, std::string("47"));
}

void TestNumber::oneDigitIsReadAsThePadReadsIt()
{
    // One digit alone is read as the pad reads a single digit.
    int same = 0, total = 0;
    for (int digit = 0; digit < 10; ++digit)
        for (std::uint32_t w = 1; w <= 3; ++w) {
            handwriting::Scene sc;
            sc.paper = 1.0f;
            sc.ink = 0.0f;
            const handwriting::Page p = handwriting::draw(digit, handwriting::Writer(w * 13 + 1), sc, w);
            const nn::NumberReading r = read(p);
            QCOMPARE(int(r.digits.size()), 1);
            const nn::PreprocessResult pre = nn::preprocess(p.px.data(), p.w, p.h);
            const nn::DigitReading single = nn::readDigit(*model(), pre.input.data());
            const int padDigit =
                int(std::max_element(single.probabilities.begin(), single.probabilities.end()) -
                    single.probabilities.begin());
            same += r.digits[0].digit == padDigit;
            ++total;
            // The same ink box.
            QVERIFY2(std::abs(r.digits[0].input.boxX - pre.boxX) <= 1 && std::abs(r.digits[0].input.boxW - pre.boxW) <= 2,
                     qPrintable(QStringLiteral("digit %1: box x %2 w %3, the pad's x %4 w %5")
                                    .arg(digit).arg(r.digits[0].input.boxX).arg(r.digits[0].input.boxW)
                                    .arg(pre.boxX).arg(pre.boxW)));
        }
    QCOMPARE(same, total);
}

void TestNumber::digitsAreFoundLeftToRight()
{
    const handwriting::Writer wr(21);
    numbers::Spacing wide;
    wide.gapMin = 0.25f;
    wide.gapMax = 0.4f;
    const numbers::Written n = numbers::strokeNumber("2024", wr, 5, wide);
    const nn::NumberReading r = read(n.page);
    QCOMPARE(int(r.digits.size()), 4);
    for (std::size_t i = 1; i < r.digits.size(); ++i)
        QVERIFY(r.digits[i].x > r.digits[i - 1].x + r.digits[i - 1].w);
    double product = 1;
    for (const nn::NumberDigit& d : r.digits) {
        QCOMPARE(int(d.reading.probabilities.size()), 10);
        QCOMPARE(d.confidence, d.reading.probabilities[std::size_t(d.digit)]);
        product *= d.confidence;
    }
    QVERIFY(std::abs(r.confidence - product) < 1e-9);
    QCOMPARE(r.text, std::string("2024"));
}

void TestNumber::bothPolaritiesAndEightBitGrey()
{
    const numbers::Written n = numbers::strokeNumber("359", handwriting::Writer(8), 2);
    handwriting::Page inv = n.page;
    std::vector<std::uint8_t> bytes(inv.px.size());
    for (std::size_t i = 0; i < inv.px.size(); ++i) {
        inv.px[i] = 0.2f + 0.6f * (1.0f - n.page.px[i]);  // light chalk on a dark board
        bytes[i] = std::uint8_t(std::lround(255.0f * n.page.px[i]));
    }
    const nn::NumberReading a = read(n.page), b = read(inv);
    QCOMPARE(a.text, std::string("359"));
    QVERIFY(a.inverted);
    QCOMPARE(b.text, a.text);
    QVERIFY(!b.inverted);
    const nn::NumberReading c = nn::readNumber(*model(), bytes.data(), n.page.w, n.page.h);
    QCOMPARE(c.text, a.text);
}

void TestNumber::touchingDigitsAreCut()
{
    // Overlapping digits: one connected piece of ink, read as two digits.
    numbers::Spacing touching;
    touching.gapMin = -0.12f;
    touching.gapMax = -0.06f;
    touching.baseline = 0.0f;
    int right = 0, total = 0;
    std::mt19937 rng(99);
    for (int i = 0; i < 40; ++i) {
        const std::string truth = randomNumber(rng, 2);
        const numbers::Written n = numbers::strokeNumber(truth, handwriting::Writer(100 + std::uint32_t(i)), 7 + i, touching);
        const nn::NumberReading r = read(n.page);
        right += r.text == truth;
        ++total;
    }
    qInfo("touching pairs read exactly: %d of %d", right, total);
    // Floor: 20 of 40 today. Strokes overlapping by 6-12% of their height
    // often cross; a straight cut (vertical or slanted) cannot part them.
    QVERIFY2(right >= total * 4 / 10, qPrintable(QStringLiteral("%1 of %2").arg(right).arg(total)));
}

void TestNumber::strokeNumbers()
{
    // Synthetic writers' numbers of 2 to 6 digits.
    std::mt19937 rng(2026);
    int digitsRight = 0, digitsTotal = 0;
    for (int len = 2; len <= 6; ++len) {
        int right = 0;
        const int count = 60;
        for (int i = 0; i < count; ++i) {
            const std::string truth = randomNumber(rng, len);
            const numbers::Written n =
                numbers::strokeNumber(truth, handwriting::Writer(1000 + std::uint32_t(len * 100 + i)), std::uint32_t(i));
            const nn::NumberReading r = read(n.page);
            right += r.text == truth;
            if (r.text.size() == truth.size())
                for (std::size_t k = 0; k < truth.size(); ++k)
                    digitsRight += r.text[k] == truth[k];
            digitsTotal += len;
        }
        qInfo("strokes, %d digits: %d of %d read exactly (%.1f%%)", len, right, count, 100.0 * right / count);
        if (len == 3)  // floor: 51 of 60 today
            QVERIFY2(right >= count * 80 / 100, qPrintable(QStringLiteral("%1 of %2").arg(right).arg(count)));
    }
    qInfo("strokes: %.1f%% of the digits right", 100.0 * digitsRight / digitsTotal);
}

void TestNumber::mnistTestNumbers()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    nn::Dataset test;
    try {
        test = nn::Dataset::loadMnist(QDir::toNativeSeparators(app::resolveDataDir()).toStdString(), nn::Split::Test);
    } catch (const nn::Error& e) {
        DIGITPAD_SKIP_WITHOUT_MNIST(QStringLiteral("needs real MNIST, not found: %1").arg(QString::fromStdString(e.what())));
    }
    // The held-out half (nn::calibrationHalves): the segmentation's settings
    // were tuned on numbers made of the other half (bench_number --set tuning).
    test = nn::calibrationHalves(test).second;
    std::mt19937 rng(15);
    std::uniform_int_distribution<int> pick(0, test.size() - 1);
    for (int len = 2; len <= 6; ++len) {
        const int count = len == 3 ? 1000 : 200;
        int right = 0;
        for (int i = 0; i < count; ++i) {
            std::vector<int> idx;
            for (int k = 0; k < len; ++k)
                idx.push_back(pick(rng));
            const numbers::Written n = numbers::mnistNumber(test, idx, std::uint32_t(len * 10000 + i));
            right += read(n.page).text == n.truth;
        }
        qInfo("MNIST test digits, %d-digit numbers: %d of %d read exactly (%.1f%%)", len, right, count,
              100.0 * right / count);
        if (len == 3)  // floor: 963 of 1000 today; the issue asks for 970
            QVERIFY2(right >= count * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(right).arg(count)));
    }
}

QTEST_MAIN(TestNumber)
#include "test_number.moc"
