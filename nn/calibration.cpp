#include "calibration.h"

#include "errors.h"
#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nn {

int calibrationBin(float confidence, int bins)
{
    // (m/M, (m+1)/M]: ceil(c*M) - 1, with 0 going to the first bin. Computed
    // in float: 0.8f is slightly above 0.8, but 0.8f * 5 rounds to exactly 4,
    // so a confidence written as k/M lands in bin k-1 as one would expect.
    const float c = std::clamp(confidence, 0.0f, 1.0f);
    const int b = int(std::ceil(c * float(bins))) - 1;
    return std::clamp(b, 0, bins - 1);
}

Calibration calibration(const std::vector<float>& confidences, const std::vector<std::uint8_t>& correct, int bins)
{
    if (bins < 1)
        throw ShapeError("calibration: need at least one bin, got " + std::to_string(bins));
    if (confidences.size() != correct.size())
        throw ShapeError("calibration: " + std::to_string(confidences.size()) + " confidences but " +
                         std::to_string(correct.size()) + " correctness flags");
    Calibration cal;
    cal.bins.resize(std::size_t(bins));
    std::vector<double> confSum(std::size_t(bins), 0.0);
    for (int b = 0; b < bins; ++b) {
        cal.bins[std::size_t(b)].lower = double(b) / bins;
        cal.bins[std::size_t(b)].upper = double(b + 1) / bins;
    }
    double allConf = 0;
    int allCorrect = 0;
    for (std::size_t i = 0; i < confidences.size(); ++i) {
        const double c = std::clamp(double(confidences[i]), 0.0, 1.0);
        const int b = calibrationBin(confidences[i], bins);
        ReliabilityBin& bin = cal.bins[std::size_t(b)];
        ++bin.count;
        bin.correct += correct[i] ? 1 : 0;
        confSum[std::size_t(b)] += c;
        allConf += c;
        allCorrect += correct[i] ? 1 : 0;
    }
    cal.total = int(confidences.size());
    for (int b = 0; b < bins; ++b) {
        ReliabilityBin& bin = cal.bins[std::size_t(b)];
        if (bin.count == 0)
            continue;
        bin.meanConfidence = confSum[std::size_t(b)] / bin.count;
        bin.accuracy = double(bin.correct) / bin.count;
        const double gap = std::abs(bin.accuracy - bin.meanConfidence);
        cal.ece += double(bin.count) / cal.total * gap;
        cal.mce = std::max(cal.mce, gap);
    }
    if (cal.total > 0) {
        cal.meanConfidence = allConf / cal.total;
        cal.accuracy = double(allCorrect) / cal.total;
    }
    return cal;
}

Calibration calibration(const Evaluation& e, int bins)
{
    const int n = e.size();
    if (e.probabilities.size() != std::size_t(n) * kClasses || e.predictions.size() != std::size_t(n))
        throw ShapeError("calibration: the evaluation has " + std::to_string(n) + " labels, " +
                         std::to_string(e.predictions.size()) + " predictions and " +
                         std::to_string(e.probabilities.size()) + " probabilities");
    std::vector<float> conf(static_cast<std::size_t>(n));
    std::vector<std::uint8_t> ok(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const float* p = e.probabilities.data() + std::size_t(i) * kClasses;
        conf[std::size_t(i)] = *std::max_element(p, p + kClasses);
        ok[std::size_t(i)] = e.predictions[std::size_t(i)] == e.labels[std::size_t(i)];
    }
    return calibration(conf, ok, bins);
}

double temperatureNll(const float* logits, const std::uint8_t* labels, int n, int classes, double temperature)
{
    const double beta = 1.0 / temperature;
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        const float* z = logits + std::size_t(i) * std::size_t(classes);
        const double m = beta * double(*std::max_element(z, z + classes));
        double s = 0;
        for (int k = 0; k < classes; ++k)
            s += std::exp(beta * double(z[k]) - m);
        sum += m + std::log(s) - beta * double(z[labels[i]]);
    }
    return n > 0 ? sum / n : 0.0;
}

double fitTemperature(const float* logits, const std::uint8_t* labels, int n, int classes)
{
    if (n < 1 || classes < 2)
        throw ShapeError("fitTemperature: need at least one sample and two classes, got " + std::to_string(n) +
                         " samples of " + std::to_string(classes) + " classes");
    for (int i = 0; i < n; ++i)
        if (labels[i] >= classes)
            throw ShapeError("fitTemperature: label " + std::to_string(int(labels[i])) + " of sample " +
                             std::to_string(i) + " is not below " + std::to_string(classes));
    // Golden-section search on u = log T: the NLL is convex in 1/T, hence
    // unimodal in log T.
    const double g = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = std::log(0.05), b = std::log(20.0);
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = temperatureNll(logits, labels, n, classes, std::exp(c));
    double fd = temperatureNll(logits, labels, n, classes, std::exp(d));
    while (b - a > 1e-5) {
        if (fc < fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = temperatureNll(logits, labels, n, classes, std::exp(c));
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = temperatureNll(logits, labels, n, classes, std::exp(d));
        }
    }
    return std::exp((a + b) / 2);
}

Calibration calibrationAtTemperature(const Evaluation& e, double temperature, int bins)
{
    if (!(temperature > 0))
        throw ShapeError("calibrationAtTemperature: the temperature must be positive, got " + std::to_string(temperature));
    Evaluation scaled = e;
    const int n = std::min(e.size(), int(e.probabilities.size() / kClasses));
    for (int i = 0; i < n; ++i) {
        float* p = scaled.probabilities.data() + std::size_t(i) * kClasses;
        double z[kClasses];
        double m = -1e300;
        for (int k = 0; k < kClasses; ++k) {
            z[k] = std::log(std::max(double(p[k]), 1e-30)) / temperature;
            m = std::max(m, z[k]);
        }
        double s = 0;
        for (double& v : z)
            s += (v = std::exp(v - m));
        for (int k = 0; k < kClasses; ++k)
            p[k] = float(z[k] / s);
    }
    return calibration(scaled, bins);
}

}  // namespace nn
