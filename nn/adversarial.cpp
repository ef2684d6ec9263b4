#include "adversarial.h"
#include "random.h"

#include "data/dataset.h"
#include "errors.h"
#include "gradient.h"
#include "model.h"
#include "parallel.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace nn {

std::string AttackOptions::describe() const
{
    std::string s = steps <= 1 ? "FGSM" : "PGD";
    s += norm == AttackNorm::Linf ? " L-inf" : " L2";
    if (steps > 1) {
        s += " (" + std::to_string(steps) + " steps";
        if (randomStart)
            s += ", random start";
        s += ")";
    }
    s += target >= 0 ? ", toward " + std::to_string(target) : ", untargeted";
    return s;
}

namespace {

void checkOptions(const Model& model, float eps, const AttackOptions& o)
{
    if (!(eps >= 0) || !std::isfinite(eps))
        throw ShapeError("attack: eps must be a finite number >= 0, got " + std::to_string(eps));
    if (o.steps < 1 || o.steps > 10000)
        throw ShapeError("attack: steps must be 1..10000, got " + std::to_string(o.steps));
    if (!(o.stepSize >= 0) || !std::isfinite(o.stepSize))
        throw ShapeError("attack: step size must be >= 0, got " + std::to_string(o.stepSize));
    if (o.target >= model.outputs())
        throw ShapeError("attack: class " + std::to_string(o.target) + " requested, the model has " +
                         std::to_string(model.outputs()) + " outputs");
}

int argmax(const float* z, int n) { return int(std::max_element(z, z + n) - z); }

// The margin's gradient seed for one sample: +1 on the class to raise, -1 on
// the class to lower.
void marginSeed(const float* z, int classes, int target, int away, float* seed)
{
    std::fill(seed, seed + classes, 0.0f);
    if (target >= 0) {
        int rival = -1;
        for (int j = 0; j < classes; ++j)
            if (j != target && (rival < 0 || z[j] > z[rival]))
                rival = j;
        seed[target] += 1.0f;
        if (rival >= 0)
            seed[rival] -= 1.0f;
    } else {
        int best = -1;
        for (int j = 0; j < classes; ++j)
            if (j != away && (best < 0 || z[j] > z[best]))
                best = j;
        if (best >= 0)
            seed[best] += 1.0f;
        seed[away] -= 1.0f;
    }
}

// x + delta within the eps-ball around x0 and within [0, 1].
void project(const float* x0, float* x, int S, float eps, AttackNorm norm)
{
    if (norm == AttackNorm::Linf) {
        for (int i = 0; i < S; ++i)
            x[i] = std::clamp(x[i], x0[i] - eps, x0[i] + eps);
    } else {
        double n2 = 0;
        for (int i = 0; i < S; ++i)
            n2 += double(x[i] - x0[i]) * (x[i] - x0[i]);
        const double n = std::sqrt(n2);
        if (n > eps) {
            const float k = float(eps / n);
            for (int i = 0; i < S; ++i)
                x[i] = x0[i] + (x[i] - x0[i]) * k;
        }
    }
    // Clipping to the box moves each pixel toward x0 (which is inside it), so
    // the result stays inside the ball.
    for (int i = 0; i < S; ++i)
        x[i] = std::clamp(x[i], 0.0f, 1.0f);
}

}  // namespace

