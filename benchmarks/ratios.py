#!/usr/bin/env python3
"""Turns memfs_benchmarks JSON output into a Markdown ratio table.

    python3 benchmarks/ratios.py build/bench.json                # print
    python3 benchmarks/ratios.py build/bench.json -o benchmarks/RESULTS.md

Benchmarks are named "<case>/<impl>" (see benchmarks/bench_util.hpp). For
every case the script compares each memfs impl with each comparator run in
the same process, using medians over repetitions (or over plain runs when
there were no repetitions). A ratio is memfs time / comparator time: below 1
memfs is faster. Single-threaded cases use CPU time (robust on a shared, busy
machine; --time real to change that); benchmarks registered with
UseRealTime (the thread cases) use wall time. The DESIGN.md §9 targets are
checked and marked PASS or FAIL. Standard library only.
"""

import argparse
import json
import statistics
import sys
from collections import defaultdict

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
NAME_NOISE = ("real_time", "process_time", "manual_time")

MEMFS_IMPLS = ("memfs_api", "memfs_file", "memfs_stream", "memfs_injector", "memfs_session",
               "memfs_mount_posix", "memfs_mount_fstream", "intercepted_idle",
               "intercepted_mounted")

# What each case does, for the table headings.
CASES = {
    "small_files": "300 files × 4 KiB: write each, read each back (fresh store per iteration)",
    "many_files": "10,000 files × 4 KiB, then 5,000 seeded random reads (fresh store per iteration)",
    "depth50": "open + read + close of a 1 KiB file 50 directories deep",
    "depth1": "the same at depth 1 (reference)",
    "stream_16m": "16 MiB written in 64 KiB chunks, then read back in 64 KiB chunks",
    "stream_16m_4k": "16 MiB written in 4 KiB pieces, read back in 64 KiB chunks",
    "random_overwrite": "256 seeded random 64 KiB overwrites in a 16 MiB file",
    "stream_512m": "512 MiB written in 1 MiB chunks, then read back",
    "fixture_cycle": "fresh store + import of 100 × 1 KiB + 10 reads, 10 writes, 2 listings + discard",
    "export": "10,000 × 4 KiB files exported to a disk folder",
    "intercept_write4k": "open + write 4 KiB + close, unmodified POSIX / fstream code: a mount vs /dev/shm",
    "intercept_read4k": "open + read 4 KiB + close, unmodified POSIX / fstream code: a mount vs /dev/shm",
    "intercept_floor": "costs under the intercept cases: F_DUPFD + close of a placeholder (what "
                       "parking saves), an std::ifstream with no file, a cookie FILE* + fclose",
    "passthrough": "stat + open + read 4 KiB + close on /dev/shm (no mount there) through the "
                   "wrappers vs libc called directly",
    "threads": "N threads, each writing and reading back its own 300 × 4 KiB files",
    "threads_read": "N threads, each reading back its own 300 × 4 KiB files",
    "fault_overhead": "small-file workload (File handles) with and without a FaultInjector",
    "stream_overhead": "memfs streams against memfs File handles, same iteration",
}

