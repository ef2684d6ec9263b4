#pragma once
// The adversarial lab on the Robustness page (issue 16): on the pad's current
// drawing, an FGSM or PGD attack (L∞ or L2, away from the answer or toward a
// chosen class) at the chosen ε, shown side by side -- the network input, the
// perturbation amplified (DigitTile, blue-orange centred at zero, its factor
// and largest |δ| in the legend) and the perturbed image -- with the model's
// probabilities for both. "Find smallest ε" runs nn::smallestEpsilon off the
// GUI thread; "Send to the pad" puts the perturbed input on the canvas
// exactly (floats, not 8-bit), so the pad shows the perturbed answer.
// The attack itself is nn::attack (adversarial_plan.h maps the settings).
#include "adversarial_plan.h"
#include "workers/handoff.h"

#include <nn/model.h>
#include <nn/preprocess.h>

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace app {

class ProbabilityView;

// A 28x28 image with a title: grey (0 black, 1 white, ink bright as the
// network sees it) or signed (a perturbation times its amplification,
// blue-grey-orange with a legend under it).
class DigitTile : public QWidget {
    Q_OBJECT
public:
    explicit DigitTile(const QString& title, QWidget* parent = nullptr);
    void setGrey(const std::vector<float>& pixels);
    void setSigned(const std::vector<float>& delta, const Amplification& a);
    void clear();
    const std::vector<float>& values() const { return m_values; }
    // The caption under a signed tile ("×10, max |δ| = 0.083"); empty for grey.
    QString legendText() const { return m_legend; }
    // The 28x28 picture as painted (one pixel per value).
    QImage picture() const { return m_picture; }

    QSize sizeHint() const override { return {170, 220}; }
    QSize minimumSizeHint() const override { return {110, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_title, m_legend;
    std::vector<float> m_values;
    QImage m_picture;
    bool m_signed = false;
    float m_factor = 1;
};

class AdversarialLab : public QWidget {
    Q_OBJECT
public:
    explicit AdversarialLab(QWidget* parent = nullptr);
    ~AdversarialLab() override;

    void setModel(std::shared_ptr<const nn::Model> model);
    // The network input of the pad's drawing (784 values), or none.
    void setInput(const float* pixels28x28);
    void clearInput();

    LabSettings settings() const { return m_settings; }
    void setSettings(const LabSettings& s);  // updates the controls and runs the attack

    // The attack shown (empty adversarial: none yet), and whether one runs.
    const nn::AttackResult& result() const { return m_result; }
    bool isBusy() const { return m_attack.isRunning() || m_searchTask.isRunning(); }
    // The last finished smallest-ε search for the input shown (found == false
    // and attacks == 0 when none).
    const nn::SmallestEpsilon& search() const { return m_search; }
    void findSmallestEpsilon();
    void sendToPad();  // what the button does

    DigitTile* inputTile() const { return m_inputTile; }
    DigitTile* perturbationTile() const { return m_deltaTile; }
    DigitTile* perturbedTile() const { return m_advTile; }
    ProbabilityView* originalProbabilities() const { return m_originalView; }
    ProbabilityView* perturbedProbabilities() const { return m_perturbedView; }
    QLabel* searchLabel() const { return m_searchText; }
    QPushButton* findButton() const { return m_find; }
    QPushButton* sendButton() const { return m_send; }
    QDoubleSpinBox* epsBox() const { return m_epsSpin; }

signals:
    void attackShown();
    void searchFinished();
    // The perturbed input, exactly (input[] in [0, 1], ink bright).
    void sendToCanvas(std::shared_ptr<const nn::PreprocessResult> input);

private:
    struct Outcome {
        nn::AttackResult attack;
        std::vector<float> original;  // the probabilities of the input
    };
    void readControls();
    void syncControls();
    void runAttack();
    void showOutcome(const Outcome& o);
    void staleSearch();

    std::shared_ptr<const nn::Model> m_model;
    std::vector<float> m_input;  // empty: nothing drawn
    LabSettings m_settings;
    nn::AttackResult m_result;
    nn::SmallestEpsilon m_search;
    unsigned m_inputGeneration = 0;

    QComboBox* m_method;
    QComboBox* m_norm;
    QComboBox* m_target;
    QSlider* m_epsSlider;
    QDoubleSpinBox* m_epsSpin;
    QSpinBox* m_steps;
    QPushButton* m_find;
    QPushButton* m_send;
    QLabel* m_searchText;
    QLabel* m_status;
    DigitTile* m_inputTile;
    DigitTile* m_deltaTile;
    DigitTile* m_advTile;
    ProbabilityView* m_originalView;
    ProbabilityView* m_perturbedView;
    // Last: waited for before the rest goes.
    BackgroundTask<Outcome> m_attack{"adversarial attack"};
    BackgroundTask<nn::SmallestEpsilon> m_searchTask{"smallest eps"};
};

}  // namespace app
