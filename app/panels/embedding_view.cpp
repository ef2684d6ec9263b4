#include "embedding_view.h"

#include "common/colour_map.h"
#include "embedding_state.h"
#include "layer_inspector.h"

#include <nn/data/dataset.h>
#include <nn/model.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

// The map is a chart: a light background whatever the theme, so that the
// ten colours keep their contrast.
const QColor kBackground(252, 252, 250);
const QColor kRing(20, 20, 20);
constexpr double kDot = 2.4;   // radius, pixels
constexpr double kRingRadius = 4.6;

QImage sprite(QColor colour, bool ring, qreal dpr)
{
    const int side = int(std::ceil(2 * (kRingRadius + 1.5) * dpr));
    QImage img(side, side, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    img.setDevicePixelRatio(dpr);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    const QPointF c(side / (2 * dpr), side / (2 * dpr));
    if (ring) {
        p.setPen(QPen(kRing, 1.3));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, kRingRadius, kRingRadius);
    } else {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(c, kDot, kDot);
    }
    return img;
}

// A five-pointed star around c: the live drawing.
QPolygonF star(QPointF c, double outer)
{
    QPolygonF s;
    for (int k = 0; k < 10; ++k) {
        const double r = k % 2 ? outer * 0.45 : outer;
        const double a = -M_PI / 2 + k * M_PI / 5;
        s << QPointF(c.x() + r * std::cos(a), c.y() + r * std::sin(a));
    }
    return s;
}

void paintStar(QPainter& p, QPointF c, double outer)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(0, 0, 0), 2.0));
    p.setBrush(QColor(255, 214, 0));
    p.drawPolygon(star(c, outer));
}

}  // namespace

// ---- ScatterView -----------------------------------------------------------

ScatterView::ScatterView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ScatterView::setPoints(std::vector<float> xy, std::vector<std::uint8_t> labels, std::vector<bool> wrong)
{
    m_xy = std::move(xy);
    m_labels = std::move(labels);
    m_wrong = std::move(wrong);
    m_wrong.resize(m_labels.size(), false);
    m_transform.fit(m_xy, rect());
    m_hovered = -1;
    m_lasso.clear();
    m_dirty = true;
    update();
}

void ScatterView::clearPoints() { setPoints({}, {}, {}); }

void ScatterView::setFaded(bool faded, const QString& message)
{
    if (faded == m_faded && message == m_message)
        return;
    m_faded = faded;
    m_message = message;
    m_dirty = true;
    update();
}

void ScatterView::setLivePoint(std::optional<QPointF> data)
{
    if (data == m_live)
        return;
    m_live = data;
    update();
}

void ScatterView::resetView()
{
    m_transform.reset();
    m_dirty = true;
    update();
}

void ScatterView::render()
{
    const qreal dpr = devicePixelRatioF();
    m_cache = QImage(size() * dpr, QImage::Format_ARGB32_Premultiplied);
    m_cache.setDevicePixelRatio(dpr);
    m_cache.fill(kBackground);
    QPainter p(&m_cache);
    std::array<QImage, 10> dots;
    for (int k = 0; k < 10; ++k)
        dots[std::size_t(k)] = sprite(QColor::fromRgb(categoryColour(k)), false, dpr);
    const QImage ring = sprite(kRing, true, dpr);
    const QPointF half(ring.width() / (2 * dpr), ring.height() / (2 * dpr));
    const QRectF visible = QRectF(rect()).adjusted(-8, -8, 8, 8);
    const int n = pointCount();
    for (int i = 0; i < n; ++i) {
        const QPointF w = m_transform.toWidget({m_xy[2 * std::size_t(i)], m_xy[2 * std::size_t(i) + 1]});
        if (visible.contains(w))
            p.drawImage(w - half, dots[m_labels[std::size_t(i)] % 10]);
    }
    // The misclassified on top, so that none hides under a correct one.
    for (int i = 0; i < n; ++i) {
        if (!m_wrong[std::size_t(i)])
            continue;
        const QPointF w = m_transform.toWidget({m_xy[2 * std::size_t(i)], m_xy[2 * std::size_t(i) + 1]});
        if (visible.contains(w))
            p.drawImage(w - half, ring);
    }
    if (m_faded)
        p.fillRect(rect(), QColor(252, 252, 250, 170));
    m_dirty = false;
}

