#include "main_window.h"

#include "canvas/canvas.h"
#include "common/defaultmodel.h"
#include "common/imageconvert.h"
#include "common/language.h"
#include "common/settings.h"
#include "panels/adversarial_lab.h"
#include "panels/augment_preview.h"
#include "panels/draw_pad.h"
#include "panels/theme.h"
#include "panels/evaluation_panel.h"
#include "panels/health_view.h"
#include "panels/icons.h"
#include "panels/inspector_panel.h"
#include "panels/layer_inspector.h"
#include "panels/layer_view.h"
#include "panels/mnist_browser.h"
#include "panels/robustness_panel.h"
#include "panels/runs_panel.h"
#include "panels/search_panel.h"
#include "panels/save_dialog.h"
#include "panels/training_panel.h"
#include "panels/user_digits_panel.h"
#include "workers/prediction_controller.h"

#include <nn/cpu.h>
#include <nn/data/dataset.h>
#include <nn/data/userdigits.h>

#include <nn/errors.h>
#include <nn/model.h>
#include <nn/onnx.h>
#include <nn/serialize.h>
#include <nn/torch_project.h>

#include <Eigen/Core>
#include <zlib.h>

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

namespace app {

namespace {

QString builtinName()
{
    return QObject::tr("built-in default");
}

// "Undo the last stroke (Ctrl+Z)": tooltips name the shortcut.
void describe(QAction* action, const QString& tip)
{
    const QKeySequence key = action->shortcut();
    action->setToolTip(key.isEmpty() ? tip
                                     : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
}

QString accuracyText(const nn::Model& model)
{
    const auto it = model.metadata().find("test_accuracy");
    if (it == model.metadata().end())
        return QObject::tr("test accuracy not recorded");
    bool ok = false;
    double v = QString::fromStdString(it->second).toDouble(&ok);
    if (!ok)
        return QObject::tr("test accuracy %1").arg(QString::fromStdString(it->second));
    if (v <= 1.0)  // stored as a fraction
        v *= 100.0;
    return QObject::tr("test accuracy %1%").arg(v, 0, 'f', 2);
}

QString imageFilter()
{
    QStringList patterns;
    for (const QByteArray& f : QImageReader::supportedImageFormats())
        patterns << QStringLiteral("*.") + QString::fromLatin1(f);
    return QObject::tr("Images (%1);;All files (*)").arg(patterns.join(QLatin1Char(' ')));
}

// Each page sits in a scroll area that scrolls only when the window is
// smaller than the page needs: a 1024x600 screen (or a 1366x768 laptop
// at 125%) can show every page, instead of the largest page's minimum
// becoming the window's and pushing the status bar off the screen.
QScrollArea* scrolledPage(QTabWidget* pages, QWidget* page)
{
    auto* area = new QScrollArea(pages);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setWidget(page);
    return area;
}

bool isModelPath(const QString& path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("dpm"), Qt::CaseInsensitive) == 0;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_predictor(new PredictionController(this)),
      m_pages(new QTabWidget(this)),
      m_pad(new DrawPad(m_predictor, m_pages)),
      m_modelLabel(new QLabel(this))
{
    setWindowTitle(tr("DigitPad"));
    setAcceptDrops(true);
    ChartStyler::install();  // charts take their colours from the palette, whatever the theme

    m_pages->setDocumentMode(true);
    m_pages->setTabBarAutoHide(true);
    m_pages->addTab(m_pad, tr("Draw"));
    setCentralWidget(m_pages);
    createPages();

    m_modelLabel->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(m_modelLabel);

    createActions();
    createMenus();
    readSettings();

    // The model of the last session when it came from a file (opened, saved
    // or kept after training); otherwise, or when that file is gone or
    // damaged, the built-in one.
    const QString remembered = Settings().value(keys::kModelPath).toString();
    bool restored = false;
    if (!remembered.isEmpty()) {
        try {
            restored = setModel(std::make_shared<const nn::Model>(loadModelFile(remembered)),
                                QFileInfo(remembered).fileName());
        } catch (const std::exception& e) {
            rememberModelPath({});
            statusBar()->showMessage(tr("The last model could not be loaded (%1); using the built-in one")
                                         .arg(errorText(e)),
                                     10000);
        }
    }
    try {
        if (!restored)
            setModel(loadDefaultModel(), builtinName());
    } catch (const std::exception& e) {
        // A build without its model still draws and shows the 28x28 input.
        m_lastError = errorText(e);
        m_predictor->setModel(nullptr);
        m_modelName.clear();
        updateModelStatus();
        statusBar()->showMessage(tr("The built-in model could not be loaded: %1").arg(m_lastError));
    }
    canvas()->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createPages()
{
    m_training = new TrainingPanel(m_pages);
    m_evaluation = new EvaluationPanel(m_pages);
    m_browser = new MnistBrowser(m_pages);
    m_augment = new AugmentPreview(m_pages);
    m_myDigits = new UserDigitsPanel(UserDigitsPanel::defaultDirectory(), m_pages);

    m_pages->addTab(scrolledPage(m_pages, m_training), tr("Train"));
    m_pages->addTab(scrolledPage(m_pages, m_evaluation), tr("Evaluate"));
    m_pages->addTab(scrolledPage(m_pages, m_browser), tr("Browse MNIST"));
    m_pages->addTab(scrolledPage(m_pages, m_augment), tr("Augmentation"));
    m_pages->addTab(scrolledPage(m_pages, m_myDigits), tr("My Digits"));
    createRunsPage();
    createLayersPage();
    createRobustnessPage();
    for (int i = 0; i < m_pages->count(); ++i)
        m_pages->setTabToolTip(i, tr("%1 (Alt+%2)").arg(m_pages->tabText(i)).arg(i + 1));
    connect(m_pages, &QTabWidget::currentChanged, this, &MainWindow::pageShown);

    // Training: the pad follows the run when asked, and takes the result
    // when the person keeps it.
    m_training->setUserDigits(m_myDigits);
    connect(m_training, &TrainingPanel::followSnapshot, m_predictor, &PredictionController::setModel);
    connect(m_training, &TrainingPanel::followSnapshot, this, &MainWindow::updateModelStatus);
    connect(m_training, &TrainingPanel::runningChanged, this, &MainWindow::updateModelStatus);
    connect(m_training, &TrainingPanel::modelTrained, this,
            [this](std::shared_ptr<const nn::Model> m) { keepTrainedModel(std::move(m)); });

    // The augmentation preview and the trainer share their settings and seed.
    m_augment->setParams(m_training->augmentParams());
    m_augment->setSeed(m_training->seed());
    connect(m_augment, &AugmentPreview::applyAugmentation, this, [this](const nn::AugmentParams& p) {
        m_training->setAugmentParams(p);
        m_training->setSeed(m_augment->seed());  // the tiles shown are what the trainer will feed
        statusBar()->showMessage(tr("The training panel now uses these augmentation settings and seed %1")
                                     .arg(m_training->seed()),
                                 5000);
    });
    connect(m_training, &TrainingPanel::augmentParamsChanged, m_augment, &AugmentPreview::setParams);
    connect(m_training, &TrainingPanel::seedChanged, m_augment, [this](quint64 seed) { m_augment->setSeed(seed); });

    // MNIST is loaded once, by the browser, and shared with the evaluation.
    connect(m_browser, &MnistBrowser::datasetsLoaded, m_evaluation, &EvaluationPanel::setDatasets);
    connect(m_browser, &MnistBrowser::sampleSelected, m_augment,
            [this](const QImage& image, const QString& caption, int trainIndex) {
                m_augment->setSample(image, caption, trainIndex);
            });
    // A training sample keeps its index, so that the tiles are what the trainer feeds for it.
    auto preview = [this](const QImage& image, const QString& caption, int trainIndex) {
        m_augment->setSample(image, caption, trainIndex);
        showPage(m_augment);
    };
    connect(m_browser, &MnistBrowser::previewAugmentation, this, preview);
    connect(m_evaluation, &EvaluationPanel::previewAugmentation, this,
            [preview](const QImage& image, const QString& caption) { preview(image, caption, -1); });
    connect(m_browser, &MnistBrowser::sendToCanvas, this,
            [this](const QImage& image) { putOnCanvas(image, tr("the MNIST sample")); });
    connect(m_evaluation, &EvaluationPanel::sendToCanvas, this,
            [this](const QImage& image) { putOnCanvas(image, tr("the sample")); });
    // A test-set evaluation also gives the browser its predictions.
    connect(m_evaluation, &EvaluationPanel::evaluated, this,
            [this](EvaluationPanel::Set set, std::shared_ptr<const nn::Dataset>,
                   std::shared_ptr<const nn::Evaluation> evaluation) {
                if (set == EvaluationPanel::TestSet && m_browser->hasSource(MnistBrowser::TestSource))
                    m_browser->setEvaluation(MnistBrowser::TestSource, std::move(evaluation));
                else if (set == EvaluationPanel::TrainSet && m_browser->hasSource(MnistBrowser::TrainSource))
                    m_browser->setEvaluation(MnistBrowser::TrainSource, std::move(evaluation));
            });

    // The person's own digits can be evaluated like a split.
    auto shareDigits = [this] {
        m_evaluation->setUserDigits(m_myDigits->count() > 0
                                        ? std::make_shared<const nn::Dataset>(m_myDigits->store().data())
                                        : nullptr);
    };
    connect(m_myDigits, &UserDigitsPanel::changed, this, shareDigits);
    shareDigits();
    connect(m_myDigits, &UserDigitsPanel::errorOccurred, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });

    // The current drawing feeds the augmentation preview.
    connect(m_predictor, &PredictionController::predicted, this, [this](const Prediction& p) {
        if (!p.empty() && currentPage() == m_augment)
            m_augment->setDrawing(p.input.input.data());
    });
}

QWidget* MainWindow::pageAt(int index) const
{
    QWidget* tab = m_pages->widget(index);
    if (auto* area = qobject_cast<QScrollArea*>(tab))
        return area->widget();
    return tab;
}

QWidget* MainWindow::currentPage() const { return pageAt(m_pages->currentIndex()); }

void MainWindow::showPage(QWidget* page)
{
    for (int i = 0; i < m_pages->count(); ++i)
        if (pageAt(i) == page)
            m_pages->setCurrentIndex(i);
}

void MainWindow::pageShown(int index)
{
    QWidget* page = pageAt(index);
    // Loading 70,000 images takes a moment; it happens off the GUI thread
    // the first time a page that shows them is opened, not at start-up.
    if (page == m_browser || page == m_layers)
        loadMnistViews();
    if (page == m_robustness) {
        const Prediction& last = m_predictor->last();
        m_robustness->setDrawing(last.empty() ? nullptr : last.input.input.data());
    }
    if (page == m_augment) {
        const Prediction& last = m_predictor->last();
        if (!last.empty())
            m_augment->setDrawing(last.input.input.data());
    }
}

void MainWindow::loadMnistViews()
{
    if (m_browserLoaded)
        return;
    m_browserLoaded = true;
    m_browser->setDataDir(resolveDataDir());
}

void MainWindow::createLayersPage()
{
    // One inspector behind the Layers page and the pad's compact Layers tab:
    // the current model and drawing; each view traces only while it shows.
    m_inspector = new LayerInspector(this);
    m_inspector->setModel(m_predictor->model());
    connect(m_predictor, &PredictionController::modelChanged, m_inspector,
            [this] { m_inspector->setModel(m_predictor->model()); });
    connect(m_predictor, &PredictionController::predicted, m_inspector, [this](const Prediction& p) {
        if (p.empty())
            m_inspector->clearInput();
        else
            m_inspector->setInput(p.input.input.data());
    });
    connect(m_browser, &MnistBrowser::datasetsLoaded, m_inspector,
            [this](std::shared_ptr<const nn::Dataset>, std::shared_ptr<const nn::Dataset> test) {
                if (test)
                    m_inspector->setExemplarSource(std::move(test));
            });

    m_layers = new InspectorPanel(m_inspector, m_pages);
    m_pages->addTab(m_layers, tr("Layers"));  // its two columns scroll themselves
    connect(m_training, &TrainingPanel::healthMeasured, m_layers->healthView(), &HealthView::addHealth);
    connect(m_training, &TrainingPanel::runningChanged, m_layers->healthView(), [this](bool running) {
        if (running)
            m_layers->healthView()->clear();
    });
    connect(m_layers, &InspectorPanel::sendToCanvas, this,
            [this](const QImage& image) { putOnCanvas(image, tr("the test image")); });
    // The embedding map: a click opens the image in the browser, a lasso lists its images there.
    connect(m_layers, &InspectorPanel::openTestSample, this, [this](int index) {
        showPage(m_browser);
        m_browser->showSample(MnistBrowser::TestSource, index);
    });
    connect(m_layers, &InspectorPanel::selectTestSamples, this, [this](const QList<int>& indices) {
        m_browser->showSamples(MnistBrowser::TestSource, std::vector<int>(indices.begin(), indices.end()));
    });

    auto* compact = new LayerStack(m_inspector, 20, m_pad);
    compact->setAccessibleName(tr("Layer outputs"));
    m_pad->addViewTab(compact, tr("Layers"),
                      tr("Every layer's output for the drawing, as you draw; click a map to open it on the Layers page"));
    connect(compact, &LayerStack::channelClicked, this, [this](int layer, int channel) {
        showPage(m_layers);
        m_layers->select(layer, channel);
    });
    // The unit under the mouse in that tab: its receptive field on the drawing.
    connect(compact, &LayerStack::unitHovered, this, [this](int layer, int channel, int y, int x) {
        if (!m_inspector->hasUnit(layer, channel, y, x)) {
            canvas()->setReceptiveField({});  // left the strips, or the softmax
            return;
        }
        const nn::ReceptiveField f = m_inspector->receptiveField(std::size_t(layer), channel, y, x);
        canvas()->setReceptiveField(QRect(f.x0, f.y0, f.width(), f.height()));
    });
    connect(m_inspector, &LayerInspector::modelChanged, this, [this] { canvas()->setReceptiveField({}); });
}

void MainWindow::createRobustnessPage()
{
    // The lab follows the pad's model (training snapshots too) and, while its
    // page shows, the drawing; the curves are labelled with the model's name
    // (setModel).
    m_robustness = new RobustnessPanel(m_pages);
    m_robustness->setDataDir(resolveDataDir());
    m_pages->addTab(scrolledPage(m_pages, m_robustness), tr("Robustness"));
    connect(m_predictor, &PredictionController::modelChanged, m_robustness,
            [this] { m_robustness->lab()->setModel(m_predictor->model()); });
    connect(m_predictor, &PredictionController::predicted, m_robustness, [this](const Prediction& p) {
        if (currentPage() == m_robustness)
            m_robustness->setDrawing(p.empty() ? nullptr : p.input.input.data());
    });
    connect(m_browser, &MnistBrowser::datasetsLoaded, m_robustness,
            [this](std::shared_ptr<const nn::Dataset>, std::shared_ptr<const nn::Dataset> test) {
                if (test)
                    m_robustness->setTestSet(std::move(test));
            });
    connect(m_robustness->lab(), &AdversarialLab::sendToCanvas, this,
            [this](std::shared_ptr<const nn::PreprocessResult> input) {
                const QImage image = floatToImage(input->input.data(), 28, 28);
                putOnCanvas(image, tr("the perturbed image"), std::move(input));
            });
}

void MainWindow::putOnCanvas(const QImage& image, const QString& what,
                             std::shared_ptr<const nn::PreprocessResult> exact)
{
    showPage(m_pad);
    // A 28x28 sample already is a network input (ink bright, as MNIST):
    // predict it as it is, as Browse and Evaluate did, not its copy redrawn
    // at 560x560 and prepared again.
    if (!exact && image.width() == 28 && image.height() == 28) {
        const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
        std::array<float, 28 * 28> input;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                input[std::size_t(y * 28 + x)] = float(g.constScanLine(y)[x]) * (1.0f / 255.0f);  // as sampleFloats()
        exact = std::make_shared<const nn::PreprocessResult>(nn::asIs(input.data()));
    }
    canvas()->placeImage(image, std::move(exact));
    canvas()->setFocus();
    statusBar()->showMessage(tr("Put %1 on the canvas as it is (drawing on it prepares the drawing anew); Ctrl+Z "
                                "takes it off")
                                 .arg(what),
                             5000);
}

int MainWindow::addDrawingToMyDigits(int label)
{
    const Prediction& last = m_predictor->last();
    const bool current = last.revision == canvas()->revision();
    int stored = -1;
    if (label >= 0 && label <= 9) {
        const QImage drawing = canvas()->snapshot();
        stored = m_myDigits->addImage(drawing, label, canvas()->darkInk() ? 1 : 0) ? label : -1;
    } else {
        stored = m_myDigits->addFromCanvas(canvas()->snapshot(), current && last.valid ? last.top : -1, this,
                                           canvas()->darkInk() ? 1 : 0);
    }
    if (stored >= 0)
        statusBar()->showMessage((m_myDigits->count() == 1
                                      ? tr("Added to My Digits as a %1 (your first); the Train page can fine-tune on them")
                                            .arg(stored)
                                      : tr("Added to My Digits as a %1 (%2 digits); the Train page can fine-tune on them")
                                            .arg(stored)
                                            .arg(m_myDigits->count())),
                                 6000);
    canvas()->setFocus();
    return stored;
}

Canvas* MainWindow::canvas() const
{
    return m_pad->canvas();
}

std::shared_ptr<const nn::Model> MainWindow::model() const
{
    return m_predictor->model();
}

void MainWindow::createActions()
{
    Canvas* c = canvas();

    // File: window-wide shortcuts.
    m_openImage = new QAction(glyphIcon(Glyph::OpenImage), tr("Open &Image..."), this);
    m_openImage->setShortcut(QKeySequence::Open);
    describe(m_openImage, tr("Put a picture of a digit (PNG, JPEG, any size) on the canvas"));
    connect(m_openImage, &QAction::triggered, this, &MainWindow::openImage);

    m_openModel = new QAction(tr("Open &Model..."), this);
    m_openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    describe(m_openModel, tr("Predict with a model file (.dpm, or .onnx from PyTorch and others)"));
    connect(m_openModel, &QAction::triggered, this, &MainWindow::openModel);

    m_saveModel = new QAction(tr("&Save Model As..."), this);
    m_saveModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    describe(m_saveModel, tr("Save the model in use to a file"));
    connect(m_saveModel, &QAction::triggered, this, &MainWindow::saveModelAs);

    m_exportOnnx = new QAction(tr("&Export as ONNX..."), this);
    m_exportOnnx->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    describe(m_exportOnnx, tr("Write the model in use as ONNX (opset 13), for Netron, ONNX Runtime or OpenCV"));
    connect(m_exportOnnx, &QAction::triggered, this, &MainWindow::exportOnnx);

    m_exportTorch = new QAction(tr("Export as &PyTorch Project..."), this);
    m_exportTorch->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    describe(m_exportTorch, tr("Write a PyTorch project that trains the Train page's architecture with its settings "
                               "under torchrun, on more machines than this one"));
    connect(m_exportTorch, &QAction::triggered, this, &MainWindow::exportTorchProject);

    m_builtinModel = new QAction(tr("Use &Built-in Model"), this);
    m_builtinModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    describe(m_builtinModel, tr("Go back to the model that ships with DigitPad"));
    connect(m_builtinModel, &QAction::triggered, this, &MainWindow::useBuiltinModel);

    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quit->setMenuRole(QAction::QuitRole);
    describe(m_quit, tr("Quit DigitPad"));
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    // Drawing: only while the pad has the focus, so that other pages keep
    // Delete, Escape and plain letters for themselves.
    auto padAction = [this](QAction* a) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_pad->addAction(a);
        return a;
    };
    m_undo = padAction(new QAction(glyphIcon(Glyph::Undo), tr("&Undo"), this));
    m_undo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    describe(m_undo, tr("Undo the last stroke"));
    connect(m_undo, &QAction::triggered, c, &Canvas::undo);

    m_redo = padAction(new QAction(glyphIcon(Glyph::Redo), tr("&Redo"), this));
    m_redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    describe(m_redo, tr("Redo the stroke just undone"));
    connect(m_redo, &QAction::triggered, c, &Canvas::redo);

    m_clear = padAction(new QAction(glyphIcon(Glyph::Clear), tr("&Clear"), this));
    m_clear->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::Key_Delete)});
    describe(m_clear, tr("Clear the canvas (undoable)"));
    connect(m_clear, &QAction::triggered, c, &Canvas::clear);

    auto* tools = new QActionGroup(this);
    m_pen = padAction(new QAction(glyphIcon(Glyph::Pen), tr("&Pen"), tools));
    m_pen->setCheckable(true);
    m_pen->setChecked(true);
    m_pen->setShortcut(QKeySequence(Qt::Key_B));
    describe(m_pen, tr("Draw with the pen (the right button always erases)"));
    connect(m_pen, &QAction::triggered, c, [c] { c->setEraserMode(false); });

    m_eraser = padAction(new QAction(glyphIcon(Glyph::Eraser), tr("&Eraser"), tools));
    m_eraser->setCheckable(true);
    m_eraser->setShortcut(QKeySequence(Qt::Key_E));
    describe(m_eraser, tr("Erase with the left button too"));
    connect(m_eraser, &QAction::triggered, c, [c] { c->setEraserMode(true); });
    connect(c, &Canvas::eraserModeChanged, this, [this](bool on) { (on ? m_eraser : m_pen)->setChecked(true); });

    m_thinner = padAction(new QAction(tr("&Thinner Pen"), this));
    m_thinner->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    describe(m_thinner, tr("Make the pen thinner"));
    // Steps of about 20%, and at least one pixel: rounding 3 / 1.2 gives 3
    // again, which stopped [ at 3 px while the slider goes down to 2.
    connect(m_thinner, &QAction::triggered, c,
            [c] { c->setPenWidth(std::min(std::round(c->penWidth() / 1.2), c->penWidth() - 1)); });

    m_thicker = padAction(new QAction(tr("T&hicker Pen"), this));
    m_thicker->setShortcut(QKeySequence(Qt::Key_BracketRight));
    describe(m_thicker, tr("Make the pen thicker"));
    connect(m_thicker, &QAction::triggered, c,
            [c] { c->setPenWidth(std::max(std::round(c->penWidth() * 1.2), c->penWidth() + 1)); });

    m_darkInk = padAction(new QAction(glyphIcon(Glyph::Polarity), tr("&Black Ink on White"), this));
    m_darkInk->setCheckable(true);
    m_darkInk->setShortcut(QKeySequence(Qt::Key_I));
    describe(m_darkInk, tr("Draw black on white instead of white on black (the network copes with both)"));
    connect(m_darkInk, &QAction::toggled, c, &Canvas::setDarkInk);

    m_overlay = padAction(new QAction(glyphIcon(Glyph::Overlay), tr("Show &Preprocessing"), this));
    m_overlay->setCheckable(true);
    m_overlay->setShortcut(QKeySequence(Qt::Key_O));
    describe(m_overlay, tr("Show the ink's bounding box, the 28x28 field and the centre-of-mass shift on the canvas"));
    connect(m_overlay, &QAction::toggled, c, &Canvas::setOverlayEnabled);

    m_addDigit = padAction(new QAction(glyphIcon(Glyph::AddDigit), tr("&Add to My Digits..."), this));
    m_addDigit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    // The tool bar's label: Qt strips "&" and "..." from the menu text, not a
    // translation's "(&A)".
    m_addDigit->setIconText(tr("Add to My Digits"));
    describe(m_addDigit, tr("Keep this drawing, with its label, in your own digits to fine-tune the model on"));
    connect(m_addDigit, &QAction::triggered, this, [this] { addDrawingToMyDigits(); });

    auto syncHistory = [this, c] {
        m_undo->setEnabled(c->strokes().canUndo());
        m_redo->setEnabled(c->strokes().canRedo());
        m_clear->setEnabled(!c->isBlank());
        m_addDigit->setEnabled(!c->isBlank());
    };
    connect(c, &Canvas::historyChanged, this, syncHistory);
    syncHistory();

    m_about = new QAction(tr("&About DigitPad"), this);
    m_about->setShortcut(QKeySequence(QKeySequence::HelpContents));
    m_about->setMenuRole(QAction::AboutRole);
    describe(m_about, tr("The model in use, the data and the libraries"));
    connect(m_about, &QAction::triggered, this, &MainWindow::about);

    m_aboutQt = new QAction(tr("About &Qt"), this);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    // The pad's tool bar.
    QToolBar* bar = m_pad->toolBar();
    bar->addAction(m_pen);
    bar->addAction(m_eraser);
    bar->addWidget(m_pad->penWidthControl());
    bar->addSeparator();
    bar->addAction(m_undo);
    bar->addAction(m_redo);
    bar->addAction(m_clear);
    bar->addSeparator();
    bar->addAction(m_darkInk);
    bar->addAction(m_overlay);
    bar->addSeparator();
    bar->addAction(m_openImage);
    bar->addSeparator();
    bar->addAction(m_addDigit);
    if (auto* button = bar->widgetForAction(m_addDigit))
        if (auto* tb = qobject_cast<QToolButton*>(button))
            tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    // Alt+1 .. Alt+8 switch pages from anywhere.
    for (int i = 0; i < m_pages->count(); ++i) {
        auto* go = new QAction(this);
        go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_pages->setCurrentIndex(i); });
        addAction(go);
    }
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openImage);
    file->addSeparator();
    file->addAction(m_openModel);
    file->addAction(m_saveModel);
    file->addAction(m_exportOnnx);
    file->addAction(m_exportTorch);
    file->addAction(m_builtinModel);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undo);
    edit->addAction(m_redo);
    edit->addSeparator();
    edit->addAction(m_clear);

    QMenu* draw = menuBar()->addMenu(tr("&Draw"));
    draw->addAction(m_pen);
    draw->addAction(m_eraser);
    draw->addSeparator();
    draw->addAction(m_thinner);
    draw->addAction(m_thicker);
    draw->addSeparator();
    draw->addAction(m_darkInk);
    draw->addAction(m_overlay);
    draw->addSeparator();
    draw->addAction(m_addDigit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addMenu(createLanguageMenu());
    view->addMenu(createThemeMenu());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
    help->addAction(m_aboutQt);
}

