#pragma once
// A Sequential model built from a text architecture spec such as
//   "conv 32 5 pad=2 | relu | maxpool 2 | dense 128 | relu | dense 10".
// The Model owns the parameter values (one flat buffer with named views) and
// the training metadata. A Net is an executable instance of the model's
// layers: it shares the model's values and owns its gradients and buffers, so
// one Net per thread can work on a share of a batch.
#include "layers/layer.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nn {

class Model;
class AllReduce;

struct ParamView {
    std::string name;  // "<layer index>.<kind>.<param>", e.g. "0.conv.weight"
    ParamSpec spec;
    std::size_t offset = 0;  // into Model::params()
};

// The name of a parameter of the layer at `index` (0-based), as ParamView and
// model files spell it: "<layer index>.<kind>.<param>".
std::string paramViewName(std::size_t index, const Layer& layer, const ParamSpec& param);

class Net {
public:
    // fuse: run each "conv | relu | maxpool 2" as one fused layer (same
    // parameters and results, fewer passes over memory). Off only in tests
    // that compare against the layer-by-layer path.
    // Use::Infer: a Net for inference only (Model::logits' pool): with fuse,
    // "conv | batchnorm | relu | maxpool 2" is fused as well, the batchnorm
    // folded into the convolution's epilogue; forward(x, Mode::Train) throws.
    enum class Use { Train, Infer };
    explicit Net(Model& model, bool fuse = true, Use use = Use::Train);
    Net(const Net&) = delete;
    Net& operator=(const Net&) = delete;

    // x: (n, input shape) -> logits (n, outputs). The result stays valid until the next forward.
    const Tensor& forward(const Tensor& x, Mode mode);
    // dLogits: gradient of the loss w.r.t. the logits of the last forward. Adds into grads().
    // Returns the gradient w.r.t. the input of executed layer `downTo`
    // (stopping there); for downTo 0 that is dL/dx, valid only with
    // setInputGradientNeeded(true).
    const Tensor& backward(const Tensor& dLogits, std::size_t downTo = 0);
    // Off by default: training never reads dL/dx, and the first layer saves
    // its computation. Explanations and adversarial examples need it.
    void setInputGradientNeeded(bool needed);

    std::vector<float>& grads() { return m_grads; }
    void zeroGrads() { std::fill(m_grads.begin(), m_grads.end(), 0.0f); }
    void setSeed(std::uint64_t seed);
    // This Net holds participant t's share of each training batch: its
    // BatchNorm layers sum their statistics with the other participants'
    // through `reduce` (nullptr: the Net sees whole batches).
    void setBatchReducer(AllReduce* reduce, int t);
    const std::vector<std::unique_ptr<Layer>>& layers() const { return m_layers; }

private:
    std::vector<std::unique_ptr<Layer>> m_layers;  // executed layers (a fused layer replaces three)
    std::vector<int> m_specIndex;                  // index of each executed layer's first spec layer
    std::vector<float> m_grads;
};

struct LayerInfo {
    std::string spec;   // "conv 32 5 pad=2"
    Shape3 output;      // per-sample output shape
    std::size_t params; // trainable + statistics
};

class Model {
public:
    // Parses and shape-checks the spec. Throws SpecError naming the layer and shapes.
    // classes > 0 requires the last layer to produce exactly that many outputs.
    static Model fromSpec(std::string_view spec, Shape3 input = {1, 28, 28}, int classes = 10);
    // fromSpec's check of the last layer's output (per sample) against `classes`
    // (0: any), for callers that shape-check a spec without building it.
    static void checkOutputs(Shape3 output, int classes);
    // fromSpec's checks and messages without building the model (no
    // parameter buffers, no initialisation): what an editor calls on every
    // keystroke, and before allocating a model of unknown size.
    struct SpecSummary {
        std::string spec;  // canonical form
        long long params = 0;
        double flops = 0;  // forward multiply-adds per sample
    };
    static SpecSummary checkSpec(std::string_view spec, Shape3 input = {1, 28, 28}, int classes = 10);
    // The named architectures, in the order the GUI lists them; "default" is
    // another name of "cnn".
    struct Preset {
        const char* name;   // "cnn"
        const char* label;  // "Default CNN"
        const char* spec;
    };
    static const std::vector<Preset>& presets();
    // A preset's spec. Throws SpecError on unknown names.
    static std::string presetSpec(std::string_view name);
    static std::vector<std::string> presetNames();

