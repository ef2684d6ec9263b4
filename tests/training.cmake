# Training from the GUI (issue 4): the user digit store, the worker and its
# controller, the training panel, and the event-loop benchmark.
digitpad_add_test(test_userdigits SOURCES test_userdigits.cpp LABELS engine)
digitpad_add_test(test_training_worker SOURCES test_training_worker.cpp
  LIBS digitpadgui LABELS gui threading TIMEOUT 600)
digitpad_add_test(test_threads SOURCES test_threads.cpp LIBS digitpadgui LABELS gui threading)
digitpad_add_test(test_training_panel SOURCES test_training_panel.cpp
  LIBS digitpadgui LABELS gui threading TIMEOUT 600)

# Not a test: trains the default CNN through the worker while a 10 ms timer
# measures the GUI thread's lateness.  bench_eventloop --help
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/bench_eventloop.cpp)
  add_executable(bench_eventloop ${DIGITPAD_TOOL_EXCLUDE} bench_eventloop.cpp)
  target_link_libraries(bench_eventloop PRIVATE digitpadgui)
  digitpad_warnings(bench_eventloop)
endif()

# The Train page's plain parts (spec check, request, estimate, labels, the
# run's result, the runner), without a window.
digitpad_add_test(test_training_plan SOURCES test_training_plan.cpp fixtures.h
  LIBS digitpadgui LABELS gui threading TIMEOUT 300)

# The run history and the Runs page (issue 17): store, migration, two
# writers, a damaged file, recording, the page offscreen.
digitpad_add_test(test_runs SOURCES test_runs.cpp fixtures.h LIBS digitpadgui LABELS gui threading TIMEOUT 300)
# The search queue on the Runs page (issue 17): live table, train the best, stop.
digitpad_add_test(test_search_panel SOURCES test_search_panel.cpp fixtures.h LIBS digitpadgui LABELS gui threading TIMEOUT 300)
