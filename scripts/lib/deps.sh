# shellcheck shell=bash
# Build dependencies of DigitPad, installed through apt when they are missing.
# Sourced by scripts/run and scripts/test; defines digitpad_install_deps.
#
# Each entry is a Debian/Ubuntu package, or alternatives separated by '|'
# (the first one that the package lists offer is installed). Qt 6 Test and
# Concurrent come with qt6-base-dev.
DIGITPAD_APT_PACKAGES=(
  cmake
  ninja-build
  g++
  qt6-base-dev
  "qt6-charts-dev|libqt6charts6-dev"
  # Qt6Charts' CMake package needs Qt6OpenGL's, which qt6-charts-dev only
  # Recommends (and we install without Recommends).
  libqt6opengl6-dev
  # The run history is an SQLite database through Qt SQL: the headers come
  # with qt6-base-dev, the driver plugin (loaded at run time) does not.
  libqt6sql6-sqlite
  libeigen3-dev
  # Translations: Qt6LinguistTools' CMake package (qt_add_translations) and
  # lupdate/lrelease, which build the embedded .qm files.
  qt6-tools-dev
  qt6-l10n-tools
  zlib1g-dev
  "libgl-dev|libgl1-mesa-dev"
)

# What the test build adds (scripts/test installs these too): Google
# Benchmark for the kernel benchmarks (tests/perf.cmake builds bench_kernels
# only when it is found, so without it they would silently be left out).
#
# ONNX (issue 18, tests/onnx.cmake): ONNX's own checker and shape inference
# (libonnx-dev, whose headers need libprotobuf-dev's) and OpenCV's dnn module
# check and run the exported files; PyTorch (python3-torch) exports models for the import tests and runs
# the generated torchrun project: on a fresh Debian 12 it brings about 220
# packages, 220 MB to download and 930 MB installed (without Recommends),
# a few minutes of apt. None of them is a dependency of the app.
DIGITPAD_TEST_APT_PACKAGES=(
  libbenchmark-dev
  libonnx-dev
  libprotobuf-dev
  libopencv-dnn-dev
  python3-torch
  # scripts/check-translations (ctest check_translations) reads the .ts in Python.
  python3
  # test_accessibility switches Qt's platform accessibility on offscreen
  # (QPA, private headers) to receive the Focus events a screen reader gets.
  qt6-base-private-dev
)

# What scripts/package needs to build the .deb and check it: dpkg-shlibdeps
# (Depends from the binaries), lintian, the desktop-entry and AppStream
# validators, objdump, and qemu-user to run it on a CPU without AVX.
DIGITPAD_PACKAGE_TOOLS=(
  dpkg-dev
  binutils
  lintian
  desktop-file-utils
  appstream
  qemu-user
)

_digitpad_say() { printf '%s: %s\n' "${DIGITPAD_SCRIPT:-deps}" "$*" >&2; }

_digitpad_installed() {  # package -> status 0 when dpkg has it installed
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

_digitpad_available() {  # package -> status 0 when apt has a candidate for it
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  [[ -n $c && $c != "(none)" ]]
}

# digitpad_install_deps [PACKAGE...]: installs those of the packages (default:
# DIGITPAD_APT_PACKAGES) that are missing. Never fatal by itself: when nothing can be
# installed it says what is missing and lets the configure step report what
# is really absent.
digitpad_install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    _digitpad_say "not a Debian/Ubuntu system: make sure CMake >= 3.21, Ninja, a C++20 compiler, Qt >= 6.4 (Widgets, Charts, Test, Concurrent), Eigen 3.4 and zlib are installed"
    return 0
  fi
  local spec alt found
  local -a missing=()
  local -a wanted=("$@")
  (( ${#wanted[@]} )) || wanted=("${DIGITPAD_APT_PACKAGES[@]}")
  for spec in "${wanted[@]}"; do
    found=0
    IFS='|' read -r -a alts <<<"$spec"
    for alt in "${alts[@]}"; do
      if _digitpad_installed "$alt"; then found=1; break; fi
    done
    (( found )) || missing+=("$spec")
  done
  (( ${#missing[@]} )) || return 0

  local -a sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      _digitpad_say "missing packages: ${missing[*]//|/ or }; not root and no sudo, so install them yourself (apt-get install ...)"
      return 0
    fi
  fi

  _digitpad_say "installing missing packages: ${missing[*]//|/ or }"
  if ! "${sudo[@]}" apt-get update -qq; then
    _digitpad_say "apt-get update failed (offline?); trying with the current package lists"
  fi
  local -a install=()
  for spec in "${missing[@]}"; do
    IFS='|' read -r -a alts <<<"$spec"
    found=""
    for alt in "${alts[@]}"; do
      if _digitpad_available "$alt"; then found=$alt; break; fi
    done
    if [[ -n $found ]]; then
      install+=("$found")
    else
      _digitpad_say "no package in the apt lists provides ${spec//|/ or }; the configure step will say if it is needed"
    fi
  done
  (( ${#install[@]} )) || return 0
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${install[@]}"; then
    _digitpad_say "apt-get install failed for: ${install[*]}; the configure step will say what is missing"
  fi
  return 0
}
