# digitpad-cli end to end: the real executable run through QProcess.
digitpad_add_test(test_cli SOURCES test_cli.cpp cli_process.h LIBS digitpadcommon Qt6::Gui LABELS cli TIMEOUT 600)
if(TARGET test_cli)
  target_compile_definitions(test_cli PRIVATE DIGITPAD_CLI="$<TARGET_FILE:digitpad-cli>")
  add_dependencies(test_cli digitpad-cli)
endif()

# digitpad-cli train records its runs; digitpad-cli runs list|show|compare|export (issue 17).
digitpad_add_test(test_cli_runs SOURCES test_cli_runs.cpp cli_process.h LIBS digitpadcommon LABELS cli TIMEOUT 300)
if(TARGET test_cli_runs)
  target_compile_definitions(test_cli_runs PRIVATE DIGITPAD_CLI="$<TARGET_FILE:digitpad-cli>")
  add_dependencies(test_cli_runs digitpad-cli)
endif()

# digitpad-cli export --onnx | --torch and its bad input (issue 18).
digitpad_add_test(test_cli_export SOURCES test_cli_export.cpp cli_process.h LIBS digitpadcommon Qt6::Gui LABELS cli TIMEOUT 300)
if(TARGET test_cli_export)
  target_compile_definitions(test_cli_export PRIVATE DIGITPAD_CLI="$<TARGET_FILE:digitpad-cli>")
  add_dependencies(test_cli_export digitpad-cli)
endif()

# digitpad-cli sweep: a planted grid, halving, bad syntax, Ctrl-C (issue 17).
digitpad_add_test(test_cli_sweep SOURCES test_cli_sweep.cpp fixtures.h LIBS digitpadcommon LABELS cli TIMEOUT 300)
if(TARGET test_cli_sweep)
  target_compile_definitions(test_cli_sweep PRIVATE DIGITPAD_CLI="$<TARGET_FILE:digitpad-cli>")
  add_dependencies(test_cli_sweep digitpad-cli)
endif()
