// The Robustness page (issue 16): the adversarial lab shows nn's attack for
// the same settings, its smallest-ε search lands on the boundary, the
// perturbation's legend gives its true largest |δ|, the test-set curve is
// monotone and starts at the clean accuracy, the Train page's adversarial
// option reaches the worker's TrainConfig, and a perturbed image sent to the
// pad keeps its answer there (the float path: 8 bits would lose it).
#include "canvas/canvas.h"
#include "common/defaultmodel.h"
#include "main_window.h"
#include "panels/adversarial_lab.h"
#include "panels/draw_pad.h"
#include "panels/probability_view.h"
#include "panels/robustness_curves.h"
#include "panels/robustness_panel.h"
#include "panels/training_panel.h"
#include "panels/training_settings.h"
#include "workers/prediction_controller.h"

#include <nn/adversarial.h>
#include <nn/data/dataset.h>
#include <nn/synth.h>

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

#include <algorithm>
#include <cmath>

using app::AttackMethod;
using app::LabSettings;

namespace {

const nn::Dataset& digits()
{
    static const nn::Dataset d = nn::synthesizeStyles(48, 31, 1);
    return d;
}

std::vector<float> digit(int i)
{
    std::vector<float> x(784);
    digits().imageAsFloat(i, x.data());
    return x;
}

std::shared_ptr<const nn::Model> model()
{
    static const std::shared_ptr<const nn::Model> m = app::loadDefaultModel();
    return m;
}

int argmax(const std::vector<float>& p) { return int(std::max_element(p.begin(), p.end()) - p.begin()); }

int answerFor(const nn::Model& m, const float* x)
{
    std::vector<float> p(10);
    m.predict(x, 1, p.data());
    return argmax(p);
}

// The lab once its attack for the current settings has arrived.
bool settled(const app::AdversarialLab& lab)
{
    return !lab.isBusy() && !lab.result().adversarial.empty() && lab.result().eps == lab.settings().eps;
}

}  // namespace

class TestRobustnessPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void amplificationOfAKnownPerturbation();
    void labShowsTheEnginesAttack_data();
    void labShowsTheEnginesAttack();
    void smallestEpsilonIsOnTheBoundary();
    void curveIsMonotoneFromTheCleanAccuracy();
    void curvesOfEarlierModelsStayAndCancelKeepsThem();
    void trainingOptionReachesTheWorkersConfig();
    void sendingToThePadKeepsThePerturbedAnswer();
};

void TestRobustnessPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // settings and data in a test location
    QApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationName(QStringLiteral("DigitPad"));
    QSettings().clear();
    QVERIFY(model());
}

void TestRobustnessPanel::amplificationOfAKnownPerturbation()
{
    const app::Amplification a = app::amplification({0.0f, 0.083f, -0.02f, 0.01f});
    QCOMPARE(a.factor, 10.0f);  // 20 x 0.083 > 1
    QCOMPARE(a.maxAbs, 0.083f);
    QCOMPARE(app::amplificationText(a), QStringLiteral("×10, max |δ| = 0.083"));
    QCOMPARE(app::amplification({-0.3f, 0.1f}).factor, 2.0f);
    QCOMPARE(app::amplification({0.0f, 0.0f}).factor, 1.0f);
    QCOMPARE(app::amplification({0.0004f}).factor, 2000.0f);
}

void TestRobustnessPanel::labShowsTheEnginesAttack_data()
{
    QTest::addColumn<int>("method");
    QTest::addColumn<int>("norm");
    QTest::addColumn<int>("target");
    QTest::addColumn<float>("eps");
    QTest::newRow("FGSM Linf away") << int(AttackMethod::Fgsm) << int(nn::AttackNorm::Linf) << -1 << 0.1f;
    QTest::newRow("PGD Linf toward 3") << int(AttackMethod::Pgd) << int(nn::AttackNorm::Linf) << 3 << 0.15f;
    QTest::newRow("PGD L2 away") << int(AttackMethod::Pgd) << int(nn::AttackNorm::L2) << -1 << 2.0f;
    QTest::newRow("FGSM L2 toward 8") << int(AttackMethod::Fgsm) << int(nn::AttackNorm::L2) << 8 << 1.5f;
}

