// The interposers before main, across threads and across fork.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "intercept/support.hpp"

extern "C" int memfs_early_lib_ok;  // early/early_lib.cpp

namespace memfs_test {
namespace {

int g_early_exe_ok = 0;

// Runs before main (after shared libraries' constructors).
__attribute__((constructor)) void use_files_before_main() {
  struct stat st {};
  int fd = open("/proc/self/status", O_RDONLY);
  char c = 0;
  g_early_exe_ok = stat("/proc/self", &st) == 0 && fd >= 0 &&
                   read(fd, &c, 1) == 1 && close(fd) == 0;
}

class Process : public InterceptTest {};

TEST_F(Process, CallsBeforeMainPassThrough) {
  EXPECT_EQ(memfs_early_lib_ok, 1) << "a shared library's constructor";
  EXPECT_EQ(g_early_exe_ok, 1) << "the executable's constructor";
}

// The wrappers call on to the next definition: under a sanitizer that is
// its interceptor (which checks the call, then calls libc), else libc.
TEST_F(Process, PassThroughReachesTheSanitizerOrLibc) {
  Dl_info info{};
  ASSERT_NE(dladdr(dlsym(RTLD_NEXT, "read"), &info), 0);
  std::string object = info.dli_fname ? info.dli_fname : "";
#if defined(__SANITIZE_ADDRESS__)
  EXPECT_NE(object.find("libasan"), std::string::npos) << object;
#elif defined(__SANITIZE_THREAD__)
  EXPECT_NE(object.find("libtsan"), std::string::npos) << object;
#else
  EXPECT_NE(object.find("libc.so"), std::string::npos) << object;
#endif
}

TEST_F(Process, ThreadsUseTheMountAndTheDiskAtOnce) {
  constexpr int kThreads = 6, kFiles = 40;
  std::vector<std::thread> threads;
  std::vector<int> errors(kThreads, 0);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kFiles; ++i) {
        std::string name = "/t" + std::to_string(t) + "-" + std::to_string(i);
        const std::string& root = (i % 2) ? mount_dir_ : real_dir_;
        { std::ofstream(root + name) << name; }
        std::ifstream in(root + name);
        std::string back;
        in >> back;
        if (back != name) ++errors[static_cast<std::size_t>(t)];
      }
    });
  for (auto& th : threads) th.join();
  for (int e : errors) EXPECT_EQ(e, 0);
  EXPECT_EQ(fs_.list("/").size(),
            static_cast<std::size_t>(kThreads * kFiles / 2));
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

// A forked child has a copy of the parent's mounts and filesystem: what it
// writes does not reach the parent's (a documented limit).
TEST_F(Process, AForkedChildWritesToItsOwnCopy) {
  fs_.write_file("/shared", "parent");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = open((mount_dir_ + "/child").c_str(), O_CREAT | O_WRONLY, 0644);
    char buf[6];
    int in = open((mount_dir_ + "/shared").c_str(), O_RDONLY);
    bool ok = fd >= 0 && in >= 0 && read(in, buf, 6) == 6 &&
              std::string(buf, 6) == "parent";
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(fs_.exists("/child"));
  EXPECT_FALSE(std::filesystem::exists(mount_dir_ + "/child"));
}

}  // namespace
}  // namespace memfs_test
