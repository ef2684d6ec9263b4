#include "inspector_panel.h"

#include "embedding_view.h"
#include "health_view.h"
#include "layer_inspector.h"
#include "layer_view.h"

#include <nn/data/dataset.h>

#include <QGridLayout>
#include <QGroupBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace app {

namespace {

QImage greyImage(const float* v, int w, int h)
{
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar* line = img.scanLine(y);
        for (int x = 0; x < w; ++x)
            line[x] = uchar(std::clamp(v[y * w + x], 0.0f, 1.0f) * 255.0f + 0.5f);
    }
    return img;
}

QPixmap legendPixmap(const ColourScale& scale, const QFont& font, int width)
{
    QPixmap pm(width, QFontMetrics(font).height() + 10);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setFont(font);
    paintColourLegend(p, pm.rect(), scale);
    return pm;
}

QPixmap scaled(const QImage& img, int side)
{
    return QPixmap::fromImage(img.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation));
}

// Layers between a convolution and the maps it makes, channel for channel.
bool keepsChannels(const std::string& kind)
{
    return kind == "relu" || kind == "sigmoid" || kind == "tanh" || kind == "batchnorm" || kind == "dropout" ||
           kind == "maxpool";
}

}  // namespace

PixelView::PixelView(int side, QWidget* parent) : QWidget(parent), m_side(side)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setFixedSize(side, side);
}

void PixelView::setImage(const QImage& image)
{
    m_image = image;
    update();
}

void PixelView::setOutline(const QRect& pixels)
{
    if (pixels == m_outline)
        return;
    m_outline = pixels;
    update();
}

QRect PixelView::imageRect() const
{
    if (m_image.isNull())
        return {};
    const int s = std::max(1, std::min(width() / m_image.width(), height() / m_image.height()));
    const QSize size(m_image.width() * s, m_image.height() * s);
    return QRect(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

void PixelView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (m_image.isNull())
        return;
    const QRect r = imageRect();
    p.drawImage(r, m_image);
    if (!m_outline.isEmpty()) {
        const double s = double(r.width()) / m_image.width();
        const QRectF o(r.left() + m_outline.left() * s, r.top() + m_outline.top() * s, m_outline.width() * s,
                       m_outline.height() * s);
        // Two pens so the outline shows on ink and on background alike.
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(0, 0, 0), 3));
        p.drawRect(o);
        p.setPen(QPen(QColor(255, 200, 0), 1.5));
        p.drawRect(o);
    }
    if (m_keyboard && hasFocus() && m_cursor.x() >= 0 && m_cursor.x() < m_image.width() &&
        m_cursor.y() < m_image.height()) {
        // The keyboard's pixel: the palette's highlight around it, a dashed inner line for dark and light pixels.
        const double s = double(r.width()) / m_image.width();
        const QRectF c(r.left() + m_cursor.x() * s, r.top() + m_cursor.y() * s, s, s);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.drawRect(c.adjusted(1, 1, -1, -1));
        p.setPen(QPen(palette().color(QPalette::HighlightedText), 1, Qt::DashLine));
        p.drawRect(c.adjusted(2.5, 2.5, -2.5, -2.5));
    }
}

void PixelView::setKeyboardCursor(bool on)
{
    m_keyboard = on;
    setFocusPolicy(on ? Qt::StrongFocus : Qt::NoFocus);
    if (!on)
        m_cursor = {-1, -1};
    update();
}

void PixelView::moveCursor(QPoint to)
{
    if (m_image.isNull())
        return;
    to.setX(std::clamp(to.x(), 0, m_image.width() - 1));
    to.setY(std::clamp(to.y(), 0, m_image.height() - 1));
    m_cursor = to;
    //: The keyboard cursor on a feature map, for a screen reader: its row and column.
    setAccessibleDescription(tr("Unit at row %1, column %2").arg(to.y()).arg(to.x()));
    update();
    emit pixelHovered(to.y(), to.x());
}

void PixelView::keyPressEvent(QKeyEvent* event)
{
    if (!m_keyboard || m_image.isNull()) {
        QWidget::keyPressEvent(event);
        return;
    }
    QPoint c = m_cursor.x() < 0 ? QPoint(m_image.width() / 2, m_image.height() / 2) : m_cursor;
    switch (event->key()) {
    case Qt::Key_Left: c.rx() -= 1; break;
    case Qt::Key_Right: c.rx() += 1; break;
    case Qt::Key_Up: c.ry() -= 1; break;
    case Qt::Key_Down: c.ry() += 1; break;
    case Qt::Key_Home: c.setX(0); break;
    case Qt::Key_End: c.setX(m_image.width() - 1); break;
    case Qt::Key_PageUp: c.setY(0); break;
    case Qt::Key_PageDown: c.setY(m_image.height() - 1); break;
    default: QWidget::keyPressEvent(event); return;
    }
    moveCursor(c);
}

