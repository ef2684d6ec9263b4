// Renders the inspection panels with real MNIST and a real model into PNGs
// for the README (not a test; needs MNIST):
//   inspect_screenshots [--model file.dpm] [--out dir]
// The model: --model, else resources/models/default.dpm, else a CNN trained
// here for a few hundred batches (cached in the temp directory).
#include "panels/augment_preview.h"
#include "panels/evaluation_panel.h"
#include "panels/confusion_view.h"
#include "panels/mnist_browser.h"
#include "panels/sample_filter.h"

#include <common/defaultmodel.h>
#include <nn/metrics.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QListWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

namespace {

void waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void settle(int ms = 300)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

// A model worth showing: accurate on (the first 2,000 of) the test set.
bool goodEnough(const nn::Model& m, const nn::Dataset& test)
{
    std::vector<int> first(2000);
    for (int i = 0; i < 2000; ++i)
        first[std::size_t(i)] = i;
    const double acc = nn::computeMetrics(nn::evaluate(m, test.subset(first))).accuracy;
    std::printf("  accuracy on 2,000 test images: %.2f%%\n", 100.0 * acc);
    return acc > 0.9;
}

std::shared_ptr<const nn::Model> obtainModel(const QString& given, const nn::Dataset& train, const nn::Dataset& test)
{
    const QString cache = QDir::tempPath() + "/digitpad-inspect-screenshot-model.dpm";
    for (const QString& path : {given, QStringLiteral(DIGITPAD_SOURCE_DIR "/resources/models/default.dpm"), cache}) {
        if (path.isEmpty() || !QFileInfo::exists(path))
            continue;
        std::printf("model: %s\n", qPrintable(path));
        try {
            auto m = std::make_shared<const nn::Model>(nn::loadModel(path.toStdString()));
            if (path == given || goodEnough(*m, test))
                return m;
        } catch (const std::exception& e) {
            std::printf("  unusable: %s\n", e.what());
        }
    }
    std::printf("model: training the cnn preset briefly (no trained model at hand)...\n");
    nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("cnn"));
    m.initialize(1);
    nn::TrainConfig cfg;
    cfg.epochs = 1;
    cfg.batchSize = 64;
    cfg.maxBatchesPerEpoch = 500;
    cfg.learningRate = 1e-3f;
    nn::Trainer trainer(m, cfg);
    trainer.run(train, nn::Dataset{});
    nn::saveModel(m, cache.toStdString());
    std::printf("model cached in %s\n", qPrintable(cache));
    goodEnough(m, test);
    return std::make_shared<const nn::Model>(std::move(m));
}

bool save(QWidget& w, const QString& path)
{
    const bool ok = w.grab().save(path);
    std::printf("%s %s (%dx%d)\n", ok ? "wrote" : "FAILED to write", qPrintable(path), w.width(), w.height());
    return ok;
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication qapp(argc, argv);
    QCoreApplication::setOrganizationName("DigitPad");
    QCoreApplication::setApplicationName("DigitPad");
    QString modelPath, out = QStringLiteral(DIGITPAD_SOURCE_DIR "/docs/screenshots");
    const QStringList args = qapp.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--model" && i + 1 < args.size())
            modelPath = args[++i];
        else if (args[i] == "--out" && i + 1 < args.size())
            out = args[++i];
    }
    QDir().mkpath(out);
    const QString dir = app::resolveDataDir();
    std::shared_ptr<const nn::Dataset> train, test;
    try {
        train = std::make_shared<const nn::Dataset>(nn::Dataset::loadMnist(dir.toStdString(), nn::Split::Train));
        test = std::make_shared<const nn::Dataset>(nn::Dataset::loadMnist(dir.toStdString(), nn::Split::Test));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inspect_screenshots needs MNIST: %s\n", e.what());
        return 1;
    }
    const auto model = obtainModel(modelPath, *train, *test);
    bool ok = true;

    // Browser: everything, predictions in, one misclassified test digit selected.
    {
        app::MnistBrowser b;
        b.resize(1280, 800);
        b.show();
        b.setDatasets(train, test);
        b.setModel(model);
        waitFor([&] { return b.predictionsReady(app::MnistBrowser::TrainSource); }, 600000);
        app::SampleFilter f;
        f.source = app::MnistBrowser::TestSource;
        b.setFilter(f);
        int row = 0;
        for (int r = 0; r < b.sampleModel()->rowCount(); ++r)
            if (b.sampleModel()->predicted(r) != b.sampleModel()->label(r) && r > 30) {
                row = r;
                break;
            }
        b.selectRow(row);  // scrolls it into view
        settle(1500);  // the saliency map
        ok = save(b, out + "/browser.png") && ok;

        f.outcome = app::SampleFilter::Outcome::Misclassified;
        f.sort = app::SampleFilter::Sort::ConfidenceDescending;
        b.setFilter(f);
        settle(1500);
        ok = save(b, out + "/browser-misclassified.png") && ok;
    }

    // The browser without MNIST: the download offer.
    {
        QTemporaryDir empty;
        app::MnistBrowser b;
        b.resize(900, 500);
        b.show();
        b.setDataDir(empty.path() + "/mnist");
        settle(800);
        ok = save(b, out + "/browser-missing.png") && ok;
    }

    // Augmentation preview on a training digit with the standard settings.
    {
        app::AugmentPreview p;
        p.resize(1100, 620);
        p.show();
        const int index = 17;  // an 8
        p.setSample(app::sampleImage(train->image(index), 28, 28),
                    QString("train #%1 (label %2)").arg(index).arg(train->labels[index]), index);
        p.setParams(nn::AugmentParams::parse(
            "rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=6:4,thick=-0.4:0.9,contrast=0.75:1,noise=0"));
        p.setSeed(20240601);
        p.regenerate();
        settle();
        ok = save(p, out + "/augment.png") && ok;
    }

    // Evaluation on the test set with the most confused cell opened.
    {
        app::EvaluationPanel e;
        e.resize(1400, 1000);
        e.show();
        e.setDatasets(train, test);
        e.setModel(model);
        e.evaluate(app::EvaluationPanel::TestSet);
        waitFor([&] { return e.hasResult(); }, 120000);
        const auto& m = e.metrics().confusion;
        int bt = 0, bp = 1;
        for (int t = 0; t < 10; ++t)
            for (int p = 0; p < 10; ++p)
                if (t != p && m[t][p] > m[bt][bp])
                    bt = t, bp = p;
        e.openCell(bt, bp);
        settle(1500);
        ok = save(e, out + "/confusion.png") && ok;
        e.findChild<QTabWidget*>()->setCurrentIndex(2);
        settle();
        ok = save(e, out + "/evaluation-calibration.png") && ok;
        std::printf("test accuracy %.2f%%, ECE %.2f%%, most confused: %d taken for %d (%d)\n",
                    100.0 * e.metrics().accuracy, 100.0 * e.calibration().ece, bt, bp, m[bt][bp]);
    }
    return ok ? 0 : 1;
}
