#pragma once
// The main window composes the panels and owns the actions, menus, status
// bar and settings. It holds no ML logic: models are loaded and saved through
// app/common and nn/serialize, predictions come from the PredictionController.
//
// Pages live in a QTabWidget: Draw (the pad), Train, Evaluate, Browse MNIST,
// Augmentation and My digits. Every page works on the model the pad uses;
// a model swap reaches all of them through setModel().
#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace nn {
class Model;
struct PreprocessResult;
}

namespace app {

class AugmentPreview;
class Canvas;
class DrawPad;
class EvaluationPanel;
class InspectorPanel;
class LayerInspector;
class MnistBrowser;
class PredictionController;
class RobustnessPanel;
class RunHistory;
class RunsPanel;
class SearchPanel;
class TrainingPanel;
class UserDigitsPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    DrawPad* drawPad() const { return m_pad; }
    Canvas* canvas() const;
    PredictionController* predictor() const { return m_predictor; }
    QTabWidget* pages() const { return m_pages; }
    // The page shown in tab `index` (the panel, not the scroll area that
    // holds it), and the one shown now.
    QWidget* pageAt(int index) const;
    QWidget* currentPage() const;
    TrainingPanel* trainingPanel() const { return m_training; }
    EvaluationPanel* evaluationPanel() const { return m_evaluation; }
    MnistBrowser* browser() const { return m_browser; }
    InspectorPanel* layersPage() const { return m_layers; }
    LayerInspector* layerInspector() const { return m_inspector; }
    AugmentPreview* augmentPreview() const { return m_augment; }
    UserDigitsPanel* userDigits() const { return m_myDigits; }
    RobustnessPanel* robustnessPage() const { return m_robustness; }

    // The model the pad predicts with, and how the status bar names it
    // ("built-in default" or a file name).
    std::shared_ptr<const nn::Model> model() const;
    QString modelName() const { return m_modelName; }
    // The text of the last error shown in a dialog (empty if none yet).
    QString lastError() const { return m_lastError; }

    // Switches the pad to `model` (atomically; a prediction in flight
    // finishes with the old one). Refuses (with a dialog) a model that does
    // not classify 28x28 images into ten digits.
    bool setModel(std::shared_ptr<const nn::Model> model, const QString& name);

public slots:
    // Each shows a dialog saying what is wrong on failure and returns false;
    // the current model and drawing stay as they were.
    bool openModelFile(const QString& path);
    bool saveModelFile(const QString& path);
    // Writes the model in use as ONNX (File > Export as ONNX without the dialog).
    bool exportOnnxFile(const QString& path);
    // Writes the PyTorch project for the Train page's architecture and
    // settings into `dir` (File > Export as PyTorch Project without the folder
    // dialog): a folder that is not empty is written into only when the person
    // confirms. Ends with a message giving the torchrun command.
    bool exportTorchProjectTo(const QString& dir);
    bool openImageFile(const QString& path);
    bool useBuiltinModel();
    // "Add to My Digits": asks for the label (the top prediction is offered;
    // a digit key or one click answers). With label 0..9, stores the drawing
    // with that label without asking. Returns the label stored, or -1.
    int addDrawingToMyDigits(int label = -1);
    // Shows a page and hands it what it needs from the pad (the drawing for
    // the augmentation preview, MNIST for the browser on first show).
    void showPage(QWidget* page);

    void openModel();
    void saveModelAs();
    void exportOnnx();
    void exportTorchProject();
    void openImage();
    void about();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    QMenu* createLanguageMenu();
    QMenu* createThemeMenu();
    void readSettings();
    void writeSettings() const;
    void updateModelStatus();
    void showError(const QString& title, const QString& text);
    void createPages();
    void createRunsPage();
    void createLayersPage();
    void createRobustnessPage();
    void loadMnistViews();  // the browser's sets, loaded once, off the GUI thread
    void pageShown(int index);
    // `exact`: the network input to predict as it is (a 28x28 image without
    // one is taken at its 8-bit values).
    void putOnCanvas(const QImage& image, const QString& what,
                     std::shared_ptr<const nn::PreprocessResult> exact = {});
    void rememberModelPath(const QString& path) const;
    // Asked when the window closes while a run is going or its result waits:
    // true to close (after keeping or discarding), false to stay open.
    bool settleTraining();
    bool settleUnsavedModel();  // a kept model whose save failed: ask before quitting
    bool keepTrainedModel(std::shared_ptr<const nn::Model> model);

    PredictionController* m_predictor;
    QTabWidget* m_pages;
    DrawPad* m_pad;
    TrainingPanel* m_training = nullptr;
    EvaluationPanel* m_evaluation = nullptr;
    MnistBrowser* m_browser = nullptr;
    AugmentPreview* m_augment = nullptr;
    UserDigitsPanel* m_myDigits = nullptr;
    RunHistory* m_runHistory = nullptr;
    RunsPanel* m_runs = nullptr;
    LayerInspector* m_inspector = nullptr;
    InspectorPanel* m_layers = nullptr;
    SearchPanel* m_search = nullptr;
    RobustnessPanel* m_robustness = nullptr;
    bool m_browserLoaded = false;
    bool m_unsavedModel = false;  // the model in use was trained here and could not be saved
    QLabel* m_modelLabel;
    QString m_modelName;
    QString m_lastError;

    QAction* m_openImage = nullptr;
    QAction* m_openModel = nullptr;
    QAction* m_saveModel = nullptr;
    QAction* m_exportOnnx = nullptr;
    QAction* m_exportTorch = nullptr;
    QAction* m_builtinModel = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_clear = nullptr;
    QAction* m_pen = nullptr;
    QAction* m_eraser = nullptr;
    QAction* m_thinner = nullptr;
    QAction* m_thicker = nullptr;
    QAction* m_darkInk = nullptr;
    QAction* m_overlay = nullptr;
    QAction* m_addDigit = nullptr;
    QAction* m_about = nullptr;
    QAction* m_aboutQt = nullptr;
};

}  // namespace app
