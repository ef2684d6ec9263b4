#pragma once
// ONNX out and in, written and read by our own protobuf code (onnx_proto.*),
// without any ONNX or protobuf library.
//
// Export: every spec layer becomes standard ONNX (opset 13, IR version 7) on
// NCHW float tensors, which is DigitPad's own layout:
//   conv      -> Conv (weights Cout x Cin x k x k, strides, pads on all four sides)
//   maxpool   -> MaxPool (kernel_shape, strides; no padding, floor rounding)
//   dense     -> Gemm with transB=1 (DigitPad keeps W as out x in and computes x W^T + b);
//                a Flatten first when its input is still N x C x H x W
//   batchnorm -> BatchNormalization (epsilon 1e-5, ONNX momentum 0.9 = DigitPad's 0.1)
//   relu, sigmoid, tanh -> Relu, Sigmoid, Tanh
//   dropout   -> Dropout with its ratio (an identity at inference)
//   flatten   -> Flatten (axis 1)
// A conv or maxpool after a dense layer gets a Reshape to N x units x 1 x 1.
// The fused conv+relu+maxpool kernel is not a spec layer: it exports as its
// three layers. The graph's input is "input" (N x C x H x W, N symbolic), its
// output "logits" (N x classes), or "probabilities" after a Softmax when asked.
// The model's metadata becomes metadata_props, plus "digitpad_spec".
//
// Import: a chain of nodes as torch.onnx.export writes it (opset 11 to 17)
// becomes a DigitPad spec and its weights; see importOnnx.
#include "model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nn {

inline constexpr int kOnnxOpset = 13;
inline constexpr int kOnnxMinImportOpset = 11;
inline constexpr int kOnnxMaxImportOpset = 17;
inline constexpr std::size_t kOnnxMaxFileBytes = std::size_t(300) << 20;

struct OnnxExportOptions {
    bool softmax = false;  // end with Softmax: the output is probabilities, not logits
};

std::vector<std::uint8_t> modelToOnnx(const Model& model, const OnnxExportOptions& options = {});
// Atomic (writeFileAtomic): a failed export leaves no half-written file.
void saveOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options = {});

// Reads an ONNX classifier of 1x28x28 images into 10 classes. Throws
// FileError naming the file and, for a graph it cannot take, the node, its
// op type and what is supported: "model.onnx: node 4 'Conv_3' (op
// LeakyRelu) is not supported; DigitPad imports ...". The result carries the
// file's metadata_props plus "imported_from" and "onnx_producer".
Model loadOnnx(const std::string& path);
Model onnxToModel(const std::uint8_t* data, std::size_t size, const std::string& name);

// Whether a path names an ONNX file (by its extension, any case).
bool isOnnxPath(const std::string& path);

}  // namespace nn
