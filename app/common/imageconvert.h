#pragma once
// The one place that turns a QImage into nn buffers and back.
#include <nn/preprocess.h>

#include <QImage>
#include <QString>

#include <vector>

namespace app {

// Any QImage -> grey floats in [0,1] (0 black, 1 white), w*h row-major.
// Transparent pixels are composited onto white (a drawing on a transparent
// background reads as dark ink on white).
std::vector<float> toGrayFloat(const QImage& image);

// Loads an image file and preprocesses it. Throws nn::FileError naming the
// file when it is missing, not an image, or has no size.
nn::PreprocessResult preprocessImageFile(const QString& path);
nn::PreprocessResult preprocessImage(const QImage& image);

// A 28x28 (or w x h) float buffer in [0,1], ink bright, as a grey QImage
// (white ink on black), for previews and screenshots.
QImage floatToImage(const float* data, int w, int h);

}  // namespace app
