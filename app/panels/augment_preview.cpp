#include "augment_preview.h"

#include "training_settings.h"  // kMaxSeed

#include "common/imageconvert.h"
#include "common/language.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSlider>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {


// The grid of augmented tiles, painted in one go. From the keyboard, the
// arrows move a current tile whose draw the accessible description tells
// (what the tooltip shows to the mouse).
class AugmentTiles : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(app::AugmentTiles)  // its own context (no Q_OBJECT here)

public:
    AugmentTiles(const std::vector<std::vector<float>>* tiles, const std::vector<nn::AugmentDraw>* draws,
                 QWidget* parent)
        : QWidget(parent), m_tiles(tiles), m_draws(draws)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setMinimumSize(AugmentPreview::kCols * 60, AugmentPreview::kRows * 60);
        setFocusPolicy(Qt::StrongFocus);
        setAccessibleName(tr("Augmented versions, one per epoch"));
    }
    int w = 28, h = 28;
    QSize sizeHint() const override { return {AugmentPreview::kCols * 92, AugmentPreview::kRows * 92}; }

    QRect tileRect(int k) const
    {
        const int side = std::min(width() / AugmentPreview::kCols, height() / AugmentPreview::kRows);
        const int x0 = (width() - side * AugmentPreview::kCols) / 2;
        return QRect(x0 + (k % AugmentPreview::kCols) * side, (k / AugmentPreview::kCols) * side, side, side)
            .adjusted(2, 2, -2, -2);
    }

    // "Epoch 3\nrotation 4.1°, ..." for tile k ("" when there is none).
    QString tileText(int k) const
    {
        if (k < 0 || k >= int(m_draws->size()))
            return {};
        const nn::AugmentDraw& d = (*m_draws)[std::size_t(k)];
        return tr("Epoch %1\nrotation %2°, scale %3, shear %4°\nshift (%5, %6) px, "
                  "thickness %7, contrast %8")
            .arg(k + 1)
            .arg(d.rotationDeg, 0, 'f', 1)
            .arg(d.scale, 0, 'f', 2)
            .arg(d.shearDeg, 0, 'f', 1)
            .arg(d.shiftX, 0, 'f', 1)
            .arg(d.shiftY, 0, 'f', 1)
            .arg(d.thickness, 0, 'f', 2)
            .arg(d.contrast, 0, 'f', 2);
    }
    int current() const { return m_current; }
    void setCurrent(int k)
    {
        const int n = int(m_draws->size());
        if (n == 0)
            return;
        m_current = std::clamp(k, 0, n - 1);
        refreshDescription();
        update();
    }
    // The draws changed (new sliders or seed): the current tile's text too.
    void refreshDescription()
    {
        setAccessibleDescription(m_current >= 0 ? QString(tileText(m_current)).replace(QLatin1Char('\n'), QStringLiteral(", "))
                                                : tr("Arrow keys move between the tiles"));
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        QFont f = font();
        f.setPixelSize(10);
        p.setFont(f);
        for (int k = 0; k < int(m_tiles->size()); ++k) {
            const QRect r = tileRect(k);
            // Whole pixels, no smoothing: exactly the 28x28 values the network gets.
            const QImage img = floatToImage((*m_tiles)[std::size_t(k)].data(), w, h);
            p.drawImage(r, img.scaled(r.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation));
            p.setPen(QColor(140, 140, 140));
            p.drawText(r.adjusted(3, 1, -3, -1), Qt::AlignLeft | Qt::AlignTop, QString::number(k + 1));
        }
        if (hasFocus() && m_current >= 0) {
            const QRect r = tileRect(m_current).adjusted(-1, -1, 0, 0);
            p.setPen(QPen(palette().color(QPalette::Highlight), 3));
            p.drawRect(r);
            p.setPen(QPen(palette().color(QPalette::HighlightedText), 1, Qt::DashLine));
            p.drawRect(r.adjusted(2, 2, -2, -2));
        }
    }
    void keyPressEvent(QKeyEvent* e) override
    {
        const int k = std::max(0, m_current);
        switch (e->key()) {
        case Qt::Key_Left: setCurrent(k - 1); break;
        case Qt::Key_Right: setCurrent(k + 1); break;
        case Qt::Key_Up: setCurrent(k - AugmentPreview::kCols >= 0 ? k - AugmentPreview::kCols : k); break;
        case Qt::Key_Down: setCurrent(k + AugmentPreview::kCols < AugmentPreview::kTiles ? k + AugmentPreview::kCols : k); break;
        case Qt::Key_Home: setCurrent(0); break;
        case Qt::Key_End: setCurrent(AugmentPreview::kTiles - 1); break;
        default: QWidget::keyPressEvent(e); return;
        }
    }
    void focusInEvent(QFocusEvent* e) override
    {
        QWidget::focusInEvent(e);
        if (m_current < 0)
            setCurrent(0);
        update();
    }
    void focusOutEvent(QFocusEvent* e) override
    {
        QWidget::focusOutEvent(e);
        update();
    }
    bool event(QEvent* e) override
    {
        if (e->type() == QEvent::ToolTip) {
            const QPoint pos = static_cast<QHelpEvent*>(e)->pos();
            for (int k = 0; k < int(m_draws->size()); ++k)
                if (tileRect(k).contains(pos)) {
                    QToolTip::showText(static_cast<QHelpEvent*>(e)->globalPos(), tileText(k), this);
                    return true;
                }
            QToolTip::hideText();
            return true;
        }
        return QWidget::event(e);
    }

