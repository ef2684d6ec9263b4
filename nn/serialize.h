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
#include "fileio.h"  // readFileBytes
#include "model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nn {

inline constexpr std::uint32_t kModelFormatVersion = 1;
inline constexpr std::size_t kModelMaxParams = std::size_t(1) << 26;  // 64 Mi floats (256 MiB)

// Throws FileError carrying the path (or `name`) and, where it makes sense, the
// byte offset: "not a DigitPad model file (wrong magic: expected 'DGTPADNN')",
// "format version 7 is newer than this program supports (1); update DigitPad",
// "truncated: ...", "checksum mismatch: stored 0x..., computed 0x... (the file
// is damaged)", "architecture in the file is invalid: ...", "tensor 3
// '1.conv.weight' has shape 64x32x5x5, the architecture needs 64x32x3x3",
// "tensor '0.conv.weight' contains NaN or infinite values", "model expects
// input 3x32x32, DigitPad draws 1x28x28" (only when expectInput.c > 0; pass
// {0, 0, 0} to accept any input shape). Magic and version are checked before
// the checksum, a file cut short is reported as truncated, and any other
// structural problem as a checksum mismatch unless the checksum is intact.
Model loadModel(const std::string& path, Shape3 expectInput = {1, 28, 28});
Model loadModelFromBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                         Shape3 expectInput = {1, 28, 28});
void saveModel(const Model& model, const std::string& path);
std::vector<std::uint8_t> modelToBytes(const Model& model);

// Atomic write of arbitrary bytes (temp file in the same directory, flush,
// fsync, rename). Throws FileError on any failure, leaving `path` untouched.
void writeFileAtomic(const std::string& path, const std::uint8_t* data, std::size_t size);
// Creates the folder `dir` and its missing parents (mkdir -p). Throws
// FileError naming the folder that could not be made and why (a read-only
// data folder is "Permission denied", not the later "No such file").
void makeFolders(const std::string& dir);

// Checks, before any work is done, that writeFileAtomic(path) could write
// the file, and writes nothing: `path` is a file name (no trailing '/'), not
// a directory, device or pipe, and a file can be created in its folder
// (probed with a temporary file that is removed at once). With
// missingFoldersAllowed, folders that do not exist yet are fine as long as
// the nearest existing one is writable (the caller creates them when it
// saves). Throws FileError saying what is wrong.
void checkWritable(const std::string& path, bool missingFoldersAllowed = false);
// Fault injection for tests of writeFileAtomic; never set by the program.
// When set, the hook is called before each step of every atomic write, with
// the temporary file's path (empty before it exists). Returning an errno value
// makes that step fail as if its system call had returned that error; 0 lets
// it run. While a hook is set, data is written in 4 KiB chunks with a Write
// call before each, so a test can stop a save halfway through its data.
enum class AtomicWriteStep { CreateTemp, SetMode, Write, Sync, Close, Rename };
using AtomicWriteHook = int (*)(AtomicWriteStep step, const std::string& tempPath);
void setAtomicWriteHook(AtomicWriteHook hook);  // nullptr switches it off
const char* atomicWriteStepName(AtomicWriteStep step);

// zlib's CRC-32 (IEEE 802.3), as stored at the end of a model file.
std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

}  // namespace nn
