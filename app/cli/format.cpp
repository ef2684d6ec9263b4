#include "format.h"

#include <nn/fileio.h>
#include <nn/model.h>
#include <nn/trainer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string_view>

namespace app::cli {

std::string formatFixed(double v, int decimals)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string formatPercent(double fraction, int decimals) { return formatFixed(fraction * 100.0, decimals) + "%"; }

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e8)
        return "--:--";
    const long long s = std::llround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

std::string formatCount(long long n) { return nn::groupedCount(n); }

std::string progressLine(const nn::BatchReport& r, bool bar, int width)
{
    const std::string epoch = "epoch " + std::to_string(r.epoch + 1) + "/" + std::to_string(r.epochs);
    const std::string count = std::to_string(r.batch) + "/" + std::to_string(r.batches);
    const std::string tail = "loss " + formatFixed(r.smoothedLoss, 4) + "  " +
                             formatCount(std::llround(r.imagesPerSecond)) + " img/s  ETA " +
                             formatDuration(r.etaSeconds);
    if (!bar)
        return epoch + " batch " + count + " " + tail;

    // The bar takes what is left of the width, within reason. Its width is
    // computed from the widest text this run can print, so it does not jitter
    // as the numbers change.
    const int widestEpoch = int(2 * std::to_string(r.epochs).size()) + 7;   // "epoch E/E"
    const int widestCount = int(2 * std::to_string(r.batches).size()) + 1;  // "B/B"
    const int widestTail = 40;  // "loss 0.0000  999,999 img/s  ETA 99:59:59"
    const int fixed = widestEpoch + widestCount + widestTail + 5;           // spaces and brackets
    const int barWidth = std::clamp(width - 1 - fixed, 0, 40);
    std::string line = epoch + " ";
    if (barWidth >= 5) {
        const double frac = r.batches > 0 ? std::clamp(double(r.batch) / r.batches, 0.0, 1.0) : 0.0;
        const int filled = int(frac * barWidth);
        std::string b(std::size_t(barWidth), ' ');
        for (int i = 0; i < filled; ++i)
            b[std::size_t(i)] = '=';
        if (filled < barWidth)
            b[std::size_t(filled)] = '>';
        line += "[" + b + "] ";
    }
    line += std::string(std::size_t(std::max(0, widestCount - int(count.size()))), ' ') + count + " " + tail;
    if (width > 0 && int(line.size()) >= width)
        line.resize(std::size_t(std::max(0, width - 1)));
    return line;
}

std::string epochLine(const nn::EpochReport& r)
{
    const int w = int(std::to_string(r.epochs).size());
    char head[64];
    std::snprintf(head, sizeof head, "epoch %*d/%d", w, r.epoch + 1, r.epochs);
    std::string s = head;
    s += "  train loss " + formatFixed(r.trainLoss, 4) + " acc " + formatPercent(r.trainAccuracy);
    if (r.outlierLoss >= 0)
        s += "  non-digits " + formatFixed(r.outlierLoss, 4);
    if (r.valLoss >= 0)
        s += "  val loss " + formatFixed(r.valLoss, 4) + " acc " + formatPercent(r.valAccuracy);
    else
        s += "  val -";
    char lr[32];
    std::snprintf(lr, sizeof lr, "%.3g", double(r.lr));
    s += "  lr " + std::string(lr) + "  " + formatFixed(r.seconds, 1) + " s  " +
         formatCount(std::llround(r.imagesPerSecond)) + " img/s";
    if (r.best && r.valLoss >= 0)
        s += "  *best";
    return s;
}