void ScatterView::paintEvent(QPaintEvent*)
{
    if (m_dirty || m_cache.size() != size() * devicePixelRatioF())
        render();
    QPainter p(this);
    p.drawImage(0, 0, m_cache);
    p.setRenderHint(QPainter::Antialiasing);
    if (pointCount() == 0 || !m_message.isEmpty()) {
        p.setPen(QColor(60, 60, 60));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.1);
        p.setFont(f);
        const QString text = m_message.isEmpty() ? tr("No map yet: choose a method and press Compute.") : m_message;
        const QRect box = rect().adjusted(24, 24, -24, -24);
        if (pointCount() == 0)
            p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, text);
        else {
            // A banner at the top: the points stay visible under it.
            const QRect banner = QRect(box.left(), 8, box.width(), p.fontMetrics().height() * 2 + 8);
            p.fillRect(banner, QColor(255, 236, 200));
            p.setPen(QColor(130, 60, 0));
            p.drawText(banner.adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap, text);
        }
    }
    if (m_hovered >= 0 && m_hovered < pointCount()) {
        const QPointF w = m_transform.toWidget({m_xy[2 * std::size_t(m_hovered)], m_xy[2 * std::size_t(m_hovered) + 1]});
        p.setPen(QPen(QColor(0, 0, 0), 2));
        p.setBrush(QColor::fromRgb(categoryColour(m_labels[std::size_t(m_hovered)])));
        p.drawEllipse(w, 6.0, 6.0);
    }
    if (m_lasso.size() > 1) {
        p.setPen(QPen(QColor(0, 90, 200), 1.5, Qt::DashLine));
        p.setBrush(m_lassoing ? QColor(0, 90, 200, 30) : QColor(0, 90, 200, 18));
        p.drawPolygon(m_lasso);
    }
    if (m_live && pointCount() > 0)
        paintStar(p, m_transform.toWidget(*m_live), 11);
}

void ScatterView::resizeEvent(QResizeEvent*)
{
    m_transform.setViewport(rect());
    m_lasso.clear();
    m_dirty = true;
}

void ScatterView::setHovered(int index)
{
    if (index == m_hovered)
        return;
    m_hovered = index;
    update();
    emit hovered(index);
}

void ScatterView::mousePressEvent(QMouseEvent* event)
{
    m_last = event->position();
    if (event->button() == Qt::LeftButton && pointCount() > 0) {
        m_lassoing = true;
        m_lasso = QPolygonF() << event->position();
    } else if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton) {
        m_panning = true;
        setCursor(Qt::ClosedHandCursor);
    }
}

void ScatterView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (m_panning) {
        m_transform.pan(pos - m_last);
        m_last = pos;
        m_dirty = true;
        update();
        return;
    }
    if (m_lassoing) {
        if (QLineF(m_lasso.back(), pos).length() >= 2) {
            m_lasso << pos;
            update();
        }
        return;
    }
    setHovered(nearestPoint(m_xy, m_transform, pos, 6));
}

void ScatterView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        return;
    }
    if (!m_lassoing || event->button() != Qt::LeftButton)
        return;
    m_lassoing = false;
    const QRectF extent = m_lasso.boundingRect();
    if (extent.width() < 5 && extent.height() < 5) {
        // A click, not a lasso.
        m_lasso.clear();
        update();
        const int i = nearestPoint(m_xy, m_transform, event->position(), 6);
        if (i >= 0)
            emit clicked(i);
        return;
    }
    m_lasso << event->position();
    update();
    const std::vector<int> inside = pointsInPolygon(m_xy, m_transform, m_lasso);
    emit lassoSelected(QList<int>(inside.begin(), inside.end()));
}

void ScatterView::mouseDoubleClickEvent(QMouseEvent*) { resetView(); }

void ScatterView::wheelEvent(QWheelEvent* event)
{
    if (pointCount() == 0)
        return;
    const double steps = event->angleDelta().y() / 120.0;
    m_transform.zoom(std::pow(1.25, steps), event->position());
    m_lasso.clear();
    m_dirty = true;
    update();
    event->accept();
}

void ScatterView::leaveEvent(QEvent*) { setHovered(-1); }

// ---- EmbeddingLegend --------------------------------------------------------

EmbeddingLegend::EmbeddingLegend(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Legend: one colour per true label; a ring marks a misclassified image; the star is your drawing"));
}

QSize EmbeddingLegend::sizeHint() const
{
    const int line = fontMetrics().height() + 4;
    return {180, 7 * line + 6};
}

void EmbeddingLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int line = fontMetrics().height() + 4;
    p.fillRect(QRect(0, 0, width(), 5 * line + 4), kBackground);
    // The ten labels in two columns of five.
    const int column = width() / 2;
    for (int k = 0; k < 10; ++k) {
        const QPointF c(10 + (k / 5) * column, 2 + line / 2.0 + (k % 5) * line);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor::fromRgb(categoryColour(k)));
        p.drawEllipse(c, 5.0, 5.0);
        p.setPen(QColor(30, 30, 30));
        p.drawText(QRectF(c.x() + 10, c.y() - line / 2.0, column - 22, line), Qt::AlignVCenter, QString::number(k));
    }
    p.setPen(palette().color(QPalette::WindowText));
    const QPointF ring(10, 5 * line + 4 + line / 2.0);
    p.setPen(QPen(palette().color(QPalette::WindowText), 1.3));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(ring, kRingRadius, kRingRadius);
    p.drawText(QRectF(22, ring.y() - line / 2.0, width() - 22, line), Qt::AlignVCenter, tr("misclassified"));
    const QPointF s(10, ring.y() + line);
    paintStar(p, s, 7);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(22, s.y() - line / 2.0, width() - 22, line), Qt::AlignVCenter, tr("your drawing"));
}

// ---- EmbeddingPanel ----------------------------------------------------------

