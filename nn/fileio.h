#pragma once
// Opening a file that a person named, safely. Every loader in DigitPad reads
// through here, so no path can make a program hang or read without bound:
// the file is opened with O_NONBLOCK (a FIFO would otherwise block open()
// until a writer appears), checked with fstat to be a regular file (a FIFO,
// a device such as /dev/zero, a socket or a directory is refused, naming what
// it is), and its size is compared with the caller's limit before a byte is
// read.
#include <cstdint>
#include <string>
#include <vector>

#include "uitext.h"

namespace nn {

// A read-only regular file. The constructor throws FileError naming the path:
//   "cannot open: No such file or directory" (or the system's reason),
//   "is a directory, not a file", "is a named pipe (FIFO), not a regular file",
//   "is a character device, not a regular file", ...,
//   "file is 3 GiB, larger than the limit of 256 MiB".
class RegularFile {
public:
    RegularFile(const std::string& path, std::uint64_t maxSize);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    const std::string& path() const { return m_path; }
    // The size fstat reported at open.
    std::uint64_t size() const { return m_size; }
    // Bytes read so far.
    std::uint64_t position() const { return m_pos; }
    // Up to n bytes; fewer only at the end of the file. Never reads more than
    // size() bytes in total, so a file that grows while it is read is cut at
    // the size it had. Throws FileError on a read error.
    std::size_t read(void* dst, std::size_t n);

private:
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::uint64_t m_pos = 0;
};

// A byte count as people read it: "512 bytes", "3 GiB", "1.5 MiB" (the
// wording of every size limit in the loaders' messages).
std::string humanSize(std::uint64_t n);
// The same for a message the GUI translates ("512 bytes" is a template).
UiText sizeText(std::uint64_t n);
// The system's reason for errno `err` (strerror), as a translated sentence
// for the common ones (no such file, permission denied, disk full...).
UiText systemError(int err);
// A count with thousands separators: "60,000", "-1,234".
std::string groupedCount(long long n);

// The whole file through RegularFile; throws its errors, and "read error: the
// file is shorter than it was a moment ago" when it shrinks while read.
std::vector<std::uint8_t> readFileBytes(const std::string& path, std::size_t maxSize);

}  // namespace nn
