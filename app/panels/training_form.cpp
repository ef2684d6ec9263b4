#include "training_form.h"

#include "augment_form.h"
#include "common/language.h"
#include "wheel_guard.h"

#include <nn/model.h>
#include <nn/parallel.h>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace app {

namespace {

// One row of the Training group. Exactly one of `real` and `whole` is set.
// Its texts are marked for lupdate here and translated where they are shown.
struct NumberField {
    const char* object;
    const char* label;
    double TrainingSettings::*real;
    int TrainingSettings::*whole;
    double min, max, step;
    int decimals;
    bool adaptiveStep;
    const char* suffix;
    const char* special;  // text shown at the minimum, or nullptr
    const char* tip;
};

const NumberField kNumbers[] = {
    {"learningRateSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Learning rate"), &TrainingSettings::learningRate, nullptr, 1e-5, 1.0, 1e-4, 5, true, "",
     nullptr, QT_TRANSLATE_NOOP("app::TrainingForm", "Step size. Too high: the loss jumps or the run diverges; too low: slow progress")},
    {"batchSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Batch size"), nullptr, &TrainingSettings::batchSize, 1, 4096, 1, 0, false, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Images per optimizer step, split across the threads")},
    {"epochsSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Epochs"), nullptr, &TrainingSettings::epochs, 1, 500, 1, 0, false, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Passes over the training set")},
    {"weightDecaySpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Weight decay"), &TrainingSettings::weightDecay, nullptr, 0.0, 0.1, 1e-4, 5, true, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Pulls weights towards zero (L2 for Adam/SGD/RMSprop, decoupled for AdamW); biases and "
       "batch-norm parameters are exempt")},
    {"l1Spin", QT_TRANSLATE_NOOP("app::TrainingForm", "L1"), &TrainingSettings::l1, nullptr, 0.0, 0.01, 1e-5, 6, true, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "L1 regularisation: adds L1 x sign(w) to each weight's gradient, driving small weights to "
       "exactly zero (sparse weights); biases and batch-norm parameters are exempt")},
    {"dropoutSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Dropout"), &TrainingSettings::dropout, nullptr, -0.05, 0.9, 0.05, 2, false, "", QT_TRANSLATE_NOOP("app::TrainingForm", "as in spec"),
     QT_TRANSLATE_NOOP("app::TrainingForm", "'as in spec' keeps the rates written in the architecture. A value sets the rate of every dropout layer; a "
       "new model whose spec has no dropout layer gets one inserted before its last dense layer. Fine-tuning only "
       "changes existing dropout layers (dropout has no weights, so the model's parameters are unaffected).")},
    {"adversarialEpsSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Adversarial ε"), &TrainingSettings::adversarialEps, nullptr, 0.0, nn::kMaxAdversarialEps, 0.01, 3, false, "", QT_TRANSLATE_NOOP("app::TrainingForm", "off"),
     QT_TRANSLATE_NOOP("app::TrainingForm", "Adversarial training (Madry et al. 2018): part of every batch is replaced by attacked "
       "versions of its digits, each pixel changed by at most ε (pixels are 0 to 1), against the weights of that "
       "moment. The Robustness page shows the effect. Costs one extra forward and backward pass per attack step")},
    {"adversarialStepsSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Attack steps"), nullptr, &TrainingSettings::adversarialSteps, 1, nn::kMaxAdversarialSteps, 1, 0, false, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Adversarial training: 1 attacks with FGSM (fast), more with PGD of that many steps (stronger, slower)")},
    {"adversarialFractionSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Attacked share"), &TrainingSettings::adversarialFraction, nullptr, nn::kMinAdversarialFraction, 1.0, 0.05, 2, false, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Adversarial training: the share of each batch's digits replaced by their attacked versions")},
    {"validationSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Validation"), nullptr, &TrainingSettings::validationPercent, 0, 50, 1, 0, false, " %", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Share of the MNIST training images (of my digits when MNIST is not used) held out, "
       "chosen by the seed, to validate each epoch; 0 turns validation off")},
    {"patienceSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Early stop"), nullptr, &TrainingSettings::patience, 0, 100, 1, 0, false, QT_TRANSLATE_NOOP("app::TrainingForm", " epochs"), QT_TRANSLATE_NOOP("app::TrainingForm", "off"),
     QT_TRANSLATE_NOOP("app::TrainingForm", "Stop when the validation loss has not improved for this many epochs, and go back to the best weights")},
    {"seedSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Seed"), nullptr, &TrainingSettings::seed, 1, kMaxSeed, 1, 0, false, "", nullptr,
     QT_TRANSLATE_NOOP("app::TrainingForm", "Drives initialisation, shuffling, augmentation and dropout: the same seed and thread count give the same "
       "model")},
    {"threadsSpin", QT_TRANSLATE_NOOP("app::TrainingForm", "Threads"), nullptr, &TrainingSettings::threads, 0, 0 /* 4 x hardware */, 1, 0, false, "", QT_TRANSLATE_NOOP("app::TrainingForm", "all"),
     QT_TRANSLATE_NOOP("app::TrainingForm", "Threads that share each batch. The drawing pad stays responsive either way")},
};

