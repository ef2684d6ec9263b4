# Performance tools (issue 7).
#  - test_noalloc: a counting operator new asserts that steady-state training
#    steps and inference allocate nothing. A ctest test.
#  - bench_kernels: Google Benchmark of the hot kernels (GFLOP/s against the
#    measured FMA peak). Built, never run by ctest: timing is not a test.
digitpad_add_test(test_noalloc SOURCES test_noalloc.cpp LABELS engine perf TIMEOUT 300)
digitpad_add_test(test_fused SOURCES test_fused.cpp gradcheck.h LABELS engine TIMEOUT 300)

find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(bench_kernels ${DIGITPAD_TOOL_EXCLUDE} bench_kernels.cpp)
  target_link_libraries(bench_kernels PRIVATE digitnn benchmark::benchmark)
  digitpad_warnings(bench_kernels)
else()
  message(STATUS "Google Benchmark not found: bench_kernels is not built")
endif()

# bench_handwriting: accuracy on synthetic handwriting per pen width, size,
# paper brightness, lighting and dust (tests/handwriting.h). Not run by ctest.
add_executable(bench_handwriting ${DIGITPAD_TOOL_EXCLUDE} bench_handwriting.cpp handwriting.h)
target_link_libraries(bench_handwriting PRIVATE digitnn)
target_compile_definitions(bench_handwriting PRIVATE DIGITPAD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
digitpad_warnings(bench_handwriting)

# bench_number: numbers of MNIST digits read by nn::readNumber (issue 15);
# --set tuning (the test set's tuning half) is where its settings were chosen,
# --set heldout what test_number reports. Not run by ctest.
add_executable(bench_number ${DIGITPAD_TOOL_EXCLUDE} bench_number.cpp numbers.h handwriting.h)
target_link_libraries(bench_number PRIVATE digitnn)
target_compile_definitions(bench_number PRIVATE DIGITPAD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
digitpad_warnings(bench_number)
