// File: the cursor and mode checks around an OpenFile; the hook is consulted
// through the funnel's one consult() (api/funnel.hpp).
#include "memfs/file.hpp"

#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "api/funnel.hpp"
#include "api/invoke.hpp"
#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "memfs/hook.hpp"

namespace memfs {
namespace {

using detail::allowed;
using detail::consult;
using detail::op_context;
using detail::refused;

constexpr int kFlush = 0;
constexpr int kSync = 1;
constexpr int kUnlock = 2;

// The hook to consult, if any, for a File found open (check_open): an
// orphaned handle's filesystem is gone, and neither it nor its hook may be
// touched.
FileSystemHook* hook_of(const FileSystem* fs) noexcept {
  return fs == nullptr ? nullptr : fs->active_hook();
}

}  // namespace

// The bodies of File's operations, behind the two calling conventions below.
// A member class so that file.hpp names no ErrorInfo (backend vocabulary).
struct File::Access {
  static bool check_open(const File& f, ErrorInfo& err) noexcept {
    if (!f.is_open()) {
      err.set(std::errc::bad_file_descriptor);
      return false;
    }
    return true;
  }

  // Open, and opened for this direction (EBADF otherwise, as read(2) and
  // write(2) say for a descriptor not open for it).
  static bool check_open_for(const File& f, bool allowed,
                             ErrorInfo& err) noexcept {
    if (!check_open(f, err)) return false;
    if (!allowed) err.set(std::errc::bad_file_descriptor);
    return allowed;
  }

  // The hook's say on a transfer of `n` bytes at `offset` (nullopt: an
  // append, at the end): fills its context and injection and clamps `n` to a
  // short transfer. False when refused or the size is unknown (err set).
  static bool ask_hook(const File& f, FileSystemHook* hook, Op op,
                       std::optional<std::uint64_t> offset, std::size_t& n,
                       OpContext& ctx, Injection& inj, ErrorInfo& err) {
    const std::uint64_t size = f.impl_->size(err);
    if (err) return false;
    ctx = op_context(op, *f.path_, {}, {offset.value_or(size), n, size});
    if (!consult(hook, ctx, err, &inj)) return false;
    n = allowed(inj, n);
    return true;
  }

  static std::size_t pread_impl(File& f, std::uint64_t offset, void* buffer,
                                std::size_t n, ErrorInfo& err) {
    if (!check_open_for(f, f.mode_.can_read(), err)) return 0;
    FileSystemHook* hook = hook_of(f.fs_);
    if (hook == nullptr) return f.impl_->pread(offset, buffer, n, err);
    OpContext ctx;
    Injection inj;
    if (!ask_hook(f, hook, Op::read, offset, n, ctx, inj, err)) return 0;
    const std::size_t got = f.impl_->pread(offset, buffer, n, err);
    if (!err) hook->after_transfer(ctx, inj, static_cast<char*>(buffer), got);
    return got;
  }

  static std::size_t read_impl(File& f, void* buffer, std::size_t n,
                               ErrorInfo& err) {
    const std::size_t got = pread_impl(f, f.cursor_, buffer, n, err);
    if (!err) f.cursor_ += got;
    return got;
  }

  static std::size_t pwrite_impl(File& f, std::uint64_t offset,
                                 const void* data, std::size_t n,
                                 ErrorInfo& err) {
    if (!check_open_for(f, f.mode_.can_write(), err)) return 0;
    if (n == 0) return 0;
    FileSystemHook* hook = hook_of(f.fs_);
    if (hook == nullptr) return f.impl_->pwrite(offset, data, n, err);
    OpContext ctx;
    Injection inj;
    if (!ask_hook(f, hook, Op::write, offset, n, ctx, inj, err)) return 0;
    const std::size_t done = n == 0 ? 0 : f.impl_->pwrite(offset, data, n, err);
    if (err) {
      refused(hook, ctx, err);
    } else {
      hook->after_transfer(ctx, inj, nullptr, done);
    }
    return done;
  }