QComboBox* combo(QWidget* parent, const char* object, std::initializer_list<std::pair<QString, QString>> items)
{
    auto* c = new QComboBox(parent);
    c->setObjectName(QString::fromLatin1(object));
    for (const auto& [label, data] : items)
        c->addItem(label, data);
    return c;
}

void select(QComboBox* c, const QString& data)
{
    const int i = c->findData(data);
    if (i >= 0)
        c->setCurrentIndex(i);
}

}  // namespace

TrainingForm::TrainingForm(QWidget* parent) : QWidget(parent)
{
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 4, 0);
    const TrainingSettings defaults;

    // Model
    auto* model = new QGroupBox(tr("Model"), this);
    auto* mf = new QFormLayout(model);
    m_fromScratch = new QRadioButton(tr("New model"), model);
    m_fromScratch->setToolTip(tr("Train the architecture below from random weights"));
    m_fineTune = new QRadioButton(tr("Fine-tune current"), model);
    m_fineTune->setObjectName(QStringLiteral("fineTuneRadio"));
    m_fineTune->setToolTip(tr("Continue training the model the drawing pad uses now (its architecture is kept)"));
    auto* group = new QButtonGroup(model);
    group->addButton(m_fromScratch);
    group->addButton(m_fineTune);
    m_fromScratch->setChecked(true);
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(m_fromScratch);
    modeRow->addWidget(m_fineTune);
    mf->addRow(modeRow);
    m_preset = new QComboBox(model);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const nn::Model::Preset& p : nn::Model::presets())
        m_preset->addItem(engineText(p.label), QString::fromLatin1(p.name));
    m_preset->addItem(tr("Custom"), QString());
    m_preset->setToolTip(tr("A ready-made architecture; editing the spec below makes it Custom"));
    mf->addRow(tr("Preset"), m_preset);
    m_spec = new QLineEdit(model);
    m_spec->setObjectName(QStringLiteral("specEdit"));
    m_spec->setToolTip(tr("Layers separated by '|', e.g. conv 32 5 pad=2 | relu | maxpool 2 | dense 128 | relu | "
                          "dense 10.\nLayers: conv F K [stride=S] [pad=P|same], maxpool K, dense N, relu, sigmoid, "
                          "tanh, dropout P, batchnorm, flatten.\nChecked as you type; the last layer must give 10 "
                          "outputs."));
    mf->addRow(tr("Spec"), m_spec);
    m_specError = new QLabel(model);
    m_specError->setObjectName(QStringLiteral("specError"));
    m_specError->setWordWrap(true);
    m_specError->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_specError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_specError->hide();
    mf->addRow(m_specError);
    m_specInfo = new QLabel(model);
    m_specInfo->setObjectName(QStringLiteral("specInfo"));
    m_specInfo->setWordWrap(true);
    mf->addRow(m_specInfo);
    v->addWidget(model);

    // Training: the optimizer and schedule, then the numbers from the table.
    auto* hp = new QGroupBox(tr("Training"), this);
    auto* hf = new QFormLayout(hp);
    m_optimizer = combo(hp, "optimizerCombo",
                        {{QStringLiteral("Adam"), QStringLiteral("adam")},
                         {QStringLiteral("AdamW"), QStringLiteral("adamw")},
                         {QStringLiteral("RMSprop"), QStringLiteral("rmsprop")},
                         {tr("SGD + momentum"), QStringLiteral("sgd")}});
    m_optimizer->setToolTip(tr("Adam (Kingma & Ba 2015) is a safe default; AdamW decouples weight decay; "
                               "RMSprop (Hinton, lecture 6e) divides by a running mean square of the gradient "
                               "(decay 0.9, no momentum) and likes a learning rate near 0.001; "
                               "SGD uses momentum 0.9 and usually wants a learning rate near 0.05"));
    hf->addRow(tr("Optimizer"), m_optimizer);
    m_schedule = combo(hp, "scheduleCombo",
                       {{tr("Constant"), QStringLiteral("constant")},
                        {tr("Step (x0.5 every 5 epochs)"), QStringLiteral("step")},
                        {tr("Cosine"), QStringLiteral("cosine")},
                        {tr("Reduce on plateau"), QStringLiteral("plateau")}});
    m_schedule->setToolTip(tr("How the learning rate changes over the run"));
    const int hw = nn::ThreadPool::hardwareThreads();
    for (const NumberField& f : kNumbers) {
        QAbstractSpinBox* box = nullptr;
        if (f.real) {
            auto* s = new QDoubleSpinBox(hp);
            s->setRange(f.min, f.max);
            s->setSingleStep(f.step);
            s->setDecimals(f.decimals);
            s->setValue(defaults.*f.real);
            if (f.adaptiveStep)
                s->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            s->setSuffix(QString::fromUtf8(f.suffix));
            connect(s, &QDoubleSpinBox::valueChanged, this, [this, s] {
                if (s->objectName() == QLatin1String("dropoutSpin"))
                    emit specEdited();
                emit edited();
            });
            m_doubles.push_back(s);
            box = s;
        } else {
            auto* s = new QSpinBox(hp);
            const bool threads = f.whole == &TrainingSettings::threads;
            s->setRange(int(f.min), threads ? std::max(1, 4 * hw) : int(f.max));
            s->setValue(defaults.*f.whole);
            s->setSuffix(tr(f.suffix));
            connect(s, &QSpinBox::valueChanged, this, [this] {
                emit numbersEdited();
                emit edited();
            });
            if (f.whole == &TrainingSettings::seed)
                connect(s, &QSpinBox::valueChanged, this, [this](int seed) { emit seedChanged(quint64(seed)); });
            m_ints.push_back(s);
            box = s;
            if (threads)
                box->setSpecialValueText(tr("all (%1)").arg(hw));
        }
        box->setObjectName(QString::fromLatin1(f.object));
        box->setKeyboardTracking(false);
        if (f.special && !box->specialValueText().size())
            box->setSpecialValueText(tr(f.special));
        box->setToolTip(tr(f.tip));
        hf->addRow(tr(f.label), box);
        if (f.real == &TrainingSettings::learningRate)
            hf->addRow(tr("Schedule"), m_schedule);  // next to the learning rate
    }
    // The attack's steps and share mean nothing while adversarial training is off.
    if (auto* eps = findChild<QDoubleSpinBox*>(QStringLiteral("adversarialEpsSpin"))) {
        const auto enableAttack = [this](double e) {
            for (const char* name : {"adversarialStepsSpin", "adversarialFractionSpin"})
                if (auto* w = findChild<QWidget*>(QString::fromLatin1(name)))
                    w->setEnabled(e > 0);
        };
        connect(eps, &QDoubleSpinBox::valueChanged, this, enableAttack);
        enableAttack(eps->value());
    }
    v->addWidget(hp);

    // Augmentation
    m_augment = new QGroupBox(tr("Augmentation"), this);
    m_augment->setObjectName(QStringLiteral("augmentGroup"));
    m_augment->setCheckable(true);
    m_augment->setToolTip(tr("Random distortions of each training image, different every epoch; they make the "
                             "model read hand drawing much better. Preview them in the Augmentation panel."));
    auto* al = new QVBoxLayout(m_augment);
    m_augmentForm = new AugmentForm(m_augment);
    al->addWidget(m_augmentForm);
    v->addWidget(m_augment);

    // Data
    auto* data = new QGroupBox(tr("Data"), this);
    auto* df = new QVBoxLayout(data);
    m_useMnist = new QCheckBox(tr("MNIST training set"), data);
    m_useMnist->setObjectName(QStringLiteral("useMnistCheck"));
    m_useMnist->setChecked(true);
    df->addWidget(m_useMnist);
    m_mnistLabel = new QLabel(data);
    m_mnistLabel->setObjectName(QStringLiteral("mnistLabel"));
    m_mnistLabel->setWordWrap(true);
    m_mnistLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    df->addWidget(m_mnistLabel);
    m_includeUser = new QCheckBox(tr("My digits"), data);
    m_includeUser->setObjectName(QStringLiteral("includeUserCheck"));
    m_includeUser->setToolTip(tr("Add your own digits (those not held out) to the training set, repeated so that "
                                 "they make up at least 5% of it. The held-out ones are only measured, before and "
                                 "after, to show how well the model reads your handwriting."));
    df->addWidget(m_includeUser);
    m_follow = new QCheckBox(tr("Pad follows training (new weights every 3 s)"), data);
    m_follow->setObjectName(QStringLiteral("followCheck"));
    m_follow->setToolTip(tr("While training runs, the drawing pad switches to the newest weights every few "
                            "seconds, so you can watch predictions improve as you draw"));
    df->addWidget(m_follow);
    v->addWidget(data);
    v->addStretch(1);

    // Behaviour
    connect(m_preset, qOverload<int>(&QComboBox::activated), this, &TrainingForm::applyPreset);
    connect(m_spec, &QLineEdit::textChanged, this, [this] {
        if (!m_fineTune->isChecked())
            syncPreset();
        emit specEdited();
        emit edited();
    });
    connect(m_fromScratch, &QRadioButton::toggled, this, [this](bool scratch) {
        if (!scratch) {
            m_scratchSpec = m_spec->text();
        } else if (!m_scratchSpec.isEmpty()) {
            const QSignalBlocker block(m_spec);
            m_spec->setText(m_scratchSpec);
            syncPreset();
        }
        m_preset->setEnabled(scratch);
        m_spec->setReadOnly(!scratch);
        emit specEdited();
        emit edited();
    });
    for (QComboBox* c : {m_optimizer, m_schedule})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &TrainingForm::edited);
    const auto augmentChanged = [this] {
        emit augmentEdited();
        emit edited();
    };
    connect(m_augment, &QGroupBox::toggled, this, augmentChanged);
    connect(m_augmentForm, &AugmentForm::changed, this, augmentChanged);
    for (QCheckBox* c : {m_useMnist, m_includeUser})
        connect(c, &QCheckBox::toggled, this, [this] {
            emit dataEdited();
            emit edited();
        });
    connect(m_follow, &QCheckBox::toggled, this, &TrainingForm::followToggled);
    syncPreset();
    takeWheelOnlyWhenFocused(this);  // scrolling the column changes nothing
}

