// Writes the seed corpus of the five fuzz targets: valid inputs produced by
// the engine itself and near-valid ones (truncated, bit-flipped, headers that
// lie, typos), one file each, into OUTDIR/{idx_raw,idx_gz,model,spec,checkpoint,onnx}/.
//
//   digitpad-fuzz-corpus OUTDIR
//
// Deterministic: the same program writes the same files. Run by scripts/fuzz-corpus.
#include "targets.h"

#include "../onnx_builder.h"

#include <nn/model.h>
#include <nn/onnx.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

int g_written = 0;

void put(const fs::path& dir, const std::string& name, const Bytes& b)
{
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    if (!out) {
        std::cerr << "digitpad-fuzz-corpus: cannot write " << (dir / name).string() << "\n";
        std::exit(1);
    }
    ++g_written;
}

void put(const fs::path& dir, const std::string& name, const std::string& s) { put(dir, name, Bytes(s.begin(), s.end())); }

Bytes idx(const std::vector<std::uint32_t>& dims, const Bytes& data, std::uint8_t type = 0x08)
{
    Bytes b = {0, 0, type, std::uint8_t(dims.size())};
    for (auto d : dims)
        for (int sh : {24, 16, 8, 0})
            b.push_back(std::uint8_t(d >> sh));
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

Bytes pattern(std::size_t n, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b)
        x = std::uint8_t(rng() % 4 == 0 ? rng() : 0);
    return b;
}

Bytes labels(std::size_t n)
{
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = std::uint8_t(i % 10);
    return b;
}

Bytes truncated(const Bytes& b, std::size_t keep) { return Bytes(b.begin(), b.begin() + std::min(keep, b.size())); }

Bytes flipped(Bytes b, std::size_t at, std::uint8_t mask = 0x10)
{
    if (!b.empty())
        b[at % b.size()] ^= mask;
    return b;
}

Bytes concat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes gz(const Bytes& b, int level = 6) { return digitpad_fuzz::gzipBytes(b.data(), b.size(), level); }

// The valid and near-valid IDX files shared by both IDX targets.
std::vector<std::pair<std::string, Bytes>> idxSeeds()
{
    std::vector<std::pair<std::string, Bytes>> s;
    const Bytes images = idx({3, 28, 28}, pattern(3 * 784, 1));
    const Bytes small = idx({2, 4, 4}, pattern(32, 2));
    s.push_back({"images-3x28x28", images});
    s.push_back({"images-2x4x4", small});
    s.push_back({"labels-10", idx({10}, labels(10))});
    s.push_back({"labels-1", idx({1}, {7})});
    s.push_back({"rank2-5x3", idx({5, 3}, pattern(15, 3))});
    s.push_back({"rank4-2x2x2x2", idx({2, 2, 2, 2}, pattern(16, 4))});
    s.push_back({"truncated-data", truncated(images, images.size() - 100)});
    s.push_back({"truncated-header", truncated(images, 9)});
    s.push_back({"magic-only", {0, 0, 8, 1}});
    s.push_back({"trailing-data", concat(small, {1, 2, 3})});
    s.push_back({"claims-4-billion", idx({0xFFFFFFFFu, 28, 28}, pattern(64, 5))});
    s.push_back({"claims-60000", idx({60000, 28, 28}, pattern(784, 6))});
    s.push_back({"dim-zero", idx({0, 28, 28}, {})});
    s.push_back({"rank-0", {0, 0, 8, 0}});
    s.push_back({"rank-5", idx({1, 1, 1, 1, 1}, {9})});
    s.push_back({"type-float", idx({4}, pattern(16, 7), 0x0D)});
    s.push_back({"type-int32", idx({2}, pattern(8, 8), 0x0C)});
    s.push_back({"type-unknown", idx({2}, pattern(2, 9), 0x42)});
    s.push_back({"not-idx-png", {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}});
    s.push_back({"empty", {}});
    s.push_back({"flipped-rank", flipped(small, 3, 0x02)});
    s.push_back({"flipped-dim", flipped(small, 5, 0x01)});
    return s;
}

fs::path dirFor(const fs::path& out, const char* target)
{
    const fs::path d = out / target;
    fs::create_directories(d);
    return d;
}