// View > Language: System / English / 简体中文, kept in the settings. The
// panels build their texts once, so a change applies at the next start
// (the menu and the status bar say so).
QMenu* MainWindow::createLanguageMenu()
{
    auto* menu = new QMenu(tr("&Language (applies after a restart)"), this);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    const QString stored = storedLanguage();
    for (const LanguageChoice& c : languageChoices()) {
        QAction* a = menu->addAction(c.code.isEmpty() ? tr("System (%1)").arg(QLocale::system().nativeLanguageName())
                                                      : c.native);
        a->setObjectName(QStringLiteral("language.") + (c.code.isEmpty() ? QStringLiteral("system") : c.code));
        a->setCheckable(true);
        a->setChecked(c.code == stored);
        a->setData(c.code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = c.code] {
            if (code == storedLanguage())
                return;
            storeLanguage(code);
            statusBar()->showMessage(tr("The language changes when DigitPad is started again."));
        });
    }
    return menu;
}

// View > Theme: System / Light / Dark, kept in the settings and applied at
// once (charts follow through ChartStyler).
QMenu* MainWindow::createThemeMenu()
{
    auto* menu = new QMenu(tr("&Theme"), this);
    menu->setObjectName(QStringLiteral("themeMenu"));
    auto* group = new QActionGroup(menu);
    const struct {
        Theme theme;
        QString text;
    } choices[] = {{Theme::System, tr("&System")}, {Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto& c : choices) {
        QAction* a = menu->addAction(c.text);
        a->setObjectName(QStringLiteral("theme.") + themeKey(c.theme));
        a->setCheckable(true);
        a->setChecked(c.theme == currentTheme());
        group->addAction(a);
        connect(a, &QAction::triggered, this, [theme = c.theme] {
            storeTheme(theme);
            if (theme != currentTheme())
                applyTheme(theme);
        });
    }
    return menu;
}

// --- settings ------------------------------------------------------------------

void MainWindow::readSettings()
{
    Settings s;
    if (!restoreGeometry(s.value(keys::kWindowGeometry).toByteArray())) {
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::min(1080, avail.width() * 9 / 10), std::min(720, avail.height() * 9 / 10));
    }
    restoreState(s.value(keys::kWindowState).toByteArray());
    canvas()->setPenWidth(s.value(keys::kPenWidth, canvas()->penWidth()).toDouble());
    m_darkInk->setChecked(s.value(keys::kDarkInk, false).toBool());
    m_overlay->setChecked(s.value(keys::kOverlay, false).toBool());
}

