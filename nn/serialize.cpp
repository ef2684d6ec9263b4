#include "serialize.h"

#include "binio.h"
#include "errors.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nn {

namespace {

using bin::getF32;
using bin::getU32;
using bin::hex32;
constexpr const char (&kMagic)[8] = bin::kModelMagic;
constexpr std::size_t kMaxString = std::size_t(1) << 20;  // 1 MiB
constexpr std::uint32_t kMaxTensors = 10000;
constexpr std::uint32_t kMaxRank = 8;
constexpr std::uint32_t kMaxMetadata = 10000;
constexpr std::uint32_t kMaxInputSize = 1u << 22;  // as Model::fromSpec
constexpr int kModelClasses = kDigitClasses;  // DigitPad models classify digits
// Headroom above the float data for the spec, names and metadata.
constexpr std::size_t kMaxModelFileSize = kModelMaxParams * 4 + (std::size_t(64) << 20);
// magic, version, flags, spec length, c, h, w, tensor count, metadata count, CRC
constexpr std::size_t kMinFileSize = 8 + 4 + 4 + 4 + 12 + 4 + 4 + 4;

std::string dimsString(const std::vector<std::uint32_t>& dims)
{
    if (dims.empty())
        return "scalar";
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? "x" : "") + std::to_string(dims[i]);
    return s;
}

std::string dimsString(const std::vector<int>& dims)
{
    return dimsString(std::vector<std::uint32_t>(dims.begin(), dims.end()));
}

// --- writing -----------------------------------------------------------------

// The model file's strings are at most kMaxString long.
class Writer : public bin::Writer {
public:
    using bin::Writer::Writer;
    void str(const std::string& s)
    {
        if (s.size() > kMaxString)
            throw Error("cannot save a string of " + humanSize(s.size()) + " (the limit is 1 MiB)");
        bin::Writer::str(s);
    }
};

// --- reading -----------------------------------------------------------------

// Thrown inside the parser; turned into a FileError once we know whether the
// checksum or the structure is to blame.
struct ParseFailure {
    bool truncated;
    UiText what;
    std::int64_t offset;
};



class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    std::size_t pos() const { return m_pos; }
    std::size_t remaining() const { return m_size - m_pos; }

    const std::uint8_t* take(std::size_t n, const UiText& what)
    {
        if (n > remaining())
            throw ParseFailure{true,
                               uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                       "truncated: %1 bytes needed for %2, only %3 left in the "
                                                       "%4-byte file"),
                                      n, what, remaining(), m_size),
                               std::int64_t(m_pos)};
        const std::uint8_t* p = m_data + m_pos;
        m_pos += n;
        return p;
    }
    std::uint32_t u32(const UiText& what) { return getU32(take(4, what)); }
    std::string str(const UiText& what)
    {
        const std::size_t at = m_pos;
        const std::uint32_t len = u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the length of %1"), what));
        if (len > kMaxString)
            throw ParseFailure{false,
                               uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 claims to be %2 long, more than the limit of 1 MiB"),
                                      what, sizeText(len)),
                               std::int64_t(at)};
        const std::uint8_t* p = take(len, what);
        return std::string(reinterpret_cast<const char*>(p), len);
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

struct TensorRecord {
    std::string name;
    std::vector<std::uint32_t> dims;
    std::size_t count = 0;         // elements
    std::size_t offset = 0;        // of the record (its name)
    std::size_t valuesOffset = 0;  // of the first float
};

struct Parsed {
    std::uint32_t version = 0, flags = 0;
    std::string spec;
    std::size_t specOffset = 0;
    std::uint32_t c = 0, h = 0, w = 0;
    std::size_t inputOffset = 0;
    std::vector<TensorRecord> tensors;
    std::size_t tensorsOffset = 0;
    std::vector<std::pair<std::string, std::string>> metadata;
    std::size_t crcOffset = 0;
    std::uint32_t storedCrc = 0;
};

