// Internal: an open file of MemoryFileSystem.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "memory/memory_state.hpp"

namespace memfs::detail {

// One allocation holds the handle and the path it was opened with (for
// open_handles() and File::path()), the path as a std::string ahead of the
// handle that outlives it: each thread keeps the last block it freed, path
// capacity and all, for its next open, so an open + close in a loop
// allocates nothing here.
//
// The handle refers to its node by a plain pointer: a node with handles
// open stays in the index, or, once unlinked, parked (FileNode::parked)
// until its last handle closes.
class MemoryOpenFile final : public OpenFile, public HandleLinks {
 public:
  // A handle of `state` on no file yet, for `path` opened with `mode` (a
  // valid one); open_locked() opens it. Allocated before the tree lock is
  // taken, so that nothing allocates under it.
  static std::unique_ptr<MemoryOpenFile> make(MemoryState& state,
                                              std::string_view path,
                                              const OpenMode& mode);
  // tree_mutex held (shared or unique), `node` the filesystem's own:
  // registers the handle on it (under the tree lock, so that an unlink or
  // clone() sees every file with a handle open). `held`: the lock the
  // opener already took for it. (By reference: an optional passed by value
  // travels in a register that the caller fills from two stores, and the
  // load stalls on them, as long as a drain of the store buffer: most of
  // an open after a read's 4 KiB copy.)
  void open_locked(FileNode& node,
                   const std::optional<LockMode>& held) noexcept;
  // This handle's truncating open kept spare blocks for the rewrite
  // (ByteStore::empty_for_rewrite): its close frees what was not rewritten.
  void release_spare_on_close() noexcept { release_spare_ = true; }
  ~MemoryOpenFile() override;
  MemoryOpenFile(const MemoryOpenFile&) = delete;
  MemoryOpenFile& operator=(const MemoryOpenFile&) = delete;

  std::size_t pread(std::uint64_t offset, void* buffer, std::size_t n,
                    ErrorInfo& err) override;
  std::size_t pwrite(std::uint64_t offset, const void* data, std::size_t n,
                     ErrorInfo& err) override;
  std::uint64_t append(const void* data, std::size_t n,
                       ErrorInfo& err) override;
  std::uint64_t size(ErrorInfo& err) override;
  void truncate(std::uint64_t size, ErrorInfo& err) override;
  void flush(ErrorInfo& err) override;
  void sync(ErrorInfo& err) override;
  void close(ErrorInfo& err) override;
  void lock(LockMode mode, std::optional<std::chrono::nanoseconds> timeout,
            ErrorInfo& err) override;
  void unlock(ErrorInfo& err) override;

  bool orphaned() const noexcept override {
    return orphan.load(std::memory_order_relaxed);
  }
  std::uint64_t id() const noexcept override { return file->id; }
  const std::string* path() const noexcept override { return &path_; }

  HandleInfo info() const;

  // Every open handle of `state` (each thread's in opening order).
  static std::vector<HandleInfo> list(const MemoryState& state);
  // tree_mutex held uniquely: the files `state`'s handles have open, each
  // once (alive while the lock is held: see close()).
  static std::vector<FileNode*> open_nodes_locked(const MemoryState& state);

  // Only make() creates handles (in a block of its own, see the top).
  static void* operator new(std::size_t) = delete;
  static void operator delete(void* p) noexcept;

 private:
  MemoryOpenFile(MemoryState& state, const std::string& path,
                 const OpenMode& mode) noexcept;
  void release_locked_lock() noexcept;

  // Not owned: a filesystem outlives its handles, or hands its state to
  // them when it goes (HandleRegistry::orphan_all).
  // (HandleLinks::file: the file, null until open_locked.)
  MemoryState& state_;
  const std::string& path_;  // in the block, ahead of the handle
  unsigned mode_flags_;      // OpenMode::flags() of a valid mode
  std::thread::id owner_;
  // 0 none, 1 shared, 2 exclusive; read by open_handles() from other threads.
  std::atomic<int> held_{0};
  bool closed_ = false;
  bool release_spare_ = false;
};

// Writes n bytes at `offset` (or at the end when `at_end`) into a node whose
// data_mutex the caller holds uniquely; reserves quota for growth first.
// Returns the offset written at, or nullopt with err set.
std::optional<std::uint64_t> write_locked(MemoryState& state, FileNode& node,
                                          std::uint64_t offset, bool at_end,
                                          const void* data, std::size_t n,
                                          ErrorInfo& err);
// Sets a node's size (data_mutex held uniquely), charging or releasing quota.
// Returns true if the size changed.
bool resize_locked(MemoryState& state, FileNode& node, std::uint64_t size,
                   ErrorInfo& err);

}  // namespace memfs::detail
