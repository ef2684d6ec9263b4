#include "evaluation_panel.h"

#include "common/language.h"
#include "save_dialog.h"
#include "common/settings.h"

#include "common/mnist_store.h"

#include "calibration_view.h"
#include "confusion_view.h"
#include "mnist_browser.h"
#include "workers/evaluation_worker.h"

#include <common/defaultmodel.h>

#include <nn/notdigit.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace app {

namespace {

bool writeText(const QString& path, const QString& text, QString* error)
{
    QSaveFile f(path);  // atomic: a failed export never leaves half a file
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(text.toUtf8()) < 0 || !f.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

// Locale-independent, shortest round-tripping numbers for CSV.
QString num(double v) { return QString::number(v, 'g', 6); }

}  // namespace

EvaluationPanel::EvaluationPanel(QWidget* parent)
    : QWidget(parent), m_runner(new EvaluationRunner(this)), m_cellModel(new SampleListModel(this))
{
    buildUi();
    connect(m_runner, &EvaluationRunner::progress, this, [this](const QString&, int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(m_runner, &EvaluationRunner::finished, this, &EvaluationPanel::onFinished);
    connect(m_runner, &EvaluationRunner::failed, this, [this](const QString&, const QString& message) {
        m_progress->setVisible(false);
        setStatus(tr("Evaluation failed: %1").arg(message), true);
        updateButtons();
    });
}

EvaluationPanel::~EvaluationPanel() = default;  // m_loader waits for a load in progress

void EvaluationPanel::onLoaded(const Loaded& r)
{
    if (!r.error.isEmpty()) {
            m_progress->setVisible(false);
            setStatus(r.error, true);
            updateButtons();
            return;
        }
        if (!m_train)
            m_train = r.train;
        if (!m_test)
            m_test = r.test;
        startEvaluation();
}

void EvaluationPanel::buildUi()
{
    auto* layout = new QVBoxLayout(this);

    auto* bar = new QHBoxLayout;
    m_set = new QComboBox(this);
    m_set->addItems({tr("Test set (10,000)"), tr("Training set (60,000)"), tr("My digits")});
    m_evaluate = new QPushButton(tr("Evaluate"), this);
    m_evaluate->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setVisible(false);
    m_set->setObjectName(QStringLiteral("setChoice"));
    m_evaluate->setObjectName(QStringLiteral("evaluate"));
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(260);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("evaluationStatus"));
    m_status->setWordWrap(true);
    bar->addWidget(new QLabel(tr("Evaluate on"), this));
    bar->addWidget(m_set);
    bar->addWidget(m_evaluate);
    bar->addWidget(m_cancel);
    bar->addWidget(m_progress);
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto* vsplit = new QSplitter(Qt::Vertical, this);
    auto* hsplit = new QSplitter(Qt::Horizontal, vsplit);

    auto* left = new QWidget(hsplit);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    auto* tools = new QHBoxLayout;
    m_normalize = new QCheckBox(tr("Row percentages"), left);
    m_exportCsv = new QPushButton(tr("Export CSV…"), left);
    m_exportPng = new QPushButton(tr("Export PNG…"), left);
    m_exportMis = new QPushButton(tr("Export misclassified…"), left);
    m_normalize->setObjectName(QStringLiteral("rowPercentages"));
    m_exportCsv->setObjectName(QStringLiteral("exportConfusionCsv"));
    m_exportPng->setObjectName(QStringLiteral("exportConfusionPng"));
    m_exportMis->setObjectName(QStringLiteral("exportMisclassified"));
    m_exportCsv->setToolTip(tr("Save the confusion matrix (counts) as CSV"));
    m_exportPng->setToolTip(tr("Save the confusion matrix as an image"));
    m_exportMis->setToolTip(tr("Save every misclassified sample with its probabilities as CSV"));
    tools->addWidget(m_normalize);
    tools->addStretch(1);
    tools->addWidget(m_exportCsv);
    tools->addWidget(m_exportPng);
    tools->addWidget(m_exportMis);
    ll->addLayout(tools);
    m_confusion = new ConfusionView(left);
    ll->addWidget(m_confusion, 1);

    auto* tabs = new QTabWidget(hsplit);
    m_table = new QTableWidget(13, 4, tabs);
    m_table->setAccessibleName(tr("Per-class precision, recall, F1 and support"));
    m_table->setHorizontalHeaderLabels({tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    QStringList rows;
    for (int k = 0; k < 10; ++k)
        rows << QString::number(k);
    rows << tr("macro avg") << tr("weighted avg") << tr("accuracy");
    m_table->setVerticalHeaderLabels(rows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tabs->addTab(m_table, tr("Per class"));
    fillTable();  // the empty cells, named
    m_pairs = new QListWidget(tabs);
    m_pairs->setAccessibleName(tr("Most confused pairs"));
    tabs->addTab(m_pairs, tr("Most confused"));
    m_calibrationView = new CalibrationView(tabs);
    tabs->addTab(m_calibrationView, tr("Calibration"));
    hsplit->addWidget(left);
    hsplit->addWidget(tabs);
    hsplit->setStretchFactor(0, 3);
    hsplit->setStretchFactor(1, 2);

    m_cellPane = new QWidget(vsplit);
    auto* cl = new QVBoxLayout(m_cellPane);
    cl->setContentsMargins(0, 0, 0, 0);
    auto* head = new QHBoxLayout;
    m_cellTitle = new QLabel(m_cellPane);
    QFont bf = m_cellTitle->font();
    bf.setBold(true);
    m_cellTitle->setFont(bf);
    m_cellSort = new QComboBox(m_cellPane);
    m_cellSort->addItems({tr("Index"), tr("Confidence, lowest first"), tr("Confidence, highest first"),
                          tr("Loss, highest first")});
    m_cellSort->setCurrentIndex(int(SampleFilter::Sort::ConfidenceDescending));
    m_cellSort->setObjectName(QStringLiteral("cellSort"));
    auto* close = new QToolButton(m_cellPane);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close"));
    head->addWidget(m_cellTitle, 1);
    head->addWidget(new QLabel(tr("Sort by"), m_cellPane));
    head->addWidget(m_cellSort);
    head->addWidget(close);
    cl->addLayout(head);
    auto* body = new QHBoxLayout;
    m_cellGrid = new SampleGridView(m_cellPane);
    m_cellGrid->setAccessibleName(tr("Samples of the selected cell"));
    m_cellGrid->setCellSize(64);
    m_cellGrid->setModel(m_cellModel);
    m_cellDetail = new SampleDetailView(m_cellPane, Qt::Horizontal);
    m_cellDetail->setMinimumWidth(430);
    body->addWidget(m_cellGrid, 1);
    body->addWidget(m_cellDetail);
    cl->addLayout(body, 1);
    m_cellPane->setVisible(false);
    vsplit->addWidget(hsplit);
    vsplit->addWidget(m_cellPane);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    layout->addWidget(vsplit, 1);

    connect(m_evaluate, &QPushButton::clicked, this, [this] { evaluate(Set(m_set->currentIndex())); });
    connect(m_cancel, &QPushButton::clicked, this, &EvaluationPanel::cancel);
    connect(m_normalize, &QCheckBox::toggled, m_confusion, &ConfusionView::setNormalized);
    connect(m_confusion, &ConfusionView::cellClicked, this, &EvaluationPanel::openCell);
    connect(close, &QToolButton::clicked, this, &EvaluationPanel::closeCell);
    connect(m_cellSort, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_cellModel->sortBy(SampleFilter::Sort(i)); });
    connect(m_pairs, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        openCell(item->data(Qt::UserRole).toInt(), item->data(Qt::UserRole + 1).toInt());
    });
    connect(m_pairs, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        openCell(item->data(Qt::UserRole).toInt(), item->data(Qt::UserRole + 1).toInt());
    });
    connect(m_cellGrid->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& i) {
        if (!i.isValid()) {
            m_cellDetail->clear();
            return;
        }
        const int row = i.row();
        const nn::Dataset& d = m_cellModel->dataset(row);
        m_cellDetail->showSample(m_cellModel->rawImage(row), d.cols, d.rows, m_cellModel->label(row),
                                 m_cellModel->probabilities(row), m_cellModel->describe(row));
    });
    connect(m_cellModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_cellModel->rowCount() > 0)
            m_cellGrid->setCurrentIndex(m_cellModel->index(0));
        else
            m_cellDetail->clear();
    });
    connect(m_cellDetail, &SampleDetailView::sendToCanvas, this, &EvaluationPanel::sendToCanvas);
    connect(m_cellDetail, &SampleDetailView::previewAugmentation, this, &EvaluationPanel::previewAugmentation);
    connect(m_exportCsv, &QPushButton::clicked, this, [this] {
        saveWithDialog(this, {tr("Export confusion matrix"), QStringLiteral("confusion-%1.csv").arg(m_setName), tr("CSV files (*.csv)"), keys::kExportDir},
                       [this](const QString& path, QString* error) { return exportConfusionCsv(path, error); });
    });
    connect(m_exportPng, &QPushButton::clicked, this, [this] {
        saveWithDialog(this, {tr("Export confusion matrix image"), QStringLiteral("confusion-%1.png").arg(m_setName), tr("PNG images (*.png)"), keys::kExportDir},
                       [this](const QString& path, QString* error) { return exportConfusionPng(path, error); });
    });
    connect(m_exportMis, &QPushButton::clicked, this, [this] {
        saveWithDialog(this, {tr("Export misclassified samples"), QStringLiteral("misclassified-%1.csv").arg(m_setName), tr("CSV files (*.csv)"), keys::kExportDir},
                       [this](const QString& path, QString* error) { return exportMisclassifiedCsv(path, error); });
    });
    updateSummary();
    updateButtons();
}

