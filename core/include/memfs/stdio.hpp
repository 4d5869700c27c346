// memfs/stdio.hpp — a real C `FILE*` on a memfs file.
//
// memfs::fopen() opens a file of any memfs::FileSystem and returns a std::FILE*
// that the C library drives like any other: fread, fwrite, fprintf, fgets,
// fseek, ftell, fflush, fclose, ferror, ... So C code (and C++ code written
// against <cstdio>) runs on memfs unchanged:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// std::FILE* f = memfs::fopen(fs, "/out.txt", "w");
// std::fprintf(f, "%d items\n", 3);
// std::fclose(f);
// EXPECT_EQ(fs.read_file("/out.txt"), "3 items\n");
// ```
//
// It is built on glibc's fopencookie(3). MEMFS_HAS_FOPEN is 1 where that
// exists (glibc) and 0 elsewhere; where it is 0, memfs::fopen is not
// declared, so use of it fails at compile time:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// fs.write_file("/in.txt", "42");
// #if MEMFS_HAS_FOPEN
// std::FILE* in = memfs::fopen(fs, "/in.txt", "r");  // for a C parser
// int value = 0;
// EXPECT_EQ(std::fscanf(in, "%d", &value), 1);
// EXPECT_EQ(value, 42);
// std::fclose(in);
// #endif
// ```
//
// Modes are read as glibc's fopen(3) reads them: the first character is 'r',
// 'w' or 'a'; of the next six, '+' opens for reading and writing and 'x'
// makes a creating mode exclusive (EEXIST if the file exists), and anything
// else is ignored ('b', glibc's 'e', 'm', 'c', and letters glibc does not
// know: "rw" is "r", "r+++" is "r+", "wxx" is "wx"; 'x' on an "r" mode means
// nothing, as O_EXCL without O_CREAT on Linux). A mode whose first character
// is anything else is EINVAL, and so is a ",ccs=" conversion (a wide-character
// stream, which this bridge does not make). "a" starts at the end of the
// file; "a+" reads from the start, and every write of both goes to the end.
// fopen() of a directory succeeds in a read-only mode, as on Linux, and every
// read then fails with EISDIR; other modes give EISDIR at once. The FILE's
// buffering is the C library's own (memfs adds none). Positions (ftell,
// fseek with SEEK_CUR) are exactly those of a FILE on a real file, buffered
// writes included: the bridge works around glibc's cookie streams, which get
// them wrong after a flush (see stdio.cpp).
//
// Errors follow stdio: fopen() returns nullptr and sets errno; a failing
// read/write/seek/close makes the stdio call fail, sets ferror() where stdio
// does, and sets errno to to_errno() of the memfs error (ENOSPC for a quota,
// EAGAIN for a lock timeout, EIO for an injected fault, ...). A short write
// from the backend is reported to stdio as such (glibc then sets the error
// indicator). As with any FILE*, data still in stdio's buffer when a write
// fails is the C library's to keep or drop (glibc drops it).
//
// Ownership: the FILE owns the memfs::File; fclose() closes it. Close every
// FILE before destroying the FileSystem. Thread-safety: that of stdio (each
// FILE has its own lock).
#pragma once

#include <cstdio>  // defines __GLIBC__ through <features.h> on glibc
#include <string_view>
#include <system_error>

#include "memfs/file.hpp"
#include "memfs/path.hpp"

#if defined(__GLIBC__)
#define MEMFS_HAS_FOPEN 1
#else
#define MEMFS_HAS_FOPEN 0
#endif

