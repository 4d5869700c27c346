// memfs/intercept.hpp — unmodified code (std::fstream, std::filesystem, stdio,
// POSIX) runs on a memfs FileSystem.
//
// Link the target memfs::intercept into the test executable and mount a
// filesystem on a host directory:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// memfs::Mount mount(fs, "/tmp/memfs-test");       // nothing is created
// std::ofstream("/tmp/memfs-test/a.txt") << "hi";  // lands in fs as /a.txt
// EXPECT_EQ(fs.read_file("/a.txt"), "hi");
// ```
//
// How: the executable defines the libc file functions (open, read, stat,
// fopen, opendir, ... — the list is below); the dynamic linker binds every
// shared library's calls (libstdc++ included) to them, with no LD_PRELOAD.
// Each definition asks one cheap question ("is anything mounted, or is any
// memfs descriptor open?"); when the answer is no, or the path or descriptor is
// not on a mount, the call goes on to the next definition (libc, or a
// sanitizer's interceptor, found with dlsym(RTLD_NEXT)) untouched: no
// allocation and no lock on that path, so it is safe before main, in shared
// libraries' constructors and inside the allocator.
//
// Paths: a path is on a mount when, made absolute (relative paths against the
// current directory or the directory descriptor of an *at call) and cleaned
// lexically ("." and ".." removed, "//" collapsed), it is the mount directory
// or lies below it. The mount directory is the root "/" of the filesystem.
// ".." is resolved by text, not through the real disk (the mount directory
// need not exist there, and nothing is created there).
//
// Descriptors: opening a mounted path gives a real placeholder descriptor
// (a duplicate of one memfd the layer keeps open at a high number, closed on
// exec) mapped to a memfs::File, so descriptor numbers stay unique and
// dup/dup2/dup3/close/FD_CLOEXEC behave, and poll/select report it ready
// for reading and writing, as for a regular file; descriptors made by dup
// share one offset and one set of status flags, as POSIX open file
// descriptions do. Closing a mounted descriptor parks its placeholder for
// the next mounted open instead of closing it (see the intentional
// differences below), so a mounted open + close makes no system call.
// FILE* streams on mounted paths are memfs::fopencookie streams
// (<memfs/stdio.hpp>, the same repaired cookie stream as memfs::fopen, so
// positions after buffered writes match a real FILE*) over the placeholder
// descriptor; fileno() answers that descriptor, so std::basic_filebuf (which
// reads and writes through fileno) works. fclose keeps such a FILE for the
// next mounted fopen when stdio never read or wrote through it (as with
// std::fstream, which uses only its descriptor), no buffer was given to it
// and no byte pushed back; any other is freed by glibc's fclose. While the
// process has never had a second thread, the common open, call and close
// on a mounted descriptor use no atomic read-modify-write (none is needed
// with nobody to race), so served calls are not for signal handlers that
// interrupt another served call (memfs takes locks there anyway).
// tmpfile() makes its file in a mount when P_tmpdir ("/tmp", which glibc
// uses, not $TMPDIR) is mounted. ftw/nftw walk a mounted tree with the
// wrapped calls (glibc's walker uses internal aliases that would read the
// real disk).
//
// Intercepted names:
//   open open64 openat openat64 creat creat64 __open_2 __open64_2 __openat_2
//   __openat64_2 close close_range closefrom dup dup2 dup3 fcntl fcntl64
//   flock lockf lockf64 poll ppoll __poll_chk __ppoll_chk select pselect
//   epoll_ctl umask
//   read write pread pread64 pwrite pwrite64 readv writev preadv preadv64
//   pwritev pwritev64 __read_chk __pread_chk __pread64_chk lseek lseek64
//   truncate truncate64 ftruncate ftruncate64 fallocate fallocate64
//   posix_fallocate posix_fallocate64 fsync fdatasync syncfs mmap mmap64
//   sendfile sendfile64 copy_file_range ioctl (FIONREAD)
//   stat stat64 lstat lstat64 fstat fstat64 fstatat fstatat64 __xstat
//   __xstat64 __lxstat __lxstat64 __fxstat __fxstat64 __fxstatat
//   __fxstatat64 statx access faccessat statvfs statvfs64 fstatvfs
//   fstatvfs64 statfs statfs64 fstatfs fstatfs64
//   mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 remove
//   link linkat symlink symlinkat readlink readlinkat __readlink_chk
//   realpath __realpath_chk canonicalize_file_name chdir fchdir
//   getcwd __getcwd_chk get_current_dir_name
//   chmod fchmod fchmodat chown lchown fchown fchownat utimensat futimens
//   utime utimes lutimes futimes mkstemp mkstemp64 mkostemp mkostemp64
//   mkstemps mkostemps mkdtemp tmpfile tmpfile64
//   opendir fdopendir readdir readdir64 readdir_r readdir64_r
//   closedir dirfd rewinddir
//   telldir seekdir scandir scandir64 ftw ftw64 nftw nftw64
//   fopen fopen64 fdopen freopen freopen64 fclose fileno fileno_unlocked
//
// Errors are the errno Linux gives; memfs conditions map through their
// std::errc equivalents: quota and node cap -> ENOSPC, lock timeout -> EAGAIN,
// injected faults -> their code (EIO by default). Fault rules, quotas, locks
// and the fault log apply to intercepted calls exactly as to direct ones,
// since every call goes through the FileSystem's public operations.
//
// Intentional differences from a real filesystem (each chosen, and where a
// test checks it, named so; README.md's "Interception" section
// gives users the same list):
//   - memfs has no links: link/symlink on a mount give EPERM, readlink gives
//     EINVAL (ENOENT if nothing is there); no path is ever a symlink, so
//     O_NOFOLLOW and lstat behave as for a regular file.
//   - chdir/fchdir into a mount are served by the wrappers: getcwd,
//     __getcwd_chk and get_current_dir_name report the mounted path, and
//     relative paths (and "..") resolve against it until a chdir/fchdir out
//     of the mount succeeds. The kernel's own current directory meanwhile is
//     a removed folder (made and removed under /tmp), so what bypasses the
//     wrappers (raw syscall(2), an exec'd program given a relative path)
//     gets ENOENT rather than the folder the program was in. Unmounting
//     leaves the current directory's path as it was: relative paths then go
//     to the real disk under it.
//   - memfs stores no mode bits: the mount keeps the permission bits that
//     intercepted calls set (creat/open O_CREAT and mkdir with the umask
//     applied, chmod/fchmod/fchmodat) and reports them; what was created
//     through the FileSystem directly reports 0644 (files) or 0755
//     (directories). Permissions are reported, not enforced (the caller owns
//     everything; access() checks the owner bits, as root would not).
//     Owners are not stored either (the chown family succeeds and changes
//     nothing). utimensat/futimens/utime/utimes/lutimes/futimes (and so
//     std::filesystem::last_write_time(p, t)) set the modified time through
//     FileSystem::set_modified; the access time is not kept. A descriptor
//     sets the times of the path it was opened at.
//   - the mount directory does not appear in its parent's listing on the
//     real disk (unless a real directory of that name exists there).
//   - inode numbers are the FileSystem's node ids (FileStatus::id): stable
//     per file across renames and writes, never reused (a file replaced by
//     rename-over or write_file has the new file's number); a backend
//     without ids (DiskFileSystem) gets a hash of the path. st_dev is one
//     number per mount. st_mtime is FileStatus::modified, st_atime and
//     st_ctime report the same (memfs keeps no access or status-change
//     time), statx's stx_btime is FileStatus::created.
//   - renameat2 RENAME_EXCHANGE swaps atomically through
//     FileSystem::exchange (a backend without it gives EOPNOTSUPP).
//     O_TMPFILE is refused with EOPNOTSUPP (the kernel's answer for a
//     filesystem without it; callers such as glibc's tmpfile fall back to a
//     named file). rename between a mount and anything else is EXDEV.
//   - freopen onto a mounted path fails with EOPNOTSUPP and leaves the stream
//     open and untouched: a FILE cannot be turned into a memfs stream in
//     place (stdout's FILE and a cookie FILE differ in layout).
//   - A mounted stream closed while its thread still holds flockfile() on it
//     keeps that lock when its FILE is kept for the next fopen (glibc frees
//     a FILE with the lock in it); close streams unlocked.
//   - nftw with FTW_CHDIR on a mount fails with ENOTSUP.
//   - mmap of a mounted file maps a copy taken at mmap time (later writes to
//     the file do not show in the mapping; a private mapping's writes stay
//     in it); writable shared mappings are refused with ENODEV. sendfile
//     fails with EINVAL and copy_file_range with EXDEV, the errors that make
//     callers fall back to read/write.
//   - flock and fcntl record locks (F_SETLK, F_SETLKW, F_GETLK and the OFD
//     forms) take the open file description's whole-file memfs lock: any
//     byte range locks the whole file; POSIX (non-OFD) locks belong to the
//     description, not the process, so two opens in one process contend and
//     closing one descriptor does not drop another description's lock;
//     F_GETLK reports a conflict as F_WRLCK with l_pid -1. A blocking lock
//     waits up to the filesystem's lock timeout, then fails with EAGAIN.
//     Locks on directories are accepted and not enforced.
//   - writes with O_APPEND are atomic with respect to the descriptor's own
//     users, not to other open file descriptions appending to the same file.
//   - a closed mounted descriptor's number stays open in the kernel
//     ("parked", close-on-exec) for the next open on a mount, which takes
//     the lowest parked number with no system call; at most 64 are parked
//     (numbers below 256 only: a higher one is closed), and all are
//     released when the last mount goes. For the program the
//     number is closed: every wrapper answers EBADF for it (close, read,
//     fstat, fcntl, dup, ioctl, mmap, fchdir, *at calls, select, epoll_ctl),
//     poll/ppoll report POLLNVAL, and dup2/dup3 onto it succeed. A wrapped
//     call that lets the kernel pick a number for the program (open, creat
//     and openat off the mounts, dup, F_DUPFD, fopen, opendir, mkstemp and
//     family, tmpfile) first releases the parked numbers, and so does a
//     close(), close_range() or closefrom() of a real descriptor below
//     them: those get the lowest free number, as POSIX says. What is not
//     wrapped (socket, pipe, eventfd, accept, epoll_create, memfd_create,
//     and the closes inside fclose/closedir of real streams) does not see
//     the parked numbers, so such a descriptor may get a higher number
//     than POSIX would give, and the program's descriptor limit counts the
//     parked ones. A parked number reused by an open without O_CLOEXEC
//     (fopen and std::fstream never ask for it) keeps the kernel's
//     close-on-exec flag: F_GETFD reports the flag clear, as asked, but a
//     program started with exec finds the number closed (it would get a
//     placeholder, not the file: the mount does not exist there). F_SETFD,
//     FIONCLEX and close_range change the kernel's flag as asked.
//   - the umask is read once and then followed through the umask wrapper;
//     a umask changed by a raw system call is not seen.
//
// Limits (what interception cannot reach; mount a directory that does not
// exist on the real disk, and each of these fails with ENOENT instead of
// touching the disk):
//   - raw syscall(2) (and inline system calls) go to the kernel: on a mount
//     over a missing directory they fail with ENOENT; on a mount over a real
//     directory they reach that real directory, past the mount.
//   - exec: the new program image has no mounts, so a program handed a
//     mounted path (system("cat <mount>/f"), posix_spawn, ...) sees the real
//     disk there (ENOENT, nothing created, for a missing directory).
//   - fork: the child has a copy of the parent's mounts, filesystems and
//     descriptors; what it writes stays in its copy.
//   - static executables: there is no dynamic linker to bind libc's callers
//     to the wrappers, so nothing is intercepted (calls the executable makes
//     itself still are, but libc's internal ones, stdio's included, are not).
//   - io_uring submits operations without calling libc's file functions: a
//     mounted path or a placeholder descriptor reaches the kernel (ENOENT, or
//     an empty memfd). Likewise other system calls libc makes only through
//     syscall() (openat2, ...).
//
// Sanitizers: ASan and TSan interpose libc too (their interceptors are
// definitions in their runtime libraries). The executable's definitions come
// first in symbol lookup, so these wrappers run first; their "next"
// definition, found with dlsym(RTLD_NEXT), is the sanitizer's interceptor,
// which checks the call and then calls libc. So pass-through calls keep
// every sanitizer check. The wrappers are built without TSan instrumentation
// (TSan's runtime calls mmap and open through them while it initialises);
// the memfs code they call is instrumented as usual.
//
// Real-disk recording: while a recording runs (start_real_disk_recording()
// below; the GoogleTest and Catch2 adapters run one around each test, see
// MEMFS_REAL_DISK in <memfs/real_disk.hpp>), every path call a wrapper
// forwards to libc — the path is on no mount — is recorded with the
// function's name (that of the wrapper serving it: access, rename and link
// are served as faccessat, renameat2 and linkat), the path made absolute
// and the calling thread, unless the path is on the allow-list:
//   - system and toolchain folders: /usr /lib /lib32 /lib64 /libx32 /bin
//     /sbin /etc /opt /proc /sys /dev, except /dev/shm (files there outlive
//     the test as on a disk);
//   - the test binary's folder (where build tools and CTest keep what a test
//     reads: data files next to the binary, coverage counters);
//   - the folders in MEMFS_REAL_DISK_ALLOW (":"-separated), and those added
//     with allow_real_disk(), for the process or for the recording in
//     progress (the adapters add the snapshot folder for each test).
// A folder allows itself and what lies below it, by whole components:
// "/usr" allows "/usr/lib/x", not "/usr2". Calls on descriptors are not
// recorded (the call that opened the descriptor was), nor calls made while
// memfs itself serves a call, nor calls in a child made by fork(). Raw
// syscall(2) and what libc does through internal aliases without a wrapper
// here (the list above) are not seen. Calls that are ours and the allow-list
// are decided before anything is allocated; a recorded call then takes the
// recorder's lock (do not record from a signal handler that interrupts a
// wrapper).
//
// Linking: memfs::intercept is an OBJECT library (a definition inside a static
// archive would be dropped by the linker) and must keep default visibility.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/file_system.hpp"
#include "memfs/real_disk.hpp"

