#!/usr/bin/env bash
# demo.sh — the README's first command. From a fresh clone, with no terminal
# needed (CI=true, no stdin):
#
#   1. checks the build dependencies (scripts/setup-deps.sh);
#   2. builds, in release (cmake --preset release -> build/release), only what
#      it runs: the target memfs_demo (the example suites and programs and the
#      deliberate failure), not the rest of the test suite or the benchmarks;
#   3. runs every example's GoogleTest and Catch2 suite, and the example
#      command-line programs (the list comes from build/release/examples/demo.txt);
#   4. runs ONE example test that fails on purpose (examples/demo_failure/,
#      not part of the normal suite) and shows what a red CI run with memfs
#      shows: the failure, the snapshot folder, its tree and manifest.json,
#      and a screenshot of the snapshot's page (index.html) taken with
#      headless Chromium: build/release/demo-snapshot-page.png.
#
# Exits 0 when everything behaved as expected: every example suite passed, and
# the deliberate failure failed and left a snapshot. Exits non-zero otherwise.
# Everything it writes stays under build/release/ (snapshots in
# build/release/demo-snapshots/, logs in build/release/demo-logs/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT="$PWD"
readonly BUILD="$ROOT/build/release"
readonly SNAPSHOTS="$BUILD/demo-snapshots"
readonly LOGS="$BUILD/demo-logs"
readonly WORK="$BUILD/demo-work"
readonly MANIFEST_LINES=80
readonly SCREENSHOT="$BUILD/demo-snapshot-page.png"

say() { printf '\n==> %s\n' "$*"; }
indent() { sed 's/^/    /'; }

say "checking build dependencies (scripts/setup-deps.sh --browser: Chromium for the page's screenshot)"
scripts/setup-deps.sh --browser

say "configuring the release build: cmake --preset release   (build dir: build/release)"
cmake --preset release
say "building the examples and the deliberate failure: cmake --build --preset release --target memfs_demo"
cmake --build --preset release --target memfs_demo

entries_file="$BUILD/examples/demo.txt"
[[ -f "$entries_file" ]] || { say "missing $entries_file (examples not configured?)"; exit 1; }
rm -rf "$SNAPSHOTS" "$LOGS" "$WORK"
mkdir -p "$SNAPSHOTS" "$LOGS" "$WORK"

# Runs one entry of demo.txt in its own working directory; output to a log.
# Usage: run_entry <log> <workdir> <command...>
run_entry() {
  local log="$1" dir="$2"
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && "$@" </dev/null >"$log" 2>&1)
}

# --- 3. the example suites and programs --------------------------------------
say "running the example suites (snapshots of unexpected failures: build/release/demo-snapshots/suites)"
suites=0
broken=()
failure_cmd=()
programs=()
while IFS=$'\t' read -r -a entry; do
  [[ ${#entry[@]} -ge 3 ]] || continue
  kind="${entry[0]}" name="${entry[1]}"
  cmd=("${entry[@]:2}")
  case "$kind" in
    gtest | catch2)
      suites=$((suites + 1))
      log="$LOGS/$name-$kind.log"
      args=()
      [[ "$kind" == gtest ]] && args=(--gtest_brief=1)
      if MEMFS_SNAPSHOT_DIR="$SNAPSHOTS/suites" run_entry "$log" "$WORK/$name-$kind" "${cmd[@]}" "${args[@]}"; then
        summary="$(grep -E '^\[  PASSED  \]|^All tests passed' "$log" | tail -n 1)"
        printf '  ok    %-13s %-7s %s\n' "$name" "$kind" "$summary"
      else
        printf '  FAIL  %-13s %-7s (log: %s)\n' "$name" "$kind" "${log#"$ROOT/"}"
        indent <"$log"
        broken+=("$name ($kind)")
      fi
      ;;
    program) programs+=("$name"$'\t'"$(printf '%s\t' "${cmd[@]}")") ;;
    failure) failure_cmd=("${cmd[@]}") ;;
  esac
done <"$entries_file"

for line in "${programs[@]}"; do
  IFS=$'\t' read -r -a entry <<<"$line"
  name="${entry[0]}"
  cmd=("${entry[@]:1}")
  dir="$WORK/$name"
  say "example program $name, on a DiskFileSystem: ${cmd[*]#"$BUILD/"}   (in build/release/demo-work/$name)"
  if run_entry "$LOGS/$name.log" "$dir" "${cmd[@]}"; then
    indent <"$LOGS/$name.log"
  else
    indent <"$LOGS/$name.log"
    broken+=("$name (program)")
  fi
done

