// The augmentation preview shows exactly what the trainer feeds the network:
// its tiles equal nn::Augmenter::apply with the trainer's per-sample seeds,
// and those seeds are checked against a real nn::Trainer run (the image the
// trainer used is recovered from a linear model's weight update).
#include "panels/augment_form.h"
#include "panels/augment_preview.h"
#include "panels/training_panel.h"

#include <nn/augment.h>
#include <nn/model.h>
#include <nn/trainer.h>

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QStandardPaths>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <cmath>
#include <cstring>

namespace {

constexpr int W = 28, H = 28;

// A "7" made of two strokes with soft edges.
std::vector<float> seven()
{
    std::vector<float> img(W * H, 0.0f);
    auto dot = [&](float cx, float cy) {
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x) {
                const float d = std::hypot(x - cx, y - cy);
                img[std::size_t(y) * W + x] = std::max(img[std::size_t(y) * W + x], std::clamp(1.8f - d, 0.0f, 1.0f));
            }
    };
    for (float t = 0; t <= 1.0f; t += 0.02f) {
        dot(8 + 12 * t, 7);
        dot(20 - 8 * t, 7 + 14 * t);
    }
    return img;
}

bool sameFloats(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

nn::AugmentParams everything()
{
    return nn::AugmentParams::parse(
        "rot=15,scale=0.8:1.2,shift=2.5,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05");
}

}  // namespace

class TestInspectAugment : public QObject {
    Q_OBJECT
private slots:
    void tilesEqualAugmenterApply_data();
    void tilesEqualAugmenterApply();
    void seedsMatchTheTrainer();
    void slidersRoundTripParams();
    void slidersRedrawAndButtons();
    void drawingSource();
    void fieldRangesAreTheSameEverywhere();
};

void TestInspectAugment::tilesEqualAugmenterApply_data()
{
    QTest::addColumn<QString>("params");
    QTest::addColumn<qulonglong>("seed");
    QTest::addColumn<int>("trainIndex");
    QTest::newRow("standard") << QString("standard") << 1ull << 0;
    QTest::newRow("all on")
        << QString("rot=15,scale=0.8:1.2,shift=2.5,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05")
        << 987654321ull << 41234;
    QTest::newRow("elastic only") << QString("rot=0,scale=1,shift=0,shear=0,elastic=20:3,thick=0,contrast=1,noise=0")
                                  << 77ull << 5;
}

void TestInspectAugment::tilesEqualAugmenterApply()
{
    QFETCH(QString, params);
    QFETCH(qulonglong, seed);
    QFETCH(int, trainIndex);
    const nn::AugmentParams p = nn::AugmentParams::parse(params.toStdString());

    app::AugmentPreview preview;
    const std::vector<float> src = seven();
    preview.setSample(src.data(), W, H, "fixture", trainIndex);
    preview.setParams(p);
    preview.setSeed(seed);
    preview.regenerate();
    QCOMPARE(preview.params(), p);  // the sliders represent these settings exactly
    QCOMPARE(preview.sampleIndex(), trainIndex);
    QCOMPARE(preview.tileCount(), app::AugmentPreview::kTiles);

    nn::Augmenter aug;
    std::vector<float> expected(W * H);
    int differentFromSource = 0;
    for (int k = 0; k < preview.tileCount(); ++k) {
        QCOMPARE(preview.tileSeed(k), nn::augmentSeed(seed, k, trainIndex));
        aug.apply(src.data(), expected.data(), W, H, p, nn::augmentSeed(seed, k, trainIndex));
        QVERIFY2(sameFloats(preview.tile(k), expected), qPrintable(QString("tile %1 differs").arg(k)));
        differentFromSource += !sameFloats(preview.tile(k), src);
    }
    QCOMPARE(differentFromSource, preview.tileCount());
}