void writeIdxTargets(const fs::path& out)
{
    const fs::path raw = dirFor(out, "idx_raw");
    const fs::path gzd = dirFor(out, "idx_gz");
    for (const auto& [name, bytes] : idxSeeds()) {
        put(raw, name, bytes);
        // The gz target compresses plain input itself, so the raw seeds serve it too.
        put(gzd, "plain-" + name, bytes);
        if (!bytes.empty())
            put(gzd, name + ".gz", gz(bytes));
    }
    const Bytes images = idx({3, 28, 28}, pattern(3 * 784, 1));
    const Bytes z = gz(images, 9);
    put(raw, "images.gz", z);
    put(gzd, "stored-level0.gz", gz(images, 0));
    put(gzd, "truncated.gz", truncated(z, z.size() / 2));
    put(gzd, "truncated-trailer.gz", truncated(z, z.size() - 4));
    put(gzd, "bad-crc.gz", flipped(z, z.size() - 6, 0x01));
    put(gzd, "bad-isize.gz", flipped(z, z.size() - 2, 0x01));
    put(gzd, "flipped-deflate.gz", flipped(z, z.size() / 3, 0x04));
    put(gzd, "two-members.gz", concat(gz(truncated(images, 100)), gz(Bytes(images.begin() + 100, images.end()))));
    put(gzd, "garbage-after.gz", concat(z, {0, 1, 2, 3}));
    put(gzd, "magic-only.gz", Bytes{0x1f, 0x8b});
    put(gzd, "header-only.gz", truncated(z, 10));
    put(gzd, "zeros-bomb.gz", gz(concat(idx({16}, Bytes(16, 1)), Bytes(1 << 20, 0)), 9));
    put(gzd, "claims-4-billion.gz", gz(idx({0xFFFFFFFFu, 28, 28}, pattern(64, 5))));
}

nn::Model model(const std::string& spec, std::uint64_t seed)
{
    nn::Model m = nn::Model::fromSpec(spec, {1, 28, 28}, 10);
    m.initialize(seed);
    m.metadata()["data"] = "fuzz seed";
    m.metadata()["epochs"] = "0";
    return m;
}

void writeModelTarget(const fs::path& out)
{
    const fs::path d = dirFor(out, "model");
    const std::vector<std::pair<std::string, std::string>> specs = {
        {"tiny-pool-dense", "maxpool 7 | dense 10"},
        {"tiny-conv", "conv 2 3 stride=2 | relu | maxpool 4 | dense 10"},
        {"tiny-bn", "conv 2 5 pad=2 | batchnorm | relu | maxpool 7 | dropout 0.3 | dense 10"},
        {"tiny-act", "maxpool 4 | dense 8 init=xavier | tanh | dense 6 | sigmoid | dense 10"},
        {"dense10", "dense 10"},
        {"lenet5", nn::Model::presetSpec("lenet5")},
    };
    Bytes small;
    for (const auto& [name, spec] : specs) {
        const Bytes b = nn::modelToBytes(model(spec, 7));
        put(d, name + ".dpm", b);
        if (small.empty())
            small = b;
    }
    // Near-valid versions of the smallest model.
    const std::size_t n = small.size();
    put(d, "truncated-half.dpm", truncated(small, n / 2));
    put(d, "truncated-crc.dpm", truncated(small, n - 2));
    put(d, "truncated-16.dpm", truncated(small, 16));
    put(d, "magic-only.dpm", truncated(small, 8));
    put(d, "flipped-spec.dpm", flipped(small, 24));
    put(d, "flipped-value.dpm", flipped(small, n - 40));
    put(d, "flipped-crc.dpm", flipped(small, n - 1));
    put(d, "trailing.dpm", concat(small, {0, 0, 0, 0}));
    Bytes newer = small;
    newer[8] = 2;
    put(d, "version-2.dpm", newer);
    put(d, "wrong-magic.dpm", flipped(small, 0, 0x20));
    // Structural damage with a valid checksum, so the parser (not the CRC) decides.
    const auto fixCrc = [](Bytes b) {
        const std::uint32_t crc = nn::crc32(b.data(), b.size() - 4);
        for (int i = 0; i < 4; ++i)
            b[b.size() - 4 + std::size_t(i)] = std::uint8_t(crc >> (8 * i));
        return b;
    };
    put(d, "crc-ok-flipped-spec.dpm", fixCrc(flipped(small, 24, 0x01)));
    put(d, "crc-ok-flipped-shape.dpm", fixCrc(flipped(small, 60, 0x01)));
    // A model trained for another input: 3x32x32, loaded with the pad's 1x28x28.
    {
        nn::Model m = nn::Model::fromSpec("maxpool 8 | dense 10", {3, 32, 32}, 10);
        put(d, "input-3x32x32.dpm", nn::modelToBytes(m));
    }
    put(d, "empty.dpm", Bytes{});
}

