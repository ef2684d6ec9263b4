#include "search_panel.h"

#include "common/language.h"
#include "runs_panel.h"
#include "wheel_guard.h"

#include "common/run_store.h"
#include "workers/training_controller.h"

#include <nn/errors.h>

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString percent(double f) { return QString::number(100.0 * f, 'f', 2) + QLatin1Char('%'); }

}  // namespace

TrainingSettings bestTrialSettings(const nn::RunRecord& bestRun, const TrainingSettings& page)
{
    TrainingSettings s = rerunSettings(bestRun, page);
    s.epochs = page.epochs;
    s.validationPercent = page.validationPercent;
    s.patience = page.patience;
    return s;
}

SearchPanel::SearchPanel(TrainingController* controller, std::function<TrainingRequest()> baseRequest, QString runsDb,
                         QWidget* parent)
    : QWidget(parent), m_controller(controller), m_baseRequest(std::move(baseRequest)), m_runsDb(std::move(runsDb))
{
    buildUi();
    connect(m_controller, &TrainingController::searchRunStarted, this, &SearchPanel::onRunStarted);
    connect(m_controller, &TrainingController::searchProgress, this, &SearchPanel::onProgress);
    connect(m_controller, &TrainingController::searchTrialEnded, this, &SearchPanel::onTrial);
    connect(m_controller, &TrainingController::searchFinished, this, &SearchPanel::onFinished);
    connect(m_controller, &TrainingController::searchFailed, this, &SearchPanel::onFailed);
    connect(m_controller, &TrainingController::searchRunRecorded, this, &SearchPanel::runRecorded);
    connect(m_controller, &TrainingController::runningChanged, this, &SearchPanel::updateButtons);
    updateButtons();
}

SearchPanel::~SearchPanel()
{
    // The search's checkpoints live in m_work: stop it before they go.
    if (m_controller && isSearching())
        m_controller->stopAndWait(5000);
}

void SearchPanel::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    m_grid = new QLineEdit(QStringLiteral("lr=1e-3,3e-3 batch=32,64"), this);
    m_grid->setToolTip(tr("Every combination is tried: KEY=V1,V2,... separated by spaces. Keys: %1")
                           .arg(qs(nn::searchParamNames())));
    m_random = new QLineEdit(this);
    m_random->setPlaceholderText(tr("e.g. wd=log:1e-6:1e-3 dropout=0:0.5"));
    m_random->setToolTip(tr("One value drawn per trial: KEY=LOW:HIGH, KEY=log:LOW:HIGH or KEY=V1,V2,..."));
    m_trials = new QSpinBox(this);
    m_trials->setRange(0, 1000);
    m_trials->setSpecialValueText(tr("Grid size"));
    m_trials->setToolTip(tr("Configurations to try; trial i takes grid point i mod the grid's size"));
    m_folds = new QSpinBox(this);
    m_folds->setRange(1, 10);
    m_folds->setValue(3);
    m_folds->setToolTip(tr("Stratified k-fold cross-validation; 1 holds out the Train page's validation share once"));
    m_epochs = new QSpinBox(this);
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(2);
    m_halving = new QComboBox(this);
    m_halving->addItem(tr("Off"), 0);
    for (int eta : {2, 3, 4})
        m_halving->addItem(tr("Keep 1/%1").arg(eta), eta);
    m_halving->setToolTip(tr("Successive halving: every trial trains 1 epoch, the best 1/η go on to η times as "
                             "many, up to the epochs set here"));
    m_images = new QSpinBox(this);
    m_images->setRange(0, 60000);
    m_images->setSingleStep(1000);
    m_images->setValue(10000);
    m_images->setSpecialValueText(tr("All"));
    m_images->setToolTip(tr("The first N of MNIST's training images, split into the folds"));
    // Two rows: the space, then the numbers (spin boxes at their natural width).
    const auto add = [&](QHBoxLayout* row, const QString& label, QWidget* w, int stretch = 0) {
        auto* l = new QLabel(label, this);
        l->setBuddy(w);
        row->addWidget(l);
        row->addWidget(w, stretch);
    };
    auto* space = new QHBoxLayout;
    add(space, tr("&Grid:"), m_grid, 1);
    space->addSpacing(12);
    add(space, tr("&Random:"), m_random, 1);
    layout->addLayout(space);
    auto* numbers = new QHBoxLayout;
    for (auto [label, w] : std::initializer_list<std::pair<QString, QWidget*>>{{tr("&Trials:"), m_trials},
                                                                              {tr("&Folds:"), m_folds},
                                                                              {tr("&Epochs:"), m_epochs},
                                                                              {tr("&Halving:"), m_halving},
                                                                              {tr("MNIST &images:"), m_images}}) {
        add(numbers, label, w);
        numbers->addSpacing(12);
    }
    numbers->addStretch(1);
    layout->addLayout(numbers);

    auto* buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("Start Search"), this);
    m_start->setToolTip(tr("Each trial trains with the Train page's settings, changed as the trial says"));
    m_stop = new QPushButton(tr("Stop After Trial"), this);
    m_trainBest = new QPushButton(tr("Train the Best Fully"), this);
    m_trainBest->setToolTip(tr("Put the best trial's settings on the Train page, with its epochs, and train"));
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_trainBest);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();  // takes the room while the progress bar is hidden
    layout->addLayout(buttons);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Search trials"));
    layout->addWidget(m_table, 1);

    takeWheelOnlyWhenFocused(this);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &SearchPanel::stopAfterTrial);
    connect(m_trainBest, &QPushButton::clicked, this, [this] {
        if (!m_ranked.empty() && m_ranked.front().mean >= 0 && !m_ranked.front().runIds.empty())
            emit trainBestRequested(m_ranked.front().runIds.front());
    });
}

