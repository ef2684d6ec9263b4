#pragma once
// The test-set half of the Robustness page: accuracy against ε for FGSM and
// PGD (nn::accuracyAgainstEpsilon, untargeted, away from each image's label)
// on the first N test images, computed off the GUI thread with progress and
// Cancel. Curves of earlier models stay on the chart (labelled with the
// model's name), so a model before and after adversarial training compare.
#include "adversarial_plan.h"
#include "workers/handoff.h"

#include <nn/data/dataset.h>
#include <nn/model.h>

#include <QString>
#include <QWidget>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace app {

struct RobustnessSeries {
    QString model;          // the model's label ("built-in default", "trained in DigitPad (2)")
    AttackMethod method = AttackMethod::Fgsm;
    nn::AttackNorm norm = nn::AttackNorm::Linf;
    int steps = 1;
    int samples = 0;
    std::vector<float> eps;
    std::vector<double> accuracy;  // fractions
    QString name() const;  // "PGD (10 steps) · built-in default"
};

class RobustnessCurves : public QWidget {
    Q_OBJECT
public:
    explicit RobustnessCurves(QWidget* parent = nullptr);
    ~RobustnessCurves() override;

    // The model measured next; `name` labels its curves. Models seen before
    // keep their label; a new model under a name already used gets a number.
    void setModel(std::shared_ptr<const nn::Model> model, const QString& name);
    QString modelLabel() const { return m_label; }
    // The test set (the browser's), or a folder to load it from when asked.
    void setTestSet(std::shared_ptr<const nn::Dataset> test);
    void setDataDir(const QString& dir) { m_dataDir = dir; }

    void setSamples(int n);
    void setPgdSteps(int n);
    void setNorm(nn::AttackNorm norm);
    void compute();
    void cancel();
    bool isRunning() const { return m_task.isRunning(); }
    void clearCurves();

    const std::vector<RobustnessSeries>& curves() const { return m_curves; }
    QChart* chart() const { return m_chart; }
    QLabel* statusLabel() const { return m_status; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* computeButton() const { return m_compute; }
    QPushButton* cancelButton() const { return m_cancel; }

signals:
    void curvesChanged();
    void computeFinished();

private:
    struct Job {
        std::vector<RobustnessSeries> curves;
        bool cancelled = false;
        QString error;
        double seconds = 0;
    };
    void rebuildChart();
    void showProgress(int done, int total);

    std::shared_ptr<const nn::Model> m_model;
    QString m_label;
    std::map<QString, int> m_namesUsed;          // name -> models seen under it
    std::map<const void*, QString> m_labels;    // identity only, never dereferenced
    std::vector<std::shared_ptr<const nn::Model>> m_seen;  // keeps the identities above unique
    std::shared_ptr<const nn::Dataset> m_test;
    QString m_dataDir;
    std::vector<RobustnessSeries> m_curves;
    std::shared_ptr<std::atomic<bool>> m_stop;

    QComboBox* m_norm;
    QSpinBox* m_steps;
    QSpinBox* m_samples;
    QPushButton* m_compute;
    QPushButton* m_cancel;
    QPushButton* m_clear;
    QProgressBar* m_progress;
    QLabel* m_status;
    QChart* m_chart;
    QChartView* m_chartView;
    Inbox m_progressInbox;
    BackgroundTask<Job> m_task{"robustness curve"};  // last: waited for before the rest goes
};

}  // namespace app
