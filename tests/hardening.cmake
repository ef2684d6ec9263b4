# Hardening (issue 6): the bad-input catalogue, the "no lost work" checks on
# saving, and the replay of inputs the fuzzers once crashed on. The fuzzers
# themselves live in tests/fuzz (DIGITPAD_FUZZ=ON, clang; see scripts/fuzz).
if(TARGET digitpadcommon)
  # With the app library the catalogue also covers images (digitpad-cli
  # predict, Open Image) and loads models the way the programs do.
  digitpad_add_test(test_bad_inputs SOURCES test_bad_inputs.cpp LIBS digitpadcommon Qt6::Gui
    LABELS engine hardening TIMEOUT 120)
  if(TARGET test_bad_inputs)
    target_compile_definitions(test_bad_inputs PRIVATE DIGITPAD_HAVE_APP=1)
  endif()
else()
  digitpad_add_test(test_bad_inputs SOURCES test_bad_inputs.cpp LABELS engine hardening TIMEOUT 120)
endif()
if(TARGET test_bad_inputs)
  target_link_libraries(test_bad_inputs PRIVATE ZLIB::ZLIB)
endif()

digitpad_add_test(test_no_lost_work SOURCES test_no_lost_work.cpp LABELS engine hardening TIMEOUT 300)

digitpad_add_test(test_fuzz_regressions SOURCES fuzz/test_regressions.cpp fuzz/targets.h
  LIBS ZLIB::ZLIB LABELS engine hardening TIMEOUT 300)

# Under ThreadSanitizer: a program that races on purpose on a thread Qt
# started must be reported (TSan exits 66), so that the suppressions in
# tests/tsan.supp are known not to hide races in our own code.
if(DIGITPAD_TSAN)
  add_executable(tsan_canary tsan_canary.cpp)
  target_link_libraries(tsan_canary PRIVATE Qt6::Core)
  add_test(NAME tsan_canary COMMAND tsan_canary)
  set_tests_properties(tsan_canary PROPERTIES WILL_FAIL TRUE LABELS "engine;threading"
    ENVIRONMENT "TSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp")
endif()
