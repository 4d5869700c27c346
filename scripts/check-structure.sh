#!/usr/bin/env bash
# check-structure.sh — checks the rules of memfs's source layout that a
# compiler does not. scripts/test.sh runs it before it builds anything, and the
# test suite runs it too (CTest label "structure").
#
# A library module is a top-level folder with a CMakeLists.txt and a src/ or
# include/memfs/ folder (core, fault_injection, session, gtest_adapter,
# catch2_adapter, ...). The rules, by the name printed with a violation:
#
#   public-header    A public header (<module>/include/memfs/*.hpp) includes
#                    only the standard library, third-party headers and other
#                    public headers written "memfs/<name>.hpp" (quoted or <>)
#                    that exist: never a path into src/, never an internal
#                    header (a name found under some <module>/src/).
#   concept-folder   core/src/ holds only folders, one per concept (api, path,
#                    memory, disk, snapshot, stream, ...): no file sits
#                    directly in it.
#   unique-name      File names are unique across the library modules' src/
#                    and include/ folders (one name, one file: no two
#                    listener.cpp, so a name in a log or a debugger is enough).
#   engine-std-only  The in-memory engine uses only the standard library:
#                    core/src/{api,path,memory,stream,shared}/ and core's public
#                    headers include standard headers (<string>, <cstdio>),
#                    C/POSIX system headers (<unistd.h>, <sys/mman.h>), memfs
#                    public headers and internal headers of those four folders
#                    ("memory/memory_state.hpp") — nothing else. Boost lives in
#                    core/src/disk/ and core/src/snapshot/, which the engine
#                    does not include.
#   private-dependency  Boost and nlohmann-json are private to memfs::core (a
#                    shared library, so users need neither): outside the
#                    engine (checked above), <boost/...> is included only in
#                    core/src/disk/ and core/src/snapshot/, <nlohmann/...> only
#                    in core/src/snapshot/ — never in another module or a
#                    public header, which would make every user need it.
#   internal-interface  Other modules use core's internals only through
#                    core/src/shared/ (the memfs_internal interface library:
#                    header-only helpers every module shares, standard
#                    library only, never installed): a file outside core/
#                    includes "shared/<name>.hpp" but no other folder of
#                    core/src/ ("memory/memory_state.hpp").
#   source-listed    Every source file (*.cpp) under a module's src/ is named
#                    in that module's CMakeLists.txt as "src/<dir>/<file>.cpp",
#                    and every *.cpp in benchmarks/ in benchmarks/CMakeLists.txt
#                    (the lists are explicit, so a forgotten file would
#                    otherwise go unbuilt without a word).
#   no-glob          Those CMakeLists.txt do not use file(GLOB ...).
#   header-example   A public header's code examples stand in ```cpp fences,
#                    which tests/readme compiles and runs: a comment line
#                    outside a fence, indented four or more spaces past the
#                    comment marker, that reads as C++ (it starts like code,
#                    memfs::, std::, auto, TEST..., EXPECT_..., REQUIRE...,
#                    #include, or a call on an object, "fs.write(", and ends
#                    like code, with ; { } , or "(") is an example nobody
#                    compiles. Indented text that is not C++ (a message, a
#                    tree picture, a CMake line) is fine.
#   user-header      A header users read names no backend vocabulary:
#                    ErrorInfo and throw_error belong to backend.hpp. Only the
#                    headers in BACKEND_SIDE_HEADERS may name them: backend.hpp
#                    itself, memory_file_system.hpp and disk_file_system.hpp
#                    (a final class declares its private overrides of
#                    backend.hpp's do_* primitives), hook.hpp and
#                    fault_injection.hpp (FileSystemHook::after_error and its
#                    override receive the failure as an ErrorInfo).
#   stale-path       A path written in a library file (a comment's
#                    "intercept/src/state.hpp") whose first folder is a
#                    top-level folder of the tree names a file that exists:
#                    a moved or renamed file leaves no stale pointer behind.
#
# Each violation is printed as "<file>:<line>: <rule>: <what>", paths relative
# to the checked tree; the exit status is 1 if there was any, 0 otherwise.
#
# Usage:
#   scripts/check-structure.sh [<tree>]     check <tree> (default: this checkout)
#   scripts/check-structure.sh --self-test  plant each kind of violation in a
#                                           small temporary tree and check that
#                                           it is reported (exit 0 when all are)
set -euo pipefail

