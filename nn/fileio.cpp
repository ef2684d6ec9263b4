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

UiText notRegular(mode_t mode)
{
    if (S_ISFIFO(mode))
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "is a named pipe (FIFO), not a regular file"));
    if (S_ISCHR(mode))
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "is a character device, not a regular file"));
    if (S_ISBLK(mode))
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "is a block device, not a regular file"));
    if (S_ISSOCK(mode))
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "is a socket, not a regular file"));
    return uiText(DIGITPAD_UI_TEXT("nn::ui", "is a special file, not a regular file"));
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

UiText sizeText(std::uint64_t n)
{
    if (n < 1024)
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 bytes"), std::to_string(n));
    return verbatim(humanSize(n));
}

UiText systemError(int err)
{
    // The English is glibc's strerror wording, word for word.
    switch (err) {
    case ENOENT:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "No such file or directory"));
    case EACCES:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Permission denied"));
    case EPERM:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Operation not permitted"));
    case ENOTDIR:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Not a directory"));
    case EISDIR:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Is a directory"));
    case ENOSPC:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "No space left on device"));
    case EDQUOT:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Disk quota exceeded"));
    case EROFS:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Read-only file system"));
    case ENAMETOOLONG:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "File name too long"));
    case ELOOP:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Too many levels of symbolic links"));
    case EIO:
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "Input/output error"));
    default:
        return verbatim(std::strerror(err));
    }
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
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot open: %1"), systemError(errno)));
    struct stat st;
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot read: %1"), systemError(err)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        if (S_ISDIR(st.st_mode))
            throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "is a directory, not a file")));
        throw FileError(path, notRegular(st.st_mode));
    }
    m_size = std::uint64_t(st.st_size);
    if (m_size > maxSize) {
        ::close(m_fd);
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "file is %1, larger than the limit of %2"), sizeText(m_size),
                                     sizeText(maxSize)));
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
            throw FileError(m_path, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot read: %1"), systemError(errno)),
                            std::int64_t(m_pos + got));
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
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "read error: the file is shorter than it was a moment ago")),
                        std::int64_t(got));
    return out;
}

}  // namespace nn