void writeSpecTarget(const fs::path& out)
{
    const fs::path d = dirFor(out, "spec");
    int i = 0;
    const auto spec = [&](const std::string& s) { put(d, "spec-" + std::to_string(i++), s); };
    for (const auto& name : nn::Model::presetNames())
        spec(nn::Model::presetSpec(name));
    for (const char* s : {
             "dense 10", "flatten | dense 10", "conv 8 3 pad=same | relu | maxpool 2 stride=2 | dense 10",
             "conv 4 5 stride=2 pad=1 init=xavier | sigmoid | dense 10 init=he",
             "conv2d 4 3 | bn | pool 2 | fc 32 | tanh | dropout 0.0 | linear 10",
             "batchnorm | dense 10", "maxpool 28 | dense 10", "conv 10 28",
             // typos and near misses
             "conv 32 5 pad=2 | rleu | dense 10", "dense 10 |", "| dense 10", "dense 10 || dense 10",
             "dense ten", "dense -5 | dense 10", "dense 0", "dense 100001 | dense 10", "conv 8 3 pad=same2 | dense 10",
             "conv 8 4 pad=same | dense 10", "conv 8 3 pad=-1 | dense 10", "conv 8 29 | dense 10",
             "conv 8 3 stride=0 | dense 10", "conv 8 3 stride=2 stride=2 | dense 10", "conv 8 3 pad= | dense 10",
             "conv 8 3 =2 | dense 10", "conv 8 3 pad=1 4 | dense 10", "conv 8 3 foo=1 | dense 10",
             "conv 8 | dense 10", "maxpool 2 3 | dense 10", "maxpool 29 | dense 10", "dropout 1.0 | dense 10",
             "dropout nan | dense 10", "dropout 0.5 x | dense 10", "relu 3 | dense 10", "dense 10 init=kaiming",
             "dense 12", "dense 10 | dense 10 | dense 10", "DENSE 10", "  dense\t10  ", "", " ", "|",
             "dense 10\n| relu", "conv 99999 1 | dense 10", "dense 99999 | dense 2000",
             "conv 64 3 pad=1 | conv 64 3 pad=1 | conv 64 3 pad=1 | maxpool 2 | dense 10",
             "conv 1 1 pad=99999 | dense 10", "maxpool 1 stride=99999 | dense 10",
         })
        spec(s);
}

// ---- checkpoints ---------------------------------------------------------------

// Training states as the trainer hands them to its epoch callback: a tiny model
// trained for one or two short epochs on bars drawn on a 28x28 image.
nn::Dataset bars(int n)
{
    nn::Dataset d;
    d.images.assign(std::size_t(n) * 784, 0);
    for (int i = 0; i < n; ++i) {
        const int label = i % 10;
        d.labels.push_back(std::uint8_t(label));
        for (int y = 0; y < 28; ++y)
            for (int x = 2 * label; x < 2 * label + 4; ++x)
                d.images[std::size_t(i) * 784 + std::size_t(y) * 28 + std::size_t(x)] = 255;
    }
    return d;
}

struct Trained {
    nn::Model model;
    nn::TrainState state;
};

Trained trained(const std::string& spec, nn::OptimizerConfig::Kind kind, int epochs, int patience = 0)
{
    nn::Model m = model(spec, 11);
    m.metadata()["checkpoint.config"] = "fuzz seed";
    nn::TrainConfig c;
    c.epochs = epochs;
    c.batchSize = 8;
    c.maxBatchesPerEpoch = 3;
    c.threads = 1;
    c.learningRate = 0.01f;
    c.optimizer.kind = kind;
    c.earlyStopPatience = patience;
    if (patience > 0)
        c.schedule.kind = nn::ScheduleConfig::Plateau;
    nn::TrainState last;
    const nn::Dataset train = bars(40), val = bars(20);
    nn::Trainer(m, c).run(train, val, {}, [&](const nn::EpochReport&, const nn::TrainState& st) { last = st; });
    return {std::move(m), std::move(last)};
}

