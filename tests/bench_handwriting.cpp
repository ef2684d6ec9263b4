// Benchmark (not a test): accuracy of a model on synthetic handwriting
// (tests/handwriting.h) per pen width, per size, per paper brightness and
// polarity, under uneven lighting and with dust -- through nn::preprocess
// exactly as the canvas and `predict` use it.
//
//   bench_handwriting [--writers tune|report] [--model path.dpm]
//
// Writers 1..20 are the tuning set, 1001..1020 the report set; tests use the
// report set too, so tune only on `tune`.
#include "handwriting.h"

#include <nn/model.h>
#include <nn/preprocess.h>
#include <nn/serialize.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace handwriting;

namespace {

struct Tally {
    int n = 0, ok = 0;
    void add(bool right) { ++n, ok += right; }
    double pct() const { return n ? 100.0 * ok / n : 0.0; }
};

int predictPage(const nn::Model& model, const Page& page, double& ms)
{
    const auto t0 = std::chrono::steady_clock::now();
    const nn::PreprocessResult r = nn::preprocess(page.px.data(), page.w, page.h);
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (r.empty)
        return -1;
    std::array<float, 10> p{};
    model.predict(r.input.data(), 1, p.data());
    return int(std::max_element(p.begin(), p.end()) - p.begin());
}

}  // namespace

int main(int argc, char** argv)
{
    std::string set = "tune", path = std::string(DIGITPAD_SOURCE_DIR) + "/resources/models/default.dpm";
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--writers"))
            set = argv[++i];
        else if (!std::strcmp(argv[i], "--model"))
            path = argv[++i];
    }
    const std::uint32_t first = set == "report" ? 1001 : 1;
    const int writers = 20;
    const nn::Model model = nn::loadModel(path);
    double ms = 0;
    int pages = 0;
    auto run = [&](const Scene& sc, Tally& t, Tally* perDigit = nullptr) {
        for (std::uint32_t wi = first; wi < first + std::uint32_t(writers); ++wi) {
            const Writer wr(wi);
            for (int d = 0; d < 10; ++d) {
                const Page page = draw(d, wr, sc, wi * 7919u + std::uint32_t(d) * 104729u + std::uint32_t(sc.pen));
                const bool ok = predictPage(model, page, ms) == d;
                t.add(ok);
                if (perDigit)
                    perDigit[d].add(ok);
                ++pages;
            }
        }
    };

    std::printf("writers %s (%u..%u), model %s\n", set.c_str(), first, first + writers - 1, path.c_str());
    const float pens[] = {2, 3, 5, 8, 16, 30, 60};
    const float sizes[] = {0.1f, 0.25f, 0.5f, 0.75f, 1.0f};
    // White ink on black, the canvas's default: pen x size, where the pen is
    // at most a fifth of the ink height (thicker is a blob, not a digit).
    Tally byPen[7], bySize[5], digits[10];
    std::printf("\npen x size (white on black), %% right of 10 digits x %d writers\n   pen", writers);
    for (float s : sizes)
        std::printf("  %5.0f%%", s * 100);
    std::printf("\n");
    for (int p = 0; p < 7; ++p) {
        std::printf("%4.0fpx", pens[p]);
        for (int s = 0; s < 5; ++s) {
            if (pens[p] > 0.2f * sizes[s] * 560) {
                std::printf("  %6s", "-");
                continue;
            }
            Scene sc;
            sc.pen = pens[p];
            sc.size = sizes[s];
            Tally t;
            run(sc, t, digits);
            byPen[p].ok += t.ok, byPen[p].n += t.n;
            bySize[s].ok += t.ok, bySize[s].n += t.n;
            std::printf("  %6.1f", t.pct());
        }
        std::printf("   all sizes %5.1f\n", byPen[p].pct());
    }
    std::printf("  size ");
    for (int s = 0; s < 5; ++s)
        std::printf("  %6.1f", bySize[s].pct());
    std::printf("  (all pens)\n  per digit:");
    for (int d = 0; d < 10; ++d)
        std::printf(" %d:%.0f", d, digits[d].pct());
    std::printf("\n");

    // Paper brightness in both polarities: pen 16, ink 60% of the page.
    std::printf("\npaper brightness (pen 16 px, size 60%%)\n  paper   dark ink  light ink\n");
    for (float paper : {0.3f, 0.4f, 0.5f, 0.6f, 0.7f}) {
        Tally dark, light;
        Scene sc;
        sc.size = 0.6f;
        sc.paper = paper;
        sc.ink = paper * 0.2f;
        run(sc, dark);
        sc.ink = 1.0f - (1.0f - paper) * 0.2f;
        run(sc, light);
        std::printf("  %.1f    %6.1f    %6.1f\n", paper, dark.pct(), light.pct());
    }

    // Uneven light and dust, dark ink on white paper (a photo of a sheet)
    // and light ink on a dark board.
    std::printf("\nlighting and dust (pen 16 px, size 60%%)\n                          dark ink  light ink\n");
    struct Case {
        const char* name;
        float gradient, shadow, band;
        int specks;
    };
    for (const Case& c : {Case{"flat", 0, 0, 0, 0}, Case{"gradient 0.5 across", 0.5f, 0, 0, 0},
                          Case{"one half 0.3 darker", 0, 0.3f, 0, 0}, Case{"8 specks", 0, 0, 0, 8},
                          Case{"dark band at bottom", 0, 0, 0.08f, 0},
                          Case{"gradient+specks+band", 0.4f, 0, 0.08f, 6}}) {
        Tally dark, light;
        Scene sc;
        sc.size = 0.6f;
        sc.gradient = c.gradient;
        sc.shadow = c.shadow;
        sc.band = c.band;
        sc.specks = c.specks;
        sc.paper = 0.9f;
        sc.ink = 0.1f;
        run(sc, dark);
        sc.band = 0;  // a band darker than a dark board is no shadow
        sc.paper = 0.15f;
        sc.ink = 0.9f;
        run(sc, light);
        std::printf("  %-22s  %6.1f    %6.1f\n", c.name, dark.pct(), light.pct());
    }
    std::printf("\npreprocess: %.3f ms per page on average (%d pages of 560x560)\n", ms / pages, pages);
    return 0;
}
