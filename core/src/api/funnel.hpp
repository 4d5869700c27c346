// Internal: the shared body of FileSystem's public operations.
//
// Every public operation is written once here as a function of ErrorInfo&:
// normalize paths, ask the hook, call the primitive. file_system.cpp wraps
// each in its throwing and error_code forms.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/file_system.hpp"

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

struct Funnel {
  // Normalizes `in` into `out`; false (err = invalid_argument) on bad input.
  static bool normalize(std::string_view in, NormalizedPath& out,
                        ErrorInfo& err);
  static File open(FileSystem& fs, std::string_view path, const OpenMode& mode,
                   const OpenOptions& options, ErrorInfo& err);
  static std::string read_file(FileSystem& fs, std::string_view path,
                               ErrorInfo& err);
  static void write_file(FileSystem& fs, std::string_view path,
                         std::string_view data, ErrorInfo& err);
  static FileStatus status(FileSystem& fs, std::string_view path,
                           ErrorInfo& err);
  // exists / is_directory / is_regular_file: `want` = not_found means "any".
  static bool is_type(FileSystem& fs, std::string_view path, FileType want,
                      ErrorInfo& err);
  static std::uint64_t file_size(FileSystem& fs, std::string_view path,
                                 ErrorInfo& err);
  static std::vector<DirEntry> list(FileSystem& fs, std::string_view dir,
                                    ErrorInfo& err);
  static std::vector<WalkEntry> walk(FileSystem& fs, std::string_view dir,
                                     ErrorInfo& err);
  static std::vector<std::string> glob(FileSystem& fs,
                                       std::string_view pattern,
                                       ErrorInfo& err);
  static bool create_directory(FileSystem& fs, std::string_view path,
                               bool parents, ErrorInfo& err);
  static bool remove(FileSystem& fs, std::string_view path, ErrorInfo& err);
  static std::uint64_t remove_all(FileSystem& fs, std::string_view path,
                                  ErrorInfo& err);
  static void rename(FileSystem& fs, std::string_view from,
                     std::string_view to, ErrorInfo& err);
  static bool copy(FileSystem& fs, std::string_view from, std::string_view to,
                   std::filesystem::copy_options options, bool tree,
                   ErrorInfo& err);
  static void resize_file(FileSystem& fs, std::string_view path,
                          std::uint64_t size, ErrorInfo& err);
  static void import_tree(FileSystem& fs,
                          const std::map<std::string, std::string>& files,
                          ErrorInfo& err);
  static ExportedTree export_tree(FileSystem& fs, std::string_view prefix,
                                  bool only_dirty, ErrorInfo& err);
  static Stats stats(const FileSystem& fs);
  static std::vector<HandleInfo> open_handles(const FileSystem& fs);

  // Walks `root` (a normalized directory) depth-first, top-down, calling
  // visit(entry) for each directory; entries that vanish are skipped.
  template <class Visit>
  static void walk_tree(FileSystem& fs, const NormalizedPath& root,
                        ErrorInfo& err, Visit&& visit);
};

}  // namespace memfs::detail
