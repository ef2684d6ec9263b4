#include "saliency_panel.h"

#include "common/language.h"
#include "saliency_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace app {

SaliencyMethodBox::SaliencyMethodBox(QWidget* parent) : QComboBox(parent)
{
    for (nn::SaliencyMethod m : nn::kSaliencyMethods)
        addItem(engineText(nn::saliencyMethodName(m)), int(m));
    setToolTip(tr("How the map is computed: occlusion hides patches; the gradient methods use the network's "
                  "backward pass (integrated gradients from a black image, Grad-CAM on the last convolution)"));
    setAccessibleName(tr("Saliency method"));
    connect(this, &QComboBox::currentIndexChanged, this, [this] { emit methodChanged(method()); });
}

nn::SaliencyMethod SaliencyMethodBox::method() const
{
    return currentIndex() < 0 ? nn::SaliencyMethod::Occlusion : nn::SaliencyMethod(currentData().toInt());
}

void SaliencyMethodBox::setMethod(nn::SaliencyMethod method) { setCurrentIndex(findData(int(method))); }

void SaliencyMethodBox::setModel(const nn::Model* model)
{
    auto* items = qobject_cast<QStandardItemModel*>(this->model());
    for (int i = 0; i < count(); ++i) {
        const auto m = nn::SaliencyMethod(itemData(i).toInt());
        const bool ok = !model || nn::saliencyApplies(*model, m);
        if (items)
            items->item(i)->setEnabled(ok);
        if (!ok && i == currentIndex())
            setMethod(nn::SaliencyMethod::Occlusion);
    }
}

QString sanityReportText(const nn::SanityReport& r, nn::SaliencyMethod method)
{
    const QString name = engineText(nn::saliencyMethodName(method));
    if (r.cancelled)
        return SaliencyPanel::tr("Sanity check stopped");
    if (r.steps.empty())
        return SaliencyPanel::tr("No layer with weights to randomise");
    QStringList all, ink;
    for (const nn::SanityStep& s : r.steps) {
        all << QString::number(s.correlation, 'f', 2);
        ink << QString::number(s.inkCorrelation, 'f', 2);
    }
    const QString verdict =
        r.passed ? SaliencyPanel::tr("%1 passes: the map changes as the weights are randomised").arg(name)
                 : SaliencyPanel::tr("%1 FAILS: the map barely changes when the model is destroyed").arg(name);
    const QString sep = QStringLiteral(" · ");
    return SaliencyPanel::tr("%1\nRank correlation as layers are randomised from the top: %2 (pass below %3); "
                             "within the ink: %4")
        .arg(verdict, all.join(sep))
        .arg(r.threshold, 0, 'f', 1)
        .arg(ink.join(sep));
}

SaliencyPanel::SaliencyPanel(QWidget* parent)
    : QWidget(parent),
      m_view(new SaliencyView(this)),
      m_method(new SaliencyMethodBox(this)),
      m_sanity(new QPushButton(tr("Sanity check"), this)),
      m_sanityText(new QLabel(this))
{
    m_sanity->setToolTip(tr("Randomise the model's weights layer by layer from the top (Adebayo et al. 2018) and "
                            "measure how much the map changes: a map that does not change does not explain the "
                            "model"));
    m_sanityText->setWordWrap(true);
    QFont small = m_sanityText->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_sanityText->setFont(small);
    m_sanityText->setVisible(false);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_method, 1);
    top->addWidget(m_sanity);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_sanityText);
    connect(m_method, &SaliencyMethodBox::methodChanged, this, [this](nn::SaliencyMethod m) {
        m_view->setMethod(m);
        staleCheck();
    });
    connect(m_sanity, &QPushButton::clicked, this, &SaliencyPanel::runSanityCheck);
    staleCheck();
}

SaliencyPanel::~SaliencyPanel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void SaliencyPanel::setModel(std::shared_ptr<const nn::Model> model)
{
    m_model = model;
    m_method->setModel(m_model.get());
    m_view->setModel(std::move(model));
    staleCheck();
}

void SaliencyPanel::setDrawing(const float* pixels28x28)
{
    m_view->setDrawing(pixels28x28);
    staleCheck();
}

void SaliencyPanel::clear()
{
    m_view->clear();
    staleCheck();
}

// A check of another input, model or method would mislead: drop it (and
// stop one that is running).
void SaliencyPanel::staleCheck()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_report = {};
    m_sanityText->clear();
    m_sanityText->setVisible(false);
    m_sanity->setEnabled(m_model != nullptr && !m_view->input().empty());
    m_sanity->setText(tr("Sanity check"));
}

void SaliencyPanel::runSanityCheck()
{
    if (!m_model || m_view->input().empty())
        return;
    staleCheck();
    const unsigned generation = m_generation;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const nn::SaliencyMethod method = m_method->method();
    m_sanity->setEnabled(false);
    m_sanity->setText(tr("Checking…"));
    m_sanityText->setText(tr("Randomising the weights layer by layer and recomputing the map…"));
    m_sanityText->setVisible(true);
    m_task.start(
        [model = m_model, input = m_view->input(), method, options = m_view->options(), cancel = m_cancel] {
            try {
                return nn::cascadingRandomisation(*model, input.data(), nn::saliencyFunction(method, options), {},
                                                  {}, cancel.get());
            } catch (const std::exception&) {
                nn::SanityReport r;  // the method cannot explain this model: nothing to check
                r.cancelled = true;
                return r;
            }
        },
        [this, generation, method](nn::SanityReport r) {
            if (generation != m_generation)
                return;
            m_report = std::move(r);
            m_sanity->setEnabled(true);
            m_sanity->setText(tr("Sanity check"));
            m_sanityText->setText(sanityReportText(m_report, method));
            QStringList layers;
            for (const nn::SanityStep& s : m_report.steps)
                layers << QString::fromStdString(s.spec);
            m_sanityText->setToolTip(tr("Randomised in this order: %1").arg(layers.join(QStringLiteral(", "))));
            m_sanityText->setVisible(true);
            emit sanityCheckFinished();
        });
}

}  // namespace app
