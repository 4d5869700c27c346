// fileno on many mounted streams open at once: the table that maps a
// stream to its descriptor has 1024 slots, and what does not fit goes to a
// map.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class ManyStreams : public InterceptTest {};

TEST_F(ManyStreams, EveryStreamKnowsItsDescriptorPastTheTable) {
  // 1100 streams when the descriptor limit allows (it is raised as far as
  // it may be), and a margin for the descriptors the process holds.
  struct rlimit rl {};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  const struct rlimit before = rl;
  if (rl.rlim_cur < 1200) {
    rl.rlim_cur = std::min<rlim_t>(1200, rl.rlim_max);
    setrlimit(RLIMIT_NOFILE, &rl);
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  }
  const std::size_t count =
      std::min<std::size_t>(1100, static_cast<std::size_t>(rl.rlim_cur) - 100);
  std::vector<std::FILE*> streams;
  std::set<int> fds;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string path = mount_dir_ + "/f" + std::to_string(i);
    std::FILE* fp = std::fopen(path.c_str(), "w");
    ASSERT_NE(fp, nullptr) << i;
    streams.push_back(fp);
    const int fd = fileno(fp);
    ASSERT_GE(fcntl(fd, F_GETFL), 0) << i;  // a memfs descriptor
    EXPECT_TRUE(fds.insert(fd).second) << i;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::string text = std::to_string(i);
    // Through the descriptor fileno gives: it must be this stream's file.
    ASSERT_EQ(write(fileno(streams[i]), text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  for (std::FILE* fp : streams) EXPECT_EQ(std::fclose(fp), 0);
  for (std::size_t i = 0; i < count; ++i)
    EXPECT_EQ(fs_.read_file("/f" + std::to_string(i)), std::to_string(i));
  EXPECT_EQ(fs_.stats().open_handles, 0u);
  setrlimit(RLIMIT_NOFILE, &before);
}

}  // namespace
}  // namespace memfs_test