void TestRobustnessPanel::labShowsTheEnginesAttack()
{
    QFETCH(int, method);
    QFETCH(int, norm);
    QFETCH(int, target);
    QFETCH(float, eps);
    app::AdversarialLab lab;
    lab.resize(640, 560);
    lab.show();
    lab.setModel(model());
    const std::vector<float> x = digit(2);
    lab.setInput(x.data());
    LabSettings s;
    s.method = AttackMethod(method);
    s.norm = nn::AttackNorm(norm);
    s.target = target;
    s.eps = eps;
    s.pgdSteps = 7;
    lab.setSettings(s);
    QCOMPARE(lab.settings().eps, eps);  // the box holds it exactly
    QTRY_VERIFY_WITH_TIMEOUT(settled(lab), 120000);

    nn::AttackOptions o;
    o.norm = s.norm;
    o.steps = s.method == AttackMethod::Fgsm ? 1 : 7;
    o.target = target;
    const nn::AttackResult want = nn::attack(*model(), x.data(), eps, o);
    QCOMPARE(lab.perturbedTile()->values(), want.adversarial);
    QCOMPARE(lab.perturbationTile()->values(), want.perturbation);
    QCOMPARE(lab.inputTile()->values(), x);
    // The legend names the factor and the largest |δ| of what is shown.
    double maxAbs = 0;
    for (float d : want.perturbation)
        maxAbs = std::max(maxAbs, double(std::abs(d)));
    QCOMPARE(double(app::amplification(want.perturbation).maxAbs), maxAbs);
    const QString legend = lab.perturbationTile()->legendText();
    QVERIFY2(legend.endsWith(QStringLiteral("max |δ| = ") + QLocale().toString(maxAbs, 'g', 3)), qPrintable(legend));
    const float factor = app::amplification(want.perturbation).factor;
    QVERIFY(legend.startsWith(QStringLiteral("×") + QString::number(double(factor))));
    QVERIFY(factor * maxAbs <= 1.0 + 1e-6 && (maxAbs == 0 || 2.5 * factor * maxAbs > 1.0));
    // The largest change is painted at the end of the colour ramp's reach.
    const auto top = std::max_element(want.perturbation.begin(), want.perturbation.end(),
                                      [](float a, float b) { return std::abs(a) < std::abs(b); }) -
                     want.perturbation.begin();
    const QRgb c = lab.perturbationTile()->picture().pixel(int(top % 28), int(top / 28));
    QVERIFY2(qRed(c) != qBlue(c), "the strongest change is grey");
    // The probability views show the model on the input and on the perturbed input.
    QCOMPARE(lab.perturbedProbabilities()->topDigit(), want.answer);
    QCOMPARE(lab.originalProbabilities()->topDigit(), want.original);
    for (int k = 0; k < 10; ++k)
        QCOMPARE(lab.perturbedProbabilities()->probabilities()[std::size_t(k)], want.probabilities[std::size_t(k)]);
    // A grab paints without trouble (three tiles, legend, two charts).
    QVERIFY(!lab.grab().isNull());
}

