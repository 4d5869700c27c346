// The "primitives" backend of the conformance suite: a Backend that
// implements only the eight pure primitives, forwarding them to a
// MemoryFileSystem, so that every convenience (read_file, write_file,
// create_directories, remove_all, copy_file, copy, resize_file, import_tree)
// runs on Backend's defaults (core/src/api/file_system_defaults.cpp). Neither
// real backend uses them all (both override the bulk ones), so without this
// the defaults a third backend gets would run nowhere — LLVM's tripwire
// fakes, LevelDB's EnvWrapper.
//
// Capabilities: those of the memory backend it forwards to (quota, node cap,
// exact stats, lock_on_open), since the defaults must keep every promise
// FileSystem makes on top of the primitives, except two that no default can
// keep with the primitives alone:
//   - generations (has_generation false, status() reports 0 like the disk
//     backend): import_tree gives files generation 0 and write_file counts
//     one change, which needs a primitive that sets the counter; the
//     defaults write through handles, which count each step;
//   - whole-file reads that never wait on locks under lock_on_open: the
//     default do_read_file opens "r", which waits like any open, so (as
//     backend.hpp says) a backend whose do_open waits overrides
//     do_read_file. The lock_on_open variant here does, forwarding to the
//     memory filesystem's; the plain one keeps the default.
#include <memory>
#include <utility>

#include "backend.hpp"
#include "memfs/backend.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {
namespace {

class PrimitivesOnly final : public memfs::Backend {
 public:
  explicit PrimitivesOnly(const MemoryOptions& options)
      : inner_(options), override_read_(options.lock_on_open) {}

 private:
  memfs::Backend& inner() { return backend_of(inner_); }
  const memfs::Backend& inner() const { return backend_of(inner_); }

  std::unique_ptr<OpenFile> do_open(const NormalizedPath& path,
                                    const OpenMode& mode,
                                    const OpenOptions& options,
                                    ErrorInfo& err) override {
    return inner().do_open(path, mode, options, err);
  }
  FileStatus do_status(const NormalizedPath& path,
                       ErrorInfo& err) const override {
    FileStatus st = inner().do_status(path, err);
    st.generation = 0;  // a backend without generations (see the top)
    return st;
  }
  std::vector<DirEntry> do_list(const NormalizedPath& dir,
                                ErrorInfo& err) const override {
    return inner().do_list(dir, err);
  }
  bool do_create_directory(const NormalizedPath& path,
                           ErrorInfo& err) override {
    return inner().do_create_directory(path, err);
  }
  bool do_remove(const NormalizedPath& path, ErrorInfo& err) override {
    return inner().do_remove(path, err);
  }
  void do_rename(const NormalizedPath& from, const NormalizedPath& to,
                 ErrorInfo& err) override {
    inner().do_rename(from, to, err);
  }
  std::string do_read_file(const NormalizedPath& path,
                           ErrorInfo& err) const override {
    if (override_read_) return inner().do_read_file(path, err);
    return memfs::Backend::do_read_file(path, err);  // the default
  }
  Stats do_stats() const override { return inner().do_stats(); }
  std::vector<HandleInfo> do_open_handles() const override {
    return inner().do_open_handles();
  }

  MemoryFileSystem inner_;
  bool override_read_;
};

Backend primitives_backend() {
  return memory_options_backend<PrimitivesOnly>("primitives", false);
}

}  // namespace

MEMFS_REGISTER_BACKEND(primitives_backend);

}  // namespace memfs::test
