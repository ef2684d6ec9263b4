#include "draw_pad.h"

#include "canvas/canvas.h"
#include "panels/input_preview.h"
#include "panels/number_view.h"
#include "panels/probability_view.h"
#include "panels/saliency_panel.h"
#include "panels/saliency_view.h"
#include "workers/prediction_controller.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace app {

DrawPad::DrawPad(PredictionController* predictor, QWidget* parent)
    : QWidget(parent),
      m_predictor(predictor),
      m_canvas(new Canvas(this)),
      m_number(new NumberView(this)),
      m_probabilities(new ProbabilityView(this)),
      m_preview(new InputPreview(this)),
      m_saliency(new SaliencyPanel(this)),
      m_below(new QTabWidget(this)),
      m_toolBar(new QToolBar(tr("Drawing"), this)),
      m_widthControl(new QWidget(this)),
      m_widthSlider(new QSlider(Qt::Horizontal, m_widthControl)),
      m_widthLabel(new QLabel(m_widthControl))
{
    m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_toolBar->setIconSize(QSize(22, 22));

    // Pen width: slider and its value.
    auto* widthLayout = new QHBoxLayout(m_widthControl);
    widthLayout->setContentsMargins(8, 0, 8, 0);
    auto* widthTitle = new QLabel(tr("Width"), m_widthControl);
    m_widthSlider->setRange(Canvas::kMinPenWidth, Canvas::kMaxPenWidth);
    m_widthSlider->setValue(int(std::lround(m_canvas->penWidth())));
    m_widthSlider->setFixedWidth(140);
    m_widthSlider->setToolTip(tr("Pen width in canvas pixels (the canvas is %1 wide); [ and ] change it")
                                  .arg(Canvas::kSize));
    m_widthSlider->setAccessibleName(tr("Pen width"));
    m_widthLabel->setMinimumWidth(m_widthLabel->fontMetrics().horizontalAdvance(QStringLiteral("000 px")));
    widthLayout->addWidget(widthTitle);
    widthLayout->addWidget(m_widthSlider);
    widthLayout->addWidget(m_widthLabel);
    m_widthControl->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    auto showWidth = [this](qreal w) {
        m_widthLabel->setText(tr("%1 px").arg(std::lround(w)));
        const QSignalBlocker block(m_widthSlider);
        m_widthSlider->setValue(int(std::lround(w)));
    };
    showWidth(m_canvas->penWidth());
    connect(m_widthSlider, &QSlider::valueChanged, m_canvas, [this](int v) { m_canvas->setPenWidth(v); });
    connect(m_canvas, &Canvas::penWidthChanged, this, showWidth);

    // Right column: the answer, then what the network sees.
    auto* side = new QVBoxLayout;
    side->setSpacing(6);
    m_below->setDocumentMode(true);
    m_below->addTab(m_preview, tr("What it sees"));
    m_below->setTabToolTip(0, tr("The 28x28 input the network gets: the drawing cropped, scaled and centred"));
    m_below->addTab(m_saliency, tr("Why this answer"));
    m_below->setTabToolTip(1, tr("Which pixels pushed the prediction towards the top class, by the method chosen"));
    side->addWidget(m_number);
    side->addWidget(m_probabilities, 3);
    side->addSpacing(4);
    side->addWidget(m_below, 2);
    connect(m_below, &QTabWidget::currentChanged, this, [this] { updateSaliency(); });

    auto* body = new QHBoxLayout;
    body->setSpacing(12);
    body->addWidget(m_canvas, 1);
    auto* sideHost = new QWidget(this);
    sideHost->setLayout(side);
    side->setContentsMargins(0, 0, 0, 0);
    sideHost->setFixedWidth(300);
    body->addWidget(sideHost, 0);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(m_toolBar);
    layout->addLayout(body, 1);

    // Canvas -> controller -> views.
    predictor->setSource([canvas = m_canvas] {
        return PredictionInput{canvas->snapshot(), canvas->darkInk() ? 1 : 0, canvas->revision(), canvas->exactInput()};
    });
    connect(m_canvas, &Canvas::imageChanged, predictor, &PredictionController::invalidate);
    connect(predictor, &PredictionController::predicted, this, &DrawPad::showPrediction);
    // A number: the digit pointed at (its chip, or its box on the canvas) shows its own bars.
    connect(m_number, &NumberView::shownDigitChanged, this, &DrawPad::showNumberDigit);
    connect(m_canvas, &Canvas::hoverMoved, this, [this](QPointF at) {
        if (!m_number->isHidden())
            m_number->setPointed(m_canvas->numberBoxAt(at));
    });
    connect(m_canvas, &Canvas::hoverLeft, this, [this] {
        if (!m_number->hasFocus())
            m_number->setPointed(-1);
    });
    connect(predictor, &PredictionController::modelChanged, this, [this] {
        m_saliencyStale = true;
        updateSaliency();
    });
}

