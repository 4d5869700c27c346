// Internal state of the interception layer: the mount table, path
// classification, the descriptor table and errno translation.
//
// Invariants that make the pass-through path cheap and safe:
//   - g_active counts mounts plus memfs descriptors; while it is zero every
//     wrapper forwards at once (one relaxed atomic load).
//   - The mount table is an immutable snapshot behind an atomic pointer;
//     writers build a new one under g_mount_mutex and swap it in. Old
//     snapshots are never freed (readers may still hold them; a mount change
//     costs a few bytes for the rest of the process).
//   - A descriptor is ours iff g_fd_state[fd] is not kFdFree. Its state
//     moves by atomic claims (placeholders.cpp): whoever moves it out of
//     kFdOurs (a CAS to kFdBusy) or takes its bit out of the parked pool
//     owns the number until it stores the next state, so two threads never
//     map, park or close one number at once. Every change of the kernel's
//     descriptor numbering done on our behalf (open of a new placeholder,
//     close of one, dup) happens under g_fd_mutex, and such a change is made
//     only to a number its thread owns, so a number is never mapped while the
//     kernel gives it to someone else. The common open and close (a parked
//     number taken, a closed one parked) make no system call and take no
//     lock. A call on the descriptor reads it without the lock, and holds
//     the description's own lock, which pins it (lock_fd, Desc::refs).
//   - A parked descriptor (kFdParked) is a memfs descriptor the program
//     closed whose placeholder is kept open for the next mounted open
//     (placeholders.cpp): it has no description, so every wrapper answers
//     EBADF for it as for a closed number. Parked numbers count in
//     g_active; they are released before the kernel picks a number for the
//     program (release_parked) and when the last mount goes.
//   - Nothing here has a destructor that runs at exit: wrappers are called
//     from other objects' destructors after main returns.
#pragma once

#include <limits.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "desc_lock.hpp"
#include "memfs/file_system.hpp"
#include "shared/single_threaded.hpp"

namespace memfs::detail {

/// One mount: the filesystem and the host directory it answers for. Never
/// freed: every snapshot of the mount table is kept for the process's life
/// (state.cpp) and holds its mounts, so targets and descriptions point to
/// one without counting (after unmount, `fs` is gone: descriptions are
/// marked stale).
struct MountState {
  FileSystem* fs = nullptr;
  /// Cleaned absolute host directory, no trailing slash.
  std::string host;
  /// Distinct per mount; reported as st_dev.
  std::uint64_t id = 0;

  /// Permission bits set through intercepted calls (creating open, mkdir,
  /// chmod), by normalized path inside the filesystem; memfs itself stores
  /// none. Paths without an entry report 0644 (files) or 0755
  /// (directories). Entries follow intercepted renames and removals; a path
  /// removed and re-created behind the mount's back keeps its old entry.
  std::mutex modes_mutex;
  std::unordered_map<std::string, unsigned> modes;  // under modes_mutex
  /// False while no bits were ever recorded: modes is empty, and readers
  /// need not take the lock.
  std::atomic<bool> any_modes{false};
};

}  // namespace memfs::detail

namespace memfs::idetail {

using detail::MountState;

/// While the process has never had a second thread (single_threaded(), see
/// shared/single_threaded.hpp), the common open, call and close on a memfs
/// descriptor use plain loads and stores where atomic read-modify-writes
/// guard against other threads. (Served calls were never
/// async-signal-safe: memfs takes locks.)
using detail::fetch_and_st;
using detail::fetch_or_st;
using detail::fetch_sub_st;
using detail::single_threaded;

/// Mounts + memfs descriptors currently alive. Zero: everything passes.
extern std::atomic<int> g_active;
inline bool active() noexcept {
  return g_active.load(std::memory_order_relaxed) != 0;
}

/// A path on a mount: the mount and the path inside its filesystem (with a
/// trailing "/" kept when the caller's path ended in "/", "/." or "/..").
/// Not copyable: `path` may view `own`.
struct Target {
  /// Never freed (see MountState): a plain pointer, no count to move.
  MountState* mount = nullptr;
  /// A view of the caller's string when that was clean and absolute (the
  /// common case: nothing is built), else of `own`. Valid for the call.
  std::string_view path;
  /// The path made when the caller's had to be cleaned or made absolute
  /// (resolve() returning 2: the host path to forward, NUL-terminated).
  std::string own;