bool SearchPanel::isSearching() const { return m_mine && m_controller && m_controller->isSearching(); }

SearchJob SearchPanel::job() const
{
    const nn::SearchSpace space =
        nn::SearchSpace::parse(m_grid->text().toStdString(), m_random->text().toStdString());
    if (space.grid().empty() && !space.hasRandom())
        throw nn::Error(tr("give a grid or random dimensions to search").toStdString());
    const TrainingRequest base = m_baseRequest();
    SearchJob job;
    job.request.base = base;
    job.request.base.config.epochs = m_epochs->value();
    const int gridSize = int(std::min<std::size_t>(space.gridSize(), 100000));
    const int trials = m_trials->value() > 0 ? m_trials->value() : space.grid().empty() ? 10 : gridSize;
    job.request.trials = space.trials(trials, base.config.seed);
    job.request.folds = m_folds->value();
    job.request.validationFraction = base.validationFraction > 0 ? base.validationFraction : 0.1;
    job.request.foldSeed = base.config.seed;
    job.request.halvingEta = m_halving->currentData().toInt();
    if (job.request.halvingEta > 0 && m_epochs->value() < 2)
        throw nn::Error(tr("successive halving needs at least 2 epochs").toStdString());
    job.request.searchId = "search-" + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString();
    if (base.trainOverride) {
        job.request.data = base.trainOverride;
        job.request.dataLabel = "given data";
    }
    job.mnistDir = base.mnistDir;
    job.limit = m_images->value();
    job.runsDb = m_runsDb.isEmpty() ? RunStore::defaultPath() : m_runsDb;
    return job;
}

bool SearchPanel::start()
{
    SearchJob j;
    try {
        j = job();
    } catch (const nn::Error& e) {
        m_status->setText(tr("Cannot search: %1").arg(errorText(e)));
        return false;
    }
    if (j.request.halvingEta > 0) {
        m_work = std::make_unique<QTemporaryDir>();
        if (!m_work->isValid()) {
            m_status->setText(tr("Cannot search: no temporary folder for the checkpoints between rungs"));
            return false;
        }
        j.request.workDir = m_work->path().toStdString();
    }
    m_keys.clear();
    const nn::SearchSpace space = nn::SearchSpace::parse(m_grid->text().toStdString(), m_random->text().toStdString());
    for (const auto* dims : {&space.grid(), &space.random()})
        for (const nn::SearchDim& d : *dims)
            m_keys.push_back(d.key);
    m_total = int(j.request.trials.size());
    m_folds_ = j.request.folds;
    m_outcomes.clear();
    m_ranked.clear();
    fillTable();
    if (!m_controller->startSearch(std::move(j))) {
        m_status->setText(tr("Cannot search while a training run is under way"));
        return false;
    }
    m_mine = true;
    m_progress->setRange(0, m_total);
    m_progress->setValue(0);
    m_status->setText(tr("Loading the data…"));
    updateButtons();
    emit searchingChanged(true);
    return true;
}

void SearchPanel::stopAfterTrial()
{
    if (!isSearching())
        return;
    m_controller->stopSearch(false);
    m_status->setText(tr("Stopping after the current trial…"));
    m_stop->setEnabled(false);
}

void SearchPanel::onRunStarted(int trial, int fold, int rung, int epochs)
{
    if (!m_mine)
        return;
    const bool halving = m_halving->currentData().toInt() > 0;
    QString line;
    if (m_folds_ > 1 && halving)
        line = tr("Trial %1 of %2 · fold %3 of %4 · rung %5, to epoch %6")
                   .arg(trial + 1).arg(m_total).arg(fold + 1).arg(m_folds_).arg(rung + 1).arg(epochs);
    else if (m_folds_ > 1)
        line = tr("Trial %1 of %2 · fold %3 of %4").arg(trial + 1).arg(m_total).arg(fold + 1).arg(m_folds_);
    else if (halving)
        line = tr("Trial %1 of %2 · rung %3, to epoch %4").arg(trial + 1).arg(m_total).arg(rung + 1).arg(epochs);
    else
        line = tr("Trial %1 of %2").arg(trial + 1).arg(m_total);
    m_runLine = line.toStdString();
    m_status->setText(line);
}

