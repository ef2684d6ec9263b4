// Screenshots of the real application for the README (not a test; needs
// MNIST): one MainWindow, driven page by page as a person would use it.
//   app_screenshots [--out dir] [--lang en|zh_CN] [--size WxH] [--pad-only] [--runs DB [--search]]
//                   [--embedding [--also WxH,WxH]]
//                   [--robustness [--compare MODEL]] [--gallery] [--pages P,P,...]
// --embedding takes only the Layers page's embedding map (t-SNE of the test
// set with the drawn 3 on it), then the same window at each --also size.
// --robustness: only the Robustness page (needs MNIST's test set); --compare
// adds the curves of a second model file (e.g. one trained with --adversarial).
// --gallery: one screenshot of each page and its main views (no saliency
// method variants), the Robustness page and the Runs page (comparing the two
// training runs the Train page just made) included: the set docs/screenshots
// keeps for each language, theme and scale (scripts/screenshots).
// --pages draw,browse,layers,augment,evaluate,mydigits,train,robustness,runs
// takes only those pages (runs needs train's two runs; MNIST is loaded for
// any page after draw), e.g. to take one page again after changing it.
// --theme light|dark paints it as View > Theme would;
// --lang translates the GUI (and formats numbers) as View > Language would;
// --size is the window's size (default 1280x800).
// Settings and "My digits" go to Qt's test locations, so a person's own data
// is neither used nor touched; MNIST comes from $DIGITPAD_DATA or
// ~/.local/share/DigitPad/mnist.
#include "canvas/canvas.h"
#include "common/defaultmodel.h"
#include "common/language.h"
#include "main_window.h"
#include "panels/augment_preview.h"
#include "panels/draw_pad.h"
#include "panels/embedding_state.h"
#include "panels/embedding_view.h"
#include "panels/evaluation_panel.h"
#include "panels/adversarial_lab.h"
#include "panels/inspector_panel.h"
#include "panels/layer_view.h"
#include "panels/mnist_browser.h"
#include "panels/robustness_curves.h"
#include "panels/robustness_panel.h"
#include "panels/runs_panel.h"
#include "panels/search_panel.h"
#include "panels/theme.h"
#include "panels/sample_filter.h"
#include "panels/saliency_panel.h"
#include "panels/saliency_view.h"
#include "panels/training_panel.h"
#include "panels/user_digits_panel.h"
#include "workers/prediction_controller.h"
#include "workers/training_controller.h"

#include <nn/data/dataset.h>
#include <nn/data/userdigits.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>

#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return done();
}

void settle(int ms = 300)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

// --pages: the pages to take (empty: all). Which page a file shows is told
// by its name (pageOf), so a section that serves several pages saves only
// the wanted ones.
QStringList g_pages;

QString pageOf(const QString& file)
{
    static const std::pair<const char*, const char*> prefixes[] = {
        {"drawpad", "draw"},       {"browser", "browse"},    {"layers-health", "train"}, {"layers", "layers"},
        {"embedding", "layers"},   {"augment", "augment"},   {"confusion", "evaluate"},  {"evaluation", "evaluate"},
        {"mydigits", "mydigits"},  {"training", "train"},    {"adversarial", "robustness"},
        {"runs", "runs"},          {"search", "runs"}};
    for (const auto& [prefix, page] : prefixes)
        if (file.startsWith(QLatin1String(prefix)))
            return QLatin1String(page);
    return {};
}

bool want(const char* page) { return g_pages.isEmpty() || g_pages.contains(QLatin1String(page)); }

bool save(QWidget& w, const QString& path)
{
    if (!g_pages.isEmpty() && !g_pages.contains(pageOf(QFileInfo(path).fileName())))
        return true;  // not asked for
    const bool ok = w.grab().save(path);
    std::printf("%s %s (%dx%d)\n", ok ? "wrote" : "FAILED to write", qPrintable(path), w.width(), w.height());
    return ok;
}

// A hand-drawn-looking "3", as `digitpad --sample` draws it.
app::Stroke three()
{
    app::Stroke s;
    s.width = 30;
    auto arc = [&](QPointF c, qreal rx, qreal ry, qreal from, qreal to) {
        for (int i = 0; i <= 40; ++i) {
            const qreal t = (from + (to - from) * i / 40) * std::numbers::pi / 180.0;
            s.points.push_back({c + QPointF(rx * std::cos(t), ry * std::sin(t)), 1.0f});
        }
    };
    arc({272, 196}, 92, 74, 200, 450);
    arc({276, 352}, 108, 88, -95, 160);
    return s;
}

