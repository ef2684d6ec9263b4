#pragma once
// The Runs page: the run history as a sortable, filterable table; the
// selected runs' curves overlaid in one chart, their settings side by side,
// their per-epoch throughput, per-class error and the pad's latency while
// they trained. Reopens a run's model, fills the Train page with a run's
// settings, deletes runs (and their model files, after asking), exports CSV.
// The logic is in run_compare.* and run_history.*; this only shows it.
#include "run_history.h"

#include "common/run_compare.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

#include <map>
#include <vector>

class QCheckBox;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace app {

struct TrainingSettings;

// The table: one row per run, the columns of runColumns().
class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setRuns(std::vector<nn::RunRecord> runs);
    const nn::RunRecord& run(int row) const { return m_runs[std::size_t(row)]; }
    int rowOf(long long id) const;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    static constexpr int SortRole = Qt::UserRole + 1;

private:
    std::vector<nn::RunRecord> m_runs;
};

class RunFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setFilter(const QString& text, const QString& status);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_text, m_status;
};

// The settings a run was trained with, as the Train page holds them
// (momentum, rho and the MNIST limit have no field there and keep the page's).
TrainingSettings rerunSettings(const nn::RunRecord& run, const TrainingSettings& base);

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(RunHistory* history, QWidget* parent = nullptr);

    // Reads the history again (also on every RunHistory::changed).
    void refresh();
    // Selects these runs (tests, screenshots).
    void select(const std::vector<long long>& ids);
    std::vector<long long> selectedIds() const;
    // The selected runs, with curves.
    const std::vector<nn::RunRecord>& shown() const { return m_shown; }
    QColor colorOf(long long id) const { return m_colors.color(id); }
    // Deletes the selected runs; with `models`, their model files too. No questions (the button asks).
    int deleteSelected(bool models);
    RunTableModel* tableModel() const { return m_model; }
    RunFilterModel* filterModel() const { return m_filter; }
    QTableView* table() const { return m_table; }
    QTableWidget* diffTable() const { return m_diff; }
    QChartView* curvesChart() const { return m_curves; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    // The tabs below the table (curves, settings, ...); the search queue is one of them.
    QTabWidget* tabs() const { return m_tabs; }
    QComboBox* statusBox() const { return m_status; }
    QString notice() const;

signals:
    void openModelRequested(const QString& path);
    void rerunRequested(const nn::RunRecord& run);
    void message(const QString& text);

private:
    void buildUi();
    void selectionChanged();
    void updateCurves();
    void updateDiff();
    void updateThroughput();
    void updateClassErrors();
    void updateLatency();
    void updateButtons();
    void askDelete();
    void exportCsv();

    RunHistory* m_history;
    RunTableModel* m_model = nullptr;
    RunFilterModel* m_filter = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_status = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_countLabel = nullptr;
    QLabel* m_notice = nullptr;  // a damaged history set aside, a database error
    QPushButton *m_open = nullptr, *m_rerun = nullptr, *m_delete = nullptr, *m_export = nullptr;
    QTabWidget* m_tabs = nullptr;
    QComboBox* m_metric = nullptr;
    QChartView *m_curves = nullptr, *m_throughput = nullptr, *m_classError = nullptr, *m_latency = nullptr;
    QLabel* m_latencyLabel = nullptr;
    QTableWidget* m_diff = nullptr;
    QCheckBox* m_diffOnly = nullptr;
    std::vector<nn::RunRecord> m_shown;
    std::map<long long, nn::RunRecord> m_cache;  // loaded runs with curves, by id
    RunColors m_colors;
};

}  // namespace app

Q_DECLARE_METATYPE(nn::RunRecord)