private:
    const std::vector<std::vector<float>>* m_tiles;
    const std::vector<nn::AugmentDraw>* m_draws;
    int m_current = -1;
};

float AugmentPreview::Slider::get() const { return min + step * float(slider->value()); }

void AugmentPreview::Slider::set(float v) { slider->setValue(int(std::lround((v - min) / step))); }

AugmentPreview::AugmentPreview(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);

    auto* controls = new QWidget(this);
    controls->setMaximumWidth(380);
    auto* cl = new QVBoxLayout(controls);
    cl->setContentsMargins(0, 0, 0, 0);
    auto* sourceRow = new QHBoxLayout;
    m_sourceImage = new QLabel(controls);
    m_sourceImage->setFixedSize(84, 84);
    m_sourceImage->setStyleSheet(QStringLiteral("background: black"));
    auto* sourceText = new QVBoxLayout;
    m_sourceCombo = new QComboBox(controls);
    m_sourceCombo->addItems({tr("Selected MNIST sample"), tr("Current drawing")});
    m_caption = new QLabel(controls);
    m_caption->setWordWrap(true);
    sourceText->addWidget(m_sourceCombo);
    sourceText->addWidget(m_caption, 1);
    sourceRow->addWidget(m_sourceImage);
    sourceRow->addLayout(sourceText, 1);
    cl->addLayout(sourceRow);

    m_form = new QFormLayout;
    cl->addLayout(m_form);
    const auto& fields = nn::augmentFields();
    for (std::size_t i = 0; i < fields.size() && i < std::size_t(Count); ++i)
        addSlider(Key(i), fields[i]);

    auto* seedRow = new QHBoxLayout;
    m_seedLabel = new QLabel(controls);
    m_seedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* newSeed = new QPushButton(tr("New seed"), controls);
    seedRow->addWidget(m_seedLabel, 1);
    seedRow->addWidget(newSeed);
    cl->addLayout(seedRow);
    auto* buttons = new QHBoxLayout;
    auto* reset = new QPushButton(tr("Standard settings"), controls);
    auto* apply = new QPushButton(tr("Apply to training"), controls);
    apply->setToolTip(tr("Use these settings for training"));
    buttons->addWidget(reset);
    buttons->addWidget(apply);
    cl->addLayout(buttons);
    cl->addStretch(1);

    m_grid = new AugmentTiles(&m_tiles, &m_draws, this);
    layout->addWidget(controls);
    layout->addWidget(m_grid, 1);

    connect(newSeed, &QPushButton::clicked, this, [this] {
        // 1..kMaxSeed: the Train page's seed box must hold it (Apply copies it there).
        setSeed(std::uint64_t(QRandomGenerator::global()->bounded(1, kMaxSeed)));
    });
    connect(reset, &QPushButton::clicked, this, [this] { setParams(nn::AugmentParams::standard()); });
    connect(apply, &QPushButton::clicked, this, [this] { emit applyAugmentation(params()); });
    connect(m_sourceCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateCaption();
        scheduleRegenerate();
    });

    // A plain centred stroke until a real sample or drawing arrives.
    m_sample.assign(std::size_t(m_w) * m_h, 0.0f);
    for (int y = 6; y < 22; ++y)
        for (int x = 13; x < 16; ++x)
            m_sample[std::size_t(y) * m_w + x] = 1.0f;
    m_sampleCaption = tr("(a placeholder stroke: pick a sample in the browser)");
    setParams(nn::AugmentParams::standard());
    setSeed(1);
    updateCaption();
    regenerate();
}