void attackBatch(InputGradient& grad, const float* x, int n, const int* away, float eps, const AttackOptions& o,
                 float* out)
{
    const Model& model = grad.model();
    checkOptions(model, eps, o);
    const int S = model.inputShape().size(), classes = model.outputs();
    std::copy(x, x + std::size_t(n) * S, out);
    if (eps == 0 || n == 0)
        return;
    const float step = o.steps <= 1 ? eps : (o.stepSize > 0 ? o.stepSize : 2.5f * eps / float(o.steps));
    if (o.randomStart) {
        SplitMix64 rng{o.seed};  // random.h: the same start on every CPU level
        for (int i = 0; i < n; ++i) {
            float* xi = out + std::size_t(i) * S;
            if (o.norm == AttackNorm::Linf) {
                for (int k = 0; k < S; ++k)
                    xi[k] += rng.uniform(-eps, eps);
            } else {
                // A random direction, at a uniform random radius.
                std::vector<float> d(static_cast<std::size_t>(S));
                double n2 = 0;
                for (float& v : d) {
                    v = rng.normal(0.0f, 1.0f);
                    n2 += double(v) * v;
                }
                const float r = rng.uniform(0.0f, eps) / float(std::sqrt(n2));
                for (int k = 0; k < S; ++k)
                    xi[k] += d[std::size_t(k)] * r;
            }
            project(x + std::size_t(i) * S, xi, S, eps, o.norm);
        }
    }
    std::vector<float> z(std::size_t(n) * classes), seed(std::size_t(n) * classes), g(std::size_t(n) * S);
    for (int t = 0; t < o.steps; ++t) {
        // One forward for the logits the seeds depend on, one for the gradient.
        model.logits(out, n, z.data());
        for (int i = 0; i < n; ++i)
            marginSeed(z.data() + std::size_t(i) * classes, classes, o.target, away[i],
                       seed.data() + std::size_t(i) * classes);
        grad.compute(out, n, seed.data(), nullptr, g.data());
        for (int i = 0; i < n; ++i) {
            float* xi = out + std::size_t(i) * S;
            const float* gi = g.data() + std::size_t(i) * S;
            if (o.norm == AttackNorm::Linf) {
                for (int k = 0; k < S; ++k)
                    xi[k] += step * float((gi[k] > 0) - (gi[k] < 0));
            } else {
                double n2 = 0;
                for (int k = 0; k < S; ++k)
                    n2 += double(gi[k]) * gi[k];
                if (n2 > 0) {
                    const float k2 = float(step / std::sqrt(n2));
                    for (int k = 0; k < S; ++k)
                        xi[k] += gi[k] * k2;
                }
            }
            project(x + std::size_t(i) * S, xi, S, eps, o.norm);
        }
    }
}

AttackResult attack(const Model& model, const float* input, float eps, const AttackOptions& o)
{
    checkOptions(model, eps, o);
    const int S = model.inputShape().size(), classes = model.outputs();
    AttackResult r;
    r.eps = eps;
    std::vector<float> z(static_cast<std::size_t>(classes));
    model.logits(input, 1, z.data());
    r.original = argmax(z.data(), classes);
    r.adversarial.resize(std::size_t(S));
    InputGradient grad(model);
    attackBatch(grad, input, 1, &r.original, eps, o, r.adversarial.data());
    r.perturbation.resize(std::size_t(S));
    double l2 = 0;
    for (int i = 0; i < S; ++i) {
        const float d = r.adversarial[std::size_t(i)] - input[i];
        r.perturbation[std::size_t(i)] = d;
        r.linf = std::max(r.linf, double(std::abs(d)));
        l2 += double(d) * d;
    }
    r.l2 = std::sqrt(l2);
    r.probabilities.resize(std::size_t(classes));
    model.predict(r.adversarial.data(), 1, r.probabilities.data());
    r.answer = argmax(r.probabilities.data(), classes);
    r.success = o.target >= 0 ? r.answer == o.target : r.answer != r.original;
    return r;
}

