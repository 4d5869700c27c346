// The real-disk recorder (memfs/intercept.hpp): what it records (the call,
// the absolute path, the thread), what it leaves out (mounts, the
// allow-list, descriptors, anything outside a recording), and its
// registration with the session library (memfs/real_disk.hpp).
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memfs/intercept.hpp>
#include <memfs/memory_file_system.hpp>
#include <memfs/test_session.hpp>

namespace {

using memfs::RealDiskAccess;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

// A real folder under /tmp (not allow-listed), removed at the end; every
// test stops any recording it leaves running.
class RealDiskTest : public ::testing::Test {
 protected:
  RealDiskTest() {
    std::string pattern = "/tmp/memfs-real-disk-XXXXXX";
    dir_ = ::mkdtemp(pattern.data());
  }
  ~RealDiskTest() override {
    (void)memfs::stop_real_disk_recording();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  [[nodiscard]] std::string p(const std::string& name) const {
    return dir_ + "/" + name;
  }

  std::string dir_;
};

std::uint64_t this_thread_id() {
  return static_cast<std::uint64_t>(::syscall(SYS_gettid));
}

auto Access(const std::string& call, const std::string& path) {
  return ::testing::AllOf(Field(&RealDiskAccess::call, call),
                          Field(&RealDiskAccess::path, path));
}

TEST_F(RealDiskTest, RecordsTheCallTheAbsolutePathAndTheThread) {
  memfs::start_real_disk_recording();
  EXPECT_EQ(::mkdir(p("made").c_str(), 0755), 0);
  struct stat st;
  EXPECT_EQ(::stat((dir_ + "//made/./../made/").c_str(), &st), 0);
  std::FILE* f = std::fopen(p("made/f.txt").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  const auto found = memfs::stop_real_disk_recording();
  EXPECT_THAT(found,
              ElementsAre(Access("mkdir", p("made")), Access("stat", p("made")),
                          Access("fopen", p("made/f.txt"))));
  for (const RealDiskAccess& a : found) {
    EXPECT_EQ(a.thread_id, this_thread_id());
    EXPECT_EQ(a.count, 1u);
  }
}

TEST_F(RealDiskTest, EachCallIsRecordedUnderTheNameTheProgramCalled) {
  const std::string f = p("f");
  const std::string d = p("d");
  std::vector<std::string> names;
  memfs::start_real_disk_recording();
  ::close(::creat(f.c_str(), 0644));
  (void)::truncate(f.c_str(), 0);
  (void)::chmod(f.c_str(), 0600);
  (void)::access(f.c_str(), R_OK);
  char buf[64];
  (void)::readlink(f.c_str(), buf, sizeof buf);
  std::free(::realpath(f.c_str(), nullptr));
  (void)::mkdir(d.c_str(), 0755);
  ::closedir(::opendir(d.c_str()));
  (void)::rename(f.c_str(), (d + "/g").c_str());
  (void)::unlink((d + "/g").c_str());
  (void)::rmdir(d.c_str());
  std::string tmpl = p("tXXXXXX");
  ::close(::mkstemp(tmpl.data()));
  (void)::remove(tmpl.c_str());
  for (const RealDiskAccess& a : memfs::stop_real_disk_recording())
    names.push_back(a.call);
  EXPECT_THAT(names,
              ElementsAre("creat", "truncate", "chmod", "faccessat", "readlink",
                          "realpath", "mkdir", "opendir", "renameat2",
                          "renameat2", "unlink", "rmdir", "mkstemp", "remove"));
}

TEST_F(RealDiskTest, RelativePathsAreMadeAbsoluteAgainstTheirDirectory) {
  ASSERT_EQ(::mkdir(p("sub").c_str(), 0755), 0);
  int dirfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dirfd, 0);
  memfs::start_real_disk_recording();
  int fd = ::openat(dirfd, "sub/../rel.txt", O_WRONLY | O_CREAT, 0644);
  EXPECT_GE(fd, 0);
  ::close(fd);
  const auto found = memfs::stop_real_disk_recording();
  ::close(dirfd);
  EXPECT_THAT(found, ElementsAre(Access("openat", p("rel.txt"))));
}

TEST_F(RealDiskTest, NamesTheThreadThatMadeTheCall) {
  memfs::start_real_disk_recording();
  std::uint64_t worker_id = 0;
  std::thread worker([&] {
    pthread_setname_np(pthread_self(), "rd-worker");
    worker_id = this_thread_id();
    ::unlink(p("absent").c_str());
  });
  worker.join();
  const auto found = memfs::stop_real_disk_recording();
  ASSERT_THAT(found, ElementsAre(Access("unlink", p("absent"))));
  EXPECT_EQ(found[0].thread_name, "rd-worker");
  EXPECT_EQ(found[0].thread_id, worker_id);
  EXPECT_NE(worker_id, this_thread_id());
}

TEST_F(RealDiskTest, RepeatedCallsAreOneEntryWithACount) {
  memfs::start_real_disk_recording();
  struct stat st;
  for (int i = 0; i < 3; ++i) (void)::stat(p("x").c_str(), &st);
  (void)::lstat(p("x").c_str(), &st);
  const auto found = memfs::stop_real_disk_recording();
  ASSERT_THAT(found,
              ElementsAre(Access("stat", p("x")), Access("lstat", p("x"))));
  EXPECT_EQ(found[0].count, 3u);
  EXPECT_EQ(found[1].count, 1u);
}

TEST_F(RealDiskTest, MountsDescriptorsAndAllowedFoldersAreNotRecorded) {
  memfs::MemoryFileSystem fs;
  memfs::Mount mount(fs, "/memfs-real-disk-test-mount");
  int fd = ::open(p("f").c_str(), O_WRONLY | O_CREAT, 0644);  // before
  ASSERT_GE(fd, 0);
  memfs::start_real_disk_recording();
  std::ofstream("/memfs-real-disk-test-mount/a.txt") << "in memory";
  EXPECT_EQ(::write(fd, "x", 1), 1);
  struct stat st;
  EXPECT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(::stat("/usr/lib", &st), 0);
  EXPECT_EQ(::access("/proc/self/status", R_OK), 0);
  std::ifstream("/etc/hostname").get();
  EXPECT_THAT(memfs::stop_real_disk_recording(), IsEmpty());
  ::close(fd);
  EXPECT_TRUE(fs.exists("/a.txt"));
}

TEST_F(RealDiskTest, NothingIsRecordedOutsideARecording) {
  struct stat st;
  (void)::stat(p("before").c_str(), &st);
  memfs::start_real_disk_recording();
  EXPECT_TRUE(memfs::real_disk_recording());
  (void)::stat(p("during").c_str(), &st);
  EXPECT_THAT(memfs::take_real_disk_accesses(),
              ElementsAre(Access("stat", p("during"))));
  (void)::stat(p("still").c_str(), &st);
  EXPECT_THAT(memfs::stop_real_disk_recording(),
              ElementsAre(Access("stat", p("still"))));
  EXPECT_FALSE(memfs::real_disk_recording());
  (void)::stat(p("after").c_str(), &st);
  memfs::start_real_disk_recording();
  EXPECT_THAT(memfs::stop_real_disk_recording(), IsEmpty());
}

TEST_F(RealDiskTest, TheAllowListMatchesWholeComponents) {
  EXPECT_TRUE(memfs::real_disk_allowed("/usr"));
  EXPECT_TRUE(memfs::real_disk_allowed("/usr/lib/x"));
  EXPECT_FALSE(memfs::real_disk_allowed("/usr2"));
  EXPECT_FALSE(memfs::real_disk_allowed("/usr2/lib"));
  EXPECT_FALSE(memfs::real_disk_allowed("/us"));
  EXPECT_TRUE(memfs::real_disk_allowed("/proc/self/maps"));
  EXPECT_TRUE(memfs::real_disk_allowed("/dev/null"));
  EXPECT_FALSE(memfs::real_disk_allowed("/dev/shm/x"));
  EXPECT_FALSE(memfs::real_disk_allowed("/devices"));
  EXPECT_TRUE(memfs::real_disk_allowed("/usr/../etc/passwd"));
  EXPECT_FALSE(memfs::real_disk_allowed("/usr/../tmp/x"));
  EXPECT_FALSE(memfs::real_disk_allowed(p("x")));
}

TEST_F(RealDiskTest, TheTestBinarysFolderIsAllowed) {
  const std::string exe =
      std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string folder = exe.substr(0, exe.rfind('/'));
  EXPECT_TRUE(memfs::real_disk_allowed(exe));
  EXPECT_TRUE(memfs::real_disk_allowed(folder + "/data.txt"));
  EXPECT_FALSE(memfs::real_disk_allowed(folder + "-sibling/data.txt"));
}

TEST_F(RealDiskTest, AFolderAllowedForARecordingIsForgottenWhenItStops) {
  memfs::start_real_disk_recording();
  memfs::allow_real_disk(dir_ + "/allowed/", memfs::RealDiskScope::recording);
  EXPECT_TRUE(memfs::real_disk_allowed(p("allowed/deep/x")));
  EXPECT_FALSE(memfs::real_disk_allowed(p("allowed2")));
  struct stat st;
  (void)::stat(p("allowed").c_str(), &st);
  (void)::stat(p("allowed2").c_str(), &st);
  EXPECT_THAT(memfs::stop_real_disk_recording(),
              ElementsAre(Access("stat", p("allowed2"))));
  EXPECT_FALSE(memfs::real_disk_allowed(p("allowed")));
}

TEST_F(RealDiskTest, AFolderAllowedForTheBinaryStaysAllowed) {
  memfs::allow_real_disk(p("kept"));
  memfs::start_real_disk_recording();
  struct stat st;
  (void)::stat(p("kept/a").c_str(), &st);
  EXPECT_THAT(memfs::stop_real_disk_recording(), IsEmpty());
  EXPECT_TRUE(memfs::real_disk_allowed(p("kept/b")));
}

TEST_F(RealDiskTest, TheAdaptersFindTheRecorderThroughTheSession) {
  ASSERT_TRUE(memfs::real_disk_recording_available());
  setenv("MEMFS_REAL_DISK", "fail", 1);
  memfs::TestIdentity id;
  id.full_name = "Suite.Touches";
  memfs::TestSession session(std::move(id));
  session.start_real_disk_recording();
  memfs::allow_real_disk_for_test(p("ok"));
  struct stat st;
  (void)::stat(p("ok/x").c_str(), &st);
  (void)::stat(p("no").c_str(), &st);
  const std::string failure = session.stop_real_disk_recording();
  unsetenv("MEMFS_REAL_DISK");
  EXPECT_THAT(failure, ::testing::StartsWith(
                           "memfs: Suite.Touches touched the real disk outside "
                           "its mounts (MEMFS_REAL_DISK=fail;"));
  EXPECT_THAT(failure,
              ::testing::HasSubstr("\n  stat " + p("no") + " (thread "));
  EXPECT_THAT(session.real_disk_accesses(),
              ElementsAre(Access("stat", p("no"))));
  EXPECT_FALSE(memfs::real_disk_recording());
}

TEST_F(RealDiskTest, ASessionDroppedUnfinishedLeavesTheNextOnesRecording) {
  setenv("MEMFS_REAL_DISK", "report", 1);
  memfs::TestIdentity a;
  a.full_name = "Suite.CutShort";
  auto cut_short = std::make_unique<memfs::TestSession>(a);
  cut_short->start_real_disk_recording();
  memfs::TestIdentity b;
  b.full_name = "Suite.Next";
  memfs::TestSession next(b);
  next.start_real_disk_recording();
  cut_short.reset();  // as an adapter drops a run that never ended
  unsetenv("MEMFS_REAL_DISK");
  EXPECT_TRUE(memfs::real_disk_recording());
  struct stat st;
  (void)::stat(p("x").c_str(), &st);
  EXPECT_EQ(next.stop_real_disk_recording(), "");  // report: no failure
  EXPECT_THAT(next.real_disk_accesses(), ElementsAre(Access("stat", p("x"))));
}

TEST_F(RealDiskTest, AForkedChildDoesNotRecord) {
  memfs::start_real_disk_recording();
  pid_t child = ::fork();
  if (child == 0) {
    struct stat st;
    (void)::stat(p("in-child").c_str(), &st);
    _exit(memfs::real_disk_recording() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(memfs::stop_real_disk_recording(), IsEmpty());
}

}  // namespace
