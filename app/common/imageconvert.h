#pragma once
// The one place that turns a QImage into nn buffers and back.
#include <nn/number.h>
#include <nn/preprocess.h>

#include <QImage>
#include <QString>

#include <vector>

namespace app {

// Any QImage -> grey floats in [0,1] (0 black, 1 white), w*h row-major.
// Transparent pixels are composited onto white (a drawing on a transparent
// background reads as dark ink on white).
std::vector<float> toGrayFloat(const QImage& image);

// Largest image decoded from a file, in pixels: a 50-megapixel photo opens at
// full size; a header claiming 100000x100000 is refused before decoding. A
// larger JPEG (108-megapixel phones) is decoded scaled down to this size, up
// to kMaxScaledImagePixels.
inline constexpr qint64 kMaxImagePixels = 50'000'000;
inline constexpr qint64 kMaxScaledImagePixels = 1'000'000'000;

// Reads an image file (EXIF orientation applied), for `digitpad-cli predict`
// and the app's Open Image. Throws nn::FileError naming the file and what is
// wrong: missing, a directory, a FIFO or device, not an image format Qt can
// read, damaged or incomplete data (a decoder warning such as a JPEG cut
// short counts as damage), too large (with the size), no pixels. Never Qt's
// "Unknown error".
QImage loadImageFile(const QString& path);

// loadImageFile + preprocessImage. Throws nn::FileError as loadImageFile.
nn::PreprocessResult preprocessImageFile(const QString& path);
nn::PreprocessResult preprocessImage(const QImage& image);
// The number written in an image (nn::readNumber on its grey levels).
nn::NumberReading readNumberImage(const nn::Model& model, const QImage& image);

// A 28x28 (or w x h) float buffer in [0,1], ink bright, as a grey QImage
// (white ink on black), for previews and screenshots.
QImage floatToImage(const float* data, int w, int h);

// 8-bit grey pixels (w*h, row-major; MNIST's ink bright) as a grey QImage
// (a copy), and a grey image back to floats in [0, 1] as
// nn::Dataset::imageAsFloat gives them (no inversion, no compositing).
QImage grayBytesToImage(const std::uint8_t* pixels, int w, int h);
std::vector<float> grayImageToFloat(const QImage& image);

}  // namespace app
