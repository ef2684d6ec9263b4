#pragma once
// Live training curves (Qt Charts): loss -- training smoothed per batch and
// validation per epoch -- and accuracy, training and validation. The previous
// run stays visible, dimmed and dashed. Points are buffered in CurveData and
// pushed to the charts with QXYSeries::replace() a few times a second, never
// appended one by one. Log scale for the loss; PNG and CSV export.
#include "curve_data.h"

#include <QWidget>

#include <array>

class QChart;
class QChartView;
class QCheckBox;
class QLabel;
class QLineSeries;
class QAbstractAxis;
class QValueAxis;
class QTimer;

namespace app {

struct RunInfo;

class CurvesPanel : public QWidget {
    Q_OBJECT
public:
    explicit CurvesPanel(QWidget* parent = nullptr);

    const CurveData& data() const { return m_data; }
    bool logScale() const;

    // Write the two charts as a PNG (QWidget::grab) or the numbers as CSV.
    // Return false and set `error` on failure.
    bool exportPng(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr) const;

public slots:
    void beginRun(const QString& label);
    void addBatch(const nn::BatchReport& report);
    void addEpoch(const nn::EpochReport& report);
    void setLogScale(bool on);
    void clear();
    // Pushes buffered points to the charts now (otherwise a timer does, ~5x/s).
    void flush();

private:
    struct Pair {  // one quantity in one chart: current and previous run
        QLineSeries* current = nullptr;
        QLineSeries* previous = nullptr;
    };
    QChart* makeChart(const QString& title, QValueAxis*& x, QAbstractAxis*& y, bool loss);
    Pair addPair(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, const QString& name, QColor color, bool markers);
    void rescale();
    void updateLegend();
    void exportPngDialog();
    void exportCsvDialog();

    CurveData m_data;
    QWidget* m_charts = nullptr;
    QChartView* m_lossView = nullptr;
    QChartView* m_accView = nullptr;
    QChart* m_lossChart = nullptr;
    QChart* m_accChart = nullptr;
    QValueAxis* m_lossX = nullptr;
    QValueAxis* m_accX = nullptr;
    QAbstractAxis* m_lossY = nullptr;
    QAbstractAxis* m_accY = nullptr;
    std::array<Pair, CurveData::SeriesCount> m_series{};  // EpochTrain* have none
    QCheckBox* m_log = nullptr;
    QLabel* m_legend = nullptr;
    QTimer* m_timer = nullptr;
};

}  // namespace app
