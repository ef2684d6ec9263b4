# The drawing pad (issue 3): canvas and stroke model, the pad end to end on
# the real main window, recognition quality on drawn digits, and the
# stroke-to-probabilities latency benchmark.
digitpad_add_test(test_canvas SOURCES test_canvas.cpp LIBS digitpadgui GUI LABELS gui)
digitpad_add_test(test_drawpad SOURCES test_drawpad.cpp LIBS digitpadgui GUI LABELS gui threading TIMEOUT 300)
# Needs real MNIST ($DIGITPAD_DATA or ~/.local/share/DigitPad/mnist); skips without it.
digitpad_add_test(test_drawn_accuracy SOURCES test_drawn_accuracy.cpp model_under_test.h LIBS digitpadgui LABELS gui mnist TIMEOUT 600)
foreach(t test_drawpad test_drawn_accuracy)
  if(TARGET ${t})
    digitpad_add_resources(${t})  # the embedded default model
  endif()
endforeach()

# Not a test: time from a synthetic mouse event on the canvas to the
# probabilities signal, over thousands of events.  bench_drawlatency --help
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/bench_drawlatency.cpp)
  add_executable(bench_drawlatency ${DIGITPAD_TOOL_EXCLUDE} bench_drawlatency.cpp)
  target_link_libraries(bench_drawlatency PRIVATE digitpadgui)
  digitpad_add_resources(bench_drawlatency)
  digitpad_warnings(bench_drawlatency)
endif()

# The main window with all its pages: model swaps reach every page, samples
# travel between pages, "Add to My Digits", closing during training.
digitpad_add_test(test_mainwindow SOURCES test_mainwindow.cpp LIBS digitpadgui GUI LABELS gui threading TIMEOUT 300)
if(TARGET test_mainwindow)
  digitpad_add_resources(test_mainwindow)
  # File > Export as PyTorch Project is compared with digitpad-cli export --torch.
  target_compile_definitions(test_mainwindow PRIVATE DIGITPAD_CLI="$<TARGET_FILE:digitpad-cli>")
  add_dependencies(test_mainwindow digitpad-cli)
endif()

# "Not a digit" (issue 15): non-digits flagged, digits not, on the default model.
digitpad_add_test(test_not_a_digit SOURCES test_not_a_digit.cpp handwriting.h nondigits.h model_under_test.h LIBS digitpadgui LABELS gui TIMEOUT 300)
if(TARGET test_not_a_digit)
  digitpad_add_resources(test_not_a_digit)
endif()

# Numbers, not only digits (issue 15): written numbers split and read.
digitpad_add_test(test_number SOURCES test_number.cpp numbers.h handwriting.h model_under_test.h LIBS digitpadgui LABELS gui TIMEOUT 600)
if(TARGET test_number)
  digitpad_add_resources(test_number)
  digitpad_add_mnist_check(test_number mnistTestNumbers)
endif()

# Other countries' digit styles (issue 15), read by the default model.
digitpad_add_test(test_digit_styles SOURCES test_digit_styles.cpp handwriting.h model_under_test.h LIBS digitpadgui LABELS gui TIMEOUT 300)
if(TARGET test_digit_styles)
  digitpad_add_resources(test_digit_styles)
endif()