void AugmentPreview::addSlider(Key key, const nn::AugmentField& f)
{
    Slider& s = m_sliders[key];
    s.field = &f;
    s.min = f.min;
    s.step = f.step;
    s.decimals = f.decimals;
    s.suffix = QString::fromUtf8(f.unit);
    const QString label = engineText(f.label);
    const float min = f.min, max = f.max, step = f.step;
    auto* row = new QWidget(this);
    auto* hl = new QHBoxLayout(row);
    hl->setContentsMargins(0, 0, 0, 0);
    s.slider = new QSlider(Qt::Horizontal, row);
    s.slider->setObjectName(QStringLiteral("augment.") + QString::number(int(key)));
    s.slider->setToolTip(engineText(f.paper));
    s.slider->setAccessibleName(label);
    s.slider->setRange(0, int(std::lround((max - min) / step)));
    s.value = new QLabel(row);
    s.value->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("-0.000 px")));
    s.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    hl->addWidget(s.slider, 1);
    hl->addWidget(s.value);
    m_form->addRow(label, row);
    s.value->setText(QString::number(s.get(), 'f', s.decimals) + s.suffix);
    connect(s.slider, &QSlider::valueChanged, this, [this, key] { onSlider(key); });
}

void AugmentPreview::onSlider(Key key)
{
    Slider& s = m_sliders[key];
    s.value->setText(QString::number(s.get(), 'f', s.decimals) + s.suffix);
    if (m_syncing)
        return;
    // Keep every range ordered: moving one end past the other pushes it along.
    auto order = [&](Key lo, Key hi) {
        if (m_sliders[lo].get() > m_sliders[hi].get() + 1e-6f) {
            m_syncing = true;
            if (key == lo)
                m_sliders[hi].set(m_sliders[lo].get());
            else
                m_sliders[lo].set(m_sliders[hi].get());
            m_syncing = false;
        }
    };
    for (int k = 0; k + 1 < Count; ++k)
        if (m_sliders[k].field->kind == nn::AugmentField::Range && m_sliders[k].field->part == 0)
            order(Key(k), Key(k + 1));
    scheduleRegenerate();
}

void AugmentPreview::setParams(const nn::AugmentParams& p)
{
    m_syncing = true;
    for (Slider& s : m_sliders)
        s.set(p.*s.field->member);
    m_syncing = false;
    scheduleRegenerate();
}

nn::AugmentParams AugmentPreview::params() const
{
    // Slider positions are integers; values are rounded to the slider's step
    // and then to float, so that toString()/parse() round-trips what is shown.
    auto v = [this](Key k) {
        const Slider& s = m_sliders[k];
        const double scale = std::pow(10.0, s.decimals);
        return float(std::round(double(s.get()) * scale) / scale);
    };
    nn::AugmentParams p;
    p.enabled = true;
    for (int k = 0; k < Count; ++k)
        p.*m_sliders[k].field->member = v(Key(k));
    return p;
}

