// Which engine build runs, what the CPU supports, and DIGITPAD_ISA (see cpu.h).
//
// This file is compiled into every level's libdigitnn.so like the rest of the
// engine; activeLevel() reads the compiler's own macros, so what it reports is
// what the code around it was really compiled for.
#include "cpu.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nn::cpu {

namespace {

constexpr Level compiledLevel()
{
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512CD__) && defined(__AVX512DQ__) && \
    defined(__AVX512VL__)
    return Level::Avx512;
#elif defined(__AVX2__) && defined(__FMA__)
    return Level::Avx2;
#else
    return Level::Baseline;
#endif
}

// The same test the loader makes for the glibc-hwcaps subdirectories
// (x86-64-v3, x86-64-v4), OS support for the wider registers included.
Level detectCpu()
{
#if defined(__x86_64__)
    __builtin_cpu_init();
#if defined(__clang__)
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
        return Level::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))
        return Level::Avx2;
#else
    if (__builtin_cpu_supports("x86-64-v4"))
        return Level::Avx512;
    if (__builtin_cpu_supports("x86-64-v3"))
        return Level::Avx2;
#endif
#endif
    return Level::Baseline;
}

// The glibc.cpu.hwcaps tunable that makes the loader skip every
// glibc-hwcaps subdirectory above `level`: x86-64-v4 needs AVX512F and
// x86-64-v3 needs AVX2, so masking those is enough (checked on glibc 2.36).
const char* hwcapsMask(Level level)
{
    switch (level) {
    case Level::Baseline:
        return "glibc.cpu.hwcaps=-AVX512F,-AVX2";
    case Level::Avx2:
        return "glibc.cpu.hwcaps=-AVX512F";
    case Level::Avx512:
        break;
    }
    return "";
}

std::vector<Level> parseBuiltLevels()
{
    std::vector<Level> out;
#ifdef DIGITNN_BUILT_LEVELS
    std::string_view s = DIGITNN_BUILT_LEVELS;
    while (!s.empty()) {
        const auto comma = s.find(',');
        if (const auto l = parseLevel(s.substr(0, comma)))
            out.push_back(*l);
        s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    }
#endif
    if (out.empty())
        out.push_back(compiledLevel());
    return out;
}

bool isBuilt(Level l)
{
    for (Level b : builtLevels())
        if (b == l)
            return true;
    return false;
}

Selection& state()
{
    static Selection s;
    return s;
}

[[noreturn]] void strictExit(int code, const std::string& message)
{
    std::fprintf(stderr, "DIGITPAD_ISA_STRICT: %s\n", message.c_str());
    std::fflush(stderr);
    std::_Exit(code);
}

// Records a level that cannot be honoured; under DIGITPAD_ISA_STRICT that ends
// the program (77: the CPU lacks it, a skip; 1: anything else, a failure).
void refuse(Selection& s, std::string note, bool strict, int strictCode)
{
    s.note = std::move(note);
    if (strict)
        strictExit(strictCode, s.note);
    std::fprintf(stderr, "warning: %s\n", s.note.c_str());
}

