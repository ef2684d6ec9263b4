#include "runs_panel.h"

#include "training_settings.h"

#include <nn/optim.h>
#include <nn/session.h>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

struct Metric {
    const char* title;
    const char* axis;
    bool batch;   // per-batch points (x: step) instead of per-epoch (x: epoch)
    bool percent;
    double (*epochValue)(const nn::EpochReport&);
    double (*batchValue)(const nn::RunBatchPoint&);
};

const Metric kMetrics[] = {
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Validation accuracy"), QT_TRANSLATE_NOOP("app::RunsPanel", "accuracy (%)"), false, true, [](const nn::EpochReport& e) { return e.valAccuracy; }, nullptr},
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Validation loss"), QT_TRANSLATE_NOOP("app::RunsPanel", "loss"), false, false, [](const nn::EpochReport& e) { return e.valLoss; }, nullptr},
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Training loss per epoch"), QT_TRANSLATE_NOOP("app::RunsPanel", "loss"), false, false, [](const nn::EpochReport& e) { return e.trainLoss; }, nullptr},
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Training accuracy per epoch"), QT_TRANSLATE_NOOP("app::RunsPanel", "accuracy (%)"), false, true, [](const nn::EpochReport& e) { return e.trainAccuracy; },
     nullptr},
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Training loss per batch"), QT_TRANSLATE_NOOP("app::RunsPanel", "loss"), true, false, nullptr, [](const nn::RunBatchPoint& b) { return b.loss; }},
    {QT_TRANSLATE_NOOP("app::RunsPanel", "Learning rate"), QT_TRANSLATE_NOOP("app::RunsPanel", "learning rate"), true, false, nullptr, [](const nn::RunBatchPoint& b) { return double(b.lr); }},
};

// A fresh chart in `view`, the old one deleted.
QChart* newChart(QChartView* view, const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QChart* old = view->chart();
    view->setChart(chart);
    delete old;
    return chart;
}

QValueAxis* axis(QChart* chart, Qt::Alignment where, const QString& title, double lo, double hi)
{
    auto* a = new QValueAxis;
    a->setTitleText(title);
    if (hi <= lo)
        hi = lo + 1;
    a->setRange(lo, hi);
    a->applyNiceNumbers();  // ticks at round values
    const double span = a->max() - a->min();
    a->setLabelFormat(span < 0.05 ? QStringLiteral("%.4g") : span < 5 ? QStringLiteral("%.3g") : QStringLiteral("%.0f"));
    chart->addAxis(a, where);
    return a;
}

void emptyNote(QChart* chart, const QString& text)
{
    chart->setTitle(chart->title() + QStringLiteral(" — ") + text);
}

}  // namespace

// ---- Table -------------------------------------------------------------------

void RunTableModel::setRuns(std::vector<nn::RunRecord> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int RunTableModel::rowOf(long long id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return int(i);
    return -1;
}

int RunTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_runs.size()); }
int RunTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(runColumns().size()); }

QVariant RunTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_runs.size()))
        return {};
    const nn::RunRecord& r = m_runs[std::size_t(index.row())];
    const RunColumn& c = runColumns()[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return c.key == QLatin1String("status") ? runStatusText(c.text(r)) : c.text(r);
    case Qt::AccessibleTextRole: {
        // An empty cell (no test accuracy yet, say) still tells a screen reader so.
        const QString t = c.key == QLatin1String("status") ? runStatusText(c.text(r)) : c.text(r);
        return t.isEmpty() ? tr("no value") : t;
    }
    case SortRole: return c.sortValue(r);
    case Qt::ToolTipRole:
        if (c.key == QLatin1String("status"))
            return qs(r.message);
        if (c.key == QLatin1String("architecture") || c.key == QLatin1String("model"))
            return c.text(r);
        return {};
    case Qt::ForegroundRole:
        if (c.key == QLatin1String("model") && runModelMissing(r))
            return QColor(0xc0392b);
        if (c.key == QLatin1String("status") && r.status == "diverged")
            return QColor(0xc0392b);
        return {};
    case Qt::TextAlignmentRole: {
        const QVariant v = c.sortValue(r);
        const bool numeric = v.typeId() == QMetaType::Double || v.typeId() == QMetaType::Int ||
                             v.typeId() == QMetaType::LongLong;
        return int((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    default: return {};
    }
}

QVariant RunTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= int(runColumns().size()))
        return {};
    return runColumnTitle(runColumns()[std::size_t(section)]);
}

