#include "imageconvert.h"

#include <nn/errors.h>

#include <QFileInfo>
#include <QImageReader>

#include <algorithm>
#include <cmath>

namespace app {

std::vector<float> toGrayFloat(const QImage& image)
{
    const QImage img = image.convertToFormat(QImage::Format_ARGB32);
    const int w = img.width(), h = img.height();
    std::vector<float> out(std::size_t(w) * h);
    for (int y = 0; y < h; ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            const QRgb p = line[x];
            const float a = qAlpha(p) / 255.0f;
            const float g = (0.299f * qRed(p) + 0.587f * qGreen(p) + 0.114f * qBlue(p)) / 255.0f;
            out[std::size_t(y) * w + x] = g * a + (1.0f - a);  // onto white
        }
    }
    return out;
}

nn::PreprocessResult preprocessImage(const QImage& image)
{
    const std::vector<float> g = toGrayFloat(image);
    return nn::preprocess(g.data(), image.width(), image.height());
}

QImage loadImageFile(const QString& path)
{
    const std::string name = path.toStdString();
    const QFileInfo info(path);
    if (!info.exists())
        throw nn::FileError(name, "no such file");
    if (info.isDir())
        throw nn::FileError(name, "is a directory, not an image");
    if (!info.isReadable())
        throw nn::FileError(name, "cannot open: permission denied");
    if (info.size() == 0)
        throw nn::FileError(name, "not a readable image (the file is empty)");

    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QByteArray format = reader.format();
    if (format.isEmpty())
        throw nn::FileError(name, "not a readable image (not in a format DigitPad reads: PNG, JPEG, BMP, GIF, PPM, ...)");
    const std::string kind = QString::fromLatin1(format).toUpper().toStdString();
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > kMaxImagePixels)
        throw nn::FileError(name, "the " + kind + " image is " + std::to_string(size.width()) + "x" +
                                      std::to_string(size.height()) + " pixels, more than the limit of " +
                                      std::to_string(kMaxImagePixels / 1000000) + " megapixels");
    const QImage image = reader.read();
    if (image.isNull()) {
        switch (reader.error()) {
        case QImageReader::FileNotFoundError:
            throw nn::FileError(name, "no such file");
        case QImageReader::DeviceError:
            throw nn::FileError(name, "not a readable image (the file cannot be read)");
        case QImageReader::UnsupportedFormatError:
            throw nn::FileError(name, "not a readable image (not in a format DigitPad reads: PNG, JPEG, BMP, GIF, PPM, ...)");
        default:
            throw nn::FileError(name, "not a readable image (the " + kind + " data is damaged or incomplete)");
        }
    }
    if (image.width() < 1 || image.height() < 1)
        throw nn::FileError(name, "image has no pixels");
    return image;
}

nn::PreprocessResult preprocessImageFile(const QString& path)
{
    return preprocessImage(loadImageFile(path));
}

QImage floatToImage(const float* data, int w, int h)
{
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar* line = img.scanLine(y);
        for (int x = 0; x < w; ++x)
            line[x] = uchar(std::clamp(std::lround(data[y * w + x] * 255.0f), 0L, 255L));
    }
    return img;
}

QImage grayBytesToImage(const std::uint8_t* pixels, int w, int h)
{
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        std::copy(pixels + std::size_t(y) * w, pixels + std::size_t(y + 1) * w, img.scanLine(y));
    return img;
}

std::vector<float> grayImageToFloat(const QImage& image)
{
    const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
    std::vector<float> v(std::size_t(g.width()) * g.height());
    for (int y = 0; y < g.height(); ++y) {
        const uchar* line = g.constScanLine(y);
        for (int x = 0; x < g.width(); ++x)
            v[std::size_t(y) * g.width() + x] = float(line[x]) * (1.0f / 255.0f);
    }
    return v;
}

}  // namespace app
