// libFuzzer harness: see targets.h (fuzzIdxGz).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return digitpad_fuzz::fuzzIdxGz(data, size);
}
