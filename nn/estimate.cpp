#include "estimate.h"

#include "data/dataset.h"
#include "model.h"
#include "parallel.h"
#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

namespace nn {

namespace {

// Small but made of the layers real specs use (convolution, pooling, dense).
constexpr const char* kReference = "conv 8 5 pad=2 | relu | maxpool 2 | dense 32 | relu | dense 10";

double measure()
{
    Model model = Model::fromSpec(kReference);
    Dataset blank;
    blank.images.assign(std::size_t(512) * 784, 0);
    blank.labels.assign(512, 0);
    for (std::size_t i = 0; i < blank.labels.size(); ++i)
        blank.labels[i] = std::uint8_t(i % 10);
    TrainConfig c;
    c.epochs = 1;
    c.batchSize = 32;
    c.threads = 1;
    c.progressIntervalSec = 1e9;
    {
        c.maxBatchesPerEpoch = 2;  // warm-up: first-touch allocations, caches
        Trainer(model, c).run(blank, {});
    }
    c.maxBatchesPerEpoch = 16;
    const auto start = std::chrono::steady_clock::now();
    Trainer(model, c).run(blank, {});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double images = double(c.maxBatchesPerEpoch) * c.batchSize;
    return images * 3.0 * model.flopsPerSample() / std::max(seconds, 1e-6);
}

}  // namespace

SmoothedRate::SmoothedRate(double weight, double initial)
    : m_weight(std::clamp(std::isfinite(weight) ? weight : 1.0, 0.0, 1.0)),
      m_value(initial > 0 && std::isfinite(initial) ? initial : 0)
{
}

void SmoothedRate::add(double rate)
{
    if (!(rate > 0) || !std::isfinite(rate))
        return;
    m_value = m_value > 0 ? (1.0 - m_weight) * m_value + m_weight * rate : rate;
}

double measuredMacsPerThread()
{
    static std::once_flag once;
    static double rate = 0;
    std::call_once(once, [] { rate = measure(); });
    return rate;
}

double estimateEpochSeconds(double flopsPerSample, double trainImages, double validationImages, int threads,
                            double macsPerThread)
{
    if (!(flopsPerSample > 0))
        return -1;
    const double perThread = macsPerThread > 0 ? macsPerThread : measuredMacsPerThread();
    const int usable = std::clamp(threads > 0 ? threads : ThreadPool::hardwareThreads(), 1,
                                  ThreadPool::hardwareThreads());
    const double trainRate = perThread * usable / (3.0 * flopsPerSample);  // images per second
    // Validation is a forward pass only: about a third of a training step.
    return (trainImages + validationImages / 3.0) / std::max(1e-9, trainRate);
}

}  // namespace nn
