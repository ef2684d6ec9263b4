#include "prediction_controller.h"

#include "common/imageconvert.h"

#include <nn/notdigit.h>

#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace app {

namespace {

double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Prediction predictImage(const nn::Model* model, const PredictionInput& input)
{
    Prediction out;
    out.revision = input.revision;
    out.model = model;
    out.valid = model != nullptr;

    auto t0 = std::chrono::steady_clock::now();
    if (input.exact) {
        // The picture as it was given, with its own geometry (in the
        // picture's pixels; the canvas maps them to where it placed it).
        out.input = *input.exact;
        out.exact = true;
    }
    std::vector<float> grey;
    nn::PreprocessOptions options;
    options.darkInk = input.darkInk;
    if (!input.exact) {
        grey = toGrayFloat(input.image);
        out.input = nn::preprocess(grey.data(), input.image.width(), input.image.height(), options);
    }
    out.preprocessMs = msSince(t0);
    if (out.input.empty || !model)
        return out;
    if (!input.exact) {
        // "42" is two digits: read as a number too, shown when it is one.
        t0 = std::chrono::steady_clock::now();
        nn::NumberOptions numberOptions;
        numberOptions.preprocess = options;
        nn::NumberReading number =
            nn::readNumber(*model, grey.data(), input.image.width(), input.image.height(), numberOptions);
        if (number.digits.size() >= 2)
            out.number = std::move(number);
        out.numberMs = msSince(t0);
    }

    t0 = std::chrono::steady_clock::now();
    // Probabilities and the not-a-digit decision from one forward pass
    // (setModel() refuses models without ten outputs; copy safely anyway).
    const nn::DigitReading reading = nn::readDigit(*model, out.input.input.data());
    std::copy_n(reading.probabilities.begin(), std::min(reading.probabilities.size(), out.probabilities.size()),
                out.probabilities.begin());
    out.notDigit = reading.notDigit;
    out.digitScore = reading.score;
    out.predictMs = msSince(t0);
    out.finite = std::all_of(out.probabilities.begin(), out.probabilities.end(), [](float v) { return std::isfinite(v); });

    std::array<int, 10> order;
    for (int i = 0; i < 10; ++i)
        order[std::size_t(i)] = i;
    std::partial_sort(order.begin(), order.begin() + 2, order.end(), [&](int a, int b) {
        return out.probabilities[std::size_t(a)] > out.probabilities[std::size_t(b)];
    });
    out.top = order[0];
    out.second = order[1];
    return out;
}

PredictionController::PredictionController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<app::Prediction>();
    m_throttle.setSingleShot(true);
    m_throttle.setTimerType(Qt::PreciseTimer);
    connect(&m_throttle, &QTimer::timeout, this, &PredictionController::maybeStart);
}

PredictionController::~PredictionController()
{
    // The job only touches `this` by posting its result; once it has
    // finished, destroying the inbox drops that posted call.
    m_worker.clearPending();
    m_worker.waitForIdle();
}

void PredictionController::setSource(std::function<PredictionInput()> source)
{
    m_source = std::move(source);
    invalidate();
}

void PredictionController::setModel(std::shared_ptr<const nn::Model> model)
{
    if (model) {
        // Warm up on the worker (first-use allocations of the model's
        // inference buffers), so the first stroke does not pay for them.
        m_worker.post([model] {
            std::array<float, 28 * 28> blank{};
            std::vector<float> probs(std::size_t(std::max(model->outputs(), 1)));
            try {
                if (model->inputShape().size() == int(blank.size()))
                    model->predict(blank.data(), 1, probs.data());
            } catch (const std::exception&) {
                // Only a warm-up: a real prediction reports the problem.
            }
        });
    }
    {
        std::lock_guard lock(m_modelMutex);
        m_model = std::move(model);
    }
    // Announce and re-predict on the controller's own thread.
    auto announce = [this] {
        emit modelChanged();
        invalidate();
    };
    if (QThread::currentThread() == thread())
        announce();
    else
        m_inbox.post(announce);
}

std::shared_ptr<const nn::Model> PredictionController::model() const
{
    std::lock_guard lock(m_modelMutex);
    return m_model;
}

void PredictionController::invalidate()
{
    // Start from the event loop, not inside the caller (typically a mouse
    // event handler): the handler returns at once, and all the changes one
    // event-loop pass makes (compressed mouse moves, a replayed stroke)
    // coalesce into a single job.
    m_pending = true;
    if (!m_startQueued) {
        m_startQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_startQueued = false;
                maybeStart();
            },
            Qt::QueuedConnection);
    }
}

void PredictionController::maybeStart()
{
    if (!m_pending || m_inFlight || !m_source)
        return;
    if (m_sinceStart.isValid()) {
        const qint64 elapsed = m_sinceStart.elapsed();
        if (elapsed < m_minIntervalMs) {
            if (!m_throttle.isActive())
                m_throttle.start(int(m_minIntervalMs - elapsed));
            return;
        }
    }
    m_pending = false;
    m_inFlight = true;
    m_sinceStart.start();
    PredictionInput input = m_source();  // an image the worker may read while drawing goes on
    std::shared_ptr<const nn::Model> snapshot = model();
    const auto started = std::chrono::steady_clock::now();
    m_worker.post([this, input = std::move(input), snapshot = std::move(snapshot), started] {
        Prediction p;
        try {
            p = predictImage(snapshot.get(), input);
        } catch (const std::exception&) {
            p = Prediction{};  // an invalid result rather than a dead thread (setModel() refuses bad models)
            p.revision = input.revision;
        }
        p.started = started;
        p.finished = std::chrono::steady_clock::now();
        m_inbox.post([this, p = std::move(p)] { finished(p); });
    });
}

void PredictionController::finished(const Prediction& p)
{
    m_inFlight = false;
    m_last = p;
    emit predicted(m_last);
    maybeStart();
}

}  // namespace app