SaliencyView* DrawPad::saliency() const { return m_saliency->view(); }

void DrawPad::showSaliency(bool on)
{
    m_below->setCurrentWidget(on ? static_cast<QWidget*>(m_saliency) : m_preview);
}

// The occlusion map costs a few hundred forward passes (integrated gradients
// up to a thousand backward ones), so it is only computed while its tab
// shows (off the GUI thread, in SaliencyView).
void DrawPad::updateSaliency()
{
    if (m_below->currentWidget() != m_saliency || !m_saliencyStale)
        return;
    m_saliencyStale = false;
    auto model = m_predictor->model();
    if (model.get() != m_saliencyModel) {
        m_saliencyModel = model.get();
        m_saliency->setModel(std::move(model));
    }
    const nn::PreprocessResult* input = explainedInput();
    if (!input || input->empty)
        m_saliency->clear();
    else
        m_saliency->setDrawing(input->input.data());
}

const nn::PreprocessResult* DrawPad::explainedInput() const
{
    const Prediction& p = m_predictor->last();
    const int shown = !m_number->isHidden() ? m_number->shownDigit() : -1;
    if (p.isNumber() && shown >= 0 && shown < int(p.number.digits.size()))
        return &p.number.digits[std::size_t(shown)].input;
    return &p.input;
}

void DrawPad::showNumberDigit(int index)
{
    const nn::NumberReading& r = m_number->reading();
    if (index < 0 || index >= int(r.digits.size()))
        return;
    const nn::NumberDigit& d = r.digits[std::size_t(index)];
    std::array<float, 10> probs{};
    std::copy_n(d.reading.probabilities.begin(), std::min<std::size_t>(10, d.reading.probabilities.size()), probs.begin());
    if (d.reading.notDigit)
        m_probabilities->setNotADigit(probs);
    else
        m_probabilities->setProbabilities(probs);
    //: %1 the digit's place in the number, %2 how many digits it has
    m_preview->setInput(d.input, tr("Digit %1 of %2 of the number").arg(index + 1).arg(r.digits.size()));
    m_canvas->setOverlayGeometry(d.input, false);
    QList<QRectF> boxes;
    for (const nn::NumberDigit& e : r.digits)
        boxes << QRectF(e.x, e.y, e.w, e.h);
    m_canvas->setNumberBoxes(boxes, index);
    m_saliencyStale = true;
    updateSaliency();
}

void DrawPad::showPrediction(const Prediction& p)
{
    if (p.valid && p.finite && !p.empty() && p.isNumber()) {
        m_number->setReading(p.number);  // emits shownDigitChanged when another digit is to be shown
        showNumberDigit(m_number->shownDigit());
        return;
    }
    m_number->clear();
    m_canvas->setNumberBoxes({}, -1);
    const QString timing = tr("%1 ms to prepare, %2 ms to predict").arg(p.preprocessMs, 0, 'f', 2).arg(p.predictMs, 0, 'f', 2);
    m_preview->setInput(p.input, p.empty() ? QString()
                                 : p.exact ? tr("Exactly the picture as it was given (drawing on it re-prepares it)")
                                           : timing);
    m_canvas->setOverlayGeometry(p.input, p.exact);
    if (p.empty())
        m_probabilities->setEmpty();
    else if (!p.valid)
        m_probabilities->setNoModel();
    else if (!p.finite)
        m_probabilities->setNotFinite();
    else if (p.notDigit)
        m_probabilities->setNotADigit(p.probabilities);
    else
        m_probabilities->setProbabilities(p.probabilities);
    m_saliencyStale = true;
    updateSaliency();
}

void DrawPad::addViewTab(QWidget* view, const QString& title, const QString& toolTip)
{
    const int i = m_below->addTab(view, title);
    m_below->setTabToolTip(i, toolTip);
}

}  // namespace app
