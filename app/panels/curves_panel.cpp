#include "curves_panel.h"
#include "save_dialog.h"
#include "common/settings.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace app {

namespace {

const QColor kTrainColor(31, 119, 180);
const QColor kValColor(230, 110, 20);

QList<QPointF> scaled(const QList<QPointF>& pts, double factor)
{
    if (factor == 1.0)
        return pts;
    QList<QPointF> out;
    out.reserve(pts.size());
    for (const QPointF& p : pts)
        out.append(QPointF(p.x(), p.y() * factor));
    return out;
}

// Round ticks from the scale, and a range a little beyond the last one so
// that markers on it are not cut by the plot's edge.
void applyScale(QValueAxis* axis, const AxisScale& a)
{
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(a.anchor);
    axis->setTickInterval(a.step);
    axis->setRange(a.min, a.max);
}

}  // namespace

CurvesPanel::CurvesPanel(QWidget* parent) : QWidget(parent)
{
    m_lossChart = makeChart(tr("Loss"), m_lossX, m_lossY, true);
    m_accChart = makeChart(tr("Accuracy (%)"), m_accX, m_accY, false);
    m_series[CurveData::TrainLoss] = addPair(m_lossChart, m_lossX, m_lossY, tr("training (smoothed)"), kTrainColor, false);
    m_series[CurveData::ValLoss] = addPair(m_lossChart, m_lossX, m_lossY, tr("validation"), kValColor, true);
    m_series[CurveData::TrainAccuracy] =
        addPair(m_accChart, m_accX, m_accY, tr("training (smoothed)"), kTrainColor, false);
    m_series[CurveData::ValAccuracy] = addPair(m_accChart, m_accX, m_accY, tr("validation"), kValColor, true);

    m_lossView = new QChartView(m_lossChart);
    m_accView = new QChartView(m_accChart);
    for (QChartView* v : {m_lossView, m_accView}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(260, 180);
    }

    for (QChart* c : {m_lossChart, m_accChart})
        c->legend()->hide();
    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);  // narrow windows (1024 px) wrap it rather than widen the page
    updateLegend();

    m_log = new QCheckBox(tr("Log-scale loss"), this);
    m_log->setToolTip(tr("Plot the loss on a logarithmic axis, which shows late, small improvements better"));
    connect(m_log, &QCheckBox::toggled, this, &CurvesPanel::setLogScale);
    auto* png = new QPushButton(tr("Export PNG…"), this);
    png->setToolTip(tr("Save both charts as one image"));
    connect(png, &QPushButton::clicked, this, &CurvesPanel::exportPngDialog);
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    csv->setToolTip(tr("Save the numbers behind the curves (this run and the previous one)"));
    connect(csv, &QPushButton::clicked, this, &CurvesPanel::exportCsvDialog);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_log);
    bar->addStretch(1);
    bar->addWidget(png);
    bar->addWidget(csv);

    m_charts = new QWidget(this);
    auto* charts = new QHBoxLayout(m_charts);
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_lossView, 1);
    charts->addWidget(m_accView, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_charts, 1);
    // The legend has a line of its own, so that at 1024 px it does not
    // squeeze between the check box and the buttons into four lines.
    m_legend->setAlignment(Qt::AlignHCenter);
    layout->addWidget(m_legend);
    layout->addLayout(bar);

    m_timer = new QTimer(this);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &CurvesPanel::flush);
    m_timer->start();
    rescale();
}

QChart* CurvesPanel::makeChart(const QString& title, QValueAxis*& x, QAbstractAxis*& y, bool loss)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    x = new QValueAxis;
    x->setTitleText(tr("epoch"));
    x->setLabelFormat(QStringLiteral("%.0f"));  // whole epochs (epochScale)
    auto* vy = new QValueAxis;
    vy->setLabelFormat(loss ? QStringLiteral("%.3g") : QStringLiteral("%.0f"));  // accuracy: whole percents (accuracyScale)
    y = vy;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    return chart;
}

CurvesPanel::Pair CurvesPanel::addPair(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, const QString& name,
                                       QColor color, bool markers)
{
    Pair p;
    p.previous = new QLineSeries;
    p.previous->setName(tr("%1, previous run").arg(name));
    QColor dim = color;
    dim.setAlpha(80);
    QPen prevPen(dim, 1.5, Qt::DashLine);
    p.previous->setPen(prevPen);
    p.current = new QLineSeries;
    p.current->setName(name);
    p.current->setPen(QPen(color, 2.0));
    if (markers) {
        p.current->setPointsVisible(true);
        p.current->setMarkerSize(6);
        p.previous->setPointsVisible(true);
        p.previous->setMarkerSize(4);
    }
    for (QLineSeries* s : {p.previous, p.current}) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    return p;
}

bool CurvesPanel::logScale() const { return m_log->isChecked(); }

void CurvesPanel::setLogScale(bool on)
{
    if (m_log->isChecked() != on) {
        m_log->setChecked(on);  // re-enters through toggled()
        return;
    }
    const bool isLog = qobject_cast<QLogValueAxis*>(m_lossY) != nullptr;
    if (isLog == on)
        return;
    QAbstractAxis* axis;
    if (on) {
        auto* a = new QLogValueAxis;
        a->setBase(10.0);
        a->setLabelFormat(QStringLiteral("%.3g"));
        a->setMinorTickCount(8);
        axis = a;
    } else {
        auto* a = new QValueAxis;
        a->setLabelFormat(QStringLiteral("%.3g"));
        axis = a;
    }
    m_lossChart->removeAxis(m_lossY);
    m_lossChart->addAxis(axis, Qt::AlignLeft);
    for (int s : {CurveData::TrainLoss, CurveData::ValLoss})
        for (QLineSeries* series : {m_series[std::size_t(s)].previous, m_series[std::size_t(s)].current})
            series->attachAxis(axis);
    delete m_lossY;
    m_lossY = axis;
    rescale();
}