template <typename T>
T* child(QWidget* w, const char* name)
{
    T* c = w->findChild<T*>(QString::fromLatin1(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

// The Layers page's Embedding tab: t-SNE of the 10,000 test images (the
// window's MNIST), the mouse over a misclassified digit, the drawing's star.
bool shootEmbedding(app::MainWindow& w, const QString& path)
{
    app::InspectorPanel* layers = w.layersPage();
    w.showPage(layers);
    layers->showEmbedding();
    app::EmbeddingPanel* panel = layers->embeddingPanel();
    if (!waitFor([&] { return panel->state()->canCompute(); }, 120000)) {
        std::fprintf(stderr, "embedding: %s\n", qPrintable(panel->statusLabel()->text()));
        return false;
    }
    panel->methodBox()->setCurrentIndex(1);  // t-SNE
    QElapsedTimer t;
    t.start();
    panel->compute();
    if (!waitFor([&] { return !panel->state()->isRunning(); }, 900000) || !panel->state()->result()) {
        std::fprintf(stderr, "embedding: %s\n", qPrintable(panel->statusLabel()->text()));
        return false;
    }
    std::printf("embedding: t-SNE of the test set in %lld ms\n", static_cast<long long>(t.elapsed()));
    settle();
    // Hover a misclassified digit away from the star and the edges.
    app::ScatterView* view = panel->scatter();
    const auto r = panel->state()->result();
    const QRect inner = view->rect().adjusted(60, 80, -60, -60);
    for (int i = 0; i < view->pointCount(); ++i) {
        const QPointF at = view->transform().toWidget({view->points()[2 * std::size_t(i)], view->points()[2 * std::size_t(i) + 1]});
        if (r->wrong(i) && inner.contains(at.toPoint()) &&
            (!view->livePoint() || QLineF(at, view->transform().toWidget(*view->livePoint())).length() > 80)) {
            QTest::mouseMove(view, at.toPoint());
            break;
        }
    }
    settle();
    return save(w, path);
}

// The Robustness page on the pad's drawing: the lab's smallest FGSM ε, then
// the test-set curves of the model in use on `samples` images (added to the
// curves already shown).
void attackTheDrawing(app::MainWindow& w, int samples)
{
    app::RobustnessPanel* page = w.robustnessPage();
    w.showPage(page);
    app::AdversarialLab* lab = page->lab();
    QSignalSpy searched(lab, &app::AdversarialLab::searchFinished);
    waitFor([&] { return !lab->isBusy() && !lab->result().adversarial.empty(); }, 20000);
    lab->findSmallestEpsilon();
    waitFor([&] { return searched.count() == 1; }, 60000);
    app::RobustnessCurves* curves = page->curves();
    QSignalSpy computed(curves, &app::RobustnessCurves::computeFinished);
    curves->setSamples(samples);
    QElapsedTimer timer;
    timer.start();
    curves->compute();
    waitFor([&] { return computed.count() == 1; }, 600000);
    std::printf("curves of %s: %s (%lld ms)\n", qPrintable(curves->modelLabel()),
                qPrintable(curves->statusLabel()->text()), static_cast<long long>(timer.elapsed()));
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication qapp(argc, argv);
    QString out = QStringLiteral(DIGITPAD_SOURCE_DIR "/docs/screenshots");
    QString lang;
    QSize size(1280, 800);
    QString runsDb;  // --runs DB: only the Runs page, comparing that history's two newest runs
    bool padOnly = false;  // --pad-only: only the drawing pad and its saliency methods (no MNIST needed)
    bool search = false;  // with --runs: --search takes the Search tab with a search under way instead
    bool embeddingOnly = false;  // --embedding: only the embedding map
    QList<QSize> alsoSizes;      // with --embedding: the same map at these window sizes
    bool robustness = false;
    QString compare;  // with --robustness: a second model's curves
    QString theme;    // --theme light|dark: as View > Theme would (default: the system's)
    bool gallery = false;
    const QStringList args = qapp.arguments();
    for (int i = 1; i < args.size(); ++i)
        if (args[i] == "--out" && i + 1 < args.size())
            out = args[++i];
        else if (args[i] == "--theme" && i + 1 < args.size())
            theme = args[++i];
        else if (args[i] == "--lang" && i + 1 < args.size())
            lang = args[++i];
        else if (args[i] == "--size" && i + 1 < args.size()) {
            const QStringList wh = args[++i].split(QLatin1Char('x'));
            if (wh.size() == 2)
                size = QSize(wh[0].toInt(), wh[1].toInt());
        } else if (args[i] == "--runs" && i + 1 < args.size())
            runsDb = args[++i];
        else if (args[i] == "--pad-only")
            padOnly = true;
        else if (args[i] == "--search")
            search = true;
        else if (args[i] == "--embedding")
            embeddingOnly = true;
        else if (args[i] == "--also" && i + 1 < args.size()) {
            for (const QString& one : args[++i].split(QLatin1Char(','))) {
                const QStringList wh = one.split(QLatin1Char('x'));
                if (wh.size() == 2)
                    alsoSizes << QSize(wh[0].toInt(), wh[1].toInt());
            }
        }
        else if (args[i] == "--robustness")
            robustness = true;
        else if (args[i] == "--gallery")
            gallery = true;
        else if (args[i] == "--pages" && i + 1 < args.size())
            g_pages = args[++i].split(QLatin1Char(','), Qt::SkipEmptyParts);
        else if (args[i] == "--compare" && i + 1 < args.size())
            compare = args[++i];
    if (!lang.isEmpty()) {
        const app::InstalledLanguage l = app::installLanguage(app::uiLocale(lang));
        std::printf("language %s: DigitPad translation %s, Qt translation %s\n", qPrintable(l.locale.name()),
                    l.appTranslation ? "installed" : "missing", l.qtTranslation ? "installed" : "missing");
        if (lang != QLatin1String("en") && !l.appTranslation)
            return 1;
    }
    if (!theme.isEmpty())
        app::applyTheme(app::themeFromKey(theme));
    if (!runsDb.isEmpty())
        qputenv("DIGITPAD_RUNS_DB", QFile::encodeName(runsDb));
    QDir().mkpath(out);

    // MNIST from the person's data folder; everything else in test locations.
    const QString mnist = app::resolveDataDir();
    qputenv("DIGITPAD_DATA", QFile::encodeName(mnist));
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationName(QStringLiteral("DigitPad"));
    QSettings().clear();
    QDir(app::appDataDir()).removeRecursively();
    QDir(app::UserDigitsPanel::defaultDirectory()).removeRecursively();

    app::MainWindow w;
    w.resize(size);
    w.show();
    bool ok = true;
    if (!runsDb.isEmpty()) {
        auto* runs = w.findChild<app::RunsPanel*>();
        w.findChild<QTabWidget*>()->setCurrentWidget(runs);
        runs->refresh();
        std::vector<long long> ids;
        for (int r = 0; r < std::min(2, runs->tableModel()->rowCount()); ++r)
            ids.push_back(runs->tableModel()->run(r).id);
        runs->select(ids);
        if (search) {
            // A small grid on MNIST's first 1,000 images with the Train page's CNN, shown mid-search.
            auto* panel = runs->findChild<app::SearchPanel*>();
            runs->tabs()->setCurrentWidget(panel);
            panel->gridEdit()->setText(QStringLiteral("lr=1e-3,3e-3 batch=32,64"));
            panel->foldsBox()->setValue(2);
            panel->epochsBox()->setValue(2);
            panel->imagesBox()->setValue(1000);
            if (!panel->start()) {
                std::printf("search: %s\n", qPrintable(panel->statusLabel()->text()));
                return 1;
            }
            if (!waitFor([&] { return panel->trials().size() >= 2 || !panel->isSearching(); }, 150000) || !panel->isSearching()) {
                std::printf("search: %s\n", qPrintable(panel->statusLabel()->text()));
                return 1;
            }
            for (const QSize size : {QSize(1024, 600), QSize(1600, 1000)}) {
                w.resize(size);
                settle(800);
                ok = save(w, out + QStringLiteral("/search-%1x%2.png").arg(size.width()).arg(size.height())) && ok;
            }
            w.findChild<app::TrainingPanel*>()->controller()->stopSearch(true);
            waitFor([&] { return !panel->isSearching(); }, 60000);
            return ok ? 0 : 1;
        }
        for (const QSize size : {QSize(1024, 600), QSize(1600, 1000)}) {
            w.resize(size);
            settle(800);
            ok = save(w, out + QStringLiteral("/runs-compare-%1x%2.png").arg(size.width()).arg(size.height())) && ok;
        }
        // Every other tab of the comparison, at the larger size.
        auto* tabs = runs->findChild<QTabWidget*>();
        for (int i = 1; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            settle(400);
            ok = save(w, out + QStringLiteral("/runs-%1.png").arg(tabs->tabText(i).toLower().replace(' ', '-'))) && ok;
        }
        return ok ? 0 : 1;
    }
    auto predictedCurrent = [&] {
        return w.predictor()->last().revision == w.canvas()->revision();
    };
    if (embeddingOnly) {
        w.canvas()->addStroke(three());
        waitFor(predictedCurrent, 5000);
        w.showPage(w.browser());  // loads MNIST, as opening the page does
        ok = shootEmbedding(w, out + "/embedding.png");
        for (const QSize& s : alsoSizes) {
            w.resize(s);
            settle(800);
            ok = save(w, out + QStringLiteral("/embedding-%1x%2.png").arg(s.width()).arg(s.height())) && ok;
        }
        return ok ? 0 : 1;
    }

    // 1. The pad with a drawn 3; then "Why this answer".
    w.canvas()->addStroke(three());
    waitFor(predictedCurrent, 5000);
    settle();
    if (robustness) {
        // The lab on the 3 at its smallest FGSM ε, and the test-set curves of
        // the model in use (and of --compare's model). 200 images, not the
        // page's 1,000: two models' curves in minutes on 2 busy cores.
        attackTheDrawing(w, 200);
        if (!compare.isEmpty()) {
            if (!w.openModelFile(compare))
                return 1;
            attackTheDrawing(w, 200);
        }
        settle(800);
        ok = save(w, out + "/adversarial.png") && ok;
        for (const QSize other : {QSize(1024, 600), QSize(1600, 1000)}) {
            w.resize(other);
            settle(800);
            ok = save(w, QDir::temp().filePath(QStringLiteral("adversarial-%1x%2.png").arg(other.width()).arg(other.height()))) && ok;
        }
        return ok ? 0 : 1;
    }
    ok = save(w, out + "/drawpad.png") && ok;
    app::SaliencyView* why = w.drawPad()->saliency();
    w.drawPad()->showSaliency(true);
    waitFor([&] { return !why->saliency().values.empty(); }, 20000);
    settle();
    ok = save(w, out + "/drawpad-why.png") && ok;
    // The other methods, then the sanity check of integrated gradients.
    app::SaliencyPanel* panel = w.drawPad()->saliencyPanel();
    if (!gallery) {
        for (const nn::SaliencyMethod m : {nn::SaliencyMethod::Gradient, nn::SaliencyMethod::GradCam,
                                           nn::SaliencyMethod::GradientTimesInput, nn::SaliencyMethod::IntegratedGradients}) {
            panel->methodBox()->setMethod(m);
            waitFor([&] { return !why->saliency().values.empty() && why->saliency().method == m; }, 20000);
            settle();
            ok = save(w, out + QStringLiteral("/drawpad-why-%1.png").arg(QLatin1String(nn::saliencyMethodKey(m)))) && ok;
        }
        panel->runSanityCheck();
        waitFor([&] { return !panel->isCheckRunning() && !panel->sanityReport().steps.empty(); }, 120000);
        settle();
        ok = save(w, out + "/drawpad-sanity.png") && ok;
    }
    panel->methodBox()->setMethod(nn::SaliencyMethod::Occlusion);
    w.drawPad()->showSaliency(false);
    // The pad's compact Layers tab: every layer's maps for the 3.
    if (auto* below = w.drawPad()->findChild<QTabWidget*>()) {
        below->setCurrentIndex(below->count() - 1);
        settle();
        // The mouse on the second convolution's strongest unit: its
        // receptive field outlined on the drawing.
        auto* stack = qobject_cast<app::LayerStack*>(below->currentWidget());
        if (stack && stack->strips() > 4 && stack->strip(4)->trace().spatial()) {
            app::LayerStrip* strip = stack->strip(4);
            if (auto* area = stack->findChild<QScrollArea*>())
                waitFor([&] {
                    area->ensureWidgetVisible(strip);
                    return strip->visibleRegion().contains(strip->channelRect(0).center());
                }, 5000);
            const nn::LayerTrace& t = strip->trace();
            int best = 0;
            for (std::size_t i = 1; i < t.values.size(); ++i)
                if (t.values[i] > t.values[std::size_t(best)])
                    best = int(i);
            const int c = best / (t.shape.h * t.shape.w), y = best / t.shape.w % t.shape.h, x = best % t.shape.w;
            const QRect tile = strip->channelRect(c);
            QTest::mouseMove(strip, QPoint(tile.left() + int((x + 0.5) * tile.width() / t.shape.w),
                                           tile.top() + int((y + 0.5) * tile.height() / t.shape.h)));
            settle();
            std::printf("pad's Layers tab: unit (%d, %d) of channel %d of layer 4 hovered, receptive field %dx%d\n", y, x,
                        c, w.canvas()->receptiveField().width(), w.canvas()->receptiveField().height());
        }
        ok = save(w, out + "/drawpad-layers.png") && ok;
        below->setCurrentIndex(0);
        w.canvas()->setReceptiveField({});
    }
    if (padOnly || !(want("browse") || want("layers") || want("augment") || want("evaluate") || want("mydigits") ||
                     want("train") || want("runs") || want("robustness")))
        return ok ? 0 : 1;

    // 2. The browser: all 70,000, predictions in, a misclassified test digit selected.
    app::MnistBrowser* b = w.browser();
    QElapsedTimer opened;
    opened.start();
    w.showPage(b);
    if (!waitFor([&] { return b->hasData(); }, 60000)) {
        std::fprintf(stderr, "app_screenshots needs MNIST in %s (scripts/fetch-mnist)\n", qPrintable(mnist));
        return 1;
    }
    std::printf("browser: data shown after %lld ms\n", static_cast<long long>(opened.elapsed()));
    if (want("browse")) {  // the misclassified digit below needs them
        waitFor([&] { return b->predictionsReady(app::MnistBrowser::TrainSource); }, 600000);
        std::printf("browser: predictions for all 70,000 after %lld ms\n", static_cast<long long>(opened.elapsed()));
    }
    app::SampleFilter f;
    f.source = app::MnistBrowser::TestSource;
    b->setFilter(f);
    int row = 0;
    for (int r = 40; r < b->sampleModel()->rowCount(); ++r)
        if (b->sampleModel()->predicted(r) != b->sampleModel()->label(r)) {
            row = r;
            break;
        }
    b->selectRow(row);
    settle(1500);  // the saliency map of the selected sample
    ok = save(w, out + "/browser.png") && ok;
    if (!gallery) {
        f.outcome = app::SampleFilter::Outcome::Misclassified;
        f.sort = app::SampleFilter::Sort::ConfidenceDescending;
        b->setFilter(f);
        b->selectRow(0);
        settle(1500);
        ok = save(w, out + "/browser-misclassified.png") && ok;
    }

    if (want("layers")) {
        // 2b. The Layers page: a map of the second convolution selected, a unit
        // hovered (its receptive field outlined), the test images that excite it.
        app::InspectorPanel* layers = w.layersPage();
        w.showPage(layers);
        layers->select(6, 5);  // conv 64 5 | batchnorm | relu: the relu's channel 5
        waitFor([&] { return !layers->shownExemplars().empty(); }, 120000);
        layers->hoverUnit(6, 5, 7, 9);
        settle();
        ok = save(w, out + "/layers.png") && ok;
        ok = shootEmbedding(w, out + "/embedding.png") && ok;
        layers->showHealth(false);  // back to the layer outputs
    }

    if (want("augment")) {
        // 3. The augmentation preview on the digit selected in the browser.
        w.showPage(w.augmentPreview());
        w.augmentPreview()->setParams(nn::AugmentParams::parse(
            "rot=12,scale=0.85:1.1,shift=2.5,shear=12,elastic=6:4,thick=-0.4:0.9,contrast=0.75:1,noise=0"));
        w.augmentPreview()->setSeed(20240601);
        w.augmentPreview()->regenerate();
        settle(800);
        ok = save(w, out + "/augment.png") && ok;
    }

    if (want("evaluate")) {
        // 4. Evaluation of the test set, the most confused cell opened.
        app::EvaluationPanel* e = w.evaluationPanel();
        w.showPage(e);
        e->evaluate(app::EvaluationPanel::TestSet);
        waitFor([&] { return e->hasResult() && !e->isRunning(); }, 120000);
        const auto& m = e->metrics().confusion;
        int bt = 0, bp = 1;
        for (int t = 0; t < 10; ++t)
            for (int p = 0; p < 10; ++p)
                if (t != p && m[t][p] > m[bt][bp])
                    bt = t, bp = p;
        e->openCell(bt, bp);
        settle(1500);
        ok = save(w, out + "/confusion.png") && ok;
        e->findChild<QTabWidget*>()->setCurrentIndex(2);
        settle();
        ok = save(w, out + "/evaluation-calibration.png") && ok;
        e->findChild<QTabWidget*>()->setCurrentIndex(0);
        std::printf("test accuracy %.2f%%, most confused: %d taken for %d (%d times)\n", 100.0 * e->metrics().accuracy,
                    bt, bp, m[bt][bp]);
    }

    if (want("mydigits")) {
        // 5. My digits: a dozen test digits put on the pad and added with their labels.
        f = {};
        f.source = app::MnistBrowser::TestSource;
        b->setFilter(f);
        for (int r = 0; r < 14; ++r) {
            b->selectRow(r);
            emit b->detailView()->sendToCanvas(b->detailView()->image());
            waitFor(predictedCurrent, 5000);
            w.addDrawingToMyDigits(b->sampleModel()->label(r));
            w.canvas()->clear();
        }
        w.showPage(w.userDigits());
        settle(500);
        ok = save(w, out + "/mydigits.png") && ok;
    }

    if (want("train") || want("runs")) {
        // 6. Training: a short run of the default CNN leaves "previous" curves,
        // the second run is caught mid-way with the pad following it.
        app::TrainingPanel* t = w.trainingPanel();
        w.showPage(t);
        t->setMaxBatchesPerEpoch(40);
        auto* preset = child<QComboBox>(t, "presetCombo");
        preset->setCurrentIndex(preset->findData(QStringLiteral("cnn")));
        emit preset->activated(preset->currentIndex());
        child<QSpinBox>(t, "patienceSpin")->setValue(0);
        child<QDoubleSpinBox>(t, "learningRateSpin")->setValue(3e-4);
        child<QSpinBox>(t, "epochsSpin")->setValue(4);
        QSignalSpy finished(t->controller(), &app::TrainingController::finished);
        t->start();
        waitFor([&] { return finished.count() == 1; }, 600000);
        t->discardResult();
        child<QDoubleSpinBox>(t, "learningRateSpin")->setValue(1e-3);
        child<QSpinBox>(t, "epochsSpin")->setValue(8);
        QSignalSpy epochs(t->controller(), &app::TrainingController::epochFinished);
        t->setFollowTraining(true);
        t->start();
        waitFor([&] { return epochs.count() >= 5; }, 600000);
        settle(1200);  // a few batches into the next epoch
        ok = save(w, out + "/training.png") && ok;
        // The same run on the Layers page's training health.
        w.showPage(w.layersPage());
        w.layersPage()->showHealth(true);
        settle(2500);  // the next health report
        ok = save(w, out + "/layers-health.png") && ok;
        w.layersPage()->showHealth(false);
        t->stop();
        waitFor([&] { return !t->isRunning(); }, 10000);
        t->discardResult();
    }

    if (!gallery)
        return ok ? 0 : 1;

    if (want("robustness")) {
        // 7. The Robustness page: the lab on the drawn 3 at its smallest FGSM ε,
        // the test-set curves on 100 images (the page's own default is 1,000).
        w.canvas()->clear();
        w.canvas()->addStroke(three());
        waitFor(predictedCurrent, 5000);
        attackTheDrawing(w, 100);
        settle(800);
        ok = save(w, out + "/adversarial.png") && ok;
    }

    if (want("runs")) {
        // 8. The Runs page: the two training runs above compared.
        auto* runs = w.findChild<app::RunsPanel*>();
        w.findChild<QTabWidget*>()->setCurrentWidget(runs);
        runs->refresh();
        std::vector<long long> ids;
        for (int r = 0; r < std::min(2, runs->tableModel()->rowCount()); ++r)
            ids.push_back(runs->tableModel()->run(r).id);
        runs->select(ids);
        settle(800);
        ok = save(w, out + "/runs.png") && ok;
    }
    return ok ? 0 : 1;
}
