#pragma once
// "Why this answer": which pixels pushed the prediction towards a class.
// Occlusion sensitivity (Zeiler & Fergus 2014, "Visualizing and Understanding
// Convolutional Networks", section 4.2): slide a patch of background over the
// input and record how much the class's evidence drops with each part hidden.
// Evidence is the class's log-odds, log p_k - log(1 - p_k), computed from the
// logits: unlike the probability it does not saturate at 0.9999, so a very
// confident prediction still gets an informative map.
// It needs nothing but Model::logits, so it works on any model and is
// thread-safe like predict.
#include <vector>

namespace nn {

class Model;

struct SaliencyOptions {
    int patch = 4;       // side of the square occluder, pixels
    int stride = 2;      // step between occluder positions (the last row/column is always covered)
    float fill = 0.0f;   // what the occluder paints: 0 is MNIST's background
    int target = -1;     // class to explain; -1: the predicted (top) class
};

struct SaliencyMap {
    int w = 0, h = 0;
    int target = -1;                 // the class explained
    std::vector<float> probabilities;  // of the unoccluded input (model.outputs() values)
    // w*h, per pixel: the mean drop in the target's log-odds over the occluder
    // positions covering it. > 0: that region pushed towards the target class;
    // < 0: it pushed away from it.
    std::vector<float> values;
    float maxAbs = 0;                // largest |value|, for display scaling
    int evaluated = 0;               // occluded inputs run through the model
};

// input: one sample of model.inputShape() (channels are occluded together).
// Throws ShapeError on bad options or a target outside the model's classes.
SaliencyMap occlusionSaliency(const Model& model, const float* input, const SaliencyOptions& options = {});

// log p_k - log(sum_{j != k} p_j) from logits, stable for large logits.
double logOdds(const float* logits, int classes, int k);

}  // namespace nn