// The structure only: every length is checked against the limits and the
// bytes that remain before anything is allocated for it.
Parsed parseStructure(const std::uint8_t* data, std::size_t size)
{
    Reader r(data, size);
    Parsed p;
    r.take(8, uiText(DIGITPAD_UI_TEXT("nn::ui", "the magic")));
    p.version = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the format version")));
    p.flags = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the flags")));
    p.specOffset = r.pos();
    p.spec = r.str(uiText(DIGITPAD_UI_TEXT("nn::ui", "the architecture spec")));
    p.inputOffset = r.pos();
    const UiText inputShape = uiText(DIGITPAD_UI_TEXT("nn::ui", "the input shape"));
    p.c = r.u32(inputShape);
    p.h = r.u32(inputShape);
    p.w = r.u32(inputShape);
    p.tensorsOffset = r.pos();
    const std::uint32_t count = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the tensor count")));
    if (count > kMaxTensors)
        throw ParseFailure{false,
                           uiText(DIGITPAD_UI_TEXT("nn::ui", "the file claims %1 tensors, more than the limit of %2"),
                                  count, kMaxTensors),
                           std::int64_t(p.tensorsOffset)};
    std::size_t total = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        TensorRecord t;
        t.offset = r.pos();
        t.name = r.str(uiText(DIGITPAD_UI_TEXT("nn::ui", "the name of tensor %1"), i + 1));
        const UiText named = uiText(DIGITPAD_UI_TEXT("nn::ui", "tensor %1 '%2'"), i + 1, t.name);
        const std::size_t rankAt = r.pos();
        const std::uint32_t rank = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the rank of %1"), named));
        if (rank > kMaxRank)
            throw ParseFailure{false,
                               uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 has rank %2, more than the limit of %3"), named,
                                      rank, kMaxRank),
                               std::int64_t(rankAt)};
        const std::uint8_t* d = r.take(std::size_t(rank) * 4, uiText(DIGITPAD_UI_TEXT("nn::ui", "the shape of %1"), named));
        t.count = 1;
        for (std::uint32_t k = 0; k < rank; ++k) {
            t.dims.push_back(getU32(d + 4 * k));
            // Stay below the limit at every step so the product cannot overflow.
            t.count *= t.dims.back();
            if (t.count > kModelMaxParams)
                break;
        }
        if (t.count > kModelMaxParams || total + t.count > kModelMaxParams)
            throw ParseFailure{false,
                               uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                       "%1 of shape %2 takes the model beyond the limit of %3 "
                                                       "parameters"),
                                      named, dimsString(t.dims), kModelMaxParams),
                               std::int64_t(rankAt)};
        total += t.count;
        t.valuesOffset = r.pos();
        r.take(t.count * 4, uiText(DIGITPAD_UI_TEXT("nn::ui", "the values of %1"), named));
        p.tensors.push_back(std::move(t));
    }
    const std::size_t metaAt = r.pos();
    const std::uint32_t metaCount = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the metadata count")));
    if (metaCount > kMaxMetadata)
        throw ParseFailure{false,
                           uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                   "the file claims %1 metadata entries, more than the limit of %2"),
                                  metaCount, kMaxMetadata),
                           std::int64_t(metaAt)};
    for (std::uint32_t i = 0; i < metaCount; ++i) {
        std::string key = r.str(uiText(DIGITPAD_UI_TEXT("nn::ui", "the key of metadata entry %1"), i + 1));
        std::string value =
            r.str(uiText(DIGITPAD_UI_TEXT("nn::ui", "the value of metadata entry %1 '%2'"), i + 1, key));
        p.metadata.emplace_back(std::move(key), std::move(value));
    }
    p.crcOffset = r.pos();
    p.storedCrc = r.u32(uiText(DIGITPAD_UI_TEXT("nn::ui", "the checksum")));
    return p;
}

// Per-sample values a layer may produce. Checked after every layer, before
// the next one (or the parameter count) does int arithmetic with the shape.
constexpr std::uint64_t kMaxActivations = std::uint64_t(1) << 26;

// The parameter tensors of a spec (names, shapes and offsets, as Model's
// paramViews() will have them), their total size and the output shape,
// without allocating the parameters. Stops early once the total passes
// kModelMaxParams. Throws SpecError for a spec that does not parse or fit, or
// whose layers grow past kMaxActivations values per sample.
struct SpecTensors {
    std::vector<ParamView> views;
    std::size_t total = 0;
    Shape3 output;
};

