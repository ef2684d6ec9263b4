#include "fileio.h"

#include "errors.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nn {

namespace {

const char* typeName(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a named pipe (FIFO)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}


}  // namespace

std::string humanSize(std::uint64_t n)
{
    static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    double v = double(n);
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    if (u == 0 || v == std::floor(v))
        std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

std::string groupedCount(long long n)
{
    const bool negative = n < 0;
    const std::string digits = std::to_string(negative ? -(unsigned long long)n : (unsigned long long)n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return negative ? "-" + out : out;
}

RegularFile::RegularFile(const std::string& path, std::uint64_t maxSize) : m_path(path)
{
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
    // forever. It does not change how a regular file reads.
    do
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    while (m_fd < 0 && errno == EINTR);
    if (m_fd < 0)
        throw FileError(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st;
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        throw FileError(path, std::string("cannot read: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        if (S_ISDIR(st.st_mode))
            throw FileError(path, "is a directory, not a file");
        throw FileError(path, std::string("is ") + typeName(st.st_mode) + ", not a regular file");
    }
    m_size = std::uint64_t(st.st_size);
    if (m_size > maxSize) {
        ::close(m_fd);
        throw FileError(path, "file is " + humanSize(m_size) + ", larger than the limit of " + humanSize(maxSize));
    }
}

RegularFile::~RegularFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::size_t RegularFile::read(void* dst, std::size_t n)
{
    if (std::uint64_t(n) > m_size - m_pos)
        n = std::size_t(m_size - m_pos);
    auto* out = static_cast<std::uint8_t*>(dst);
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(m_fd, out + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            throw FileError(m_path, std::string("cannot read: ") + std::strerror(errno), std::int64_t(m_pos + got));
        }
        if (r == 0)
            break;
        got += std::size_t(r);
    }
    m_pos += got;
    return got;
}

std::vector<std::uint8_t> readFileBytes(const std::string& path, std::size_t maxSize)
{
    RegularFile f(path, maxSize);
    std::vector<std::uint8_t> out(std::size_t(f.size()));
    const std::size_t got = f.read(out.data(), out.size());
    if (got != out.size())
        throw FileError(path, "read error: the file is shorter than it was a moment ago", std::int64_t(got));
    return out;
}

}  // namespace nn
