#include "notdigit.h"

#include "calibration.h"
#include "data/dataset.h"
#include "errors.h"
#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

namespace nn {

namespace {

// Metadata values are text; these keep a double exactly.
std::string exactText(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::optional<double> parseDouble(const std::map<std::string, std::string>& meta, const char* key)
{
    const auto it = meta.find(key);
    if (it == meta.end())
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0' || !std::isfinite(v))
        return std::nullopt;
    return v;
}

}  // namespace

double digitScore(const float* logits, int classes, double temperature)
{
    double m = -INFINITY;
    for (int k = 0; k < classes; ++k)
        m = std::max(m, double(logits[k]) / temperature);
    double s = 0;
    for (int k = 0; k < classes; ++k)
        s += std::exp(double(logits[k]) / temperature - m);
    return temperature * (m + std::log(s));
}

NotDigitCalibration fitNotDigit(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                                int classes, double flagRate)
{
    const int n = int(labels.size());
    if (classes < 2 || logits.size() != std::size_t(n) * std::size_t(classes))
        throw ShapeError("fitNotDigit: " + std::to_string(logits.size()) + " logits for " + std::to_string(n) +
                         " labels of " + std::to_string(classes) + " classes");
    if (n < 20)
        throw ShapeError("fitNotDigit: need at least 20 validation samples, got " + std::to_string(n));
    if (!(flagRate >= 0 && flagRate <= 0.5))
        throw ShapeError("fitNotDigit: the rate of flagged digits must be in [0, 0.5], got " + std::to_string(flagRate));
    NotDigitCalibration c;
    c.samples = n;
    c.temperature = fitTemperature(logits.data(), labels.data(), n, classes);
    std::vector<double> scores(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        scores[std::size_t(i)] = digitScore(logits.data() + std::size_t(i) * std::size_t(classes), classes, c.temperature);
    std::sort(scores.begin(), scores.end());
    // The threshold sits at the k-th lowest score, k = floor(rate * n): the k
    // samples below it are flagged (ties at the threshold are not), so at
    // most the rate is rejected.
    const std::size_t k = std::size_t(std::floor(flagRate * n));
    c.threshold = scores[std::min(k, scores.size() - 1)];
    c.validationRate = double(std::lower_bound(scores.begin(), scores.end(), c.threshold) - scores.begin()) / n;
    return c;
}

std::vector<float> datasetLogits(const Model& model, const Dataset& data, int threads)
{
    const int n = data.size();
    const int outs = model.outputs();
    const std::size_t px = std::size_t(data.pixels());
    if (std::size_t(model.inputShape().size()) != px)
        throw ShapeError("datasetLogits: the model takes " + model.inputShape().str() + " but the images are " +
                         std::to_string(data.rows) + "x" + std::to_string(data.cols));
    std::vector<float> out(std::size_t(n) * std::size_t(outs));
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::max(1, std::min(threads, (n + 255) / 256));
    auto work = [&](int t) {
        const int lo = int(std::int64_t(n) * t / threads), hi = int(std::int64_t(n) * (t + 1) / threads);
        std::vector<float> x(px * 256);
        for (int i = lo; i < hi; i += 256) {
            const int m = std::min(256, hi - i);
            for (int j = 0; j < m; ++j)
                data.imageAsFloat(i + j, x.data() + std::size_t(j) * px);
            model.logits(x.data(), m, out.data() + std::size_t(i) * std::size_t(outs));
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool)
        th.join();
    return out;
}

NotDigitCalibration calibrateNotDigit(const Model& model, const Dataset& validation, double flagRate, int threads)
{
    return fitNotDigit(datasetLogits(model, validation, threads), validation.labels, model.outputs(), flagRate);
}

std::pair<Dataset, Dataset> calibrationHalves(const Dataset& mnistTest)
{
    // A fixed seed, so every model is tuned on the same half and reported on the other.
    auto [heldOut, tuning] = mnistTest.splitValidation(0.5, 0x15b);
    return {std::move(tuning), std::move(heldOut)};
}

void storeNotDigit(Model& model, const NotDigitCalibration& c)
{
    auto& meta = model.metadata();
    meta[kTemperatureKey] = exactText(c.temperature);
    meta[kNotDigitThresholdKey] = exactText(c.threshold);
    meta[kNotDigitRateKey] = exactText(c.validationRate);
    if (!c.data.empty())
        meta[kCalibrationDataKey] = c.data;
}

std::optional<NotDigitCalibration> readNotDigit(const Model& model)
{
    const auto& meta = model.metadata();
    const auto t = parseDouble(meta, kTemperatureKey);
    const auto th = parseDouble(meta, kNotDigitThresholdKey);
    if (!t || !th || !(*t > 0))
        return std::nullopt;
    NotDigitCalibration c;
    c.temperature = *t;
    c.threshold = *th;
    c.validationRate = parseDouble(meta, kNotDigitRateKey).value_or(0.0);
    if (const auto it = meta.find(kCalibrationDataKey); it != meta.end())
        c.data = it->second;
    return c;
}

bool isNotDigit(const float* logits, int classes, const NotDigitCalibration& c)
{
    return digitScore(logits, classes, c.temperature) < c.threshold;
}

DigitReading readDigit(const Model& model, const float* input)
{
    const int classes = model.outputs();
    DigitReading r;
    std::vector<float> z(static_cast<std::size_t>(std::max(classes, 0)));
    model.logits(input, 1, z.data());
    r.probabilities.resize(z.size());
    if (classes > 0) {
        // As Model::predict computes them, to the last bit.
        const float m = *std::max_element(z.begin(), z.end());
        float s = 0.0f;
        for (int k = 0; k < classes; ++k) {
            r.probabilities[std::size_t(k)] = std::exp(z[std::size_t(k)] - m);
            s += r.probabilities[std::size_t(k)];
        }
        for (float& p : r.probabilities)
            p /= s;
    }
    if (const auto c = readNotDigit(model)) {
        r.calibrated = true;
        r.score = digitScore(z.data(), classes, c->temperature);
        r.notDigit = r.score < c->threshold;
    }
    return r;
}

}  // namespace nn
