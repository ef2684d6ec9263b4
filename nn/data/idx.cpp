#include "idx.h"

#include "../errors.h"
#include "../fileio.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nn {

namespace {

// Largest header the format allows: magic + 4 dimensions.
constexpr std::size_t kMaxHeaderBytes = 4 + 4 * 4;
// Decompressed output is never allowed to grow past the largest valid file,
// so a gzip bomb stops here instead of filling memory.
constexpr std::uint64_t kMaxDecompressed = kIdxMaxElements + kMaxHeaderBytes;

// A forward-only byte source. read() returns fewer than n bytes only at the
// end of the data. remaining() is -1 when the length is not known up front
// (a gzip stream), which moves the size checks to after decompression.
class Source {
public:
    virtual ~Source() = default;
    virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;
    virtual std::int64_t remaining() const { return -1; }
};

class MemorySource : public Source {
public:
    MemorySource(const std::uint8_t* bytes, std::size_t size) : m_bytes(bytes), m_size(size) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        n = std::min(n, m_size - m_pos);
        if (n > 0)
            std::memcpy(dst, m_bytes + m_pos, n);
        m_pos += n;
        return n;
    }
    std::int64_t remaining() const override { return std::int64_t(m_size - m_pos); }

private:
    const std::uint8_t* m_bytes;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

class FileSource : public Source {
public:
    explicit FileSource(RegularFile& file) : m_file(file) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        n = std::size_t(std::min<std::int64_t>(std::int64_t(n), remaining()));
        if (n == 0)
            return 0;
        const std::int64_t at = std::int64_t(m_file.position());
        const std::size_t got = m_file.read(dst, n);
        if (got != n)
            throw FileError(m_file.path(),
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "read error: the file is shorter than it was a moment ago")),
                            at + std::int64_t(got));
        return n;
    }
    std::int64_t remaining() const override { return std::int64_t(m_file.size() - m_file.position()); }

private:
    RegularFile& m_file;
};

// A few bytes already read (the sniffed magic), then the rest of a source.
class PrefixSource : public Source {
public:
    PrefixSource(const std::uint8_t* prefix, std::size_t size, Source& rest) : m_prefix(prefix, size), m_rest(rest) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        std::size_t got = m_prefix.read(dst, n);
        if (got < n)
            got += m_rest.read(dst + got, n - got);
        return got;
    }
    std::int64_t remaining() const override
    {
        const std::int64_t rest = m_rest.remaining();
        return rest < 0 ? -1 : rest + m_prefix.remaining();
    }

private:
    MemorySource m_prefix;
    Source& m_rest;
};

// Inflates a gzip stream (one or more members) pulled from another source.
// Any zlib complaint -- bad header, corrupt block, CRC mismatch, early end --
// becomes a FileError at the compressed byte where it happened.
class GzipSource : public Source {
public:
    GzipSource(Source& inner, const std::string& name) : m_inner(inner), m_name(name)
    {
        // 16 + MAX_WBITS: gzip wrapper only; a zlib or raw deflate stream is an error.
        if (inflateInit2(&m_z, 16 + MAX_WBITS) != Z_OK)
            throw FileError(m_name, "cannot initialise zlib");
    }
    ~GzipSource() override { inflateEnd(&m_z); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        std::size_t got = 0;
        while (got < n && !m_eof) {
            if (m_z.avail_in == 0 && !refill()) {
                if (m_memberEnded) {
                    m_eof = true;
                    break;
                }
                fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "the compressed data ends unexpectedly")));
            }
            if (m_memberEnded) {
                // Another member follows (concatenated .gz files are valid gzip);
                // anything else after the end of the stream is garbage.
                if (m_z.next_in[0] != 0x1f)
                    fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "garbage after the end of the compressed data")));
                // inflateReset zeroes total_in: keep the earlier members' bytes
                // so that errors in a later member point at the right byte.
                m_earlierMembers += m_z.total_in;
                inflateReset(&m_z);
                m_memberEnded = false;
            }
            const std::size_t want = std::min<std::size_t>(n - got, 1u << 30);
            m_z.next_out = dst + got;
            m_z.avail_out = uInt(want);
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            got += want - m_z.avail_out;
            if (rc == Z_STREAM_END) {
                m_memberEnded = true;
            } else if (rc == Z_BUF_ERROR) {
                // No progress possible with the input at hand: loop to refill.
                continue;
            } else if (rc != Z_OK) {
                fail(verbatim(m_z.msg ? m_z.msg : zError(rc)));
            }
        }
        return got;
    }