namespace memfs {

namespace detail {
struct MountState;  // intercept/src/state.hpp
}  // namespace detail

/// Serves every path at or under the host directory `host_dir` from `fs`
/// while it lives (see the top of this file). Move-only.
///
/// ```cpp file
/// // The program under test, unmodified: it writes with the C++ library.
/// void run_app(const std::string& data_dir) {
///   std::filesystem::create_directories(data_dir);
///   std::ofstream(data_dir + "/out.txt") << "done";
/// }
///
/// TEST(MountExample, RunsTheAppOnFs) {
///   memfs::MemoryFileSystem fs;
///   {
///     memfs::Mount m(fs, "/dev/shm/app-under-test");
///     run_app("/dev/shm/app-under-test/data");  // reads and writes fs
///   }                                           // unmounted here
///   EXPECT_EQ(fs.read_file("/data/out.txt"), "done");
///   EXPECT_FALSE(std::filesystem::exists("/dev/shm/app-under-test/data"));
/// }
/// ```
///
/// Thread-safety: mounts may be created and destroyed from any thread;
/// destroying a mount while another thread is inside a call on it is
/// undefined. `fs` must outlive the Mount.
class Mount {
 public:
  /// Mounts `fs` at `host_dir`, an absolute path (cleaned lexically; a
  /// trailing "/" is ignored). Nothing is created on the real disk, and the
  /// directory need not exist there.
  /// Throws memfs::filesystem_error (operation "mount"):
  ///   invalid_argument  `host_dir` is relative, is "/", or holds a NUL;
  ///   device_or_resource_busy  it is, contains, or lies under an existing
  ///                     mount (the message names both directories).
  Mount(FileSystem& fs, std::string_view host_dir);
  /// Unmounts. Descriptors and streams still open on the mount are
  /// detached: their memfs handles are closed, later calls on them fail with
  /// ESTALE, and close()/fclose() still release them.
  ~Mount();
  Mount(Mount&& other) noexcept;
  Mount& operator=(Mount&& other) noexcept;
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;