void TestRobustnessPanel::smallestEpsilonIsOnTheBoundary()
{
    app::AdversarialLab lab;
    lab.resize(640, 560);
    lab.show();
    lab.setModel(model());
    const std::vector<float> x = digit(5);
    lab.setInput(x.data());
    LabSettings s;  // FGSM, L-inf, away
    lab.setSettings(s);
    QTRY_VERIFY_WITH_TIMEOUT(settled(lab), 120000);
    QSignalSpy finished(&lab, &app::AdversarialLab::searchFinished);
    QTest::mouseClick(lab.findButton(), Qt::LeftButton);
    QVERIFY(!lab.findButton()->isEnabled());  // one search at a time; the GUI keeps running meanwhile
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    const nn::SmallestEpsilon& found = lab.search();
    QVERIFY(found.found);
    const float tol = 0.01f;
    const nn::SmallestEpsilon want = nn::smallestEpsilon(*model(), x.data(), s.options(), s.maxEps(), tol);
    QCOMPARE(found.eps, want.eps);
    const int original = answerFor(*model(), x.data());
    const nn::AttackResult at = nn::attack(*model(), x.data(), found.eps, s.options());
    QVERIFY(at.answer != original);
    const nn::AttackResult below = nn::attack(*model(), x.data(), found.eps * (1.0f - 0.5f * tol), s.options());
    QCOMPARE(below.answer, original);
    // The sentence, the box and the images are the attack at that ε.
    const QString text = lab.searchLabel()->text();
    QVERIFY2(text == QStringLiteral("The answer changes from %1 to %2 at ε = %3 (L∞)")
                         .arg(original)
                         .arg(at.answer)
                         .arg(QLocale().toString(double(found.eps), 'g', 3)),
             qPrintable(text));
    QCOMPARE(lab.settings().eps, found.eps);
    QCOMPARE(lab.perturbedTile()->values(), at.adversarial);
    QCOMPARE(lab.perturbedProbabilities()->topDigit(), at.answer);
    QVERIFY(lab.findButton()->isEnabled());
    // A new drawing makes the sentence go.
    const std::vector<float> y = digit(6);
    lab.setInput(y.data());
    QVERIFY(!lab.searchLabel()->text().contains(QStringLiteral("changes from")));
    // Out of reach: a target the budget cannot reach is said so.
    nn::SmallestEpsilon none;
    none.eps = 0.5f;
    LabSettings toward = s;
    toward.target = 4;
    QCOMPARE(app::smallestEpsilonText(none, toward), QStringLiteral("Does not reach 4 up to ε = 0.5 (L∞)"));
    QCOMPARE(app::smallestEpsilonText(none, s), QStringLiteral("Not changed up to ε = 0.5 (L∞)"));
}