Bytes checkpoint(const Trained& t, nn::OptimizerConfig::Kind kind)
{
    nn::TrainConfig c;
    c.optimizer.kind = kind;
    return nn::checkpointToBytes(t.model, c, t.state);
}

std::uint64_t getU64(const Bytes& b, std::size_t at)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= std::uint64_t(b.at(at + std::size_t(i))) << (8 * i);
    return v;
}

void setU32(Bytes& b, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b.at(at + std::size_t(i)) = std::uint8_t(v >> (8 * i));
}

void setU64(Bytes& b, std::size_t at, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        b.at(at + std::size_t(i)) = std::uint8_t(v >> (8 * i));
}

void setF32(Bytes& b, std::size_t at, float f)
{
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    setU32(b, at, u);
}

void setF64(Bytes& b, std::size_t at, double d)
{
    std::uint64_t u;
    std::memcpy(&u, &d, 8);
    setU64(b, at, u);
}

// Where each field of a checkpoint's training state starts.
struct StateOffsets {
    std::size_t nextEpoch, step, params, optM, optV, optSteps, plateauScale, plateauBest, plateauBad, bestValLoss,
        bestValAccuracy, epochsWithoutImprovement, bestParams, crc;
};

StateOffsets stateOffsets(const Bytes& b)
{
    StateOffsets o{};
    std::size_t at = digitpad_fuzz::kCheckpointHead + std::size_t(getU64(b, 12));
    at += 4 + std::size_t(getU64(b, at) & 0xFFFFFFFFu);  // the config description
    at += 4 + std::size_t(getU64(b, at) & 0xFFFFFFFFu);  // the run settings (format 2)
    const auto array = [&](std::size_t& field) {
        field = at;
        at += 8 + 4 * std::size_t(getU64(b, at));
    };
    o.nextEpoch = at, at += 4;
    o.step = at, at += 8;
    array(o.params);
    array(o.optM);
    array(o.optV);
    o.optSteps = at, at += 8;
    o.plateauScale = at, at += 4;
    o.plateauBest = at, at += 8;
    o.plateauBad = at, at += 4;
    o.bestValLoss = at, at += 8;
    o.bestValAccuracy = at, at += 8;
    o.epochsWithoutImprovement = at, at += 4;
    array(o.bestParams);
    o.crc = at;
    if (o.crc + 4 != b.size()) {
        std::cerr << "digitpad-fuzz-corpus: checkpoint layout changed; update stateOffsets()\n";
        std::exit(1);
    }
    return o;
}

// Recomputes both checksums, so the loader's structure and value checks decide.
Bytes crcOk(const Bytes& b) { return digitpad_fuzz::withCheckpointCrcs(b.data(), b.size()); }

