// The pad's "Why this answer" tab (SaliencyPanel) and the browser's detail
// view: the chosen method's map is nn's map for the same input, Grad-CAM is
// offered only to models with a convolution, and the sanity check run from
// the button reports what nn::cascadingRandomisation reports, with its
// verdict in the label; a new drawing makes an old check disappear.
#include "common/defaultmodel.h"
#include "panels/mnist_browser.h"
#include "panels/saliency_panel.h"
#include "panels/saliency_view.h"

#include <nn/data/dataset.h>
#include <nn/saliency_sanity.h>
#include <nn/synth.h>

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

namespace {

std::vector<float> digit(int i)
{
    static const nn::Dataset d = nn::synthesizeStyles(4, 31, 1);
    std::vector<float> x(784);
    d.imageAsFloat(i, x.data());
    return x;
}

}  // namespace

class TestSaliencyPanel : public QObject {
    Q_OBJECT
private slots:
    void mapEqualsEngine_data();
    void mapEqualsEngine();
    void gradCamNeedsConvolution();
    void sanityCheckFromButton();
    void browserMethod();
};

void TestSaliencyPanel::mapEqualsEngine_data()
{
    QTest::addColumn<int>("method");
    for (nn::SaliencyMethod m : nn::kSaliencyMethods)
        QTest::newRow(nn::saliencyMethodKey(m)) << int(m);
}

void TestSaliencyPanel::mapEqualsEngine()
{
    QFETCH(int, method);
    const auto m = nn::SaliencyMethod(method);
    const std::shared_ptr<const nn::Model> model = app::loadDefaultModel();
    app::SaliencyPanel panel;
    panel.resize(300, 360);
    panel.show();
    panel.setModel(model);
    const std::vector<float> x = digit(1);
    panel.setDrawing(x.data());
    QSignalSpy ready(panel.view(), &app::SaliencyView::saliencyReady);
    panel.methodBox()->setMethod(m);
    QCOMPARE(panel.view()->method(), m);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.view()->saliency().values.empty() && panel.view()->saliency().method == m, 120000);
    const nn::SaliencyMap want = nn::computeSaliency(*model, x.data(), m);
    QCOMPARE(panel.view()->saliency().values, want.values);
    QCOMPARE(panel.view()->saliency().target, want.target);
    if (m == nn::SaliencyMethod::IntegratedGradients) {
        QVERIFY(panel.view()->saliency().completenessError <= 0.01);
        // The completeness is in the caption the view paints.
        const QImage shot = panel.view()->grab().toImage();
        QVERIFY(!shot.isNull());
    }
    // The overlay is coloured where the map is strongest.
    const QImage img = panel.view()->render(1);
    const auto top = std::max_element(want.values.begin(), want.values.end(),
                                      [](float a, float b) { return std::abs(a) < std::abs(b); }) -
                     want.values.begin();
    const QRgb c = img.pixel(int(top % 28), int(top / 28));
    QVERIFY2(qRed(c) != qGreen(c) || qGreen(c) != qBlue(c), "the strongest pixel is grey");
}

void TestSaliencyPanel::gradCamNeedsConvolution()
{
    nn::Model mlp = nn::Model::fromSpec("dense 16 | relu | dense 10");
    mlp.initialize(2);
    app::SaliencyMethodBox box;
    box.setMethod(nn::SaliencyMethod::GradCam);
    QSignalSpy changed(&box, &app::SaliencyMethodBox::methodChanged);
    box.setModel(&mlp);
    auto* items = qobject_cast<QStandardItemModel*>(box.model());
    QVERIFY(items);
    QVERIFY(!items->item(box.findData(int(nn::SaliencyMethod::GradCam)))->isEnabled());
    QVERIFY(items->item(box.findData(int(nn::SaliencyMethod::IntegratedGradients)))->isEnabled());
    QCOMPARE(box.method(), nn::SaliencyMethod::Occlusion);  // fell back
    QCOMPARE(changed.count(), 1);
    box.setModel(app::loadDefaultModel().get());
    QVERIFY(items->item(box.findData(int(nn::SaliencyMethod::GradCam)))->isEnabled());

    // A view asked for Grad-CAM on the MLP says why there is no map.
    app::SaliencyView view;
    view.setMethod(nn::SaliencyMethod::GradCam);
    view.setModel(std::make_shared<const nn::Model>(mlp));
    const std::vector<float> x = digit(0);
    view.setDrawing(x.data());
    QTest::qWait(50);
    QVERIFY(view.saliency().values.empty());
    QVERIFY(!view.isBusy());
}

