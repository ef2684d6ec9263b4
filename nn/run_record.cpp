#include "run_record.h"

#include "cpu.h"

#include "session.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <sstream>

namespace nn {

std::string utcNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

// Keeps every `stride`-th value; when `max` are kept, drops every second one
// and doubles the stride.
template <typename T>
void thinPush(std::vector<T>& v, const T& value, std::size_t max, long long& stride, long long& seen)
{
    const long long n = seen++;
    if (n % stride != 0)
        return;
    v.push_back(value);
    if (v.size() >= max && max >= 2) {
        std::size_t w = 0;
        for (std::size_t i = 0; i < v.size(); i += 2)
            v[w++] = v[i];
        v.resize(w);
        stride *= 2;
    }
}

}  // namespace

void appendContinuation(RunRecord& run, const RunRecord& next)
{
    const double images = run.imagesPerSecond * run.trainSeconds + next.imagesPerSecond * next.trainSeconds;
    run.status = next.status;
    run.message = next.message;
    run.epochsCompleted = next.epochsCompleted;
    run.steps = next.steps;
    run.valAccuracy = next.valAccuracy;
    run.bestValAccuracy = next.bestValAccuracy;
    run.bestValLoss = next.bestValLoss;
    run.testAccuracy = next.testAccuracy;
    run.testLoss = next.testLoss;
    if (next.userHeldOut > 0) {
        run.userHeldOut = next.userHeldOut;
        run.userAfter = next.userAfter;
    }
    if (!next.classError.empty()) {
        run.classErrorSet = next.classErrorSet;
        run.classError = next.classError;
    }
    run.seconds += next.seconds;
    run.trainSeconds += next.trainSeconds;
    run.imagesPerSecond = run.trainSeconds > 0 ? images / run.trainSeconds : next.imagesPerSecond;
    run.epochCurve.insert(run.epochCurve.end(), next.epochCurve.begin(), next.epochCurve.end());
    run.batchCurve.insert(run.batchCurve.end(), next.batchCurve.begin(), next.batchCurve.end());
    run.latencyMs.insert(run.latencyMs.end(), next.latencyMs.begin(), next.latencyMs.end());
}

std::string RunRecord::setting(const std::string& key, const std::string& fallback) const
{
    std::istringstream words(settings);
    std::string w;
    const std::string prefix = key + "=";
    while (words >> w)
        if (w.compare(0, prefix.size(), prefix) == 0)
            return w.substr(prefix.size());
    return fallback;
}

std::string RunRecord::label() const
{
    std::string s = "#";
    s += std::to_string(id);
    for (const auto& [key, name] : {std::pair<const char*, const char*>{"opt", ""}, {"lr", "lr "}, {"batch", "batch "}}) {
        const std::string v = setting(key);
        if (!v.empty()) {
            s += ' ';
            s += name;
            s += v;
        }
    }
    return s;
}

RunRecorder::RunRecorder(std::size_t maxBatchPoints) : m_max(std::max<std::size_t>(2, maxBatchPoints))
{
    m_record.startedAt = utcNow();
}

void RunRecorder::started(const SessionInfo& info, const std::string& settingsLine)
{
    RunRecord& r = m_record;
    r.spec = info.spec;
    r.parameters = info.parameters;
    r.settings = settingsLine;
    r.data = toString(info.data);
    r.dataDir = info.dataDir;
    r.dataCrc = r.setting("data_crc");
    r.trainSize = info.trainSize;
    r.validationSize = info.validationSize;
    r.testSize = info.testSize;
    r.threads = info.threads;
    // The engine level that ran (and what the CPU has): front ends that
    // know the CPU's name put it in front.
    r.cpu = cpu::summary();
    r.epochs = info.epochs;
    r.fineTune = info.fineTune;
    r.resumed = info.resumed;
}

void RunRecorder::batch(const BatchReport& b)
{
    thinPush(m_record.batchCurve, RunBatchPoint{b.step, b.epoch, b.loss, b.accuracy, b.lr}, m_max, m_stride, m_seen);
}

void RunRecorder::epoch(const EpochReport& e) { m_record.epochCurve.push_back(e); }

void RunRecorder::classErrors(const Metrics& m, const std::string& set)
{
    m_record.classErrorSet = set;
    m_record.classError.assign(kClasses, -1.0);
    for (int k = 0; k < kClasses; ++k) {
        const int support = m.perClass[std::size_t(k)].support;
        if (support > 0)
            m_record.classError[std::size_t(k)] = 1.0 - double(m.confusion[std::size_t(k)][std::size_t(k)]) / support;
    }
}

void thinAppend(std::vector<double>& samples, double value, std::size_t max, long long& stride, long long& seen)
{
    thinPush(samples, value, std::max<std::size_t>(2, max), stride, seen);
}

double percentile(std::vector<double> s, double p)
{
    if (s.empty())
        return -1;
    std::sort(s.begin(), s.end());
    const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * double(s.size() - 1);
    const auto lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(s.size() - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - double(lo));
}

}  // namespace nn