// The tag also names exported files; it is shown translated.
QString EvaluationPanel::shownSetName(const QString& tag)
{
    return tag == QLatin1String("test")        ? tr("test", "the evaluated set: '<b>test</b> set'")
           : tag == QLatin1String("train")     ? tr("train", "the evaluated set: '<b>train</b> set'")
           : tag == QLatin1String("my-digits") ? tr("my digits", "the evaluated set: '<b>my digits</b> set'")
                                               : tag;
}

QString EvaluationPanel::setLabel(Set set)
{
    switch (set) {
    case TestSet: return QStringLiteral("test");
    case TrainSet: return QStringLiteral("train");
    case UserSet: return QStringLiteral("my-digits");
    }
    return {};
}

void EvaluationPanel::setModel(std::shared_ptr<const nn::Model> model)
{
    m_nnModel = std::move(model);
    m_cellDetail->setModel(m_nnModel);
    if (m_runner->isRunning()) {
        // Its result would be of the old model: cancelled, and said so.
        m_runner->cancel();
        setStatus(tr("The model changed, so the evaluation was cancelled. Press Evaluate for the new model."));
    }
    m_progress->setVisible(false);
    updateSummary();
    updateButtons();
}

void EvaluationPanel::setDataDir(const QString& dir) { m_dataDir = dir; }

