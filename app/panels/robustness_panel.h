#pragma once
// The Robustness page (issue 16): the adversarial lab on the pad's drawing
// (left) and the test set's accuracy against ε (right). Its own page, not a
// tab of the pad: three images, two probability charts and a chart do not
// fit the pad's 300-pixel side column, and the lab keeps following the pad's
// drawing while another page shows. The main window hands it the model (with
// its name), the drawing and the test set.
#include <nn/data/dataset.h>
#include <nn/model.h>

#include <QWidget>

#include <memory>

namespace app {

class AdversarialLab;
class RobustnessCurves;

class RobustnessPanel : public QWidget {
    Q_OBJECT
public:
    explicit RobustnessPanel(QWidget* parent = nullptr);

    AdversarialLab* lab() const { return m_lab; }
    RobustnessCurves* curves() const { return m_curves; }

    void setModel(std::shared_ptr<const nn::Model> model, const QString& name);
    void setDrawing(const float* pixels28x28);  // nullptr: nothing drawn
    void setTestSet(std::shared_ptr<const nn::Dataset> test);
    void setDataDir(const QString& dir);

private:
    AdversarialLab* m_lab;
    RobustnessCurves* m_curves;
};

}  // namespace app
