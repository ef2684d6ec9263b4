#pragma once
// The six fuzz targets as plain functions, shared by the libFuzzer harnesses
// (fuzz_*.cpp, built with -DDIGITPAD_FUZZ=ON and clang) and by the ctest
// replay of committed crash inputs (test_fuzz_regressions.cpp, any build).
//
// The contract each checks: for any bytes, the reader either returns a
// well-formed result or throws nn::Error (our own, human-readable errors).
// Any other exception escapes, and libFuzzer reports it as a crash, as it does
// sanitizer reports, allocations over -malloc_limit_mb and -timeout hangs.
// Where a result comes back, a few invariants are checked and a violation
// aborts (fuzzAssert).
#include <nn/data/idx.h>
#include <nn/errors.h>
#include <nn/model.h>
#include <nn/onnx.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digitpad_fuzz {

inline void fuzzAssert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
        std::abort();
    }
}

// An error message must be something a person can act on: non-empty, naming
// the input, never a bare library text.
inline void checkMessage(const nn::Error& e, const std::string& name)
{
    const std::string_view msg = e.what();
    fuzzAssert(!msg.empty(), "empty error message");
    if (!name.empty())
        fuzzAssert(msg.substr(0, name.size()) == name, "error message does not start with the input's name");
}

// gzip (RFC 1952) of `data`; `level` 0..9.
inline std::vector<std::uint8_t> gzipBytes(const std::uint8_t* data, std::size_t size, int level)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        std::abort();
    std::vector<std::uint8_t> out(deflateBound(&z, uLong(size)) + 64);
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    fuzzAssert(rc == Z_STREAM_END, "deflate did not finish");
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

struct IdxOutcome {
    bool ok = false;
    nn::IdxArray array;
    std::string error;
};

inline IdxOutcome parseIdxOutcome(const std::uint8_t* data, std::size_t size, const std::string& name)
{
    IdxOutcome o;
    try {
        o.array = nn::parseIdx(data, size, name);
        o.ok = true;
    } catch (const nn::FileError& e) {
        checkMessage(e, name);
        o.error = e.what();
    }
    return o;
}

inline void checkIdxArray(const nn::IdxArray& a)
{
    fuzzAssert(!a.dims.empty() && a.dims.size() <= 4, "rank out of 1..4");
    std::uint64_t n = 1;
    for (int d : a.dims) {
        fuzzAssert(d > 0, "non-positive dimension");
        n *= std::uint64_t(d);
    }
    fuzzAssert(n == a.data.size(), "dims do not match the data size");
    fuzzAssert(n <= nn::kIdxMaxElements, "more elements than the limit");
}

// Target 1: the IDX reader on raw bytes (a gzip magic takes the .gz path).
inline int fuzzIdxRaw(const std::uint8_t* data, std::size_t size)
{
    const IdxOutcome o = parseIdxOutcome(data, size, "fuzz.idx");
    if (o.ok)
        checkIdxArray(o.array);
    return 0;
}

// Target 2: the IDX reader on .gz bytes. Input that starts with the gzip magic
// is fed as it is (damaged streams); anything else is compressed first (level
// from its length) and must then give exactly what the raw reader gives.
inline int fuzzIdxGz(const std::uint8_t* data, std::size_t size)
{
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        const IdxOutcome o = parseIdxOutcome(data, size, "fuzz.idx.gz");
        if (o.ok)
            checkIdxArray(o.array);
        return 0;
    }
    const std::vector<std::uint8_t> gz = gzipBytes(data, size, int(size % 10));
    const IdxOutcome viaGz = parseIdxOutcome(gz.data(), gz.size(), "fuzz.idx.gz");
    const IdxOutcome raw = parseIdxOutcome(data, size, "fuzz.idx");
    fuzzAssert(viaGz.ok == raw.ok, "gzip and raw readers disagree on success");
    if (raw.ok) {
        checkIdxArray(raw.array);
        fuzzAssert(viaGz.array.dims == raw.array.dims && viaGz.array.data == raw.array.data,
                   "gzip and raw readers disagree on the content");
    }
    return 0;
}

// Target 3: the model-file loader. A file that loads must serialize again and
// load again to the same architecture and parameters.
inline int fuzzModel(const std::uint8_t* data, std::size_t size)
{
    std::optional<nn::Model> m;
    try {
        m.emplace(nn::loadModelFromBytes(data, size, "fuzz.dpm", {1, 28, 28}));
    } catch (const nn::FileError& e) {
        checkMessage(e, "fuzz.dpm");
        return 0;
    }
    const std::vector<std::uint8_t> again = nn::modelToBytes(*m);
    const nn::Model m2 = nn::loadModelFromBytes(again.data(), again.size(), "fuzz-resaved.dpm", {1, 28, 28});
    fuzzAssert(m2.spec() == m->spec(), "re-saved model has a different spec");
    fuzzAssert(m2.params() == m->params(), "re-saved model has different parameters");
    fuzzAssert(m2.metadata() == m->metadata(), "re-saved model has different metadata");
    return 0;
}

