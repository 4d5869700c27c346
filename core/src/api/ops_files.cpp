// FileSystem's operations on whole files: open, read_file, write_file,
// resize_file. Each operation's body (normalize, consult the hook, call the
// backend's primitive) and its two public forms (throwing and error_code,
// see api/invoke.hpp) sit side by side.
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/funnel.hpp"
#include "api/invoke.hpp"
#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "path/path_detail.hpp"

namespace memfs {
namespace {
using namespace detail;  // NOLINT(google-build-using-namespace)
}  // namespace

namespace {
namespace body {
// do_open, `hook` (not null) asked first and told of a refusal; nullptr
// with err set when it fails.
std::unique_ptr<OpenFile> open_consulting(Backend& fs, FileSystemHook* hook,
                                          const NormalizedPath& np,
                                          const OpenMode& mode,
                                          const OpenOptions& options,
                                          ErrorInfo& err) {
  const std::string mode_text = mode.str();
  OpContext ctx = op_context(Op::open, np.value);
  ctx.mode = mode_text;
  ctx.lock_mode = mode.can_write() ? LockMode::exclusive : LockMode::shared;
  if (!consult(hook, ctx, err)) return nullptr;
  std::unique_ptr<OpenFile> impl = fs.do_open(np, mode, options, err);
  if (err || impl == nullptr) {
    if (!err) err.set(std::errc::io_error);
    refused(hook, ctx, err);
    return nullptr;
  }
  return impl;
}

File open(Backend& fs, std::string_view path, const OpenMode& mode,
          const OpenOptions& options, ErrorInfo& err) {
  if (!mode.valid() || (options.preallocate > 0 && !mode.can_write())) {
    err.set(std::errc::invalid_argument);
    return File();
  }
  ScratchPath scratch;  // the File keeps the path its handle keeps
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return File();
  FileSystemHook* hook = fs.active_hook();
  // Without a hook, no context is built.
  std::unique_ptr<OpenFile> impl =
      hook == nullptr ? fs.do_open(np, mode, options, err)
                      : open_consulting(fs, hook, np, mode, options, err);
  if (impl == nullptr || err) {
    if (!err) err.set(std::errc::io_error);
    return File();
  }
  if (impl->path() != nullptr)
    return File(&fs, std::move(impl), std::string(), mode);
  return File(&fs, std::move(impl), np.value, mode);
}
}  // namespace body
}  // namespace

File FileSystem::open(std::string_view path, OpenMode mode,
                      const OpenOptions& options) {
  return run_throwing("open", path, {}, [&](ErrorInfo& e) {
    return body::open(backend_of(*this), path, mode, options, e);
  });
}
File FileSystem::open(std::string_view path, OpenMode mode,
                      const OpenOptions& options,
                      std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::open(backend_of(*this), path, mode, options, e);
  });
}
File FileSystem::open(std::string_view path, OpenMode mode,
                      std::error_code& ec) noexcept {
  return open(path, std::move(mode), OpenOptions{}, ec);
}

namespace {
namespace body {
std::string read_file(Backend& fs, std::string_view path, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return {};
  FileSystemHook* hook = fs.active_hook();
  if (hook == nullptr) return fs.do_read_file(np, err);
  OpContext ctx = op_context(Op::read, np.value, {},
                             {0, std::numeric_limits<std::uint64_t>::max(), 0});
  Injection inj;
  if (!consult(hook, ctx, err, &inj)) return {};
  std::string data = fs.do_read_file(np, err);
  if (err) return {};
  data.resize(allowed(inj, data.size()));
  ctx.file_size = data.size();
  hook->after_transfer(ctx, inj, data.data(), data.size());
  return data;
}
// The same into `out`; with a hook attached, through the read above.
void read_file(Backend& fs, std::string_view path, std::string& out,
               ErrorInfo& err) {
  if (fs.active_hook() == nullptr) {
    ScratchPath scratch;
    NormalizedPath& np = *scratch;
    if (normalize(path, np, err)) fs.do_read_file_into(np, out, err);
    return;
  }
  std::string data = read_file(fs, path, err);
  if (!err) out = std::move(data);
}
}  // namespace body
}  // namespace