void PixelView::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    if (m_keyboard && event->reason() != Qt::MouseFocusReason && !m_image.isNull())
        moveCursor(m_cursor.x() < 0 ? QPoint(m_image.width() / 2, m_image.height() / 2) : m_cursor);
}

void PixelView::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    if (m_keyboard && m_cursor.x() >= 0) {
        m_cursor = {-1, -1};
        update();
        emit pixelHovered(-1, -1);
    }
}

void PixelView::mouseMoveEvent(QMouseEvent* event)
{
    const QRect r = imageRect();
    const QPoint pos = event->position().toPoint();
    if (r.isEmpty() || !r.contains(pos)) {
        emit pixelHovered(-1, -1);
        return;
    }
    emit pixelHovered((pos.y() - r.top()) * m_image.height() / r.height(), (pos.x() - r.left()) * m_image.width() / r.width());
}

void PixelView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        emit clicked();
}

void PixelView::leaveEvent(QEvent*) { emit pixelHovered(-1, -1); }

InspectorPanel::InspectorPanel(LayerInspector* inspector, QWidget* parent)
    : QWidget(parent), m_inspector(inspector), m_stack(new LayerStack(inspector, 44, this)),
      m_health(new HealthView(this)), m_embedding(new EmbeddingPanel(inspector, this)), m_right(new QTabWidget(this)),
      m_inputView(new PixelView(196, this)), m_hover(new QLabel(this)), m_mapTitle(new QLabel(this)),
      m_mapView(new PixelView(196, this)), m_mapLegend(new QLabel(this)), m_kernelTitle(new QLabel(this)),
      m_kernelBox(new QWidget(this)), m_kernelGrid(new QGridLayout(m_kernelBox)), m_exemplarTitle(new QLabel(this)),
      m_exemplarStatus(new QLabel(this)), m_exemplarProgress(new QProgressBar(this))
{
    m_inputView->setAccessibleName(tr("What the network sees"));
    m_inputView->setToolTip(tr("The 28×28 input; the outlined square is what the unit under the mouse can see"));
    m_mapView->setAccessibleName(tr("Selected feature map"));
    m_mapView->setKeyboardCursor(true);  // its units' receptive fields by keyboard too
    m_hover->setWordWrap(true);
    m_hover->setMinimumHeight(3 * fontMetrics().height());
    m_hover->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_mapTitle->setWordWrap(true);
    m_kernelTitle->setWordWrap(true);
    m_exemplarTitle->setWordWrap(true);
    m_exemplarStatus->setWordWrap(true);
    m_kernelGrid->setContentsMargins(0, 0, 0, 0);
    m_kernelGrid->setSpacing(2);
    m_exemplarProgress->setTextVisible(true);
    m_exemplarProgress->setAccessibleName(tr("Finding the images that excite the channel most"));

    auto* left = new QWidget;
    auto* col = new QVBoxLayout(left);
    auto* seesTitle = new QLabel(tr("<b>What the network sees</b>"), left);
    col->addWidget(seesTitle);
    col->addWidget(m_inputView, 0, Qt::AlignHCenter);
    col->addWidget(m_hover);

    auto* mapBox = new QGroupBox(tr("Selected map"), left);
    auto* mapCol = new QVBoxLayout(mapBox);
    mapCol->addWidget(m_mapTitle);
    mapCol->addWidget(m_mapView, 0, Qt::AlignHCenter);
    mapCol->addWidget(m_mapLegend, 0, Qt::AlignHCenter);
    col->addWidget(mapBox);

    auto* kernelBox = new QGroupBox(tr("Kernels"), left);
    auto* kernelCol = new QVBoxLayout(kernelBox);
    kernelCol->addWidget(m_kernelTitle);
    kernelCol->addWidget(m_kernelBox);
    col->addWidget(kernelBox);

    auto* exBox = new QGroupBox(tr("Test images that excite it most"), left);
    auto* exCol = new QVBoxLayout(exBox);
    exCol->addWidget(m_exemplarTitle);
    auto* exGrid = new QGridLayout;
    for (int i = 0; i < LayerInspector::kExemplars; ++i) {
        auto* b = new QToolButton(exBox);
        b->setIconSize(QSize(56, 56));
        b->setAutoRaise(true);
        b->setVisible(false);
        connect(b, &QToolButton::clicked, this, [this, i] {
            const nn::Dataset* data = m_inspector->exemplarSource();
            if (!data || i >= int(m_shown.size()))
                return;
            QImage img(data->image(m_shown[std::size_t(i)]), data->cols, data->rows, data->cols, QImage::Format_Grayscale8);
            emit sendToCanvas(img.copy());
        });
        exGrid->addWidget(b, i / 3, i % 3);
        m_exemplarButtons.push_back(b);
    }
    exCol->addLayout(exGrid);
    exCol->addWidget(m_exemplarProgress);
    exCol->addWidget(m_exemplarStatus);
    col->addWidget(exBox);
    col->addStretch(1);

    auto* leftArea = new QScrollArea;
    leftArea->setFrameShape(QFrame::NoFrame);
    leftArea->setWidgetResizable(true);
    leftArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    leftArea->setWidget(left);
    leftArea->setMinimumWidth(left->sizeHint().width() + 20);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(leftArea);
    m_right->setDocumentMode(true);
    m_right->addTab(m_stack, tr("Layer outputs"));
    m_right->setTabToolTip(0, tr("Every layer's output for the drawing"));
    m_right->addTab(m_health, tr("Training health"));
    m_right->setTabToolTip(1, tr("While a model trains: gradient norms, weight and gradient histograms, dead ReLUs"));
    m_right->addTab(m_embedding, tr("Embedding"));
    m_right->setTabToolTip(2, tr("The test images where the penultimate layer puts them (PCA or t-SNE), and your drawing among them"));
    connect(m_embedding, &EmbeddingPanel::openSample, this, &InspectorPanel::openTestSample);
    connect(m_embedding, &EmbeddingPanel::selectSamples, this, &InspectorPanel::selectTestSamples);
    split->addWidget(m_right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    outer->addWidget(split);

    connect(m_stack, &LayerStack::channelClicked, this, &InspectorPanel::select);
    connect(m_stack, &LayerStack::unitHovered, this, &InspectorPanel::hoverUnit);
    connect(m_mapView, &PixelView::pixelHovered, this, [this](int y, int x) {
        if (y < 0 || m_layer < 0)
            hoverUnit(-1, -1, 0, 0);
        else
            hoverUnit(m_layer, m_channel, y, x);
    });
    connect(m_inspector, &LayerInspector::inputChanged, this, &InspectorPanel::refresh);
    connect(m_inspector, &LayerInspector::modelChanged, this, [this] {
        refresh();
        refreshKernels();
        refreshExemplars();
    });
    connect(m_inspector, &LayerInspector::exemplarProgress, this, [this](int done, int total) {
        m_exemplarProgress->setRange(0, total);
        m_exemplarProgress->setValue(done);
        m_exemplarProgress->setVisible(true);
    });
    connect(m_inspector, &LayerInspector::exemplarsReady, this, &InspectorPanel::refreshExemplars);
    connect(m_inspector, &LayerInspector::exemplarSourceChanged, this, &InspectorPanel::refreshExemplars);
    connect(m_inspector, &LayerInspector::exemplarsFailed, this, [this](const QString& message) {
        m_exemplarProgress->setVisible(false);
        m_exemplarStatus->setText(tr("Could not find the images: %1").arg(message));
    });
    refresh();
    refreshKernels();
    refreshExemplars();
}

void InspectorPanel::showHealth(bool on) { m_right->setCurrentIndex(on ? 1 : 0); }

void InspectorPanel::showEmbedding() { m_right->setCurrentWidget(m_embedding); }

void InspectorPanel::showEvent(QShowEvent*)
{
    refresh();
    refreshExemplars();
}

void InspectorPanel::refresh()
{
    if (!isVisible())
        return;
    m_inputView->setImage(m_inspector->hasInput() ? greyImage(m_inspector->input().data(), 28, 28) : QImage());
    const auto& traces = m_inspector->traces();
    if (m_layer >= int(traces.size()) || (m_layer >= 0 && m_channel >= traces[std::size_t(m_layer)].shape.c))
        m_layer = m_channel = -1;
    if (m_layer < 0 && !traces.empty()) {
        // Start on the first convolution's first map: something to look at.
        m_layer = 0;
        m_channel = 0;
        m_stack->setSelected(0, 0);
        refreshKernels();
        refreshExemplars();
    }
    refreshSelection();
    // The hover text and outline describe the current drawing (or go, when
    // it is cleared), not the one the mouse first came over.
    hoverUnit(m_hoverLayer, m_hoverChannel, m_hoverY, m_hoverX);
}

void InspectorPanel::select(int layer, int channel)
{
    const auto& traces = m_inspector->traces();
    if (layer < 0 || layer >= int(traces.size()) || channel < 0 || channel >= traces[std::size_t(layer)].shape.c)
        return;  // the softmax strip, or nothing
    m_layer = layer;
    m_channel = channel;
    m_stack->setSelected(layer, channel);
    refreshSelection();
    refreshKernels();
    refreshExemplars();
}

void InspectorPanel::refreshSelection()
{
    const auto& traces = m_inspector->traces();
    if (m_layer < 0 || traces.empty()) {
        m_mapTitle->setText(traces.empty() ? tr("Draw a digit on the pad (Alt+1).") : tr("Click a map on the right."));
        m_mapView->setImage({});
        m_mapLegend->clear();
        return;
    }
    const nn::LayerTrace& t = traces[std::size_t(m_layer)];
    const ColourScale scale = layerScale(t);
    const QLocale locale;
    if (t.spatial()) {
        const int hw = t.shape.h * t.shape.w;
        const auto first = t.values.begin() + std::ptrdiff_t(m_channel) * hw;
        const float peak = *std::max_element(first, first + hw);
        m_mapTitle->setText(tr("Layer %1, %2: channel %3 of %4, peak %5")
                                .arg(m_layer + 1)
                                .arg(QString::fromStdString(t.spec))
                                .arg(m_channel)
                                .arg(t.shape.c)
                                .arg(locale.toString(double(peak), 'g', 3)));
        m_mapView->setImage(renderFeatureMap(t, m_channel, scale));
    } else {
        m_mapTitle->setText(tr("Layer %1, %2: unit %3 of %4 = %5")
                                .arg(m_layer + 1)
                                .arg(QString::fromStdString(t.spec))
                                .arg(m_channel)
                                .arg(t.shape.c)
                                .arg(locale.toString(double(t.values[std::size_t(m_channel)]), 'g', 4)));
        m_mapView->setImage({});
    }
    m_mapLegend->setPixmap(legendPixmap(scale, font(), 180));
}

void InspectorPanel::hoverUnit(int layer, int channel, int y, int x)
{
    m_hoverLayer = layer;
    m_hoverChannel = channel;
    m_hoverY = y;
    m_hoverX = x;
    if (!m_inspector->hasUnit(layer, channel, y, x)) {
        m_inputView->setOutline({});
        m_hover->setText(tr("Hover a map to see where its units look."));
        return;
    }
    const nn::LayerTrace& t = m_inspector->traces()[std::size_t(layer)];
    const nn::ReceptiveField f = m_inspector->receptiveField(std::size_t(layer), channel, y, x);
    m_inputView->setOutline(QRect(f.x0, f.y0, f.width(), f.height()));
    const QLocale locale;
    const float v = t.spatial() ? t.at(channel, y, x) : t.values[std::size_t(channel)];
    const QString where = t.spatial() ? tr("channel %1, unit (%2, %3)").arg(channel).arg(y).arg(x) : tr("unit %1").arg(channel);
    m_hover->setText(tr("%1, %2: %3<br>sees input rows %4–%5, columns %6–%7 (%8×%9 pixels)")
                         .arg(QString::fromStdString(t.spec), where, locale.toString(double(v), 'g', 4))
                         .arg(f.y0)
                         .arg(f.y1 - 1)
                         .arg(f.x0)
                         .arg(f.x1 - 1)
                         .arg(f.height())
                         .arg(f.width()));
}

void InspectorPanel::refreshKernels()
{
    for (QLabel* l : m_kernelViews)
        delete l;
    m_kernelViews.clear();
    m_kernelLayer = -1;
    const auto model = m_inspector->model();
    if (!model || m_layer < 0) {
        m_kernelTitle->setText(tr("Select a map to see the kernels that make it."));
        return;
    }
    const auto info = model->layerInfo();
    // The convolution that makes the selected maps (through batchnorm, activations and pooling).
    int conv = m_layer;
    auto kindOf = [&](int i) { return info[std::size_t(i)].spec.substr(0, info[std::size_t(i)].spec.find(' ')); };
    while (conv >= 0 && kindOf(conv) != "conv" && keepsChannels(kindOf(conv)))
        --conv;
    if (conv < 0 || kindOf(conv) != "conv") {
        m_kernelTitle->setText(tr("A dense layer has weights, not kernels: each unit looks at the whole input of the layer."));
        return;
    }
    const nn::ConvKernels k = nn::convKernels(*model, std::size_t(conv));
    if (m_channel >= k.filters)
        return;
    m_kernelLayer = conv;
    const ColourScale scale = ColourScale::symmetric(k.maxAbs);
    const QString spec = QString::fromStdString(info[std::size_t(conv)].spec);
    auto add = [&](const QImage& img, int side, int row, int column, const QString& tip) {
        auto* l = new QLabel(m_kernelBox);
        l->setPixmap(scaled(img, side));
        l->setToolTip(tip);
        l->setAccessibleName(tip);
        m_kernelGrid->addWidget(l, row, column);
        m_kernelViews.push_back(l);
    };
    if (k.inputs == 1) {
        m_kernelTitle->setText(tr("Layer %1, %2: filter %3 (%4×%4), blue negative, orange positive")
                                   .arg(conv + 1).arg(spec).arg(m_channel).arg(k.k));
        add(renderKernel(k.kernel(m_channel, 0), k.k, scale), 16 * k.k, 0, 0, tr("filter %1").arg(m_channel));
        return;
    }
    m_kernelTitle->setText(tr("Layer %1, %2: filter %3, one %4×%4 kernel per input map (%5), and their mean (large)")
                               .arg(conv + 1).arg(spec).arg(m_channel).arg(k.k).arg(k.inputs));
    const auto mean = k.meanOverInputs(m_channel);
    float meanAbs = 0;
    for (float v : mean)
        meanAbs = std::max(meanAbs, std::abs(v));
    add(renderKernel(mean.data(), k.k, ColourScale::symmetric(meanAbs)), 10 * k.k, 0, 0, tr("mean over the input maps"));
    m_kernelGrid->addWidget(m_kernelViews.back(), 0, 0, 2, 2);
    constexpr int kColumns = 8;
    for (int c = 0; c < k.inputs; ++c)
        add(renderKernel(k.kernel(m_channel, c), k.k, scale), 4 * k.k, 2 + c / kColumns, c % kColumns,
            tr("input map %1").arg(c));
}

void InspectorPanel::refreshExemplars()
{
    m_shown.clear();
    for (QToolButton* b : m_exemplarButtons)
        b->setVisible(false);
    m_exemplarProgress->setVisible(false);
    if (!m_inspector->model() || m_layer < 0) {
        m_exemplarTitle->clear();
        m_exemplarStatus->clear();
        return;
    }
    if (!m_inspector->hasExemplarSource()) {
        m_exemplarTitle->clear();
        m_exemplarStatus->setText(tr("Needs the MNIST test set: Browse MNIST offers to download it when it is "
                                     "missing."));
        return;
    }
    const auto ex = m_inspector->exemplars();
    if (!ex) {
        m_exemplarTitle->clear();
        if (isVisible()) {
            m_inspector->requestExemplars();
            m_exemplarStatus->setText(tr("Running the test images through every layer…"));
            m_exemplarProgress->setVisible(m_inspector->exemplarsRunning());
        }
        return;
    }
    if (m_layer >= int(ex->images.size()) || m_channel >= int(ex->images[std::size_t(m_layer)].size()))
        return;
    const nn::Dataset* data = m_inspector->exemplarSource();
    const auto& idx = ex->images[std::size_t(m_layer)][std::size_t(m_channel)];
    const auto& peaks = ex->peaks[std::size_t(m_layer)][std::size_t(m_channel)];
    const QLocale locale;
    m_shown = idx;
    for (std::size_t i = 0; i < idx.size() && i < m_exemplarButtons.size(); ++i) {
        QImage img(data->image(idx[i]), data->cols, data->rows, data->cols, QImage::Format_Grayscale8);
        QToolButton* b = m_exemplarButtons[i];
        b->setIcon(QIcon(scaled(img.copy(), 56)));
        const QString tip = tr("Test image %1 (label %2): peak %3. Click to draw it on the pad.")
                                .arg(idx[i])
                                .arg(int(data->labels[std::size_t(idx[i])]))
                                .arg(locale.toString(double(peaks[i]), 'g', 3));
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        b->setVisible(true);
    }
    m_exemplarTitle->setText(tr("Their highest activation anywhere in this map, best first."));
    m_exemplarStatus->clear();
}

}  // namespace app