# The engine's folders under core/src/, and the pattern of the #include lines.
readonly ENGINE_DIRS="api path memory stream shared"
# The public headers that may name backend vocabulary (see user-header).
readonly BACKEND_SIDE_HEADERS="backend.hpp memory_file_system.hpp disk_file_system.hpp hook.hpp fault_injection.hpp"
readonly INCLUDE_RE='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'

violations=0
violation() {  # <file> <line> <rule> <what>
  printf '%s:%s: %s: %s\n' "$1" "$2" "$3" "$4"
  violations=$((violations + 1))
}

# Prints "<line>\t<delimiter>\t<target>" for each #include of a file.
includes_of() {
  local n=0 line
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    if [[ "$line" =~ $INCLUDE_RE ]]; then
      printf '%s\t%s\t%s\n' "$n" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    fi
  done <"$1"
}

# Prints "<line>\t<code>" for each comment line of a header, outside a ```
# fence, indented four or more spaces past its marker, that reads as C++
# (see header-example above).
unfenced_code_of() {
  awk '
    match($0, /^[ \t]*\/\/+/) == 0 { next }
    {
      text = substr($0, RLENGTH + 1)
      if (text ~ /^ *```/) { fence = !fence; next }
      if (fence || text !~ /^     +[^ ]/) next
      code = text
      sub(/^ +/, "", code)
      sub(/[ \t]+\/\/.*$/, "", code)
      sub(/[ \t]+$/, "", code)
      start = code ~ /^(memfs::|std::|::|auto |const |void |class |struct |return |if \(|for \(|while \(|TEST|EXPECT_|ASSERT_|REQUIRE|CHECK|INSTANTIATE_|[}])/
      call = code ~ /^[A-Za-z_][A-Za-z0-9_:<>]*(\.|->)[A-Za-z_][A-Za-z0-9_]*\(/
      if ((start && code ~ /[;{},(]$/) || (call && code ~ /[;{}),(]$/) || code ~ /^#(include|if)/)
        print NR "\t" code
    }' "$1"
}

# Prints "<line>" of each line of a CMakeLists.txt (comments removed) that
# names <token> as a whole word.
cmake_lines_naming() {  # <cmakelists> <token>
  local n=0 line
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    line="${line%%#*}"
    if [[ " $line " =~ [[:space:]\(\"]"$2"[[:space:]\)\"] ]]; then
      echo "$n"
    fi
  done <"$1"
}

check_tree() {
  local root="$1"
  cd "$root"

  local modules=() d
  for d in */; do
    d="${d%/}"
    if [[ -f "$d/CMakeLists.txt" && (-d "$d/src" || -d "$d/include/memfs") ]]; then
      modules+=("$d")
    fi
  done

  # All library files, and the names of the internal headers.
  local files=() internal_headers=" " f
  for d in "${modules[@]}"; do
    while IFS= read -r f; do
      files+=("$f")
      if [[ "$f" == */src/* && "$f" =~ \.(hpp|h)$ ]]; then
        internal_headers+="$(basename "$f") "
      fi
    done < <(find "$d/src" "$d/include" -type f 2>/dev/null | LC_ALL=C sort)
  done

  # public-header
  local n delim target
  for f in "${files[@]}"; do
    [[ "$f" == */include/memfs/* ]] || continue
    while IFS=$'\t' read -r n delim target; do
      if [[ "$target" == src/* || "$target" == */src/* || "$target" == ../* ]]; then
        violation "$f" "$n" public-header "includes \"$target\", a path into src/"
      elif [[ "$target" == memfs/* ]]; then
        if ! compgen -G "*/include/$target" >/dev/null; then
          violation "$f" "$n" public-header "includes \"$target\", which is not a public header"
        fi
      elif [[ "$internal_headers" == *" $(basename "$target") "* ]]; then
        violation "$f" "$n" public-header "includes \"$target\", an internal header"
      elif [[ "$delim" == '"' ]]; then
        violation "$f" "$n" public-header \
          "includes \"$target\"; a public header includes memfs headers as \"memfs/<name>.hpp\""
      fi
    done < <(includes_of "$f")
  done

  # concept-folder
  if [[ -d core/src ]]; then
    while IFS= read -r f; do
      violation "$f" 1 concept-folder "move it into the folder of its concept under core/src/"
    done < <(find core/src -mindepth 1 -maxdepth 1 -type f | LC_ALL=C sort)
  fi

  # unique-name
  local -A first_of=()
  local name
  for f in "${files[@]}"; do
    name="$(basename "$f")"
    if [[ -n "${first_of[$name]:-}" ]]; then
      violation "$f" 1 unique-name "same file name as ${first_of[$name]}"
    else
      first_of[$name]="$f"
    fi
  done

  # engine-std-only
  local engine_files=() e
  for e in $ENGINE_DIRS; do
    [[ -d "core/src/$e" ]] && while IFS= read -r f; do engine_files+=("$f"); done \
      < <(find "core/src/$e" -type f | LC_ALL=C sort)
  done
  [[ -d core/include/memfs ]] && while IFS= read -r f; do engine_files+=("$f"); done \
    < <(find core/include/memfs -type f | LC_ALL=C sort)
  local engine_re="^(${ENGINE_DIRS// /|})/"
  for f in "${engine_files[@]}"; do
    while IFS=$'\t' read -r n delim target; do
      if [[ "$target" == memfs/* ]] ||
        [[ "$delim" == '<' && "$target" =~ ^([a-z_0-9]+|[a-z_0-9]+\.h|sys/[a-z_0-9]+\.h)$ ]] ||
        [[ "$delim" == '"' && "$target" =~ $engine_re ]]; then
        continue
      fi
      violation "$f" "$n" engine-std-only \
        "includes ${delim}${target}$([[ $delim == '<' ]] && echo '>' || echo '"'); the engine uses only the standard library and memfs headers (Boost belongs in core/src/disk and core/src/snapshot)"
    done < <(includes_of "$f")
  done

  # private-dependency (engine files are reported by engine-std-only)
  local -A is_engine=()
  for f in "${engine_files[@]}"; do is_engine[$f]=1; done
  local lib where
  for f in "${files[@]}"; do
    [[ -z "${is_engine[$f]:-}" ]] || continue
    while IFS=$'\t' read -r n delim target; do
      case "$target" in
        boost/*)
          [[ "$f" == core/src/disk/* || "$f" == core/src/snapshot/* ]] && continue
          lib=Boost where="core/src/disk/ and core/src/snapshot/"
          ;;
        nlohmann/*)
          [[ "$f" == core/src/snapshot/* ]] && continue
          lib=nlohmann-json where="core/src/snapshot/"
          ;;
        *) continue ;;
      esac
      violation "$f" "$n" private-dependency \
        "includes <$target>; $lib is private to memfs::core, only $where include it"
    done < <(includes_of "$f")
  done

  # internal-interface
  local top
  for f in "${files[@]}"; do
    [[ "$f" == core/* ]] && continue
    while IFS=$'\t' read -r n delim target; do
      top="${target%%/*}"
      if [[ "$delim" == '"' && "$target" == */* && "$top" != shared && -d "core/src/$top" ]]; then
        violation "$f" "$n" internal-interface \
          "includes \"$target\", an internal header of core; other modules use only core/src/shared/"
      fi
    done < <(includes_of "$f")
  done

  # source-listed, no-glob
  local lists=() cm rel
  for d in "${modules[@]}"; do lists+=("$d"); done
  [[ -f benchmarks/CMakeLists.txt ]] && lists+=(benchmarks)
  for d in "${lists[@]}"; do
    cm="$d/CMakeLists.txt"
    n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
      n=$((n + 1))
      line="${line%%#*}"
      if [[ "$line" =~ file[[:space:]]*\([[:space:]]*GLOB ]]; then
        violation "$cm" "$n" no-glob "list the sources explicitly instead of file(GLOB ...)"
      fi
    done <"$cm"
    if [[ "$d" == benchmarks ]]; then
      sources="$(find benchmarks -maxdepth 1 -name '*.cpp' | LC_ALL=C sort)"
    else
      sources="$(find "$d/src" -name '*.cpp' 2>/dev/null | LC_ALL=C sort)"
    fi
    for f in $sources; do
      rel="${f#"$d"/}"
      if [[ -z "$(cmake_lines_naming "$cm" "$rel")" ]]; then
        violation "$f" 1 source-listed "not listed in $cm (as $rel)"
      fi
    done
  done

  # header-example
  local code
  for f in "${files[@]}"; do
    [[ "$f" == */include/memfs/*.hpp ]] || continue
    while IFS=$'\t' read -r n code; do
      violation "$f" "$n" header-example \
        "'$code' is an indented example: put it in a \`\`\`cpp block (tests/readme/CMakeLists.txt runs it)"
    done < <(unfenced_code_of "$f")
  done

  # user-header
  for f in "${files[@]}"; do
    [[ "$f" == */include/memfs/*.hpp ]] || continue
    [[ " $BACKEND_SIDE_HEADERS " == *" $(basename "$f") "* ]] && continue
    while IFS=: read -r n hit; do
      violation "$f" "$n" user-header \
        "names $hit, backend vocabulary: users' headers leave it to backend.hpp"
    done < <(grep -nowE 'ErrorInfo|throw_error' "$f" || true)
  done

  # stale-path
  local hit p
  for f in "${files[@]}"; do
    while IFS=: read -r n hit; do
      p="${hit#[^a-z_0-9]}"
      if [[ -d "${p%%/*}" && ! -e "$p" ]]; then
        violation "$f" "$n" stale-path "names $p, which does not exist"
      fi
    done < <(grep -noE '(^|[^A-Za-z0-9_./-])[a-z_0-9]+/[A-Za-z0-9_./-]+\.(hpp|cpp|h|sh|cmake|md)' "$f" || true)
  done

  if ((violations > 0)); then
    echo "check-structure: $violations violation(s) of the rules at the top of scripts/check-structure.sh" >&2
    return 1
  fi
  echo "check-structure: ${#modules[@]} modules, ${#files[@]} library files: no violations"
}

# --- self-test ---------------------------------------------------------------

# A small tree that follows every rule.
make_clean_tree() {  # <dir>
  local t="$1"
  mkdir -p "$t/core/include/memfs" "$t/core/src/api" "$t/core/src/memory" \
    "$t/core/src/disk" "$t/core/src/snapshot" "$t/session/include/memfs" "$t/session/src" \
    "$t/benchmarks"
  printf '#pragma once\n#include <string>\n#include <sys/types.h>\n' >"$t/core/include/memfs/fs.hpp"
  printf '#pragma once\n#include "memfs/fs.hpp"\n' >"$t/core/src/api/funnel.hpp"
  printf '#include "api/funnel.hpp"\n#include <unistd.h>\n#include <vector>\n' >"$t/core/src/api/fs.cpp"
  printf '#include "memfs/fs.hpp"\n#include "api/funnel.hpp"\n' >"$t/core/src/memory/memory.cpp"
  printf '#include <boost/filesystem.hpp>\n#include "memfs/fs.hpp"\n' >"$t/core/src/disk/disk.cpp"
  printf '#include <boost/filesystem.hpp>\n#include <nlohmann/json.hpp>\n' >"$t/core/src/snapshot/json.cpp"
  printf 'add_library(core\n  src/api/fs.cpp\n  src/memory/memory.cpp  # engine\n  src/disk/disk.cpp\n  src/snapshot/json.cpp)\n' \
    >"$t/core/CMakeLists.txt"
  printf '#pragma once\n#include <memfs/fs.hpp>\n#include <gtest/gtest.h>\n' >"$t/session/include/memfs/session.hpp"
  mkdir -p "$t/core/src/shared"
  printf '#pragma once\n#include <string>\n' >"$t/core/src/shared/quote.hpp"
  printf '#include "memfs/session.hpp"\n#include "shared/quote.hpp"\n' >>"$t/session/src/session.cpp"
  printf 'add_library(session src/session.cpp)\n' >"$t/session/CMakeLists.txt"
  printf 'int main() {}\n' >"$t/benchmarks/bench.cpp"
  printf 'set(_sources bench.cpp)\n' >"$t/benchmarks/CMakeLists.txt"
}

# Runs the check on a fresh clean tree after <plant> (a shell command run in
# it); expects the output line <expected> and a non-zero exit, or, with an
# empty <expected>, a clean pass.
expect() {  # <what> <plant> <expected>
  local what="$1" plant="$2" expected="$3" tmp out rc
  tmp="$(mktemp -d)"
  make_clean_tree "$tmp"
  (cd "$tmp" && eval "$plant")
  set +e
  out="$("$SELF" "$tmp" 2>&1)"
  rc=$?
  set -e
  rm -rf "$tmp"
  if [[ -z "$expected" ]]; then
    if [[ $rc -ne 0 ]]; then
      printf 'FAIL %s: expected no violation, got (exit %s):\n%s\n' "$what" "$rc" "$out"
      return 1
    fi
  elif [[ $rc -eq 0 ]] || ! grep -qxF -- "$expected" <<<"$out"; then
    printf 'FAIL %s: expected exit 1 and the line\n  %s\ngot (exit %s):\n%s\n' \
      "$what" "$expected" "$rc" "$out"
    return 1
  fi
  echo "ok   $what"
}

self_test() {
  local failed=0
  local inc='#include'
  expect "a clean tree passes" ':' '' || failed=1
  expect "public header including src/" \
    "echo '$inc \"../src/api/funnel.hpp\"' >>core/include/memfs/fs.hpp" \
    'core/include/memfs/fs.hpp:4: public-header: includes "../src/api/funnel.hpp", a path into src/' || failed=1
  expect "public header including an internal header" \
    "echo '$inc <funnel.hpp>' >>session/include/memfs/session.hpp" \
    'session/include/memfs/session.hpp:4: public-header: includes "funnel.hpp", an internal header' || failed=1
  expect "public header including a missing public header" \
    "echo '$inc \"memfs/funnel.hpp\"' >>core/include/memfs/fs.hpp" \
    'core/include/memfs/fs.hpp:4: public-header: includes "memfs/funnel.hpp", which is not a public header' || failed=1
  expect "a file directly in core/src/" \
    "mv core/src/memory/memory.cpp core/src/ && sed -i 's|src/memory/memory.cpp|src/memory.cpp|' core/CMakeLists.txt" \
    'core/src/memory.cpp:1: concept-folder: move it into the folder of its concept under core/src/' || failed=1
  expect "two files of one name" \
    "mkdir -p core/src/path && echo '' >core/src/path/fs.cpp && sed -i 's|src/api/fs.cpp|src/api/fs.cpp src/path/fs.cpp|' core/CMakeLists.txt" \
    'core/src/path/fs.cpp:1: unique-name: same file name as core/src/api/fs.cpp' || failed=1
  expect "the engine including Boost" \
    "echo '$inc <boost/filesystem/path.hpp>' >>core/src/memory/memory.cpp" \
    'core/src/memory/memory.cpp:3: engine-std-only: includes <boost/filesystem/path.hpp>; the engine uses only the standard library and memfs headers (Boost belongs in core/src/disk and core/src/snapshot)' || failed=1
  expect "a core public header including Boost" \
    "sed -i '2i $inc <boost/optional.hpp>' core/include/memfs/fs.hpp" \
    'core/include/memfs/fs.hpp:2: engine-std-only: includes <boost/optional.hpp>; the engine uses only the standard library and memfs headers (Boost belongs in core/src/disk and core/src/snapshot)' || failed=1
  expect "the engine including a disk/ header" \
    "echo '$inc \"disk/disk_state.hpp\"' >>core/src/api/fs.cpp" \
    'core/src/api/fs.cpp:4: engine-std-only: includes "disk/disk_state.hpp"; the engine uses only the standard library and memfs headers (Boost belongs in core/src/disk and core/src/snapshot)' || failed=1
  expect "nlohmann-json outside core/src/snapshot/" \
    "echo '$inc <nlohmann/json.hpp>' >>core/src/disk/disk.cpp" \
    'core/src/disk/disk.cpp:3: private-dependency: includes <nlohmann/json.hpp>; nlohmann-json is private to memfs::core, only core/src/snapshot/ include it' || failed=1
  expect "Boost in another module's public header" \
    "echo '$inc <boost/optional.hpp>' >>session/include/memfs/session.hpp" \
    'session/include/memfs/session.hpp:4: private-dependency: includes <boost/optional.hpp>; Boost is private to memfs::core, only core/src/disk/ and core/src/snapshot/ include it' || failed=1
  expect "another module including a core internal header" \
    "echo '$inc \"memory/memory_state.hpp\"' >>session/src/session.cpp" \
    'session/src/session.cpp:3: internal-interface: includes "memory/memory_state.hpp", an internal header of core; other modules use only core/src/shared/' || failed=1
  expect "a shared/ header including Boost" \
    "echo '$inc <boost/optional.hpp>' >>core/src/shared/quote.hpp" \
    'core/src/shared/quote.hpp:3: engine-std-only: includes <boost/optional.hpp>; the engine uses only the standard library and memfs headers (Boost belongs in core/src/disk and core/src/snapshot)' || failed=1
  expect "a source missing from its CMakeLists.txt" \
    "echo '' >core/src/memory/memory_new.cpp" \
    'core/src/memory/memory_new.cpp:1: source-listed: not listed in core/CMakeLists.txt (as src/memory/memory_new.cpp)' || failed=1
  expect "a source named only in a comment" \
    "sed -i 's|^add_library(session src/session.cpp)|add_library(session)  # src/session.cpp|' session/CMakeLists.txt" \
    'session/src/session.cpp:1: source-listed: not listed in session/CMakeLists.txt (as src/session.cpp)' || failed=1
  expect "a benchmark missing from its CMakeLists.txt" \
    "echo '' >benchmarks/new_bench.cpp" \
    'benchmarks/new_bench.cpp:1: source-listed: not listed in benchmarks/CMakeLists.txt (as new_bench.cpp)' || failed=1
  expect "a comment naming a file that does not exist" \
    "echo '// see core/src/api/gone.hpp' >>core/src/memory/memory.cpp" \
    'core/src/memory/memory.cpp:3: stale-path: names core/src/api/gone.hpp, which does not exist' || failed=1
  expect "an indented code example in a public header" \
    "printf '//\\n//     memfs::MemoryFileSystem fs;  // x\\n' >>core/include/memfs/fs.hpp" \
    "core/include/memfs/fs.hpp:5: header-example: 'memfs::MemoryFileSystem fs;' is an indented example: put it in a \`\`\`cpp block (tests/readme/CMakeLists.txt runs it)" || failed=1
  expect "a fenced example and an indented message in a public header" \
    "printf '// \`\`\`cpp\\n//     memfs::MemoryFileSystem fs;\\n// \`\`\`\\n//     filesystem error: open: x;\\n' >>core/include/memfs/fs.hpp" \
    '' || failed=1
  expect "a user's header naming ErrorInfo" \
    "echo 'struct ErrorInfo;' >>core/include/memfs/fs.hpp" \
    "core/include/memfs/fs.hpp:4: user-header: names ErrorInfo, backend vocabulary: users' headers leave it to backend.hpp" || failed=1
  expect "a user's header naming throw_error" \
    "echo '// see throw_error()' >>session/include/memfs/session.hpp" \
    "session/include/memfs/session.hpp:4: user-header: names throw_error, backend vocabulary: users' headers leave it to backend.hpp" || failed=1
  expect "backend.hpp naming ErrorInfo" \
    "printf '#pragma once\\nstruct ErrorInfo;\\n' >core/include/memfs/backend.hpp" \
    '' || failed=1
  expect "file(GLOB) in a module" \
    "echo 'file(GLOB _s CONFIGURE_DEPENDS src/*.cpp)' >>session/CMakeLists.txt" \
    'session/CMakeLists.txt:2: no-glob: list the sources explicitly instead of file(GLOB ...)' || failed=1
  if ((failed)); then
    echo "check-structure --self-test: FAILED" >&2
    return 1
  fi
  echo "check-structure --self-test: every planted violation was reported"
}

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
readonly SELF
case "${1:-}" in
  --self-test) self_test ;;
  -h | --help) sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//' ;;
  "") check_tree "$(dirname "$SELF")/.." ;;
  -*)
    echo "check-structure.sh: unknown option '$1' (see --help)" >&2
    exit 2
    ;;
  *) check_tree "$1" ;;
esac
