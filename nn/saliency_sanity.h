#pragma once
// The model-randomisation sanity check of Adebayo et al. 2018, "Sanity Checks
// for Saliency Maps" (section 3, cascading randomisation): re-initialise the
// model's weights layer by layer from the top (the output layer) down and
// compare each step's map with the trained model's by the Spearman rank
// correlation of their absolute values. A map that explains the model must
// change as the model is destroyed; one that stays the same (an edge
// detector of the input would) says nothing about the model, and the check
// labels it failing.
#include "saliency.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nn {

class Model;

// A saliency method as the check sees it: the map (w*h values) of `target`
// for `input` under `model`.
using SaliencyFunction = std::function<std::vector<float>(const Model& model, const float* input, int target)>;
SaliencyFunction saliencyFunction(SaliencyMethod method, const SaliencyOptions& options = {});

// Spearman's rank correlation (average ranks for ties); 0 when either side
// is constant. a and b have the same size.
double spearman(const std::vector<float>& a, const std::vector<float>& b);

struct SanityStep {
    int layer = -1;          // spec index of the layer randomised at this step (with all above it)
    std::string spec;        // that layer, e.g. "dense 10"
    double correlation = 0;  // Spearman of |map| with the trained model's |map|
    // The same over the pixels with ink (input != 0) only. Maps multiplied
    // by the input (gradient x input, integrated gradients from black) are 0
    // on the whole background for any model, and those tied zeros alone hold
    // `correlation` near 1; this says whether the map changes where it can.
    double inkCorrelation = 0;
};

struct SanityReport {
    int target = -1;                 // the class explained (the trained model's answer by default)
    std::vector<SanityStep> steps;   // top layer first; the last has every layer randomised
    double threshold = 0;            // the final correlation must fall below this to pass
    bool passed = false;
    bool cancelled = false;          // stopped early: steps holds those done
};

struct SanityOptions {
    std::uint64_t seed = 1;          // of the random re-initialisation
    int target = -1;                 // -1: the trained model's top class
    // Adebayo et al. find that maps which depend on the model fall to a rank
    // correlation near 0 once all layers are random; maps that only echo
    // the input stay near 1. Half-way between is the line drawn here.
    double threshold = 0.5;
};

// The layers the cascade re-initialises: those with weights (conv, dense),
// in spec order.
std::vector<int> randomisableLayers(const Model& model);

// progress(stepsDone, stepsTotal) after each step; cancel (may be nullptr)
// is checked between steps. Throws what `method` throws.
SanityReport cascadingRandomisation(const Model& model, const float* input, const SaliencyFunction& method,
                                    const SanityOptions& options = {},
                                    const std::function<void(int, int)>& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

}  // namespace nn