// Target 4: the architecture-spec parser through Model::fromSpec with the
// drawing pad's 1x28x28 input and 10 classes.
//
// First the shape pass the training panel runs before it builds a model
// (parseSpec, setup, params): every spec goes through it. Specs that pass and
// need at most kFuzzBuildParams parameters are then built with fromSpec; larger
// ones are legal but their random initialisation alone takes seconds under the
// sanitizers, which would read as hangs. (The GUI refuses them by its own
// limit; fromSpec refuses more than 2^28.) The canonical spec of a model that
// builds must parse again to the same canonical spec and parameter count.
inline constexpr std::size_t kMaxSpecBytes = 4096;
inline constexpr double kFuzzBuildParams = 1 << 18;

struct ShapePass {
    std::string canonical;
    double params = 0;
};

inline ShapePass shapePass(std::string_view spec, nn::Shape3 input)
{
    ShapePass r;
    nn::Shape3 shape = input;
    for (const auto& layer : nn::parseSpec(spec)) {
        shape = layer->setup(shape);
        for (const auto& p : layer->params())
            r.params += double(p.size());
        r.canonical += (r.canonical.empty() ? "" : " | ") + layer->spec();
    }
    return r;
}

inline int fuzzSpec(const std::uint8_t* data, std::size_t size)
{
    if (size > kMaxSpecBytes)
        return 0;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        if (shapePass(text, {1, 28, 28}).params > kFuzzBuildParams)
            return 0;
    } catch (const nn::Error& e) {
        checkMessage(e, "");
    }
    std::optional<nn::Model> m;
    try {
        m.emplace(nn::Model::fromSpec(text, {1, 28, 28}, 10));
    } catch (const nn::Error& e) {
        checkMessage(e, "");
        return 0;
    }
    const ShapePass again = shapePass(m->spec(), {1, 28, 28});
    fuzzAssert(again.canonical == m->spec(), "canonical spec does not round-trip");
    fuzzAssert(std::size_t(again.params) == m->params().size(), "canonical spec gives a different parameter count");
    return 0;
}

// Target 5: the training-checkpoint loader (loadCheckpointFromBytes, which
// loadCheckpoint calls with the file's bytes).
//
// A checkpoint ends with a CRC-32 of everything before it, and the model file
// inside it ends with its own, so nearly every mutation would stop at a
// checksum. Each input is therefore loaded twice: as it is (magic, version and
// checksum checks), and with both checksums recomputed, which takes the parser
// past them to the structure and the values.
//
// A checkpoint that loads must hold a model that runs a forward pass and a
// state the trainer can resume from (sizes that match the model, counters not
// negative, finite values, Adam's second moments not negative, accuracy in
// [0, 1] or the -1 of "none yet"), and must save and load again to the same
// model and state.
inline constexpr double kFuzzForwardFlops = 2e7;  // multiply-adds: skip slower models (hangs under ASan)

inline void putU32(std::uint8_t* p, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = std::uint8_t(v >> (8 * i));
}

// The checkpoint layout's fixed head: magic (8), version (4), model length (8).
inline constexpr std::size_t kCheckpointHead = 20;

inline std::vector<std::uint8_t> withCheckpointCrcs(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::uint8_t> b(data, data + size);
    if (b.size() < kCheckpointHead + 4)
        return b;
    std::uint64_t modelLen = 0;
    for (int i = 0; i < 8; ++i)
        modelLen |= std::uint64_t(b[12 + std::size_t(i)]) << (8 * i);
    if (modelLen >= 4 && modelLen <= b.size() - kCheckpointHead - 4) {
        std::uint8_t* model = b.data() + kCheckpointHead;
        putU32(model + modelLen - 4, nn::crc32(model, std::size_t(modelLen) - 4));
    }
    putU32(b.data() + b.size() - 4, nn::crc32(b.data(), b.size() - 4));
    return b;
}

inline bool allFinite(const std::vector<float>& v)
{
    for (float f : v)
        if (!std::isfinite(f))
            return false;
    return true;
}

