#pragma once
// The numbers behind the training curves, kept apart from any window so that
// they can be tested and exported: the current run's points and the previous
// run's (shown dimmed for comparison). x is the fractional epoch (2.5 = half
// way through the third epoch); the per-batch series are smoothed, the
// per-epoch ones are exact.
#include <nn/trainer.h>

#include <QList>
#include <QPointF>
#include <QString>

#include <array>

namespace app {

// An axis with round ticks, every `step` from `anchor` up to `lastTick`; the
// range reaches a little beyond the last tick (`max`) so that a marker on it,
// a validation dot at 100% or at the last epoch, shows whole instead of cut
// by the plot's edge.
struct AxisScale {
    double min = 0, max = 1, anchor = 0, step = 1, lastTick = 1;
    int tickCount() const;  // ticks from anchor to lastTick
};
// Accuracy in percent, from the lowest value shown: six ticks on round
// steps, 0-100 by 20, or zoomed in (50-100 by 10, 90-100 by 2, 95-100 by 1)
// when every value is high. `any` false: 0-100.
AxisScale accuracyScale(double lowestPercent, bool any);
// Epochs 0 to ceil(maxEpoch) (at least 1) with whole-epoch ticks, every 1,
// 2, 5, 10, ... epochs so that there are at most 11.
AxisScale epochScale(double maxEpoch);

class CurveData {
public:
    enum Series {
        TrainLoss,           // per report: moving average over batches (see addBatch)
        TrainAccuracy,       // per report: moving average over batches
        EpochTrainLoss,      // per epoch
        EpochTrainAccuracy,  // per epoch
        ValLoss,             // per epoch
        ValAccuracy,         // per epoch
        SeriesCount
    };
    static const char* seriesName(Series s);  // "train_loss", ... (CSV column values)

    struct Run {
        QString label;
        std::array<QList<QPointF>, SeriesCount> series;
        bool empty() const;
    };

    // Points kept per series; beyond it every other batch point is dropped
    // (the epoch points are never thinned).
    static constexpr int kMaxPoints = 4000;

    // The current run (if it has any points) becomes the previous one.
    void beginRun(const QString& label);
    void addBatch(const nn::BatchReport& report);
    void addEpoch(const nn::EpochReport& report);
    void clear();

    const Run& current() const { return m_current; }
    const Run& previous() const { return m_previous; }
    bool hasPrevious() const { return !m_previous.empty(); }

    // Bit (1 << Series) set for the series that changed since the last call.
    unsigned takeChanged(bool previousToo = false);
    bool previousChanged() const { return m_previousChanged; }

    // "run,series,epoch,value" lines; run is "current" or "previous".
    QString toCsv() const;

private:
    void add(Series s, double x, double y);
    Run m_current, m_previous;
    double m_lossEma = -1, m_accEma = -1;
    long long m_lastStep = -1;
    unsigned m_changed = 0;
    bool m_previousChanged = false;
};

}  // namespace app
