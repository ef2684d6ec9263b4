#include "imageconvert.h"

#include <nn/errors.h>

#include <nn/fileio.h>

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

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

nn::NumberReading readNumberImage(const nn::Model& model, const QImage& image)
{
    const std::vector<float> g = toGrayFloat(image);
    return nn::readNumber(model, g.data(), image.width(), image.height());
}

namespace {

// Qt's image plug-ins report what their decoder complains about (libjpeg's
// "Premature end of JPEG file", "Corrupt JPEG data: ...") only as warnings
// and still return a picture, grey where the data was missing. A handler
// installed once records the warnings of the image-I/O categories that a
// thread raises while it decodes, so that loadImageFile can refuse the file;
// every other message goes on to the handler that was there before.
thread_local QStringList* t_decoderWarnings = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void recordDecoderWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (t_decoderWarnings && type == QtWarningMsg && context.category &&
        std::strncmp(context.category, "qt.gui.imageio", 14) == 0) {
        t_decoderWarnings->append(message);
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
    else
        qt_message_output(type, context, message);
}

struct DecoderWarnings {
    QStringList list;
    DecoderWarnings()
    {
        static std::once_flag once;
        std::call_once(once, [] { g_previousHandler = qInstallMessageHandler(recordDecoderWarnings); });
        t_decoderWarnings = &list;
    }
    ~DecoderWarnings() { t_decoderWarnings = nullptr; }
};

// Largest compressed file read into memory: far beyond any photo.
constexpr std::size_t kMaxImageFileBytes = std::size_t(512) << 20;

std::string megapixels(qint64 pixels) { return std::to_string(pixels / 1000000) + " megapixels"; }

}  // namespace

QImage loadImageFile(const QString& path)
{
    const std::string name = path.toStdString();
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        throw nn::FileError(name, "no such file");
    if (info.isDir())
        throw nn::FileError(name, "is a directory, not an image");
    // Read through the engine's safe open: a FIFO or a device is refused by
    // its type instead of blocking or reading forever, a huge file by its size.
    const std::vector<std::uint8_t> bytes = nn::readFileBytes(name, kMaxImageFileBytes);
    if (bytes.empty())
        throw nn::FileError(name, "not a readable image (the file is empty)");
    QByteArray data = QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);

    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QByteArray format = reader.format();
    if (format.isEmpty())
        throw nn::FileError(name, "not a readable image (not in a format DigitPad reads: PNG, JPEG, BMP, GIF, PPM, ...)");
    const std::string kind = QString::fromLatin1(format).toUpper().toStdString();
    QSize size = reader.size();
    // libpng refuses to read a header wider or taller than a million pixels,
    // so Qt knows no size for one: take it from the IHDR chunk itself.
    if (!size.isValid() && format == "png" && bytes.size() >= 24 && std::memcmp(bytes.data() + 12, "IHDR", 4) == 0) {
        const auto be32 = [&](std::size_t at) {
            return std::uint32_t(bytes[at]) << 24 | std::uint32_t(bytes[at + 1]) << 16 |
                   std::uint32_t(bytes[at + 2]) << 8 | bytes[at + 3];
        };
        if (be32(16) > 0 && be32(16) <= 0x7fffffff && be32(20) > 0 && be32(20) <= 0x7fffffff)
            size = QSize(int(be32(16)), int(be32(20)));
    }
    const qint64 pixels = size.isValid() ? qint64(size.width()) * size.height() : 0;
    const auto tooLarge = [&](const std::string& limit) {
        return nn::FileError(name, "the " + kind + " image is " + std::to_string(size.width()) + "x" +
                                       std::to_string(size.height()) + " pixels, too large: " + limit);
    };
    // JPEG decodes straight to a fraction of its size (libjpeg's DCT scaling),
    // so a 108-megapixel phone photo costs no more than a 50-megapixel one;
    // other formats would decode in full first, so they stop at the limit.
    const bool scales = format == "jpeg" || format == "jpg";
    if (pixels > kMaxImagePixels && (!scales || pixels > kMaxScaledImagePixels))
        throw tooLarge("more than the limit of " + megapixels(scales ? kMaxScaledImagePixels : kMaxImagePixels));
    if (pixels > kMaxImagePixels) {
        const double f = std::sqrt(double(kMaxImagePixels) / double(pixels));
        reader.setScaledSize(QSize(std::max(1, int(size.width() * f)), std::max(1, int(size.height() * f))));
    }
    // Qt refuses to allocate more than its own (process-wide) limit, 128 MiB
    // by default, which a 7000x7000 PNG already exceeds. Our pixel limit is
    // checked above, so Qt's may allow what it admits: 50 megapixels of
    // 64-bit pixels.
    constexpr int kAllocationLimitMiB = int(kMaxImagePixels * 8 / (1024 * 1024)) + 1;
    if (QImageReader::allocationLimit() < kAllocationLimitMiB)
        QImageReader::setAllocationLimit(kAllocationLimitMiB);

    QImage image;
    QStringList warnings;
    {
        DecoderWarnings capture;
        image = reader.read();
        warnings = capture.list;
    }
    if (image.isNull()) {
        switch (reader.error()) {
        case QImageReader::DeviceError:
            throw nn::FileError(name, "not a readable image (the file cannot be read)");
        case QImageReader::UnsupportedFormatError:
            throw nn::FileError(name, "not a readable image (not in a format DigitPad reads: PNG, JPEG, BMP, GIF, PPM, ...)");
        default:
            // libpng refuses lines longer than a million pixels whatever
            // their total: that is a size, not damage.
            if (size.isValid() && (size.width() > 1000000 || size.height() > 1000000))
                throw tooLarge("the " + kind + " decoder reads at most 1000000 pixels per side");
            throw nn::FileError(name, "not a readable image (the " + kind + " data is damaged or incomplete)");
        }
    }
    if (!warnings.isEmpty()) {
        QString first = warnings.first().trimmed();
        first.remove(QRegularExpression(QStringLiteral("^libpng warning: ")));
        throw nn::FileError(name, "not a readable image (the " + kind + " data is damaged or incomplete: " +
                                      first.toStdString() + ")");
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