  /// The cleaned host directory, e.g. "/dev/shm/app-under-test".
  [[nodiscard]] const std::string& host_dir() const noexcept;
  /// The mounted filesystem.
  [[nodiscard]] FileSystem& file_system() const noexcept;

 private:
  void unmount() noexcept;
  std::shared_ptr<detail::MountState> state_;
};

/// How long a folder added with allow_real_disk() stays allowed.
enum class RealDiskScope {
  binary,     ///< for the rest of the process (every later test)
  recording,  ///< until the recording in progress stops (the running test)
};

/// Starts recording real-disk accesses (see the top of this file), from
/// any thread, for the whole process. Forgets what an earlier recording
/// found and the folders it allowed; a recording already running goes on,
/// emptied. While none runs and nothing is mounted the wrappers cost one
/// atomic load, as without recording.
///
/// ```cpp
/// const std::string out = "/tmp/memfs-doc-out-" + std::to_string(::getpid());
/// memfs::start_real_disk_recording();
/// ::mkdir(out.c_str(), 0755);  // on no mount
/// auto found = memfs::stop_real_disk_recording();
/// ::rmdir(out.c_str());
/// ASSERT_EQ(found.size(), 1u);
/// EXPECT_EQ(found[0].call, "mkdir");
/// EXPECT_EQ(found[0].path, out);
/// ```
void start_real_disk_recording();
/// Stops recording and returns what was recorded since the start (or the
/// last take_real_disk_accesses()), in the order first seen; identical
/// calls (same function, path and thread) are one entry with a count. At
/// most 1000 entries are kept; real_disk_accesses_dropped() counts the
/// rest. Empty when no recording ran.
[[nodiscard]] std::vector<RealDiskAccess> stop_real_disk_recording();
/// What was recorded so far, emptying the list; the recording goes on.
[[nodiscard]] std::vector<RealDiskAccess> take_real_disk_accesses();
/// Accesses the current (or last) recording could not keep.
[[nodiscard]] std::uint64_t real_disk_accesses_dropped();
/// True while a recording runs.
[[nodiscard]] bool real_disk_recording() noexcept;

/// Allows `dir` and everything below it (whole components: "/data" allows
/// "/data/x", not "/data2") for `scope`. A relative `dir` is taken against
/// the current directory; ".." and "//" are cleaned lexically.
///
/// ```cpp
/// memfs::allow_real_disk("/srv/fixtures");  // every test may read it
/// EXPECT_TRUE(memfs::real_disk_allowed("/srv/fixtures/orders.csv"));
/// EXPECT_FALSE(memfs::real_disk_allowed("/srv/fixtures2"));
/// const std::string tmp = "/tmp/memfs-doc-" + std::to_string(::getpid());
/// memfs::allow_real_disk(tmp, memfs::RealDiskScope::recording);
/// ```
void allow_real_disk(std::string_view dir,
                     RealDiskScope scope = RealDiskScope::binary);
/// True when an access to `path` would not be recorded (it is on the
/// allow-list); relative paths are taken against the current directory.
[[nodiscard]] bool real_disk_allowed(std::string_view path);

namespace detail {

/// The link from the test adapters to this library, not for direct use.
/// TestSession::mount_path() (memfs/test_session.hpp, behind
/// memfs::gtest::mount_path() and memfs::catch2::mount_path()) mounts the
/// test's filesystem with it. memfs::session does not link memfs::intercept:
/// it holds a weak reference to this function, which is null unless the
/// test executable links memfs::intercept (this library defines it), so a
/// test binary without interception still links, and mount_path() there
/// throws an error that says to link memfs::intercept. Returns the Mount,
/// type-erased: releasing the last reference unmounts. Throws what Mount's
/// constructor throws.
[[gnu::weak]] std::shared_ptr<void> mount_for_test(FileSystem& fs,
                                                   const std::string& host_dir);

}  // namespace detail
}  // namespace memfs