void RunFilterModel::setFilter(const QString& text, const QString& status)
{
    m_text = text;
    m_status = status;
    invalidateFilter();
}

bool RunFilterModel::filterAcceptsRow(int row, const QModelIndex&) const
{
    const auto* m = static_cast<const RunTableModel*>(sourceModel());
    return runMatches(m->run(row), m_text, m_status);
}

TrainingSettings rerunSettings(const nn::RunRecord& run, const TrainingSettings& base)
{
    TrainingSettings s = base;
    const nn::RunSettings rs = nn::decodeRunSettings(run.settings);
    const nn::TrainConfig& c = rs.config;
    s.spec = qs(run.spec);
    s.fineTune = run.fineTune;
    s.optimizer = qs(nn::OptimizerConfig::kindName(c.optimizer.kind));
    s.schedule = qs(nn::ScheduleConfig::kindName(c.schedule.kind));
    s.learningRate = double(c.learningRate);
    s.batchSize = c.batchSize;
    s.epochs = c.epochs;
    s.weightDecay = double(c.optimizer.weightDecay);
    s.l1 = double(c.optimizer.l1);
    s.dropout = TrainingSettings().dropout;  // the spec carries the run's dropout rates
    s.validationPercent = int(std::lround(rs.validationFraction * 100));
    s.patience = c.earlyStopPatience;
    s.seed = int(c.seed);
    s.threads = c.threads;
    s.augment = c.augment;
    s.useMnist = rs.useMnist;
    return s;
}

// ---- Page --------------------------------------------------------------------

RunsPanel::RunsPanel(RunHistory* history, QWidget* parent) : QWidget(parent), m_history(history)
{
    buildUi();
    connect(m_history, &RunHistory::changed, this, &RunsPanel::refresh);
    connect(m_history, &RunHistory::problem, this, [this](const QString& text) {
        m_notice->setText(text);
        m_notice->show();
        emit message(text);
    });
    refresh();
}

