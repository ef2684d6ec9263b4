#pragma once
// A self-contained PyTorch project for training a DigitPad architecture on
// more machines than this one (digitpad-cli export --torch): train.py runs
// under `torchrun --nnodes N --nproc_per_node M` with DistributedDataParallel
// and a DistributedSampler (gloo on CPU, nccl on GPUs), writes a checkpoint
// after every epoch, and ends by exporting model.onnx, which DigitPad imports
// (File > Open Model, --model). The model, initialisation, augmentation,
// optimizer, learning-rate schedule, loss and seed are those of the request;
// README.md in the project says where PyTorch's operators differ.
#include "trainer.h"

#include <string>

namespace nn {

struct TorchProjectRequest {
    std::string spec;              // canonical architecture spec (1x28x28 in, 10 classes out)
    TrainConfig config;            // epochs, batch (global), optimizer, schedule, loss, augmentation, seed
    double validationFraction = 0.1;
    int earlyStopPatience = 0;
    std::string command;           // the command line that made it, for the README
};

// The files of the project: {name, content}, in the order they are written.
std::vector<std::pair<std::string, std::string>> torchProjectFiles(const TorchProjectRequest& request);
// Writes them into `dir` (created when missing), each atomically. Throws
// SpecError for a spec that is not a digit model, FileError when writing fails.
void writeTorchProject(const std::string& dir, const TorchProjectRequest& request);

}  // namespace nn