SpecTensors specTensors(const std::string& spec, Shape3 input)
{
    SpecTensors r;
    r.output = input;
    std::size_t index = 0;
    for (auto& layer : parseSpec(spec)) {
        const Shape3 shape = r.output = layer->setup(r.output);
        const std::uint64_t values = std::uint64_t(shape.c) * std::uint64_t(shape.h) * std::uint64_t(shape.w);
        if (shape.c <= 0 || shape.h <= 0 || shape.w <= 0 || values > kMaxActivations)
            throw SpecError("layer " + std::to_string(index + 1) + " '" + layer->spec() + "' produces " +
                            std::to_string(shape.c) + "x" + std::to_string(shape.h) + "x" + std::to_string(shape.w) +
                            " values per sample, more than the limit of " + std::to_string(kMaxActivations));
        for (const auto& p : layer->params()) {
            r.views.push_back({paramViewName(index, *layer, p), p, r.total});
            r.total += p.size();
            if (r.total > kModelMaxParams)
                return r;
        }
        ++index;
    }
    return r;
}

std::string directoryOf(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

// The permissions a newly created file would get (0666 minus the umask),
// read without changing the process umask, which other threads may rely on.
UiText notAFileToWrite()
{
    return uiText(DIGITPAD_UI_TEXT("nn::ui",
                                   "is a device or special file, not a regular file; choose another file name"));
}

UiText cannotCreateIn(const std::string& dir, int err)
{
    return uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create a file in %1: %2"), dir, systemError(err));
}

mode_t newFileMode()
{
    mode_t mask = 022;
    if (FILE* f = std::fopen("/proc/self/status", "re")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            unsigned m = 0;
            if (std::sscanf(line, "Umask: %o", &m) == 1) {
                mask = mode_t(m);
                break;
            }
        }
        std::fclose(f);
    }
    return 0666 & ~mask;
}

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size)
{
    uLong crc = ::crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const uInt chunk = size > UINT_MAX ? UINT_MAX : uInt(size);
        crc = ::crc32(crc, data, chunk);
        data += chunk;
        size -= chunk;
    }
    return std::uint32_t(crc);
}

std::vector<std::uint8_t> modelToBytes(const Model& model)
{
    const auto& views = model.paramViews();
    const auto& params = model.params();
    std::size_t estimate = kMinFileSize + model.spec().size() + params.size() * 4;
    for (const auto& v : views)
        estimate += 8 + v.name.size() + 4 * v.spec.shape.size();
    for (const auto& [k, v] : model.metadata())
        estimate += 8 + k.size() + v.size();

    Writer w(estimate);
    w.bytes(kMagic, sizeof kMagic);
    w.u32(kModelFormatVersion);
    w.u32(0);  // flags
    w.str(model.spec());
    const Shape3 in = model.inputShape();
    w.u32(std::uint32_t(in.c));
    w.u32(std::uint32_t(in.h));
    w.u32(std::uint32_t(in.w));
    w.u32(std::uint32_t(views.size()));
    for (const auto& v : views) {
        w.str(v.name);
        w.u32(std::uint32_t(v.spec.shape.size()));
        for (int d : v.spec.shape)
            w.u32(std::uint32_t(d));
        const float* p = params.data() + v.offset;
        for (std::size_t i = 0, n = v.spec.size(); i < n; ++i)
            w.f32(p[i]);
    }
    w.u32(std::uint32_t(model.metadata().size()));
    for (const auto& [k, v] : model.metadata()) {
        w.str(k);
        w.str(v);
    }
    const std::uint32_t crc = crc32(w.out().data(), w.out().size());
    w.u32(crc);
    return std::move(w.out());
}

