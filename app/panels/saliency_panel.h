#pragma once
// The pad's "Why this answer" tab: a method selector (SaliencyMethodBox), the
// map (SaliencyView) and a "Sanity check" button that runs the model-
// randomisation check of Adebayo et al. 2018 (nn/saliency_sanity.h) for the
// chosen method on the current input, off the GUI thread, and lists the rank
// correlation after each layer is randomised with the verdict.
#include "workers/handoff.h"

#include <nn/model.h>
#include <nn/saliency.h>
#include <nn/saliency_sanity.h>

#include <QComboBox>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;

namespace app {

class SaliencyView;

// The saliency methods, by their translated names; methods the model cannot
// use (Grad-CAM without a convolution) are listed but disabled.
class SaliencyMethodBox : public QComboBox {
    Q_OBJECT
public:
    explicit SaliencyMethodBox(QWidget* parent = nullptr);
    nn::SaliencyMethod method() const;
    void setMethod(nn::SaliencyMethod method);
    // Enables the methods that apply to `model` (all for nullptr); a
    // disabled current method falls back to occlusion.
    void setModel(const nn::Model* model);
signals:
    void methodChanged(nn::SaliencyMethod method);
};

// One line per randomised layer ("dense 10   0.42") and the verdict.
QString sanityReportText(const nn::SanityReport& report, nn::SaliencyMethod method);

class SaliencyPanel : public QWidget {
    Q_OBJECT
public:
    explicit SaliencyPanel(QWidget* parent = nullptr);
    ~SaliencyPanel() override;

    SaliencyView* view() const { return m_view; }
    SaliencyMethodBox* methodBox() const { return m_method; }
    QPushButton* sanityButton() const { return m_sanity; }
    QLabel* sanityLabel() const { return m_sanityText; }

    void setModel(std::shared_ptr<const nn::Model> model);
    void setDrawing(const float* pixels28x28);
    void clear();

    // The last finished check (steps empty when none, or made stale).
    const nn::SanityReport& sanityReport() const { return m_report; }
    bool isCheckRunning() const { return m_task.isRunning(); }
    void runSanityCheck();

signals:
    void sanityCheckFinished();

private:
    void staleCheck();

    SaliencyView* m_view;
    SaliencyMethodBox* m_method;
    QPushButton* m_sanity;
    QLabel* m_sanityText;
    std::shared_ptr<const nn::Model> m_model;
    nn::SanityReport m_report;
    unsigned m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    BackgroundTask<nn::SanityReport> m_task{"sanity check"};  // last: waited for before the rest goes
};

}  // namespace app