void MainWindow::writeSettings() const
{
    Settings s;
    s.setValue(keys::kWindowGeometry, saveGeometry());
    s.setValue(keys::kWindowState, saveState());
    s.setValue(keys::kPenWidth, canvas()->penWidth());
    s.setValue(keys::kDarkInk, canvas()->darkInk());
    s.setValue(keys::kOverlay, canvas()->overlayEnabled());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!settleTraining() || !settleUnsavedModel()) {
        event->ignore();
        return;
    }
    // The other workers stop on their own when their panels go; asking
    // now lets them finish while the window closes.
    m_evaluation->cancel();
    writeSettings();
    event->accept();
}

bool MainWindow::settleTraining()
{
    // A search has no model to keep: it stops (its finished runs are recorded).
    if (m_training->controller()->isSearching())
        m_training->controller()->stopAndWait(5000);
    const bool running = m_training->isRunning();
    if (!running && !m_training->pendingResult())
        return true;
    // Asked before anything stops: Cancel leaves the run going (or the result
    // waiting); the run stops (within one batch) only once the answer is in.
    QMessageBox box(QMessageBox::Question, tr("Keep the trained model?"),
                    running ? tr("Training is still running. Stop it and keep the model trained so far?\n\n"
                                 "Yes stops it, uses the model and saves it in DigitPad's data folder; No stops it "
                                 "and discards the model; Cancel keeps the window open and the run going.")
                            : tr("Training has stopped. Keep the model it produced?\n\n"
                                 "Yes uses it and saves it in DigitPad's data folder; No discards it; "
                                 "Cancel keeps the window open with the result waiting in the Train page."),
                    QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("keepTrainedBox"));
    box.setDefaultButton(QMessageBox::Yes);
    const int answer = box.exec();
    if (answer != QMessageBox::Yes && answer != QMessageBox::No) {
        showPage(m_training);
        return false;
    }
    if (!m_training->stopForClose(1000))
        return true;  // stopped before a single step: nothing to keep
    if (answer == QMessageBox::Yes)
        m_training->keepResult();  // -> modelTrained -> keepTrainedModel
    else
        m_training->discardResult();
    return true;
}