if [[ ${#broken[@]} -gt 0 ]]; then
  say "demo FAILED: ${#broken[@]} example suite(s)/program(s) failed: ${broken[*]}"
  exit 1
fi
say "all $suites example suites passed (${#programs[@]} example program(s) ran)"

# --- 4. the deliberate failure -----------------------------------------------
if [[ ${#failure_cmd[@]} -eq 0 ]]; then
  say "demo FAILED: no deliberately failing example was built (examples/demo_failure)"
  exit 1
fi
readonly FAILING_TEST="CopyTruncateLogTest.AFullDiskDuringRotationLosesNoLine"
readonly FAILURE_SNAPSHOTS="$SNAPSHOTS/deliberate-failure"
readonly REPORT="$LOGS/demo_failure.xml"
say "now a test that FAILS ON PURPOSE (examples/demo_failure: a copy-truncate log rotation"
echo "    that ignores a failed copy when the disk is full), run alone, as CI would run it:"
echo
echo "    MEMFS_SNAPSHOT_DIR=build/release/demo-snapshots/deliberate-failure \\"
echo "      ${failure_cmd[0]#"$BUILD/"} --gtest_filter=$FAILING_TEST \\"
echo "      --gtest_output=xml:build/release/demo-logs/demo_failure.xml"
echo
set +e
(cd "$WORK" && MEMFS_SNAPSHOT_DIR="$FAILURE_SNAPSHOTS" "${failure_cmd[@]}" \
  --gtest_filter="$FAILING_TEST" --gtest_output="xml:$REPORT" </dev/null 2>&1) |
  tee "$LOGS/demo_failure.log" | indent
rc=${PIPESTATUS[0]}
set -e
if [[ $rc -eq 0 ]]; then
  say "demo FAILED: the deliberately failing test passed"
  exit 1
fi

# The adapter records the folder in the test report (the memfs_snapshot
# property), which is where a CI system finds it.
folder="$(grep -o 'name="memfs_snapshot" value="[^"]*"' "$REPORT" 2>/dev/null |
  head -n 1 | sed 's/.*value="\(.*\)"/\1/' || true)"
if [[ -z "$folder" || ! -f "$folder/manifest.json" || ! -d "$folder/tree" ]]; then
  say "demo FAILED: the deliberate failure left no snapshot (expected one under $FAILURE_SNAPSHOTS)"
  exit 1
fi

say "the test failed as intended (exit $rc), and the JUnit XML report names its snapshot:"
grep -o '<property name="memfs_snapshot"[^>]*>' "$REPORT" | indent

say "the snapshot folder, as it is on disk: ${folder#"$ROOT/"}"
(
  cd "$folder"
  find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r path; do
    depth=$(($(tr -cd '/' <<<"$path" | wc -c) - 1))
    if [[ -d "$path" ]]; then
      label="${path##*/}/"
    else
      label="${path##*/}  ($(wc -c <"$path") B)"
    fi
    printf '    %*s%s\n' $((depth * 4)) '' "$label"
  done
)

say "the test's files, as they were when it failed (tree/):"
find "$folder/tree" -type f | LC_ALL=C sort | while IFS= read -r file; do
  echo "    ${file#"$folder/"}:"
  head -n 20 "$file" | sed 's/^/      | /'
done

total=$(wc -l <"$folder/manifest.json")
if [[ $total -gt $MANIFEST_LINES ]]; then
  say "its manifest.json (the first $MANIFEST_LINES of $total lines):"
else
  say "its manifest.json:"
fi
head -n "$MANIFEST_LINES" "$folder/manifest.json" | indent
if [[ $total -gt $MANIFEST_LINES ]]; then
  echo "    ... ($((total - MANIFEST_LINES)) more lines)"
fi

# The page a person opens from a CI artifact, as a browser shows it.
say "its page, index.html (open it in any browser), as headless Chromium renders it:"
profile="$(mktemp -d)"
rm -f "$SCREENSHOT"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1280,900 \
  --virtual-time-budget=5000 --screenshot="$SCREENSHOT" "file://$folder/index.html" \
  </dev/null >"$LOGS/screenshot.log" 2>&1 || true
rm -rf "$profile"
if [[ ! -s "$SCREENSHOT" ]]; then
  say "demo FAILED: no screenshot of $folder/index.html (log: ${LOGS#"$ROOT/"}/screenshot.log)"
  exit 1
fi
echo "    screenshot: $SCREENSHOT"

say "done: memfs built in build/release, $suites example suites passed, and the deliberate failure"
echo "    left its snapshot (tree/ holds the test's files, manifest.json the rest, index.html"
echo "    shows it all in a browser) in:"
echo
echo "    $folder"
echo
echo "    and a screenshot of its page: $SCREENSHOT"
