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
//
// The gradient methods explain the target's logit z_k and take the input
// gradient from the engine's backward pass (gradient.h):
//  - Gradient (Simonyan et al. 2014, "Deep Inside Convolutional Networks"):
//    dz_k/dx per pixel.
//  - Gradient x input (Shrikumar et al. 2016): x * dz_k/dx.
//  - Integrated gradients (Sundararajan et al. 2017, "Axiomatic Attribution
//    for Deep Networks"): (x - x') times the mean gradient along the straight
//    path from the baseline x' (black) to x, by the midpoint rule.
//    Completeness: the attributions sum to z_k(x) - z_k(x'); the map reports
//    how far the sum is from that, relative to it. ReLU and max-pool make the
//    integrand jump along the path, so the rule converges only like 1/N: on
//    the default model 32 points leave errors of up to 13 %, hence the
//    refinement until the error is below 1 % (SaliencyOptions).
//  - Grad-CAM (Selvaraju et al. 2017): the last convolution's feature maps
//    (after its batchnorm/activation), weighted by the spatial mean of
//    dz_k/dA per channel, summed, rectified and upsampled to the input.
// These are thread-safe too (each call builds its own InputGradient).
#include <limits>
#include <string>
#include <vector>

namespace nn {

class Model;

struct SaliencyOptions {
    int patch = 4;       // side of the square occluder, pixels
    int stride = 2;      // step between occluder positions (the last row/column is always covered)
    float fill = 0.0f;   // what the occluder paints: 0 is MNIST's background
    int target = -1;     // class to explain; -1: the predicted (top) class
    // Integrated gradients: points on the path to start with. While the
    // completeness error is above `completeness`, the points are tripled
    // (the midpoints of N steps are among those of 3N, so none is computed
    // twice), up to `maxSteps`. completeness 0: exactly `steps` points.
    int steps = 32;
    double completeness = 0.01;
    int maxSteps = 1000;
};

enum class SaliencyMethod { Occlusion, Gradient, GradientTimesInput, IntegratedGradients, GradCam };
inline constexpr SaliencyMethod kSaliencyMethods[] = {SaliencyMethod::Occlusion, SaliencyMethod::Gradient,
                                                       SaliencyMethod::GradientTimesInput,
                                                       SaliencyMethod::IntegratedGradients, SaliencyMethod::GradCam};
// "occlusion", "gradient", "gradient-x-input", "integrated-gradients", "grad-cam".
const char* saliencyMethodKey(SaliencyMethod method);
// English name for display ("Integrated gradients"); the GUI translates it.
const char* saliencyMethodName(SaliencyMethod method);
// Throws ShapeError listing the keys when `key` is none of them.
SaliencyMethod saliencyMethodFromKey(const std::string& key);
// Whether `method` can explain `model` (Grad-CAM needs a convolution); when
// not, `why` says so.
bool saliencyApplies(const Model& model, SaliencyMethod method, std::string* why = nullptr);

struct SaliencyMap {
    int w = 0, h = 0;
    int target = -1;                 // the class explained
    std::vector<float> probabilities;  // of the unoccluded input (model.outputs() values)
    // w*h, per pixel. Occlusion: the mean drop in the target's log-odds over
    // the occluder positions covering it. Gradient: dz_k/dx. Gradient x input
    // and integrated gradients: the pixel's share of z_k. Grad-CAM: >= 0,
    // the class-weighted feature maps. > 0: that region pushed towards the
    // target class; < 0: it pushed away from it.
    std::vector<float> values;
    float maxAbs = 0;                // largest |value|, for display scaling
    int evaluated = 0;               // inputs run through the model (occlusion; integrated gradients: path points)
    SaliencyMethod method = SaliencyMethod::Occlusion;
    // Integrated gradients only (otherwise NaN): the attributions' sum,
    // z_k(x) - z_k(baseline), and |sum - difference| / |difference|.
    double attributionSum = std::numeric_limits<double>::quiet_NaN();
    double logitDifference = std::numeric_limits<double>::quiet_NaN();
    double completenessError = std::numeric_limits<double>::quiet_NaN();
};

// input: one sample of model.inputShape() (channels are occluded together).
// Throws ShapeError on bad options or a target outside the model's classes.
SaliencyMap occlusionSaliency(const Model& model, const float* input, const SaliencyOptions& options = {});
SaliencyMap gradientSaliency(const Model& model, const float* input, const SaliencyOptions& options = {});
SaliencyMap gradientTimesInput(const Model& model, const float* input, const SaliencyOptions& options = {});
SaliencyMap integratedGradients(const Model& model, const float* input, const SaliencyOptions& options = {});
// Throws ShapeError when the model has no convolution.
SaliencyMap gradCam(const Model& model, const float* input, const SaliencyOptions& options = {});
// The one entry point: the method's function above.
SaliencyMap computeSaliency(const Model& model, const float* input, SaliencyMethod method,
                            const SaliencyOptions& options = {});

// Grad-CAM's feature layer: the spec index of the last convolution's output
// after the batchnorm/activation/dropout layers that directly follow it; -1
// when the model has no convolution.
int gradCamLayer(const Model& model);

// log p_k - log(sum_{j != k} p_j) from logits, stable for large logits.
double logOdds(const float* logits, int classes, int k);

}  // namespace nn
