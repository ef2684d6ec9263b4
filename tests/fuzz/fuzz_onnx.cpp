// libFuzzer harness: see targets.h (fuzzOnnx).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return digitpad_fuzz::fuzzOnnx(data, size);
}
