#include "adversarial_lab.h"

#include "common/colour_map.h"
#include "probability_view.h"
#include "wheel_guard.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace app {

namespace {

constexpr int kSide = 28, kPixels = kSide * kSide;
constexpr int kSliderSteps = 1000;

std::array<float, 10> toArray(const std::vector<float>& p)
{
    std::array<float, 10> a{};
    std::copy_n(p.begin(), std::min<std::size_t>(p.size(), 10), a.begin());
    return a;
}

float defaultEps(nn::AttackNorm norm) { return norm == nn::AttackNorm::Linf ? 0.1f : 1.5f; }

}  // namespace

// --- DigitTile ---------------------------------------------------------------

DigitTile::DigitTile(const QString& title, QWidget* parent) : QWidget(parent), m_title(title)
{
    // As tall as its width needs, not more: the probabilities below take the rest.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setAccessibleName(title);
}

void DigitTile::setGrey(const std::vector<float>& pixels)
{
    m_values = pixels;
    m_signed = false;
    m_legend.clear();
    m_picture = QImage(kSide, kSide, QImage::Format_RGB32);
    for (int i = 0; i < kPixels && i < int(pixels.size()); ++i) {
        const int v = int(std::lround(std::clamp(pixels[std::size_t(i)], 0.0f, 1.0f) * 255.0f));
        m_picture.setPixel(i % kSide, i / kSide, qRgb(v, v, v));
    }
    update();
}

void DigitTile::setSigned(const std::vector<float>& delta, const Amplification& a)
{
    m_values = delta;
    m_signed = true;
    m_factor = a.factor;
    m_legend = amplificationText(a);
    m_picture = QImage(kSide, kSide, QImage::Format_RGB32);
    for (int i = 0; i < kPixels && i < int(delta.size()); ++i)
        m_picture.setPixel(i % kSide, i / kSide, blueOrange(delta[std::size_t(i)] * a.factor));
    setToolTip(tr("The perturbation δ = perturbed − input, multiplied by %1: orange adds ink, blue removes it")
                   .arg(QLocale().toString(double(a.factor), 'g', 6)));
    update();
}

void DigitTile::clear()
{
    m_values.clear();
    m_legend.clear();
    m_picture = QImage();
    update();
}

void DigitTile::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int lineH = fm.height();
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), lineH), Qt::AlignHCenter | Qt::AlignVCenter, m_title);
    const int legendH = m_signed && !m_values.empty() ? 2 * lineH + 8 : 0;
    const int side = std::max(28, std::min(width(), height() - lineH - 4 - legendH));
    const QRect square((width() - side) / 2, lineH + 4, side, side);
    if (m_picture.isNull()) {
        p.fillRect(square, palette().color(QPalette::Base));
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(square, Qt::AlignCenter | Qt::TextWordWrap, tr("Draw a digit on the pad"));
    } else {
        p.drawImage(square, m_picture);  // nearest neighbour: count the pixels
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(square.adjusted(0, 0, -1, -1));
    if (legendH > 0) {
        // The ramp in perturbation units: full colour is |δ| = 1 / factor.
        const QRect ramp(square.left(), square.bottom() + 4, square.width(), lineH + 4);
        paintColourLegend(p, ramp, ColourScale::symmetric(1.0f / m_factor));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, ramp.bottom() + 2, width(), lineH), Qt::AlignHCenter | Qt::AlignVCenter, m_legend);
    }
}

// --- AdversarialLab ----------------------------------------------------------

