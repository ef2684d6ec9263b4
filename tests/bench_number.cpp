// Benchmark (not a test): how well written numbers are read (nn::readNumber,
// issue 15), on numbers of 2 to 6 MNIST digits side by side (tests/numbers.h)
// with random gaps, small overlaps and uneven baselines.
//
//   bench_number [--set tuning|heldout|train|test] [--count N] [--length N] [--cut C] [--merge M] [--energy W] [--energy-reference E] [--short S] [--model path.dpm] [--data DIR]
//
// The default model was trained on every MNIST training image, so numbers of
// training digits read better than a person's would (the model is surer of
// digits it has seen, and its confidence decides the cuts). The sets:
//  - tuning (the default): the test set's tuning half (nn::calibrationHalves,
//    the half the not-a-digit threshold is fitted on), where the
//    segmentation's settings were chosen;
//  - heldout: the other half, as test_number's mnistTestNumbers reads it:
//    report only, never tune on it;
//  - train, test: the whole training or test set.
// Per length (1: single digits through the same path; --length N: only N):
// the share read exactly, the share split into the right number of digits,
// too many and too few, and the time per number.
#include "numbers.h"

#include <nn/data/dataset.h>
#include <nn/model.h>
#include <nn/notdigit.h>
#include <nn/number.h>
#include <nn/serialize.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

int main(int argc, char** argv)
{
    std::string set = "tuning", path = std::string(DIGITPAD_SOURCE_DIR) + "/resources/models/default.dpm";
    std::string data;
    if (const char* d = std::getenv("DIGITPAD_DATA"))
        data = d;
    else if (const char* home = std::getenv("HOME"))
        data = std::string(home) + "/.local/share/DigitPad/mnist";
    int count = 300;
    int onlyLength = 0;  // 0: every length from 1 to 6
    nn::NumberOptions options;
    for (int i = 1; i < argc; ++i) {
        const auto next = [&] {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_number: %s needs a value\n", argv[i]);
                std::exit(2);
            }
            return std::string(argv[++i]);
        };
        if (!std::strcmp(argv[i], "--set"))
            set = next();
        else if (!std::strcmp(argv[i], "--count"))
            count = std::stoi(next());
        else if (!std::strcmp(argv[i], "--cut"))
            options.cutPenalty = std::stod(next());
        else if (!std::strcmp(argv[i], "--merge"))
            options.mergePenalty = std::stod(next());
        else if (!std::strcmp(argv[i], "--energy"))
            options.energyWeight = std::stod(next());
        else if (!std::strcmp(argv[i], "--energy-reference"))
            options.energyReference = std::stod(next());
        else if (!std::strcmp(argv[i], "--short"))
            options.shortPenalty = std::stod(next());
        else if (!std::strcmp(argv[i], "--short-limit"))
            options.shortLimit = std::stod(next());
        else if (!std::strcmp(argv[i], "--length"))
            onlyLength = std::stoi(next());
        else if (!std::strcmp(argv[i], "--model"))
            path = next();
        else if (!std::strcmp(argv[i], "--data"))
            data = next();
        else {
            std::fprintf(stderr, "usage: bench_number [--set tuning|heldout|train|test] [--count N] [--length N] [--cut C] [--merge M] [--energy W] [--energy-reference E] [--short S] [--model FILE] [--data DIR]\n");
            return 2;
        }
    }
    if (set != "train" && set != "test" && set != "tuning" && set != "heldout") {
        std::fprintf(stderr, "bench_number: --set must be train, test, tuning or heldout\n");
        return 2;
    }
    try {
        const nn::Model model = nn::loadModel(path);
        nn::Dataset digits = nn::Dataset::loadMnist(data, set == "train" ? nn::Split::Train : nn::Split::Test);
        if (set == "tuning" || set == "heldout") {
            auto halves = nn::calibrationHalves(digits);
            digits = set == "tuning" ? std::move(halves.first) : std::move(halves.second);
        }
        std::printf("numbers of MNIST %s digits, model %s, cut penalty %.2f, merge penalty %.2f, energy %.2f "
                    "(reference %.1f), short %.2f, %d per length\n",
                    set.c_str(), path.c_str(), options.cutPenalty, options.mergePenalty, options.energyWeight,
                    options.energyReference, options.shortPenalty, count);
        std::mt19937 rng(set == "train" ? 7 : set == "tuning" ? 21 : 15);
        std::uniform_int_distribution<int> pick(0, digits.size() - 1);
        for (int len = 1; len <= 6; ++len) {
            if (onlyLength > 0 && len != onlyLength) {
                for (int i = 0; i < count * len; ++i)  // the same digits for the lengths after it
                    pick(rng);
                continue;
            }
            int exact = 0, split = 0, over = 0;
            double ms = 0;
            for (int i = 0; i < count; ++i) {
                std::vector<int> idx;
                for (int k = 0; k < len; ++k)
                    idx.push_back(pick(rng));
                const numbers::Written n = numbers::mnistNumber(digits, idx, std::uint32_t(len * 10000 + i + (set == "train" ? 500000 : set == "tuning" ? 700000 : 0)));
                const auto t0 = std::chrono::steady_clock::now();
                const nn::NumberReading r = nn::readNumber(model, n.page.px.data(), n.page.w, n.page.h, options);
                ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                exact += r.text == n.truth;
                split += r.text.size() == n.truth.size();
                over += r.text.size() > n.truth.size();
                if (std::getenv("BENCH_NUMBER_SHOW") && r.text != n.truth) {
                    std::printf("  %s read as %s:", n.truth.c_str(), r.text.c_str());
                    for (const nn::NumberDigit& d : r.digits)
                        std::printf(" %d@%d+%d(%.2f)", d.digit, d.x, d.w, d.confidence);
                    std::printf("\n");
                    // BENCH_NUMBER_SHOW=DIR also writes the page as DIR/<truth>-<read>.pgm.
                    const std::string dir = std::getenv("BENCH_NUMBER_SHOW");
                    if (dir.size() > 1) {
                        if (FILE* f = std::fopen((dir + "/" + n.truth + "-" + r.text + ".pgm").c_str(), "wb")) {
                            std::fprintf(f, "P5 %d %d 255\n", n.page.w, n.page.h);
                            for (float v : n.page.px)
                                std::fputc(int(v * 255.0f + 0.5f), f);
                            std::fclose(f);
                        }
                    }
                }
            }
            std::printf("%d digits: %5.1f%% read exactly, %5.1f%% split into %d (%4.1f%% more, %4.1f%% fewer), "
                        "%.1f ms per number\n",
                        len, 100.0 * exact / count, 100.0 * split / count, len, 100.0 * over / count,
                        100.0 * (count - split - over) / count, ms / count);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_number: %s\n", e.what());
        return 1;
    }
    return 0;
}
