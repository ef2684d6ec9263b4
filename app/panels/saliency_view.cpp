#include "saliency_view.h"

#include "common/language.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace app {

SaliencyView::SaliencyView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

SaliencyView::~SaliencyView() = default;  // m_task waits for a map being computed

void SaliencyView::onFinished(nn::SaliencyMap map)
{
    const bool current = m_running == m_generation;
    if (current) {
        m_map = std::move(map);
        update();
        emit saliencyReady();
    }
    if (m_pending || !current) {
        m_pending = false;
        launch();
    }
}

void SaliencyView::setModel(std::shared_ptr<const nn::Model> model)
{
    m_model = std::move(model);
    schedule();
}

void SaliencyView::setInput(const float* pixels, int w, int h)
{
    m_w = w;
    m_h = h;
    m_input.assign(pixels, pixels + std::size_t(w) * h);
    schedule();
}

void SaliencyView::clear()
{
    m_input.clear();
    m_map = {};
    ++m_generation;
    update();
}

void SaliencyView::setOverlayVisible(bool visible)
{
    m_overlay = visible;
    update();
}

void SaliencyView::setOptions(const nn::SaliencyOptions& options)
{
    m_options = options;
    schedule();
}

void SaliencyView::setMethod(nn::SaliencyMethod method)
{
    if (method == m_method)
        return;
    m_method = method;
    schedule();
}

void SaliencyView::setCaptionVisible(bool visible)
{
    m_caption = visible;
    update();
}

void SaliencyView::schedule()
{
    ++m_generation;
    m_map = {};  // a map of the old input over the new one would mislead
    m_error.clear();
    update();
    if (m_task.isRunning())
        m_pending = true;
    else
        launch();
}

void SaliencyView::launch()
{
    if (!m_model || m_input.empty())
        return;
    const nn::Shape3 s = m_model->inputShape();
    if (s.c != 1 || s.w != m_w || s.h != m_h || m_model->outputs() < 1)
        return;  // the map is only defined for the model's own input
    std::string why;
    if (!nn::saliencyApplies(*m_model, m_method, &why)) {
        m_error = tr("%1 needs a convolution layer; this model has none").arg(engineText(nn::saliencyMethodName(m_method)));
        update();
        return;
    }
    m_running = m_generation;
    m_task.start(
        [model = m_model, input = m_input, options = m_options, method = m_method] {
            try {
                return nn::computeSaliency(*model, input.data(), method, options);
            } catch (const std::exception&) {
                return nn::SaliencyMap{};
            }
        },
        [this](nn::SaliencyMap map) { onFinished(std::move(map)); });
}

QImage SaliencyView::render(int scale) const
{
    QImage img(m_w * scale, m_h * scale, QImage::Format_RGB32);
    img.fill(Qt::black);
    if (m_input.empty())
        return img;
    const bool overlay = m_overlay && m_map.values.size() == m_input.size() && m_map.maxAbs > 0;
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            const float v = std::clamp(m_input[std::size_t(y) * m_w + x], 0.0f, 1.0f);
            float r, g, b;
            if (overlay) {
                // The ink dimmed to grey, the evidence laid over it in colour.
                const float grey = 0.55f * v;
                const float s = m_map.values[std::size_t(y) * m_w + x] / m_map.maxAbs;
                const float a = std::min(1.0f, std::abs(s)) * 0.9f;
                const float cr = s > 0 ? 1.0f : 0.15f, cg = s > 0 ? 0.25f : 0.55f, cb = s > 0 ? 0.15f : 1.0f;
                r = grey + a * (cr - grey);
                g = grey + a * (cg - grey);
                b = grey + a * (cb - grey);
            } else {
                r = g = b = v;
            }
            const QRgb c = qRgb(int(r * 255 + 0.5f), int(g * 255 + 0.5f), int(b * 255 + 0.5f));
            for (int dy = 0; dy < scale; ++dy) {
                QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y * scale + dy));
                std::fill(line + x * scale, line + (x + 1) * scale, c);
            }
        }
    return img;
}

QString SaliencyView::captionText() const
{
    if (m_input.empty())
        return tr("No input");
    if (!m_model)
        return tr("No model");
    if (!m_error.isEmpty())
        return m_error;
    if (m_map.values.empty())
        return tr("Working out why…");
    if (!m_overlay)
        return tr("Prediction: %1").arg(m_map.target);
    if (m_map.method == nn::SaliencyMethod::IntegratedGradients)
        // Completeness: the attributions add up to the logit's rise from a
        // black image; how far off they are says how far to trust the map.
        return tr("Red: towards %1, blue: away\nSum %2 of %3: %4% off, %5 steps")
            .arg(m_map.target)
            .arg(m_map.attributionSum, 0, 'f', 2)
            .arg(m_map.logitDifference, 0, 'f', 2)
            .arg(100 * m_map.completenessError, 0, 'f', 2)
            .arg(m_map.evaluated);
    if (m_map.method == nn::SaliencyMethod::GradCam)
        return tr("Red: regions that support %1\n(Grad-CAM on the last convolution)").arg(m_map.target);
    return tr("Red: pushed towards %1\nBlue: pushed away from it").arg(m_map.target);
}

void SaliencyView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    // The two-line caption as drawText lays it out (a fallback font, e.g. a
    // CJK one, makes its lines taller than this font's own metrics).
    const auto textHeight = [&](const QString& t) {
        return fontMetrics().boundingRect(QRect(0, 0, width(), 1000), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, t).height();
    };
    const int captionH =
        m_caption ? std::max(textHeight(tr("Red: pushed towards %1\nBlue: pushed away from it").arg(8)),
                             textHeight(captionText())) +
                        4
                  : 0;
    const int side = std::max(0, std::min(width(), height() - captionH));
    const QRect area((width() - side) / 2, 0, side, side);
    p.fillRect(area, Qt::black);
    if (!m_input.empty() && side > 0) {
        const int scale = std::max(1, (side + m_w - 1) / m_w);
        p.drawImage(area, render(scale));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area.adjusted(0, 0, -1, -1));
    if (!m_caption)
        return;
    const QString text = captionText();
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, side + 2, width(), captionH), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, text);
}

}  // namespace app