// Runs before main (and before this library's own static constructors): by
// then the loader has picked the build, so a lower level asked for by
// DIGITPAD_ISA is reached by starting the program again with the higher
// levels' CPU features masked. glibc passes argc/argv/envp to ELF
// constructors of shared objects.
__attribute__((constructor(101))) void startUp(int /*argc*/, char** argv, char** /*envp*/)
{
    Selection& s = state();
    s.active = compiledLevel();
    s.cpu = detectCpu();
    const char* strictEnv = std::getenv("DIGITPAD_ISA_STRICT");
    const bool strict = strictEnv && std::strcmp(strictEnv, "1") == 0;
    // Set only for the run that this code itself re-executed, to the
    // GLIBC_TUNABLES it had before ("-" for none). The loader has read the
    // mask by now: the environment gets its old value back, so that programs
    // started from here choose for themselves (they inherit DIGITPAD_ISA and
    // apply it again), not inherit a mask that would keep them lower.
    const char* reexecEnv = std::getenv("DIGITPAD_ISA_REEXEC");
    const bool reexecuted = reexecEnv != nullptr;
    std::string maskUsed;
    if (reexecuted) {
        const std::string before = reexecEnv;
        if (const char* t = std::getenv("GLIBC_TUNABLES"))
            maskUsed = t;
        if (before == "-")
            unsetenv("GLIBC_TUNABLES");
        else
            setenv("GLIBC_TUNABLES", before.substr(1).c_str(), 1);
        unsetenv("DIGITPAD_ISA_REEXEC");
    }

    const char* want = std::getenv("DIGITPAD_ISA");
    if (!want || !*want) {
        if (strict)
            strictExit(1, "DIGITPAD_ISA_STRICT=1 without DIGITPAD_ISA");
        if (s.active < s.cpu && !nativeBuild())
            s.note = std::string("the CPU supports ") + levelName(s.cpu) +
                     ", but the loader chose this build (a glibc.cpu.hwcaps tunable, or the " + levelName(s.cpu) +
                     " library is not installed)";
        return;
    }
    const auto r = parseLevel(want);
    if (!r) {
        refuse(s, std::string("DIGITPAD_ISA=") + want + " is not a level (baseline, avx2, avx512); running " +
                      levelName(s.active),
               strict, 1);
        return;
    }
    s.requested = r;
    const std::string asked = std::string("DIGITPAD_ISA=") + levelName(*r);
    if (*r > s.cpu) {
        refuse(s, asked + ": this CPU supports only " + levelName(s.cpu) + "; running " + levelName(s.active), strict,
               77);
        return;
    }
    if (*r == s.active)
        return;
    if (nativeBuild()) {
        refuse(s, asked + ": this is a -march=native build with one engine (" + std::string(levelName(s.active)) +
                      "); running that",
               strict, 1);
        return;
    }
    if (!isBuilt(*r)) {
        refuse(s, asked + ": this build has no " + levelName(*r) + " engine; running " + levelName(s.active), strict,
               1);
        return;
    }
    if (*r > s.active || reexecuted) {
        const char* t = std::getenv("GLIBC_TUNABLES");
        refuse(s, asked + ": the loader chose the " + std::string(levelName(s.active)) +
                      " engine (GLIBC_TUNABLES=" + (reexecuted ? maskUsed : std::string(t ? t : "")) + ")",
               strict, 1);
        return;
    }
    // Lower than what was loaded: start again with the features masked.
    const char* before = std::getenv("GLIBC_TUNABLES");
    const std::string saved = before ? before : "";
    std::string tunables = saved.empty() ? std::string() : saved + ":";
    tunables += hwcapsMask(*r);
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
    setenv("DIGITPAD_ISA_REEXEC", before ? ("=" + saved).c_str() : "-", 1);
    std::fflush(nullptr);
    execv("/proc/self/exe", argv);
    const int err = errno;
    unsetenv("DIGITPAD_ISA_REEXEC");
    if (before)
        setenv("GLIBC_TUNABLES", saved.c_str(), 1);
    else
        unsetenv("GLIBC_TUNABLES");
    refuse(s, asked + ": could not start /proc/self/exe again (" + std::strerror(err) + "); running " +
                  levelName(s.active),
           strict, 1);
}

}  // namespace

const char* levelName(Level level)
{
    switch (level) {
    case Level::Baseline:
        return "baseline";
    case Level::Avx2:
        return "avx2";
    case Level::Avx512:
        return "avx512";
    }
    return "?";
}

const char* levelDescription(Level level)
{
    switch (level) {
    case Level::Baseline:
        return "x86-64 (SSE2)";
    case Level::Avx2:
        return "x86-64-v3 (AVX2+FMA)";
    case Level::Avx512:
        return "x86-64-v4 (AVX-512F/BW/CD/DQ/VL)";
    }
    return "?";
}

