#pragma once
// Text that digitpad-cli prints, as pure functions of plain values so that
// tests can check it without starting a process.
#include <nn/metrics.h>
#include <nn/number.h>
#include <nn/shell.h>

#include <array>
#include <string>
#include <vector>

namespace nn {
class Model;
struct BatchReport;
struct EpochReport;
}  // namespace nn

namespace app::cli {

// "0:07", "12:34", "1:02:03"; "--:--" when unknown (negative or not finite).
std::string formatDuration(double seconds);
// "1,234,567"
std::string formatCount(long long n);
// "98.12%" with `decimals` digits after the point.
std::string formatPercent(double fraction, int decimals = 2);
// Fixed-point number, e.g. formatFixed(0.98765, 3) == "0.988".
std::string formatFixed(double v, int decimals);

// One progress line for a training batch report. With `bar` it has a bar and
// fits in `width` columns (for a terminal, redrawn with '\r'); without, it is
// a plain log line.
//   epoch 2/10 [=======>        ] 412/844 loss 0.1234  4,870 img/s  ETA 1:23
std::string progressLine(const nn::BatchReport& r, bool bar, int width);

// The per-epoch summary line printed on stdout:
//   epoch  3/10  train loss 0.0612 acc 98.12%  val loss 0.0401 acc 98.83%  lr 0.0005  14.2 s  4,230 img/s  *best
std::string epochLine(const nn::EpochReport& r);

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a field that
// a spreadsheet would run as a formula (starting with = + - @, tab or CR)
// gets a leading apostrophe and quotes.
std::string csvField(const std::string& s);
// Text from a file made safe for a terminal: control characters and bytes
// that are not UTF-8 become \xNN (tab and newline \t, \n).
std::string printable(const std::string& s);
// "file,digit,probability,p0,...,p9"
std::string predictionCsvHeader();
// One CSV row. probs (10 values) is ignored when `empty`: an empty image gets
// "empty" as its digit and blank probability fields. notDigit: the digit
// field says "none" (the probabilities are still given).
std::string predictionCsvRow(const std::string& file, bool empty, const float* probs, bool notDigit = false);
// Human-readable form: "file: digit 3 (p=0.987)" and a line of ten probabilities,
// "file: not a digit (nearest 3, p=0.412)" and the line, or
// "file: empty (no ink found)".
std::string predictionText(const std::string& file, bool empty, const float* probs, bool notDigit = false);
// `predict --number`: the header, one row, and the text of one image's number.
std::string numberCsvHeader();
std::string numberCsvRow(const std::string& file, const nn::NumberReading& r);
std::string numberText(const std::string& file, const nn::NumberReading& r);

// Architecture table (layer spec, output shape, parameters), totals and metadata.
std::string modelInfoText(const nn::Model& model, const std::string& name);

// POSIX shell quoting, so a recorded command can be pasted back into a shell.
using nn::joinCommand;  // nn/shell.h

// The CPU model from the text of /proc/cpuinfo ("model name", else "Hardware",
// "Processor" or "cpu model"); "unknown CPU" when none is present.
std::string cpuModelFromCpuinfo(const std::string& text);
// Reads /proc/cpuinfo (empty string when it is not readable).
std::string readCpuinfo();

struct LatencyStats {
    double median = 0, p99 = 0, mean = 0, min = 0, max = 0;
    int count = 0;
};
// Median (mean of the two middle values for an even count) and nearest-rank p99.
LatencyStats latencyStats(std::vector<double> samples);

// JSON string literal with escapes.
std::string jsonString(const std::string& s);
// JSON number; non-finite values become null.
std::string jsonNumber(double v);

}  // namespace app::cli
