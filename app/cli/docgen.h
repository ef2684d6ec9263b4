#pragma once
// The man page and the bash completion of digitpad-cli, written from the same
// command table (options.cpp) as the parser and --help, so that none of them
// can drift from the others. The build writes both files with
// `digitpad-cli help --man` and `digitpad-cli help --bash-completion`.
#include <string>

namespace app::cli {

// troff source of digitpad-cli(1); `date` is the release date (YYYY-MM-DD).
std::string manPage(const std::string& version, const std::string& date);

// A bash completion script for digitpad-cli.
std::string bashCompletion();

}  // namespace app::cli
