#include "health_view.h"

#include "common/colour_map.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPainter>
#include <QScrollArea>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

constexpr int kSpecWidth = 190;
constexpr int kNumberWidth = 150;
constexpr int kHistWidth = 150;

void paintHistogram(QPainter& p, const QRect& r, const nn::Histogram& h, const QColor& colour, const QPalette& pal)
{
    p.fillRect(r, pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(r.adjusted(0, 0, -1, -1));
    if (h.counts.empty() || h.total() == 0)
        return;
    // Counts on a log scale: the tails of a weight distribution matter.
    const double top = std::log1p(double(*std::max_element(h.counts.begin(), h.counts.end())));
    const int bins = int(h.counts.size());
    const QRect in = r.adjusted(1, 1, -1, -1);
    for (int b = 0; b < bins; ++b) {
        const int x0 = in.left() + b * in.width() / bins, x1 = in.left() + (b + 1) * in.width() / bins;
        const int hgt = int(std::lround(std::log1p(double(h.counts[std::size_t(b)])) / top * in.height()));
        p.fillRect(QRect(x0, in.bottom() + 1 - hgt, std::max(1, x1 - x0 - (x1 - x0 > 2 ? 1 : 0)), hgt), colour);
    }
    // Where zero is, when the range spans it.
    if (h.lo < 0 && h.hi > 0) {
        const int zx = in.left() + int((0.0 - h.lo) / (double(h.hi) - h.lo) * in.width());
        p.setPen(QPen(pal.color(QPalette::WindowText), 1, Qt::DotLine));
        p.drawLine(zx, in.top(), zx, in.bottom());
    }
}

}  // namespace

HealthTable::HealthTable(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Training health per layer"));
}

int HealthTable::rowHeight() const { return std::max(40, 3 * fontMetrics().height()); }

QSize HealthTable::sizeHint() const
{
    const int rows = m_health ? int(m_health->layers.size()) : 0;
    return {kSpecWidth + kNumberWidth + 2 * kHistWidth + 40, fontMetrics().height() + 8 + rows * (rowHeight() + 4)};
}

QSize HealthTable::minimumSizeHint() const { return {kSpecWidth + kNumberWidth + 2 * 80, sizeHint().height()}; }

void HealthTable::setHealth(std::shared_ptr<const nn::TrainingHealth> health)
{
    const bool resized = !m_health || !health || m_health->layers.size() != health->layers.size();
    m_health = std::move(health);
    if (resized)
        updateGeometry();
    if (m_health) {
        int dead = 0;
        for (const auto& l : m_health->layers)
            dead += l.dead >= 0.5 ? 1 : 0;
        setAccessibleDescription(tr("Step %1: %n layer(s) with half or more of their units dead", nullptr, dead)
                                     .arg(m_health->step));
    }
    update();
}

QRect HealthTable::histogramRect(int row, bool gradients) const
{
    const int histW = std::max(60, (width() - kSpecWidth - kNumberWidth - 24) / 2);
    const int top = fontMetrics().height() + 8 + row * (rowHeight() + 4);
    const int x = kSpecWidth + kNumberWidth + 8 + (gradients ? histW + 8 : 0);
    return QRect(x, top + 2, histW, rowHeight() - 4);
}