AdversarialLab::AdversarialLab(QWidget* parent)
    : QWidget(parent),
      m_method(new QComboBox(this)),
      m_norm(new QComboBox(this)),
      m_target(new QComboBox(this)),
      m_epsSlider(new QSlider(Qt::Horizontal, this)),
      m_epsSpin(new QDoubleSpinBox(this)),
      m_steps(new QSpinBox(this)),
      m_find(new QPushButton(tr("Find smallest ε"), this)),
      m_send(new QPushButton(tr("Send to the pad"), this)),
      m_searchText(new QLabel(this)),
      m_status(new QLabel(this)),
      m_inputTile(new DigitTile(tr("Network input"), this)),
      m_deltaTile(new DigitTile(tr("Perturbation"), this)),
      m_advTile(new DigitTile(tr("Perturbed"), this)),
      m_originalView(new ProbabilityView(this)),
      m_perturbedView(new ProbabilityView(this))
{
    m_method->setObjectName(QStringLiteral("attackMethod"));
    m_method->addItem(tr("FGSM"), int(AttackMethod::Fgsm));
    m_method->addItem(tr("PGD"), int(AttackMethod::Pgd));
    m_method->setToolTip(tr("FGSM (Goodfellow et al. 2015): one step of size ε along the input gradient. PGD (Madry "
                            "et al. 2018): several smaller steps, each projected back into the ε-ball"));
    m_norm->setObjectName(QStringLiteral("attackNorm"));
    m_norm->addItem(tr("L∞ (every pixel by at most ε)"), int(nn::AttackNorm::Linf));
    m_norm->addItem(tr("L2 (total change at most ε)"), int(nn::AttackNorm::L2));
    m_norm->setToolTip(tr("How the size of the change is measured: L∞ bounds each pixel's change, L2 the length "
                          "of the whole change (pixels are 0 to 1)"));
    m_target->setObjectName(QStringLiteral("attackTarget"));
    m_target->addItem(tr("Away from the current answer"), -1);
    for (int d = 0; d < 10; ++d)
        m_target->addItem(tr("Toward %1").arg(d), d);
    m_target->setToolTip(tr("Untargeted: any other answer will do; targeted: the answer must become that digit"));
    m_epsSlider->setObjectName(QStringLiteral("epsSlider"));
    m_epsSlider->setRange(0, kSliderSteps);
    m_epsSlider->setAccessibleName(tr("Epsilon"));
    m_epsSpin->setObjectName(QStringLiteral("epsSpin"));
    m_epsSpin->setDecimals(4);
    m_epsSpin->setKeyboardTracking(false);
    m_epsSpin->setAccessibleName(tr("Epsilon"));
    m_epsSpin->setToolTip(tr("The attack's budget ε, in pixel units (a pixel goes from 0, black, to 1, white ink)"));
    m_steps->setObjectName(QStringLiteral("pgdSteps"));
    m_steps->setRange(2, 200);
    m_steps->setKeyboardTracking(false);
    m_steps->setToolTip(tr("PGD's steps, each of 2.5 ε / steps"));
    m_steps->setAccessibleName(tr("PGD steps"));
    m_find->setObjectName(QStringLiteral("findSmallestButton"));
    m_find->setToolTip(tr("Search for the smallest ε at which this attack changes the answer (a scan, then "
                          "bisection to 1%)"));
    m_send->setObjectName(QStringLiteral("sendToPadButton"));
    m_send->setToolTip(tr("Put the perturbed image on the pad exactly as it is, to see the pad's answer and keep "
                          "drawing on it"));
    m_searchText->setObjectName(QStringLiteral("searchResult"));
    m_searchText->setWordWrap(true);
    m_searchText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    auto* controls = new QGridLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(new QLabel(tr("Attack"), this), 0, 0);
    auto* attackRow = new QHBoxLayout;
    attackRow->addWidget(m_method);
    attackRow->addWidget(m_norm, 1);
    controls->addLayout(attackRow, 0, 1);
    controls->addWidget(new QLabel(tr("Target"), this), 1, 0);
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(new QLabel(tr("PGD steps"), this));
    targetRow->addWidget(m_steps);
    controls->addLayout(targetRow, 1, 1);
    controls->addWidget(new QLabel(tr("ε"), this), 2, 0);
    auto* epsRow = new QHBoxLayout;
    epsRow->addWidget(m_epsSlider, 1);
    epsRow->addWidget(m_epsSpin);
    controls->addLayout(epsRow, 2, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_find);
    buttons->addWidget(m_send);
    buttons->addStretch(1);
    controls->addLayout(buttons, 3, 1);
    controls->setColumnStretch(1, 1);

    auto* tiles = new QHBoxLayout;
    tiles->addWidget(m_inputTile, 1);
    tiles->addWidget(m_deltaTile, 1);
    tiles->addWidget(m_advTile, 1);

    const auto titled = [this](ProbabilityView* view, const QString& title) {
        auto* box = new QVBoxLayout;
        auto* label = new QLabel(title, this);
        label->setAlignment(Qt::AlignHCenter);
        box->addWidget(label);
        box->addWidget(view, 1);
        view->setAccessibleName(title);
        return box;
    };
    auto* probs = new QHBoxLayout;
    probs->addLayout(titled(m_originalView, tr("Probabilities for the input")), 1);
    probs->addLayout(titled(m_perturbedView, tr("Probabilities for the perturbed input")), 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_searchText);
    layout->addLayout(tiles, 0);
    layout->addWidget(m_status);
    layout->addLayout(probs, 1);

    for (QComboBox* c : {m_method, m_norm, m_target})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, [this, c] {
            if (c == m_norm) {  // a radius of the other norm means something else
                m_settings.norm = nn::AttackNorm(m_norm->currentData().toInt());
                m_settings.eps = defaultEps(m_settings.norm);
                syncControls();
            }
            readControls();
        });
    connect(m_steps, &QSpinBox::valueChanged, this, [this] { readControls(); });
    connect(m_epsSpin, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(m_epsSlider);
        m_epsSlider->setValue(int(std::lround(v / m_settings.maxEps() * kSliderSteps)));
        readControls();
    });
    connect(m_epsSlider, &QSlider::valueChanged, this, [this](int v) {
        m_epsSpin->setValue(double(v) / kSliderSteps * m_settings.maxEps());
    });
    connect(m_find, &QPushButton::clicked, this, &AdversarialLab::findSmallestEpsilon);
    connect(m_send, &QPushButton::clicked, this, &AdversarialLab::sendToPad);
    syncControls();
    clearInput();
    takeWheelOnlyWhenFocused(this);
}

