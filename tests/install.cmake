# `cmake --install` of this build into a temporary prefix: the files a desktop
# expects are where GNUInstallDirs puts them, and the desktop entry and the
# AppStream metainfo validate (skipped, not passed, when the validators are
# not installed: scripts/package and CI install them).
add_test(NAME test_install
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_install.sh ${PROJECT_BINARY_DIR} ${DIGITPAD_APP_ID})
set_tests_properties(test_install PROPERTIES LABELS "install" SKIP_RETURN_CODE 77 TIMEOUT 120
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