# (case, memfs impls, comparator, kind, limit, text). kind "ratio": memfs time
# / comparator time must be <= limit; "speedup": comparator time / memfs time
# must be >= limit; "counter:<name>": the memfs impl's counter must be < limit.
TARGETS = [
    ("small_files", ("memfs_api",), "hashmap", "ratio", 1.3,
     "within 1.3× of the hash-map floor (write_file/read_file)"),
    ("small_files", ("memfs_file",), "hashmap", "ratio", 1.6,
     "within 1.6× of the hash-map floor (File handles)"),
    ("many_files", ("memfs_api",), "hashmap", "ratio", 1.3,
     "within 1.3× of the hash-map floor (write_file/read_file)"),
    ("many_files", ("memfs_file",), "hashmap", "ratio", 1.6,
     "within 1.6× of the hash-map floor (File handles)"),
    ("depth50", ("memfs_api", "memfs_file"), "fstream_tmpfs", "speedup", 20.0,
     "at least 20× faster than fstream on tmpfs"),
    ("stream_16m", ("memfs_file", "memfs_stream"), "memcpy", "ratio", 2.0,
     "at least 1/2 of memcpy bandwidth"),
    ("stream_16m", ("memfs_file", "memfs_stream"), "posix_tmpfs", "speedup", 2.0,
     "at least 2× POSIX I/O on tmpfs"),
    ("stream_512m", ("memfs_file", "memfs_stream"), "memcpy", "ratio", 3.0,
     "at least 1/3 of memcpy bandwidth"),
    ("stream_512m", ("memfs_file", "memfs_stream"), "posix_tmpfs", "speedup", 2.0,
     "at least 2× POSIX I/O on tmpfs"),
    ("stream_512m", ("memfs_file", "memfs_stream"), None, "counter:peak_ratio", 1.1,
     "peak memory under 1.1× the file size"),
    ("fixture_cycle", ("memfs_api", "memfs_file", "memfs_injector", "memfs_session"),
     "hashmap", "ratio", 1.5, "within 1.5× of the hash-map floor"),
    ("fixture_cycle", ("memfs_golden",), "memfs_api", "ratio", 1.0,
     "a 1,000-file golden tree cloned per test no slower than importing 100 files"),
    ("threads_read", ("memfs_api", "memfs_file"), None, "scaling:2", 1.6,
     "2 threads reading disjoint small files: at least 1.6× one thread's throughput"),
    ("export", ("memfs_api",), "fs_copy_tmpfs", "ratio", 1.5,
     "within 1.5× of std::filesystem::copy from tmpfs"),
    ("fault_overhead", ("no_rules",), "no_hook", "ratio", 1.02,
     "an injector with no rules costs under 2%"),
    ("fault_overhead", ("paired",), None, "counter:no_rules_ratio", 1.02,
     "the same, measured pairwise in one loop"),
    ("stream_overhead", ("memfs_stream",), None, "counter:write_ratio", 2.0,
     "streams add at most 2× over File handles (write)"),
    ("stream_overhead", ("memfs_stream",), None, "counter:read_ratio", 2.0,
     "streams add at most 2× over File handles (read)"),
    ("intercept_write4k", ("memfs_mount_posix",), "posix_tmpfs", "speedup", 5.0,
     "intercepted POSIX calls on a mount at least 5× faster than on tmpfs"),
    ("intercept_write4k", ("memfs_mount_fstream",), "fstream_tmpfs", "speedup", 5.0,
     "std::fstream on a mount at least 5× faster than on tmpfs"),
    ("intercept_read4k", ("memfs_mount_posix",), "posix_tmpfs", "speedup", 5.0,
     "intercepted POSIX calls on a mount at least 5× faster than on tmpfs"),
    ("intercept_read4k", ("memfs_mount_fstream",), "fstream_tmpfs", "speedup", 5.0,
     "std::fstream on a mount at least 5× faster than on tmpfs"),
    ("passthrough", ("intercepted_idle", "intercepted_mounted"), "libc_direct", "ratio", 1.05,
     "a path on no mount costs under 5% more than libc"),
    ("passthrough", ("paired",), None, "counter:mounted_ratio", 1.05,
     "the same with a mount alive, measured pairwise in one loop"),
]


class Result:
    """The medians of one benchmark (one case, one impl, one thread count)."""

    def __init__(self, case, impl, threads, real_time):
        self.case, self.impl, self.threads, self.real_time = case, impl, threads, real_time
        self.times, self.items, self.counters = [], [], defaultdict(list)

    def add(self, run, time_field):
        field = "real_time" if self.real_time else time_field
        self.times.append(run[field] * UNIT_NS[run.get("time_unit", "ns")])
        if "items_per_second" in run:
            self.items.append(run["items_per_second"])
        for key, value in run.items():
            if key not in ("real_time", "cpu_time", "iterations", "repetitions",
                           "repetition_index", "threads", "family_index",
                           "per_family_instance_index") and isinstance(value, (int, float)):
                self.counters[key].append(value)

    @property
    def time(self):
        return statistics.median(self.times)

    def counter(self, name):
        values = self.counters.get(name)
        return statistics.median(values) if values else None


def parse_name(run_name):
    parts = run_name.split("/")
    case, impl = parts[0], parts[1] if len(parts) > 1 else ""
    threads, real = 1, False
    for part in parts[2:]:
        if part.startswith("threads:"):
            threads = int(part.split(":")[1])
        elif part == "real_time":
            real = True
    return case, impl, threads, real


