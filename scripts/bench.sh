#!/usr/bin/env bash
# bench.sh — the benchmark run behind benchmarks/RESULTS.md. Builds
# memfs_benchmarks from the release preset (build/release), runs every case
# with repetitions, interleaved at random so that a burst of load on the
# machine hits memfs and its comparators alike, writes the JSON to
# build/bench.json (a full run: the export case in build/bench-export.json,
# from a process of its own) and turns it into benchmarks/RESULTS.md with
# benchmarks/ratios.py (ratios, targets, machine, date).
#
#   scripts/bench.sh                         # everything, 5 repetitions (~15-30 min)
#   scripts/bench.sh --quick                 # 1 short repetition: a smoke test
#   scripts/bench.sh --benchmark_filter='small_files|depth50'   # a subset
#   MEMFS_BENCH_REPETITIONS=9 scripts/bench.sh
#
# A --quick or filtered run writes build/bench.md instead of
# benchmarks/RESULTS.md, which only a full run replaces. Arguments other than
# --quick go to memfs_benchmarks as they are.
#
# Environment:
#   MEMFS_BENCH_REPETITIONS  repetitions per benchmark (default 5; the 512 MiB
#                            case always runs 3)
#   MEMFS_BENCH_DISK_DIR     folder on a real disk for the disk comparators
#                            (default /var/tmp; must not be tmpfs)
#   MEMFS_BENCH_OUT          the JSON (default build/bench.json)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT="$PWD"
BIN="$ROOT/build/release/benchmarks/memfs_benchmarks"
readonly JSON="${MEMFS_BENCH_OUT:-$ROOT/build/bench.json}"

say() { printf '\n==> %s\n' "$*"; }

quick=0
args=()
for arg in "$@"; do
  if [[ "$arg" == --quick ]]; then quick=1; else args+=("$arg"); fi
done
full=0
if [[ $quick -eq 0 && ${#args[@]} -eq 0 ]]; then full=1; fi
results="$ROOT/build/bench.md"
if [[ $full -eq 1 ]]; then results="$ROOT/benchmarks/RESULTS.md"; fi

say "checking build dependencies (scripts/setup-deps.sh)"
scripts/setup-deps.sh
command -v python3 >/dev/null || { echo "bench.sh: python3 is needed for benchmarks/ratios.py" >&2; exit 1; }

say "building memfs_benchmarks and memfs_intercept_benchmarks (release preset)"
cmake --preset release >/dev/null
cmake --build --preset release --target memfs_benchmarks memfs_intercept_benchmarks

read -r load _ < /proc/loadavg
cpus="$(nproc)"
if awk -v l="$load" -v c="$cpus" 'BEGIN { exit !(l > c) }'; then
  say "warning: load average $load on $cpus CPUs; timings will be noisy (ratios use CPU time and medians)"
fi

if [[ $quick -eq 1 ]]; then
  run=(--benchmark_repetitions=1 --benchmark_min_time=0.05)
else
  run=(--benchmark_repetitions="${MEMFS_BENCH_REPETITIONS:-5}"
       --benchmark_enable_random_interleaving=true)
fi
mkdir -p "$(dirname "$JSON")"
# bench <json> <memfs_benchmarks arguments...>
bench() {
  local out="$1"
  shift
  say "running: $(basename "$BIN") ${run[*]} $*"
  "$BIN" "${run[@]}" --benchmark_report_aggregates_only=true \
    --benchmark_out="$out" --benchmark_out_format=json "$@"
}
jsons=("$JSON")
notes=()
if [[ $full -eq 1 ]]; then
  # The export case first, in a process of its own: ext4 scans past inodes
  # freed in the last few seconds, and the disk comparators of the other
  # cases free tens of thousands, which made export times vary 2-5x.
  jsons=("${JSON%.json}-export.json" "$JSON")
  bench "${jsons[0]}" --benchmark_filter='^export/'
  args=(--benchmark_filter='-^export/')
  if [[ -f "$ROOT/benchmarks/NOTES.md" ]]; then notes=(--notes "$ROOT/benchmarks/NOTES.md"); fi
fi
bench "$JSON" "${args[@]}"
# memfs::intercept's cases come from a binary of their own (the interposers
# would otherwise sit behind every POSIX and fstream comparator above). A
# full run starts it three times and ratios.py takes the median of the
# three processes' medians: each process gets one random code layout
# (ASLR), and the layout alone moved the mounted std::fstream cases between
# ~465 and ~575 ns per cycle (about one process in three was slow, all its
# repetitions alike; with ASLR off, 26 of 26 were fast), while the tmpfs
# comparators moved under 3 % (benchmarks/NOTES.md, session 10).
if [[ $full -eq 1 || $quick -eq 1 ]]; then
  processes=1
  if [[ $full -eq 1 ]]; then processes=3; fi
  for ((p = 1; p <= processes; p++)); do
    jsons+=("${JSON%.json}-intercept-$p.json")
    BIN="$ROOT/build/release/benchmarks/memfs_intercept_benchmarks" bench "${jsons[-1]}"
  done
fi

say "ratio table: python3 benchmarks/ratios.py ${jsons[*]} -o $results"
python3 benchmarks/ratios.py "${jsons[@]}" -o "$results" "${notes[@]}"
# Every target with its PASS/FAIL, on the terminal too.
sed -n '/^## Targets/,/ passed, /p' "$results"
say "done: $results (JSON: $JSON)"
