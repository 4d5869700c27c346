// DiskFileSystem's file handles: a POSIX fd per handle, flock(2) locks with
// polled timeouts, and the registry entry open_handles() reports.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "disk/disk_state.hpp"

namespace memfs::detail {
namespace {

constexpr auto kMaxOffset =
    static_cast<std::uint64_t>(std::numeric_limits<off_t>::max());

class DiskOpenFile final : public OpenFile {
 public:
  DiskOpenFile(std::shared_ptr<DiskState> state, int fd,
               const std::string& path, const OpenMode& mode)
      : state_(std::move(state)), fd_(fd), append_flag_(mode.appends()) {
    if (append_flag_) set_append(true);
    id_ = state_->add_handle(
        DiskHandleRecord{path, mode.str(), current_thread_owner(), {}, fd_});
  }
  ~DiskOpenFile() override {
    if (fd_ >= 0) {
      ErrorInfo ignored;
      close(ignored);
    }
  }

  std::size_t pread(std::uint64_t offset, void* buffer, std::size_t n,
                    ErrorInfo& err) override {
    std::size_t got = 0;
    while (got < n && offset + got < kMaxOffset) {
      const ssize_t r = ::pread(fd_, static_cast<char*>(buffer) + got, n - got,
                                static_cast<off_t>(offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return fail(err, errno);
      if (r == 0) break;  // end of file
      got += static_cast<std::size_t>(r);
    }
    return got;
  }

  std::size_t pwrite(std::uint64_t offset, const void* data, std::size_t n,
                     ErrorInfo& err) override {
    if (offset > kMaxOffset - n) return fail(err, EFBIG);
    if (append_flag_) set_append(false);  // O_APPEND would ignore the offset
    std::size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pwrite(fd_, static_cast<const char*>(data) + done,
                                 n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return fail(err, errno);
      done += static_cast<std::size_t>(r);
    }
    return n;
  }

  std::uint64_t append(const void* data, std::size_t n,
                       ErrorInfo& err) override {
    if (n == 0) return size(err);
    // O_APPEND makes each write(2) land at the end atomically, also against
    // other processes.
    if (!append_flag_) set_append(true);
    std::size_t done = 0;
    while (done < n) {
      const ssize_t r =
          ::write(fd_, static_cast<const char*>(data) + done, n - done);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return fail(err, errno);
      done += static_cast<std::size_t>(r);
    }
    const off_t end = ::lseek(fd_, 0, SEEK_CUR);
    if (end < 0) return fail(err, errno);
    return static_cast<std::uint64_t>(end) - n;
  }

  std::uint64_t size(ErrorInfo& err) override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return fail(err, errno);
    return static_cast<std::uint64_t>(st.st_size);
  }

  void truncate(std::uint64_t new_size, ErrorInfo& err) override {
    if (new_size > kMaxOffset) {
      fail(err, EFBIG);
      return;
    }
    while (::ftruncate(fd_, static_cast<off_t>(new_size)) != 0) {
      if (errno != EINTR) {
        fail(err, errno);
        return;
      }
    }
  }

  void flush(ErrorInfo&) override {}  // nothing is buffered above the fd

  void sync(ErrorInfo& err) override {
    if (::fsync(fd_) != 0) fail(err, errno);
  }

  void close(ErrorInfo& err) override {
    if (fd_ < 0) return;
    state_->remove_handle(id_);
    // The lock goes with the open file description.
    if (::close(fd_) != 0 && errno != EINTR) fail(err, errno);
    fd_ = -1;
  }

  void lock(LockMode mode, std::optional<std::chrono::nanoseconds> timeout,
            ErrorInfo& err) override {
    if (lock_) {
      err.set(std::errc::resource_deadlock_would_occur);
      return;
    }
    if (!flock_within(*state_, fd_, mode,
                      timeout.value_or(state_->options.default_lock_timeout),
                      err)) {
      return;
    }
    lock_ = mode;
    state_->set_handle_lock(id_, mode);
  }

  void unlock(ErrorInfo& err) override {
    if (!lock_) {
      err.set(std::errc::no_lock_available);
      return;
    }
    if (::flock(fd_, LOCK_UN) != 0) {
      fail(err, errno);
      return;
    }
    lock_.reset();
    state_->set_handle_lock(id_, std::nullopt);
  }

  int fd() const noexcept { return fd_; }

 private:
  // Records a host error and returns 0 for the callers' convenience.
  static std::size_t fail(ErrorInfo& err, int errnum) {
    err.set(disk_error(errnum));
    return 0;
  }
  // The fd belongs to this handle alone (its own open file description), so
  // toggling O_APPEND races with nobody.
  void set_append(bool on) {
    const int flags = ::fcntl(fd_, F_GETFL);
    ::fcntl(fd_, F_SETFL, on ? (flags | O_APPEND) : (flags & ~O_APPEND));
    append_flag_ = on;
  }

  std::shared_ptr<DiskState> state_;
  int fd_;
  bool append_flag_;
  std::uint64_t id_ = 0;
  std::optional<LockMode> lock_;
};

}  // namespace

bool flock_within(const DiskState& state, int fd, LockMode mode,
                  std::chrono::nanoseconds timeout, ErrorInfo& err) {
  const int op = (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  Clock& clock = *state.clock;
  const Clock::steady_point start = clock.steady_now();
  for (;;) {
    if (::flock(fd, op) == 0) return true;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      err.set(disk_error(errno));
      return false;
    }
    const std::chrono::nanoseconds waited = clock.steady_now() - start;
    if (timeout != kWaitForever && waited >= timeout) {
      err.set(errc::lock_timeout);
      return false;
    }
    std::chrono::nanoseconds nap = state.options.lock_poll_interval;
    if (timeout != kWaitForever) nap = std::min(nap, timeout - waited);
    clock.sleep_for(std::max(nap, std::chrono::nanoseconds(1)));
  }
}

std::unique_ptr<OpenFile> make_disk_open_file(
    const std::shared_ptr<DiskState>& state, const NormalizedPath& path,
    const OpenMode& mode, const OpenOptions& options, int fd, bool created,
    ErrorInfo& err) {
  auto file = std::make_unique<DiskOpenFile>(state, fd, path.value, mode);
  if (state->options.lock_on_open) {
    file->lock(mode.can_write() ? LockMode::exclusive : LockMode::shared,
               options.lock_timeout, err);
    if (!err && mode.truncates()) file->truncate(0, err);
  }
  if (!err && options.preallocate > 0) {
    const std::uint64_t size = file->size(err);
    if (!err && size < options.preallocate) {
      file->truncate(options.preallocate, err);
    }
  }
  if (!err) return file;
  if (created) {
    // Undo the create, but only if the name still holds the file we made.
    struct stat mine {};
    const HostStat now = host_stat(state->host(path.value));
    if (::fstat(file->fd(), &mine) == 0 && now.kind == HostKind::regular &&
        now.inode == mine.st_ino && now.device == mine.st_dev) {
      ::unlink(state->host(path.value).c_str());
    }
  }
  ErrorInfo ignored;
  file->close(ignored);
  return nullptr;
}

}  // namespace memfs::detail