AdversarialLab::~AdversarialLab() = default;

void AdversarialLab::syncControls()
{
    const QSignalBlocker b1(m_method), b2(m_norm), b3(m_target), b4(m_epsSpin), b5(m_epsSlider), b6(m_steps);
    m_method->setCurrentIndex(m_method->findData(int(m_settings.method)));
    m_norm->setCurrentIndex(m_norm->findData(int(m_settings.norm)));
    m_target->setCurrentIndex(m_target->findData(m_settings.target));
    const float maxEps = m_settings.maxEps();
    m_epsSpin->setRange(0.0, double(maxEps));
    m_epsSpin->setSingleStep(m_settings.norm == nn::AttackNorm::Linf ? 0.005 : 0.05);
    m_epsSpin->setValue(double(m_settings.eps));
    m_epsSlider->setValue(int(std::lround(m_settings.eps / maxEps * kSliderSteps)));
    m_steps->setValue(m_settings.pgdSteps);
    m_steps->setEnabled(m_settings.method == AttackMethod::Pgd);
}

void AdversarialLab::readControls()
{
    LabSettings s;
    s.method = AttackMethod(m_method->currentData().toInt());
    s.norm = nn::AttackNorm(m_norm->currentData().toInt());
    s.target = m_target->currentData().toInt();
    s.eps = float(m_epsSpin->value());
    s.pgdSteps = m_steps->value();
    m_settings = s;
    m_steps->setEnabled(s.method == AttackMethod::Pgd);
    staleSearch();
    runAttack();
}

void AdversarialLab::setSettings(const LabSettings& s)
{
    m_settings = s;
    syncControls();
    m_settings.eps = float(m_epsSpin->value());  // as the box holds it
    staleSearch();
    runAttack();
}

void AdversarialLab::setModel(std::shared_ptr<const nn::Model> model)
{
    if (model == m_model)
        return;
    m_model = std::move(model);
    staleSearch();
    runAttack();
}

void AdversarialLab::setInput(const float* pixels)
{
    if (!m_input.empty() && std::equal(pixels, pixels + kPixels, m_input.begin()))
        return;
    m_input.assign(pixels, pixels + kPixels);
    ++m_inputGeneration;
    staleSearch();
    runAttack();
}

void AdversarialLab::clearInput()
{
    m_input.clear();
    ++m_inputGeneration;
    staleSearch();
    runAttack();
}

void AdversarialLab::staleSearch()
{
    m_search = {};
    m_searchText->setText(tr("“Find smallest ε” searches for the smallest change of this drawing that changes the "
                             "answer."));
    const bool ready = m_model && !m_input.empty();
    m_find->setEnabled(ready && !m_searchTask.isRunning());
}

void AdversarialLab::runAttack()
{
    if (!m_model || m_input.empty()) {
        m_result = {};
        m_inputTile->clear();
        m_deltaTile->clear();
        m_advTile->clear();
        m_originalView->setEmpty();
        m_perturbedView->setEmpty();
        if (!m_model)
            m_originalView->setNoModel();
        m_status->setText(m_model ? tr("Draw a digit on the pad (Alt+1): the lab attacks the drawing as you draw")
                                  : tr("No model"));
        m_send->setEnabled(false);
        m_find->setEnabled(false);
        m_attack.start([] { return Outcome{}; }, [](Outcome) {});  // drops an attack of the old input
        return;
    }
    m_inputTile->setGrey(m_input);
    m_attack.start(
        [model = m_model, input = m_input, s = m_settings] {
            Outcome o;
            o.attack = nn::attack(*model, input.data(), s.eps, s.options());
            o.original.resize(std::size_t(model->outputs()));
            model->predict(input.data(), 1, o.original.data());
            return o;
        },
        [this](Outcome o) { showOutcome(o); });
}

