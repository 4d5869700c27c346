// FileSystem's namespace changes: create_directory / create_directories,
// remove, remove_all, rename, copy_file / copy. Each operation's body and its
// two public forms (api/invoke.hpp) sit side by side.
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
using std::filesystem::copy_options;
}  // namespace

namespace {
namespace body {
bool create_directory(Backend& fs, std::string_view path, bool parents,
                      ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(path, np, err)) return false;
  if (np.is_root()) return false;
  if (!consult(fs.active_hook(), op_context(Op::create, np.value), err))
    return false;
  if (parents) return fs.do_create_directories(np, err);
  const bool created = fs.do_create_directory(np, err);
  explain_missing_parent(err);
  return created;
}
}  // namespace body
}  // namespace

bool FileSystem::create_directory(std::string_view path) {
  return run_throwing("create_directory", path, {}, [&](ErrorInfo& e) {
    return body::create_directory(backend_of(*this), path, false, e);
  });
}
bool FileSystem::create_directory(std::string_view path,
                                  std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::create_directory(backend_of(*this), path, false, e);
  });
}
bool FileSystem::create_directories(std::string_view path) {
  return run_throwing("create_directories", path, {}, [&](ErrorInfo& e) {
    return body::create_directory(backend_of(*this), path, true, e);
  });
}
bool FileSystem::create_directories(std::string_view path,
                                    std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::create_directory(backend_of(*this), path, true, e);
  });
}

namespace {
namespace body {
bool remove(Backend& fs, std::string_view path, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err) || refuse_root(np, err)) return false;
  if (!consult(fs.active_hook(), op_context(Op::remove, np.value), err))
    return false;
  return fs.do_remove(np, err);
}
}  // namespace body
}  // namespace

bool FileSystem::remove(std::string_view path) {
  return run_throwing("remove", path, {}, [&](ErrorInfo& e) {
    return body::remove(backend_of(*this), path, e);
  });
}
bool FileSystem::remove(std::string_view path, std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::remove(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
std::uint64_t remove_all(Backend& fs, std::string_view path, ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(path, np, err) || refuse_root(np, err)) return 0;
  if (!consult(fs.active_hook(), op_context(Op::remove, np.value), err))
    return 0;
  return fs.do_remove_all(np, err);
}
}  // namespace body
}  // namespace

std::uint64_t FileSystem::remove_all(std::string_view path) {
  return run_throwing("remove_all", path, {}, [&](ErrorInfo& e) {
    return body::remove_all(backend_of(*this), path, e);
  });
}
std::uint64_t FileSystem::remove_all(std::string_view path,
                                     std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::remove_all(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
void rename(Backend& fs, std::string_view from, std::string_view to,
            ErrorInfo& err) {
  NormalizedPath a, b;
  if (!normalize(from, a, err) || !normalize(to, b, err)) return;
  if (refuse_root(a, err) || refuse_root(b, err)) return;
  if (!consult(fs.active_hook(), op_context(Op::rename, a.value, b.value), err))
    return;
  fs.do_rename(a, b, err);
}
}  // namespace body
}  // namespace

void FileSystem::rename(std::string_view from, std::string_view to) {
  run_throwing("rename", from, to, [&](ErrorInfo& e) {
    body::rename(backend_of(*this), from, to, e);
  });
}
void FileSystem::rename(std::string_view from, std::string_view to,
                        std::error_code& ec) noexcept {
  run_noexcept(
      ec, [&](ErrorInfo& e) { body::rename(backend_of(*this), from, to, e); });
}

namespace {
namespace body {
void exchange(Backend& fs, std::string_view first, std::string_view second,
              ErrorInfo& err) {
  NormalizedPath a, b;
  if (!normalize(first, a, err) || !normalize(second, b, err)) return;
  if (refuse_root(a, err) || refuse_root(b, err)) return;
  if (!consult(fs.active_hook(), op_context(Op::rename, a.value, b.value), err))
    return;
  fs.do_exchange(a, b, err);
}
}  // namespace body
}  // namespace

void FileSystem::exchange(std::string_view a, std::string_view b) {
  run_throwing("exchange", a, b, [&](ErrorInfo& e) {
    body::exchange(backend_of(*this), a, b, e);
  });
}
void FileSystem::exchange(std::string_view a, std::string_view b,
                          std::error_code& ec) noexcept {
  run_noexcept(
      ec, [&](ErrorInfo& e) { body::exchange(backend_of(*this), a, b, e); });
}

namespace {
namespace body {
bool copy(Backend& fs, std::string_view from, std::string_view to,
          std::filesystem::copy_options options, bool tree, ErrorInfo& err) {
  NormalizedPath a, b;
  if (!normalize(from, a, err) || !normalize(to, b, err)) return false;
  if (!consult(fs.active_hook(), op_context(Op::copy, a.value, b.value), err))
    return false;
  bool copied = false;
  const FileStatus st = tree ? fs.do_status(a, err) : FileStatus{};
  if (err) return false;
  if (st.is_directory()) {
    if (is_within(a.value, b.value)) {
      err.set(std::errc::invalid_argument);
      return false;
    }
    fs.do_copy_tree(a, b, options, err);
    copied = !err;
  } else {
    copied = fs.do_copy_file(a, b, options, err);
  }
  refused(fs.active_hook(), op_context(Op::copy, a.value, b.value), err);
  return copied;
}
}  // namespace body
}  // namespace

bool FileSystem::copy_file(std::string_view from, std::string_view to,
                           copy_options options) {
  return run_throwing("copy_file", from, to, [&](ErrorInfo& e) {
    return body::copy(backend_of(*this), from, to, options, false, e);
  });
}
bool FileSystem::copy_file(std::string_view from, std::string_view to,
                           copy_options options, std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::copy(backend_of(*this), from, to, options, false, e);
  });
}
void FileSystem::copy(std::string_view from, std::string_view to,
                      copy_options options) {
  run_throwing("copy", from, to, [&](ErrorInfo& e) {
    body::copy(backend_of(*this), from, to, options, true, e);
  });
}
void FileSystem::copy(std::string_view from, std::string_view to,
                      copy_options options, std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::copy(backend_of(*this), from, to, options, true, e);
  });
}

}  // namespace memfs
