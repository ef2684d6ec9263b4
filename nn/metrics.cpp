#include "metrics.h"

#include "data/dataset.h"
#include "errors.h"
#include "model.h"
#include "parallel.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace nn {

namespace {

constexpr int kChunk = 64;  // samples per predict call: large enough for the GEMMs, small enough to cancel promptly

// Softmax exactly as Model::predict computes it (so the probabilities match
// predict bit for bit) and the cross-entropy exactly as softmaxCrossEntropy
// computes it from the logits (so evaluation and training losses agree, and a
// probability that underflows to 0 does not make the loss infinite).
double softmaxAndLoss(float* z, int k, int label)
{
    const float mx = *std::max_element(z, z + k);
    double dsum = 0.0;
    for (int j = 0; j < k; ++j)
        dsum += std::exp(z[j] - mx);
    const double loss = std::log(dsum) - double(z[label] - mx);
    float sum = 0.0f;
    for (int j = 0; j < k; ++j) {
        z[j] = std::exp(z[j] - mx);
        sum += z[j];
    }
    for (int j = 0; j < k; ++j)
        z[j] /= sum;
    return loss;
}

int argmax(const float* p, int k)
{
    return int(std::max_element(p, p + k) - p);  // the first of equal maxima
}

// Locale-independent number formatting: the Qt front ends call setlocale(),
// and "0,5" is neither JSON nor what the CLI documents.
std::string number(double v, std::chars_format fmt, int precision)
{
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, fmt, precision);
    return std::string(buf, r.ptr);
}

std::string json(double v)
{
    if (!std::isfinite(v))
        return "null";
    return number(v, std::chars_format::general, 6);
}

std::string fixed4(double v) { return number(v, std::chars_format::fixed, 4); }

std::string padLeft(const std::string& s, std::size_t width)
{
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

double safeDiv(double a, double b) { return b > 0 ? a / b : 0.0; }

}  // namespace

Evaluation evaluate(const Model& model, const Dataset& data, int threads,
                    const std::function<bool(int, int)>& progress)
{
    const int n = data.size();
    const int pixels = data.pixels();
    if (pixels != model.inputShape().size())
        throw ShapeError("the model expects input " + model.inputShape().str() + " (" +
                         std::to_string(model.inputShape().size()) + " values), the data has " +
                         std::to_string(data.rows) + "x" + std::to_string(data.cols) + " images");
    if (model.outputs() != kClasses)
        throw ShapeError("the model has " + std::to_string(model.outputs()) + " outputs, evaluation needs " +
                         std::to_string(kClasses));
    if (data.images.size() != std::size_t(n) * std::size_t(pixels))
        throw ShapeError("the data set has " + std::to_string(n) + " labels but " +
                         std::to_string(data.images.size()) + " pixel values (expected " +
                         std::to_string(std::size_t(n) * std::size_t(pixels)) + ")");
    for (int i = 0; i < n; ++i)
        if (data.labels[std::size_t(i)] >= kClasses)
            throw ShapeError("label " + std::to_string(data.labels[std::size_t(i)]) + " of sample " +
                             std::to_string(i) + " is out of range 0..9");

    Evaluation e;
    e.labels = data.labels;
    e.predictions.assign(std::size_t(n), 0);
    e.probabilities.assign(std::size_t(n) * kClasses, 0.0f);

    const int chunks = (n + kChunk - 1) / kChunk;
    const int t = std::max(1, std::min(threads > 0 ? threads : ThreadPool::hardwareThreads(), chunks));
    ThreadPool pool(t);
    std::vector<std::vector<float>> inputs(std::size_t(t), std::vector<float>(std::size_t(kChunk) * pixels));
    std::vector<double> chunkLoss(std::size_t(chunks), 0.0);

    int done = 0;
    for (int first = 0; first < chunks; first += t) {
        const int k = std::min(t, chunks - first);
        pool.run(k, [&](int worker) {
            const int c = first + worker;
            const int start = c * kChunk;
            const int m = std::min(kChunk, n - start);
            float* x = inputs[std::size_t(worker)].data();
            const std::uint8_t* src = data.image(start);
            for (std::size_t j = 0, total = std::size_t(m) * pixels; j < total; ++j)
                x[j] = float(src[j]) / 255.0f;
            float* probs = e.probabilities.data() + std::size_t(start) * kClasses;
            model.logits(x, m, probs);
            double loss = 0.0;
            for (int i = 0; i < m; ++i) {
                float* p = probs + std::size_t(i) * kClasses;
                loss += softmaxAndLoss(p, kClasses, e.labels[std::size_t(start + i)]);
                e.predictions[std::size_t(start + i)] = std::uint8_t(argmax(p, kClasses));
            }
            chunkLoss[std::size_t(c)] = loss;
        });
        done = std::min(n, (first + k) * kChunk);
        if (progress && !progress(done, n))
            break;
    }

    if (done < n) {
        e.labels.resize(std::size_t(done));
        e.predictions.resize(std::size_t(done));
        e.probabilities.resize(std::size_t(done) * kClasses);
    }
    // Summed in chunk order, so the result does not depend on the thread count.
    double sum = 0.0;
    for (double l : chunkLoss)
        sum += l;
    e.loss = done > 0 ? sum / done : 0.0;
    return e;
}