void EvaluationPanel::setDatasets(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> test)
{
    m_train = std::move(train);
    m_test = std::move(test);
}

void EvaluationPanel::setUserDigits(std::shared_ptr<const nn::Dataset> digits)
{
    m_user = digits && digits->size() > 0 ? std::move(digits) : nullptr;
    updateButtons();
}

bool EvaluationPanel::isRunning() const { return m_runner->isRunning() || m_loader.isRunning(); }

void EvaluationPanel::evaluate(Set set)
{
    if (!m_nnModel) {
        setStatus(tr("No model to evaluate."), true);
        return;
    }
    m_pendingSet = set;
    if (m_set->currentIndex() != int(set))
        m_set->setCurrentIndex(int(set));
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    if (set != UserSet && !(set == TestSet ? m_test : m_train)) {
        if (m_loader.isRunning())
            return;
        const QString dir = m_dataDir.isEmpty() ? resolveDataDir() : m_dataDir;
        setStatus(tr("Loading MNIST…"));
        m_loader.start([dir]() -> Loaded {
            Loaded r;
            try {
                r.train = mnistStore().get(dir, nn::Split::Train);
                r.test = mnistStore().get(dir, nn::Split::Test);
            } catch (const std::exception& e) {
                r.error = tr("MNIST could not be loaded: %1\nThe Browse MNIST page can download it.")
                              .arg(errorText(e));
            }
            return r;
        }, [this](Loaded r) { onLoaded(r); });
        updateButtons();
        return;
    }
    startEvaluation();
}