std::optional<Level> parseLevel(std::string_view name)
{
    if (name == "baseline" || name == "x86-64")
        return Level::Baseline;
    if (name == "avx2" || name == "x86-64-v3")
        return Level::Avx2;
    if (name == "avx512" || name == "x86-64-v4")
        return Level::Avx512;
    return std::nullopt;
}

Level activeLevel() { return compiledLevel(); }

Level cpuLevel()
{
    static const Level l = detectCpu();
    return l;
}

std::vector<Level> builtLevels()
{
    static const std::vector<Level> levels = parseBuiltLevels();
    return levels;
}

bool nativeBuild()
{
#ifdef DIGITNN_NATIVE_BUILD
    return true;
#else
    return false;
#endif
}

const Selection& selection() { return state(); }

std::string summary()
{
    const Selection& s = selection();
    std::string out = std::string(levelName(s.active)) + ": " + levelDescription(s.active);
    if (nativeBuild())
        out += ", -march=native build";
    if (s.requested && *s.requested == s.active)
        out += ", forced by DIGITPAD_ISA";
    out += std::string("; the CPU supports ") + levelName(s.cpu);
    if (!s.note.empty())
        out += " (" + s.note + ")";
    return out;
}

double fmaPeakGflops(double seconds)
{
    // 12 independent accumulators: enough to cover the multiply-add latency
    // on two pipes, so the loop runs at the throughput limit.
    constexpr int kChains = 12;
    constexpr long kInner = 1 << 14;
#if defined(__AVX512F__)
    using V = __m512;
    constexpr int kLanes = 16;
    const auto set1 = [](float x) { return _mm512_set1_ps(x); };
    const auto madd = [](V a, V m, V c) { return _mm512_fmadd_ps(a, m, c); };
    const auto first = [](V a) { return _mm512_cvtss_f32(a); };
#elif defined(__AVX2__) && defined(__FMA__)
    using V = __m256;
    constexpr int kLanes = 8;
    const auto set1 = [](float x) { return _mm256_set1_ps(x); };
    const auto madd = [](V a, V m, V c) { return _mm256_fmadd_ps(a, m, c); };
    const auto first = [](V a) { return _mm256_cvtss_f32(a); };
#elif defined(__SSE2__)
    using V = __m128;
    constexpr int kLanes = 4;
    const auto set1 = [](float x) { return _mm_set1_ps(x); };
    const auto madd = [](V a, V m, V c) { return _mm_add_ps(_mm_mul_ps(a, m), c); };
    const auto first = [](V a) { return _mm_cvtss_f32(a); };
#else
    using V = float;
    constexpr int kLanes = 1;
    const auto set1 = [](float x) { return x; };
    const auto madd = [](V a, V m, V c) { return a * m + c; };
    const auto first = [](V a) { return a; };
#endif
    V acc[kChains];
    for (int i = 0; i < kChains; ++i)
        acc[i] = set1(float(i) * 1e-3f);
    const V m = set1(0.999999f), c = set1(1e-7f);
    // This thread's CPU time, not the wall clock: on a shared machine the
    // peak is what the core does while it runs this thread, the measure
    // Google Benchmark's rates use for the kernels too.
    const auto cpuSeconds = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
    };
    const double start = cpuSeconds();
    long outer = 0;
    double now = start;
    do {
        for (long it = 0; it < kInner; ++it) {
#pragma GCC unroll 12
            for (int i = 0; i < kChains; ++i)
                acc[i] = madd(acc[i], m, c);
        }
        ++outer;
        now = cpuSeconds();
    } while (now - start < seconds);
    float sink = 0;
    for (int i = 0; i < kChains; ++i)
        sink += first(acc[i]);
    // Keeps the chains alive without printing anything.
    volatile float keep = sink;
    (void)keep;
    return double(outer) * double(kInner) * kChains * kLanes * 2.0 / (now - start) / 1e9;
}

}  // namespace nn::cpu
