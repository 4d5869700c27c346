#include "intercept/support.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace memfs_test {
namespace {

void walk(const std::string& root, const std::string& rel,
          std::vector<std::string>& out) {
  std::string dir = rel.empty() ? root : root + "/" + rel;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    out.push_back(rel + " opendir errno=" + Trace::errno_name(errno));
    return;
  }
  std::vector<std::string> names;
  while (struct dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    std::string r = rel.empty() ? n : rel + "/" + n;
    std::string full = root + "/" + r;
    struct stat st {};
    if (lstat(full.c_str(), &st) != 0) {
      out.push_back(r + " lstat errno=" + Trace::errno_name(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      out.push_back(r + "/ " + stat_line(st));
      walk(root, r, out);
    } else {
      std::string data;
      int fd = open(full.c_str(), O_RDONLY);
      char buf[4096];
      ssize_t n2;
      while (fd >= 0 && (n2 = read(fd, buf, sizeof buf)) > 0)
        data.append(buf, static_cast<std::size_t>(n2));
      if (fd >= 0) close(fd);
      out.push_back(r + " " + stat_line(st, false) + " [" + data + "]");
    }
  }
}

}  // namespace

void expect_same(const std::string& what, const std::vector<std::string>& mount,
                 const std::vector<std::string>& disk) {
  if (mount == disk) return;
  std::ostringstream msg;
  msg << what << " diverged (mount | disk):\n";
  std::size_t n = std::max(mount.size(), disk.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& a = i < mount.size() ? mount[i] : "<none>";
    const std::string& b = i < disk.size() ? disk[i] : "<none>";
    if (a != b)
      msg << "  #" << i << " mount: " << a << "\n      disk:  " << b << "\n";
  }
  ADD_FAILURE() << msg.str();
}

std::vector<std::string> tree_of(const std::string& root) {
  std::vector<std::string> out;
  walk(root, "", out);
  return out;
}

std::string stat_line(const struct stat& st, bool blocks) {
  std::ostringstream s;
  s << "mode=" << std::oct << st.st_mode << std::dec
    << " nlink=" << st.st_nlink;
  if (!S_ISDIR(st.st_mode)) s << " size=" << st.st_size;
  if (!S_ISDIR(st.st_mode) && blocks) s << " blocks=" << st.st_blocks;
  s << " uid=" << st.st_uid;
  return s.str();
}

InterceptTest::InterceptTest() {
  umask(022);
  std::string base =
      "/dev/shm/memfs-intercept-" + std::to_string(getpid()) + "-" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(base.begin(), base.end(), '/', '_');
  base.replace(0, std::string("_dev_shm_").size(), "/dev/shm/");
  // Same length on both sides: paths near PATH_MAX fail at the same depth.
  mount_dir_ = base + "-mem";
  real_dir_ = base + "-dsk";
  std::filesystem::remove_all(real_dir_);
  std::filesystem::create_directory(real_dir_);
  mount_ = std::make_unique<memfs::Mount>(fs_, mount_dir_);
}

InterceptTest::~InterceptTest() {
  mount_.reset();
  std::error_code ec;
  std::filesystem::remove_all(real_dir_, ec);
  EXPECT_FALSE(std::filesystem::exists(mount_dir_))
      << "the mount left " << mount_dir_ << " on the real disk";
}

void InterceptTest::differential(
    const std::function<void(const std::string& root, Trace& tr)>& body) {
  Trace on_mount, on_disk;
  body(mount_dir_, on_mount);
  body(real_dir_, on_disk);
  if (std::getenv("MEMFS_TEST_SHOW_TRACE"))
    for (const auto& l : on_mount.lines) std::printf("  %s\n", l.c_str());
  expect_same("calls", on_mount.lines, on_disk.lines);
  expect_same("trees", tree_of(mount_dir_), tree_of(real_dir_));
}

void InterceptTest::differential_seeds(
    std::vector<std::uint32_t> seeds,
    const std::function<void(const std::string& root, std::uint32_t seed,
                             Trace& tr)>& run) {
  if (const char* s = std::getenv("MEMFS_TEST_SEED"))
    seeds = {static_cast<std::uint32_t>(std::strtoul(s, nullptr, 0))};
  for (std::uint32_t seed : seeds) {
    SCOPED_TRACE("MEMFS_TEST_SEED=" + std::to_string(seed));
    differential(
        [&](const std::string& root, Trace& tr) { run(root, seed, tr); });
    // Start the next seed from empty trees on both sides.
    std::filesystem::remove_all(real_dir_);
    std::filesystem::create_directory(real_dir_);
    for (const std::string& name : fs_.list("/")) fs_.remove_all("/" + name);
    if (HasFailure()) break;
  }
}

}  // namespace memfs_test
