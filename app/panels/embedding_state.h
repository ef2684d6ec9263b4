#pragma once
// The state behind the embedding view (issue 16), without a window: the
// model, the MNIST test set and the current drawing (all three from the
// LayerInspector); the map of the test set's penultimate activations (PCA or
// t-SNE, nn/embedding.h) computed on a thread of its own, with progress and
// cancel, and handed back through an Inbox (handoff.h); the model's
// predictions for the same images (to mark the misclassified); where the
// drawing lands in the map.
//
// Results are cached per model and method (the last few): a model swap
// shows the new model's map when it was computed before, and otherwise
// keeps the old one marked stale ("computed for an older model") -- its
// points no longer say what the new model does, so no live point is placed
// in it.
#include "../workers/handoff.h"

#include <nn/data/dataset.h>
#include <nn/embedding.h>

#include <QObject>
#include <QPointF>

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace app {

class EmbeddingState : public QObject {
    Q_OBJECT

public:
    struct Result {
        std::weak_ptr<const nn::Model> model;  // what it was computed for
        std::shared_ptr<const nn::Dataset> data;
        std::shared_ptr<const nn::EmbeddingExtractor> extractor;  // of that model: places the drawing
        nn::Embedding embedding;
        std::vector<std::uint8_t> predictions;  // per point
        int misclassified = 0;
        double seconds = 0;  // wall time of the whole computation
        bool wrong(int i) const;  // point i's prediction is not its label
    };

    explicit EmbeddingState(QObject* parent = nullptr);
    ~EmbeddingState() override;  // stops and joins a running computation

    void setModel(std::shared_ptr<const nn::Model> model);
    std::shared_ptr<const nn::Model> model() const { return m_model; }
    void setData(std::shared_ptr<const nn::Dataset> data);
    std::shared_ptr<const nn::Dataset> data() const { return m_data; }
    // A digit model's 28x28 input (ink bright in [0, 1]); clearInput(): nothing drawn.
    void setInput(const float* input);
    void clearInput();

    // Whether compute() can run now, and if not why (a sentence for the UI).
    bool canCompute(QString* why = nullptr) const;
    // Starts the map of the current data under the current model (a running
    // one is stopped first). Returns false when canCompute() is false.
    bool compute(const nn::EmbeddingRequest& request);
    void cancel();
    bool isRunning() const { return m_job.joinable(); }
    // Blocks until a running computation has ended and delivers its result (tests).
    void waitForFinished();

    // The map shown: the current model's, or an older model's (stale), or null.
    std::shared_ptr<const Result> result() const { return m_result; }
    bool isStale() const;
    // Where the drawing lands in the map; none without a drawing, a result, or when stale.
    std::optional<QPointF> livePoint();

signals:
    void progress(nn::EmbeddingPhase phase, int done, int total);
    void runningChanged(bool running);
    void resultChanged();  // a new result, or the same one now stale or fresh again
    void livePointChanged();
    void failed(const QString& message);

private:
    void finished(quint64 job, std::shared_ptr<const Result> result, const QString& error);
    void show(std::shared_ptr<const Result> result);
    void stopJob();

    std::shared_ptr<const nn::Model> m_model;
    std::shared_ptr<const nn::Dataset> m_data;
    std::array<float, 28 * 28> m_input{};
    bool m_hasInput = false;
    bool m_liveDirty = true;
    std::optional<QPointF> m_live;

    std::shared_ptr<const Result> m_result;
    std::vector<std::shared_ptr<const Result>> m_cache;  // newest last

    std::thread m_job;  // joined before m_inbox goes
    std::shared_ptr<std::atomic<bool>> m_stop;
    Inbox m_inbox;
    quint64 m_jobId = 0;
};

}  // namespace app
