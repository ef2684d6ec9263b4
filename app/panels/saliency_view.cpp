#include "saliency_view.h"

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

void SaliencyView::setCaptionVisible(bool visible)
{
    m_caption = visible;
    update();
}

void SaliencyView::schedule()
{
    ++m_generation;
    m_map = {};  // a map of the old input over the new one would mislead
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
    m_running = m_generation;
    m_task.start(
        [model = m_model, input = m_input, options = m_options] {
            try {
                return nn::occlusionSaliency(*model, input.data(), options);
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

void SaliencyView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    // The two-line caption as drawText lays it out (a fallback font, e.g. a
    // CJK one, makes its lines taller than this font's own metrics).
    const int captionH =
        m_caption ? fontMetrics()
                            .boundingRect(QRect(0, 0, width(), 1000), Qt::AlignHCenter | Qt::AlignTop,
                                          tr("Red: pushed towards %1\nBlue: pushed away from it").arg(8))
                            .height() +
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
    QString text;
    if (m_input.empty())
        text = tr("No input");
    else if (!m_model)
        text = tr("No model");
    else if (m_map.values.empty())
        text = tr("Working out why…");
    else if (m_overlay)
        text = tr("Red: pushed towards %1\nBlue: pushed away from it").arg(m_map.target);
    else
        text = tr("Prediction: %1").arg(m_map.target);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, side + 2, width(), captionH), Qt::AlignHCenter | Qt::AlignTop, text);
}

}  // namespace app
