#pragma once
// What the Robustness page decides, in plain code a test checks without a
// window: the lab's settings as nn::AttackOptions, the amplification of a
// perturbation for display, the sentences the lab and the curves show, and
// the radii the test-set curve is measured at.
#include <nn/adversarial.h>

#include <QString>

#include <vector>

namespace app {

enum class AttackMethod { Fgsm, Pgd };

struct LabSettings {
    AttackMethod method = AttackMethod::Fgsm;
    nn::AttackNorm norm = nn::AttackNorm::Linf;
    int target = -1;  // -1: away from the current answer; 0..9: toward that class
    float eps = 0.1f;
    int pgdSteps = 10;

    // FGSM: one step; PGD: pgdSteps steps of 2.5 eps / steps from the input
    // itself (no random start), so the same settings give the same image.
    nn::AttackOptions options() const;
    // The largest eps the slider and the smallest-eps search go to.
    float maxEps() const { return maxEps(norm); }
    static float maxEps(nn::AttackNorm norm);
};

// How a perturbation is shown: multiplied by `factor` (1, 2, 5, 10, 20, ...:
// the largest such that the largest |delta| still fits the colour scale),
// coloured blue (negative) - grey - orange (positive).
struct Amplification {
    float factor = 1;
    float maxAbs = 0;  // the largest |delta| of the perturbation
};
Amplification amplification(const std::vector<float>& perturbation);

// "L∞" or "L2".
QString normName(nn::AttackNorm norm);
// "×10, max |δ| = 0.083"
QString amplificationText(const Amplification& a);
// "The answer changes from 7 to 3 at ε = 0.083 (L∞)", "Not changed up to
// ε = 0.5 (L∞)", "Reaches 3 at ...", "Does not reach 3 up to ...".
QString smallestEpsilonText(const nn::SmallestEpsilon& s, const LabSettings& settings);
// The radii of the test-set curve: 0 first, increasing.
std::vector<float> curveEpsilons(nn::AttackNorm norm);

}  // namespace app