void TestRobustnessPanel::curveIsMonotoneFromTheCleanAccuracy()
{
    const int n = 10;  // the fewest the page takes (under ThreadSanitizer 16 took 78 s, 40 took 158 s)
    app::RobustnessCurves curves;
    curves.resize(520, 420);
    curves.show();
    curves.setModel(model(), QStringLiteral("built-in default"));
    curves.setTestSet(std::make_shared<const nn::Dataset>(digits()));
    curves.setSamples(n);
    curves.setPgdSteps(3);
    QSignalSpy finished(&curves, &app::RobustnessCurves::computeFinished);
    QTest::mouseClick(curves.computeButton(), Qt::LeftButton);
    QVERIFY(curves.isRunning());
    QVERIFY(curves.progressBar()->isVisible());
    QCOMPARE(curves.progressBar()->maximum(), 2 * int(app::curveEpsilons(nn::AttackNorm::Linf).size()));
    QVERIFY(curves.cancelButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    QVERIFY(!curves.progressBar()->isVisible());
    QCOMPARE(int(curves.curves().size()), 2);

    int correct = 0;
    for (int i = 0; i < n; ++i)
        correct += answerFor(*model(), digit(i).data()) == digits().labels[std::size_t(i)];
    const double clean = double(correct) / n;
    for (const app::RobustnessSeries& s : curves.curves()) {
        QCOMPARE(s.samples, n);
        QCOMPARE(s.eps, app::curveEpsilons(nn::AttackNorm::Linf));
        QCOMPARE(s.accuracy.front(), clean);
        for (std::size_t i = 1; i < s.accuracy.size(); ++i)
            QVERIFY2(s.accuracy[i] <= s.accuracy[i - 1], qPrintable(s.name()));
        QVERIFY(s.accuracy.back() < clean);  // the attack does something at ε = 0.3
    }
    // PGD is at least as strong as FGSM.
    const auto& f = curves.curves()[0];
    const auto& p = curves.curves()[1];
    QCOMPARE(f.method, AttackMethod::Fgsm);
    QCOMPARE(p.method, AttackMethod::Pgd);
    QVERIFY(p.accuracy.back() <= f.accuracy.back());
    // The same values as the engine's curve; drawn as two labelled series.
    nn::AttackOptions o;
    const nn::RobustnessCurve want = nn::accuracyAgainstEpsilon(*model(), digits(), f.eps, o, n);
    QCOMPARE(f.accuracy, want.accuracy);
    const QList<QAbstractSeries*> series = curves.chart()->series();
    QCOMPARE(series.size(), 2);
    QCOMPARE(series[0]->name(), QStringLiteral("FGSM · built-in default"));
    QCOMPARE(series[1]->name(), QStringLiteral("PGD (3 steps) · built-in default"));
    // The legend draws each line's pen (solid FGSM, dashed PGD), not one colour square.
    QCOMPARE(curves.chart()->legend()->markerShape(), QLegend::MarkerShapeFromSeries);
    QCOMPARE(qobject_cast<QLineSeries*>(series[1])->pen().style(), Qt::DashLine);
    QCOMPARE(qobject_cast<QLineSeries*>(series[0])->pen().style(), Qt::SolidLine);
    auto* line = qobject_cast<QLineSeries*>(series[0]);
    QVERIFY(line);
    QCOMPARE(line->count(), int(f.eps.size()));
    QCOMPARE(line->at(0).y(), 100.0 * clean);
    QVERIFY(curves.statusLabel()->text().contains(QStringLiteral("%1 test images").arg(n)));
}

void TestRobustnessPanel::curvesOfEarlierModelsStayAndCancelKeepsThem()
{
    app::RobustnessCurves curves;
    curves.setTestSet(std::make_shared<const nn::Dataset>(digits()));
    curves.setSamples(10);
    curves.setPgdSteps(2);
    curves.setModel(model(), QStringLiteral("trained in DigitPad"));
    QSignalSpy finished(&curves, &app::RobustnessCurves::computeFinished);
    curves.compute();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    // Another model under the same name gets a number; the first one's curves stay.
    auto other = std::make_shared<nn::Model>(nn::Model::fromSpec("dense 16 | relu | dense 10"));
    other->initialize(3);
    curves.setModel(other, QStringLiteral("trained in DigitPad"));
    QCOMPARE(curves.modelLabel(), QStringLiteral("trained in DigitPad (2)"));
    curves.compute();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 180000);
    QCOMPARE(int(curves.curves().size()), 4);
    QCOMPARE(curves.chart()->series().size(), 4);
    QCOMPARE(curves.curves()[2].model, QStringLiteral("trained in DigitPad (2)"));
    // Back to the first model: its label again, and measuring it again replaces its curves.
    curves.setModel(model(), QStringLiteral("whatever"));
    QCOMPARE(curves.modelLabel(), QStringLiteral("trained in DigitPad"));
    // Cancel: the chart keeps what it had.
    curves.setSamples(10000);  // more than there are: all 48
    curves.setPgdSteps(100);
    curves.compute();
    curves.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 180000);
    QCOMPARE(int(curves.curves().size()), 4);
    QVERIFY2(curves.statusLabel()->text().startsWith(QStringLiteral("Cancelled")), qPrintable(curves.statusLabel()->text()));
    QVERIFY(curves.computeButton()->isEnabled());
    // Without a test set or MNIST: said, not a crash.
    app::RobustnessCurves bare;
    bare.setModel(model(), QStringLiteral("m"));
    bare.setDataDir(QDir::temp().filePath(QStringLiteral("no-mnist-here")));
    QSignalSpy bareDone(&bare, &app::RobustnessCurves::computeFinished);
    bare.compute();
    QTRY_COMPARE_WITH_TIMEOUT(bareDone.count(), 1, 120000);
    QVERIFY2(bare.statusLabel()->text().contains(QStringLiteral("MNIST test set is not in")),
             qPrintable(bare.statusLabel()->text()));
    QVERIFY(bare.curves().empty());
}

