# ONNX export and import (issue 18).
#  test_onnx: our own writer and reader, no ONNX library.
#  test_onnx_reference: the exported files checked by ONNX's own checker and
#    shape inference (libonnx-dev) and run by OpenCV's dnn module
#    (libopencv-dnn-dev); test-only packages (scripts/lib/deps.sh), built when
#    both are found. Its MNIST check (1,000 test images) is its own entry.
#  test_onnx_torch: models exported by PyTorch (python3-torch) imported and
#    compared; the generated torchrun project trained and imported. Skipped
#    (exit 77) where python3-torch is absent.
digitpad_add_test(test_onnx SOURCES test_onnx.cpp onnx_builder.h LABELS engine)

find_package(ONNX QUIET CONFIG)
find_package(Protobuf QUIET)
find_path(DIGITPAD_OPENCV_INCLUDE opencv2/dnn.hpp PATH_SUFFIXES opencv4)
find_library(DIGITPAD_OPENCV_DNN opencv_dnn)
find_library(DIGITPAD_OPENCV_CORE opencv_core)
if(TARGET onnx AND Protobuf_FOUND AND DIGITPAD_OPENCV_INCLUDE AND DIGITPAD_OPENCV_DNN AND DIGITPAD_OPENCV_CORE)
  digitpad_add_test(test_onnx_reference SOURCES test_onnx_reference.cpp onnx_builder.h mnist_check.h
    LIBS onnx onnx_proto ${DIGITPAD_OPENCV_DNN} ${DIGITPAD_OPENCV_CORE} LABELS engine)
  if(TARGET test_onnx_reference)
    target_include_directories(test_onnx_reference SYSTEM PRIVATE ${DIGITPAD_OPENCV_INCLUDE})
  endif()
  digitpad_add_mnist_check(test_onnx_reference mnistAgreesWithOpenCv)
else()
  message(STATUS "test_onnx_reference not built: needs libonnx-dev, libprotobuf-dev and libopencv-dnn-dev "
                 "(scripts/test installs them)")
endif()

# Label torch: the ASan stage of .ci/run leaves these out (PyTorch is not
# instrumented; the normal stage runs them). Skipped with 77 without PyTorch.
digitpad_add_test(test_onnx_torch SOURCES test_onnx_torch.cpp onnx_builder.h mnist_check.h LABELS torch TIMEOUT 1500)
if(TEST test_onnx_torch)
  get_test_property(test_onnx_torch ENVIRONMENT _env)
  set_tests_properties(test_onnx_torch PROPERTIES
    ENVIRONMENT "${_env};DIGITPAD_SKIP_EXIT_CODE=${DIGITPAD_SKIP_RETURN_CODE}"
    SKIP_RETURN_CODE ${DIGITPAD_SKIP_RETURN_CODE})
  digitpad_add_mnist_check(test_onnx_torch torchrunProject)
  set_tests_properties(test_onnx_torch_mnist PROPERTIES LABELS "mnist;torch")
endif()