namespace memfs {

class FileSystem;

/// The errno value that best describes `ec`: its value when it is a generic
/// or system error; for other categories (memfs's included) the first of
/// ENOSPC, EAGAIN, ENOMEM, EIO whose std::errc condition `ec` is equivalent
/// to, else its default_error_condition() if that is generic, else EIO. 0 for
/// success. So memfs::errc::quota_exceeded and node_limit_exceeded give
/// ENOSPC, lock_timeout EAGAIN, injected_fault EIO, memory_guard ENOMEM.
[[nodiscard]] int to_errno(const std::error_code& ec) noexcept;

#if MEMFS_HAS_FOPEN
/// Opens `path` on `fs` as a C stream (modes: see the top of this file).
/// Returns nullptr with errno set on failure: EINVAL for a bad or null mode,
/// otherwise to_errno() of the FileSystem::open error (ENOENT, EISDIR, EEXIST,
/// ENOSPC, EAGAIN, ...). In "a" the initial position is the end of file, in
/// "a+" the start, as glibc's fopen(3) does.
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// std::FILE* f = memfs::fopen(fs, "/data.csv", "r");
/// EXPECT_EQ(errno, ENOENT);
/// EXPECT_EQ(f, nullptr);
/// // prints "open data: No such file or directory"
/// if (f == nullptr) std::perror("open data");
/// ```
[[nodiscard]] std::FILE* fopen(FileSystem& fs, std::string_view path,
                               const char* mode) noexcept;

/// As above, for a std::filesystem::path (its text, as std::fopen takes
/// p.c_str()).
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.create_directories("/logs");
/// const std::string name = "app.log";
/// std::FILE* f = memfs::fopen(fs, std::filesystem::path("/logs") / name,
///                             "a");
/// ASSERT_NE(f, nullptr);
/// std::fclose(f);
/// EXPECT_TRUE(fs.exists("/logs/app.log"));
/// ```
template <class Path, detail::if_std_path<Path> = 0>
[[nodiscard]] std::FILE* fopen(FileSystem& fs, const Path& path,
                               const char* mode) noexcept {
  return fopen(fs, std::string_view(path.native()), mode);
}
/// The OpenMode an fopen(3) `mode` string opens with, read as glibc reads it
/// (see the top of this file); an invalid OpenMode (valid() false) where
/// fopen fails with EINVAL (nullptr, an unknown first letter, ",ccs=").
///
/// ```cpp
/// memfs::OpenMode m = memfs::fopen_mode("rb+");  // read | write
/// EXPECT_TRUE(m.valid() && m.can_read() && m.can_write());
/// ```
[[nodiscard]] OpenMode fopen_mode(const char* mode) noexcept;

/// glibc's fopencookie(3), repaired, for bridges that keep their own file
/// behind a FILE* (memfs::fopen and memfs::intercept's fopen are built on
/// it). Differences from ::fopencookie:
///   - `mode` is read as fopen reads it (fopen_mode); glibc's fopencookie
///     looks at two characters only, so "rb+" would be read-only there.
///     EINVAL (nullptr) where fopen_mode gives an invalid mode.
///   - ftell and fseek(SEEK_CUR) after buffered writes land where a real
///     FILE's do (glibc's cookie streams are short by the bytes last written;
///     see stdio.cpp).
/// The stream does not move to the end for "a" modes: position the cookie's
/// file first, as fopen does for "a" (not "a+"). A null callback behaves as
/// in glibc (reads fail, writes are an error, seeks fail, close succeeds).
/// On failure nullptr with errno set, and the cookie stays the caller's; on
/// success io.close receives it at fclose.
///
/// ```cpp file
/// #if MEMFS_HAS_FOPEN
/// // A cookie of your own: a FILE* reading from a std::string.
/// ssize_t read_from_string(void* cookie, char* buf, size_t size) {
///   auto* text = static_cast<std::string*>(cookie);
///   const size_t n = size < text->size() ? size : text->size();
///   text->copy(buf, n);
///   text->erase(0, n);
///   return static_cast<ssize_t>(n);
/// }
///
/// TEST(StdioExample, FopencookieReadsTheCookie) {
///   std::string text = "hello";
///   cookie_io_functions_t io{};
///   io.read = read_from_string;
///   std::FILE* f = memfs::fopencookie(&text, "rb+", io);  // read | write
///   char buf[8] = {};
///   EXPECT_EQ(std::fread(buf, 1, sizeof buf, f), 5u);
///   EXPECT_EQ(std::string(buf), "hello");
///   std::fclose(f);
/// }
/// #endif
/// ```
[[nodiscard]] std::FILE* fopencookie(void* cookie, const char* mode,
                                     cookie_io_functions_t io) noexcept;
#endif

}  // namespace memfs
