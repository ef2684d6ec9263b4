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
#include <vector>

namespace nn {

struct SessionRequest;

struct TorchProjectRequest {
    std::string spec;              // canonical architecture spec (1x28x28 in, 10 classes out)
    TrainConfig config;            // epochs, batch (global), optimizer, schedule, loss, augmentation, seed
    double validationFraction = 0.1;
    int earlyStopPatience = 0;
    int mnistLimit = 0;            // > 0: only the first N MNIST training images
    std::string command;           // the command line that made it, for the README
};

// A training run's settings as the project takes them: the one mapping that
// both `digitpad-cli export --torch` and the GUI's File > Export as PyTorch
// Project use. The architecture is the run's (the fine-tuned model's when it
// has `initial`) with its dropout setting applied (specWithDropout); the
// optimizer, schedule, loss, augmentation, epochs, batch, seed, validation
// fraction, early stop and MNIST limit are carried as they are.
struct TorchProjectPlan {
    TorchProjectRequest request;
    // What the run has that the project does not reproduce, one phrase each
    // ("your own digits (the project trains on MNIST only)", ...; marked
    // DIGITPAD_UI_TEXT for the GUI). Empty: all of it is carried.
    std::vector<std::string> notCarried;
};
// Throws SpecError when the architecture is not a digit model.
TorchProjectPlan planTorchProject(const SessionRequest& run, const std::string& command);

// The files of the project: {name, content}, in the order they are written.
std::vector<std::pair<std::string, std::string>> torchProjectFiles(const TorchProjectRequest& request);

// What is at the project's folder now. Throws FileError when `dir` is there
// but is not a folder (or cannot be listed).
struct TorchFolderState {
    bool exists = false;
    std::size_t entries = 0;             // in the folder
    std::vector<std::string> firstNames; // up to three of them, sorted
    bool empty() const { return entries == 0; }
    // "'run', 'train.py' and 2 more"
    std::string describe() const;
    UiText describeText() const;  // the same for the GUI to translate
};
TorchFolderState torchFolderState(const std::string& dir);

// Writes the project into `dir`; never leaves half of it. The files are
// written into a temporary folder beside `dir` (".NAME.tmp-XXXXXX") first.
// A missing or empty `dir` is then replaced by that folder in one rename
// (missing parent folders are created). A folder that is not empty is refused
// ("DIR: the folder is not empty (it holds ...)") unless `replaceFiles`, when
// the project's files in it are replaced, each in one rename, and whatever else
// it holds (a run/ folder of checkpoints) stays. Throws SpecError for a spec
// that is not a digit model, FileError naming the path when writing fails;
// the temporary folder is removed either way.
void writeTorchProject(const std::string& dir, const TorchProjectRequest& request, bool replaceFiles = false);

// The command that trains the project written in `dir` on two processes of
// this machine, as the README and the front ends show it (with Debian 12's
// torchrun options), and where it leaves the model.
std::string torchrunCommand(const std::string& dir, const std::string& dataDir);
inline constexpr const char* kTorchProjectOnnx = "run/model.onnx";

}  // namespace nn