private:
    bool refill()
    {
        const std::size_t got = m_inner.read(m_buffer.data(), m_buffer.size());
        m_z.next_in = m_buffer.data();
        m_z.avail_in = uInt(got);
        return got > 0;
    }
    [[noreturn]] void fail(UiText why)
    {
        // A "member" after the first that fails before giving a single byte
        // is not gzip at all: bytes after the end that happen to start 0x1f.
        if (m_earlierMembers > 0 && m_z.total_out == 0 && !m_memberEnded)
            throw FileError(m_name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "not a valid gzip stream (%1)"),
                                   uiText(DIGITPAD_UI_TEXT("nn::ui", "garbage after the end of the compressed data"))),
                            std::int64_t(m_earlierMembers));
        throw FileError(m_name, uiText(DIGITPAD_UI_TEXT("nn::ui", "not a valid gzip stream (%1)"), why),
                        std::int64_t(m_earlierMembers + m_z.total_in));
    }

    Source& m_inner;
    const std::string& m_name;
    z_stream m_z{};
    std::array<std::uint8_t, 64 * 1024> m_buffer{};
    std::uint64_t m_earlierMembers = 0;  // compressed bytes of the members before this one
    bool m_memberEnded = false;
    bool m_eof = false;
};

std::string hexBytes(const std::uint8_t* b, std::size_t n)
{
    std::string s;
    char buf[4];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", b[i]);
        if (i)
            s += ' ';
        s += buf;
    }
    return s;
}

const char* typeName(std::uint8_t code)
{
    switch (code) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
    }
}

std::string joinDims(const std::uint32_t* dims, int rank)
{
    std::string s;
    for (int i = 0; i < rank; ++i) {
        if (i)
            s += 'x';
        s += std::to_string(dims[i]);
    }
    return s;
}

// The whole validation, shared by files, memory and gzip streams. `compressed`
// only changes the wording: sizes then refer to the decompressed data.
IdxArray parse(Source& src, const std::string& name, bool compressed)
{
    const UiText what = compressed ? uiText(DIGITPAD_UI_TEXT("nn::ui", "decompressed data"))
                                   : uiText(DIGITPAD_UI_TEXT("nn::ui", "file"));
    std::uint8_t header[kMaxHeaderBytes];
    const std::size_t gotMagic = src.read(header, 4);
    if (gotMagic < 4)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated header: %1 has %2 bytes, an IDX header needs at "
                                                          "least 4"),
                               what, gotMagic),
                        std::int64_t(gotMagic));
    if (header[0] != 0 || header[1] != 0 || header[2] != 0x08) {
        UiText msg;
        if (header[0] == 0 && header[1] == 0) {
            const char* type = typeName(header[2]);
            msg = type ? uiText(DIGITPAD_UI_TEXT("nn::ui", "wrong magic: expected 00 00 08 0r, found %1 (elements "
                                                           "are %2; only unsigned bytes, type code 08, are supported)"),
                                hexBytes(header, 4), type)
                       : uiText(DIGITPAD_UI_TEXT("nn::ui", "wrong magic: expected 00 00 08 0r, found %1 (unknown "
                                                           "element type code %2)"),
                                hexBytes(header, 4), hexBytes(header + 2, 1));
        } else {
            msg = uiText(DIGITPAD_UI_TEXT("nn::ui", "wrong magic: expected 00 00 08 0r, found %1 (not an IDX file)"),
                         hexBytes(header, 4));
        }
        throw FileError(name, std::move(msg), 0);
    }
    const int rank = header[3];
    if (rank < 1 || rank > 4)
        throw FileError(name, "rank " + std::to_string(rank) + " is out of range 1..4", 3);

    const std::size_t headerBytes = 4 + 4 * std::size_t(rank);
    const std::size_t gotDims = src.read(header + 4, headerBytes - 4);
    if (gotDims < headerBytes - 4)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated header: rank %1 needs %2 header bytes, %3 has %4"),
                               rank, headerBytes, what, 4 + gotDims),
                        std::int64_t(4 + gotDims));

    std::uint32_t dims[4] = {};
    for (int i = 0; i < rank; ++i) {
        const std::uint8_t* p = header + 4 + 4 * i;
        dims[i] = std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
    }
    for (int i = 0; i < rank; ++i)
        if (dims[i] == 0)
            throw FileError(name, "dimension " + std::to_string(i) + " is 0 (shape " + joinDims(dims, rank) + ")",
                            std::int64_t(4 + 4 * i));
    // Each factor is < 2^32 and the running product is kept <= the limit
    // (< 2^27), so the multiplication cannot overflow 64 bits.
    std::uint64_t count = 1;
    for (int i = 0; i < rank; ++i) {
        count *= dims[i];
        if (count > kIdxMaxElements)
            throw FileError(name, "claims " + joinDims(dims, rank) + " elements, more than the limit of " +
                                      std::to_string(kIdxMaxElements), 4);
    }
    const UiText described =
        uiText(DIGITPAD_UI_TEXT("nn::ui", "header says %1 = %2 bytes of data"), joinDims(dims, rank), count);

    // When the length is known, compare before allocating anything.
    if (const std::int64_t have = src.remaining(); have >= 0) {
        if (std::uint64_t(have) < count)
            throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated: %1, %2 has %3"), described, what, have),
                            std::int64_t(headerBytes) + have);
        if (std::uint64_t(have) > count)
            throw FileError(name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "trailing data: %1, %2 has %3 extra bytes"), described,
                                   what, std::uint64_t(have) - count),
                            std::int64_t(headerBytes + count));
    }

    IdxArray out;
    out.dims.assign(dims, dims + rank);
    std::size_t got = 0;
    if (src.remaining() >= 0) {
        out.data.resize(count);
        got = src.read(out.data.data(), count);
    } else {
        // A compressed stream's length is unknown until it is inflated: grow
        // the buffer with the data that actually arrives, so that a tiny .gz
        // whose header claims the limit does not cost 64 MiB up front.
        constexpr std::size_t kChunk = std::size_t(1) << 20;
        while (got < count) {
            const std::size_t want = std::min<std::size_t>(kChunk, count - got);
            out.data.resize(got + want);
            const std::size_t n = src.read(out.data.data() + got, want);
            got += n;
            if (n < want)
                break;
        }
        out.data.resize(got);
    }
    if (got < count)
        throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated: %1, %2 has %3"), described, what, got),
                        std::int64_t(headerBytes + got));

    // Drain to the true end: a gzip stream is only verified (CRC, length)
    // once inflate reaches its end, and extra bytes must be reported. The
    // bound keeps a decompression bomb from running on.
    std::uint64_t extra = 0;
    std::array<std::uint8_t, 16 * 1024> scratch;
    const std::uint64_t extraLimit = kMaxDecompressed - headerBytes - count;
    while (const std::size_t n = src.read(scratch.data(), scratch.size())) {
        extra += n;
        if (extra > extraLimit)
            throw FileError(name,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "trailing data: %1, %2 has more than %3 extra bytes "
                                                              "(output larger than the limit of %4 bytes)"),
                                   described, what, extraLimit, kMaxDecompressed),
                            std::int64_t(headerBytes + count));
    }
    if (extra > 0)
        throw FileError(name,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "trailing data: %1, %2 has %3 extra bytes"), described, what,
                               extra),
                        std::int64_t(headerBytes + count));
    return out;
}