void TestSaliencyPanel::sanityCheckFromButton()
{
    const std::shared_ptr<const nn::Model> model = app::loadDefaultModel();
    app::SaliencyPanel panel;
    panel.resize(300, 400);
    panel.show();
    QVERIFY(!panel.sanityButton()->isEnabled());  // nothing to check yet
    panel.setModel(model);
    const std::vector<float> x = digit(2);
    panel.setDrawing(x.data());
    QVERIFY(panel.sanityButton()->isEnabled());
    for (nn::SaliencyMethod m : {nn::SaliencyMethod::Gradient, nn::SaliencyMethod::GradientTimesInput}) {
        panel.methodBox()->setMethod(m);
        QSignalSpy done(&panel, &app::SaliencyPanel::sanityCheckFinished);
        QTest::mouseClick(panel.sanityButton(), Qt::LeftButton);
        QVERIFY(!panel.sanityButton()->isEnabled());  // one at a time
        QVERIFY(done.wait(120000));
        const nn::SanityReport want = nn::cascadingRandomisation(*model, x.data(), nn::saliencyFunction(m));
        const nn::SanityReport& got = panel.sanityReport();
        QCOMPARE(got.steps.size(), want.steps.size());
        for (std::size_t i = 0; i < want.steps.size(); ++i) {
            QCOMPARE(got.steps[i].correlation, want.steps[i].correlation);
            QCOMPARE(got.steps[i].inkCorrelation, want.steps[i].inkCorrelation);
        }
        QCOMPARE(got.passed, want.passed);
        const QString text = panel.sanityLabel()->text();
        qInfo("%s", qPrintable(text));
        QVERIFY(text.contains(want.passed ? "passes" : "FAILS"));
        QVERIFY(text.contains(QString::number(want.steps.back().correlation, 'f', 2)));
        QVERIFY(panel.sanityLabel()->isVisible());
        QVERIFY(panel.sanityButton()->isEnabled());
    }
    // The gradient passes on this digit, gradient x input (zero on the whole
    // background for any model) does not.
    panel.methodBox()->setMethod(nn::SaliencyMethod::Gradient);
    QVERIFY(panel.sanityReport().steps.empty());  // another method: the old check is gone
    QVERIFY(!panel.sanityLabel()->isVisible());
    QSignalSpy done(&panel, &app::SaliencyPanel::sanityCheckFinished);
    panel.runSanityCheck();
    QVERIFY(done.wait(120000));
    QVERIFY(panel.sanityReport().passed);
    // A new drawing drops the check.
    const std::vector<float> y = digit(3);
    panel.setDrawing(y.data());
    QVERIFY(panel.sanityReport().steps.empty());
    QVERIFY(panel.sanityLabel()->text().isEmpty());
}

void TestSaliencyPanel::browserMethod()
{
    const std::shared_ptr<const nn::Model> model = app::loadDefaultModel();
    app::SampleDetailView detail;
    detail.resize(320, 600);
    detail.show();
    detail.setModel(model);
    static const nn::Dataset d = nn::synthesizeStyles(1, 31, 1);
    detail.showSample(d.image(0), 28, 28, d.labels[0], nullptr, QStringLiteral("synthetic"));
    detail.saliencyMethodBox()->setMethod(nn::SaliencyMethod::GradCam);
    app::SaliencyView* view = detail.saliencyView();
    QCOMPARE(view->method(), nn::SaliencyMethod::GradCam);
    QTRY_VERIFY_WITH_TIMEOUT(!view->saliency().values.empty() && view->saliency().method == nn::SaliencyMethod::GradCam,
                             30000);
    std::vector<float> x(784);
    d.imageAsFloat(0, x.data());
    QCOMPARE(view->saliency().values, nn::gradCam(*model, x.data()).values);
}

QTEST_MAIN(TestSaliencyPanel)
#include "test_saliency_panel.moc"
