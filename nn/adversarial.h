#pragma once
// Adversarial examples: the smallest change of a drawing that changes the
// model's answer.
//  - FGSM (Goodfellow et al. 2015, "Explaining and Harnessing Adversarial
//    Examples"): one step of size eps along the sign of the input gradient
//    (L-infinity), or along the gradient scaled to length eps (L2, the "fast
//    gradient method").
//  - PGD (Madry et al. 2018, "Towards Deep Learning Models Resistant to
//    Adversarial Attacks"): `steps` such steps of size `stepSize`, each
//    followed by the projection back onto the eps-ball around the input;
//    optionally from a seeded random point of the ball.
// The objective is the logit margin (Carlini & Wagner 2017): toward a target
// t it is z_t - max_{j != t} z_j, away from a class c it is
// max_{j != c} z_j - z_c; the answer has changed when it is > 0. Every image
// is clipped to [0, 1], the range of a drawing after preprocessing.
// Gradients come from the engine's backward pass (gradient.h).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nn {

class Model;
class InputGradient;
struct Dataset;

enum class AttackNorm { Linf, L2 };

struct AttackOptions {
    AttackNorm norm = AttackNorm::Linf;
    int steps = 1;          // 1: FGSM; more: PGD
    float stepSize = 0;     // PGD's step; 0: 2.5 * eps / steps (Madry et al.)
    int target = -1;        // the class to reach; -1: untargeted (away from the current answer)
    bool randomStart = false;
    std::uint64_t seed = 1; // of the random start
    std::string describe() const;  // "FGSM L-inf", "PGD L2 (10 steps, random start), toward 3"
};

struct AttackResult {
    float eps = 0;
    int original = -1;                // the answer for the input
    int answer = -1;                  // the answer for the adversarial image
    bool success = false;             // the target reached / the answer changed
    std::vector<float> adversarial;   // the perturbed image, in [0, 1]
    std::vector<float> perturbation;  // adversarial - input
    std::vector<float> probabilities; // of the adversarial image
    double linf = 0, l2 = 0;          // norms of the perturbation
};

// Throws ShapeError on eps < 0, steps < 1 or a target outside the classes.
AttackResult attack(const Model& model, const float* input, float eps, const AttackOptions& options = {});

// Attacks n images at once. away[i]: the class image i must leave when
// untargeted (its label or current answer); options.target, when >= 0,
// applies to all. out: n adversarial images.
void attackBatch(InputGradient& grad, const float* x, int n, const int* away, float eps,
                 const AttackOptions& options, float* out);

struct SmallestEpsilon {
    bool found = false;     // false: no eps <= maxEps changes the answer
    float eps = 0;          // the smallest found (upper end of the final bracket)
    float below = 0;        // the largest eps tried that did not succeed
    int attacks = 0;        // attacks run
    AttackResult result;    // at eps (at maxEps when not found)
};

// Scans eps = maxEps * k / 16 for the first success, then bisects between
// that and the previous point until they are within `tolerance` (relative)
// of each other. Deterministic (random starts are seeded).
SmallestEpsilon smallestEpsilon(const Model& model, const float* input, const AttackOptions& options,
                                float maxEps = 0.5f, float tolerance = 0.01f);

struct RobustnessCurve {
    std::vector<float> eps;
    std::vector<double> accuracy;  // fraction of the samples still classified correctly
    int samples = 0;
    bool cancelled = false;
};

// Untargeted attacks (away from each image's true label) at each eps on the
// first `maxSamples` images of `data` (0: all), on `threads` threads (0: all
// hardware threads; the result does not depend on it). progress(done,
// total) counts eps values; cancel is checked between batches.
RobustnessCurve accuracyAgainstEpsilon(const Model& model, const Dataset& data, const std::vector<float>& eps,
                                       AttackOptions options, int maxSamples = 0,
                                       const std::function<void(int, int)>& progress = {},
                                       const std::atomic<bool>* cancel = nullptr, int threads = 1);

}  // namespace nn
