#!/usr/bin/env bash
# setup-deps.sh — makes sure the Debian packages memfs builds with are
# installed. Called by scripts/demo.sh and scripts/test.sh; safe to run alone.
#
# As root, installs what is missing with apt-get (non-interactive, so it works
# in CI with no terminal). Otherwise prints the exact command to run and exits
# with status 1. Exits 0 when everything is already there.
#
# Usage: scripts/setup-deps.sh [--browser]
#   --browser  also the headless browser the snapshot page's tests
#              (tests/page) and scripts/demo.sh's screenshot need (Chromium is
#              large, so only the commands that use it ask for it: test.sh
#              for its dev/release stages, and demo.sh).
set -euo pipefail

# package|why memfs needs it
readonly PACKAGES=(
  "cmake|the build system (CMake >= 3.25 for presets and workflows)"
  "ninja-build|the generator the CMake presets use"
  "g++|the C++17 compiler (g++ 12)"
  "googletest|GoogleTest/gMock sources (test suite, memfs::gtest)"
  "libgtest-dev|GoogleTest library and CMake package (test suite, memfs::gtest)"
  "libgmock-dev|gMock library (test suite, memfs::gtest matchers)"
  "libbenchmark-dev|Google Benchmark (benchmarks/)"
  "catch2|Catch2 2.13 headers and CMake package (memfs::catch2)"
  "libboost-filesystem-dev|Boost.Filesystem headers (DiskFileSystem, snapshot export; private to the shared libmemfs_core.so)"
  "nlohmann-json3-dev|nlohmann-json headers: parses snapshot manifests (build-time only, private to memfs::core)"
  "libarchive-dev|libarchive (memfs::archive: tar/zip import_archive and export_archive)"
  "zip|the zip tool (tests: archives made by the real zip, besides libarchive's)"
  "unzip|the unzip tool (tests: what the real unzip extracts from memfs's zips)"
  "zlib1g-dev|zlib, a real library the interception tests run unmodified on a mount"
  "libsqlite3-dev|SQLite, a real library the interception tests run unmodified on a mount"
  "clang-format|clang-format 14: scripts/test.sh checks every C++ file against .clang-format before it builds"
  "ccache|compiler cache: the consumer tests' builds of memfs from source reuse the dev build's objects"
)
# With --browser.
readonly BROWSER_PACKAGES=(
  "chromium|headless browser: the snapshot page's tests (tests/page) and scripts/demo.sh's screenshot"
)

wanted=("${PACKAGES[@]}")
for arg in "$@"; do
  case "$arg" in
    --browser) wanted+=("${BROWSER_PACKAGES[@]}") ;;
    *)
      echo "setup-deps.sh: unknown argument '$arg' (usage: scripts/setup-deps.sh [--browser])" >&2
      exit 2
      ;;
  esac
done

say() { printf '[setup-deps] %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  say "dpkg-query not found: this script supports Debian/Ubuntu only."
  say "Install by other means: CMake >= 3.25, Ninja, a C++17 compiler, GoogleTest/gMock >= 1.12,"
  say "Google Benchmark, Catch2 (2.13 or 3.x), Boost.Filesystem >= 1.74, nlohmann-json >= 3.10,"
  say "libarchive, zlib and SQLite 3."
  exit 1
fi

missing=()
for entry in "${wanted[@]}"; do
  pkg="${entry%%|*}"
  why="${entry#*|}"
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" == "install ok installed" ]]; then
    continue
  fi
  say "missing: $pkg — $why"
  missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  say "all ${#wanted[@]} required packages are installed."
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  say "${#missing[@]} package(s) missing and this is not root. Run:"
  echo
  echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
  echo
  say "then run this command again."
  exit 1
fi

say "installing ${#missing[@]} package(s) with apt-get: ${missing[*]}"
say "running: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
apt-get update </dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" </dev/null
say "installed: ${missing[*]}"
