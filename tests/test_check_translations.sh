#!/usr/bin/env bash
# scripts/check-translations must fail on a broken .ts and name each problem
# with its context, source text and file:line (tests/data/i18n/broken_zh_CN.ts:
# one placeholder mismatch, one tag mismatch, one obsolete entry, the rest
# missing) and on a broken English plural-only .ts (tests/data/i18n/broken_en.ts:
# a singular without its plural, forms that copy the source, a non-plural
# entry, the rest missing), and pass on the repository's translations.
#   test_check_translations.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$1 build=$2
out=$(bash "$src/scripts/check-translations" --build-dir "$build" --ts "$src/tests/data/i18n/broken_zh_CN.ts" 2>&1)
rc=$?
fail() { printf '%s\n' "$out" | grep -v 'no finished translation: ' >&2; echo "FAIL: $*" >&2; exit 1; }
[[ $rc == 1 ]] || fail "exit status $rc on the broken .ts, expected 1"
expect() { grep -qF -- "$1" <<<"$out" || fail "missing line: $1"; }
expect 'placeholders differ: [app::MainWindow] "Saved the model to %1" at app/main_window.cpp:'
expect 'source has %1, translation "模型已保存到 %2" has %2'
expect 'HTML tags differ: [app::MainWindow] "Model in use: <b>%1</b> (%2)<br>Architecture: <code>%3</code>"'
expect 'obsolete translation: [app::MainWindow] "A string that no source file has"'
expect 'no finished translation: [QObject] "built-in default" at app/main_window.cpp:'
expect 'no finished translation: [app::TrainingForm] "Learning rate" at app/panels/training_form.cpp:'
expect 'no finished translation: [nn::ui] "Scale" at nn/augment.cpp:'
grep -qF 'no finished translation: [app::MainWindow] "Open Model"' <<<"$out" && fail "a finished entry was reported"

out=$(bash "$src/scripts/check-translations" --build-dir "$build" --ts "$src/tests/data/i18n/broken_en.ts" 2>&1)
rc=$?
[[ $rc == 1 ]] || fail "exit status $rc on the broken English .ts, expected 1"
expect 'broken_en.ts: no finished translation: [app::TrainingPanel] "Finished %n epoch(s)" at app/panels/training_plan.cpp:'
expect 'broken_en.ts: no finished translation: [app::TrainingRunView] "finished: %n epoch(s)" at app/panels/training_run_view.cpp:'
expect 'broken_en.ts: plural forms not written out: [app::TrainingPanel] "Stopped after %n complete epoch(s)" at app/panels/training_plan.cpp:'
expect 'broken_en.ts: not a plural entry: [app::TrainingPanel] "validation"'
grep -qF '" on %n image(s)"' <<<"$out" && fail "a finished plural entry was reported"
# Only the plural strings are expected in English, not the other 500.
grep -qF '"Open Model"' <<<"$out" && fail "a non-plural source string was asked for in English"
# The fixtures themselves must be left as they were (the check works on a copy).
git -C "$src" diff --quiet -- tests/data/i18n/broken_zh_CN.ts tests/data/i18n/broken_en.ts 2>/dev/null ||
  fail "a checked .ts was modified"
bash "$src/scripts/check-translations" --build-dir "$build" || { echo "FAIL: the repository's translation does not pass" >&2; exit 1; }