void EvaluationPanel::startEvaluation()
{
    const std::shared_ptr<const nn::Dataset> data =
        m_pendingSet == TestSet ? m_test : m_pendingSet == TrainSet ? m_train : m_user;
    if (!data || data->size() == 0 || !m_nnModel) {
        m_progress->setVisible(false);
        setStatus(m_pendingSet == UserSet ? tr("There are no digits of your own yet.") : tr("Nothing to evaluate."),
                  true);
        updateButtons();
        return;
    }
    m_progress->setRange(0, data->size());
    m_progress->setValue(0);
    setStatus(tr("Evaluating %1 samples…").arg(QLocale().toString(data->size())));
    m_runner->start(m_nnModel, data, setLabel(m_pendingSet));
    updateButtons();
}

void EvaluationPanel::cancel()
{
    m_runner->cancel();
    m_progress->setVisible(false);
    setStatus(tr("Cancelled."));
    updateButtons();
}

void EvaluationPanel::onFinished(const EvaluationResult& r)
{
    m_progress->setVisible(false);
    m_evaluatedModel = r.model;
    m_seconds = r.seconds;
    setResult(r.tag, r.data, r.evaluation);
    setStatus(tr("Done in %1 s.").arg(r.seconds, 0, 'f', 2));
    updateButtons();
    const Set set = r.tag == QLatin1String("test") ? TestSet : r.tag == QLatin1String("train") ? TrainSet : UserSet;
    emit evaluated(set, r.data, r.evaluation);
}

void EvaluationPanel::setResult(const QString& setName, std::shared_ptr<const nn::Dataset> data,
                                std::shared_ptr<const nn::Evaluation> evaluation)
{
    m_setName = setName;
    m_data = std::move(data);
    m_evaluation = std::move(evaluation);
    if (!m_evaluation || !m_data || m_evaluation->size() != m_data->size()) {
        m_evaluation = nullptr;
        m_metrics = {};
        m_calibration = {};
        m_scaledCalibration = {};
        m_temperature = 0;
        m_confusion->clear();
        m_calibrationView->clear();
        m_calibrationView->clearScaled();
    } else {
        m_metrics = nn::computeMetrics(*m_evaluation);
        m_calibration = nn::calibration(*m_evaluation, 10);
        // Temperature scaling with the temperature stored in the model
        // (digitpad-cli calibrate), never one fitted on the set shown here.
        const std::shared_ptr<const nn::Model> evaluated = m_evaluatedModel ? m_evaluatedModel : m_nnModel;
        const auto stored = evaluated ? nn::readNotDigit(*evaluated) : std::nullopt;
        m_temperature = stored ? stored->temperature : 0.0;
        m_scaledCalibration = stored ? nn::calibrationAtTemperature(*m_evaluation, m_temperature, 10) : nn::Calibration{};
        m_confusion->setConfusion(m_metrics.confusion);
        m_confusion->setSelectedCell(-1, -1);
        m_calibrationView->setCalibration(m_calibration);
        if (stored)
            m_calibrationView->setScaled(m_scaledCalibration, m_temperature);
        else
            m_calibrationView->clearScaled();
    }
    m_cellModel->setSources({SampleSource{shownSetName(setName), m_data, m_evaluation}});
    closeCell();
    fillTable();
    fillPairs();
    updateSummary();
    updateButtons();
}

