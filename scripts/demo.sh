#!/usr/bin/env bash
# demo.sh — the main job: builds memfs (release preset: libraries, adapters,
# examples, benchmarks, tests) and runs every example program the examples
# register (see examples/CMakeLists.txt), each in its own scratch directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT="$PWD"
readonly BUILD="$ROOT/build/release"

say() { printf '\n==> %s\n' "$*"; }

say "checking build dependencies (scripts/setup-deps.sh)"
scripts/setup-deps.sh

say "configuring the release build: cmake --preset release   (build dir: build/release)"
cmake --preset release
say "building everything: cmake --build --preset release"
cmake --build --preset release

programs_file="$BUILD/examples/demo_programs.txt"
programs=()
if [[ -f "$programs_file" ]]; then
  mapfile -t programs < <(grep -v '^[[:space:]]*$' "$programs_file" || true)
fi
if [[ ${#programs[@]} -eq 0 ]]; then
  say "no example programs yet (examples/ has none): nothing to run."
  say "done: memfs built in build/release"
  exit 0
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/memfs-demo.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
i=0
for line in "${programs[@]}"; do
  read -r -a cmd <<<"$line"
  i=$((i + 1))
  dir="$scratch/$i-$(basename "${cmd[0]}")"
  mkdir -p "$dir"
  say "example $i/${#programs[@]}: ${cmd[*]#"$BUILD/"}"
  (cd "$dir" && "${cmd[@]}")
done
say "done: ${#programs[@]} example program(s) ran successfully"