void RunsPanel::buildUi()
{
    auto* top = new QHBoxLayout;
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("runsFilter"));
    m_filterEdit->setAccessibleName(tr("Filter runs"));
    m_filterEdit->setPlaceholderText(tr("Filter: words in any column or setting, e.g. \"adam augment\""));
    m_filterEdit->setClearButtonEnabled(true);
    m_status = new QComboBox(this);
    m_status->addItem(tr("Any ending"), QString());
    for (const QString& s : runStatuses())
        m_status->addItem(runStatusText(s), s);
    m_countLabel = new QLabel(this);
    top->addWidget(m_filterEdit, 1);
    top->addWidget(m_status);
    top->addWidget(m_countLabel);

    m_model = new RunTableModel(this);
    m_filter = new RunFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(RunTableModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setAccessibleName(tr("Training runs"));
    m_table->setTabKeyNavigation(false);  // Tab leaves the table; the arrows move within it
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);

    auto* buttons = new QHBoxLayout;
    m_open = new QPushButton(tr("Open Model on Pad"), this);
    m_open->setToolTip(tr("Use the model this run saved for drawing"));
    m_rerun = new QPushButton(tr("Re-run…"), this);
    m_rerun->setToolTip(tr("Fill the Train page with this run's settings"));
    m_delete = new QPushButton(tr("Delete…"), this);
    m_export = new QPushButton(tr("Export CSV…"), this);
    m_export->setToolTip(tr("The table (the runs shown) and the selected runs' curves as CSV files"));
    auto* hint = new QLabel(tr("Select several runs (Ctrl or Shift) to compare them."), this);
    hint->setWordWrap(true);
    buttons->addWidget(m_open);
    buttons->addWidget(m_rerun);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_export);
    buttons->addWidget(hint, 1);

    m_tabs = new QTabWidget(this);
    // Curves
    auto* curvesPage = new QWidget(m_tabs);
    auto* cl = new QVBoxLayout(curvesPage);
    cl->setContentsMargins(0, 4, 0, 0);
    m_metric = new QComboBox(curvesPage);
    for (const Metric& m : kMetrics)
        m_metric->addItem(tr(m.title));
    m_curves = new QChartView(curvesPage);
    m_curves->setObjectName(QStringLiteral("runsCurves"));
    m_curves->setRenderHint(QPainter::Antialiasing);
    m_curves->setMinimumHeight(160);
    auto* ml = new QHBoxLayout;
    ml->addWidget(new QLabel(tr("Curve:"), curvesPage));
    ml->addWidget(m_metric);
    ml->addStretch(1);
    cl->addLayout(ml);
    cl->addWidget(m_curves, 1);
    m_tabs->addTab(curvesPage, tr("Curves"));
    // Settings
    auto* diffPage = new QWidget(m_tabs);
    auto* dl = new QVBoxLayout(diffPage);
    dl->setContentsMargins(0, 4, 0, 0);
    m_diffOnly = new QCheckBox(tr("Only the settings that differ"), diffPage);
    m_diffOnly->setChecked(true);
    m_diff = new QTableWidget(diffPage);
    m_diff->setObjectName(QStringLiteral("runsDiff"));
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->horizontalHeader()->setStretchLastSection(true);
    dl->addWidget(m_diffOnly);
    dl->addWidget(m_diff, 1);
    m_tabs->addTab(diffPage, tr("Settings"));
    // Monitoring
    m_throughput = new QChartView(m_tabs);
    m_throughput->setRenderHint(QPainter::Antialiasing);
    m_tabs->addTab(m_throughput, tr("Throughput"));
    m_classError = new QChartView(m_tabs);
    m_classError->setRenderHint(QPainter::Antialiasing);
    m_tabs->addTab(m_classError, tr("Per-class Error"));
    auto* latPage = new QWidget(m_tabs);
    auto* ll = new QVBoxLayout(latPage);
    ll->setContentsMargins(0, 4, 0, 0);
    m_latencyLabel = new QLabel(latPage);
    m_latencyLabel->setWordWrap(true);
    m_latency = new QChartView(latPage);
    m_latency->setRenderHint(QPainter::Antialiasing);
    ll->addWidget(m_latencyLabel);
    ll->addWidget(m_latency, 1);
    m_tabs->addTab(latPage, tr("Pad Latency"));

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("runsNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setStyleSheet(QStringLiteral("QLabel { color: #8a1c12; background: #fdecea; padding: 4px; }"));
    m_notice->hide();

    auto* upper = new QWidget(this);
    auto* ul = new QVBoxLayout(upper);
    ul->setContentsMargins(0, 0, 0, 0);
    ul->addWidget(m_notice);
    ul->addLayout(top);
    ul->addWidget(m_table, 1);
    ul->addLayout(buttons);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    const auto refilter = [this] {
        m_filter->setFilter(m_filterEdit->text(), m_status->currentData().toString());
        m_countLabel->setText(tr("%1 of %2 runs").arg(m_filter->rowCount()).arg(m_model->rowCount()));
    };
    connect(m_filterEdit, &QLineEdit::textChanged, this, refilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::selectionChanged);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &RunsPanel::updateCurves);
    connect(m_diffOnly, &QCheckBox::toggled, this, &RunsPanel::updateDiff);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_shown.size() == 1)
            emit openModelRequested(qs(m_shown.front().modelPath));
    });
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        if (m_shown.size() == 1)
            emit rerunRequested(m_shown.front());
    });
    connect(m_delete, &QPushButton::clicked, this, &RunsPanel::askDelete);
    connect(m_export, &QPushButton::clicked, this, &RunsPanel::exportCsv);
    refilter();
}

QString RunsPanel::notice() const { return m_notice->isVisible() || !m_notice->isHidden() ? m_notice->text() : QString(); }

