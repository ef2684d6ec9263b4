#include "augment_form.h"

#include "common/language.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace app {

AugmentForm::AugmentForm(QWidget* parent) : QWidget(parent)
{
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    const auto& fields = nn::augmentFields();
    const nn::AugmentParams standard = nn::AugmentParams::standard();
    QHBoxLayout* pair = nullptr;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const nn::AugmentField& f = fields[i];
        auto* s = new QDoubleSpinBox(this);
        s->setObjectName(QStringLiteral("augment.%1").arg(i));
        s->setRange(f.min, f.max);
        s->setSingleStep(f.step);
        s->setDecimals(f.decimals);
        s->setSuffix(QString::fromUtf8(f.unit));
        s->setKeyboardTracking(false);
        s->setValue(standard.*f.member);
        s->setToolTip(QStringLiteral("%1 (%2)").arg(engineText(f.label), engineText(f.paper)));
        s->setAccessibleName(engineText(f.label));  // a pair's second box has no label of its own
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!m_setting)
                emit changed();
        });
        m_spins.push_back(s);
        const bool paired = f.kind != nn::AugmentField::Single;
        if (!paired) {
            form->addRow(engineText(f.row), s);
        } else if (f.part == 0) {
            pair = new QHBoxLayout;
            pair->addWidget(s);
            form->addRow(engineText(f.row), pair);
        } else {
            pair->addWidget(new QLabel(f.kind == nn::AugmentField::Range ? QStringLiteral("–") : tr("σ"), this));
            pair->addWidget(s);
        }
    }
}

nn::AugmentParams AugmentForm::params() const
{
    nn::AugmentParams p;
    const auto& fields = nn::augmentFields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        p.*fields[i].member = float(m_spins[i]->value());
    return p;
}

void AugmentForm::setParams(const nn::AugmentParams& p)
{
    m_setting = true;
    const auto& fields = nn::augmentFields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        m_spins[i]->setValue(p.*fields[i].member);
    m_setting = false;
}

}  // namespace app