void SearchPanel::onProgress(const nn::BatchReport& r)
{
    if (!m_mine)
        return;
    m_status->setText(tr("%1 · epoch %2 of %3, batch %4 of %5, loss %6")
                          .arg(qs(m_runLine))
                          .arg(r.epoch + 1)
                          .arg(r.epochs)
                          .arg(r.batch)
                          .arg(r.batches)
                          .arg(r.loss, 0, 'f', 4));
}

void SearchPanel::onTrial(const nn::TrialOutcome& t)
{
    if (!m_mine)
        return;
    m_outcomes[t.trial] = t;
    m_ranked.clear();
    for (const auto& [k, v] : m_outcomes)
        m_ranked.push_back(v);
    nn::rankTrials(m_ranked);
    m_progress->setValue(std::min(m_total, int(m_outcomes.size())));
    fillTable();
}

void SearchPanel::onFinished(const nn::SearchResult& r)
{
    if (!m_mine)
        return;
    m_mine = false;
    m_ranked = r.trials;
    m_progress->setValue(m_total);
    fillTable();
    QStringList text{tr("%1 of %2 trials in %3 s.").arg(r.trials.size()).arg(r.planned).arg(r.seconds, 0, 'f', 0)};
    if (r.interrupted)
        text << (r.discarded.empty() ? tr("Stopped.") : tr("Stopped; %1 was discarded.").arg(qs(r.discarded)));
    if (!r.trials.empty() && r.trials.front().mean >= 0)
        text << tr("Best: %1 (validation %2).").arg(qs(r.trials.front().point.describe()), percent(r.trials.front().mean));
    m_status->setText(text.join(QLatin1Char(' ')));
    m_work.reset();
    updateButtons();
    emit searchingChanged(false);
}

void SearchPanel::onFailed(const QString& message)
{
    if (!m_mine)
        return;
    m_mine = false;
    m_status->setText(tr("The search failed: %1").arg(message));
    m_work.reset();
    updateButtons();
    emit searchingChanged(false);
}

void SearchPanel::fillTable()
{
    QStringList head{tr("Rank"), tr("Trial")};
    for (const std::string& k : m_keys)
        head << qs(k);
    head << tr("Validation") << tr("Epochs") << tr("Status") << tr("Runs");
    m_table->clear();
    m_table->setColumnCount(int(head.size()));
    m_table->setHorizontalHeaderLabels(head);
    m_table->setRowCount(int(m_ranked.size()));
    for (int row = 0; row < int(m_ranked.size()); ++row) {
        const nn::TrialOutcome& t = m_ranked[std::size_t(row)];
        QStringList cells{QString::number(row + 1), QString::number(t.trial + 1)};
        for (const std::string& k : m_keys)
            cells << qs(t.point.value(k));
        QString val = t.mean >= 0 ? percent(t.mean) : QStringLiteral("\u2014");
        if (t.mean >= 0 && m_folds_ > 1)
            val += QStringLiteral(" ± ") + percent(t.std);
        cells << val << QString::number(t.epochs);
        const QString status = t.status == "finished"  ? tr("finished")
                               : t.status == "halved"  ? tr("stopped by halving")
                               : t.status == "diverged" ? tr("diverged")
                               : t.status == "running" ? tr("going on")
                                                       : tr("stopped");
        cells << status;
        QStringList ids;
        for (long long id : t.runIds)
            if (id > 0)
                ids << QString::number(id);
        cells << ids.join(QStringLiteral(", "));
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (!t.message.empty())
                item->setToolTip(qs(t.message));
            m_table->setItem(row, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    updateButtons();
}

void SearchPanel::updateButtons()
{
    const bool searching = isSearching();
    const bool busy = !m_controller || m_controller->isRunning();
    m_progress->setVisible(searching || !m_ranked.empty());
    m_start->setEnabled(!busy);
    m_stop->setEnabled(searching);
    m_trainBest->setEnabled(!busy && !m_ranked.empty() && m_ranked.front().mean >= 0 &&
                            !m_ranked.front().runIds.empty() && m_ranked.front().runIds.front() > 0);
    for (QWidget* w : std::initializer_list<QWidget*>{m_grid, m_random, m_trials, m_folds, m_epochs, m_halving, m_images})
        w->setEnabled(!searching);
}

}  // namespace app
