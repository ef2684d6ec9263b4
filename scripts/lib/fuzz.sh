# shellcheck shell=bash
# Shared by scripts/fuzz and scripts/fuzz-corpus: configures and builds the
# libFuzzer tree (clang, ASan+UBSan, engine only) in the given directory.
digitpad_fuzz_build() {
  local root=$1 build=$2
  local cxx=${DIGITPAD_FUZZ_CXX:-}
  if [[ -z $cxx ]]; then
    for c in clang++ clang++-14 clang++-15 clang++-16; do
      if command -v "$c" >/dev/null 2>&1; then cxx=$c; break; fi
    done
  fi
  if [[ -z $cxx ]]; then
    echo "fuzz: clang++ not found; install clang and libclang-rt-dev (libFuzzer), e.g. apt-get install clang libclang-rt-14-dev" >&2
    exit 1
  fi
  if [[ ! -f $build/build.ninja ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER="$cxx" -DDIGITPAD_FUZZ=ON \
      -DDIGITPAD_BUILD_APP=OFF -DDIGITPAD_BUILD_TESTS=OFF >/dev/null
  fi
  nice -n 19 cmake --build "$build" --target fuzz_idx_raw fuzz_idx_gz fuzz_model fuzz_spec fuzz_checkpoint fuzz_onnx \
    digitpad-fuzz-corpus
}
