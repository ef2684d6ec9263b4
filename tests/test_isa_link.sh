#!/usr/bin/env bash
# The engine's per-level builds are kept apart (nn/CMakeLists.txt):
#   - each library has the SONAME libdigitnn.so and sits where the loader's
#     glibc-hwcaps search finds it;
#   - the baseline library and the programs contain no VEX/EVEX (AVX or later)
#     instruction, the avx2 library no AVX-512 one, and the avx512 library
#     does use AVX-512 (so the check can fail);
#   - no Eigen symbol is exported by any level (Eigen's templates are local);
#   - every symbol a program takes from libdigitnn.so is defined by every
#     level's build, so the loader can load any of them;
#   - the programs find the engine folder through their RUNPATH.
#
#   test_isa_link.sh ENGINE_DIR "LEVELS" PROGRAM...
#   (LEVELS: the built levels, e.g. "baseline;avx2;avx512")
set -euo pipefail
dir=$1; levels=$2; shift 2
fails=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

declare -A sub=([baseline]="" [avx2]="glibc-hwcaps/x86-64-v3/" [avx512]="glibc-hwcaps/x86-64-v4/")
IFS=';' read -r -a lv <<<"$levels"
# VEX/EVEX-encoded SIMD instructions (vaddps, vfmadd231ps ... on xmm/ymm/zmm).
avx_count() { objdump -d --no-show-raw-insn "$1" | grep -cE '\sv[a-z0-9]+\s+.*%[xyz]mm' || true; }
# Only EVEX (AVX-512) can name zmm, xmm16-31/ymm16-31 or a mask register.
avx512_count() { objdump -d --no-show-raw-insn "$1" | grep -cE '%zmm|%[xy]mm(1[6-9]|2[0-9]|3[01])\b|%k[1-7]' || true; }

for l in "${lv[@]}"; do
  lib="$dir/${sub[$l]}libdigitnn.so"
  [[ -f $lib ]] || { fail "$l: $lib is missing"; continue; }
  soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  [[ $soname == libdigitnn.so ]] && pass "$l: SONAME $soname" || fail "$l: SONAME '$soname', not libdigitnn.so"
  case $l in
    baseline) n=$(avx_count "$lib"); (( n == 0 )) && pass "baseline: no AVX instruction" ||
                fail "baseline library has $n AVX instructions" ;;
    avx2) n=$(avx512_count "$lib"); (( n == 0 )) && pass "avx2: no AVX-512 instruction" ||
            fail "avx2 library has $n AVX-512 instructions"
          n=$(objdump -d --no-show-raw-insn "$lib" | grep -cE '\svfmadd[0-9]+ps\s+.*%ymm' || true)
          (( n > 0 )) && pass "avx2: $n ymm FMA instructions" || fail "avx2 library has no ymm FMA instruction" ;;
    avx512) n=$(avx512_count "$lib"); (( n > 0 )) && pass "avx512: $n AVX-512 instructions" ||
              fail "avx512 library has no AVX-512 instruction" ;;
  esac
  n=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep -cE '^_ZN?K?5Eigen' || true)
  (( n == 0 )) && pass "$l: no Eigen symbol exported" || fail "$l exports $n Eigen symbols"
done

for prog in "$@"; do
  name=$(basename "$prog")
  n=$(avx_count "$prog")
  (( n == 0 )) && pass "$name: no AVX instruction" || fail "$name has $n AVX instructions"
  runpath=$(readelf -d "$prog" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')
  [[ ":$runpath:" == *":$dir:"* ]] && pass "$name: RUNPATH has $dir" || fail "$name: RUNPATH '$runpath' lacks $dir"
  readelf -d "$prog" | grep -q 'NEEDED.*\[libdigitnn.so\]' || fail "$name does not need libdigitnn.so"
  # What the program imports and the baseline library provides must be in
  # every level's library.
  base="$dir/libdigitnn.so"
  comm -12 <(nm -D --undefined-only "$prog" | awk '{print $NF}' | sed 's/@.*//' | sort -u) \
           <(nm -D --defined-only "$base" | awk '{print $NF}' | sort -u) >"$work/imports"
  [[ -s $work/imports ]] || fail "$name imports nothing from libdigitnn.so"
  for l in "${lv[@]}"; do
    [[ $l == baseline ]] && continue
    missing=$(comm -23 "$work/imports" <(nm -D --defined-only "$dir/${sub[$l]}libdigitnn.so" | awk '{print $NF}' | sort -u) | wc -l)
    (( missing == 0 )) && pass "$name: its $(wc -l <"$work/imports") imports are all in the $l library" ||
      fail "$name: $missing of its imports are missing from the $l library"
  done
done
(( fails == 0 )) || { echo "$fails failures"; exit 1; }
