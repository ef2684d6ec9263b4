#pragma once
// Live prediction off the GUI thread. The canvas says "changed"; the
// controller takes the latest image when it can start a job -- at most one
// job in flight, jobs at most every minInterval(), the newest drawing always
// wins -- and runs QImage -> grey -> nn::preprocess -> Model::predict on its
// own worker thread against an immutable model snapshot. The result comes
// back through an Inbox (handoff.h) and leaves as the predicted() signal.
//
// GUI-thread cost per change: a flag and a posted event; once per job, the
// source's image copy and waking the worker. setModel() swaps the snapshot atomically:
// a job already running finishes with the model it started with.
#include "handoff.h"

#include <nn/model.h>
#include <nn/number.h>
#include <nn/preprocess.h>

#include <QElapsedTimer>
#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QTimer>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace app {

struct PredictionInput {
    QImage image;        // any format; the canvas gives RGB32
    int darkInk = -1;    // as nn::PreprocessOptions::darkInk: -1 detect, 0 bright ink, 1 dark ink
    int revision = 0;    // the source's revision, echoed in the result
    // When set, the network's input as it is (Canvas::exactInput()), with its
    // own geometry (in the placed picture's pixels): predicted and shown as
    // "what it sees" instead of the image's preprocessing.
    std::shared_ptr<const nn::PreprocessResult> exact;
};

struct Prediction {
    int revision = 0;
    bool valid = false;           // false: no model
    nn::PreprocessResult input;   // .empty: nothing drawn (probabilities all zero)
    bool exact = false;           // input is PredictionInput::exact, not the image's preprocessing
    bool finite = true;           // false: the model's output held NaN or infinity (no answer)
    std::array<float, 10> probabilities{};
    int top = -1, second = -1;    // indices by probability; -1 when empty
    // nn::readDigit's verdict: the model is calibrated and this input scores
    // below its threshold (the probabilities are still the model's).
    bool notDigit = false;
    double digitScore = 0;        // nn::digitScore; 0 when the model is not calibrated
    // The drawing read as a number (nn::readNumber), kept when it holds two
    // digits or more; otherwise empty (the drawing is one digit). Not for an
    // exactly placed picture.
    nn::NumberReading number;
    double preprocessMs = 0, predictMs = 0, numberMs = 0;  // worker time
    // When the controller started the job and when the worker finished it.
    std::chrono::steady_clock::time_point started, finished;
    const nn::Model* model = nullptr;        // identity of the snapshot used (never dereference)

    bool empty() const { return input.empty; }
    bool isNumber() const { return number.digits.size() >= 2; }
    float topProbability() const { return top >= 0 ? probabilities[std::size_t(top)] : 0.0f; }
};

// The whole pipeline, synchronously; the controller's worker and the
// drawn-digit accuracy test both call exactly this.
Prediction predictImage(const nn::Model* model, const PredictionInput& input);

class PredictionController : public QObject {
    Q_OBJECT

public:
    explicit PredictionController(QObject* parent = nullptr);
    ~PredictionController() override;

    // Where the latest input comes from; called on the controller's thread,
    // only when a job is about to start. The image it returns must not be
    // written afterwards (give a copy, e.g. Canvas::snapshot()).
    void setSource(std::function<PredictionInput()> source);

    // Thread-safe. Null disables prediction (results come back invalid).
    void setModel(std::shared_ptr<const nn::Model> model);
    std::shared_ptr<const nn::Model> model() const;

    // Minimum time between the starts of two jobs. Bounds the worker's load
    // on fast input devices; the worst-case event-to-result latency is about
    // this plus one job's run time.
    void setMinInterval(int ms) { m_minIntervalMs = ms; }
    int minInterval() const { return m_minIntervalMs; }

    bool busy() const { return m_inFlight; }
    const Prediction& last() const { return m_last; }

public slots:
    // The source changed: predict it soon (coalesced with other changes).
    void invalidate();

signals:
    void predicted(const app::Prediction& prediction);
    void modelChanged();

private:
    void maybeStart();
    void finished(const Prediction& p);

    std::function<PredictionInput()> m_source;
    mutable std::mutex m_modelMutex;
    std::shared_ptr<const nn::Model> m_model;

    Inbox m_inbox;       // results, run on this object's thread
    QTimer m_throttle;
    QElapsedTimer m_sinceStart;
    int m_minIntervalMs = 8;
    bool m_pending = false;
    bool m_startQueued = false;
    bool m_inFlight = false;
    Prediction m_last;
    WorkerThread m_worker{"prediction"};  // its own thread: never queued behind other work; last, joined first
};

}  // namespace app

Q_DECLARE_METATYPE(app::Prediction)
