#pragma once
// Writes the documented model-file format ("DGTPADNN", see nn/serialize.h)
// independently of serialize.cpp, so that tests can build files the saver
// never produces, with a valid checksum so that the structural checks, not
// the CRC, have to catch them.
#include <nn/model.h>
#include <nn/serialize.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace fixtures {

class ModelFileBuilder {
public:
    ModelFileBuilder& raw(const void* p, std::size_t n)
    {
        const auto* c = static_cast<const std::uint8_t*>(p);
        bytes.insert(bytes.end(), c, c + n);
        return *this;
    }
    ModelFileBuilder& u32(std::uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(std::uint8_t(v >> (8 * i)));
        return *this;
    }
    ModelFileBuilder& f32(float f)
    {
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        return u32(bits);
    }
    ModelFileBuilder& str(const std::string& s)
    {
        u32(std::uint32_t(s.size()));
        return raw(s.data(), s.size());
    }
    ModelFileBuilder& header(const std::string& spec, nn::Shape3 in = {1, 28, 28}, std::uint32_t version = 1)
    {
        raw("DGTPADNN", 8).u32(version).u32(0).str(spec);
        return u32(std::uint32_t(in.c)).u32(std::uint32_t(in.h)).u32(std::uint32_t(in.w));
    }
    // Records where the tensor starts, so tests can compare error offsets.
    ModelFileBuilder& tensor(const std::string& name, const std::vector<std::uint32_t>& dims, float fill = 0.5f)
    {
        tensorOffsets.push_back(bytes.size());
        str(name).u32(std::uint32_t(dims.size()));
        std::size_t n = 1;
        for (auto d : dims) {
            u32(d);
            n *= d;
        }
        for (std::size_t i = 0; i < n; ++i)
            f32(fill);
        return *this;
    }
    // Appends the CRC-32 of everything so far and returns the file.
    std::vector<std::uint8_t> finish()
    {
        u32(nn::crc32(bytes.data(), bytes.size()));
        return bytes;
    }

    std::vector<std::uint8_t> bytes;
    std::vector<std::size_t> tensorOffsets;
};

}  // namespace fixtures