    Model(const Model& other);
    Model& operator=(const Model& other);
    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;
    ~Model();

    // Random initialisation (He or Xavier per layer), deterministic for a seed.
    void initialize(std::uint64_t seed);
    // The same initialisation for the parameters of spec layer `index` only
    // (0-based; running statistics are kept): what the cascading
    // randomisation of a saliency sanity check does, layer by layer.
    void initializeLayer(std::size_t index, std::uint64_t seed);
    // The spec's layers, set up (shapes known) and unbound: for reading
    // kinds and shapes, not for running.
    const std::vector<std::unique_ptr<Layer>>& layers() const;

    const std::string& spec() const { return m_spec; }  // canonical form
    Shape3 inputShape() const { return m_input; }
    int outputs() const { return m_outputs; }
    std::vector<LayerInfo> layerInfo() const;
    double flopsPerSample() const;  // forward multiply-adds

    std::vector<float>& params() { return m_params; }
    const std::vector<float>& params() const { return m_params; }
    const std::vector<ParamView>& paramViews() const { return m_views; }
    std::size_t trainableCount() const;

    // Folds the batch statistics that a training forward added into the
    // gradient slots of BatchNorm running statistics (summed over `replicas`
    // sub-batches) into the running averages.
    void applyStatistics(const std::vector<float>& grads, int replicas);
    // The same, restricted to parameter indices [lo, hi) (for a parallel step).
    void applyStatistics(const float* grads, int replicas, std::size_t lo, std::size_t hi);

    // Inference. Thread-safe: each call borrows a Net from an internal pool.
    // x: n samples of inputShape; probs: n * outputs() softmax probabilities.
    void predict(const float* x, int n, float* probs) const;
    void logits(const float* x, int n, float* out) const;

    // Free-form training metadata: data, epochs, hyperparameters, test_accuracy, date...
    std::map<std::string, std::string>& metadata() { return m_metadata; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

private:
    friend class Net;
    Model() = default;
    void build();  // layers + views from m_spec and m_input

    std::string m_spec;
    Shape3 m_input;
    int m_outputs = 0;
    std::vector<std::unique_ptr<Layer>> m_prototypes;  // set up, unbound
    std::vector<ParamView> m_views;
    std::vector<std::size_t> m_layerOffsets;  // start of each layer's slice
    std::vector<float> m_params;
    std::map<std::string, std::string> m_metadata;

    struct Pool {
        std::mutex mutex;
        std::vector<std::unique_ptr<Net>> free;
        std::vector<std::unique_ptr<Tensor>> inputs;
    };
    mutable std::unique_ptr<Pool> m_pool;
};

// Throws FileError(name, ...) when the model's logits for a blank input (all
// zeros) or a fully inked one (all ones) are NaN or infinite: finite but huge
// weights (3e38) pass every file check and then overflow on every image,
// and a prediction of NaN must never be shown as an answer.
void checkFiniteOutputs(const Model& model, const std::string& name);

// Splits a spec into its layers and parses each (no shape checks). Exposed for
// the GUI's live validation and for fuzzing. Throws SpecError.
std::vector<std::unique_ptr<Layer>> parseSpec(std::string_view spec);

// The shape of a model DigitPad can use for digits: 1x28x28 in (what
// preprocess() makes), 10 classes out. When it is not, `why` (if given) says
// what the model takes and gives instead.
inline constexpr Shape3 kDigitInput{1, 28, 28};
inline constexpr int kDigitClasses = 10;
bool isDigitModel(const Model& model, std::string* why = nullptr);

}  // namespace nn
