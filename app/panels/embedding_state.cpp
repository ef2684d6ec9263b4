#include "embedding_state.h"

#include "common/language.h"

#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>

#include <algorithm>
#include <chrono>

namespace app {

namespace {
constexpr std::size_t kCached = 6;  // two methods for the last few models
}

bool EmbeddingState::Result::wrong(int i) const
{
    return predictions[std::size_t(i)] != data->labels[std::size_t(i)];
}

EmbeddingState::EmbeddingState(QObject* parent) : QObject(parent) {}

EmbeddingState::~EmbeddingState() { stopJob(); }

void EmbeddingState::stopJob()
{
    if (m_stop)
        m_stop->store(true);
    if (m_job.joinable())
        m_job.join();
}

void EmbeddingState::setModel(std::shared_ptr<const nn::Model> model)
{
    if (model == m_model)
        return;
    m_model = std::move(model);
    // The new model's own map when there is one (the current method first).
    std::shared_ptr<const Result> found;
    for (auto it = m_cache.rbegin(); it != m_cache.rend(); ++it) {
        const auto& r = *it;
        if (r->model.expired() || r->model.lock() != m_model || r->data != m_data)
            continue;
        if (!found || (m_result && r->embedding.method == m_result->embedding.method))
            found = r;
        if (m_result && r->embedding.method == m_result->embedding.method)
            break;
    }
    m_liveDirty = true;
    if (found)
        show(found);
    else
        emit resultChanged();  // the same map, now stale
    emit livePointChanged();
}

void EmbeddingState::setData(std::shared_ptr<const nn::Dataset> data)
{
    if (data == m_data)
        return;
    m_data = std::move(data);
    m_cache.clear();
}

void EmbeddingState::setInput(const float* input)
{
    std::copy(input, input + m_input.size(), m_input.begin());
    m_hasInput = true;
    m_liveDirty = true;
    emit livePointChanged();
}

void EmbeddingState::clearInput()
{
    if (!m_hasInput)
        return;
    m_hasInput = false;
    m_liveDirty = true;
    emit livePointChanged();
}

bool EmbeddingState::isStale() const
{
    return m_result && (m_result->model.expired() || m_result->model.lock() != m_model);
}

std::optional<QPointF> EmbeddingState::livePoint()
{
    if (m_liveDirty) {
        m_liveDirty = false;
        m_live.reset();
        if (m_hasInput && m_result && !isStale()) {
            std::vector<float> a(static_cast<std::size_t>(m_result->extractor->dim()));
            m_result->extractor->apply(m_input.data(), 1, a.data());
            const auto p = m_result->embedding.place(a.data());
            m_live = QPointF(p[0], p[1]);
        }
    }
    return m_live;
}

bool EmbeddingState::canCompute(QString* why) const
{
    QString reason;
    std::string notDigit;
    if (!m_model)
        reason = tr("No model is loaded.");
    else if (!nn::isDigitModel(*m_model, &notDigit))
        reason = tr("The model is not a digit model: %1").arg(QString::fromStdString(notDigit));
    else if (!m_data || m_data->size() == 0)
        reason = tr("Needs the MNIST test set: Browse MNIST offers to download it when it is missing.");
    if (why)
        *why = reason;
    return reason.isEmpty();
}

bool EmbeddingState::compute(const nn::EmbeddingRequest& request)
{
    if (!canCompute())
        return false;
    stopJob();
    m_stop = std::make_shared<std::atomic<bool>>(false);
    const quint64 id = ++m_jobId;
    // The job owns what it reads; what it hands back goes through m_inbox,
    // which outlives it (the destructor stops and joins it first).
    m_job = std::thread([this, id, request, model = m_model, data = m_data, stop = m_stop] {
        std::shared_ptr<const Result> out;
        QString error;
        try {
            const auto t0 = std::chrono::steady_clock::now();
            auto r = std::make_shared<Result>();
            r->model = model;
            r->data = data;
            r->extractor = std::make_shared<const nn::EmbeddingExtractor>(*model);
            auto report = [this, id](nn::EmbeddingPhase phase, int done, int total) {
                m_inbox.post([this, id, phase, done, total] {
                    if (id == m_jobId)
                        emit progress(phase, done, total);
                });
            };
            bool complete = false;
            r->embedding = nn::computeEmbedding(*model, *data, request, report, stop.get(), &complete);
            if (complete) {
                r->predictions = nn::evaluate(*model, *data, request.tsne.threads).predictions;
                for (int i = 0; i < data->size(); ++i)
                    r->misclassified += r->wrong(i);
                r->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                out = std::move(r);
            }
        } catch (const std::exception& e) {
            error = errorText(e);
        }
        m_inbox.post([this, id, out, error] { finished(id, out, error); });
    });
    emit runningChanged(true);
    return true;
}

void EmbeddingState::cancel()
{
    if (m_stop)
        m_stop->store(true);
}

void EmbeddingState::waitForFinished()
{
    if (m_job.joinable())
        m_job.join();
    m_inbox.deliverNow();
}

void EmbeddingState::finished(quint64 id, std::shared_ptr<const Result> result, const QString& error)
{
    if (id != m_jobId)
        return;  // a job stopped for a newer one
    if (m_job.joinable())
        m_job.join();
    emit runningChanged(false);
    if (!error.isEmpty()) {
        emit failed(error);
        return;
    }
    if (!result)
        return;  // cancelled
    m_cache.erase(std::remove_if(m_cache.begin(), m_cache.end(),
                                 [&](const auto& c) {
                                     return c->model.expired() ||
                                            (c->model.lock() == result->model.lock() &&
                                             c->embedding.method == result->embedding.method);
                                 }),
                  m_cache.end());
    m_cache.push_back(result);
    if (m_cache.size() > kCached)
        m_cache.erase(m_cache.begin());
    show(std::move(result));
}

void EmbeddingState::show(std::shared_ptr<const Result> result)
{
    m_result = std::move(result);
    m_liveDirty = true;
    emit resultChanged();
    emit livePointChanged();
}

}  // namespace app