void AugmentPreview::setSeed(std::uint64_t seed)
{
    m_seed = seed;
    m_seedLabel->setText(tr("Seed %1").arg(seed));
    emit seedChanged(quint64(seed));
    scheduleRegenerate();
}

int AugmentPreview::sampleIndex() const
{
    return m_sourceCombo->currentIndex() == 0 && m_trainIndex >= 0 ? m_trainIndex : 0;
}

const std::vector<float>& AugmentPreview::source() const
{
    return m_sourceCombo->currentIndex() == 1 && !m_drawing.empty() ? m_drawing : m_sample;
}

void AugmentPreview::setSample(const QImage& image, const QString& caption, int trainIndex)
{
    const std::vector<float> v = grayImageToFloat(image);  // as Dataset::imageAsFloat
    setSample(v.data(), image.width(), image.height(), caption, trainIndex);
}

void AugmentPreview::setSample(const float* pixels, int w, int h, const QString& caption, int trainIndex)
{
    m_w = w;
    m_h = h;
    m_sample.assign(pixels, pixels + std::size_t(w) * h);
    m_sampleCaption = caption;
    m_trainIndex = trainIndex;
    if (m_drawing.size() != m_sample.size())
        m_drawing.clear();
    if (m_sourceCombo->currentIndex() != 0)
        m_sourceCombo->setCurrentIndex(0);  // schedules
    updateCaption();
    scheduleRegenerate();
}

void AugmentPreview::setDrawing(const float* pixels28x28)
{
    m_drawing.assign(pixels28x28, pixels28x28 + 28 * 28);
    if (m_w != 28 || m_h != 28) {
        m_w = m_h = 28;
        m_sample.assign(std::size_t(28 * 28), 0.0f);
    }
    if (m_sourceCombo->currentIndex() == 1) {
        updateCaption();
        scheduleRegenerate();
    }
}

void AugmentPreview::updateCaption()
{
    const bool drawing = m_sourceCombo->currentIndex() == 1;
    QString text;
    if (drawing)
        text = m_drawing.empty() ? tr("Nothing drawn yet.") : tr("The current drawing (as the network sees it).");
    else
        text = m_sampleCaption;
    if (!drawing && m_trainIndex >= 0)
        text += tr("\nTile k: what the trainer feeds for this sample (training index %1) in epoch k with this seed.")
                    .arg(m_trainIndex);
    else
        text += tr("\nTile k: augmentation k of this image with this seed (it is not a training sample, so the "
                   "trainer never feeds it).");
    m_caption->setText(text);
}

void AugmentPreview::scheduleRegenerate()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QTimer::singleShot(0, this, [this] {
        if (m_scheduled)
            regenerate();
    });
}

void AugmentPreview::regenerate()
{
    m_scheduled = false;
    const nn::AugmentParams p = params();
    const std::vector<float>& src = source();
    m_tiles.assign(kTiles, std::vector<float>(src.size()));
    m_draws.assign(kTiles, {});
    for (int k = 0; k < kTiles; ++k) {
        const std::uint64_t s = tileSeed(k);
        m_augmenter.apply(src.data(), m_tiles[std::size_t(k)].data(), m_w, m_h, p, s);
        m_draws[std::size_t(k)] = nn::Augmenter::draw(p, s);
    }
    m_grid->w = m_w;
    m_grid->h = m_h;
    m_grid->refreshDescription();
    m_grid->update();
    m_sourceImage->setPixmap(QPixmap::fromImage(floatToImage(src.data(), m_w, m_h)
                                                    .scaled(m_sourceImage->size(), Qt::KeepAspectRatio,
                                                            Qt::FastTransformation)));
    updateCaption();
}

}  // namespace app
