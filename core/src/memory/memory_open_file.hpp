// Internal: an open file of MemoryFileSystem.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "memory/memory_state.hpp"

namespace memfs::detail {

class MemoryOpenFile final : public OpenFile {
 public:
  // Registers itself with the state; the node's open_count was already
  // incremented by the opener.
  MemoryOpenFile(std::shared_ptr<MemoryState> state,
                 std::shared_ptr<FileNode> node, std::string path,
                 OpenMode mode, std::optional<LockMode> held);
  ~MemoryOpenFile() override;

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

  bool orphaned() const noexcept override { return orphaned_.load(); }
  std::uint64_t id() const noexcept override { return node_->id; }

  HandleInfo info() const;

  // Every open handle of `state`, in opening order.
  static std::vector<HandleInfo> list(const MemoryState& state);
  // The files `state`'s handles have open, each once.
  static std::vector<std::shared_ptr<FileNode>> open_nodes(
      const MemoryState& state);
  // Marks every open handle of `state` orphaned: its filesystem is being
  // destroyed (the handles keep `state` alive until they close).
  static void orphan_all(MemoryState& state) noexcept;

 private:
  void release_locked_lock() noexcept;
  // Adds itself to / removes itself from state_'s handle list.
  void register_handle() noexcept;
  void unregister_handle() noexcept;

  std::shared_ptr<MemoryState> state_;
  std::shared_ptr<FileNode> node_;
  std::string path_;
  OpenMode mode_;
  std::thread::id owner_;
  // 0 none, 1 shared, 2 exclusive; read by open_handles() from other threads.
  std::atomic<int> held_{0};
  bool closed_ = false;
  std::atomic<bool> orphaned_{false};
  // Neighbours in state_->handles_head's list.   guarded by handles_mutex
  MemoryOpenFile* prev_ = nullptr;
  MemoryOpenFile* next_ = nullptr;
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