void RunsPanel::refresh()
{
    const std::vector<long long> keep = selectedIds();
    m_cache.clear();
    m_model->setRuns(m_history->list());
    m_countLabel->setText(tr("%1 of %2 runs").arg(m_filter->rowCount()).arg(m_model->rowCount()));
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 260));
    select(keep);
    selectionChanged();
}

void RunsPanel::select(const std::vector<long long>& ids)
{
    QItemSelection sel;
    for (long long id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex i = m_filter->mapFromSource(m_model->index(row, 0));
        if (i.isValid())
            sel.select(i, i.siblingAtColumn(m_model->columnCount() - 1));
    }
    m_table->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

std::vector<long long> RunsPanel::selectedIds() const
{
    std::vector<long long> ids;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->run(m_filter->mapToSource(i).row()).id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsPanel::selectionChanged()
{
    const std::vector<long long> ids = selectedIds();
    m_shown.clear();
    for (long long id : ids) {
        auto it = m_cache.find(id);
        if (it == m_cache.end()) {
            auto r = m_history->load(id);
            if (!r)
                continue;
            it = m_cache.emplace(id, std::move(*r)).first;
        }
        m_shown.push_back(it->second);
    }
    m_colors.show(ids);
    updateCurves();
    updateDiff();
    updateThroughput();
    updateClassErrors();
    updateLatency();
    updateButtons();
}

void RunsPanel::updateButtons()
{
    const bool one = m_shown.size() == 1;
    const bool haveModel = one && !m_shown.front().modelPath.empty() && !runModelMissing(m_shown.front());
    m_open->setEnabled(haveModel);
    m_open->setToolTip(!one ? tr("Select one run")
                       : haveModel ? tr("Use %1 for drawing").arg(qs(m_shown.front().modelPath))
                       : m_shown.front().modelPath.empty() ? tr("This run saved no model (it was not kept)")
                                                           : tr("The model file %1 is missing").arg(qs(m_shown.front().modelPath)));
    m_rerun->setEnabled(one);
    m_delete->setEnabled(!m_shown.empty());
    m_export->setEnabled(m_model->rowCount() > 0);
}

void RunsPanel::updateCurves()
{
    const Metric& m = kMetrics[std::max(0, m_metric->currentIndex())];
    QChart* chart = newChart(m_curves, tr(m.title));
    double xMax = 1, yMin = 1e300, yMax = -1e300;
    std::vector<QLineSeries*> all;
    for (const nn::RunRecord& r : m_shown) {
        auto* s = new QLineSeries;
        s->setName(qs(r.label()));
        QPen pen(m_colors.color(r.id));
        pen.setWidthF(2);
        s->setPen(pen);
        QList<QPointF> pts;
        const double scale = m.percent ? 100.0 : 1.0;
        if (m.batch) {
            for (const nn::RunBatchPoint& b : r.batchCurve)
                pts.append(QPointF(double(b.step), m.batchValue(b) * scale));
        } else {
            for (const nn::EpochReport& e : r.epochCurve)
                if (const double v = m.epochValue(e); v >= 0 && std::isfinite(v))
                    pts.append(QPointF(e.epoch + 1, v * scale));
        }
        for (const QPointF& p : pts) {
            xMax = std::max(xMax, p.x());
            if (std::isfinite(p.y())) {
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
        }
        s->replace(pts);
        chart->addSeries(s);
        all.push_back(s);
    }
    if (m_shown.empty())
        emptyNote(chart, tr("select runs in the table"));
    if (yMin > yMax)
        yMin = 0, yMax = 1;
    const double pad = (yMax - yMin) * 0.05 + 1e-9;
    QValueAxis* x = axis(chart, Qt::AlignBottom, m.batch ? tr("step") : tr("epoch"), m.batch ? 0 : 1, xMax);
    if (!m.batch)
        x->setTickType(QValueAxis::TicksDynamic), x->setTickInterval(std::max(1.0, std::ceil(xMax / 10))),
            x->setTickAnchor(1);
    QValueAxis* y = axis(chart, Qt::AlignLeft, tr(m.axis), std::max(m.percent || !m.batch ? 0.0 : -1e300, yMin - pad),
                         m.percent ? std::min(100.0, yMax + pad) : yMax + pad);
    for (QLineSeries* s : all) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

void RunsPanel::updateDiff()
{
    const auto rows = settingsDiff(m_shown, m_diffOnly->isChecked() && m_shown.size() > 1);
    m_diff->clear();
    m_diff->setColumnCount(int(m_shown.size()) + 1);
    m_diff->setRowCount(int(rows.size()));
    QStringList head{tr("Setting")};
    for (const nn::RunRecord& r : m_shown)
        head << QStringLiteral("#%1").arg(r.id);
    m_diff->setHorizontalHeaderLabels(head);
    for (int i = 0; i < int(rows.size()); ++i) {
        auto* k = new QTableWidgetItem(rows[std::size_t(i)].key);
        QFont f = k->font();
        f.setBold(rows[std::size_t(i)].differs);
        k->setFont(f);
        m_diff->setItem(i, 0, k);
        for (int j = 0; j < rows[std::size_t(i)].values.size(); ++j) {
            auto* v = new QTableWidgetItem(rows[std::size_t(i)].values[j]);
            v->setToolTip(rows[std::size_t(i)].values[j]);
            if (rows[std::size_t(i)].differs)
                v->setForeground(m_colors.color(m_shown[std::size_t(j)].id).darker(130));
            m_diff->setItem(i, j + 1, v);
        }
    }
    m_diff->resizeColumnsToContents();
    for (int c = 0; c < m_diff->columnCount(); ++c)
        m_diff->setColumnWidth(c, std::min(m_diff->columnWidth(c), 320));
}

void RunsPanel::updateThroughput()
{
    QChart* chart = newChart(m_throughput, tr("Training throughput per epoch"));
    double xMax = 1, yMax = 1;
    std::vector<QLineSeries*> all;
    for (const nn::RunRecord& r : m_shown) {
        auto* s = new QLineSeries;
        s->setName(qs(r.label()));
        QPen pen(m_colors.color(r.id));
        pen.setWidthF(2);
        s->setPen(pen);
        s->setPointsVisible(true);
        QList<QPointF> pts;
        for (const nn::EpochReport& e : r.epochCurve) {
            pts.append(QPointF(e.epoch + 1, e.imagesPerSecond));
            xMax = std::max(xMax, double(e.epoch + 1));
            yMax = std::max(yMax, e.imagesPerSecond);
        }
        s->replace(pts);
        chart->addSeries(s);
        all.push_back(s);
    }
    if (m_shown.empty())
        emptyNote(chart, tr("select runs in the table"));
    QValueAxis* x = axis(chart, Qt::AlignBottom, tr("epoch"), 1, std::max(2.0, xMax));
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickInterval(std::max(1.0, std::ceil(xMax / 10)));
    x->setTickAnchor(1);
    QValueAxis* y = axis(chart, Qt::AlignLeft, tr("images per second"), 0, yMax * 1.1);
    for (QLineSeries* s : all) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

void RunsPanel::updateClassErrors()
{
    QChart* chart = newChart(m_classError, tr("Error rate per class (MNIST test set)"));
    auto* series = new QBarSeries;
    double yMax = 1;
    for (const nn::RunRecord& r : m_shown) {
        if (r.classError.empty())
            continue;
        auto* set = new QBarSet(qs(r.label()));
        set->setColor(m_colors.color(r.id));
        set->setBorderColor(m_colors.color(r.id));
        for (double e : r.classError) {
            *set << std::max(0.0, e * 100);
            yMax = std::max(yMax, e * 100);
        }
        series->append(set);
    }
    chart->addSeries(series);
    if (series->count() == 0)
        emptyNote(chart, m_shown.empty() ? tr("select runs in the table") : tr("not measured (no test evaluation)"));
    auto* x = new QBarCategoryAxis;
    for (int k = 0; k < nn::kClasses; ++k)
        x->append(QString::number(k));
    x->setTitleText(tr("digit"));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(axis(chart, Qt::AlignLeft, tr("error (%)"), 0, yMax * 1.1));
}

void RunsPanel::updateLatency()
{
    const nn::RunRecord* run = nullptr;
    for (const nn::RunRecord& r : m_shown)
        if (!r.latencyMs.empty()) {
            run = &r;
            break;
        }
    QChart* chart = newChart(m_latency, run ? tr("Pad prediction latency while %1 trained").arg(qs(run->label()))
                                            : tr("Pad prediction latency while training"));
    chart->legend()->hide();
    auto* series = new QBarSeries;
    series->setBarWidth(0.95);
    auto* x = new QBarCategoryAxis;
    double yMax = 1;
    if (run) {
        m_latencyLabel->setText(latencySummary(run->latencyMs));
        const Histogram h = histogram(run->latencyMs, 20);
        auto* set = new QBarSet(tr("predictions"));
        set->setColor(m_colors.color(run->id));
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            *set << h.counts[i];
            yMax = std::max(yMax, double(h.counts[i]));
            x->append(i % 4 == 0 ? QString::number(double(i) * h.binWidth, 'g', 2) : QString(i, QLatin1Char(' ')));
        }
        series->append(set);
    } else {
        m_latencyLabel->setText(m_shown.empty() ? tr("Select a run trained in the GUI.")
                                                : tr("No pad predictions were made while these runs trained (CLI runs "
                                                     "have none; draw while a GUI run trains to measure it)."));
    }
    chart->addSeries(series);
    x->setTitleText(tr("milliseconds (start of the job to its result)"));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(axis(chart, Qt::AlignLeft, tr("predictions"), 0, yMax * 1.1));
}

int RunsPanel::deleteSelected(bool models)
{
    int n = 0;
    QStringList failed;
    const std::vector<nn::RunRecord> runs = m_shown;
    for (const nn::RunRecord& r : runs) {
        if (models && !r.modelPath.empty() && QFileInfo(qs(r.modelPath)).isFile() && !QFile::remove(qs(r.modelPath)))
            failed << qs(r.modelPath);
        if (m_history->remove(r.id))
            ++n;
    }
    if (!failed.isEmpty())
        emit message(tr("Could not delete %1").arg(failed.join(QStringLiteral(", "))));
    return n;
}

void RunsPanel::askDelete()
{
    if (m_shown.empty())
        return;
    int files = 0;
    for (const nn::RunRecord& r : m_shown)
        files += !r.modelPath.empty() && !runModelMissing(r);
    QMessageBox box(QMessageBox::Question, tr("Delete runs"),
                    m_shown.size() == 1 ? tr("Delete run #%1 from the history?").arg(m_shown.front().id)
                                        : tr("Delete these %1 runs from the history?").arg(m_shown.size()),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("deleteRunsBox"));
    QPushButton* runsOnly = box.addButton(tr("Delete Runs"), QMessageBox::DestructiveRole);
    QPushButton* withModels = files ? box.addButton(tr("Delete Runs and %n Model File(s)", nullptr, files),
                                                    QMessageBox::DestructiveRole)
                                    : nullptr;
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == runsOnly)
        deleteSelected(false);
    else if (withModels && box.clickedButton() == withModels)
        deleteSelected(true);
}

void RunsPanel::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Runs as CSV"), QStringLiteral("runs.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    std::vector<nn::RunRecord> runs;
    for (int i = 0; i < m_filter->rowCount(); ++i)
        runs.push_back(m_model->run(m_filter->mapToSource(m_filter->index(i, 0)).row()));
    const auto write = [this](const QString& p, const QString& text) {
        QSaveFile f(p);
        if (f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) >= 0 && f.commit())
            return true;
        emit message(tr("Could not write %1: %2").arg(p, f.errorString()));
        return false;
    };
    if (!write(path, runsCsv(runs)))
        return;
    QString done = tr("Exported %1 runs to %2").arg(runs.size()).arg(path);
    if (!m_shown.empty()) {
        const QFileInfo fi(path);
        const QString curves = fi.dir().filePath(fi.completeBaseName() + QStringLiteral("-curves.csv"));
        if (write(curves, curvesCsv(m_shown)))
            done += tr(" and the selected runs' curves to %1").arg(curves);
    }
    emit message(done);
}

}  // namespace app
