# Issue 5: look inside -- MNIST browser, augmentation preview, evaluation with
# the confusion matrix and calibration, saliency. Included from tests/CMakeLists.txt.

# Engine parts (digitnn only).
digitpad_add_test(test_calibration SOURCES test_calibration.cpp LABELS engine)
digitpad_add_test(test_saliency SOURCES test_saliency.cpp LABELS engine)
digitpad_add_test(test_inspect SOURCES test_inspect.cpp LABELS engine)
digitpad_add_test(test_health SOURCES test_health.cpp LABELS engine threading)

# Benchmark: evaluate the default CNN on the 10,000 test images (target < 2 s).
add_executable(bench_evaluate ${DIGITPAD_TOOL_EXCLUDE} ${CMAKE_CURRENT_LIST_DIR}/bench_evaluate.cpp)
target_link_libraries(bench_evaluate PRIVATE digitnn)
target_compile_definitions(bench_evaluate PRIVATE DIGITPAD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
digitpad_warnings(bench_evaluate)

# Widgets and workers (need the GUI library, which exists once app/main.cpp does).
if(TARGET digitpadgui)
  digitpad_add_test(test_inspect_browser SOURCES test_inspect_browser.cpp LIBS digitpadgui LABELS gui threading TIMEOUT 300)
  digitpad_add_test(test_inspect_confusion SOURCES test_inspect_confusion.cpp LIBS digitpadgui LABELS gui)
  digitpad_add_test(test_inspect_augment SOURCES test_inspect_augment.cpp LIBS digitpadgui LABELS gui)
  digitpad_add_test(test_inspect_workers SOURCES test_inspect_workers.cpp LIBS digitpadgui LABELS gui threading)
  digitpad_add_test(test_inspector_panel SOURCES test_inspector_panel.cpp LIBS digitpadgui LABELS gui threading TIMEOUT 300)
  digitpad_add_test(test_embedding_panel SOURCES test_embedding_panel.cpp LIBS digitpadgui LABELS gui threading TIMEOUT 300)
  if(TEST test_inspector_panel)
    digitpad_add_resources(test_inspector_panel)  # the embedded default model
  endif()

  # Not a test: the layer inspector's latency, from a stroke event to every
  # layer's maps repainted (bench_inspector --help).
  add_executable(bench_inspector ${DIGITPAD_TOOL_EXCLUDE} ${CMAKE_CURRENT_LIST_DIR}/bench_inspector.cpp)
  target_link_libraries(bench_inspector PRIVATE digitpadgui)
  digitpad_add_resources(bench_inspector)
  digitpad_warnings(bench_inspector)

  # Not a test: drives the real main window page by page (real MNIST, the
  # built-in model) and writes docs/screenshots/*.png for the README.
  #   app_screenshots [--out dir]
  add_executable(app_screenshots ${DIGITPAD_TOOL_EXCLUDE} ${CMAKE_CURRENT_LIST_DIR}/app_screenshots.cpp)
  target_link_libraries(app_screenshots PRIVATE digitpadgui Qt6::Test)
  target_compile_definitions(app_screenshots PRIVATE DIGITPAD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  digitpad_add_resources(app_screenshots)
  digitpad_warnings(app_screenshots)
endif()

# Issue 16's embedding view: the penultimate layer, PCA, Barnes-Hut t-SNE (runs the pool).
digitpad_add_test(test_embedding SOURCES test_embedding.cpp LABELS engine threading)

# Not a test: t-SNE of the 10,000 MNIST test images' penultimate activations
# of the default model, the time of each phase (target < 60 s).
#   bench_embedding [--model file.dpm] [--data dir] [--runs N] [--threads T] [--perplexity P]
add_executable(bench_embedding ${DIGITPAD_TOOL_EXCLUDE} ${CMAKE_CURRENT_LIST_DIR}/bench_embedding.cpp)
target_link_libraries(bench_embedding PRIVATE digitnn)
target_compile_definitions(bench_embedding PRIVATE DIGITPAD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
digitpad_warnings(bench_embedding)