Model loadModelFromBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name, Shape3 expectInput)
{
    // Magic and version first: a foreign or newer file deserves its own message,
    // not "checksum mismatch".
    if (size == 0)
        throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated: the file is empty")));
    if (std::memcmp(bytes, kMagic, std::min(size, sizeof kMagic)) != 0)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "not a DigitPad model file (wrong magic: expected '%1')"),
                               "DGTPADNN"),
                        0);
    if (size < 12)
        throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                      "truncated: the file is only %1 bytes long, too short for a "
                                                      "DigitPad model"),
                                     size));
    const std::uint32_t version = getU32(bytes + 8);
    if (version > kModelFormatVersion)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                "format version %1 is newer than this program supports (%2); update "
                                                "DigitPad"),
                               version, kModelFormatVersion),
                        8);
    if (version == 0)
        throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui", "format version 0 is not valid")), 8);

    const auto checksumMismatch = [&](std::uint32_t stored, std::uint32_t computed, std::size_t at) {
        return FileError(name,
                         uiText(DIGITPAD_UI_TEXT("nn::ui", "checksum mismatch: stored %1, computed %2 (the file is "
                                                           "damaged)"),
                                hex32(stored), hex32(computed)),
                         std::int64_t(at));
    };

    Parsed p;
    try {
        p = parseStructure(bytes, size);
    } catch (const ParseFailure& f) {
        // A file cut short is reported as such. Anything else the parser finds
        // wrong is most likely damage that the checksum explains better.
        if (!f.truncated && size >= kMinFileSize) {
            const std::uint32_t stored = getU32(bytes + size - 4);
            const std::uint32_t computed = crc32(bytes, size - 4);
            if (stored != computed)
                throw checksumMismatch(stored, computed, size - 4);
        }
        throw FileError(name, f.what, f.offset);
    }
    {
        const std::uint32_t computed = crc32(bytes, p.crcOffset);
        if (p.storedCrc != computed)
            throw checksumMismatch(p.storedCrc, computed, p.crcOffset);
    }
    if (p.crcOffset + 4 != size)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 unexpected bytes after the end of the model"),
                               size - p.crcOffset - 4),
                        std::int64_t(p.crcOffset + 4));
    if (p.flags != 0)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "unknown flags %1 (this program knows none)"), hex32(p.flags)),
                        12);

    // Input shape.
    // Each product stays below 2^54, so none of them can wrap.
    const std::uint64_t ch = std::uint64_t(p.c) * p.h;
    if (p.c == 0 || p.h == 0 || p.w == 0 || p.w > kMaxInputSize || ch > kMaxInputSize || ch * p.w > kMaxInputSize)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "input shape %1 is not usable"),
                               std::to_string(p.c) + "x" + std::to_string(p.h) + "x" + std::to_string(p.w)),
                        std::int64_t(p.inputOffset));
    const Shape3 input{int(p.c), int(p.h), int(p.w)};
    if (expectInput.c > 0 && !(input == expectInput))
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "model expects input %1, DigitPad draws %2"), input.str(),
                               expectInput.str()),
                        std::int64_t(p.inputOffset));

    const auto invalidSpec = [&](const SpecError& e) {
        return FileError(name,
                         uiText(DIGITPAD_UI_TEXT("nn::ui", "architecture in the file is invalid: %1"), e.text()),
                         std::int64_t(p.specOffset));
    };

    // Architecture. Its parameter tensors are listed and compared with the
    // file's before Model::fromSpec allocates and initialises them, so a short
    // file cannot make us allocate gigabytes or spend seconds on a model whose
    // values it does not hold (a 1 KiB file whose header claims a 4097x28x28
    // input to a dense layer: 32 million parameters).
    std::vector<ParamView> views;
    try {
        SpecTensors spec = specTensors(p.spec, input);
        if (spec.total > kModelMaxParams)
            throw FileError(name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "the architecture in the file needs more than %1 "
                                                              "parameters"),
                                   kModelMaxParams),
                            std::int64_t(p.specOffset));
        Model::checkOutputs(spec.output, kModelClasses);
        views = std::move(spec.views);
    } catch (const SpecError& e) {
        throw invalidSpec(e);
    }

    // Tensors: the same names and shapes, in the same order, as the architecture's.
    for (std::size_t i = 0; i < std::min(views.size(), p.tensors.size()); ++i) {
        const TensorRecord& t = p.tensors[i];
        const ParamView& v = views[i];
        if (t.name != v.name)
            throw FileError(name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "tensor %1 is named '%2', the architecture needs '%3'"),
                                   i + 1, t.name, v.name),
                            std::int64_t(t.offset));
        if (t.dims.size() != v.spec.shape.size() ||
            !std::equal(t.dims.begin(), t.dims.end(), v.spec.shape.begin(),
                        [](std::uint32_t a, int b) { return std::int64_t(a) == std::int64_t(b); }))
            throw FileError(name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "tensor %1 '%2' has shape %3, the architecture needs %4"),
                                   i + 1, t.name, dimsString(t.dims), dimsString(v.spec.shape)),
                            std::int64_t(t.offset));
    }
    if (p.tensors.size() < views.size()) {
        const ParamView& v = views[p.tensors.size()];
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "tensor %1 '%2' is missing (the file has %3 tensors, the "
                                                          "architecture needs %4)"),
                               p.tensors.size() + 1, v.name, p.tensors.size(), views.size()),
                        std::int64_t(p.tensorsOffset));
    }
    if (p.tensors.size() > views.size()) {
        const TensorRecord& t = p.tensors[views.size()];
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                "unexpected extra tensor %1 '%2' (the architecture needs only %3)"),
                               views.size() + 1, t.name, views.size()),
                        std::int64_t(t.offset));
    }

    // The file holds every value now, so building the model costs no more than the file's size.
    std::optional<Model> built;
    try {
        built.emplace(Model::fromSpec(p.spec, input, kModelClasses));
    } catch (const SpecError& e) {
        throw invalidSpec(e);
    }
    Model& model = *built;  // moved out at the end
    assert(model.paramViews().size() == views.size());

    auto& params = model.params();
    for (std::size_t i = 0; i < views.size(); ++i) {
        const TensorRecord& t = p.tensors[i];
        float* dst = params.data() + views[i].offset;
        const std::uint8_t* src = bytes + t.valuesOffset;
        for (std::size_t j = 0; j < t.count; ++j) {
            const float f = getF32(src + 4 * j);
            if (!std::isfinite(f))
                throw FileError(name,
                                uiText(DIGITPAD_UI_TEXT("nn::ui", "tensor '%1' contains NaN or infinite values"),
                                       t.name),
                                std::int64_t(t.valuesOffset + 4 * j));
            dst[j] = f;
        }
    }

    auto& meta = model.metadata();
    meta.clear();
    for (auto& [k, v] : p.metadata)
        meta[k] = std::move(v);
    return std::move(model);
}

