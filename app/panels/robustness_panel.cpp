#include "robustness_panel.h"

#include "adversarial_lab.h"
#include "robustness_curves.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace app {

RobustnessPanel::RobustnessPanel(QWidget* parent)
    : QWidget(parent), m_lab(new AdversarialLab), m_curves(new RobustnessCurves)
{
    auto* labBox = new QGroupBox(tr("Adversarial examples of your drawing"), this);
    auto* labLayout = new QVBoxLayout(labBox);
    labLayout->addWidget(m_lab);
    auto* curveBox = new QGroupBox(tr("Accuracy against ε on the test set"), this);
    auto* curveLayout = new QVBoxLayout(curveBox);
    curveLayout->addWidget(m_curves);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(labBox, 5);
    layout->addWidget(curveBox, 4);
}

void RobustnessPanel::setModel(std::shared_ptr<const nn::Model> model, const QString& name)
{
    m_lab->setModel(model);
    m_curves->setModel(std::move(model), name);
}

void RobustnessPanel::setDrawing(const float* pixels)
{
    if (pixels)
        m_lab->setInput(pixels);
    else
        m_lab->clearInput();
}

void RobustnessPanel::setTestSet(std::shared_ptr<const nn::Dataset> test) { m_curves->setTestSet(std::move(test)); }
void RobustnessPanel::setDataDir(const QString& dir) { m_curves->setDataDir(dir); }

}  // namespace app
