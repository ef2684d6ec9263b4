// libFuzzer harness: see targets.h (fuzzIdxRaw).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return digitpad_fuzz::fuzzIdxRaw(data, size);
}
