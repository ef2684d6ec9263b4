#pragma once
// The model file: versioned binary, little-endian.
//   magic "DGTPADNN" (8 bytes), u32 format version, u32 flags (0)
//   string spec, u32 c, u32 h, u32 w (input shape)
//   u32 tensor count, then per tensor: string name, u32 rank, u32 dims..., float32 values
//   u32 metadata count, then pairs of strings
//   u32 CRC-32 (zlib) of every preceding byte
// where a string is u32 length + UTF-8 bytes. Saved atomically: written to a
// temporary file in the same directory, flushed, fsync'ed and renamed over
// the target, so a crash or full disk never leaves a half-written model.
// Loading checks every length against the bytes that remain before it
// allocates and says precisely what is wrong.
#include "model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nn {

inline constexpr std::uint32_t kModelFormatVersion = 1;
inline constexpr std::size_t kModelMaxParams = std::size_t(1) << 26;  // 64 Mi floats (256 MiB)

// Throws FileError: "not a DigitPad model (wrong magic)", "format version 7 is
// newer than this program supports (1)", "truncated: ...", "checksum mismatch
// ...", "tensor '0.conv.weight' has shape 32x1x5x5, the architecture needs ...",
// "input shape 3x32x32 does not match 1x28x28" (when expectInput is given) ...
Model loadModel(const std::string& path, Shape3 expectInput = {1, 28, 28});
Model loadModelFromBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                         Shape3 expectInput = {1, 28, 28});
void saveModel(const Model& model, const std::string& path);
std::vector<std::uint8_t> modelToBytes(const Model& model);

// Atomic write of arbitrary bytes (temp file in the same directory, flush,
// fsync, rename). Throws FileError on any failure, leaving `path` untouched.
void writeFileAtomic(const std::string& path, const std::uint8_t* data, std::size_t size);
std::vector<std::uint8_t> readFileBytes(const std::string& path, std::size_t maxSize);

std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

}  // namespace nn