void CurvesPanel::beginRun(const QString& label)
{
    m_data.beginRun(label);
    flush();
}

void CurvesPanel::addBatch(const nn::BatchReport& report) { m_data.addBatch(report); }

void CurvesPanel::addEpoch(const nn::EpochReport& report)
{
    m_data.addEpoch(report);
    flush();  // epoch points are rare and worth showing at once
}

void CurvesPanel::clear()
{
    m_data.clear();
    flush();
}

void CurvesPanel::flush()
{
    const bool prev = m_data.previousChanged();
    const unsigned changed = m_data.takeChanged(true);
    if (!changed && !prev)
        return;
    for (int s = 0; s < CurveData::SeriesCount; ++s) {
        const Pair& p = m_series[std::size_t(s)];
        if (!p.current)
            continue;
        const double factor = (s == CurveData::TrainAccuracy || s == CurveData::ValAccuracy) ? 100.0 : 1.0;
        if (changed & (1u << s))
            p.current->replace(scaled(m_data.current().series[std::size_t(s)], factor));
        if (prev)
            p.previous->replace(scaled(m_data.previous().series[std::size_t(s)], factor));
    }
    if (prev)
        updateLegend();
    rescale();
}

void CurvesPanel::updateLegend()
{
    // One legend for both charts, in a label: Qt Charts' own legend cannot
    // hide the previous run's entries cleanly while there is none.
    const auto entry = [](QColor c, const QString& glyph, const QString& text) {
        return QStringLiteral("<span style='color:%1; font-weight:bold'>%2</span>&nbsp;%3")
            .arg(c.name(QColor::HexArgb), glyph, text.toHtmlEscaped());
    };
    QStringList parts;
    parts << entry(kTrainColor, QStringLiteral("━━"), tr("training (smoothed over batches)"))
          << entry(kValColor, QStringLiteral("━●━"), tr("validation (per epoch)"));
    if (m_data.hasPrevious())
        parts << entry(QColor(120, 120, 120), QStringLiteral("╌╌"), tr("previous run (dimmed)"));
    m_legend->setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

void CurvesPanel::rescale()
{
    double maxX = 1.0;
    double lossMin = std::numeric_limits<double>::max(), lossMax = 0.0;
    double accMin = 100.0;
    bool anyAcc = false;
    for (const CurveData::Run* run : {&m_data.current(), &m_data.previous()}) {
        for (int s = 0; s < CurveData::SeriesCount; ++s) {
            for (const QPointF& p : run->series[std::size_t(s)]) {
                maxX = std::max(maxX, p.x());
                if (s == CurveData::TrainLoss || s == CurveData::ValLoss) {
                    if (p.y() > 0)
                        lossMin = std::min(lossMin, p.y());
                    lossMax = std::max(lossMax, p.y());
                } else if (s == CurveData::TrainAccuracy || s == CurveData::ValAccuracy) {
                    accMin = std::min(accMin, 100.0 * p.y());
                    anyAcc = true;
                }
            }
        }
    }
    const AxisScale epochs = epochScale(maxX);
    for (QValueAxis* x : {m_lossX, m_accX})
        applyScale(x, epochs);
    if (lossMax <= 0)
        lossMax = 2.5;
    if (auto* a = qobject_cast<QLogValueAxis*>(m_lossY)) {
        if (lossMin > lossMax)
            lossMin = 0.01;
        const double lo = std::pow(10.0, std::floor(std::log10(lossMin)));
        const double hi = std::pow(10.0, std::ceil(std::log10(lossMax)));
        a->setRange(lo, std::max(hi, lo * 10));
    } else if (auto* v = qobject_cast<QValueAxis*>(m_lossY)) {
        v->setRange(0.0, lossMax * 1.05);
        v->setTickCount(6);
        v->applyNiceNumbers();
    }
    if (auto* v = qobject_cast<QValueAxis*>(m_accY))
        applyScale(v, accuracyScale(accMin, anyAcc));
}

bool CurvesPanel::exportPng(const QString& path, QString* error)
{
    flush();
    const QPixmap pixmap = m_charts->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error)
            *error = tr("Could not write the image %1").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return true;
}

bool CurvesPanel::exportCsv(const QString& path, QString* error) const
{
    QSaveFile f(path);
    const QByteArray bytes = m_data.toCsv().toUtf8();
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

void CurvesPanel::exportPngDialog()
{
    saveWithDialog(this, {tr("Export curves as PNG"), QStringLiteral("curves.png"), tr("PNG images (*.png)"), keys::kExportDir},
                   [this](const QString& path, QString* error) { return exportPng(path, error); });
}

void CurvesPanel::exportCsvDialog()
{
    saveWithDialog(this, {tr("Export curves as CSV"), QStringLiteral("curves.csv"), tr("CSV files (*.csv)"), keys::kExportDir},
                   [this](const QString& path, QString* error) { return exportCsv(path, error); });
}

}  // namespace app