void EvaluationPanel::fillTable()
{
    auto put = [this](int row, int col, const QString& text) {
        auto* item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, col, item);
    };
    m_table->clearContents();
    // A cell without a value still tells a screen reader so.
    for (int row = 0; row < m_table->rowCount(); ++row)
        for (int col = 0; col < m_table->columnCount(); ++col) {
            auto* item = new QTableWidgetItem;
            item->setData(Qt::AccessibleTextRole, tr("no value"));
            m_table->setItem(row, col, item);
        }
    if (!m_evaluation)
        return;
    auto rowOf = [&](int row, const nn::ClassMetrics& c) {
        put(row, 0, QString::number(c.precision, 'f', 4));
        put(row, 1, QString::number(c.recall, 'f', 4));
        put(row, 2, QString::number(c.f1, 'f', 4));
        put(row, 3, QLocale().toString(c.support));
    };
    for (int k = 0; k < nn::kClasses; ++k)
        rowOf(k, m_metrics.perClass[std::size_t(k)]);
    rowOf(10, m_metrics.macro);
    rowOf(11, m_metrics.weighted);
    put(12, 2, QString::number(m_metrics.accuracy, 'f', 4));
    put(12, 3, QLocale().toString(m_evaluation->size()));
}

void EvaluationPanel::fillPairs()
{
    m_pairs->clear();
    if (!m_evaluation)
        return;
    struct Pair {
        int t, p, n;
    };
    std::vector<Pair> pairs;
    for (int t = 0; t < nn::kClasses; ++t)
        for (int p = 0; p < nn::kClasses; ++p)
            if (t != p && m_metrics.confusion[std::size_t(t)][std::size_t(p)] > 0)
                pairs.push_back({t, p, m_metrics.confusion[std::size_t(t)][std::size_t(p)]});
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.n > b.n; });
    if (pairs.empty()) {
        m_pairs->addItem(tr("No confusions: every sample was classified correctly."));
        return;
    }
    const int shown = std::min<int>(int(pairs.size()), 15);
    for (int k = 0; k < shown; ++k) {
        const Pair& q = pairs[std::size_t(k)];
        const int support = m_metrics.perClass[std::size_t(q.t)].support;
        //: %1 true label, %2 predicted label, %n images, %3 their share of all images of true label %1
        auto* item = new QListWidgetItem(tr("%1 taken for %2:  %n image(s)  (%3% of the %1s)", nullptr, q.n)
                                             .arg(q.t)
                                             .arg(q.p)
                                             .arg(support > 0 ? 100.0 * q.n / support : 0.0, 0, 'f', 2));
        item->setData(Qt::UserRole, q.t);
        item->setData(Qt::UserRole + 1, q.p);
        item->setToolTip(tr("Click to see them"));
        m_pairs->addItem(item);
    }
}

void EvaluationPanel::updateSummary()
{
    if (!m_evaluation) {
        m_summary->setText(m_nnModel ? tr("Choose a set and press Evaluate.") : tr("No model loaded."));
        return;
    }
    int errors = 0;
    for (int i = 0; i < m_evaluation->size(); ++i)
        errors += m_evaluation->labels[std::size_t(i)] != m_evaluation->predictions[std::size_t(i)];
    const QString shownSet = shownSetName(m_setName);
    QString s = tr("<b>%1</b> set: %Ln image(s) · accuracy <b>%2%</b> · %3 misclassified · loss %4 · ECE %5%", nullptr,
                   m_evaluation->size())
                    .arg(shownSet.toHtmlEscaped())
                    .arg(100.0 * m_metrics.accuracy, 0, 'f', 2)
                    .arg(errors)
                    .arg(m_evaluation->loss, 0, 'f', 4)
                    .arg(100.0 * m_calibration.ece, 0, 'f', 2);
    if (m_temperature > 0)
        s += tr(" → %1% after temperature scaling (T %2)")
                 .arg(100.0 * m_scaledCalibration.ece, 0, 'f', 2)
                 .arg(m_temperature, 0, 'f', 2);
    if (m_seconds >= 0)
        s += tr(" · %1 s").arg(m_seconds, 0, 'f', 2);
    if (m_evaluatedModel && m_nnModel && m_evaluatedModel != m_nnModel)
        s += tr("  <span style='color:#b05a00'>(an earlier model: evaluate again)</span>");
    m_summary->setText(s);
}