SmallestEpsilon smallestEpsilon(const Model& model, const float* input, const AttackOptions& o, float maxEps,
                                float tolerance)
{
    if (!(maxEps > 0) || !std::isfinite(maxEps))
        throw ShapeError("smallest eps: the largest eps must be > 0, got " + std::to_string(maxEps));
    if (!(tolerance > 0 && tolerance < 1))
        throw ShapeError("smallest eps: tolerance must be in (0, 1), got " + std::to_string(tolerance));
    SmallestEpsilon s;
    AttackResult at0 = attack(model, input, 0.0f, o);
    ++s.attacks;
    if (at0.success) {  // already the target
        s.found = true;
        s.result = std::move(at0);
        return s;
    }
    const int scan = 16;
    float lo = 0, hi = -1;
    AttackResult best;
    for (int k = 1; k <= scan; ++k) {
        const float e = maxEps * float(k) / float(scan);
        AttackResult r = attack(model, input, e, o);
        ++s.attacks;
        if (r.success) {
            hi = e;
            best = std::move(r);
            break;
        }
        lo = e;
        if (k == scan)
            best = std::move(r);
    }
    if (hi < 0) {
        s.below = lo;
        s.eps = maxEps;
        s.result = std::move(best);
        return s;
    }
    while (hi - lo > tolerance * hi) {
        const float mid = 0.5f * (lo + hi);
        AttackResult r = attack(model, input, mid, o);
        ++s.attacks;
        if (r.success) {
            hi = mid;
            best = std::move(r);
        } else {
            lo = mid;
        }
    }
    s.found = true;
    s.eps = hi;
    s.below = lo;
    s.result = std::move(best);
    return s;
}

RobustnessCurve accuracyAgainstEpsilon(const Model& model, const Dataset& data, const std::vector<float>& eps,
                                       AttackOptions o, int maxSamples, const std::function<void(int, int)>& progress,
                                       const std::atomic<bool>* cancel, int threads)
{
    if (data.pixels() != model.inputShape().size())
        throw ShapeError("accuracy against eps: the data's images have " + std::to_string(data.pixels()) +
                         " pixels, the model takes " + std::to_string(model.inputShape().size()));
    o.target = -1;
    RobustnessCurve c;
    c.samples = maxSamples > 0 ? std::min(maxSamples, data.size()) : data.size();
    const int S = data.pixels(), classes = model.outputs(), chunk = 64;
    const int chunks = (c.samples + chunk - 1) / chunk;
    const int T = std::max(1, std::min(threads > 0 ? threads : ThreadPool::hardwareThreads(), std::max(1, chunks)));
    ThreadPool pool(T);
    struct Worker {
        std::unique_ptr<InputGradient> grad;
        std::vector<float> x, adv, z;
        std::vector<int> labels;
        long long correct = 0;
    };
    std::vector<Worker> workers(static_cast<std::size_t>(T));
    for (Worker& w : workers) {
        w.grad = std::make_unique<InputGradient>(model);
        w.x.resize(std::size_t(chunk) * S);
        w.adv.resize(std::size_t(chunk) * S);
        w.z.resize(std::size_t(chunk) * classes);
        w.labels.resize(std::size_t(chunk));
    }
    std::atomic<bool> stopped{false};
    for (std::size_t e = 0; e < eps.size(); ++e) {
        pool.run(T, [&](int t) {
            Worker& w = workers[std::size_t(t)];
            w.correct = 0;
            // Chunk k goes to thread k mod T: the same images whatever T is.
            for (int k = t; k < chunks; k += T) {
                if (cancel && cancel->load(std::memory_order_relaxed)) {
                    stopped = true;
                    return;
                }
                const int i0 = k * chunk, n = std::min(chunk, c.samples - i0);
                for (int j = 0; j < n; ++j) {
                    data.imageAsFloat(i0 + j, w.x.data() + std::size_t(j) * S);
                    w.labels[std::size_t(j)] = data.labels[std::size_t(i0 + j)];
                }
                attackBatch(*w.grad, w.x.data(), n, w.labels.data(), eps[e], o, w.adv.data());
                model.logits(w.adv.data(), n, w.z.data());
                for (int j = 0; j < n; ++j)
                    w.correct += argmax(w.z.data() + std::size_t(j) * classes, classes) == w.labels[std::size_t(j)];
            }
        });
        if (stopped) {
            c.cancelled = true;
            return c;
        }
        long long correct = 0;
        for (const Worker& w : workers)
            correct += w.correct;
        c.eps.push_back(eps[e]);
        c.accuracy.push_back(c.samples > 0 ? double(correct) / c.samples : 0.0);
        if (progress)
            progress(int(e + 1), int(eps.size()));
    }
    return c;
}

}  // namespace nn
