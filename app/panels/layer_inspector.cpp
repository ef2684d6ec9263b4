#include "layer_inspector.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>

#include <algorithm>
#include <cmath>

namespace app {

namespace {
constexpr std::size_t kCachedModels = 4;
}

LayerInspector::LayerInspector(QObject* parent) : QObject(parent) {}

LayerInspector::~LayerInspector() { stopJob(); }

void LayerInspector::stopJob()
{
    if (m_stop)
        m_stop->store(true);
    if (m_job.joinable())
        m_job.join();
}

void LayerInspector::setModel(std::shared_ptr<const nn::Model> model)
{
    if (model == m_model)
        return;
    m_model = std::move(model);
    m_tracer.reset();  // made when a view asks (following training swaps models often)
    m_dirty = true;
    ++m_generation;
    m_wanted = false;
    if (m_stop)
        m_stop->store(true);  // its result would be for the old model
    emit modelChanged();
}

void LayerInspector::setInput(const float* input)
{
    std::copy(input, input + m_input.size(), m_input.begin());
    m_hasInput = true;
    m_dirty = true;
    emit inputChanged();
}

void LayerInspector::clearInput()
{
    if (!m_hasInput)
        return;
    m_hasInput = false;
    m_dirty = true;
    emit inputChanged();
}

nn::LayerTracer* LayerInspector::tracer()
{
    if (!m_tracer && m_model && nn::isDigitModel(*m_model))
        m_tracer = std::make_unique<nn::LayerTracer>(*m_model);
    return m_tracer.get();
}

const std::vector<nn::LayerTrace>& LayerInspector::traces()
{
    if (m_dirty) {
        m_dirty = false;
        if (m_hasInput && tracer()) {
            m_traces = m_tracer->trace(m_input.data());
            ++m_traceRuns;
        }
        else
            m_traces.clear();
    }
    return m_traces;
}

bool LayerInspector::hasUnit(int layer, int channel, int y, int x)
{
    const auto& t = traces();
    if (layer < 0 || channel < 0 || layer >= int(t.size()))
        return false;
    const nn::LayerTrace& l = t[std::size_t(layer)];
    return channel < l.shape.c && (!l.spatial() || (y >= 0 && x >= 0 && y < l.shape.h && x < l.shape.w));
}

nn::ReceptiveField LayerInspector::receptiveField(std::size_t layer, int channel, int y, int x)
{
    if (!tracer())
        return {};
    return m_tracer->receptiveField(layer, channel, y, x);
}

std::vector<float> LayerInspector::probabilities()
{
    const auto& t = traces();
    if (t.empty())
        return {};
    std::vector<float> p = t.back().values;
    const float mx = *std::max_element(p.begin(), p.end());
    double sum = 0;
    for (float& v : p)
        sum += (v = std::exp(v - mx));
    for (float& v : p)
        v = float(v / sum);
    return p;
}

void LayerInspector::setExemplarSource(std::shared_ptr<const nn::Dataset> data)
{
    if (data == m_source)
        return;
    m_source = std::move(data);
    m_cache.clear();
    ++m_generation;
    if (m_stop)
        m_stop->store(true);
    if (m_wanted) {
        m_wanted = false;
        requestExemplars();
    }
    emit exemplarSourceChanged();
}

std::shared_ptr<const nn::ChannelExemplars> LayerInspector::exemplars() const
{
    for (const Cached& c : m_cache)
        if (c.key == m_model.get() && !c.model.expired())
            return c.exemplars;
    return nullptr;
}

void LayerInspector::requestExemplars()
{
    if (!m_model || !nn::isDigitModel(*m_model) || !m_source || exemplars())
        return;
    m_wanted = true;
    if (!m_job.joinable())
        startJob();
    // else: the running job ends (stopped when it is for an older model) and
    // jobFinished() starts the one wanted now.
}

void LayerInspector::startJob()
{
    m_jobGeneration = m_generation;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = m_generation;
    // The job owns what it reads: the model and the data stay alive whatever
    // the GUI does. What it hands back goes through m_inbox (handoff.h), which
    // outlives it: the destructor stops and joins the job first.
    m_job = std::thread([this, generation, model = m_model, data = m_source, stop = m_stop] {
        std::shared_ptr<const nn::ChannelExemplars> result;
        std::string error;
        try {
            bool complete = false;
            auto ex = nn::channelExemplars(
                *model, *data, kExemplars,
                [this, generation](int done, int total) {
                    m_inbox.post([this, generation, done, total] {
                        if (m_jobGeneration == generation && m_generation == generation)
                            emit exemplarProgress(done, total);
                    });
                },
                stop.get(), &complete);
            if (complete)
                result = std::make_shared<const nn::ChannelExemplars>(std::move(ex));
        } catch (const std::exception& e) {
            error = e.what();
        }
        m_inbox.post([this, generation, result, error] { jobFinished(generation, result, error); });
    });
}

void LayerInspector::jobFinished(quint64 generation, std::shared_ptr<const nn::ChannelExemplars> result,
                                 const std::string& error)
{
    if (m_job.joinable())
        m_job.join();
    if (generation == m_generation) {
        if (result) {
            m_cache.erase(std::remove_if(m_cache.begin(), m_cache.end(),
                                         [](const Cached& c) { return c.model.expired(); }),
                          m_cache.end());
            m_cache.push_back({m_model, m_model.get(), result});
            if (m_cache.size() > kCachedModels)
                m_cache.erase(m_cache.begin());
            m_wanted = false;
            emit exemplarsReady();
        } else if (!error.empty()) {
            m_wanted = false;
            emit exemplarsFailed(QString::fromStdString(error));
        }
        return;
    }
    // A job for an older model or data: start the wanted one.
    if (m_wanted && m_model && nn::isDigitModel(*m_model) && m_source && !exemplars())
        startJob();
}

}  // namespace app
