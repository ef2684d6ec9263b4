#pragma once
// "Why this answer": a 28x28 input with its saliency map (nn/saliency.h,
// occlusion unless another method is chosen) laid over it (red: pushed
// towards the predicted class, blue: pushed away). The map is computed off
// the GUI thread; when the input changes mid-computation only the latest
// input is computed next, so live drawing never queues work up.
#include "workers/handoff.h"

#include <nn/model.h>
#include <nn/saliency.h>

#include <QWidget>

#include <memory>
#include <vector>

namespace app {

class SaliencyView : public QWidget {
    Q_OBJECT
public:
    explicit SaliencyView(QWidget* parent = nullptr);
    ~SaliencyView() override;

    void setModel(std::shared_ptr<const nn::Model> model);
    // pixels: w*h floats in [0,1], ink bright (the network's input). Copies.
    void setInput(const float* pixels, int w = 28, int h = 28);
    // The current drawing's preprocessed input (nn::PreprocessResult::input).
    void setDrawing(const float* pixels28x28) { setInput(pixels28x28, 28, 28); }
    void clear();

    void setOverlayVisible(bool visible);
    bool overlayVisible() const { return m_overlay; }
    void setMethod(nn::SaliencyMethod method);
    nn::SaliencyMethod method() const { return m_method; }
    void setOptions(const nn::SaliencyOptions& options);
    const nn::SaliencyOptions& options() const { return m_options; }
    void setCaptionVisible(bool visible);

    // The last finished map (values empty when none).
    const nn::SaliencyMap& saliency() const { return m_map; }
    bool isBusy() const { return m_task.isRunning(); }
    const std::vector<float>& input() const { return m_input; }

    // The input with the overlay at `scale` pixels per input pixel.
    QImage render(int scale) const;

    QSize sizeHint() const override { return {240, 260}; }
    QSize minimumSizeHint() const override { return {84, 100}; }

signals:
    void saliencyReady();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void schedule();
    void launch();
    void onFinished(nn::SaliencyMap map);
    QString captionText() const;

    std::shared_ptr<const nn::Model> m_model;
    std::vector<float> m_input;
    int m_w = 28, m_h = 28;
    nn::SaliencyOptions m_options;
    nn::SaliencyMethod m_method = nn::SaliencyMethod::Occlusion;
    nn::SaliencyMap m_map;
    QString m_error;  // why the method gave no map (e.g. Grad-CAM without a convolution)
    bool m_pending = false;
    bool m_overlay = true;
    bool m_caption = true;
    unsigned m_generation = 0, m_running = 0;
    BackgroundTask<nn::SaliencyMap> m_task{"saliency"};  // last: waited for before the rest goes
};

}  // namespace app