def load(paths, time_field):
    """The context of the first file and the results of all of them."""
    data = {"context": {}, "benchmarks": []}
    for i, path in enumerate(paths):
        with open(path, encoding="utf-8") as f:
            part = json.load(f)
        if i == 0:
            data["context"] = part.get("context", {})
        data["benchmarks"] += part.get("benchmarks", [])
    results = {}
    medians = {}
    for run in data["benchmarks"]:
        if run.get("error_occurred"):
            continue
        key = run.get("run_name", run["name"])
        if run.get("run_type") == "aggregate":
            if run.get("aggregate_name") == "median":
                medians.setdefault(key, []).append(run)
            continue
        results.setdefault(key, []).append(run)
    table = {}
    for key in set(results) | set(medians):
        case, impl, threads, real = parse_name(key)
        r = Result(case, impl, threads, real)
        # Prefer Google Benchmark's own medians; else the median of the runs.
        for run in medians.get(key) or results[key]:
            r.add(run, time_field)
        table[(case, impl, threads)] = r
    return data.get("context", {}), table


def fmt_ratio(ratio):
    if ratio >= 1:
        return f"{ratio:.2f} ({ratio:.2f}× slower)"
    return f"{ratio:.3f} ({1 / ratio:.1f}× faster)"


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def check(table, target):
    """Yields (impl, comparator, value, shown, ok) for one target row."""
    case, impls, comparator, kind, limit, _ = target
    for impl in impls:
        mine = table.get((case, impl, 1))
        if mine is None:
            continue
        if kind.startswith("scaling:"):
            more = table.get((case, impl, int(kind.split(":", 1)[1])))
            if more is not None and mine.items and more.items:
                value = statistics.median(more.items) / statistics.median(mine.items)
                yield impl, "1 thread", value, f"{value:.2f}× one thread", value >= limit
            continue
        if kind.startswith("counter:"):
            value = mine.counter(kind.split(":", 1)[1])
            if value is not None:
                yield impl, "—", value, f"{value:.3f}", value < limit
            continue
        other = table.get((case, comparator, 1))
        if other is None:
            continue
        ratio = mine.time / other.time
        if kind == "ratio":
            yield impl, comparator, ratio, fmt_ratio(ratio), ratio <= limit
        else:
            yield impl, comparator, ratio, f"{1 / ratio:.1f}× faster", 1 / ratio >= limit


def limit_text(kind, limit):
    if kind == "ratio":
        return f"ratio ≤ {limit:g}"
    if kind == "speedup":
        return f"≥ {limit:g}× faster"
    if kind.startswith("scaling:"):
        return f"throughput ratio ≥ {limit:g}"
    return f"{kind.split(':', 1)[1]} < {limit:g}"


def targets_section(table):
    lines = ["## Targets (DESIGN.md §9)", "",
             "| case | memfs | against | measured | target | result |",
             "|---|---|---|---|---|---|"]
    passed = failed = 0
    for target in TARGETS:
        case, _, _, kind, limit, text = target
        for impl, comparator, _, shown, ok in check(table, target):
            passed, failed = passed + ok, failed + (not ok)
            lines.append(f"| {case} | {impl} | {comparator} | {shown} | "
                         f"{text} ({limit_text(kind, limit)}) | {'PASS' if ok else '**FAIL**'} |")
    lines += ["", f"{passed} passed, {failed} failed.", ""]
    return lines, passed, failed