std::string csvField(const std::string& s)
{
    // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR
    // before one) as a formula: "=HYPERLINK(...)" as a file name would be
    // code. A leading apostrophe makes it text (the OWASP advice); the field
    // is then quoted so the apostrophe stays part of it.
    const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
    if (!formula && s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = formula ? "\"'" : "\"";
    for (char c : s) {
        if (c == '"')
            q += '"';
        q += c;
    }
    return q + "\"";
}

std::string printable(const std::string& s)
{
    // Control characters (C0, DEL and C1) and bytes that are not UTF-8 are
    // shown as \xNN: text from a file must not move the cursor, clear the
    // screen or set the terminal's title. Printable UTF-8 passes unchanged.
    std::string out;
    out.reserve(s.size());
    const auto hex = [&](unsigned char c) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c == '\t')
                out += "\\t";
            else if (c == '\n')
                out += "\\n";
            else if (c < 0x20 || c == 0x7f)
                hex(c);
            else
                out += char(c);
            ++i;
            continue;
        }
        // The length of a well-formed UTF-8 sequence starting with c, or 0.
        std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n == 0 || i + n > s.size())
            n = 0;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
                n = 0;
        if (n > 0) {
            const auto c1 = static_cast<unsigned char>(s[i + 1]);
            const bool overlong = (c == 0xe0 && c1 < 0xa0) || (c == 0xf0 && c1 < 0x90);
            const bool surrogate = c == 0xed && c1 >= 0xa0;
            const bool tooHigh = c == 0xf4 && c1 >= 0x90;
            const bool c1Control = c == 0xc2 && c1 < 0xa0;  // U+0080..U+009F
            if (overlong || surrogate || tooHigh || c1Control)
                n = 0;
        }
        if (n == 0) {
            hex(c);
            ++i;
            continue;
        }
        out.append(s, i, n);
        i += n;
    }
    return out;
}

std::string predictionCsvHeader()
{
    std::string s = "file,digit,probability";
    for (int k = 0; k < nn::kClasses; ++k)
        s += ",p" + std::to_string(k);
    return s;
}

namespace {
int argmax10(const float* p)
{
    return int(std::max_element(p, p + nn::kClasses) - p);
}
}  // namespace

std::string predictionCsvRow(const std::string& file, bool empty, const float* probs, bool notDigit)
{
    std::string s = csvField(file);
    if (empty) {
        s += ",empty,";
        for (int k = 0; k < nn::kClasses; ++k)
            s += ',';
        return s;
    }
    const int d = argmax10(probs);
    s += "," + (notDigit ? std::string("none") : std::to_string(d)) + "," + formatFixed(probs[d], 6);
    for (int k = 0; k < nn::kClasses; ++k)
        s += "," + formatFixed(probs[k], 6);
    return s;
}

std::string predictionText(const std::string& file, bool empty, const float* probs, bool notDigit)
{
    if (empty)
        return file + ": empty (no ink found)\n";
    const int d = argmax10(probs);
    std::string s = file + (notDigit ? ": not a digit (nearest " : ": digit ") + std::to_string(d) +
                    (notDigit ? ", p=" : " (p=") + formatFixed(probs[d], 3) + ")\n ";
    for (int k = 0; k < nn::kClasses; ++k)
        s += " " + std::to_string(k) + ":" + formatFixed(probs[k], 3);
    return s + "\n";
}

std::string numberCsvHeader() { return "file,number,probability,digits,probabilities"; }

std::string numberCsvRow(const std::string& file, const nn::NumberReading& r)
{
    std::string s = csvField(file);
    if (r.empty)
        return s + ",empty,,,";
    std::string probs;
    for (const nn::NumberDigit& d : r.digits)
        probs += (probs.empty() ? "" : " ") + formatFixed(d.confidence, 6);
    return s + "," + csvField(r.text) + "," + formatFixed(r.confidence, 6) + "," + std::to_string(r.digits.size()) +
           "," + probs;
}

std::string numberText(const std::string& file, const nn::NumberReading& r)
{
    if (r.empty)
        return file + ": empty (no ink found)\n";
    std::string s = file + ": number " + r.text + " (p=" + formatFixed(r.confidence, 3) + ", " +
                    std::to_string(r.digits.size()) + (r.digits.size() == 1 ? " digit" : " digits") + ")\n ";
    for (const nn::NumberDigit& d : r.digits)
        s += " " + std::to_string(d.digit) + " (p=" + formatFixed(d.confidence, 3) +
             (d.reading.notDigit ? ", scores as no digit)" : ")");
    return s + "\n";
}