bool isGzip(const std::uint8_t* b, std::size_t n) { return n >= 2 && b[0] == 0x1f && b[1] == 0x8b; }

}  // namespace

IdxArray parseIdx(const std::uint8_t* bytes, std::size_t size, const std::string& name)
{
    MemorySource mem(bytes, size);
    if (isGzip(bytes, size)) {
        GzipSource gz(mem, name);
        return parse(gz, name, true);
    }
    return parse(mem, name, false);
}

IdxArray readIdx(const std::string& path)
{
    // A raw file larger than the largest valid one is refused by its size; a
    // .gz is never larger than its content plus a little per 16 KiB block.
    RegularFile in(path, 2 * kMaxDecompressed);
    // Sniff the first two bytes: the gzip magic decides, not the name. The
    // bytes are handed back to the source through a small memory prefix.
    std::uint8_t magic[2] = {};
    const std::size_t sniffed = in.read(magic, 2);
    FileSource file(in);
    PrefixSource all(magic, sniffed, file);
    if (isGzip(magic, sniffed)) {
        GzipSource gz(all, path);
        return parse(gz, path, true);
    }
    return parse(all, path, false);
}

void writeIdx(const std::string& path, const std::vector<int>& dims, const std::vector<std::uint8_t>& data)
{
    if (dims.empty() || dims.size() > 4)
        throw ShapeError("writeIdx " + path + ": rank " + std::to_string(dims.size()) + " is out of range 1..4");
    std::uint64_t count = 1;
    std::string shape;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] <= 0)
            throw ShapeError("writeIdx " + path + ": dimension " + std::to_string(i) + " is " + std::to_string(dims[i]));
        count *= std::uint64_t(dims[i]);
        if (i)
            shape += 'x';
        shape += std::to_string(dims[i]);
    }
    if (count != data.size())
        throw ShapeError("writeIdx " + path + ": shape " + shape + " needs " + std::to_string(count) + " bytes, got " +
                         std::to_string(data.size()));

    std::string header = {0, 0, 0x08, char(dims.size())};
    for (const int dim : dims) {
        const auto d = std::uint32_t(dim);  // big-endian, as the format says
        for (const int sh : {24, 16, 8, 0})
            header += char(std::uint8_t(d >> sh));
    }
    // Plain POSIX calls, so that a failure reports its real cause (a full
    // disk says "No space left on device", not a stream's bad bit).
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot open for writing: %1"), systemError(errno)));
    const auto writeAll = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        while (n > 0) {
            const ssize_t w = ::write(fd, b, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                const int err = w < 0 ? errno : EIO;
                ::close(fd);
                throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "write failed: %1"), systemError(err)));
            }
            b += w;
            n -= std::size_t(w);
        }
    };
    writeAll(header.data(), header.size());
    writeAll(data.data(), data.size());
    if (::close(fd) != 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "write failed: %1"), systemError(errno)));
}

}  // namespace nn