TrainingSettings TrainingForm::settings() const
{
    TrainingSettings t;
    t.spec = m_fineTune->isChecked() ? m_scratchSpec : m_spec->text();
    t.fineTune = m_fineTune->isChecked();
    t.optimizer = m_optimizer->currentData().toString();
    t.schedule = m_schedule->currentData().toString();
    std::size_t d = 0, i = 0;
    for (const NumberField& f : kNumbers) {
        if (f.real)
            t.*f.real = m_doubles[d++]->value();
        else
            t.*f.whole = m_ints[i++]->value();
    }
    t.augment = augmentParams();
    t.useMnist = m_useMnist->isChecked();
    t.includeUserDigits = m_includeUser->isChecked();
    t.follow = m_follow->isChecked();
    return t;
}

void TrainingForm::setSeed(quint64 seed)
{
    if (auto* box = findChild<QSpinBox*>(QStringLiteral("seedSpin")))
        box->setValue(int(std::clamp<quint64>(seed, 1, quint64(kMaxSeed))));
}

void TrainingForm::setSettings(const TrainingSettings& t)
{
    const QSignalBlocker block(this);
    m_spec->setText(t.spec);
    m_scratchSpec = t.spec;
    (t.fineTune ? m_fineTune : m_fromScratch)->setChecked(true);
    m_preset->setEnabled(!t.fineTune);
    m_spec->setReadOnly(t.fineTune);
    select(m_optimizer, t.optimizer);
    select(m_schedule, t.schedule);
    std::size_t d = 0, i = 0;
    for (const NumberField& f : kNumbers) {
        if (f.real)
            m_doubles[d++]->setValue(t.*f.real);
        else
            m_ints[i++]->setValue(t.*f.whole);
    }
    setAugmentParams(t.augment);
    m_useMnist->setChecked(t.useMnist);
    m_includeUser->setChecked(t.includeUserDigits);
    m_follow->setChecked(t.follow);
    syncPreset();
}