  static std::size_t write_impl(File& f, const void* data, std::size_t n,
                                ErrorInfo& err) {
    if (!f.mode_.appends() || !f.is_open()) {
      const std::size_t done = pwrite_impl(f, f.cursor_, data, n, err);
      if (!err) f.cursor_ += done;
      return done;
    }
    if (!check_open_for(f, f.mode_.can_write(), err)) return 0;
    if (n == 0) return 0;
    FileSystemHook* hook = hook_of(f.fs_);
    OpContext ctx;
    Injection inj;
    if (hook != nullptr) {
      if (!ask_hook(f, hook, Op::write, std::nullopt, n, ctx, inj, err) ||
          n == 0)
        return 0;
    }
    const std::uint64_t at = f.impl_->append(data, n, err);
    if (err) {
      refused(hook, ctx, err);
      return 0;
    }
    f.cursor_ = at + n;
    if (hook != nullptr) hook->after_transfer(ctx, inj, nullptr, n);
    return n;
  }

  static std::uint64_t seek_impl(File& f, std::int64_t offset, Whence whence,
                                 ErrorInfo& err) {
    if (!check_open(f, err)) return 0;
    std::uint64_t base = 0;
    if (whence == Whence::cur) base = f.cursor_;
    if (whence == Whence::end) {
      base = f.impl_->size(err);
      if (err) return 0;
    }
    constexpr auto kMax =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const auto magnitude = offset < 0
                               ? static_cast<std::uint64_t>(-(offset + 1)) + 1
                               : static_cast<std::uint64_t>(offset);
    if (offset < 0 ? magnitude > base : base > kMax - magnitude) {
      err.set(std::errc::invalid_argument);
      return 0;
    }
    f.cursor_ = offset < 0 ? base - magnitude : base + magnitude;
    return f.cursor_;
  }

  static void truncate_impl(File& f, std::uint64_t size, ErrorInfo& err) {
    if (!check_open_for(f, f.mode_.can_write(), err)) return;
    FileSystemHook* hook = hook_of(f.fs_);
    OpContext ctx;
    if (hook != nullptr) {
      const std::uint64_t current = f.impl_->size(err);
      if (err) return;
      ctx = op_context(Op::truncate, *f.path_, {}, {0, size, current});
      if (!consult(hook, ctx, err)) return;
    }
    f.impl_->truncate(size, err);
    refused(hook, ctx, err);
  }

  static void simple_impl(File& f, int which, ErrorInfo& err) {
    if (!check_open(f, err)) return;
    if (which != kUnlock) {
      const Op op = which == kFlush ? Op::flush : Op::sync;
      if (!consult(hook_of(f.fs_), op_context(op, *f.path_), err)) {
        return;
      }
    }
    switch (which) {
      case kFlush:
        f.impl_->flush(err);
        break;
      case kSync:
        f.impl_->sync(err);
        break;
      default:
        f.impl_->unlock(err);
        break;
    }
  }

  static void lock_impl(File& f, LockMode mode,
                        std::optional<std::chrono::nanoseconds> t,
                        ErrorInfo& err) {
    if (!check_open(f, err)) return;
    OpContext ctx = op_context(Op::lock, *f.path_);
    ctx.lock_mode = mode;
    if (!consult(hook_of(f.fs_), ctx, err)) return;
    f.impl_->lock(mode, t, err);
  }

  // The handle stays in impl_ (closed) until the File goes: path_ may
  // point into it.
  static void close_impl(File& f, ErrorInfo& err) {
    if (!f.open_) return;
    f.open_ = false;
    if (f.impl_->orphaned()) {
      // Frees what the handle held (the state it shares with no filesystem).
      ErrorInfo ignored;
      f.impl_->close(ignored);
      err.set(std::errc::bad_file_descriptor);
      return;
    }
    FileSystemHook* hook = hook_of(f.fs_);
    if (hook == nullptr) return f.impl_->close(err);
    ErrorInfo injected;
    consult(hook, op_context(Op::close, *f.path_), injected);
    // As close(2): the handle is released even when an error is reported.
    f.impl_->close(err);
    if (!err && injected) err = injected;
  }

