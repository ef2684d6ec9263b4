#include "curve_data.h"

#include <algorithm>
#include <cmath>

namespace app {

namespace {
constexpr double kEdgePad = 0.04;  // of the span, beyond the last tick
}

int AxisScale::tickCount() const { return int(std::lround((lastTick - anchor) / step)) + 1; }

AxisScale accuracyScale(double lowest, bool any)
{
    AxisScale a;
    a.step = 20;
    a.anchor = 0;
    if (any && std::isfinite(lowest)) {
        lowest = std::clamp(lowest, 0.0, 100.0);
        for (double step : {1.0, 2.0, 5.0, 10.0, 20.0}) {
            const double lo = std::max(0.0, std::min(std::floor(lowest / step) * step, 100.0 - 5 * step));
            if ((100.0 - lo) / step <= 5.0 + 1e-9) {
                a.step = step;
                a.anchor = lo;
                break;
            }
        }
    }
    a.min = a.anchor;
    a.lastTick = 100.0;
    a.max = 100.0 + kEdgePad * (100.0 - a.anchor);
    return a;
}

AxisScale epochScale(double maxEpoch)
{
    AxisScale a;
    const double last = std::max(1.0, std::ceil((std::isfinite(maxEpoch) ? maxEpoch : 1.0) - 1e-9));
    // The first of 1, 2, 5, 10, 20, 50, ... epochs that gives at most 10 steps.
    double step = 0;
    for (double base = 1; step == 0; base *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (step == 0 && last / (m * base) <= 10.0)
                step = m * base;
    a.step = step;
    a.anchor = 0;
    a.min = 0;
    a.lastTick = std::floor(last / step) * step;
    a.max = last + kEdgePad * last;
    return a;
}

const char* CurveData::seriesName(Series s)
{
    switch (s) {
    case TrainLoss: return "train_loss_smoothed";
    case TrainAccuracy: return "train_accuracy_smoothed";
    case EpochTrainLoss: return "train_loss_epoch";
    case EpochTrainAccuracy: return "train_accuracy_epoch";
    case ValLoss: return "val_loss";
    case ValAccuracy: return "val_accuracy";
    case SeriesCount: break;
    }
    return "?";
}

bool CurveData::Run::empty() const
{
    for (const auto& s : series)
        if (!s.isEmpty())
            return false;
    return true;
}

void CurveData::beginRun(const QString& label)
{
    if (!m_current.empty()) {
        m_previous = std::move(m_current);
        m_previousChanged = true;
    }
    m_current = Run{};
    m_current.label = label;
    m_accEma = m_lossEma = -1;
    m_lastStep = -1;
    m_changed = (1u << SeriesCount) - 1;
}

void CurveData::clear()
{
    m_current = Run{};
    m_previous = Run{};
    m_accEma = m_lossEma = -1;
    m_lastStep = -1;
    m_changed = (1u << SeriesCount) - 1;
    m_previousChanged = true;
}

void CurveData::add(Series s, double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    QList<QPointF>& pts = m_current.series[s];
    // A resumed or restarted epoch must not run the line backwards.
    while (!pts.isEmpty() && pts.back().x() > x)
        pts.pop_back();
    pts.append(QPointF(x, y));
    if ((s == TrainLoss || s == TrainAccuracy) && pts.size() > kMaxPoints) {
        QList<QPointF> thin;
        thin.reserve(pts.size() / 2 + 1);
        for (qsizetype i = 0; i < pts.size() - 1; i += 2)
            thin.append(pts[i]);
        thin.append(pts.back());
        pts = std::move(thin);
    }
    m_changed |= 1u << s;
}

void CurveData::addBatch(const nn::BatchReport& r)
{
    if (r.batches <= 0)
        return;
    const double x = r.epoch + double(r.batch) / r.batches;
    // An exponential moving average per batch whose time constant follows the
    // epoch's length (a tenth of it, at most 50 batches), so that short
    // epochs are not drowned in lag. A report covers the batches since the last.
    const long long k = m_lastStep >= 0 && r.step > m_lastStep ? r.step - m_lastStep : 1;
    m_lastStep = r.step;
    const double tau = std::clamp(r.batches / 10.0, 1.0, 50.0);
    const double keep = std::pow(1.0 - 1.0 / tau, double(k));
    if (m_lossEma < 0) {
        m_lossEma = r.loss;
        m_accEma = r.accuracy;
    } else {
        m_lossEma = keep * m_lossEma + (1.0 - keep) * r.loss;
        m_accEma = keep * m_accEma + (1.0 - keep) * r.accuracy;
    }
    add(TrainLoss, x, m_lossEma);
    add(TrainAccuracy, x, m_accEma);
}

void CurveData::addEpoch(const nn::EpochReport& r)
{
    const double x = r.epoch + 1.0;
    add(EpochTrainLoss, x, r.trainLoss);
    add(EpochTrainAccuracy, x, r.trainAccuracy);
    if (r.valLoss >= 0)
        add(ValLoss, x, r.valLoss);
    if (r.valAccuracy >= 0)
        add(ValAccuracy, x, r.valAccuracy);
}

unsigned CurveData::takeChanged(bool previousToo)
{
    const unsigned c = m_changed;
    m_changed = 0;
    if (previousToo)
        m_previousChanged = false;
    return c;
}

QString CurveData::toCsv() const
{
    QString out = QStringLiteral("run,series,epoch,value\n");
    const auto emitRun = [&](const Run& run, const char* name) {
        for (int s = 0; s < SeriesCount; ++s)
            for (const QPointF& p : run.series[std::size_t(s)])
                out += QStringLiteral("%1,%2,%3,%4\n")
                           .arg(QLatin1String(name), QLatin1String(seriesName(Series(s))))
                           .arg(p.x(), 0, 'g', 8)
                           .arg(p.y(), 0, 'g', 8);
    };
    emitRun(m_previous, "previous");
    emitRun(m_current, "current");
    return out;
}

}  // namespace app