Metrics computeMetrics(const std::vector<std::uint8_t>& labels, const std::vector<std::uint8_t>& predictions)
{
    if (labels.size() != predictions.size())
        throw ShapeError("computeMetrics: " + std::to_string(labels.size()) + " labels but " +
                         std::to_string(predictions.size()) + " predictions");
    Metrics m;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] >= kClasses || predictions[i] >= kClasses)
            throw ShapeError("computeMetrics: sample " + std::to_string(i) + " has label " +
                             std::to_string(labels[i]) + " and prediction " + std::to_string(predictions[i]) +
                             ", both must be in 0..9");
        ++m.confusion[labels[i]][predictions[i]];
    }

    const int total = int(labels.size());
    int correct = 0;
    for (int k = 0; k < kClasses; ++k) {
        int row = 0, col = 0;
        for (int j = 0; j < kClasses; ++j) {
            row += m.confusion[k][j];
            col += m.confusion[j][k];
        }
        const int tp = m.confusion[k][k];
        correct += tp;
        ClassMetrics& c = m.perClass[k];
        // Undefined ratios (no predictions, or no samples, of the class) count as 0.
        c.precision = safeDiv(tp, col);
        c.recall = safeDiv(tp, row);
        c.f1 = safeDiv(2.0 * c.precision * c.recall, c.precision + c.recall);
        c.support = row;

        m.macro.precision += c.precision;
        m.macro.recall += c.recall;
        m.macro.f1 += c.f1;
        m.weighted.precision += c.precision * row;
        m.weighted.recall += c.recall * row;
        m.weighted.f1 += c.f1 * row;
    }
    m.macro.precision /= kClasses;
    m.macro.recall /= kClasses;
    m.macro.f1 /= kClasses;
    m.macro.support = total;
    m.weighted.support = total;
    m.weighted.precision = safeDiv(m.weighted.precision, total);
    m.weighted.recall = safeDiv(m.weighted.recall, total);
    m.weighted.f1 = safeDiv(m.weighted.f1, total);
    m.accuracy = safeDiv(correct, total);
    return m;
}

Metrics computeMetrics(const Evaluation& e) { return computeMetrics(e.labels, e.predictions); }

std::vector<Misclassified> misclassified(const Evaluation& e)
{
    std::vector<Misclassified> out;
    const bool haveProbs = e.probabilities.size() >= e.labels.size() * kClasses;
    for (int i = 0; i < e.size() && i < int(e.predictions.size()); ++i) {
        if (e.labels[std::size_t(i)] == e.predictions[std::size_t(i)])
            continue;
        Misclassified m{i, e.labels[std::size_t(i)], e.predictions[std::size_t(i)], 0.0f, {}};
        if (haveProbs) {
            std::copy_n(e.probabilities.data() + std::size_t(i) * kClasses, kClasses, m.probabilities.begin());
            m.confidence = m.probabilities[std::size_t(m.predicted)];
        }
        out.push_back(m);
    }
    return out;  // in index order by construction
}

std::string formatConfusion(const Metrics& m)
{
    const std::string corner = "true\\pred";
    int largest = 0;
    for (const auto& row : m.confusion)
        for (int v : row)
            largest = std::max(largest, v);
    const std::size_t width = std::max<std::size_t>(std::to_string(largest).size(), 1) + 2;

    std::string s = corner;
    for (int k = 0; k < kClasses; ++k)
        s += padLeft(std::to_string(k), width);
    s += '\n';
    for (int t = 0; t < kClasses; ++t) {
        s += padLeft(std::to_string(t), corner.size());
        for (int p = 0; p < kClasses; ++p)
            s += padLeft(std::to_string(m.confusion[t][p]), width);
        s += '\n';
    }
    return s;
}

std::string formatPerClass(const Metrics& m)
{
    constexpr std::size_t first = 12, col = 11;  // "weighted avg" is 12 characters
    const auto line = [&](const std::string& label, const ClassMetrics& c) {
        return padLeft(label, first) + padLeft(fixed4(c.precision), col) + padLeft(fixed4(c.recall), col) +
               padLeft(fixed4(c.f1), col) + padLeft(std::to_string(c.support), col) + "\n";
    };
    std::string s = padLeft("class", first) + padLeft("precision", col) + padLeft("recall", col) +
                    padLeft("f1", col) + padLeft("support", col) + "\n";
    for (int k = 0; k < kClasses; ++k)
        s += line(std::to_string(k), m.perClass[k]);
    s += "\n";
    s += line("macro avg", m.macro);
    s += line("weighted avg", m.weighted);
    s += padLeft("accuracy", first) + std::string(2 * col, ' ') + padLeft(fixed4(m.accuracy), col) +
         padLeft(std::to_string(m.macro.support), col) + "\n";
    return s;
}

std::string metricsJson(const Metrics& m, double loss)
{
    const auto cls = [](const ClassMetrics& c) {
        return "\"precision\":" + json(c.precision) + ",\"recall\":" + json(c.recall) + ",\"f1\":" + json(c.f1) +
               ",\"support\":" + std::to_string(c.support);
    };
    std::string s = "{\"accuracy\":" + json(m.accuracy) + ",\"loss\":" + json(loss) + ",\"confusion\":[";
    for (int t = 0; t < kClasses; ++t) {
        s += t ? ",[" : "[";
        for (int p = 0; p < kClasses; ++p) {
            if (p)
                s += ',';
            s += std::to_string(m.confusion[t][p]);
        }
        s += "]";
    }
    s += "],\"per_class\":[";
    for (int k = 0; k < kClasses; ++k) {
        if (k)
            s += ',';
        s += "{\"class\":" + std::to_string(k) + "," + cls(m.perClass[k]) + "}";
    }
    s += "],\"macro\":{" + cls(m.macro) + "},\"weighted\":{" + cls(m.weighted) + "}}";
    return s;
}

}  // namespace nn