  Target() = default;
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;
  [[nodiscard]] FileSystem& fs() const noexcept { return *mount->fs; }
};

/// Classifies `path` as given to an *at call on `dirfd` (AT_FDCWD for plain
/// calls). Returns 1 and fills `out` when it is on a mount, 0 when it is not
/// (the caller forwards the call unchanged), 2 when it is relative to a
/// memfs directory descriptor, or to the current directory on a mount
/// (g_cwd), but leads off the mount through ".." (out.path is then the
/// absolute host path to forward, with AT_FDCWD: the kernel cannot resolve
/// against a placeholder), -1 with errno set when it cannot be served
/// (ENOTDIR, ENOENT, ESTALE). Allocates only for a path on a mount that had
/// to be cleaned or made absolute (out.own).
int resolve(int dirfd, const char* path, Target& out) noexcept;

/// Room for any path absolute_path() makes.
inline constexpr std::size_t kPathMax = 2 * PATH_MAX;
/// Makes `path`, as given to an *at call on `dirfd` (`dirfd_ours`: a memfs
/// directory descriptor), absolute and clean in buf (kPathMax bytes): its
/// length in `len`, `dir_only` set when it ended in "/", "/." or "/..".
/// Returns 1, 0 when it cannot be made (too long, no current directory, a
/// descriptor that is no directory), -1 with errno for a bad memfs
/// descriptor. Never allocates.
int absolute_path(int dirfd, const char* path, bool dirfd_ours, char* buf,
                  std::size_t& len, bool& dir_only) noexcept;

/// The host path of a target ("/mnt" + "/a/b").
[[nodiscard]] std::string host_path(const Target& t);

// --- current directory -------------------------------------------------------

/// The current directory while it is on a mount (chdir/fchdir into one): its
/// cleaned absolute host path, against which resolve() takes relative paths
/// given with AT_FDCWD; null while the process's real one applies. The
/// kernel's own current directory then is a removed directory (relative
/// paths that bypass the wrappers fail with ENOENT). Counts in g_active.
extern std::atomic<const std::string*> g_cwd;
/// Makes `host` (cleaned, absolute, a directory on a mount) current.
void enter_cwd(std::string host);
/// Back to the real current directory (after a real chdir/fchdir succeeded).
void leave_cwd() noexcept;

// --- permission bits (see MountState::modes) ---------------------------------

/// What a path without recorded bits reports.
inline constexpr unsigned kDefaultFileMode = 0644;
inline constexpr unsigned kDefaultDirMode = 0755;
/// The permission bits of `path` (normalized), or the default.
[[nodiscard]] unsigned mode_of(MountState& m, std::string_view path, bool dir);
/// True when bits are recorded for `path` (normalized).
[[nodiscard]] bool has_mode(MountState& m, std::string_view path);
/// Records `perm` (07777 bits) for `path`.
void set_mode(MountState& m, std::string_view path, unsigned perm);
/// `requested` less the process umask, as creat/mkdir apply it. The umask
/// is read once, then followed through the umask wrapper (state.cpp).
[[nodiscard]] unsigned creation_mode(unsigned requested) noexcept;
/// After a removal (forget) or a rename (move, subtree included).
void forget_mode(MountState& m, const std::string& path);
void move_modes(MountState& m, const std::string& from, const std::string& to);
/// After an exchange: the entries at and below `a` and `b` trade places.
void swap_modes(MountState& m, const std::string& a, const std::string& b);

// --- descriptors
// ---------------------------------------------------------------

/// An open file description on a mount, shared by descriptors made with dup.
struct Desc {
  /// Never freed (see MountState).
  MountState* mount = nullptr;
  /// Guards everything below (lock_fd, unlock_desc).
  DescLock mu;
  /// The open file (regular files only).
  File file;
  /// A directory's path inside the filesystem at open time (a file's is
  /// its File's: name()).
  std::string path;
  /// FileStatus::id of a directory opened (a file's is its File's:
  /// node_id()).
  std::uint64_t id = 0;
  bool is_dir = false;
  /// O_ACCMODE bits plus the status flags F_GETFL reports (O_APPEND, ...).
  int flags = 0;
  std::uint64_t offset = 0;
  /// The memfs lock this description holds (flock, fcntl record locks).
  std::optional<LockMode> lock;
  /// Set when the mount went away; every later call fails with ESTALE.
  bool stale = false;

