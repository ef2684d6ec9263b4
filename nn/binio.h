#pragma once
// Little-endian binary I/O shared by the model file (serialize.cpp) and the
// training checkpoint (trainer.cpp): the magics, a growing writer and the
// readers' decoding of fixed-size values. Each file format keeps its own
// reader on top of these (their error messages differ: a model file tells
// a damaged file from a truncated one by its checksum first).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace nn::bin {

inline constexpr char kModelMagic[8] = {'D', 'G', 'T', 'P', 'A', 'D', 'N', 'N'};
inline constexpr char kCheckpointMagic[8] = {'D', 'G', 'T', 'P', 'A', 'D', 'C', 'K'};

// "0x%08x", as checksum messages print them.
inline std::string hex32(std::uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

inline std::uint32_t getU32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

inline std::uint64_t getU64(const std::uint8_t* p) { return std::uint64_t(getU32(p)) | std::uint64_t(getU32(p + 4)) << 32; }

inline float getF32(const std::uint8_t* p)
{
    const std::uint32_t bits = getU32(p);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

inline double getF64(const std::uint8_t* p)
{
    const std::uint64_t bits = getU64(p);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

class Writer {
public:
    explicit Writer(std::size_t reserve = 0) { m_out.reserve(reserve); }
    void bytes(const void* p, std::size_t n)
    {
        const auto* b = static_cast<const std::uint8_t*>(p);
        m_out.insert(m_out.end(), b, b + n);
    }
    void u32(std::uint32_t v)
    {
        const std::uint8_t b[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
        bytes(b, 4);
    }
    void u64(std::uint64_t v)
    {
        u32(std::uint32_t(v));
        u32(std::uint32_t(v >> 32));
    }
    void f32(float f)
    {
        std::uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        u32(bits);
    }
    void f64(double d)
    {
        std::uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        u64(bits);
    }
    // u32 length, then the bytes.
    void str(const std::string& s)
    {
        u32(std::uint32_t(s.size()));
        bytes(s.data(), s.size());
    }
    // u64 count, then that many f32.
    void floats(const std::vector<float>& v)
    {
        u64(v.size());
        for (float f : v)
            f32(f);
    }
    std::vector<std::uint8_t>& out() { return m_out; }

private:
    std::vector<std::uint8_t> m_out;
};

}  // namespace nn::bin