def case_section(table, case, threads):
    """memfs impls × comparators of one case at one thread count."""
    rows = {impl: r for (c, impl, t), r in table.items() if c == case and t == threads}
    mine = [i for i in MEMFS_IMPLS if i in rows]
    others = sorted((i for i in rows if i not in MEMFS_IMPLS), key=comparator_order)
    if not mine or not others:
        return []
    title = f"### {case}" + (f" — {threads} thread{'s' if threads > 1 else ''}" if case == "threads" else "")
    clock = "wall" if rows[mine[0]].real_time else "CPU"
    lines = [title, "", CASES.get(case, ""), "",
             f"memfs time / comparator time ({clock} time, medians; < 1: memfs is faster).", "",
             "| memfs | " + " | ".join(others) + " |",
             "|---|" + "---|" * len(others)]
    for impl in mine:
        cells = [fmt_ratio(rows[impl].time / rows[o].time) for o in others]
        lines.append(f"| {impl} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def comparator_order(name):
    order = ("hashmap", "hashmap_mutex", "memcpy", "memcpy_fresh", "fstream_tmpfs", "posix_tmpfs",
             "fstream_disk", "posix_disk", "fs_copy_tmpfs")
    return (order.index(name) if name in order else len(order), name)


def scaling_section(table):
    impls = sorted({impl for (c, impl, _) in table if c == "threads"},
                   key=lambda i: (i not in MEMFS_IMPLS, comparator_order(i)))
    counts = sorted({t for (c, _, t) in table if c == "threads"})
    if not impls:
        return []
    lines = ["### threads — scaling", "",
             "Total items/s at N threads over items/s at 1 thread (same impl).", "",
             "| impl | " + " | ".join(f"{n} thr" for n in counts) + " |",
             "|---|" + "---|" * len(counts)]
    for impl in impls:
        base = table.get(("threads", impl, 1))
        cells = []
        for n in counts:
            r = table.get(("threads", impl, n))
            if base and r and base.items and r.items:
                cells.append(f"{statistics.median(r.items) / statistics.median(base.items):.2f}")
            else:
                cells.append("—")
        lines.append(f"| {impl} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def absolute_section(table):
    lines = ["## Medians", "",
             "| benchmark | time | items/s | bytes/s | counters |", "|---|---|---|---|---|"]
    for (case, impl, threads), r in sorted(table.items()):
        name = f"{case}/{impl}" + (f" ×{threads}" if threads > 1 else "")
        items = f"{statistics.median(r.items):.4g}" if r.items else ""
        bps = r.counter("bytes_per_second")
        extra = ", ".join(f"{k}={r.counter(k):.3g}" for k in sorted(r.counters)
                          if k not in ("bytes_per_second", "items_per_second"))
        lines.append(f"| {name} | {fmt_time(r.time)} ({'wall' if r.real_time else 'CPU'}) | {items} | "
                     f"{bps / 2**20:.4g} MiB/s | {extra} |" if bps else
                     f"| {name} | {fmt_time(r.time)} ({'wall' if r.real_time else 'CPU'}) | {items} | | {extra} |")
    lines.append("")
    return lines


def machine_section(context):
    keys = [("date", "date"), ("cpu", "memfs_cpu"), ("cpus", "num_cpus"),
            ("memory", "memfs_memory"), ("kernel", "memfs_kernel"),
            ("compiler", "memfs_compiler"), ("memfs build", "memfs_build"),
            ("tmpfs folder", "memfs_tmpfs_dir"), ("disk folder", "memfs_disk_dir"),
            ("load average at start", "load_avg"), ("Google Benchmark build", "library_build_type")]
    lines = ["## Machine", "", "| | |", "|---|---|"]
    for label, key in keys:
        value = context.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            value = ", ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in value)
        lines.append(f"| {label} | {value} |")
    lines.append("")
    return lines


def render(context, table, notes):
    lines = ["# memfs benchmark results", "",
             "Generated by `benchmarks/ratios.py` from the JSON of `scripts/bench.sh`; "
             "every ratio compares benchmarks of one process run.", ""]
    lines += machine_section(context)
    target_lines, passed, failed = targets_section(table)
    lines += target_lines
    if notes:
        lines += [notes.rstrip(), ""]
    lines += ["## Ratios by case", ""]
    cases = sorted({c for (c, _, _) in table}, key=lambda c: list(CASES).index(c) if c in CASES else 99)
    for case in cases:
        counts = sorted({t for (c, _, t) in table if c == case})
        for threads in counts:
            lines += case_section(table, case, threads)
        if case == "threads":
            lines += scaling_section(table)
    lines += absolute_section(table)
    return "\n".join(lines) + "\n", passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("json", nargs="+",
                        help="memfs_benchmarks --benchmark_out=... file(s) of one machine")
    parser.add_argument("-o", "--output", help="write the Markdown here (default: stdout)")
    parser.add_argument("--notes", help="a Markdown file inserted after the targets")
    parser.add_argument("--time", choices=("cpu", "real"), default="cpu",
                        help="time of single-threaded cases (default: cpu)")
    args = parser.parse_args()
    context, table = load(args.json, "cpu_time" if args.time == "cpu" else "real_time")
    if not table:
        sys.exit(f"{' '.join(args.json)}: no benchmark results")
    notes = ""
    if args.notes:
        with open(args.notes, encoding="utf-8") as f:
            notes = f.read()
    text, passed, failed = render(context, table, notes)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.output}: {passed} targets passed, {failed} failed")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