void writeCheckpointTarget(const fs::path& out)
{
    using K = nn::OptimizerConfig;
    const fs::path d = dirFor(out, "checkpoint");
    const std::string tiny = "maxpool 7 | dense 10";
    const Trained sgd = trained(tiny, K::SGD, 1);
    const Trained adam = trained(tiny, K::Adam, 2);
    const Trained bn =
        trained("conv 2 5 pad=2 | batchnorm | relu | maxpool 7 | dropout 0.3 | dense 10", K::AdamW, 2, 1);
    const Bytes small = checkpoint(sgd, K::SGD);
    const Bytes withAdam = checkpoint(adam, K::Adam);
    put(d, "sgd-tiny.ckpt", small);
    put(d, "adam-tiny.ckpt", withAdam);
    put(d, "adamw-bn-early-stop.ckpt", checkpoint(bn, K::AdamW));
    {
        // What engine tests and the CLI write: parameters only, no optimizer state.
        Trained bare{model("conv 2 3 stride=2 | relu | maxpool 4 | dense 10", 5), {}};
        bare.state.params = bare.model.params();
        bare.state.nextEpoch = 3;
        put(d, "params-only.ckpt", checkpoint(bare, K::Adam));
    }

    // Near-valid versions of the smallest.
    const std::size_t n = small.size();
    const StateOffsets o = stateOffsets(small);
    const StateOffsets oa = stateOffsets(withAdam);
    put(d, "empty.ckpt", Bytes{});
    put(d, "magic-only.ckpt", truncated(small, 8));
    put(d, "truncated-head.ckpt", truncated(small, 19));
    put(d, "truncated-model.ckpt", truncated(small, n / 3));
    put(d, "truncated-state.ckpt", truncated(small, o.optM + 5));
    put(d, "truncated-crc.ckpt", truncated(small, n - 2));
    put(d, "wrong-magic.ckpt", flipped(small, 7, 0x04));
    put(d, "model-file.ckpt", nn::modelToBytes(sgd.model));
    put(d, "flipped-crc.ckpt", flipped(small, n - 1));
    put(d, "flipped-param.ckpt", flipped(small, o.params + 12));
    put(d, "flipped-model.ckpt", flipped(small, 40));
    put(d, "trailing.ckpt", concat(small, {0, 0, 0, 0}));
    const auto edited = [&](const Bytes& base, auto&& edit) {
        Bytes b = base;
        edit(b);
        return crcOk(b);
    };
    put(d, "version-2.ckpt", edited(small, [](Bytes& b) { b[8] = 2; }));
    put(d, "version-0.ckpt", edited(small, [](Bytes& b) { b[8] = 0; }));
    put(d, "model-length-huge.ckpt", edited(small, [](Bytes& b) { setU64(b, 12, 1ull << 40); }));
    put(d, "model-length-short.ckpt", edited(small, [](Bytes& b) { setU64(b, 12, getU64(b, 12) - 4); }));
    put(d, "model-length-0.ckpt", edited(small, [](Bytes& b) { setU64(b, 12, 0); }));
    put(d, "crc-ok-trailing.ckpt", crcOk(concat(small, {0, 0, 0, 0})));
    put(d, "crc-ok-model-spec.ckpt", edited(small, [](Bytes& b) { b[45] ^= 0x01; }));
    put(d, "config-length-huge.ckpt", edited(small, [](Bytes& b) {
            setU32(b, digitpad_fuzz::kCheckpointHead + std::size_t(getU64(b, 12)), 0xFFFFFFF0u);
        }));
    put(d, "epoch-negative.ckpt", edited(small, [&](Bytes& b) { setU32(b, o.nextEpoch, 0xFFFFFFFFu); }));
    put(d, "step-negative.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.step, ~0ull); }));
    put(d, "params-count-huge.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.params, 1ull << 62); }));
    put(d, "params-count-limit.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.params, 1ull << 26); }));
    put(d, "params-count-plus-1.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.params, getU64(b, o.params) + 1); }));
    put(d, "param-nan.ckpt", edited(small, [&](Bytes& b) { setF32(b, o.params + 8, std::nanf("")); }));
    put(d, "param-inf.ckpt", edited(small, [&](Bytes& b) { setF32(b, o.params + 12, INFINITY); }));
    put(d, "moment-count-odd.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.optM, 3); }));
    put(d, "adam-v-negative.ckpt", edited(withAdam, [&](Bytes& b) { setF32(b, oa.optV + 8, -1.0f); }));
    put(d, "adam-v-count-0.ckpt", edited(withAdam, [&](Bytes& b) { setU64(b, oa.optV, 0); }));
    put(d, "opt-steps-negative.ckpt", edited(small, [&](Bytes& b) { setU64(b, o.optSteps, 1ull << 63); }));
    put(d, "plateau-scale-0.ckpt", edited(small, [&](Bytes& b) { setF32(b, o.plateauScale, 0.0f); }));
    put(d, "plateau-scale-nan.ckpt", edited(small, [&](Bytes& b) { setF32(b, o.plateauScale, std::nanf("")); }));
    put(d, "plateau-best-nan.ckpt", edited(small, [&](Bytes& b) { setF64(b, o.plateauBest, std::nan("")); }));
    put(d, "plateau-bad-negative.ckpt", edited(small, [&](Bytes& b) { setU32(b, o.plateauBad, 0x80000000u); }));
    put(d, "best-loss-inf.ckpt", edited(small, [&](Bytes& b) { setF64(b, o.bestValLoss, INFINITY); }));
    put(d, "best-accuracy-2.ckpt", edited(small, [&](Bytes& b) { setF64(b, o.bestValAccuracy, 2.0); }));
    put(d, "no-improvement-negative.ckpt",
        edited(small, [&](Bytes& b) { setU32(b, o.epochsWithoutImprovement, 0xFFFFFFFEu); }));
    put(d, "best-params-count-1.ckpt", edited(small, [&](Bytes& b) {
            // A one-value best-parameter array, in place of the empty one.
            b.resize(o.crc);
            setU64(b, o.bestParams, 1);
            for (int i = 0; i < 8; ++i)
                b.push_back(0);
        }));
}

// ---- ONNX ---------------------------------------------------------------------

void writeOnnxTarget(const fs::path& out)
{
    const fs::path d = dirFor(out, "onnx");
    for (const nn::Model::Preset& p : nn::Model::presets()) {
        const nn::Model m = nn::Model::fromSpec(p.spec);
        put(d, std::string(p.name) + ".onnx", nn::modelToOnnx(m));
        put(d, std::string(p.name) + "-softmax.onnx", nn::modelToOnnx(m, {true}));
    }
    const Bytes small = nn::modelToOnnx(nn::Model::fromSpec(
        "conv 2 3 stride=2 pad=1 | batchnorm | sigmoid | maxpool 2 | flatten | dense 8 | tanh | dropout 0.2 | dense 10"));
    put(d, "every-layer.onnx", small);
    put(d, "every-layer-cut.onnx", truncated(small, small.size() / 2));
    put(d, "every-layer-flipped.onnx", flipped(small, small.size() / 3));
    // Small ones, so that mutations of whole valid models run fast (the
    // presets are 0.2 to 1.8 MB each).
    for (const char* spec : {"maxpool 7 | dense 10", "maxpool 4 | batchnorm | tanh | dense 10",
                             "conv 1 3 stride=3 | relu | maxpool 3 | flatten | dense 10",
                             "maxpool 7 | dense 6 | relu | dropout 0.5 | dense 10",
                             "conv 2 5 stride=4 pad=same | batchnorm | relu | dense 10"}) {
        const nn::Model m = nn::Model::fromSpec(spec);
        std::string name = spec;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '-';
        put(d, "small-" + name + ".onnx", nn::modelToOnnx(m));
        put(d, "small-" + name + "-softmax.onnx", nn::modelToOnnx(m, {true}));
    }
    // What torch.onnx.export writes for `x.view(x.size(0), -1) @ W + b` at opset 11
    // (tests/onnx_builder.h, as test_onnx builds it).
    {
        testonnx::OnnxGraph g;
        g.opset = 11;
        g.init("fc.weight_t", {16, 10}, testonnx::ramp(160)).init("fc.bias", {10}, testonnx::ramp(10));
        g.node("MaxPool", "MaxPool_0", {"input"}, {"m"},
               {nn::onnx::attrInts("kernel_shape", {7, 7}), nn::onnx::attrInts("strides", {7, 7})});
        g.node("Shape", "Shape_1", {"m"}, {"s"});
        nn::onnx::Writer zeroAttr;
        zeroAttr.string(1, "value");
        zeroAttr.message(5, nn::onnx::int64TensorProto("", std::vector<std::int64_t>{}, std::vector<std::int64_t>{0}));
        zeroAttr.int64(20, nn::onnx::kAttrTensor);
        g.node("Constant", "Constant_2", {}, {"zero"}, {zeroAttr});
        g.node("Gather", "Gather_3", {"s", "zero"}, {"n"}, {nn::onnx::attrInt("axis", 0)});
        g.node("Unsqueeze", "Unsqueeze_4", {"n"}, {"n1"}, {nn::onnx::attrInts("axes", {0})});
        g.initInts("minus_one", {1}, {-1});
        g.node("Concat", "Concat_5", {"n1", "minus_one"}, {"shape"}, {nn::onnx::attrInt("axis", 0)});
        g.node("Reshape", "Reshape_6", {"m", "shape"}, {"flat"});
        g.node("MatMul", "MatMul_7", {"flat", "fc.weight_t"}, {"mm"});
        g.node("Add", "Add_8", {"mm", "fc.bias"}, {"z"});
        g.node("LogSoftmax", "LogSoftmax_9", {"z"}, {"logits"}, {nn::onnx::attrInt("axis", 1)});
        put(d, "torch-style-view-matmul.onnx", g.bytes());
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: digitpad-fuzz-corpus OUTDIR\n";
        return 2;
    }
    const fs::path out(argv[1]);
    writeIdxTargets(out);
    writeModelTarget(out);
    writeSpecTarget(out);
    writeCheckpointTarget(out);
    writeOnnxTarget(out);
    std::cout << "wrote " << g_written << " seed files to " << out.string() << "\n";
    return 0;
}