// --- models --------------------------------------------------------------------

bool MainWindow::setModel(std::shared_ptr<const nn::Model> model, const QString& name)
{
    if (!model) {
        showError(tr("No model"), tr("There is no model to use."));
        return false;
    }
    if (!nn::isDigitModel(*model)) {
        showError(tr("Cannot use this model"),
                  tr("%1: the model takes %2 inputs and gives %3 outputs; DigitPad needs a 1x28x28 input "
                     "and 10 outputs.\n\nThe current model stays in use.")
                      .arg(name, QString::fromStdString(model->inputShape().str()))
                      .arg(model->outputs()));
        return false;
    }
    m_unsavedModel = false;  // whatever was unsaved is no longer in use
    m_predictor->setModel(model);
    m_training->setCurrentModel(model);
    m_evaluation->setModel(model);
    m_browser->setModel(model);
    m_robustness->setModel(model, name);
    m_modelName = name;
    updateModelStatus();
    return true;
}

bool MainWindow::settleUnsavedModel()
{
    if (!m_unsavedModel)
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Save the trained model?"),
                    tr("The model in use was trained here and could not be saved. Quitting now loses it.\n\n"
                       "Save it before quitting?"),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedModelBox"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        saveModelAs();
        return !m_unsavedModel;  // still unsaved (cancelled or failed): stay open
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::createRunsPage()
{
    // Every GUI run is recorded, with the pad's latency while it trains.
    m_runHistory = new RunHistory({}, this);
    m_runHistory->watch(m_training->controller());
    connect(m_predictor, &PredictionController::predicted, m_runHistory, &RunHistory::padPredicted);
    m_runs = new RunsPanel(m_runHistory, m_pages);
    m_pages->addTab(m_runs, tr("Runs"));  // its table and charts scroll themselves
    connect(m_runs, &RunsPanel::openModelRequested, this, [this](const QString& path) {
        if (openModelFile(path))
            showPage(m_pad);
    });
    connect(m_runs, &RunsPanel::rerunRequested, this, [this](const nn::RunRecord& run) {
        m_training->applySettings(rerunSettings(run, TrainingSettings::load()));
        showPage(m_training);
        statusBar()->showMessage(tr("The Train page has the settings of run #%1; press Train to run it again").arg(run.id),
                                 8000);
    });
    connect(m_runs, &RunsPanel::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });

    // The search queue: on the training thread, over the Train page's settings.
    m_search = new SearchPanel(m_training->controller(), [this] { return m_training->request(); }, m_runHistory->path(),
                               m_runs);
    m_runs->tabs()->addTab(m_search, tr("Search"));
    connect(m_search, &SearchPanel::runRecorded, m_runs, &RunsPanel::refresh);
    connect(m_search, &SearchPanel::trainBestRequested, this, [this](long long id) {
        const auto run = m_runHistory->load(id);
        if (!run) {
            statusBar()->showMessage(tr("Run #%1 is no longer in the run history").arg(id), 8000);
            return;
        }
        m_training->applySettings(bestTrialSettings(*run, TrainingSettings::load()));
        showPage(m_training);
        m_training->start();
        statusBar()->showMessage(tr("Training the best trial of the search (run #%1) with the Train page's epochs").arg(id),
                                 8000);
    });
}

