#pragma once
// The CPU levels the engine is built for, which one runs, and DIGITPAD_ISA.
//
// The engine library (libdigitnn.so) is built once per level from the same
// sources, each build with its own -march, under one SONAME:
//
//   <dir>/libdigitnn.so                           baseline  x86-64 (SSE2)
//   <dir>/glibc-hwcaps/x86-64-v3/libdigitnn.so    avx2      AVX2 + FMA
//   <dir>/glibc-hwcaps/x86-64-v4/libdigitnn.so    avx512    AVX-512 F/BW/CD/DQ/VL
//
// The executables are built for baseline x86-64 and carry <dir> as RUNPATH;
// the dynamic loader (glibc >= 2.33) looks into the glibc-hwcaps
// subdirectories of every search directory and loads the best build the CPU
// supports. So the level is chosen once, before main, and every instruction
// of the engine (our loops, Eigen's GEMM, everything inlined into them) comes
// from that one build. Why this is safe against the linker merging inline
// functions of different levels: see nn/CMakeLists.txt.
//
// DIGITPAD_ISA=baseline|avx2|avx512 asks for a lower level: the library's
// start-up code re-executes the program with GLIBC_TUNABLES masking the CPU
// features of the levels above it (glibc.cpu.hwcaps=-AVX512F,-AVX2), so the
// loader picks the lower build. A level the CPU lacks falls back with a
// warning. Programs started from there inherit DIGITPAD_ISA (and apply it
// again), not the mask. DIGITPAD_ISA_STRICT=1 (set by ctest's per-level entries) turns
// these into exits: 77 (skip) when the CPU lacks the level, 1 when the level
// that runs is not the one asked for.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nn::cpu {

enum class Level { Baseline = 0, Avx2 = 1, Avx512 = 2 };

// "baseline", "avx2", "avx512": the names DIGITPAD_ISA takes.
const char* levelName(Level level);
// "x86-64 (SSE2)", "x86-64-v3 (AVX2+FMA)", "x86-64-v4 (AVX-512F/BW/CD/DQ/VL)".
const char* levelDescription(Level level);
// A level by name (also "x86-64", "x86-64-v3", "x86-64-v4"); nullopt otherwise.
std::optional<Level> parseLevel(std::string_view name);

// The level this engine build was compiled for: the code that runs.
Level activeLevel();
// The best level this CPU (and its OS, for the AVX register state) supports,
// from cpuid, whatever the loader or DIGITPAD_ISA chose.
Level cpuLevel();
// The levels this build of DigitPad has engine libraries for, lowest first.
std::vector<Level> builtLevels();
// True when the whole program was built with -march=native (DIGITPAD_NATIVE):
// one engine, no choice at run time.
bool nativeBuild();

// What happened at start: the level asked for by DIGITPAD_ISA, if any, and a
// sentence when it could not be honoured (empty otherwise).
struct Selection {
    Level active = Level::Baseline;
    Level cpu = Level::Baseline;
    std::optional<Level> requested;
    std::string note;
};
const Selection& selection();

// One line for `digitpad-cli info`, `bench` and the About box, e.g.
// "avx2: x86-64-v3 (AVX2+FMA), forced by DIGITPAD_ISA; the CPU supports avx512".
std::string summary();

// Peak single-precision GFLOP/s of one thread at this build's level: a loop of
// independent multiply-add chains in the widest vectors the level has (FMA on
// avx2 and avx512, a multiply and an add on baseline), run for about `seconds`
// of this thread's CPU time (so a busy machine does not lower it).
// For benchmarks (bench_kernels, digitpad-cli bench), never for tests.
double fmaPeakGflops(double seconds = 0.2);

}  // namespace nn::cpu
