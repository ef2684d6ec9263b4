#pragma once
// Typed errors. Every message is meant to be shown to a person as is: it names
// the file (if any), where the problem is, and what was expected versus found.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "uitext.h"

namespace nn {

class Error : public std::runtime_error {
public:
    // A NUL byte in the message (from a spec or a name read from a file)
    // would end what() there and hide the rest: it is shown as \0.
    explicit Error(const std::string& what) : std::runtime_error(visibleNul(what)) {}
    explicit Error(const char* what) : std::runtime_error(what) {}
    // A message the GUI translates (nn/uitext.h); what() is its English.
    explicit Error(UiText text) : std::runtime_error(visibleNul(toString(text))), m_text(std::move(text)) {}
    virtual ~Error() = default;

    // The message as a UiText: the one it was made from, or what() as a value
    // (an English message, shown as it is).
    virtual UiText text() const { return m_text.empty() ? verbatim(what()) : m_text; }

private:
    UiText m_text;

    static std::string visibleNul(const std::string& s)
    {
        if (s.find('\0') == std::string::npos)
            return s;
        std::string out;
        for (const char c : s)
            out += c == '\0' ? std::string("\\0") : std::string(1, c);
        return out;
    }
};

// A file that cannot be read, or whose content is malformed. The detail is
// either English (what a parser deep in a format reports) or a UiText whose
// templates the GUI translates (the problems a person meets: no such file,
// not a model file, damaged, too large); what() is always the English.
class FileError : public Error {
public:
    FileError(std::string path, std::string what, std::int64_t offset = -1)
        : FileError(std::move(path), verbatim(std::move(what)), offset) {}
    FileError(std::string path, const char* what, std::int64_t offset = -1)
        : FileError(std::move(path), verbatim(what), offset) {}
    FileError(std::string path, UiText detail, std::int64_t offset = -1)
        : Error(toString(format(path, detail, offset))), m_path(std::move(path)), m_detail(toString(detail)),
          m_detailText(std::move(detail)), m_offset(offset) {}
    const std::string& path() const { return m_path; }
    // The message without the path and offset, for a caller that reports the
    // problem as part of a larger file (a model inside a checkpoint).
    const std::string& detail() const { return m_detail; }
    const UiText& detailText() const { return m_detailText; }
    std::int64_t offset() const { return m_offset; }
    // The whole message for translation: "path: detail (at byte N)".
    UiText text() const override { return format(m_path, m_detailText, m_offset); }

private:
    static UiText format(const std::string& path, const UiText& detail, std::int64_t offset)
    {
        if (offset >= 0)
            return uiText(DIGITPAD_UI_TEXT("nn::ui", "%1: %2 (at byte %3)"), path, detail, offset);
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "%1: %2"), path, detail);
    }
    std::string m_path;
    std::string m_detail;
    UiText m_detailText;
    std::int64_t m_offset;
};

// An architecture spec that does not parse or whose shapes do not fit.
class SpecError : public Error {
public:
    using Error::Error;
};

// Data and model that do not fit together (wrong input size, label range...).
class ShapeError : public Error {
public:
    using Error::Error;
};

}  // namespace nn