bool MainWindow::keepTrainedModel(std::shared_ptr<const nn::Model> model)
{
    if (!setModel(model, tr("trained in DigitPad")))
        return false;
    // Kept work is never only in memory: it goes to the app's data folder
    // and is what the next start opens.
    const QString dir = appDataDir() + QStringLiteral("/models");
    const QString path =
        dir + QStringLiteral("/trained-%1.dpm").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    try {
        nn::makeFolders(QDir::toNativeSeparators(dir).toStdString());  // says why it cannot
        nn::saveModel(*model, QDir::toNativeSeparators(path).toStdString());
    } catch (const std::exception& e) {
        m_unsavedModel = true;
        showError(tr("Cannot save the trained model"),
                  tr("%1\n\nThe new model is in use; save it with File > Save Model As before quitting.")
                      .arg(errorText(e)));
        return true;
    }
    m_modelName = QFileInfo(path).fileName();
    m_runHistory->modelSaved(model, path);
    rememberModelPath(path);
    updateModelStatus();
    statusBar()->showMessage(tr("The trained model is in use and saved as %1").arg(QDir::toNativeSeparators(path)), 8000);
    return true;
}

void MainWindow::rememberModelPath(const QString& path) const
{
    Settings s;
    if (path.isEmpty())
        s.remove(keys::kModelPath);
    else
        s.setValue(keys::kModelPath, QFileInfo(path).absoluteFilePath());
}