EmbeddingPanel::EmbeddingPanel(LayerInspector* inspector, QWidget* parent)
    : QWidget(parent), m_inspector(inspector), m_state(new EmbeddingState(this)), m_view(new ScatterView(this)),
      m_method(new QComboBox(this)), m_perplexity(new QDoubleSpinBox(this)), m_seed(new QSpinBox(this)),
      m_compute(new QPushButton(tr("Compute"), this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)), m_status(new QLabel(this)), m_hoverImage(new QLabel(this)),
      m_hoverText(new QLabel(this)), m_selection(new QLabel(this))
{
    m_method->addItem(tr("PCA"));
    m_method->addItem(tr("t-SNE"));
    m_method->setItemData(0, tr("The two directions along which the activations vary most: exact, fast, linear"),
                          Qt::ToolTipRole);
    m_method->setItemData(1, tr("Barnes-Hut t-SNE: keeps neighbours together; distances between clusters mean little"),
                          Qt::ToolTipRole);
    m_method->setCurrentIndex(1);
    m_method->setAccessibleName(tr("Projection method"));
    m_perplexity->setRange(5, 50);
    m_perplexity->setDecimals(0);
    m_perplexity->setValue(30);
    m_perplexity->setToolTip(tr("About how many neighbours each point keeps close (t-SNE)"));
    m_seed->setRange(1, 999999);
    m_seed->setValue(1);
    m_seed->setToolTip(tr("The same seed gives the same map"));
    m_compute->setToolTip(tr("Project the 10,000 test images' penultimate activations (off the GUI thread)"));
    m_cancel->setEnabled(false);
    m_progress->setTextVisible(true);
    m_progress->setVisible(false);
    m_progress->setAccessibleName(tr("Progress of the map"));
    m_status->setWordWrap(true);
    m_view->setAccessibleName(tr("Map of the test images"));
    m_hoverImage->setFixedSize(112, 112);
    m_hoverImage->setAlignment(Qt::AlignCenter);
    m_hoverImage->setStyleSheet(QStringLiteral("background: black"));
    m_hoverText->setWordWrap(true);
    m_hoverText->setMinimumHeight(3 * fontMetrics().height());
    m_hoverText->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_selection->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Method"), this));
    controls->addWidget(m_method);
    auto* perplexityLabel = new QLabel(tr("Perplexity"), this);
    perplexityLabel->setBuddy(m_perplexity);
    controls->addWidget(perplexityLabel);
    controls->addWidget(m_perplexity);
    auto* seedLabel = new QLabel(tr("Seed"), this);
    seedLabel->setBuddy(m_seed);
    controls->addWidget(seedLabel);
    controls->addWidget(m_seed);
    controls->addWidget(m_compute);
    controls->addWidget(m_cancel);
    controls->addWidget(m_progress, 1);
    controls->addStretch(1);  // the controls keep their size while the progress bar is hidden

    auto* side = new QVBoxLayout;
    side->addWidget(new EmbeddingLegend(this));
    auto* hoverBox = new QGroupBox(tr("Under the mouse"), this);
    auto* hoverCol = new QVBoxLayout(hoverBox);
    hoverCol->addWidget(m_hoverImage, 0, Qt::AlignHCenter);
    hoverCol->addWidget(m_hoverText);
    side->addWidget(hoverBox);
    side->addWidget(m_selection);
    auto* help = new QLabel(tr("Click a point to open it in Browse MNIST; drag around points to show just those "
                               "there. Wheel: zoom; right button: pan; double click: fit."),
                            this);
    help->setWordWrap(true);
    side->addWidget(help);
    side->addStretch(1);
    auto* sideBox = new QWidget;
    sideBox->setLayout(side);
    // On a low screen (1024x600) the column scrolls rather than overlapping itself.
    auto* sideArea = new QScrollArea(this);
    sideArea->setFrameShape(QFrame::NoFrame);
    sideArea->setWidgetResizable(true);
    sideArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideArea->setWidget(sideBox);
    sideArea->setFixedWidth(200 + sideArea->verticalScrollBar()->sizeHint().width());

    auto* body = new QHBoxLayout;
    body->addWidget(m_view, 1);
    body->addWidget(sideArea);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    outer->addLayout(controls);
    outer->addWidget(m_status);
    outer->addLayout(body, 1);

    // The model, the drawing and the test set come from the Layers page's inspector.
    m_state->setModel(m_inspector->model());
    m_state->setData(m_inspector->exemplarSourceData());
    if (m_inspector->hasInput())
        m_state->setInput(m_inspector->input().data());
    connect(m_inspector, &LayerInspector::modelChanged, m_state, [this] {
        m_state->setModel(m_inspector->model());
        refreshControls();
    });
    connect(m_inspector, &LayerInspector::exemplarSourceChanged, m_state, [this] {
        m_state->setData(m_inspector->exemplarSourceData());
        refreshControls();
    });
    connect(m_inspector, &LayerInspector::inputChanged, m_state, [this] {
        if (m_inspector->hasInput())
            m_state->setInput(m_inspector->input().data());
        else
            m_state->clearInput();
    });

    connect(m_method, &QComboBox::currentIndexChanged, this, &EmbeddingPanel::refreshControls);
    connect(m_compute, &QPushButton::clicked, this, &EmbeddingPanel::compute);
    connect(m_cancel, &QPushButton::clicked, m_state, &EmbeddingState::cancel);
    connect(m_state, &EmbeddingState::runningChanged, this, [this](bool running) {
        m_progress->setVisible(running);
        if (!running && !m_state->result())
            m_status->setText(tr("Cancelled."));
        refreshControls();
        if (!running)
            refreshResult();
    });
    connect(m_state, &EmbeddingState::progress, this, [this](nn::EmbeddingPhase phase, int done, int total) {
        // One bar over the phases: activations a tenth, t-SNE's neighbours
        // and affinities a tenth, its optimisation the rest.
        const bool tsne = m_method->currentIndex() == 1;
        double f = total > 0 ? double(done) / total : 0;
        QString what;
        switch (phase) {
        case nn::EmbeddingPhase::Activations:
            f = 0.1 * f;
            what = tr("Running the test images through the network…");
            break;
        case nn::EmbeddingPhase::Neighbours:
            f = 0.1 + 0.08 * f;
            what = tr("Finding each image's nearest neighbours…");
            break;
        case nn::EmbeddingPhase::Affinities:
            f = 0.18 + 0.02 * f;
            what = tr("Calibrating the neighbourhoods to the perplexity…");
            break;
        case nn::EmbeddingPhase::Optimise:
            f = (tsne ? 0.2 : 0.1) + (tsne ? 0.8 : 0.9) * f;
            what = tsne ? tr("Arranging the map: iteration %1 of %2").arg(done).arg(total) : tr("Projecting…");
            break;
        }
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * f));
        m_status->setText(what);
    });
    connect(m_state, &EmbeddingState::failed, this,
            [this](const QString& message) { m_status->setText(tr("Could not compute the map: %1").arg(message)); });
    connect(m_state, &EmbeddingState::resultChanged, this, &EmbeddingPanel::refreshResult);
    connect(m_state, &EmbeddingState::livePointChanged, this, &EmbeddingPanel::refreshLive);
    connect(m_view, &ScatterView::hovered, this, &EmbeddingPanel::showHover);
    connect(m_view, &ScatterView::clicked, this, &EmbeddingPanel::openSample);
    connect(m_view, &ScatterView::lassoSelected, this, [this](const QList<int>& indices) {
        m_selection->setText(indices.isEmpty() ? tr("No point inside the lasso.")
                                               : tr("%n image(s) selected: Browse MNIST shows just these.", "",
                                                    int(indices.size())));
        if (!indices.isEmpty())
            emit selectSamples(indices);
    });
    refreshControls();
    refreshResult();
}

