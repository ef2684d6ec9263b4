#pragma once
// The Qt side of models: the embedded default model and loading a file
// without ever throwing past the caller's error handling.
#include <nn/model.h>

#include <QString>

#include <memory>

namespace app {

// Resource path of the model compiled into both executables.
inline const char* kDefaultModelResource = ":/models/default.dpm";

// Loads the embedded default model. Throws nn::Error when the resource is
// missing or damaged (a build problem, not a user one).
std::shared_ptr<const nn::Model> loadDefaultModel();

// Loads a model from a file path or a ":/" resource path: a DigitPad model
// file, or an ONNX classifier when the name ends in .onnx (nn::loadOnnx).
// Throws nn::FileError.
nn::Model loadModelFile(const QString& path);

// The per-user data folder: ~/.local/share/DigitPad on Linux (checkpoints,
// the user's own digits, MNIST).
QString appDataDir();

// Where MNIST lives: --data (if given), then $DIGITPAD_DATA, then
// appDataDir() + "/mnist" (~/.local/share/DigitPad/mnist).
QString resolveDataDir(const QString& commandLineValue = {});

}  // namespace app
