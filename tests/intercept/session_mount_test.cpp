// TestSession::mount_path() with memfs::intercept linked (this executable):
// unmodified code reaches the session's filesystem, TMPDIR/TEST_TMPDIR point
// at the mount and come back, nothing reaches the real disk, the snapshot
// holds what was written and says where, options and faults apply.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/test_session.hpp"
#include "support/child_process.hpp"
#include "support/scoped_env.hpp"
#include "support/test_identity.hpp"

namespace {

using memfs::TestSession;
using memfs::test_support::ScopedEnv;
using memfs::test_support::ScratchDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

memfs::TestIdentity identity() {
  return memfs::test_support::gtest_identity("Mount.Session", "", "/src/m.cpp",
                                             7, "", "");
}

// errno of a stat() of `path` (0 when it exists).
int stat_errno(const std::string& path) {
  struct stat st {};
  errno = 0;
  return ::stat(path.c_str(), &st) == 0 ? 0 : errno;
}

TEST(SessionMount, ServesTheSessionsFilesystemAtAUniquePath) {
  TestSession a(identity());
  TestSession b(identity());
  const std::string dir = a.mount_path();
  EXPECT_THAT(
      dir, StartsWith("/tmp/memfs-mount-" + std::to_string(::getpid()) + "-"));
  EXPECT_EQ(a.mount_path(), dir);  // the same for the whole run
  EXPECT_EQ(a.mounted_at(), dir);
  std::ofstream(dir + "/a.txt") << "from ofstream";
  EXPECT_EQ(a.fs().read_file("/a.txt"), "from ofstream");
  std::filesystem::create_directories(dir + "/d/e");
  EXPECT_TRUE(a.fs().is_directory("/d/e"));
  // Mounting alone does not count as using fs() (fixture options apply).
  TestSession c(identity());
  (void)c.mount_path();
  EXPECT_FALSE(c.used());
  // Another session, another directory; b's mount does not see a's files.
  const std::string other = b.mount_path();
  EXPECT_NE(other, dir);
  EXPECT_EQ(stat_errno(other + "/a.txt"), ENOENT);
}

TEST(SessionMount, MemfsMountMountsWhenTheAdapterAsks) {
  TestSession session(identity());
  {
    ScopedEnv off("MEMFS_MOUNT", "0");
    EXPECT_EQ(session.mount_if_requested(), "");
    EXPECT_EQ(session.mounted_at(), "");
  }
  ScopedEnv on("MEMFS_MOUNT", "1");
  EXPECT_EQ(session.mount_if_requested(), "");
  EXPECT_THAT(session.mounted_at(), StartsWith("/tmp/memfs-mount-"));
  (void)session.finish(false);
}

TEST(SessionMount, TempVariablesPointAtTheMountUntilFinish) {
  ScopedEnv tmpdir("TMPDIR", "/var/before");
  ScopedEnv test_tmpdir("TEST_TMPDIR", nullptr);  // unset before: unset after
  TestSession session(identity());
  const std::string dir = session.mount_path();
  EXPECT_STREQ(std::getenv("TMPDIR"), dir.c_str());
  EXPECT_STREQ(std::getenv("TEST_TMPDIR"), dir.c_str());
  EXPECT_EQ(std::filesystem::temp_directory_path(), std::filesystem::path(dir));
  // mkstemp under $TMPDIR lands in memory.
  std::string templ = std::string(std::getenv("TMPDIR")) + "/tmp.XXXXXX";
  const int fd = ::mkstemp(templ.data());
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, "tmp", 3), 3);
  ::close(fd);
  EXPECT_EQ(session.fs().read_file(templ.substr(dir.size())), "tmp");

  (void)session.finish(false);
  EXPECT_STREQ(std::getenv("TMPDIR"), "/var/before");
  EXPECT_EQ(std::getenv("TEST_TMPDIR"), nullptr);
  EXPECT_THROW((void)session.mount_path(), std::logic_error);
}

TEST(SessionMount, NothingIsWrittenToTheRealDisk) {
  std::string dir;
  {
    TestSession session(identity());
    dir = session.mount_path();
    std::ofstream(dir + "/kept.txt") << "in memory";
    EXPECT_EQ(stat_errno(dir + "/kept.txt"), 0);  // through the mount
    (void)session.finish(false);
    // Unmounted: a real stat sees nothing there, not even the directory.
    EXPECT_EQ(stat_errno(dir), ENOENT);
    EXPECT_EQ(session.fs().read_file("/kept.txt"), "in memory");
  }
  EXPECT_EQ(stat_errno(dir), ENOENT);
}

TEST(SessionMount, SnapshotHoldsWhatWasWrittenAndWhereItWasMounted) {
  ScratchDir scratch;
  ScopedEnv root("MEMFS_SNAPSHOT_DIR", (scratch.path() / "snapshots").string());
  TestSession session(identity());
  const std::string dir = session.mount_path();
  std::filesystem::create_directory(dir + "/out");
  std::ofstream(dir + "/out/report.txt") << "written by unmodified code";
  const TestSession::Outcome outcome = session.finish(true);
  ASSERT_TRUE(outcome.exported) << outcome.error;
  EXPECT_EQ(memfs::test_support::read_host_file(outcome.folder /
                                                "tree/out/report.txt"),
            "written by unmodified code");
  std::error_code ec;
  const memfs::JsonValue manifest = memfs::JsonValue::parse(
      memfs::test_support::read_host_file(outcome.folder / "manifest.json"),
      ec);
  ASSERT_FALSE(ec);
  const memfs::JsonValue* mount = manifest.find("sections")->find("mount_path");
  ASSERT_NE(mount, nullptr);
  EXPECT_EQ(mount->text(), dir);
}

TEST(SessionMount, OptionsRebuildAFilesystemOnlyTheMountHasUsed) {
  TestSession session(identity());
  const std::string dir = session.mount_path();
  memfs::MemoryOptions small;
  small.max_quota = 8;
  session.set_options(small);  // still empty: made anew, same directory
  EXPECT_EQ(session.mount_path(), dir);
  std::ofstream out(dir + "/big.txt");
  out << std::string(64, 'x') << std::flush;
  EXPECT_TRUE(out.bad());  // the new quota
  out.close();
  // Now written through: its options can no longer change.
  EXPECT_THROW(session.set_options(small), std::logic_error);
}

TEST(SessionMount, FaultsFireOnInterceptedCalls) {
  TestSession session(identity());
  const std::string dir = session.mount_path();
  // A full disk: std::ofstream gets badbit.
  session.faults().disk_full_after(4);
  std::ofstream out(dir + "/settings.conf");
  ASSERT_TRUE(out.is_open());
  out << "0123456789" << std::flush;
  EXPECT_TRUE(out.bad());
  out.close();
  // fsync fails with EIO.
  auto rule = session.faults().scoped("sync /** once fail=EIO");
  const int fd = ::open((dir + "/small").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  errno = 0;
  EXPECT_EQ(::fsync(fd), -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_EQ(::fsync(fd), 0);  // once
  ::close(fd);
  EXPECT_THAT(session.faults().describe_log(), HasSubstr("sync"));
}

}  // namespace
