#pragma once
// Training health on the Layers page (issue 16): while a run trains, each
// layer's gradient norm over the steps (a log-scale chart: vanishing or
// exploding gradients show as lines falling to nothing or shooting up), and
// per layer the latest weight and gradient histograms, the norms, and for
// each ReLU the fraction of units dead on the probe batch. The figures come
// from nn::measureHealth on the training thread (BatchReport::health).
#include <nn/health.h>

#include <QWidget>

#include <memory>

class QLabel;
class QChart;
class QChartView;

namespace app {

// The latest report's rows: one per layer with parameters or a ReLU.
class HealthTable : public QWidget {
    Q_OBJECT
public:
    explicit HealthTable(QWidget* parent = nullptr);
    void setHealth(std::shared_ptr<const nn::TrainingHealth> health);
    const nn::TrainingHealth* health() const { return m_health.get(); }
    QRect histogramRect(int row, bool gradients) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int rowHeight() const;
    std::shared_ptr<const nn::TrainingHealth> m_health;
};

class HealthView : public QWidget {
    Q_OBJECT
public:
    explicit HealthView(QWidget* parent = nullptr);
    void addHealth(std::shared_ptr<const nn::TrainingHealth> health);
    void clear();  // a new run
    const nn::HealthHistory& history() const { return m_history; }
    HealthTable* table() const { return m_table; }
    QChart* chart() const { return m_chart; }

private:
    void rebuildChart();

    nn::HealthHistory m_history;
    QLabel* m_status;
    QChart* m_chart;
    QChartView* m_chartView;
    HealthTable* m_table;
};

}  // namespace app