Model loadModel(const std::string& path, Shape3 expectInput)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, kMaxModelFileSize);
    return loadModelFromBytes(bytes.data(), bytes.size(), path, expectInput);
}

void saveModel(const Model& model, const std::string& path)
{
    std::vector<std::uint8_t> bytes;
    try {
        bytes = modelToBytes(model);
    } catch (const FileError&) {
        throw;
    } catch (const Error& e) {
        throw FileError(path, e.what());
    }
    writeFileAtomic(path, bytes.data(), bytes.size());
}

namespace {
std::atomic<AtomicWriteHook> g_atomicWriteHook{nullptr};

// 0, or the errno the test hook wants this step to fail with.
int injectedFault(AtomicWriteStep step, const std::string& tmp)
{
    const AtomicWriteHook hook = g_atomicWriteHook.load(std::memory_order_acquire);
    return hook ? hook(step, tmp) : 0;
}
}  // namespace

void setAtomicWriteHook(AtomicWriteHook hook) { g_atomicWriteHook.store(hook, std::memory_order_release); }

const char* atomicWriteStepName(AtomicWriteStep step)
{
    switch (step) {
    case AtomicWriteStep::CreateTemp: return "create-temp";
    case AtomicWriteStep::SetMode: return "set-mode";
    case AtomicWriteStep::Write: return "write";
    case AtomicWriteStep::Sync: return "sync";
    case AtomicWriteStep::Close: return "close";
    case AtomicWriteStep::Rename: return "rename";
    }
    return "?";
}

namespace {
// Temporary files are named "<file>.tmp-<pid>-XXXXXX". One left behind by a
// process that was killed mid-save is removed by the next save of the same
// file once that process is gone; those of live processes are left alone.
void removeStaleTemps(const std::string& path, const std::string& dir)
{
    const std::size_t slash = path.find_last_of('/');
    const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp-";
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return;
    while (const dirent* e = ::readdir(d)) {
        const std::string entry = e->d_name;
        if (entry.compare(0, prefix.size(), prefix) != 0)
            continue;
        char* end = nullptr;
        const long pid = std::strtol(entry.c_str() + prefix.size(), &end, 10);
        if (pid <= 0 || *end != '-' || std::strlen(end) != 7 || pid == long(::getpid()))
            continue;
        if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        (void)::unlinkat(::dirfd(d), entry.c_str(), 0);
    }
    ::closedir(d);
}
}  // namespace

namespace {
// Makes `dir` and its missing parents; 0, or the errno with `failed` set to the folder that failed.
int makeFoldersFrom(const std::string& dir, std::string& failed)
{
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        failed = dir;
        return ENOTDIR;
    }
    const std::string parent = directoryOf(dir);
    if (parent != dir)
        if (const int err = makeFoldersFrom(parent, failed))
            return err;
    if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
        failed = dir;
        return errno;
    }
    return 0;
}
}  // namespace

void makeFolders(const std::string& dir)
{
    std::string failed;
    const int err = dir.empty() ? 0 : makeFoldersFrom(dir, failed);
    if (err == ENOTDIR)
        throw FileError(dir,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create the folder: %1 is a file, not a folder"), failed));
    if (err)
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create the folder %1: %2"), failed,
                                    systemError(err)));
}

