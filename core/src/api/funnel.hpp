// Internal: what FileSystem's and File's operations share — the one hook
// consultation, the one way to build its context, path normalization and the
// tree walk.
//
// Every public operation is written once, in api/ops_*.cpp (FileSystem) or
// api/file.cpp (File), as a body taking ErrorInfo& (normalize paths, consult
// the hook, call the backend's primitive), next to its throwing and
// error_code forms (api/invoke.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "memfs/hook.hpp"

namespace memfs::detail {

// The one way to build what a hook is told (OpContext): the operation, its
// paths and, for reads, writes and truncates, where and how much. open and
// lock add their mode to the context this returns.
struct Transfer {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint64_t file_size = 0;
};
OpContext op_context(Op op, std::string_view path, std::string_view path2 = {},
                     Transfer transfer = {}) noexcept;

// The one interception point of FileSystem and File operations: asks `hook`
// (if not null) about `ctx`. False (err set to the injected error) when the
// operation must fail. `inj`, when given, receives what the hook asked for
// (empty when there is no hook).
bool consult(FileSystemHook* hook, const OpContext& ctx, ErrorInfo& err,
             Injection* inj = nullptr);

// The one short-transfer clamp: `n` narrowed to the limit the hook injected.
template <class N>
N allowed(const Injection& inj, N n) noexcept {
  if (!inj.limit || *inj.limit >= n) return n;
  return static_cast<N>(*inj.limit);
}

// Tells `hook` (if not null) that the filesystem itself refused `ctx` with
// `err` (nothing when err is empty).
void refused(FileSystemHook* hook, const OpContext& ctx, const ErrorInfo& err);

// Normalizes `in` into `out`; false (err = invalid_argument) on bad input.
bool normalize(std::string_view in, NormalizedPath& out, ErrorInfo& err);

// For an operation that creates `path`, "not found" can only mean its
// parent: say so in the message (error.hpp documents this wording).
void explain_missing_parent(ErrorInfo& err) noexcept;

// write_file and import_tree are all or nothing: a short transfer the hook
// asks for cannot be honoured, so the write fails and writes nothing (the
// hook is told of no transfer). True when it refused.
bool refuse_short_write(const OpContext& ctx, const Injection& inj,
                        ErrorInfo& err) noexcept;

// The root cannot be removed, renamed or imported onto: true (err =
// invalid_argument) for it.
bool refuse_root(const NormalizedPath& p, ErrorInfo& err) noexcept;

// A NormalizedPath for an operation that does not keep its path: the
// thread's reusable one, so hot calls (read_file, write_file, status)
// allocate nothing for the path. A hook that calls the file system from
// inside an operation finds it taken and gets a fresh one.
class ScratchPath {
 public:
  ScratchPath() {
    if (busy_) {
      path_ = &own_.emplace();
      return;
    }
    path_ = slot_ != nullptr ? slot_ : make_slot();
    busy_ = true;
  }
  ~ScratchPath() {
    if (!own_) busy_ = false;
  }
  ScratchPath(const ScratchPath&) = delete;
  ScratchPath& operator=(const ScratchPath&) = delete;
  NormalizedPath& operator*() noexcept { return *path_; }

 private:
  // The thread's path, made on its first use and freed when the thread
  // ends (uses after that, in other thread_locals' destructors, find it
  // busy and get one of their own).
  static NormalizedPath* make_slot();
  // Plain data with constant initializers in every unit, and initial-exec:
  // a thread-pointer offset per use, not a TLS wrapper and __tls_get_addr
  // call (the library is linked or preloaded, never dlopen()ed late).
  static inline thread_local NormalizedPath* slot_
      __attribute__((tls_model("initial-exec"))) = nullptr;
  static inline thread_local bool busy_
      __attribute__((tls_model("initial-exec"))) = false;
  std::optional<NormalizedPath> own_;
  NormalizedPath* path_;
};

// Walks `root` (a normalized directory) depth-first, top-down, calling
// visit(entry) for each directory; entries that vanish are skipped.
template <class Visit>
void walk_tree(const Backend& fs, const NormalizedPath& root, ErrorInfo& err,
               Visit&& visit) {
  // Iterative, so depth is bounded by memory rather than the call stack.
  std::vector<std::string> stack{root.value};
  bool first = true;
  while (!stack.empty()) {
    NormalizedPath dir;
    dir.value = std::move(stack.back());
    stack.pop_back();
    ErrorInfo list_err;
    std::vector<DirEntry> entries = fs.do_list(dir, list_err);
    if (list_err) {
      if (first) {
        err = list_err;
        return;
      }
      continue;  // removed (or replaced) while walking
    }
    first = false;
    WalkEntry entry;
    entry.path = dir.value;
    for (DirEntry& e : entries) {
      (e.type == FileType::directory ? entry.directories : entry.files)
          .push_back(std::move(e.name));
    }
    for (auto it = entry.directories.rbegin(); it != entry.directories.rend();
         ++it) {
      stack.push_back(dir.is_root() ? "/" + *it : dir.value + "/" + *it);
    }
    visit(std::move(entry));
  }
}

}  // namespace memfs::detail