void MainWindow::updateModelStatus()
{
    // The model in use, even while the pad follows a training run's snapshots.
    const std::shared_ptr<const nn::Model> m = m_training->currentModel() ? m_training->currentModel() : model();
    if (!m) {
        m_modelLabel->setText(tr("No model"));
        m_modelLabel->setToolTip({});
        return;
    }
    // The pad shows other weights than the model in use: a running run's
    // snapshots, or after the run its result until it is used or discarded.
    const bool other = model() && model() != m;
    if (other && m_training->isRunning())
        m_modelLabel->setText(tr("Model: %1 \u00b7 the pad follows the training run").arg(m_modelName));
    else if (other && model() == m_training->pendingResult())
        m_modelLabel->setText(tr("Model: %1 \u00b7 the pad shows the finished run's model until you use or discard it")
                                  .arg(m_modelName));
    else
        m_modelLabel->setText(tr("Model: %1 \u00b7 %2").arg(m_modelName, accuracyText(*m)));
    QStringList tip{tr("Architecture: %1").arg(QString::fromStdString(m->spec()))};
    for (const auto& [key, value] : m->metadata())
        tip << QStringLiteral("%1: %2").arg(QString::fromStdString(key), QString::fromStdString(value));
    m_modelLabel->setToolTip(tip.join(QLatin1Char('\n')));
}