void AdversarialLab::showOutcome(const Outcome& o)
{
    m_result = o.attack;
    const nn::AttackResult& r = m_result;
    m_deltaTile->setSigned(r.perturbation, amplification(r.perturbation));
    m_advTile->setGrey(r.adversarial);
    m_originalView->setProbabilities(toArray(o.original));
    m_perturbedView->setProbabilities(toArray(r.probabilities));
    const QString norms = tr("‖δ‖∞ = %1, ‖δ‖₂ = %2")
                              .arg(QLocale().toString(r.linf, 'g', 3), QLocale().toString(r.l2, 'g', 3));
    const QString what = m_settings.method == AttackMethod::Fgsm
                             ? tr("FGSM %1").arg(normName(m_settings.norm))
                             : tr("PGD %1 (%2 steps)").arg(normName(m_settings.norm)).arg(m_settings.pgdSteps);
    const QString eps = QLocale().toString(double(r.eps), 'g', 4);
    QString text;
    if (m_settings.target >= 0 && r.success)
        text = tr("%1 at ε = %2 turns %3 into %4, the target.").arg(what, eps).arg(r.original).arg(r.answer);
    else if (m_settings.target >= 0)
        text = tr("%1 at ε = %2 does not reach %3: %4 becomes %5.")
                   .arg(what, eps)
                   .arg(m_settings.target)
                   .arg(r.original)
                   .arg(r.answer);
    else if (r.success)
        text = tr("%1 at ε = %2 turns %3 into %4.").arg(what, eps).arg(r.original).arg(r.answer);
    else
        text = tr("%1 at ε = %2: the answer stays %3.").arg(what, eps).arg(r.original);
    m_status->setText(text + QLatin1Char(' ') + norms);
    m_send->setEnabled(!r.adversarial.empty());
    emit attackShown();
}

void AdversarialLab::findSmallestEpsilon()
{
    if (!m_model || m_input.empty() || m_searchTask.isRunning())
        return;
    m_find->setEnabled(false);
    m_find->setText(tr("Searching…"));
    m_searchText->setText(tr("Searching for the smallest ε (up to %1)…").arg(double(m_settings.maxEps())));
    const unsigned generation = m_inputGeneration;
    const LabSettings s = m_settings;
    const auto model = m_model;
    m_searchTask.start(
        [model, input = m_input, s] {
            return nn::smallestEpsilon(*model, input.data(), s.options(), s.maxEps(), 0.01f);
        },
        [this, generation, s, model](nn::SmallestEpsilon found) {
            m_find->setText(tr("Find smallest ε"));
            if (generation != m_inputGeneration || model != m_model || s.norm != m_settings.norm ||
                s.method != m_settings.method || s.target != m_settings.target || s.pgdSteps != m_settings.pgdSteps) {
                staleSearch();  // the drawing or the attack changed meanwhile: the result would mislead
                return;
            }
            // Show the attack at the ε found (the exact value, not the box's rounding).
            {
                const QSignalBlocker b1(m_epsSpin), b2(m_epsSlider);
                m_epsSpin->setValue(double(found.eps));
                m_epsSlider->setValue(int(std::lround(found.eps / s.maxEps() * kSliderSteps)));
            }
            m_settings.eps = found.eps;
            m_search = std::move(found);
            m_searchText->setText(smallestEpsilonText(m_search, m_settings));
            m_find->setEnabled(true);
            Outcome o;
            o.attack = m_search.result;
            o.original.resize(std::size_t(m_model->outputs()));
            m_model->predict(m_input.data(), 1, o.original.data());
            m_attack.start([] { return Outcome{}; }, [](Outcome) {});  // an attack at the old ε must not replace it
            showOutcome(o);
            emit searchFinished();
        });
}

void AdversarialLab::sendToPad()
{
    if (m_result.adversarial.size() != std::size_t(kPixels))
        return;
    emit sendToCanvas(std::make_shared<const nn::PreprocessResult>(nn::asIs(m_result.adversarial.data())));
}

}  // namespace app