  /// One per descriptor mapped to it and one per DescRef. Descriptions are
  /// recycled, never freed, so lookup_fd can count a reference on one it
  /// read from the table without a lock: it only counts one that is not at
  /// zero, then checks the table still maps the descriptor to it (else it
  /// drops the count and looks again). The last reference dropped closes
  /// the file and returns the description to the pool when no call holds
  /// `mu`; when a call holds it (lock_fd), that call's unlock_desc does it
  /// (DescLock::free_or_hand_over).
  std::atomic<unsigned> refs{0};
  /// The pool's link (state.cpp), while the description is free.
  Desc* next_free = nullptr;

  /// The path inside the filesystem at open time. A file's is not copied at
  /// open: its File keeps it.
  [[nodiscard]] const std::string& name() const noexcept {
    return is_dir ? path : file.path();
  }
  /// FileStatus::id of the node opened (0 when the backend has none): the
  /// inode number, and how fstat tells the file still at name() from one
  /// that replaced it.
  [[nodiscard]] std::uint64_t node_id() const noexcept {
    return is_dir ? id : file.id();
  }
};

/// Drops one reference to `d`; when it was the last, closes its file (the
/// error in *ec when ec is given, unless a call held `d` then: see
/// Desc::refs) and recycles it. True when it was.
bool release_desc(Desc* d, std::error_code* ec = nullptr) noexcept;
/// The release a call holding `d` was handed (see DescLock::unlock).
void finish_release(Desc* d) noexcept;

/// A counted reference to a description (see Desc::refs).
class DescRef {
 public:
  DescRef() noexcept = default;
  /// Takes over a reference already counted for `d`.
  explicit DescRef(Desc* d) noexcept : d_(d) {}
  DescRef(const DescRef& other) noexcept : d_(other.d_) {
    if (d_ != nullptr) d_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  DescRef(DescRef&& other) noexcept : d_(other.release()) {}
  DescRef& operator=(DescRef other) noexcept {
    std::swap(d_, other.d_);
    return *this;
  }
  ~DescRef() { reset(); }
  void reset() noexcept {
    if (d_ != nullptr) release_desc(release());
  }
  /// Gives up the reference without dropping it.
  Desc* release() noexcept { return std::exchange(d_, nullptr); }
  [[nodiscard]] Desc* get() const noexcept { return d_; }
  Desc* operator->() const noexcept { return d_; }
  Desc& operator*() const noexcept { return *d_; }
  explicit operator bool() const noexcept { return d_ != nullptr; }

 private:
  Desc* d_ = nullptr;
};

/// A reset description from the pool, with one reference (the caller's).
[[nodiscard]] DescRef make_desc();

inline constexpr int kMaxFd = 1 << 16;
/// g_fd_state values: not ours; a memfs descriptor; a parked one; one a
/// thread is closing or parking (for an instant: others wait for the end).
inline constexpr std::uint8_t kFdFree = 0;
inline constexpr std::uint8_t kFdOurs = 1;
inline constexpr std::uint8_t kFdParked = 2;
inline constexpr std::uint8_t kFdBusy = 3;
extern std::atomic<std::uint8_t> g_fd_state[kMaxFd];

/// True when the wrappers answer for `fd`: a memfs descriptor, or a parked
/// one (which they report closed). Lock-free.
inline bool is_ours(int fd) noexcept {
  return fd >= 0 && fd < kMaxFd &&
         g_fd_state[fd].load(std::memory_order_acquire) != kFdFree;
}
/// True when `fd` is parked: closed for the program, EBADF everywhere.
inline bool is_parked(int fd) noexcept {
  return fd >= 0 && fd < kMaxFd &&
         g_fd_state[fd].load(std::memory_order_acquire) == kFdParked;
}

// --- the pool of parked placeholders (placeholders.cpp) ----------------------

/// The pool: bit fd % 64 of word fd / 64 is set while fd is parked. Only
/// numbers below kParkFdLimit are parked (others are closed).
inline constexpr int kParkWords = 4;
inline constexpr int kParkFdLimit = 64 * kParkWords;
extern std::atomic<std::uint64_t> g_parked_bits[kParkWords];
/// True when some number is parked: what every forwarded open and close
/// asks, so a few loads and no branch per word.
inline bool any_parked() noexcept {
  static_assert(kParkWords == 4, "any_parked reads every word");
  constexpr auto kRelaxed = std::memory_order_relaxed;
  return (g_parked_bits[0].load(kRelaxed) | g_parked_bits[1].load(kRelaxed) |
          g_parked_bits[2].load(kRelaxed) | g_parked_bits[3].load(kRelaxed)) !=
         0;
}
/// The lowest parked number, INT_MAX when none is parked. Lock-free.
inline int parked_lowest() noexcept {
  for (int w = 0; w < kParkWords; ++w) {
    const std::uint64_t bits = g_parked_bits[w].load(std::memory_order_relaxed);
    if (bits != 0) return 64 * w + __builtin_ctzll(bits);
  }
  return INT_MAX;
}
/// Closes every parked placeholder, so that the kernel's next number is the
/// one POSIX gives. Takes g_fd_mutex.
void release_parked() noexcept;
/// release_parked, unless memfs itself is serving a call (t_depth).
void release_parked_for_program() noexcept;
/// Before a wrapper lets the kernel pick a descriptor number for the
/// program (a forwarded open, opendir, fopen, mkstemp, tmpfile, dup, ...):
/// the parked numbers must be free again. One relaxed load when none is
/// parked; memfs's own calls (t_depth) keep the pool.
inline void before_real_fd() noexcept {
  if (any_parked()) release_parked_for_program();
}
/// A descriptor `first` or above was closed in the kernel (close,
/// close_range, closefrom of a real one): a number below every parked one
/// may be free now, and POSIX gives the lowest to the next open.
inline void real_fd_closed(unsigned first) noexcept {
  // None parked: nothing to release (and no lock to take).
  if (!any_parked()) return;
  const int lowest = parked_lowest();
  if (lowest != INT_MAX && first < static_cast<unsigned>(lowest))
    release_parked();
}
/// Records the kernel's close-on-exec flag of a memfs descriptor changed by
/// a call passed to its placeholder (F_SETFD, FIOCLEX, FIONCLEX).
void note_cloexec(int fd, bool set) noexcept;
/// True when the program sees the close-on-exec flag of the memfs
/// descriptor `fd` clear while the kernel's is set (a parked number reused
/// by an open without O_CLOEXEC keeps it: placeholders.cpp).
[[nodiscard]] bool cloexec_hidden(int fd) noexcept;
/// The description behind a memfs descriptor, or null (parked included).
/// Lock-free.
[[nodiscard]] DescRef lookup_fd(int fd);
/// Descriptions by descriptor (state.cpp): each holds one reference.
/// Changed under g_fd_mutex or by the thread owning the number, read
/// without a lock.
extern std::atomic<Desc*> g_descs[kMaxFd];
/// The description behind the memfs descriptor `fd`, locked, or null
/// (parked included): what a call on a descriptor runs under. No reference
/// is counted: the lock pins the description (the table maps `fd` to it
/// once it is held, and its last reference's release waits for the lock or
/// is handed to its holder). unlock_desc ends it.
[[nodiscard]] inline Desc* lock_fd(int fd) noexcept {
  if (fd < 0 || fd >= kMaxFd) return nullptr;
  for (;;) {
    Desc* d = g_descs[fd].load(std::memory_order_acquire);
    if (d == nullptr) return nullptr;
    d->mu.lock();
    // Still fd's (else unmapped, or recycled to another number, meanwhile:
    // look again).
    if (g_descs[fd].load(std::memory_order_acquire) == d) {
      tsan_acquire(d);
      return d;
    }
    if (d->mu.unlock()) finish_release(d);
  }
}
/// The description behind `fd` for a call, unlocked, or null: what
/// lock_fd is while the process is single_threaded() (no other thread can
/// close or use it meanwhile).
[[nodiscard]] inline Desc* desc_of(int fd) noexcept {
  return fd >= 0 && fd < kMaxFd ? g_descs[fd].load(std::memory_order_relaxed)
                                : nullptr;
}
/// Unlocks what lock_fd locked, finishing a release handed over meanwhile.
inline void unlock_desc(Desc* d) noexcept {
  tsan_release(d);
  if (d->mu.unlock()) finish_release(d);
}
/// Gives `desc` a descriptor: a parked placeholder when one is (the lowest),
/// else a new one (close-on-exec if `cloexec`). Returns the descriptor, or
/// -1 with errno set.
int install_fd(DescRef desc, bool cloexec);
/// The placeholders' template descriptor, -1 while there is none.
extern std::atomic<int> g_template;
/// template_touched's work, when the template is in the range.
void forget_template(int t) noexcept;
/// The program closes or replaces descriptors [first, last] (close, dup2,
/// close_range, ...): forgets the placeholders' template descriptor if it is
/// among them (placeholders.cpp). Cheap when it is not: one relaxed load.
inline void template_touched(unsigned first, unsigned last) noexcept {
  const int t = g_template.load(std::memory_order_relaxed);
  if (t >= 0 && static_cast<unsigned>(t) >= first &&
      static_cast<unsigned>(t) <= last)
    forget_template(t);
}
/// close(2) for any descriptor: unmaps it first when it is ours, and parks
/// its placeholder while the pool has room and a mount is alive (else closes
/// it); EBADF for a parked one.
int close_fd(int fd);
/// dup/dup2/dup3/F_DUPFD done by the kernel on the placeholder, then mirrored.
/// `op` is the real call to make (it returns the new descriptor).
template <class Op>
int dup_fd(int oldfd, Op op);
/// close_range/closefrom: unmaps our descriptors in [first, last], then runs
/// the real call `op` (which closes them in the kernel) under the table lock.
template <class Op>
int close_many(unsigned first, unsigned last, Op op);
/// Detaches every descriptor of `mount` (see Mount::~Mount).
void detach_mount(const MountState& mount);

// --- errors
// ----------------------------------------------------------------------

/// The errno Linux gives for a memfs error.
[[nodiscard]] int to_errno(const std::error_code& ec) noexcept;
/// Sets errno from `ec` and returns -1 (for `return fail(ec);`).
inline int fail(const std::error_code& ec) noexcept {
  errno = to_errno(ec);
  return -1;
}
inline int fail_errno(int e) noexcept {
  errno = e;
  return -1;
}

// --- template definitions
// ----------------------------------------------------------

extern std::mutex g_fd_mutex;
/// False (nothing mapped) when fd is past kMaxFd. `fd` must be free in the
/// table (a new number from the kernel, or one unmapped).
bool map_fd_locked(int fd, DescRef desc);
/// Maps the parked number `fd`, just taken out of the pool, to `desc`.
void map_taken(int fd, DescRef desc) noexcept;
/// Takes fd's description out of the table, with the table's reference
/// (the caller drops it), or null. The caller owns fd (kFdBusy).
[[nodiscard]] Desc* take_desc_locked(int fd) noexcept;
/// Forgets `fd`, mapped or parked (the caller closes or replaces it).
void unmap_fd_locked(int fd);
/// Takes `fd` out of the pool: true when it was there (the caller owns it).
bool unpark(int fd) noexcept;
/// True while at least one mount is alive.
[[nodiscard]] bool any_mount() noexcept;
/// release_parked with g_fd_mutex held.
void release_parked_locked() noexcept;
/// The real close(2).
int close_placeholder(int fd) noexcept;

template <class Op>
int close_many(unsigned first, unsigned last, Op op) {
  std::vector<DescRef> closing;  // their handles close after
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  for (unsigned fd = first; fd <= last && fd < unsigned{kMaxFd}; ++fd) {
    if (!is_ours(static_cast<int>(fd))) continue;
    if (auto d = lookup_fd(static_cast<int>(fd)))
      closing.push_back(std::move(d));
    unmap_fd_locked(static_cast<int>(fd));
  }
  // Numbers below the parked ones may be free now.
  release_parked_locked();
  return op();
}

template <class Op>
int dup_fd(int oldfd, Op op) {
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  if (is_parked(oldfd)) return fail_errno(EBADF);
  DescRef desc = lookup_fd(oldfd);
  // dup and F_DUPFD take the lowest free number, which a parked one is for
  // the program; dup2/dup3 onto a parked number then find it closed.
  release_parked_locked();
  int newfd = op();
  if (newfd < 0 || newfd == oldfd) return newfd;
  unmap_fd_locked(newfd);      // dup2 onto a memfs descriptor closed it
  note_cloexec(newfd, false);  // not known: parking checks it
  if (desc && !map_fd_locked(newfd, std::move(desc))) {
    close_placeholder(newfd);
    return fail_errno(EMFILE);
  }
  return newfd;
}

}  // namespace memfs::idetail