std::string modelInfoText(const nn::Model& model, const std::string& name)
{
    std::ostringstream s;
    s << "model: " << printable(name) << "\n";
    s << "architecture: " << printable(model.spec()) << "\n";
    s << "input: " << model.inputShape().str() << ", outputs: " << model.outputs() << "\n\n";

    const std::vector<nn::LayerInfo> layers = model.layerInfo();
    std::size_t specWidth = 5;
    for (const auto& l : layers)
        specWidth = std::max(specWidth, l.spec.size());
    char line[512];
    std::snprintf(line, sizeof line, "%3s  %-*s  %-10s  %10s\n", "#", int(specWidth), "layer", "output", "params");
    s << line;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::snprintf(line, sizeof line, "%3zu  %-*s  %-10s  %10s\n", i, int(specWidth), layers[i].spec.c_str(),
                      layers[i].output.str().c_str(), formatCount((long long)layers[i].params).c_str());
        s << line;
    }
    const std::size_t total = model.params().size();
    const std::size_t trainable = model.trainableCount();
    s << "\nparameters: " << formatCount((long long)total);
    if (trainable != total)
        s << " (" << formatCount((long long)trainable) << " trainable, " << formatCount((long long)(total - trainable))
          << " running statistics)";
    s << "\n";
    s << "forward cost: " << formatFixed(model.flopsPerSample() / 1e6, 2) << " M multiply-adds per image\n";

    const auto& meta = model.metadata();
    if (meta.empty()) {
        s << "metadata: none\n";
    } else {
        s << "metadata:\n";
        std::size_t keyWidth = 0;
        for (const auto& [k, v] : meta)
            keyWidth = std::max(keyWidth, printable(k).size());
        for (const auto& [k, v] : meta) {
            const std::string key = printable(k);
            s << "  " << key << ":" << std::string(keyWidth - key.size() + 1, ' ') << printable(v) << "\n";
        }
    }
    return s.str();
}

std::string cpuModelFromCpuinfo(const std::string& text)
{
    const auto trim = [](std::string v) {
        const auto b = v.find_first_not_of(" \t");
        const auto e = v.find_last_not_of(" \t\r");
        return b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
    };
    for (const char* key : {"model name", "Hardware", "Processor", "cpu model"}) {
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            const auto colon = line.find(':');
            if (colon == std::string::npos)
                continue;
            if (trim(line.substr(0, colon)) == key) {
                const std::string v = trim(line.substr(colon + 1));
                if (!v.empty())
                    return v;
            }
        }
    }
    return "unknown CPU";
}

std::string readCpuinfo()
{
    std::ifstream f("/proc/cpuinfo");
    if (!f)
        return {};
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

LatencyStats latencyStats(std::vector<double> v)
{
    LatencyStats st;
    st.count = int(v.size());
    if (v.empty())
        return st;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    st.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    const std::size_t rank = std::size_t(std::ceil(0.99 * double(n)));
    st.p99 = v[std::clamp<std::size_t>(rank, 1, n) - 1];
    double sum = 0;
    for (double x : v)
        sum += x;
    st.mean = sum / double(n);
    st.min = v.front();
    st.max = v.back();
    return st;
}

std::string jsonString(const std::string& s)
{
    std::string o = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': o += "\\\""; break;
        case '\\': o += "\\\\"; break;
        case '\n': o += "\\n"; break;
        case '\r': o += "\\r"; break;
        case '\t': o += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                o += buf;
            } else {
                o += char(c);
            }
        }
    }
    return o + "\"";
}

std::string jsonNumber(double v)
{
    if (!std::isfinite(v))
        return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace app::cli
