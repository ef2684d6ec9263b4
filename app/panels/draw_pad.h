#pragma once
// The drawing pad page: the canvas with its tool bar, and beside it what the
// network makes of the drawing -- the probability bars, and under them the
// 28x28 input or, on the "Why" tab, the saliency map of the top class (with
// its method selector and sanity check, SaliencyPanel).
// It wires canvas -> prediction controller -> views; the actions in its
// tool bar belong to the main window.
#include <QWidget>

namespace nn {
struct PreprocessResult;
}

class QLabel;
class QSlider;
class QTabWidget;
class QToolBar;

namespace app {

class Canvas;
class InputPreview;
class NumberView;
class PredictionController;
class ProbabilityView;
class SaliencyPanel;
class SaliencyView;
struct Prediction;

class DrawPad : public QWidget {
    Q_OBJECT

public:
    explicit DrawPad(PredictionController* predictor, QWidget* parent = nullptr);

    Canvas* canvas() const { return m_canvas; }
    ProbabilityView* probabilities() const { return m_probabilities; }
    // The drawing read as a number, when it is one (hidden otherwise).
    NumberView* number() const { return m_number; }
    InputPreview* preview() const { return m_preview; }
    SaliencyView* saliency() const;
    SaliencyPanel* saliencyPanel() const { return m_saliency; }
    // Shows the "Why this answer" tab (true) or the 28x28 input (false).
    void showSaliency(bool on);
    // Adds a view to the tabs under the probabilities (after "Why this answer").
    void addViewTab(QWidget* view, const QString& title, const QString& toolTip);
    QToolBar* toolBar() const { return m_toolBar; }
    // The pen width slider, for the main window to place in the tool bar.
    QWidget* penWidthControl() const { return m_widthControl; }

private:
    void showPrediction(const Prediction& p);
    // The bars, the 28x28 input and the overlay of digit `index` of the number.
    void showNumberDigit(int index);
    // The network input the saliency tab explains: the drawing's, or the
    // shown digit's when the drawing is a number.
    const nn::PreprocessResult* explainedInput() const;
    void updateSaliency();

    PredictionController* m_predictor;
    Canvas* m_canvas;
    NumberView* m_number;
    ProbabilityView* m_probabilities;
    InputPreview* m_preview;
    SaliencyPanel* m_saliency;
    QTabWidget* m_below;
    bool m_saliencyStale = true;
    const void* m_saliencyModel = nullptr;  // identity only, never dereferenced
    QToolBar* m_toolBar;
    QWidget* m_widthControl;
    QSlider* m_widthSlider;
    QLabel* m_widthLabel;
};

}  // namespace app