  static std::string read_string(File& f, std::size_t n, ErrorInfo& err) {
    std::string out;
    if (!check_open(f, err)) return out;
    if (n == std::string::npos) {
      const std::uint64_t size = f.impl_->size(err);
      if (err) return out;
      n = size > f.cursor_ ? static_cast<std::size_t>(size - f.cursor_) : 0;
    }
    out.resize(n);
    out.resize(read_impl(f, out.data(), n, err));
    return out;
  }
};

File::File() noexcept = default;

File::File(FileSystem* fs, std::unique_ptr<OpenFile> impl, std::string path,
           const OpenMode& mode, std::uint64_t initial_offset) noexcept
    : fs_(fs),
      impl_(std::move(impl)),
      cursor_(initial_offset),
      open_(impl_ != nullptr) {
  // A valid mode is its flags: set, not copied (copying even an empty
  // std::string calls into libstdc++).
  if (mode.valid()) {
    mode_.flags_ = mode.flags_;
  } else {
    mode_ = mode;
  }
  if (!path.empty()) own_path_ = std::move(path);
  if (impl_ != nullptr) {
    if (const std::string* kept = impl_->path()) path_ = kept;
  }
}

File::File(File&& other) noexcept
    : fs_(std::exchange(other.fs_, nullptr)),
      impl_(std::move(other.impl_)),
      own_path_(std::move(other.own_path_)),
      mode_(std::move(other.mode_)),
      cursor_(std::exchange(other.cursor_, 0)),
      open_(std::exchange(other.open_, false)) {
  if (other.path_ != &other.own_path_) path_ = other.path_;
  other.path_ = &other.own_path_;
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    ErrorInfo ignored;
    Access::close_impl(*this, ignored);
    fs_ = std::exchange(other.fs_, nullptr);
    impl_ = std::move(other.impl_);
    own_path_ = std::move(other.own_path_);
    path_ = other.path_ != &other.own_path_ ? other.path_ : &own_path_;
    other.path_ = &other.own_path_;
    mode_ = std::move(other.mode_);
    cursor_ = std::exchange(other.cursor_, 0);
    open_ = std::exchange(other.open_, false);
  }
  return *this;
}

File::~File() {
  if (!open_) return;
  ErrorInfo ignored;
  Access::close_impl(*this, ignored);
}

bool File::is_open() const noexcept { return open_ && !impl_->orphaned(); }

std::uint64_t File::id() const noexcept { return is_open() ? impl_->id() : 0; }

// --- the two calling conventions ------------------------------------------------

std::size_t File::read(void* buffer, std::size_t n) {
  return detail::run_throwing("read", *path_, {}, [&](ErrorInfo& e) {
    return Access::read_impl(*this, buffer, n, e);
  });
}
std::size_t File::read(void* buffer, std::size_t n,
                       std::error_code& ec) noexcept {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return Access::read_impl(*this, buffer, n, e); });
}
std::string File::read(std::size_t n) {
  return detail::run_throwing("read", *path_, {}, [&](ErrorInfo& e) {
    return Access::read_string(*this, n, e);
  });
}
std::string File::read(std::size_t n, std::error_code& ec) noexcept {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return Access::read_string(*this, n, e); });
}
std::string File::read_all() { return read(std::string::npos); }
std::string File::read_all(std::error_code& ec) noexcept {
  return read(std::string::npos, ec);
}

std::size_t File::write(const void* data, std::size_t n) {
  return detail::run_throwing("write", *path_, {}, [&](ErrorInfo& e) {
    return Access::write_impl(*this, data, n, e);
  });
}
std::size_t File::write(const void* data, std::size_t n,
                        std::error_code& ec) noexcept {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return Access::write_impl(*this, data, n, e); });
}
std::size_t File::write(std::string_view data) {
  return write(data.data(), data.size());
}
std::size_t File::write(std::string_view data, std::error_code& ec) noexcept {
  return write(data.data(), data.size(), ec);
}

std::size_t File::pread(std::uint64_t offset, void* buffer, std::size_t n) {
  return detail::run_throwing("pread", *path_, {}, [&](ErrorInfo& e) {
    return Access::pread_impl(*this, offset, buffer, n, e);
  });
}
std::size_t File::pread(std::uint64_t offset, void* buffer, std::size_t n,
                        std::error_code& ec) noexcept {
  return detail::run_noexcept(ec, [&](ErrorInfo& e) {
    return Access::pread_impl(*this, offset, buffer, n, e);
  });
}
std::size_t File::pwrite(std::uint64_t offset, const void* data,
                         std::size_t n) {
  return detail::run_throwing("pwrite", *path_, {}, [&](ErrorInfo& e) {
    return Access::pwrite_impl(*this, offset, data, n, e);
  });
}
std::size_t File::pwrite(std::uint64_t offset, const void* data, std::size_t n,
                         std::error_code& ec) noexcept {
  return detail::run_noexcept(ec, [&](ErrorInfo& e) {
    return Access::pwrite_impl(*this, offset, data, n, e);
  });
}
std::size_t File::pwrite(std::uint64_t offset, std::string_view data) {
  return pwrite(offset, data.data(), data.size());
}
std::size_t File::pwrite(std::uint64_t offset, std::string_view data,
                         std::error_code& ec) noexcept {
  return pwrite(offset, data.data(), data.size(), ec);
}

