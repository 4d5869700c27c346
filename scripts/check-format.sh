#!/usr/bin/env bash
# check-format.sh — every C++ file of the repository is formatted as the
# repository's .clang-format says (clang-format 14, Debian bookworm's).
# scripts/test.sh runs it before it builds anything; format is not a matter of
# taste (STYLE.md 20).
#
# Usage:
#   scripts/check-format.sh          list each file that differs, with the
#                                    first differing lines; exit 1 if any does
#   scripts/check-format.sh --fix    reformat those files in place
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly CLANG_FORMAT="${CLANG_FORMAT:-clang-format}"
if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
  echo "check-format: $CLANG_FORMAT not found (Debian: apt-get install clang-format," \
    "or run scripts/setup-deps.sh)" >&2
  exit 1
fi
version="$("$CLANG_FORMAT" --version)"
if [[ "$version" != *"version 14."* ]]; then
  echo "check-format: needs clang-format 14 (other versions format differently); found: $version" >&2
  exit 1
fi

mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.cc')
if [[ "${1:-}" == "--fix" ]]; then
  "$CLANG_FORMAT" -i "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi

bad=0
for f in "${files[@]}"; do
  if ! out="$("$CLANG_FORMAT" "$f" | diff -u --label "$f" --label "$f (clang-format)" "$f" - 2>&1)"; then
    bad=$((bad + 1))
    printf '%s\n' "$out" | head -n 12
  fi
done
if [[ $bad -gt 0 ]]; then
  echo "check-format: $bad of ${#files[@]} files differ from .clang-format; fix with scripts/check-format.sh --fix"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