bool MainWindow::openModelFile(const QString& path)
{
    std::shared_ptr<const nn::Model> loaded;
    try {
        loaded = std::make_shared<const nn::Model>(loadModelFile(path));
    } catch (const std::exception& e) {
        showError(tr("Cannot open model"),
                  tr("%1\n\nThe current model (%2) stays in use.").arg(errorText(e), m_modelName));
        return false;
    }
    if (!setModel(std::move(loaded), QFileInfo(path).fileName()))
        return false;
    rememberModelPath(path);
    statusBar()->showMessage(tr("Using model %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::useBuiltinModel()
{
    try {
        if (!setModel(loadDefaultModel(), builtinName()))
            return false;
    } catch (const std::exception& e) {
        showError(tr("Cannot load the built-in model"), errorText(e));
        return false;
    }
    rememberModelPath({});
    statusBar()->showMessage(tr("Using the built-in model"), 5000);
    return true;
}

bool MainWindow::saveModelFile(const QString& path)
{
    const std::shared_ptr<const nn::Model> m = model();
    if (!m) {
        showError(tr("Cannot save model"), tr("There is no model to save."));
        return false;
    }
    try {
        nn::saveModel(*m, QDir::toNativeSeparators(path).toStdString());
    } catch (const std::exception& e) {
        showError(tr("Cannot save model"), errorText(e));
        return false;
    }
    m_unsavedModel = false;
    statusBar()->showMessage(tr("Saved the model to %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::openModel()
{
    Settings s;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), s.value(keys::kModelDir).toString(),
                                                      tr("Models (*.dpm *.onnx);;DigitPad models (*.dpm);;"
                                                         "ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    s.setValue(keys::kModelDir, QFileInfo(path).absolutePath());
    openModelFile(path);
}

bool MainWindow::exportOnnxFile(const QString& path)
{
    const std::shared_ptr<const nn::Model> m = model();
    if (!m) {
        showError(tr("Cannot export the model"), tr("There is no model to export."));
        return false;
    }
    try {
        nn::saveOnnx(*m, QDir::toNativeSeparators(path).toStdString());  // atomic, as a model save
    } catch (const std::exception& e) {
        showError(tr("Cannot export the model"), errorText(e));
        return false;
    }
    statusBar()->showMessage(tr("Exported the model as ONNX to %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::exportOnnx()
{
    const QString path =
        askSavePath(this, {tr("Export as ONNX"), QStringLiteral("digits.onnx"), tr("ONNX models (*.onnx)"), keys::kModelDir});
    if (!path.isEmpty())
        exportOnnxFile(path);
}

bool MainWindow::exportTorchProjectTo(const QString& dirIn)
{
    const QString dir = QDir::toNativeSeparators(QDir::cleanPath(dirIn));
    const TrainingRequest run = m_training->request();
    nn::TorchProjectPlan plan;
    bool replace = false;
    try {
        plan = nn::planTorchProject(run, "DigitPad: File > Export as PyTorch Project");
        const nn::TorchFolderState state = nn::torchFolderState(dir.toStdString());
        if (!state.empty()) {
            QMessageBox ask(QMessageBox::Question, tr("Export as PyTorch Project"),
                            tr("The folder %1 is not empty: it holds %2.\n\nReplace train.py and README.md in it? "
                               "Everything else in it stays.")
                                .arg(dir, translated(state.describeText())),
                            QMessageBox::NoButton, this);
            ask.setObjectName(QStringLiteral("torchReplaceBox"));
            QPushButton* replaceButton = ask.addButton(tr("Replace"), QMessageBox::AcceptRole);
            ask.setDefaultButton(ask.addButton(QMessageBox::Cancel));
            ask.exec();
            if (ask.clickedButton() != replaceButton)
                return false;
            replace = true;
        }
        nn::writeTorchProject(dir.toStdString(), plan.request, replace);
    } catch (const std::exception& e) {
        showError(tr("Cannot export the PyTorch project"), errorText(e));
        return false;
    }

    const QString model = dir + QLatin1Char('/') + QString::fromLatin1(nn::kTorchProjectOnnx);
    const QString data = QDir::toNativeSeparators(run.mnistDir.isEmpty() ? resolveDataDir() : run.mnistDir);
    const QString command = QString::fromStdString(nn::torchrunCommand(dir.toStdString(), data.toStdString()));
    QString text = tr("<p>Wrote the PyTorch project for <code>%1</code> to <b>%2</b> (train.py and README.md), with "
                      "the Train page's settings: %3.</p>"
                      "<p>Train it on two processes of this machine with:</p><p style=\"white-space: pre-wrap\"><code>%4</code></p>"
                      "<p>On a cluster, copy the folder and run <code>torchrun --nnodes N --nproc_per_node M train.py "
                      "--data DIR</code> on every machine (README.md in the folder explains it).</p>"
                      "<p>The run ends by writing <b>%5</b>: open it with File &gt; Open Model to draw on, evaluate "
                      "and inspect the trained model, or save it as a .dpm.</p>")
                       .arg(QString::fromStdString(plan.request.spec).toHtmlEscaped(), dir.toHtmlEscaped(),
                            QString::fromStdString(plan.request.config.describe()).toHtmlEscaped(),
                            command.toHtmlEscaped(), model.toHtmlEscaped());
    if (!plan.notCarried.empty()) {
        QStringList notes;
        for (const std::string& n : plan.notCarried)
            notes << engineText(n.c_str()).toHtmlEscaped();
        text += tr("<p>Not in the project: %1.</p>").arg(notes.join(QStringLiteral("; ")));
    }
    statusBar()->showMessage(tr("Wrote the PyTorch project to %1").arg(dir), 5000);
    QMessageBox done(QMessageBox::Information, tr("PyTorch Project Written"), text, QMessageBox::Ok, this);
    done.setObjectName(QStringLiteral("torchDoneBox"));
    done.setTextFormat(Qt::RichText);
    done.setTextInteractionFlags(Qt::TextSelectableByMouse);  // the command can be copied
    done.exec();
    return true;
}

void MainWindow::exportTorchProject()
{
    Settings s;
    QFileDialog dialog(this, tr("Export as PyTorch Project: choose a new or empty folder"),
                       s.value(keys::kExportDir, QDir::homePath()).toString());
    dialog.setObjectName(QStringLiteral("torchFolderDialog"));
    dialog.setFileMode(QFileDialog::Directory);
    dialog.setOption(QFileDialog::ShowDirsOnly);
    dialog.setAcceptMode(QFileDialog::AcceptOpen);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString dir = dialog.selectedFiles().constFirst();
    s.setValue(keys::kExportDir, QFileInfo(dir).absolutePath());
    exportTorchProjectTo(dir);
}

void MainWindow::saveModelAs()
{
    const QString path =
        askSavePath(this, {tr("Save Model As"), QStringLiteral("digits.dpm"), tr("DigitPad models (*.dpm)"), keys::kModelDir});
    if (path.isEmpty())
        return;
    if (saveModelFile(path)) {
        m_modelName = QFileInfo(path).fileName();  // the model in use now has a file
        rememberModelPath(path);
        updateModelStatus();
    }
}

// --- images --------------------------------------------------------------------

bool MainWindow::openImageFile(const QString& path)
{
    QImage image;
    try {
        image = loadImageFile(path);  // honours EXIF orientation; never Qt's "Unknown error"
    } catch (const nn::Error& e) {
        showError(tr("Cannot open image"), errorText(e));
        return false;
    }
    // Predicted from the picture's own pixels, exactly as `digitpad-cli
    // predict` does, not from its copy scaled onto the canvas.
    canvas()->placeImage(image, std::make_shared<const nn::PreprocessResult>(preprocessImage(image)));
    canvas()->setFocus();
    statusBar()->showMessage(tr("Opened %1 (%2x%3); Ctrl+Z takes it off the canvas")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(image.width())
                                 .arg(image.height()),
                             5000);
    return true;
}

void MainWindow::openImage()
{
    Settings s;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Image"), s.value(keys::kImageDir).toString(),
                                                      imageFilter());
    if (path.isEmpty())
        return;
    s.setValue(keys::kImageDir, QFileInfo(path).absolutePath());
    openImageFile(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasImage()) {
        event->acceptProposedAction();
        return;
    }
    if (mime->hasUrls()) {
        const QList<QUrl> urls = mime->urls();
        if (!urls.isEmpty() && urls.first().isLocalFile())
            event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile()) {
        const QString path = mime->urls().first().toLocalFile();
        event->acceptProposedAction();
        showPage(m_pad);
        if (isModelPath(path))
            openModelFile(path);
        else
            openImageFile(path);
        return;
    }
    if (mime->hasImage()) {
        event->acceptProposedAction();
        showPage(m_pad);
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (image.isNull())
            return;
        // Predicted from its own pixels, as an opened file is.
        canvas()->placeImage(image, std::make_shared<const nn::PreprocessResult>(preprocessImage(image)));
    }
}

// --- dialogs -------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& text)
{
    m_lastError = text;
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("errorBox"));
    box.exec();
}

void MainWindow::about()
{
    const std::shared_ptr<const nn::Model> m = model();
    QString modelText = tr("No model is loaded.");
    if (m) {
        modelText = tr("Model in use: <b>%1</b> (%2)<br>Architecture: <code>%3</code>")
                        .arg(m_modelName.toHtmlEscaped(), accuracyText(*m).toHtmlEscaped(),
                             QString::fromStdString(m->spec()).toHtmlEscaped());
    }
    const QString text =
        tr("<h3>DigitPad %1</h3>"
           "<p>Draw a digit and watch a convolutional network's class probabilities change as you draw.</p>"
           "<p>%2</p>"
           "<p>The built-in model was trained on the <b>MNIST</b> database of handwritten digits by "
           "Yann LeCun and Corinna Cortes (with Christopher J. C. Burges), made available under the "
           "Creative Commons Attribution-Share Alike 3.0 licence (CC BY-SA 3.0).</p>"
           "<p>Built with Qt %3 (LGPL v3), Eigen %4.%5.%6 (MPL 2.0) and zlib %7 (zlib licence).</p>"
           "<p>Engine: %8</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped(), modelText, QString::fromLatin1(qVersion()))
            .arg(EIGEN_WORLD_VERSION)
            .arg(EIGEN_MAJOR_VERSION)
            .arg(EIGEN_MINOR_VERSION)
            .arg(QString::fromLatin1(ZLIB_VERSION), QString::fromStdString(nn::cpu::summary()).toHtmlEscaped());
    QMessageBox::about(this, tr("About DigitPad"), text);
}

}  // namespace app