std::uint64_t File::seek(std::int64_t offset, Whence whence) {
  return detail::run_throwing("seek", *path_, {}, [&](ErrorInfo& e) {
    return Access::seek_impl(*this, offset, whence, e);
  });
}
std::uint64_t File::seek(std::int64_t offset, Whence whence,
                         std::error_code& ec) noexcept {
  return detail::run_noexcept(ec, [&](ErrorInfo& e) {
    return Access::seek_impl(*this, offset, whence, e);
  });
}
std::uint64_t File::tell() const {
  return detail::run_throwing("tell", *path_, {}, [&](ErrorInfo& e) {
    return Access::check_open(*this, e) ? cursor_ : 0;
  });
}
std::uint64_t File::tell(std::error_code& ec) const noexcept {
  return detail::run_noexcept(ec, [&](ErrorInfo& e) {
    return Access::check_open(*this, e) ? cursor_ : 0;
  });
}
std::uint64_t File::size() {
  return detail::run_throwing("size", *path_, {}, [&](ErrorInfo& e) {
    return Access::check_open(*this, e) ? impl_->size(e) : 0;
  });
}
std::uint64_t File::size(std::error_code& ec) noexcept {
  return detail::run_noexcept(ec, [&](ErrorInfo& e) {
    return Access::check_open(*this, e) ? impl_->size(e) : 0;
  });
}
void File::truncate(std::uint64_t size) {
  detail::run_throwing("truncate", *path_, {}, [&](ErrorInfo& e) {
    Access::truncate_impl(*this, size, e);
  });
}
void File::truncate(std::uint64_t size, std::error_code& ec) noexcept {
  detail::run_noexcept(
      ec, [&](ErrorInfo& e) { Access::truncate_impl(*this, size, e); });
}
void File::flush() {
  detail::run_throwing("flush", *path_, {}, [&](ErrorInfo& e) {
    Access::simple_impl(*this, kFlush, e);
  });
}
void File::flush(std::error_code& ec) noexcept {
  detail::run_noexcept(
      ec, [&](ErrorInfo& e) { Access::simple_impl(*this, kFlush, e); });
}
void File::sync() {
  detail::run_throwing("sync", *path_, {}, [&](ErrorInfo& e) {
    Access::simple_impl(*this, kSync, e);
  });
}
void File::sync(std::error_code& ec) noexcept {
  detail::run_noexcept(
      ec, [&](ErrorInfo& e) { Access::simple_impl(*this, kSync, e); });
}
void File::close() {
  // close_impl leaves path_ as it is: the message can name it.
  detail::run_throwing("close", *path_, {},
                       [&](ErrorInfo& e) { Access::close_impl(*this, e); });
}
void File::close(std::error_code& ec) noexcept {
  detail::run_noexcept(ec, [&](ErrorInfo& e) { Access::close_impl(*this, e); });
}

void File::lock(LockMode mode,
                std::optional<std::chrono::nanoseconds> timeout) {
  detail::run_throwing("lock", *path_, {}, [&](ErrorInfo& e) {
    Access::lock_impl(*this, mode, timeout, e);
  });
}
void File::lock(LockMode mode, std::optional<std::chrono::nanoseconds> timeout,
                std::error_code& ec) noexcept {
  detail::run_noexcept(
      ec, [&](ErrorInfo& e) { Access::lock_impl(*this, mode, timeout, e); });
}
bool File::try_lock(LockMode mode) {
  std::error_code ec;
  const bool locked = try_lock(mode, ec);
  if (ec) throw_error("try_lock", *path_, {}, ErrorInfo{}.set(ec));
  return locked;
}
bool File::try_lock(LockMode mode, std::error_code& ec) noexcept {
  lock(mode, std::chrono::nanoseconds::zero(), ec);
  if (ec == errc::lock_timeout) {
    ec.clear();
    return false;
  }
  return !ec;
}
void File::unlock() {
  detail::run_throwing("unlock", *path_, {}, [&](ErrorInfo& e) {
    Access::simple_impl(*this, kUnlock, e);
  });
}
void File::unlock(std::error_code& ec) noexcept {
  detail::run_noexcept(
      ec, [&](ErrorInfo& e) { Access::simple_impl(*this, kUnlock, e); });
}

}  // namespace memfs
