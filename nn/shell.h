#pragma once
// Commands as a person pastes them into a POSIX shell: the CLI's record of
// how a run was started, and the torchrun command of a PyTorch project.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace nn {

// A word as the shell reads it back: as is when it is plain, else in single
// quotes ("it's" -> 'it'\''s'); '' for an empty one.
inline std::string shellQuote(const std::string& s)
{
    if (s.empty())
        return "''";
    const bool safe = std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("@%+=:,./-_").find(char(c)) != std::string_view::npos;
    });
    if (safe)
        return s;
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

// The words joined with spaces, each shellQuote'd.
inline std::string joinCommand(const std::vector<std::string>& argv)
{
    std::string s;
    for (const auto& a : argv) {
        if (!s.empty())
            s += ' ';
        s += shellQuote(a);
    }
    return s;
}

}  // namespace nn
