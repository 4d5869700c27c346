// An open file of MemoryFileSystem: I/O under the node's data lock, quota
// reserved before any allocation, advisory locks that wait outside every
// other lock.
#include "memory/memory_open_file.hpp"

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <utility>

namespace memfs::detail {

std::optional<std::uint64_t> write_locked(MemoryState& state, FileNode& node,
                                          std::uint64_t offset, bool at_end,
                                          const void* data, std::size_t n,
                                          ErrorInfo& err) {
  const std::uint64_t old_size = node.store.size();
  if (at_end) offset = old_size;
  if (offset > std::numeric_limits<std::uint64_t>::max() - n) {
    err.set(std::errc::file_too_large);
    return std::nullopt;
  }
  const std::uint64_t end = offset + n;
  const std::uint64_t growth = end > old_size ? end - old_size : 0;
  if (!state.reserve(growth, err)) return std::nullopt;
  try {
    // Growth copies the data into fresh memory without zero-filling it first.
    node.store.write_at(offset, static_cast<const char*>(data), n);
  } catch (const std::bad_alloc&) {
    state.release(growth);
    err.set(std::errc::not_enough_memory);
    return std::nullopt;
  }
  ++node.generation;
  node.modified = state.now();
  return offset;
}

bool resize_locked(MemoryState& state, FileNode& node, std::uint64_t size,
                   ErrorInfo& err) {
  const std::uint64_t old_size = node.store.size();
  if (size == old_size) return false;
  if (size > old_size) {
    if (!state.reserve(size - old_size, err)) return false;
    try {
      node.store.resize(size);
    } catch (const std::bad_alloc&) {
      state.release(size - old_size);
      err.set(std::errc::not_enough_memory);
      return false;
    }
  } else {
    node.store.resize(size);  // shrinking does not allocate
    state.release(old_size - size);
  }
  ++node.generation;
  node.modified = state.now();
  return true;
}

namespace {

// A handle's block: the path string, then (at kHandleAt) the handle. The
// string is built with the block and destroyed with it, so a kept block
// keeps the string's capacity for the next path.
constexpr std::size_t kHandleAt =
    (sizeof(std::string) + alignof(MemoryOpenFile) - 1) /
    alignof(MemoryOpenFile) * alignof(MemoryOpenFile);

std::string& path_of(void* block) noexcept {
  return *std::launder(static_cast<std::string*>(block));
}

void* new_block() {
  void* block = ::operator new(kHandleAt + sizeof(MemoryOpenFile));
  new (block) std::string();
  return block;
}

void free_block(void* block) noexcept {
  path_of(block).~basic_string();
  ::operator delete(block);
}

// The last handle block a thread freed, kept for that thread's next open:
// open + close in a loop (the common pattern) then costs no malloc or free.
// Plain data, so that it stays usable in the thread's last destructors;
// SpareRelease frees the block when the thread ends, and blocks freed after
// that go straight back to the heap.
struct SpareBlock {
  void* block;
  bool registered;  // SpareRelease is
  bool gone;        // the thread is ending
};
thread_local SpareBlock spare
    __attribute__((tls_model("initial-exec"))) = {nullptr, false, false};

struct SpareRelease {
  SpareRelease() = default;
  SpareRelease(const SpareRelease&) = delete;
  SpareRelease& operator=(const SpareRelease&) = delete;
  ~SpareRelease() {
    if (spare.block != nullptr) free_block(spare.block);
    spare = {nullptr, true, true};
  }
};

}  // namespace

std::unique_ptr<MemoryOpenFile> MemoryOpenFile::make(MemoryState& state,
                                                     std::string_view path,
                                                     const OpenMode& mode) {
  SpareBlock& kept = spare;
  void* block = kept.block;
  if (block != nullptr) {
    kept.block = nullptr;
  } else {
    block = new_block();
  }
  std::string& text = path_of(block);
  try {
    text.clear();
    text.append(path);  // simpler than assign's overlap-safe replace
  } catch (...) {
    free_block(block);
    throw;
  }
  return std::unique_ptr<MemoryOpenFile>(::new (
      static_cast<char*>(block) + kHandleAt) MemoryOpenFile(state, text, mode));
}

void MemoryOpenFile::operator delete(void* p) noexcept {
  void* block = static_cast<char*>(p) - kHandleAt;
  SpareBlock& kept = spare;
  if (kept.gone) return free_block(block);
  if (kept.block == nullptr) {
    if (!kept.registered) {
      static thread_local SpareRelease release;  // the thread's first block
      kept.registered = true;
    }
    kept.block = block;
    return;
  }
  // Keep the block whose path has more room: it fits more paths.
  if (path_of(kept.block).capacity() < path_of(block).capacity())
    std::swap(kept.block, block);
  free_block(block);
}

MemoryOpenFile::MemoryOpenFile(MemoryState& state, const std::string& path,
                               const OpenMode& mode) noexcept
    : state_(state),
      path_(path),
      mode_flags_(mode.flags()),
      owner_(std::this_thread::get_id()) {}

void MemoryOpenFile::open_locked(FileNode& node,
                                 const std::optional<LockMode>& held) noexcept {
  file = &node;
  // A load first: the line stays shared while the file is opened again.
  if (!node.opened.load(std::memory_order_relaxed))
    node.opened.store(true, std::memory_order_relaxed);
  if (held) held_.store(*held == LockMode::shared ? 1 : 2);
  state_.handles.add(*this);
}

std::vector<HandleInfo> MemoryOpenFile::list(const MemoryState& state) {
  std::vector<HandleInfo> out;
  // The tree lock keeps each listed handle's node alive (an unlink waits
  // for it; a parked node outlives its handle's registration).
  std::shared_lock<TreeMutex> tree(state.tree_mutex);
  state.handles.for_each([&](const HandleLinks& h) {
    out.push_back(static_cast<const MemoryOpenFile&>(h).info());
  });
  return out;
}

std::vector<FileNode*> MemoryOpenFile::open_nodes_locked(
    const MemoryState& state) {
  std::vector<FileNode*> out;
  state.handles.for_each([&](const HandleLinks& h) {
    out.push_back(static_cast<const MemoryOpenFile&>(h).file);
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

MemoryOpenFile::~MemoryOpenFile() {
  if (!closed_) {
    ErrorInfo ignored;
    close(ignored);
  }
}

std::size_t MemoryOpenFile::pread(std::uint64_t offset, void* buffer,
                                  std::size_t n, ErrorInfo&) {
  std::shared_lock<SharedSpinLock> data(file->data_mutex);
  return file->store.read(offset, static_cast<char*>(buffer), n);
}

std::size_t MemoryOpenFile::pwrite(std::uint64_t offset, const void* data,
                                   std::size_t n, ErrorInfo& err) {
  std::unique_lock<SharedSpinLock> lock(file->data_mutex);
  return write_locked(state_, *file, offset, false, data, n, err) ? n : 0;
}

std::uint64_t MemoryOpenFile::append(const void* data, std::size_t n,
                                     ErrorInfo& err) {
  std::unique_lock<SharedSpinLock> lock(file->data_mutex);
  return write_locked(state_, *file, 0, true, data, n, err).value_or(0);
}

std::uint64_t MemoryOpenFile::size(ErrorInfo&) {
  std::shared_lock<SharedSpinLock> data(file->data_mutex);
  return file->store.size();
}

void MemoryOpenFile::truncate(std::uint64_t size, ErrorInfo& err) {
  std::unique_lock<SharedSpinLock> lock(file->data_mutex);
  resize_locked(state_, *file, size, err);
}

void MemoryOpenFile::flush(ErrorInfo&) {}  // nothing is buffered
void MemoryOpenFile::sync(ErrorInfo&) {
  // Without the durability model memory is as durable as it gets.
  if (state_.durability) {
    std::shared_lock<SharedSpinLock> data(file->data_mutex);
    state_.durability->sync_file(*file);
  }
}

void MemoryOpenFile::release_locked_lock() noexcept {
  // Most handles hold no lock: a load, not a locked exchange, tells.
  if (held_.load() == 0) return;
  const int held = held_.exchange(0);
  if (held != 0) {
    file->lock.release(held == 1 ? LockMode::shared : LockMode::exclusive);
  }
}

void MemoryOpenFile::close(ErrorInfo&) {
  if (closed_) return;
  closed_ = true;
  if (file == nullptr) return;  // never opened (make() without open_locked)
  release_locked_lock();
  if (release_spare_) {
    std::unique_lock<SharedSpinLock> data(file->data_mutex);
    file->store.release_spare();
  }
  // Past this, a linked file is the index's: not touched again. Once it
  // leaves the registry the state may go (orphan_all); the state it hands
  // back is released when this returns.
  std::shared_ptr<MemoryState> last;
  if (state_.handles.remove_unparked(*this, last)) return;
  // The last handle of a file unlinked while open (HandleRegistry::park)
  // frees its bytes and unparks it, under the tree lock (freeze_locked
  // reads open files under it); the node goes only once this handle has
  // left the registry (list() reads it through the handle).
  std::shared_ptr<FileNode> unparked;
  {
    std::shared_lock<TreeMutex> tree(state_.tree_mutex);
    std::unique_lock<SharedSpinLock> data(file->data_mutex);
    state_.release(file->store.size());
    file->store.clear();
    unparked = std::move(file->parked);
  }
  last = state_.handles.remove(*this);
}

void MemoryOpenFile::lock(LockMode mode,
                          std::optional<std::chrono::nanoseconds> timeout,
                          ErrorInfo& err) {
  if (held_.load() != 0) {
    err.set(std::errc::resource_deadlock_would_occur);
    return;
  }
  if (!file->lock.acquire(mode, state_.effective_timeout(timeout),
                          *state_.clock)) {
    err.set(errc::lock_timeout);
    return;
  }
  held_ = mode == LockMode::shared ? 1 : 2;
}

void MemoryOpenFile::unlock(ErrorInfo& err) {
  if (held_.load() == 0) {
    err.set(std::errc::no_lock_available);
    return;
  }
  release_locked_lock();
}

HandleInfo MemoryOpenFile::info() const {
  HandleInfo h;
  h.path = path_;
  h.mode = OpenMode::from_flags(mode_flags_).str();
  const int held = held_.load();
  if (held != 0) h.lock = held == 1 ? LockMode::shared : LockMode::exclusive;
  std::ostringstream owner;
  owner << "thread " << owner_;
  h.owner = owner.str();
  h.removed = !file->linked;
  return h;
}

}  // namespace memfs::detail