void EvaluationPanel::updateButtons()
{
    const bool running = isRunning();
    m_evaluate->setEnabled(!running && m_nnModel);
    m_cancel->setVisible(running);
    m_set->setEnabled(!running);
    if (auto* model = qobject_cast<QStandardItemModel*>(m_set->model()))
        if (QStandardItem* item = model->item(UserSet)) {
            item->setEnabled(m_user != nullptr);
            item->setText(m_user ? tr("My digits (%1)").arg(m_user->size()) : tr("My digits (none yet)"));
        }
    const bool have = m_evaluation != nullptr;
    m_exportCsv->setEnabled(have);
    m_exportPng->setEnabled(have);
    m_exportMis->setEnabled(have);
}

void EvaluationPanel::setStatus(const QString& text, bool error)
{
    m_status->setText(error ? QStringLiteral("<span style='color:#d7463c'>%1</span>").arg(text.toHtmlEscaped()) : text);
}

void EvaluationPanel::openCell(int t, int p)
{
    if (!m_evaluation || t < 0 || p < 0 || t >= nn::kClasses || p >= nn::kClasses)
        return;
    m_cellTrue = t;
    m_cellPred = p;
    std::vector<SampleRef> refs;
    for (int i = 0; i < m_evaluation->size(); ++i)
        if (m_evaluation->labels[std::size_t(i)] == t && m_evaluation->predictions[std::size_t(i)] == p)
            refs.push_back({0, i});
    sortSamples(m_cellModel->sources(), refs, SampleFilter::Sort(m_cellSort->currentIndex()));
    m_cellModel->setSamples(std::move(refs));
    const int n = m_cellModel->rowCount();
    m_cellTitle->setText(t == p ? tr("True %1, predicted %1 (correct): %n image(s)", nullptr, n).arg(t)
                                : tr("True %1, predicted %2: %n image(s)", nullptr, n).arg(t).arg(p));
    m_confusion->setSelectedCell(t, p);
    m_cellPane->setVisible(true);
}

void EvaluationPanel::closeCell()
{
    m_cellTrue = m_cellPred = -1;
    m_cellPane->setVisible(false);
    m_confusion->setSelectedCell(-1, -1);
}

QString EvaluationPanel::confusionCsv() const
{
    QString s = QStringLiteral("true\\predicted");
    for (int p = 0; p < nn::kClasses; ++p)
        s += QLatin1Char(',') + QString::number(p);
    s += QStringLiteral(",total\n");
    for (int t = 0; t < nn::kClasses; ++t) {
        s += QString::number(t);
        int total = 0;
        for (int p = 0; p < nn::kClasses; ++p) {
            const int c = m_metrics.confusion[std::size_t(t)][std::size_t(p)];
            total += c;
            s += QLatin1Char(',') + QString::number(c);
        }
        s += QLatin1Char(',') + QString::number(total) + QLatin1Char('\n');
    }
    return s;
}

QString EvaluationPanel::misclassifiedCsv() const
{
    QString s = QStringLiteral("set,index,label,predicted,confidence,loss");
    for (int k = 0; k < nn::kClasses; ++k)
        s += QStringLiteral(",p%1").arg(k);
    s += QLatin1Char('\n');
    if (!m_evaluation)
        return s;
    for (const nn::Misclassified& m : nn::misclassified(*m_evaluation)) {
        s += QStringLiteral("%1,%2,%3,%4,%5,%6")
                 .arg(m_setName)
                 .arg(m.index)
                 .arg(m.label)
                 .arg(m.predicted)
                 .arg(num(m.confidence), num(sampleLoss(*m_evaluation, m.index)));
        for (float p : m.probabilities)
            s += QLatin1Char(',') + num(p);
        s += QLatin1Char('\n');
    }
    return s;
}

bool EvaluationPanel::exportConfusionCsv(const QString& path, QString* error) const
{
    return writeText(path, confusionCsv(), error);
}

bool EvaluationPanel::exportMisclassifiedCsv(const QString& path, QString* error) const
{
    return writeText(path, misclassifiedCsv(), error);
}

bool EvaluationPanel::exportConfusionPng(const QString& path, QString* error) const
{
    const QImage img = m_confusion->renderImage(QSize(640, 580));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || !img.save(&f, "PNG") || !f.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

}  // namespace app
