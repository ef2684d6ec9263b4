#pragma once
// The state behind the layer views (issue 16): the model, the current
// network input and -- computed lazily, only when a visible view asks -- the
// output of every layer for it (nn::LayerTracer, on the GUI thread: about a
// millisecond for the default CNN). And, for the person's question "what
// does this channel look for?", the test images that excite each channel
// most: computed once per model on a worker thread and cached for the last
// few models (so following a training run does not recompute it for every
// snapshot unless asked).
#include "../workers/handoff.h"

#include <nn/inspect.h>

#include <QObject>

#include <array>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace nn {
struct Dataset;
}

namespace app {

class LayerInspector : public QObject {
    Q_OBJECT

public:
    static constexpr int kExemplars = 9;

    explicit LayerInspector(QObject* parent = nullptr);
    ~LayerInspector() override;

    void setModel(std::shared_ptr<const nn::Model> model);
    std::shared_ptr<const nn::Model> model() const { return m_model; }
    // A digit model's 28x28 input (ink bright in [0, 1]); clearInput(): nothing drawn.
    void setInput(const float* input);
    void clearInput();
    bool hasInput() const { return m_hasInput; }
    const std::array<float, 28 * 28>& input() const { return m_input; }

    // Every layer's output for the current input; empty without a model, a
    // digit model or an input. Computed on the first call after a change.
    const std::vector<nn::LayerTrace>& traces();
    int tracesComputed() const { return m_traceRuns; }  // how often traces() ran the model
    // Whether the current traces have that unit (y and x count only for
    // spatial layers); what a hover may ask receptiveField() about.
    bool hasUnit(int layer, int channel, int y, int x);
    // The receptive field of a unit in the input (see nn::LayerTracer).
    nn::ReceptiveField receptiveField(std::size_t layer, int channel, int y, int x);
    // The model's softmax probabilities of the current input (10 values),
    // from the last layer's logits; empty when traces() is.
    std::vector<float> probabilities();

    // Where the exemplars come from (the MNIST test set).
    void setExemplarSource(std::shared_ptr<const nn::Dataset> data);
    bool hasExemplarSource() const { return bool(m_source); }
    const nn::Dataset* exemplarSource() const { return m_source.get(); }
    std::shared_ptr<const nn::Dataset> exemplarSourceData() const { return m_source; }
    // Starts computing them for the current model unless cached or running.
    void requestExemplars();
    // For the current model, or null while not (yet) computed.
    std::shared_ptr<const nn::ChannelExemplars> exemplars() const;
    bool exemplarsRunning() const { return m_job.joinable(); }

signals:
    void modelChanged();
    void inputChanged();
    void exemplarSourceChanged();
    void exemplarProgress(int done, int total);
    void exemplarsReady();
    void exemplarsFailed(const QString& message);

private:
    nn::LayerTracer* tracer();
    void startJob();
    void jobFinished(quint64 generation, std::shared_ptr<const nn::ChannelExemplars> result, const std::string& error);
    void stopJob();

    std::shared_ptr<const nn::Model> m_model;
    std::unique_ptr<nn::LayerTracer> m_tracer;  // for m_model; null when it is no digit model
    std::array<float, 28 * 28> m_input{};
    bool m_hasInput = false;
    bool m_dirty = true;
    int m_traceRuns = 0;
    std::vector<nn::LayerTrace> m_traces;

    std::shared_ptr<const nn::Dataset> m_source;
    struct Cached {
        std::weak_ptr<const nn::Model> model;
        const nn::Model* key = nullptr;
        std::shared_ptr<const nn::ChannelExemplars> exemplars;
    };
    std::vector<Cached> m_cache;  // the last few models, newest last
    std::thread m_job;            // joined before m_inbox goes (the destructor stops it)
    std::shared_ptr<std::atomic<bool>> m_stop;
    Inbox m_inbox;                // the job's progress and result, back on the GUI thread
    quint64 m_generation = 0;     // bumps with every model or source change
    quint64 m_jobGeneration = 0;  // what the running job computes for
    bool m_wanted = false;        // requested for the current generation
};

}  // namespace app