void checkWritable(const std::string& path, bool missingFoldersAllowed)
{
    if (path.empty())
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "no file name given")));
    if (path.back() == '/')
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                      "ends with '/', which names a folder; give a file name, e.g. %1"),
                                     path + "model.dpm"));
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "is a directory; give a file name")));
        if (!S_ISREG(st.st_mode))
            throw FileError(path, notAFileToWrite());
    }
    // The folder the file goes in, or with missing folders allowed the
    // nearest one that exists.
    std::string dir = directoryOf(path);
    while (::stat(dir.c_str(), &st) != 0) {
        const int err = errno;
        const std::string up = directoryOf(dir);
        if (err != ENOENT || !missingFoldersAllowed || up == dir)
            throw FileError(path, cannotCreateIn(dir, err));
        dir = up;
    }
    if (!S_ISDIR(st.st_mode))
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 is not a folder"), dir));
    std::string probe = dir + "/.digitpad-probe-" + std::to_string(::getpid()) + "-XXXXXX";
    const int fd = ::mkostemp(probe.data(), O_CLOEXEC);
    if (fd < 0)
        throw FileError(path, cannotCreateIn(dir, errno));
    ::close(fd);
    ::unlink(probe.c_str());
}

void writeFileAtomic(const std::string& path, const std::uint8_t* data, std::size_t size)
{
    const std::string dir = directoryOf(path);
    // Replacing a device or pipe by a regular file is never what was meant
    // (think of saving as root to /dev/null). A directory fails at the rename.
    struct stat existing;
    if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode) && !S_ISDIR(existing.st_mode))
        throw FileError(path, notAFileToWrite());
    std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-XXXXXX";
    const bool hooked = g_atomicWriteHook.load(std::memory_order_acquire) != nullptr;
    int fd = -1;
    if (const int err = injectedFault(AtomicWriteStep::CreateTemp, {}))
        errno = err;
    else
        fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create a temporary file in %1: %2"), dir,
                                     systemError(errno)));

    // Any failure from here on removes the temporary file and leaves `path` as it was.
    const auto fail = [&](const char* what, int err, bool open) {
        if (open)
            ::close(fd);
        ::unlink(tmp.c_str());
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1: %2"), uiText(what), systemError(err)));
    };
    const char* const cannotWrite = DIGITPAD_UI_TEXT("nn::ui", "cannot write");
    const char* const cannotFlush = DIGITPAD_UI_TEXT("nn::ui", "cannot flush to disk");
    const char* const cannotReplace = DIGITPAD_UI_TEXT("nn::ui", "cannot replace the file");

    // mkstemp creates 0600; give the file the mode of the one it replaces, or
    // what a plain create would have given it.
    struct stat st;
    const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : newFileMode();
    if (const int err = injectedFault(AtomicWriteStep::SetMode, tmp))
        fail(DIGITPAD_UI_TEXT("nn::ui", "cannot set permissions"), err, true);
    if (::fchmod(fd, mode) != 0)
        fail(DIGITPAD_UI_TEXT("nn::ui", "cannot set permissions"), errno, true);

    const std::size_t maxChunk = hooked ? std::size_t(4096) : std::size_t(1) << 30;
    std::size_t done = 0;
    while (done < size) {
        if (const int err = injectedFault(AtomicWriteStep::Write, tmp))
            fail(cannotWrite, err, true);
        const std::size_t chunk = std::min<std::size_t>(size - done, maxChunk);
        const ssize_t n = ::write(fd, data + done, chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(cannotWrite, errno, true);
        }
        if (n == 0)
            fail(cannotWrite, EIO, true);
        done += std::size_t(n);
    }
    if (const int err = injectedFault(AtomicWriteStep::Sync, tmp))
        fail(cannotFlush, err, true);
    if (::fsync(fd) != 0)
        fail(cannotFlush, errno, true);
    if (const int err = injectedFault(AtomicWriteStep::Close, tmp))
        fail(cannotWrite, err, true);
    if (::close(fd) != 0)
        fail(cannotWrite, errno, false);
    if (const int err = injectedFault(AtomicWriteStep::Rename, tmp))
        fail(cannotReplace, err, false);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        fail(cannotReplace, errno, false);

    // Make the rename itself durable. Best effort: some file systems refuse.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
    removeStaleTemps(path, dir);
}

}  // namespace nn