std::size_t FileSystem::read_file(std::string_view path, std::string& out) {
  return run_throwing("read_file", path, {}, [&](ErrorInfo& e) {
    body::read_file(backend_of(*this), path, out, e);
    return out.size();
  });
}
std::size_t FileSystem::read_file(std::string_view path, std::string& out,
                                  std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    body::read_file(backend_of(*this), path, out, e);
    return e ? std::size_t{0} : out.size();
  });
}
std::string FileSystem::read_file(std::string_view path) {
  return run_throwing("read_file", path, {}, [&](ErrorInfo& e) {
    return body::read_file(backend_of(*this), path, e);
  });
}
std::string FileSystem::read_file(std::string_view path,
                                  std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::read_file(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
void write_file(Backend& fs, std::string_view path, std::string_view data,
                ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  if (hook == nullptr) {
    fs.do_write_file(np, data, err);
    return explain_missing_parent(err);
  }
  const OpContext ctx =
      op_context(Op::write, np.value, {}, {0, data.size(), 0});
  Injection inj;
  if (!consult(hook, ctx, err, &inj) || refuse_short_write(ctx, inj, err)) {
    return;
  }
  fs.do_write_file(np, data, err);
  explain_missing_parent(err);
  if (err) {
    refused(hook, ctx, err);
  } else {
    hook->after_transfer(ctx, inj, nullptr, data.size());
  }
}
}  // namespace body
}  // namespace

void FileSystem::write_file(std::string_view path, std::string_view data) {
  run_throwing("write_file", path, {}, [&](ErrorInfo& e) {
    body::write_file(backend_of(*this), path, data, e);
  });
}
void FileSystem::write_file(std::string_view path, std::string_view data,
                            std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::write_file(backend_of(*this), path, data, e);
  });
}

namespace {
namespace body {
void resize_file(Backend& fs, std::string_view path, std::uint64_t size,
                 ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  const OpContext ctx = op_context(Op::truncate, np.value, {}, {0, size, 0});
  if (!consult(hook, ctx, err)) return;
  fs.do_resize_file(np, size, err);
  refused(hook, ctx, err);
}
}  // namespace body
}  // namespace

void FileSystem::resize_file(std::string_view path, std::uint64_t size) {
  run_throwing("resize_file", path, {}, [&](ErrorInfo& e) {
    body::resize_file(backend_of(*this), path, size, e);
  });
}
void FileSystem::resize_file(std::string_view path, std::uint64_t size,
                             std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::resize_file(backend_of(*this), path, size, e);
  });
}

namespace {
namespace body {
void sync_directory(Backend& fs, std::string_view path, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  const OpContext ctx = op_context(Op::sync, np.value);
  if (!consult(hook, ctx, err)) return;
  fs.do_sync_directory(np, err);
  refused(hook, ctx, err);
}
}  // namespace body
}  // namespace

void FileSystem::sync_directory(std::string_view path) {
  run_throwing("sync_directory", path, {}, [&](ErrorInfo& e) {
    body::sync_directory(backend_of(*this), path, e);
  });
}
void FileSystem::sync_directory(std::string_view path,
                                std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::sync_directory(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
void set_modified(Backend& fs, std::string_view path,
                  std::chrono::system_clock::time_point time, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  const OpContext ctx = op_context(Op::write, np.value);
  if (!consult(hook, ctx, err)) return;
  fs.do_set_modified(np, time, err);
  refused(hook, ctx, err);
}
}  // namespace body
}  // namespace

void FileSystem::set_modified(std::string_view path,
                              std::chrono::system_clock::time_point time) {
  run_throwing("set_modified", path, {}, [&](ErrorInfo& e) {
    body::set_modified(backend_of(*this), path, time, e);
  });
}
void FileSystem::set_modified(std::string_view path,
                              std::chrono::system_clock::time_point time,
                              std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::set_modified(backend_of(*this), path, time, e);
  });
}

}  // namespace memfs