void TestRobustnessPanel::trainingOptionReachesTheWorkersConfig()
{
    QSettings().clear();
    {
        app::TrainingPanel p;
        p.setCheckpointPath(QString());
        auto* eps = p.findChild<QDoubleSpinBox*>(QStringLiteral("adversarialEpsSpin"));
        auto* steps = p.findChild<QSpinBox*>(QStringLiteral("adversarialStepsSpin"));
        auto* share = p.findChild<QDoubleSpinBox*>(QStringLiteral("adversarialFractionSpin"));
        QVERIFY(eps && steps && share);
        QCOMPARE(eps->value(), 0.0);  // off by default
        QCOMPARE(eps->text(), QStringLiteral("off"));
        QVERIFY(!steps->isEnabled() && !share->isEnabled());
        QCOMPARE(double(p.request().config.adversarialEps), 0.0);
        eps->setValue(0.1);
        QVERIFY(steps->isEnabled() && share->isEnabled());
        steps->setValue(3);
        share->setValue(0.25);
        const nn::TrainConfig c = p.request().config;
        QCOMPARE(c.adversarialEps, 0.1f);
        QCOMPARE(c.adversarialSteps, 3);
        QCOMPARE(c.adversarialFraction, 0.25f);
        QVERIFY2(c.describe().find("adversarial_eps=0.1 adversarial_steps=3 adversarial_fraction=0.25") !=
                     std::string::npos,
                 c.describe().c_str());  // what the run's record and the model's metadata keep
    }
    // Kept between sessions, as the other settings.
    const app::TrainingSettings t = app::TrainingSettings::load();
    QCOMPARE(t.adversarialEps, 0.1);
    QCOMPARE(t.adversarialSteps, 3);
    QCOMPARE(t.adversarialFraction, 0.25);
    app::TrainingPanel again;
    again.setCheckpointPath(QString());
    QCOMPARE(again.request().config.adversarialSteps, 3);
    QSettings().clear();
}

void TestRobustnessPanel::sendingToThePadKeepsThePerturbedAnswer()
{
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(w.robustnessPage());
    QCOMPARE(w.pageAt(w.pages()->count() - 1), static_cast<QWidget*>(w.robustnessPage()));
    QCOMPARE(w.pages()->tabText(w.pages()->count() - 1), QStringLiteral("Robustness"));
    // A digit on the pad, predicted as it is.
    const std::vector<float> x = digit(5);
    auto exact = std::make_shared<nn::PreprocessResult>();
    std::copy(x.begin(), x.end(), exact->input.begin());
    exact->empty = false;
    w.canvas()->placeImage(QImage(28, 28, QImage::Format_Grayscale8), exact);
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->last().revision == w.canvas()->revision() && !w.predictor()->last().empty(), 120000);
    const int original = w.predictor()->last().top;
    // The page takes the drawing when shown (Alt+9).
    QApplication::setActiveWindow(&w);
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_9, Qt::AltModifier);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.robustnessPage()));
    app::AdversarialLab* lab = w.robustnessPage()->lab();
    QTRY_VERIFY_WITH_TIMEOUT(settled(*lab), 120000);
    QCOMPARE(lab->inputTile()->values(), x);
    QSignalSpy finished(lab, &app::AdversarialLab::searchFinished);
    lab->findSmallestEpsilon();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY(lab->search().found);
    const nn::AttackResult r = lab->result();
    QVERIFY(r.answer != original);
    // The minimal perturbation rounded to 8 bits: what the old path would have sent.
    std::vector<float> rounded(r.adversarial);
    for (float& v : rounded)
        v = std::round(v * 255.0f) / 255.0f;
    qInfo("smallest eps %.4f: %d -> %d; at 8 bits the model says %d", double(r.eps), original, r.answer,
          answerFor(*model(), rounded.data()));
    // Send: the pad shows the perturbed answer for exactly that input.
    QTest::mouseClick(lab->sendButton(), Qt::LeftButton);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.drawPad()));
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->last().revision == w.canvas()->revision(), 120000);
    const app::Prediction& p = w.predictor()->last();
    QVERIFY(p.exact);
    QVERIFY(std::equal(r.adversarial.begin(), r.adversarial.end(), p.input.input.begin()));
    QCOMPARE(p.top, r.answer);
    QCOMPARE(w.drawPad()->probabilities()->topDigit(), r.answer);
    // A model swap reaches the page: the curves are labelled with its name.
    auto other = std::make_shared<nn::Model>(nn::Model::fromSpec("dense 16 | relu | dense 10"));
    other->initialize(3);
    QVERIFY(w.setModel(other, QStringLiteral("tiny")));
    QCOMPARE(w.robustnessPage()->curves()->modelLabel(), QStringLiteral("tiny"));
}

QTEST_MAIN(TestRobustnessPanel)
#include "test_robustness_panel.moc"
