#pragma once
// Reader for the IDX format of MNIST (LeCun et al.), raw or gzip-compressed
// (detected by the gzip magic, not the file name). Everything the header
// claims -- magic, element type, rank, dimensions and the resulting length --
// is validated against the file's actual size before anything is allocated.
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

struct IdxArray {
    std::vector<int> dims;            // e.g. {60000, 28, 28}
    std::vector<std::uint8_t> data;   // unsigned-byte elements, row-major
};

// Limits that keep a hostile header from causing a huge allocation.
inline constexpr std::uint64_t kIdxMaxElements = 64ull * 1024 * 1024;  // 64 Mi elements (MNIST train: 47 Mi)

// Reads an IDX file of unsigned bytes (type 0x08) with rank 1..4.
// Throws FileError (path, byte offset, expected vs found) on any problem.
IdxArray readIdx(const std::string& path);
// The same from bytes already in memory; `name` is used in error messages.
IdxArray parseIdx(const std::uint8_t* bytes, std::size_t size, const std::string& name);

// Writes an uncompressed IDX file of unsigned bytes (tests, user data).
void writeIdx(const std::string& path, const std::vector<int>& dims, const std::vector<std::uint8_t>& data);

}  // namespace nn