void TestInspectAugment::seedsMatchTheTrainer()
{
    // One sample, batch 1, plain SGD on a linear model: the weight update of
    // epoch e is -lr (p - y) x_e^T and the bias update -lr (p - y), so the
    // augmented input x_e the trainer used is dW[k] / db[k]. A small rate
    // keeps p from saturating, so every epoch still has a gradient.
    const std::vector<float> src = seven();
    nn::Dataset data;
    data.images.resize(W * H);
    for (int i = 0; i < W * H; ++i)
        data.images[std::size_t(i)] = std::uint8_t(std::lround(src[std::size_t(i)] * 255.0f));
    data.labels = {7};

    nn::Model model = nn::Model::fromSpec("dense 10");
    model.initialize(5);
    nn::TrainConfig cfg;
    cfg.epochs = 3;
    cfg.batchSize = 1;
    cfg.learningRate = 0.05f;
    cfg.optimizer.kind = nn::OptimizerConfig::SGD;
    cfg.optimizer.momentum = 0.0f;
    cfg.augment = everything();
    cfg.seed = 424242;
    cfg.threads = 1;
    std::vector<std::vector<float>> params{model.params()};
    nn::Trainer trainer(model, cfg);
    trainer.run(data, nn::Dataset{}, {},
                [&](const nn::EpochReport&, const nn::TrainState& st) { params.push_back(st.params); });
    QCOMPARE(int(params.size()), cfg.epochs + 1);

    std::size_t wOff = 0, bOff = 0;
    for (const nn::ParamView& v : model.paramViews()) {
        if (v.name.find("weight") != std::string::npos)
            wOff = v.offset;
        if (v.name.find("bias") != std::string::npos)
            bOff = v.offset;
    }

    app::AugmentPreview preview;
    std::vector<float> asTrainerSees(W * H);
    data.imageAsFloat(0, asTrainerSees.data());  // the preview gets the sample as the trainer reads it
    preview.setSample(asTrainerSees.data(), W, H, "train #0", 0);
    preview.setParams(cfg.augment);
    preview.setSeed(cfg.seed);
    preview.regenerate();

    for (int e = 0; e < cfg.epochs; ++e) {
        const std::vector<float>& before = params[std::size_t(e)];
        const std::vector<float>& after = params[std::size_t(e) + 1];
        int k = 0;
        for (int j = 1; j < 10; ++j)
            if (std::abs(after[bOff + j] - before[bOff + j]) > std::abs(after[bOff + k] - before[bOff + k]))
                k = j;
        const double db = double(after[bOff + k]) - before[bOff + k];
        QVERIFY(std::abs(db) > 1e-3);  // 0.05 * |p - y| of the class that moved most
        double worst = 0, worstOther = 0;
        const std::vector<float>& tile = preview.tile(e);
        const std::vector<float>& other = preview.tile((e + 1) % preview.tileCount());
        for (int i = 0; i < W * H; ++i) {
            const double x =
                (double(after[wOff + std::size_t(k) * W * H + i]) - before[wOff + std::size_t(k) * W * H + i]) / db;
            worst = std::max(worst, std::abs(x - tile[std::size_t(i)]));
            worstOther = std::max(worstOther, std::abs(x - other[std::size_t(i)]));
        }
        qInfo("epoch %d: largest difference between the trainer's input and preview tile %d: %.2g "
              "(vs. another tile: %.2g)", e, e, worst, worstOther);
        QVERIFY(worst < 1e-3);
        QVERIFY(worstOther > 0.1);  // the check can tell tiles apart
    }
}

void TestInspectAugment::slidersRoundTripParams()
{
    app::AugmentPreview preview;
    QCOMPARE(preview.params(), nn::AugmentParams::standard());
    const nn::AugmentParams p = everything();
    preview.setParams(p);
    QCOMPARE(preview.params(), p);
    QCOMPARE(nn::AugmentParams::parse(preview.params().toString()), p);
}

void TestInspectAugment::slidersRedrawAndButtons()
{
    app::AugmentPreview preview;
    preview.resize(1000, 600);
    preview.show();
    const std::vector<float> src = seven();
    preview.setSample(src.data(), W, H, "fixture", 3);
    preview.regenerate();
    const std::vector<float> before = preview.tile(0);

    // Moving a slider redraws on the next event-loop turn.
    const auto sliders = preview.findChildren<QSlider*>();
    QCOMPARE(sliders.size(), 12);
    QSlider* rotation = sliders.front();
    rotation->setValue(rotation->maximum());
    QCOMPARE(preview.params().rotationDeg, 45.0f);
    QTRY_VERIFY(!sameFloats(preview.tile(0), before));

    // Scale min pushed above scale max drags max along.
    QSlider* scaleMin = sliders[1];
    QSlider* scaleMax = sliders[2];
    scaleMax->setValue(10);
    scaleMin->setValue(60);
    QVERIFY(preview.params().scaleMin <= preview.params().scaleMax);

    // New seed: a different seed and different tiles.
    QPushButton* newSeed = nullptr;
    QPushButton* apply = nullptr;
    for (QPushButton* b : preview.findChildren<QPushButton*>()) {
        if (b->text() == "New seed")
            newSeed = b;
        if (b->text() == "Apply to training")
            apply = b;
    }
    QVERIFY(newSeed && apply);
    preview.regenerate();
    const std::uint64_t oldSeed = preview.seed();
    const std::vector<float> tile = preview.tile(5);
    QSignalSpy seedSpy(&preview, &app::AugmentPreview::seedChanged);
    QTest::mouseClick(newSeed, Qt::LeftButton);
    QCOMPARE(seedSpy.count(), 1);
    QVERIFY(preview.seed() != oldSeed);
    QTRY_VERIFY(!sameFloats(preview.tile(5), tile));

    QSignalSpy applySpy(&preview, &app::AugmentPreview::applyAugmentation);
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(applySpy.count(), 1);
    const auto emitted = applySpy.takeFirst().at(0).value<nn::AugmentParams>();
    QCOMPARE(emitted, preview.params());
    QVERIFY(emitted.enabled);
}