void EmbeddingPanel::compute()
{
    nn::EmbeddingRequest r;
    r.method = m_method->currentIndex() == 1 ? nn::EmbeddingMethod::Tsne : nn::EmbeddingMethod::Pca;
    r.tsne.perplexity = m_perplexity->value();
    r.tsne.seed = std::uint64_t(m_seed->value());
    QString why;
    if (!m_state->canCompute(&why)) {
        m_status->setText(why);
        return;
    }
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setText(tr("Starting…"));
    m_state->compute(r);
}

void EmbeddingPanel::showEvent(QShowEvent*)
{
    refreshControls();
    refreshLive();
}

void EmbeddingPanel::refreshControls()
{
    const bool running = m_state->isRunning();
    m_perplexity->setEnabled(m_method->currentIndex() == 1 && !running);
    m_seed->setEnabled(m_method->currentIndex() == 1 && !running);
    m_method->setEnabled(!running);
    QString why;
    const bool can = m_state->canCompute(&why);
    m_compute->setEnabled(can && !running);
    m_compute->setToolTip(can ? tr("Project the test images' penultimate activations (off the GUI thread)") : why);
    m_cancel->setEnabled(running);
    if (!running && !m_state->result() && !can)
        m_status->setText(why);
}

void EmbeddingPanel::refreshResult()
{
    const auto r = m_state->result();
    if (!r) {
        m_view->clearPoints();
        m_view->setFaded(false);
        return;
    }
    const nn::Embedding& e = r->embedding;
    std::vector<bool> wrong(static_cast<std::size_t>(e.n));
    for (int i = 0; i < e.n; ++i)
        wrong[std::size_t(i)] = r->wrong(i);
    if (m_view->points() != e.xy)
        m_view->setPoints(e.xy, r->data->labels, std::move(wrong));
    const bool stale = m_state->isStale();
    m_view->setFaded(stale, stale ? tr("Computed for an older model — press Compute to recompute") : QString());
    const QLocale loc;
    QString layer = tr("the input pixels");
    if (const auto model = r->model.lock(); model && e.layer >= 0)
        layer = tr("layer %1, “%2”").arg(e.layer + 1).arg(QString::fromStdString(model->layerInfo()[std::size_t(e.layer)].spec));
    else if (e.layer >= 0)
        layer = tr("layer %1").arg(e.layer + 1);
    const QString method =
        e.method == nn::EmbeddingMethod::Pca
            ? tr("PCA (the two axes hold %1% of the variance)")
                  .arg(loc.toString(100.0 * (e.pca.variance[0] + e.pca.variance[1]) / std::max(e.pca.totalVariance, 1e-30), 'f', 1))
            : tr("t-SNE, perplexity %1, seed %2").arg(e.tsne.perplexity).arg(e.tsne.seed);
    m_status->setText(tr("%1 of %2 test images: %3 values from %4 each, %5 s. %6 misclassified (ringed).")
                          .arg(method, loc.toString(e.n))
                          .arg(e.dim)
                          .arg(layer, loc.toString(r->seconds, 'f', 1), loc.toString(r->misclassified)));
    // The live point: exact for PCA, an approximation for t-SNE.
    m_view->setToolTip(e.method == nn::EmbeddingMethod::Pca
                           ? tr("The star is your drawing, projected exactly like the test images (the same linear map).")
                           : tr("The star is your drawing. t-SNE has no map for new points, so it is an "
                                "approximation: the weighted mean of the positions of its %1 nearest test images in "
                                "activation space, weighted as t-SNE weighs neighbours.")
                                 .arg(int(std::ceil(3 * e.tsne.perplexity))));
    refreshLive();
}

void EmbeddingPanel::refreshLive()
{
    if (isVisible())
        m_view->setLivePoint(m_state->livePoint());
}

void EmbeddingPanel::showHover(int index)
{
    const auto r = m_state->result();
    if (index < 0 || !r || index >= r->data->size()) {
        m_hoverImage->clear();
        m_hoverText->setText(tr("Hover a point to see its image."));
        return;
    }
    const nn::Dataset& d = *r->data;
    const QImage img(d.image(index), d.cols, d.rows, d.cols, QImage::Format_Grayscale8);
    m_hoverImage->setPixmap(QPixmap::fromImage(img.scaled(112, 112, Qt::KeepAspectRatio, Qt::FastTransformation)));
    const int label = d.labels[std::size_t(index)], predicted = r->predictions[std::size_t(index)];
    m_hoverText->setText(label == predicted
                             ? tr("Test image %1<br>label %2, predicted %3").arg(index).arg(label).arg(predicted)
                             : tr("Test image %1<br>label %2, <span style='color:#c0392b'><b>predicted %3</b></span>")
                                   .arg(index)
                                   .arg(label)
                                   .arg(predicted));
}

}  // namespace app