void HealthTable::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    const QLocale locale;
    const int textH = fontMetrics().height();
    p.setPen(pal.color(QPalette::WindowText));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(4, 2, kSpecWidth, textH), Qt::AlignLeft, tr("Layer"));
    p.drawText(QRect(kSpecWidth, 2, kNumberWidth, textH), Qt::AlignLeft, tr("Norms"));
    p.drawText(QRect(histogramRect(0, false).left(), 2, histogramRect(0, false).width(), textH), Qt::AlignLeft,
               tr("Weights (log counts)"));
    p.drawText(QRect(histogramRect(0, true).left(), 2, histogramRect(0, true).width(), textH), Qt::AlignLeft,
               tr("Gradients (log counts)"));
    p.setFont(font());
    if (!m_health)
        return;
    for (int row = 0; row < int(m_health->layers.size()); ++row) {
        const nn::LayerHealth& l = m_health->layers[std::size_t(row)];
        const QRect wr = histogramRect(row, false);
        const int top = wr.top() - 2;
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(4, top, kSpecWidth - 8, rowHeight()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                   tr("%1. %2").arg(l.layer + 1).arg(QString::fromStdString(l.spec)));
        if (l.gradNorm >= 0) {
            p.drawText(QRect(kSpecWidth, top, kNumberWidth, rowHeight()), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("‖g‖ %1\nRMS(w) %2")
                           .arg(locale.toString(l.gradNorm, 'g', 3), locale.toString(l.weightRms, 'g', 3)));
            paintHistogram(p, wr, l.weights, QColor(0, 114, 178), pal);
            paintHistogram(p, histogramRect(row, true), l.grads, QColor(213, 94, 0), pal);
            p.setPen(pal.color(QPalette::WindowText));
            p.drawText(wr.adjusted(3, 1, -3, -1), Qt::AlignLeft | Qt::AlignTop, locale.toString(double(l.weights.lo), 'g', 2));
            p.drawText(wr.adjusted(3, 1, -3, -1), Qt::AlignRight | Qt::AlignTop, locale.toString(double(l.weights.hi), 'g', 2));
        } else if (l.dead >= 0) {
            // A ReLU: the dead fraction as a bar, red-free (orange) when it is high.
            const QRect bar(kSpecWidth, top + rowHeight() / 2 - textH / 2, kNumberWidth + kHistWidth, textH);
            p.fillRect(bar, pal.color(QPalette::Base));
            p.fillRect(QRect(bar.left(), bar.top(), int(bar.width() * l.dead), bar.height()),
                       l.dead >= 0.5 ? QColor(213, 94, 0) : QColor(0, 158, 115));
            p.setPen(pal.color(QPalette::Mid));
            p.drawRect(bar.adjusted(0, 0, -1, -1));
            p.setPen(pal.color(QPalette::WindowText));
            p.drawText(bar.adjusted(bar.width() + 8, 0, bar.width() + 260, 0), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("%1 of its units dead on %2 %3 images")
                           .arg(locale.toString(100.0 * l.dead, 'f', 1) + QLatin1Char('%'))
                           .arg(m_health->probeImages)
                           .arg(m_health->probe == "validation" ? tr("validation") : tr("training")));
        }
    }
}

HealthView::HealthView(QWidget* parent)
    : QWidget(parent), m_status(new QLabel(this)), m_chart(new QChart), m_chartView(new QChartView(m_chart, this)),
      m_table(new HealthTable(this))
{
    m_status->setWordWrap(true);
    m_chart->setTitle(tr("Gradient norm per layer (log scale) over the training steps"));
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->setAccessibleName(tr("Gradient norm per layer over the training steps"));
    auto* tableArea = new QScrollArea(this);
    tableArea->setFrameShape(QFrame::NoFrame);
    tableArea->setWidgetResizable(true);
    tableArea->setWidget(m_table);
    auto* col = new QVBoxLayout(this);
    col->addWidget(m_status);
    col->addWidget(m_chartView, 2);
    col->addWidget(tableArea, 3);
    clear();
}

void HealthView::clear()
{
    m_history.clear();
    m_table->setHealth(nullptr);
    m_status->setText(tr("Train a model (Train page): while it trains, each layer's gradient norm, weight and "
                         "gradient histograms and the share of dead ReLUs appear here every 2 seconds."));
    rebuildChart();
}

void HealthView::addHealth(std::shared_ptr<const nn::TrainingHealth> health)
{
    if (!health)
        return;
    m_history.add(*health);
    m_status->setText(tr("Step %1 (epoch %2): gradients of the last batch; dead ReLUs counted on %3 %4 images.")
                          .arg(health->step)
                          .arg(health->epoch + 1)
                          .arg(health->probeImages)
                          .arg(health->probe == "validation" ? tr("validation") : tr("training")));
    m_table->setHealth(std::move(health));
    rebuildChart();
}

void HealthView::rebuildChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* a : m_chart->axes()) {
        m_chart->removeAxis(a);  // gives the axis back to us
        delete a;
    }
    const auto& series = m_history.series();
    if (series.empty())
        return;
    auto* x = new QValueAxis;
    x->setTitleText(tr("step"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto* y = new QLogValueAxis;
    y->setLabelFormat(QStringLiteral("%.0e"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    double lo = 1e300, hi = 0;
    long long first = series[0].steps.front(), last = first;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        auto* line = new QLineSeries;
        line->setName(tr("%1. %2").arg(s.layer + 1).arg(QString::fromStdString(s.spec)));
        line->setPen(QPen(categoricalColour(i), 2));
        for (std::size_t k = 0; k < s.steps.size(); ++k) {
            // Log axis: a zero gradient (a dead layer) is drawn at the floor.
            const double v = std::max(s.gradNorms[k], 1e-12);
            line->append(double(s.steps[k]), v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            first = std::min(first, s.steps[k]);
            last = std::max(last, s.steps[k]);
        }
        m_chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    x->setRange(double(first), double(std::max(last, first + 1)));
    y->setRange(lo / 2, hi * 2);
}

}  // namespace app