void TestInspectAugment::drawingSource()
{
    app::AugmentPreview preview;
    const std::vector<float> src = seven();
    preview.setSample(src.data(), W, H, "sample", 9);
    std::vector<float> drawing(W * H, 0.0f);
    for (int y = 4; y < 24; ++y)
        drawing[std::size_t(y) * W + 13] = 1.0f;
    preview.setDrawing(drawing.data());
    preview.regenerate();
    QVERIFY(sameFloats(preview.source(), src));  // the sample stays until the person picks the drawing
    auto* combo = preview.findChild<QComboBox*>();
    QVERIFY(combo);
    combo->setCurrentIndex(1);
    preview.regenerate();
    QVERIFY(sameFloats(preview.source(), drawing));
    QCOMPARE(preview.sampleIndex(), 0);
    nn::Augmenter aug;
    std::vector<float> expected(W * H);
    aug.apply(drawing.data(), expected.data(), W, H, preview.params(), nn::augmentSeed(preview.seed(), 2, 0));
    QVERIFY(sameFloats(preview.tile(2), expected));
}

QTEST_MAIN(TestInspectAugment)
// One table (nn::augmentFields) drives the text form, the training panel's
// form and the preview's sliders: for every field, each end of the preview's
// slider reaches the training panel unclamped ("Apply to training"), the
// panel's spin box has the same range and step, and the text form takes it.
void TestInspectAugment::fieldRangesAreTheSameEverywhere()
{
    QStandardPaths::setTestModeEnabled(true);
    app::AugmentPreview preview;
    app::TrainingPanel panel;
    const auto& fields = nn::augmentFields();
    QCOMPARE(int(fields.size()), 12);
    for (int i = 0; i < int(fields.size()); ++i) {
        const nn::AugmentField& f = fields[std::size_t(i)];
        const QString name = QStringLiteral("augment.%1").arg(i);
        auto* slider = preview.findChild<QSlider*>(name);
        auto* spin = panel.findChild<QDoubleSpinBox*>(name);
        QVERIFY2(slider && spin, qPrintable(name));
        QCOMPARE(float(spin->minimum()), f.min);
        QCOMPARE(float(spin->maximum()), f.max);
        QCOMPARE(float(spin->singleStep()), f.step);
        QCOMPARE(slider->maximum() - slider->minimum(), int(std::lround((f.max - f.min) / f.step)));
        for (const bool top : {false, true}) {
            // Other fields at their standard values, so that no range end pushes this one along.
            preview.setParams(nn::AugmentParams::standard());
            slider->setValue(top ? slider->maximum() : slider->minimum());
            const nn::AugmentParams shown = preview.params();
            const float want = top ? f.max : f.min;
            QVERIFY2(std::abs(shown.*f.member - want) < 1e-5f,
                     qPrintable(QStringLiteral("%1 %2: preview gives %3, the table says %4")
                                    .arg(QString::fromUtf8(f.label), top ? "max" : "min")
                                    .arg(double(shown.*f.member))
                                    .arg(double(want))));
            panel.setAugmentParams(shown);
            const nn::AugmentParams taken = panel.augmentParams();
            QVERIFY2(taken.*f.member == shown.*f.member,
                     qPrintable(QStringLiteral("%1: the preview's %2 became %3 in the training panel")
                                    .arg(QString::fromUtf8(f.label))
                                    .arg(double(shown.*f.member))
                                    .arg(double(taken.*f.member))));
            QCOMPARE(nn::AugmentParams::parse(shown.toString()), shown);
        }
    }
}

#include "test_inspect_augment.moc"