inline void checkTrainState(const nn::TrainState& st, const nn::Model& m)
{
    const std::size_t n = m.params().size();
    fuzzAssert(st.params.size() == n, "state parameters do not match the model");
    fuzzAssert(st.optM.empty() || st.optM.size() == n, "first moments do not match the model");
    fuzzAssert(st.optV.empty() || st.optV.size() == n, "second moments do not match the model");
    fuzzAssert(st.bestParams.empty() || st.bestParams.size() == n, "best parameters do not match the model");
    fuzzAssert(st.nextEpoch >= 0 && st.step >= 0 && st.optSteps >= 0, "negative epoch or step count");
    fuzzAssert(st.plateauBad >= 0 && st.epochsWithoutImprovement >= 0, "negative count of epochs without improvement");
    fuzzAssert(allFinite(st.params) && allFinite(st.optM) && allFinite(st.optV) && allFinite(st.bestParams),
               "NaN or infinite values in the state");
    for (float v : st.optV)
        fuzzAssert(v >= 0.0f, "negative second moment");
    fuzzAssert(std::isfinite(st.plateauScale) && st.plateauScale > 0.0f, "learning-rate scale not positive and finite");
    fuzzAssert(std::isfinite(st.plateauBest) && std::isfinite(st.bestValLoss), "best loss not finite");
    fuzzAssert(st.bestValAccuracy == -1.0 || (st.bestValAccuracy >= 0.0 && st.bestValAccuracy <= 1.0),
               "best accuracy outside [0, 1] and not -1");
}

inline bool sameState(const nn::TrainState& a, const nn::TrainState& b)
{
    return a.nextEpoch == b.nextEpoch && a.step == b.step && a.params == b.params && a.optM == b.optM &&
           a.optV == b.optV && a.optSteps == b.optSteps && a.plateauScale == b.plateauScale &&
           a.plateauBest == b.plateauBest && a.plateauBad == b.plateauBad && a.bestValLoss == b.bestValLoss &&
           a.bestValAccuracy == b.bestValAccuracy && a.epochsWithoutImprovement == b.epochsWithoutImprovement &&
           a.bestParams == b.bestParams;
}

inline void fuzzCheckpointOnce(const std::uint8_t* data, std::size_t size)
{
    std::optional<std::pair<nn::Model, nn::TrainState>> loaded;
    try {
        loaded.emplace(nn::loadCheckpointFromBytes(data, size, "fuzz.ckpt"));
    } catch (const nn::FileError& e) {
        checkMessage(e, "fuzz.ckpt");
        return;
    }
    const nn::Model& m = loaded->first;
    const nn::TrainState& st = loaded->second;
    checkTrainState(st, m);

    const nn::Shape3 in = m.inputShape();
    fuzzAssert(in.c > 0 && in.h > 0 && in.w > 0 && m.outputs() > 0, "model with an empty input or output");
    if (m.flopsPerSample() <= kFuzzForwardFlops) {
        std::vector<float> x(std::size_t(in.size()));
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = float(i % 7) / 7.0f;
        std::vector<float> out(std::size_t(m.outputs()));
        m.logits(x.data(), 1, out.data());
    }

    const std::vector<std::uint8_t> again = nn::checkpointToBytes(m, nn::TrainConfig{}, st);
    const auto reloaded = nn::loadCheckpointFromBytes(again.data(), again.size(), "fuzz-resaved.ckpt");
    fuzzAssert(reloaded.first.spec() == m.spec(), "re-saved checkpoint has a different model spec");
    fuzzAssert(reloaded.first.params() == m.params(), "re-saved checkpoint has different model parameters");
    fuzzAssert(reloaded.first.metadata() == m.metadata(), "re-saved checkpoint has different metadata");
    fuzzAssert(sameState(reloaded.second, st), "re-saved checkpoint has a different training state");
}

inline int fuzzCheckpoint(const std::uint8_t* data, std::size_t size)
{
    fuzzCheckpointOnce(data, size);
    const std::vector<std::uint8_t> fixed = withCheckpointCrcs(data, size);
    if (size >= kCheckpointHead + 4 && std::memcmp(fixed.data(), data, size) != 0)
        fuzzCheckpointOnce(fixed.data(), fixed.size());
    return 0;
}

// Target 6: the ONNX reader and importer (nn::onnxToModel, which
// nn::loadOnnx calls with the file's bytes). A file that imports must be a
// digit model that exports to ONNX again and imports from that to the same
// spec and parameters.
inline int fuzzOnnx(const std::uint8_t* data, std::size_t size)
{
    std::optional<nn::Model> m;
    try {
        m.emplace(nn::onnxToModel(data, size, "fuzz.onnx"));
    } catch (const nn::FileError& e) {
        checkMessage(e, "fuzz.onnx");
        return 0;
    }
    fuzzAssert(nn::isDigitModel(*m), "an imported model that is not 1x28x28 -> 10");
    const std::vector<std::uint8_t> again = nn::modelToOnnx(*m);
    const nn::Model m2 = nn::onnxToModel(again.data(), again.size(), "fuzz-reexported.onnx");
    fuzzAssert(m2.params() == m->params(), "re-exported model has different parameters");
    return 0;
}

}  // namespace digitpad_fuzz