nn::AugmentParams TrainingForm::augmentParams() const
{
    nn::AugmentParams a = m_augmentForm->params();
    a.enabled = m_augment->isChecked();
    return a;
}

void TrainingForm::setAugmentParams(const nn::AugmentParams& p)
{
    const QSignalBlocker block(m_augment);
    m_augment->setChecked(p.enabled);
    m_augmentForm->setParams(p);
}

bool TrainingForm::fineTune() const { return m_fineTune->isChecked(); }
QString TrainingForm::specText() const { return m_spec->text(); }
float TrainingForm::dropout() const
{
    const double d = settings().dropout;
    return d < 0 ? -1.0f : float(d);
}
bool TrainingForm::useMnist() const { return m_useMnist->isChecked(); }
bool TrainingForm::includeUserDigits() const { return m_includeUser->isChecked(); }
bool TrainingForm::follow() const { return m_follow->isChecked(); }
void TrainingForm::setFollow(bool on) { m_follow->setChecked(on); }

void TrainingForm::showSpec(const QString& error, bool fineTune)
{
    m_specError->setText(error);
    m_specError->setVisible(!error.isEmpty());
    m_spec->setStyleSheet(error.isEmpty() || fineTune ? QString()
                                                      : QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
}

void TrainingForm::setSpecInfo(const QString& text) { m_specInfo->setText(text); }

void TrainingForm::showModelSpec(const QString& spec)
{
    const QSignalBlocker block(m_spec);
    m_spec->setText(spec);
}

void TrainingForm::setFineTuneAvailable(bool available) { m_fineTune->setEnabled(available); }

void TrainingForm::setPresetEnabled(bool enabled) { m_preset->setEnabled(enabled && !m_fineTune->isChecked()); }

void TrainingForm::setMnistText(const QString& text, bool found)
{
    m_mnistLabel->setText(text);
    m_mnistLabel->setStyleSheet(found ? QString() : QStringLiteral("color: #c0392b;"));
}

void TrainingForm::setUserDigitsText(const QString& text, bool available)
{
    m_includeUser->setText(text);
    m_includeUser->setEnabled(available);
}

void TrainingForm::applyPreset(int index)
{
    const QString name = m_preset->itemData(index).toString();
    if (name.isEmpty())
        return;  // "Custom": keep the text
    m_spec->setText(QString::fromStdString(nn::Model::presetSpec(name.toStdString())));
    m_spec->setCursorPosition(0);  // show the start of a long architecture, not its last layers
}

void TrainingForm::syncPreset()
{
    // The preset combo follows the text: a preset's name, or "Custom" after them.
    const auto& presets = nn::Model::presets();
    int match = int(presets.size());
    for (int i = 0; i < int(presets.size()); ++i)
        if (QLatin1String(presets[std::size_t(i)].spec) == m_spec->text().trimmed())
            match = i;
    const QSignalBlocker block(m_preset);
    m_preset->setCurrentIndex(match);
}

}  // namespace app
