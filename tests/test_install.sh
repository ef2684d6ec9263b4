#!/usr/bin/env bash
# test_install BUILD_DIR APP_ID: installs BUILD_DIR into a temporary prefix
# and checks the installed tree. Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail
build=$1 id=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
for f in bin/digitpad bin/digitpad-cli \
         "share/applications/$id.desktop" "share/metainfo/$id.metainfo.xml" \
         "share/icons/hicolor/scalable/apps/$id.svg" \
         share/bash-completion/completions/digitpad-cli share/doc/digitpad/copyright; do
  [[ -f $prefix/$f ]] || fail "not installed: $f"
done
for size in 16 24 32 48 64 128 256 512; do
  png="$prefix/share/icons/hicolor/${size}x${size}/apps/$id.png"
  [[ -f $png ]] || fail "not installed: icon ${size}x${size}"
  # The PNG's own header says its size (bytes 16-23: width, height).
  read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
  [[ $w == "$size" && $h == "$size" ]] || fail "icon ${size}x${size} is ${w}x${h}"
done
man=$(ls "$prefix"/share/man/man1/digitpad-cli.1* 2>/dev/null | head -n1)
[[ -n $man ]] || fail "no man page for digitpad-cli"
ls "$prefix"/share/man/man1/digitpad.1* >/dev/null 2>&1 || fail "no man page for digitpad"
# The man page documents every command the CLI has.
page=$( [[ $man == *.gz ]] && gzip -dc "$man" || cat "$man")
for cmd in train eval predict info bench calibrate; do
  grep -q "^\.SS \"$cmd " <<<"$page" || fail "the man page has no section for '$cmd'"
done
grep -q 'init\\-from' <<<"$page" || fail "the man page lacks train's --init-from"
# The completion offers the commands and a command's options.
bash -c "source '$prefix/share/bash-completion/completions/digitpad-cli'
  COMP_WORDS=(digitpad-cli tr); COMP_CWORD=1; _digitpad_cli; [[ \${COMPREPLY[*]} == train ]] || exit 1
  COMP_WORDS=(digitpad-cli train --ep); COMP_CWORD=2; _digitpad_cli; [[ \${COMPREPLY[*]} == --epochs ]] || exit 1" ||
  fail "the bash completion does not complete 'tr' to train and 'train --ep' to --epochs"
# The installed CLI runs from the prefix, on the engine installed beside it
# (found through its $ORIGIN RUNPATH, not the build tree's).
"$prefix/bin/digitpad-cli" --version | grep -q '^digitpad-cli ' || fail "installed digitpad-cli --version"
engine=$(ls "$prefix"/lib*/digitpad/libdigitnn.so "$prefix"/lib/*/digitpad/libdigitnn.so 2>/dev/null | head -n1 || true)
[[ -n $engine ]] || fail "not installed: lib/.../digitpad/libdigitnn.so"
readelf -d "$prefix/bin/digitpad-cli" | grep -q 'R.*PATH.*\$ORIGIN/' || fail "the installed digitpad-cli has no \$ORIGIN RUNPATH"
loaded=$(ldd "$prefix/bin/digitpad-cli" | awk '$1 == "libdigitnn.so" { print $3 }')
# ldd prints the path as the loader built it ($ORIGIN/../lib/...): compare the real paths.
loaded=$(realpath -e "$loaded" 2>/dev/null || echo "$loaded")
engine=$(realpath -e "$engine")
[[ $loaded == "$(dirname "$engine")"/* ]] || fail "the installed digitpad-cli loads '$loaded', not the engine in $(dirname "$engine")"

missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null || missing+=(appstream)
if (( ${#missing[@]} )); then
  echo "SKIP: the installed tree is right, but ${missing[*]} is not installed to validate the desktop entry and metainfo"
  exit 77
fi
desktop-file-validate "$prefix/share/applications/$id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net --pedantic "$prefix/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"
echo "PASS: installed tree, man pages, completion, desktop entry and metainfo"
