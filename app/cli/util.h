#pragma once
// Small helpers shared by the digitpad-cli commands.
#include <nn/data/dataset.h>
#include <nn/model.h>

#include <QString>

#include <memory>
#include <string>

namespace app::cli {

// The model named by --model, or the embedded default model when path is empty.
std::shared_ptr<const nn::Model> loadModelOption(const QString& path);
// "path" or "embedded default model".
std::string modelName(const QString& path);

// Loads a split of MNIST from the directory chosen by --data / $DIGITPAD_DATA /
// the per-user default. Throws nn::FileError naming the directory.
nn::Dataset loadMnistSplit(const QString& dataOption, nn::Split split, std::string* dirOut = nullptr);

// 0 -> the number of hardware threads.
int effectiveThreads(int requested);

}  // namespace app::cli
