// Mount table, path classification, descriptor table, current directory,
// errno translation.
#include "state.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "memfs/intercept.hpp"
#include "real.hpp"

namespace memfs::idetail {

std::atomic<int> g_active{0};
std::atomic<std::uint8_t> g_fd_state[kMaxFd];
std::atomic<Desc*> g_descs[kMaxFd];
std::mutex g_fd_mutex;

namespace {

// The highest number ever given a description: an unmount scans no further
// (65,536 slots would cost every mount's end ~2M instructions).
std::atomic<int> g_fd_high{-1};

void note_mapped(int fd) noexcept {
  int high = g_fd_high.load(std::memory_order_relaxed);
  while (fd > high &&
         !g_fd_high.compare_exchange_weak(high, fd, std::memory_order_release,
                                          std::memory_order_relaxed)) {
  }
}

struct MountTable {
  std::vector<std::shared_ptr<MountState>> mounts;
  // mounts[i]->host, flat: the pass-through test compares paths with these
  // without following a pointer per mount.
  std::vector<std::string_view> hosts;
  // The snapshot this one replaced. Readers may still hold it, so it is
  // kept (and reachable, so leak checkers agree) for the process's life.
  const MountTable* previous = nullptr;

  void index_hosts() {
    hosts.clear();
    for (const auto& m : mounts) hosts.emplace_back(m->host);
  }
};

std::mutex g_mount_mutex;                         // guards table changes
std::atomic<const MountTable*> g_table{nullptr};  // current snapshot
std::uint64_t g_next_mount_id = 1;                // under g_mount_mutex

// Appends `s` to buf (length len); false when it does not fit.
bool append(char* buf, std::size_t& len, const char* s, std::size_t n) {
  if (len + n >= kPathMax) return false;
  std::memcpy(buf + len, s, n);
  len += n;
  buf[len] = '\0';
  return true;
}

// Cleans the absolute path in buf in place: "//" and "." vanish, ".." drops
// the previous component (never above "/"). Returns the new length and sets
// `dir_only` when the text ended in "/", "/." or "/..".
std::size_t clean(char* buf, std::size_t len, bool& dir_only) {
  std::size_t out = 0;  // buf[0..out) is the cleaned prefix, no trailing '/'
  std::size_t i = 0;
  dir_only = false;
  while (i < len) {
    while (i < len && buf[i] == '/') ++i;
    std::size_t start = i;
    while (i < len && buf[i] != '/') ++i;
    std::size_t n = i - start;
    if (n == 0) {
      dir_only = true;  // trailing slash
      break;
    }
    dir_only = false;
    if (n == 1 && buf[start] == '.') {
      dir_only = true;
      continue;
    }
    if (n == 2 && buf[start] == '.' && buf[start + 1] == '.') {
      while (out > 0 && buf[out - 1] != '/') --out;
      if (out > 0) --out;
      dir_only = true;
      continue;
    }
    buf[out++] = '/';
    std::memmove(buf + out, buf + start, n);
    out += n;
  }
  if (out == 0) buf[out++] = '/';
  buf[out] = '\0';
  return out;
}

// True when a component of `path` is longer than NAME_MAX.
bool too_long_component(const char* path) {
  std::size_t run = 0;
  for (const char* p = path; *p; ++p) {
    run = *p == '/' ? 0 : run + 1;
    if (run > NAME_MAX) return true;
  }
  return false;
}

// The host directory a memfs descriptor stands for, into buf.
int desc_base(int dirfd, char* buf, std::size_t& len) {
  DescRef d = lookup_fd(dirfd);
  if (!d) return is_parked(dirfd) ? fail_errno(EBADF) : 0;
  if (!d->is_dir) return fail_errno(ENOTDIR);
  if (d->stale) return fail_errno(ESTALE);
  const std::string& host = d->mount->host;
  len = 0;
  if (!append(buf, len, host.data(), host.size())) return 0;
  if (d->path.size() > 1 && !append(buf, len, d->path.data(), d->path.size()))
    return 0;
  return 1;
}

}  // namespace

namespace {

// True when `path` is absolute and already clean: no "//", no "." or ".."
// component. Such a path is on a mount iff it starts with the mount's
// directory, so it can be classified without being copied. `len` is
// strlen(path). Every wrapper on a path off the mounts runs this while a
// mount is alive: 16 bytes at a time look for a '/' followed by '/' or '.'
// (the only places a path can be unclean), and only such a place is looked
// at closely.
[[gnu::always_inline]] inline bool clean_absolute(const char* path,
                                                  std::size_t len) noexcept {
  if (path[0] != '/') return false;
  auto unclean_at = [path](std::size_t i) {  // path[i] == '/'
    const char* p = path + i;
    if (p[1] == '/') return true;
    return p[1] == '.' && (p[2] == '\0' || p[2] == '/' ||
                           (p[2] == '.' && (p[3] == '\0' || p[3] == '/')));
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('/');
  const __m128i dot = _mm_set1_epi8('.');
  // path[i + 16] is at most the terminating NUL: both loads stay inside.
  for (; i + 16 <= len; i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(path + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(path + i + 1));
    __m128i hit = _mm_and_si128(
        _mm_cmpeq_epi8(a, slash),
        _mm_or_si128(_mm_cmpeq_epi8(b, slash), _mm_cmpeq_epi8(b, dot)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    for (; mask != 0; mask &= mask - 1)
      if (unclean_at(i + static_cast<unsigned>(__builtin_ctz(mask))))
        return false;
  }
#endif
  for (; i < len; ++i)
    if (path[i] == '/' && unclean_at(i)) return false;
  return true;
}

// True when the clean absolute `path` (length len) is `host` or below it.
bool under(const char* path, std::size_t len, std::string_view host) noexcept {
  return len >= host.size() &&
         std::memcmp(path, host.data(), host.size()) == 0 &&
         (len == host.size() || path[host.size()] == '/');
}

// match_clean's answers besides a mount's index.
constexpr int kOffMounts = -1;  // clean, and on no mount
constexpr int kUnclean = -2;    // not clean: resolve() must clean it first

// For an absolute path: the index in table.hosts of the mount it is on,
// kOffMounts or kUnclean; `len` is set to strlen(path).
int match_clean(const MountTable& table, const char* path,
                std::size_t& len) noexcept {
  len = std::strlen(path);
  // A path that starts with a mount's directory (clean, and mounts do not
  // overlap) is clean when what follows it is: only that part is scanned.
  for (std::size_t i = 0; i < table.hosts.size(); ++i) {
    const std::size_t h = table.hosts[i].size();
    if (under(path, len, table.hosts[i]))
      return h == len || clean_absolute(path + h, len - h) ? static_cast<int>(i)
                                                           : kUnclean;
  }
  return clean_absolute(path, len) ? kOffMounts : kUnclean;
}

}  // namespace

int absolute_path(int dirfd, const char* path, bool dirfd_ours, char* buf,
                  std::size_t& len, bool& dir_only) noexcept {
  len = 0;
  if (path[0] != '/') {
    const std::string* vcwd =
        dirfd == AT_FDCWD ? g_cwd.load(std::memory_order_acquire) : nullptr;
    if (vcwd != nullptr) {  // a current directory on a mount
      if (!append(buf, len, vcwd->data(), vcwd->size())) return 0;
    } else if (dirfd_ours) {
      int r = desc_base(dirfd, buf, len);
      if (r <= 0) return r;
    } else if (dirfd == AT_FDCWD) {
      if (MEMFS_PASS(getcwd, buf, kPathMax) == nullptr) return 0;
      len = std::strlen(buf);
    } else {
      char link[32];
      std::snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
      ssize_t n = MEMFS_PASS(readlink, link, buf, kPathMax - 1);
      if (n <= 0 || buf[0] != '/') return 0;
      len = static_cast<std::size_t>(n);
      buf[len] = '\0';
    }
    if (!append(buf, len, "/", 1)) return 0;
  }
  if (!append(buf, len, path, std::strlen(path))) return 0;
  len = clean(buf, len, dir_only);
  return 1;
}

int resolve(int dirfd, const char* path, Target& out) noexcept {
  const MountTable* table = g_table.load(std::memory_order_acquire);
  if (path == nullptr) return 0;
  bool dirfd_ours = path[0] != '/' && dirfd != AT_FDCWD && is_ours(dirfd);
  // A relative path from a current directory on a mount is resolved against
  // it, like one relative to a memfs directory descriptor.
  dirfd_ours = dirfd_ours || (path[0] != '/' && dirfd == AT_FDCWD &&
                              g_cwd.load(std::memory_order_acquire) != nullptr);
  if ((table == nullptr || table->mounts.empty()) && !dirfd_ours) return 0;
  if (path[0] == '\0') return dirfd_ours ? fail_errno(ENOENT) : 0;
  // The common cases: a clean absolute path is classified, and one on a
  // mount taken as it is, without a copy or cleaning.
  if (table != nullptr && path[0] == '/') {
    std::size_t plen = 0;
    const int at = match_clean(*table, path, plen);
    if (at == kOffMounts) return 0;
    if (at != kUnclean) {
      const auto i = static_cast<std::size_t>(at);
      std::string_view h = table->hosts[i];
      if (plen >= PATH_MAX || (plen > NAME_MAX && too_long_component(path)))
        return fail_errno(ENAMETOOLONG);
      out.mount = table->mounts[i].get();
      out.path = plen == h.size()
                     ? std::string_view("/", 1)
                     : std::string_view(path + h.size(), plen - h.size());
      return 1;
    }
  }

  char buf[kPathMax];
  std::size_t len = 0;
  bool dir_only = false;
  int made = absolute_path(dirfd, path, dirfd_ours, buf, len, dir_only);
  if (made <= 0) return made;
  if (table != nullptr) {
    for (const auto& m : table->mounts) {
      const std::string& h = m->host;
      if (len < h.size() || std::memcmp(buf, h.data(), h.size()) != 0 ||
          (len > h.size() && buf[h.size()] != '/'))
        continue;
      // The kernel's limits on the string it is given.
      if (std::strlen(path) >= PATH_MAX || too_long_component(path))
        return fail_errno(ENAMETOOLONG);
      try {
        out.mount = m.get();
        out.own.assign(len > h.size() ? buf + h.size() : "/");
        if (dir_only && out.own.size() > 1) out.own.push_back('/');
      } catch (...) {
        return fail_errno(ENOMEM);
      }
      out.path = out.own;
      return 1;
    }
  }
  if (!dirfd_ours) return 0;
  try {
    out.own.assign(buf, len);
    if (dir_only && len > 1) out.own.push_back('/');
  } catch (...) {
    return fail_errno(ENOMEM);
  }
  out.path = out.own;
  return 2;
}

bool any_mount() noexcept {
  const MountTable* table = g_table.load(std::memory_order_acquire);
  return table != nullptr && !table->mounts.empty();
}

std::string host_path(const Target& t) {
  std::string host = t.mount->host;
  if (t.path != "/") host.append(t.path);
  return host;
}

// --- current directory on a mount
// ----------------------------------------------

std::atomic<const std::string*> g_cwd{nullptr};

namespace {

std::mutex g_cwd_mutex;  // guards changes of g_cwd and g_cwd_kept
// Every current directory ever set: readers may still hold one, so they are
// kept (reachable, for leak checkers) for the process's life.
std::vector<std::unique_ptr<std::string>>* g_cwd_kept = nullptr;

// Points the kernel's current directory at a directory that no longer
// exists, so that what bypasses the wrappers (raw syscall, a relative path
// handed to an exec'd program) fails with ENOENT instead of touching the
// directory the program was in before. Best effort: on failure the real
// current directory stays where it was.
void park_kernel_cwd() {
  char dir[] = "/tmp/memfs-cwd-XXXXXX";
  if (MEMFS_PASS(mkdtemp, dir) == nullptr) return;
  MEMFS_PASS(chdir, dir);
  MEMFS_PASS(rmdir, dir);
}

}  // namespace

void enter_cwd(std::string host) {
  std::lock_guard<std::mutex> lock(g_cwd_mutex);
  if (g_cwd_kept == nullptr)
    g_cwd_kept = new std::vector<std::unique_ptr<std::string>>();
  g_cwd_kept->push_back(std::make_unique<std::string>(std::move(host)));
  const std::string* old =
      g_cwd.exchange(g_cwd_kept->back().get(), std::memory_order_acq_rel);
  if (old == nullptr) {
    g_active.fetch_add(1);
    park_kernel_cwd();
  }
}

void leave_cwd() noexcept {
  if (g_cwd.load(std::memory_order_acquire) == nullptr) return;
  std::lock_guard<std::mutex> lock(g_cwd_mutex);
  if (g_cwd.exchange(nullptr, std::memory_order_acq_rel) != nullptr)
    g_active.fetch_sub(1);
}

// --- descriptors -------------------------------------------------------------

namespace {

// Free descriptions. Every description ever made stays reachable from
// g_all_descs (they are recycled, never freed: see Desc::refs), so leak
// checkers agree. A thread keeps the last one it freed for its next open.
std::mutex g_pool_mutex;
Desc* g_free_descs = nullptr;               // under g_pool_mutex
std::vector<Desc*>* g_all_descs = nullptr;  // under g_pool_mutex
thread_local Desc* t_spare_desc __attribute__((tls_model("initial-exec"))) =
    nullptr;

}  // namespace

DescRef make_desc() {
  Desc* d = std::exchange(t_spare_desc, nullptr);
  if (d == nullptr) {
    std::lock_guard<std::mutex> lock(g_pool_mutex);
    if (g_free_descs != nullptr) {
      d = std::exchange(g_free_descs, g_free_descs->next_free);
    } else {
      if (g_all_descs == nullptr) g_all_descs = new std::vector<Desc*>();
      g_all_descs->reserve(g_all_descs->size() + 1);
      d = new Desc();
      g_all_descs->push_back(d);
    }
  }
  d->refs.store(1, std::memory_order_relaxed);
  return DescRef(d);
}

namespace {

// Closes and resets the description `d`, whose last reference is gone and
// whose lock nobody holds for a call on it (see DescLock::free_or_hand_over),
// then returns it to the pool.
void recycle(Desc* d, std::error_code* ec) noexcept {
  tsan_acquire(d);
  std::error_code e;
  d->file.close(e);  // closed already (stale): nothing, no error
  if (ec != nullptr && !d->stale) *ec = e;
  d->mount = nullptr;
  d->path.clear();  // keeps its capacity for the next open
  d->id = 0;
  d->is_dir = false;
  d->flags = 0;
  d->offset = 0;
  d->lock.reset();
  d->stale = false;
  tsan_release(d);
  if (t_spare_desc == nullptr) {
    t_spare_desc = d;
    return;
  }
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  d->next_free = g_free_descs;
  g_free_descs = d;
}

}  // namespace

bool release_desc(Desc* d, std::error_code* ec) noexcept {
  tsan_release(d);
  if (fetch_sub_st(d->refs, 1u, std::memory_order_acq_rel) != 1) return false;
  // The last reference: only a call that read d from the table before it
  // was unmapped can still reach it (lock_fd). The one holding its lock
  // finishes the release when it unlocks.
  tsan_acquire(d);
  if (d->mu.free_or_hand_over()) recycle(d, ec);
  return true;
}

void finish_release(Desc* d) noexcept { recycle(d, nullptr); }

DescRef lookup_fd(int fd) {
  if (!is_ours(fd)) return {};
  for (;;) {
    Desc* d = g_descs[fd].load(std::memory_order_acquire);
    if (d == nullptr) return {};
    // Count a reference unless the count is at zero (the description is
    // being recycled: the table no longer maps fd to it; look again).
    unsigned n = d->refs.load(std::memory_order_acquire);
    while (n != 0 &&
           !d->refs.compare_exchange_weak(n, n + 1, std::memory_order_acquire,
                                          std::memory_order_acquire)) {
    }
    if (n == 0) continue;
    // Recycled and given to another descriptor in between: not ours.
    if (g_descs[fd].load(std::memory_order_acquire) == d) {
      tsan_acquire(d);
      return DescRef(d);
    }
    release_desc(d);
  }
}

bool map_fd_locked(int fd, DescRef desc) {
  if (fd < 0 || fd >= kMaxFd) return false;
  note_mapped(fd);
  tsan_release(desc.get());
  Desc* old = g_descs[fd].exchange(desc.release(), std::memory_order_acq_rel);
  if (old != nullptr) release_desc(old);
  // A parked number taken from the pool is counted already.
  if (g_fd_state[fd].exchange(kFdOurs) == kFdFree) g_active.fetch_add(1);
  return true;
}

void map_taken(int fd, DescRef desc) noexcept {
  // Its thread owns the number (out of the pool, still kFdParked): plain
  // stores, and it counts in g_active already.
  note_mapped(fd);
  tsan_release(desc.get());
  g_descs[fd].store(desc.release(), std::memory_order_release);
  g_fd_state[fd].store(kFdOurs, std::memory_order_release);
}

Desc* take_desc_locked(int fd) noexcept {
  // The caller owns fd (kFdBusy), and lookup_fd only reads the slot: no
  // atomic exchange needed.
  Desc* d = g_descs[fd].load(std::memory_order_acquire);
  g_descs[fd].store(nullptr, std::memory_order_release);
  return d;
}

int close_placeholder(int fd) noexcept { return MEMFS_PASS(close, fd); }

void detach_mount(const MountState& mount) {
  std::vector<DescRef> mine;
  {
    std::lock_guard<std::mutex> lock(g_fd_mutex);
    const int high = g_fd_high.load(std::memory_order_acquire);
    for (int fd = 0; fd <= high; ++fd) {
      if (g_fd_state[fd].load(std::memory_order_relaxed) != kFdOurs) continue;
      DescRef d = lookup_fd(fd);
      if (d && d->mount == &mount) mine.push_back(std::move(d));
    }
  }
  for (auto& d : mine) {
    d->mu.lock();
    tsan_acquire(d.get());
    std::error_code ec;
    d->file.close(ec);
    d->stale = true;
    unlock_desc(d.get());  // (never handed over: `mine` holds a reference)
  }
}

// --- errors
// --------------------------------------------------------------------

int to_errno(const std::error_code& ec) noexcept {
  if (!ec) return 0;
  if (ec.category() == memfs_category()) {
    switch (static_cast<memfs::errc>(ec.value())) {
      case memfs::errc::quota_exceeded:
      case memfs::errc::node_limit_exceeded:
        return ENOSPC;
      case memfs::errc::lock_timeout:
        return EAGAIN;
      case memfs::errc::memory_guard:
        return ENOMEM;
      case memfs::errc::injected_fault:
        return EIO;
    }
    return EIO;
  }
  std::error_condition cond = ec.default_error_condition();
  if (cond.category() == std::generic_category()) return cond.value();
  return EIO;
}

}  // namespace memfs::idetail

// --- memfs::Mount
// ------------------------------------------------------------------

namespace memfs {

using idetail::g_active;
using idetail::g_mount_mutex;
using idetail::g_table;
using idetail::MountTable;

Mount::Mount(FileSystem& fs, std::string_view host_dir) {
  if (host_dir.empty() || host_dir.front() != '/' ||
      host_dir.find('\0') != std::string_view::npos ||
      host_dir.size() >= idetail::kPathMax)
    throw filesystem_error("mount", "the mount directory must be absolute",
                           host_dir,
                           make_error_code(std::errc::invalid_argument));
  char buf[idetail::kPathMax];
  std::memcpy(buf, host_dir.data(), host_dir.size());
  bool dir_only = false;
  std::size_t len = idetail::clean(buf, host_dir.size(), dir_only);
  std::string host(buf, len);
  if (host == "/")
    throw filesystem_error("mount", "cannot mount on the root directory",
                           host_dir,
                           make_error_code(std::errc::invalid_argument));

  std::lock_guard<std::mutex> lock(g_mount_mutex);
  const MountTable* old = g_table.load(std::memory_order_acquire);
  auto next = std::make_unique<MountTable>();
  if (old != nullptr) next->mounts = old->mounts;
  next->previous = old;
  for (const auto& m : next->mounts)
    if (is_within(m->host, host) || is_within(host, m->host))
      throw filesystem_error(
          "mount", "overlaps an existing mount", host, m->host,
          make_error_code(std::errc::device_or_resource_busy));
  state_ = std::make_shared<detail::MountState>();
  state_->fs = &fs;
  state_->host = std::move(host);
  state_->id = idetail::g_next_mount_id++;
  next->mounts.push_back(state_);
  next->index_hosts();
  g_table.store(next.release(), std::memory_order_release);
  g_active.fetch_add(1);
}

void Mount::unmount() noexcept {
  if (!state_) return;
  {
    std::lock_guard<std::mutex> lock(g_mount_mutex);
    const MountTable* old = g_table.load(std::memory_order_acquire);
    auto* next = new MountTable();
    next->previous = old;
    for (const auto& m : old->mounts)
      if (m != state_) next->mounts.push_back(m);
    next->index_hosts();
    g_table.store(next, std::memory_order_release);
    g_active.fetch_sub(1);
  }
  idetail::detach_mount(*state_);
  // The parked placeholders are for later opens on a mount: none can come.
  if (!idetail::any_mount()) idetail::release_parked();
  state_.reset();
}

Mount::~Mount() { unmount(); }

Mount::Mount(Mount&& other) noexcept : state_(std::move(other.state_)) {}

Mount& Mount::operator=(Mount&& other) noexcept {
  if (this != &other) {
    unmount();
    state_ = std::move(other.state_);
  }
  return *this;
}

const std::string& Mount::host_dir() const noexcept { return state_->host; }
FileSystem& Mount::file_system() const noexcept { return *state_->fs; }

}  // namespace memfs
