#!/usr/bin/env bash
# test.sh — checks memfs's source layout, then builds memfs and runs its whole
# test suite, three times:
#
#   0. scripts/check-structure.sh and scripts/check-format.sh (before any
#      build; a layout rule broken or a file formatted otherwise than
#      .clang-format says stops here: scripts/check-format.sh --fix mends it)
#   1. dev   Debug build, every test (consumer tests included, and the
#            snapshot page's tests in headless Chromium, tests/page)
#   2. asan  AddressSanitizer + UndefinedBehaviorSanitizer (without tests/page:
#            the browser is not what a sanitizer examines, and it is slow)
#   3. tsan  ThreadSanitizer (without tests/page)
#
# The sanitizer stages compile in unity batches with line tables only (-g1,
# enough for a sanitizer's file:line), which roughly halves their build
# time. The dev stage compiles every file alone, so a missing include fails
# there; two files of one target defining the same file-local name fail
# here (CONTRIBUTING.md).
# Each stage is a CMake workflow preset (configure, build, ctest) with its
# build in build/<stage>/ and its log in build/<stage>/test-stage.log. Stops at
# the first failing stage with a non-zero exit. The last line printed is the
# CTest summary over all stages ("100% tests passed, 0 tests failed out of N").
#
# Run the stages you want: scripts/test.sh dev asan     (default: dev asan tsan)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT="$PWD"

say() { printf '\n==> %s\n' "$*"; }

say "checking the source layout (scripts/check-structure.sh)"
scripts/check-structure.sh

stages=("$@")
if [[ ${#stages[@]} -eq 0 ]]; then
  stages=(dev asan tsan)
fi

# The dev and release builds run the snapshot page's tests in headless
# Chromium (tests/page); the sanitizer builds leave them out.
browser=()
for stage in "${stages[@]}"; do
  [[ "$stage" == dev || "$stage" == release ]] && browser=(--browser)
done
say "checking build dependencies (scripts/setup-deps.sh ${browser[*]})"
scripts/setup-deps.sh "${browser[@]}"
say "checking the format (scripts/check-format.sh, clang-format 14)"
scripts/check-format.sh
declare -A describe=(
  [dev]="Debug build, all tests including consumer tests (find_package/add_subdirectory/FetchContent)"
  [release]="Release build, all tests"
  [asan]="AddressSanitizer + UndefinedBehaviorSanitizer build, all tests, halt on first error"
  [tsan]="ThreadSanitizer build, all tests, halt on first error"
)

summaries=()
total=0
total_failed=0
start_all=$SECONDS
for stage in "${stages[@]}"; do
  if [[ -z "${describe[$stage]:-}" ]]; then
    echo "scripts/test.sh: unknown stage '$stage' (known: ${!describe[*]})" >&2
    exit 2
  fi
  say "stage $stage: ${describe[$stage]}"
  say "running: cmake --workflow --preset $stage   (build dir: build/$stage)"
  mkdir -p "$ROOT/build/$stage"
  log="$ROOT/build/$stage/test-stage.log"
  start=$SECONDS
  set +e
  cmake --workflow --preset "$stage" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  elapsed=$((SECONDS - start))
  line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  if [[ $rc -ne 0 ]]; then
    say "stage $stage FAILED (exit $rc after ${elapsed}s); full log: build/$stage/test-stage.log"
    if [[ -n "$line" ]]; then
      echo "$line"
    fi
    exit "$rc"
  fi
  if [[ -z "$line" ]]; then
    say "stage $stage: no CTest summary found in build/$stage/test-stage.log"
    exit 1
  fi
  summaries+=("$(printf '%-5s %4ss  %s' "$stage" "$elapsed" "$line")")
  n="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")"
  f="$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")"
  total=$((total + n))
  total_failed=$((total_failed + f))
done

say "all stages passed in $((SECONDS - start_all))s"
for s in "${summaries[@]}"; do
  echo "  $s"
done
echo
passed=$((total - total_failed))
echo "$((total > 0 ? passed * 100 / total : 0))% tests passed, $total_failed tests failed out of $total"
