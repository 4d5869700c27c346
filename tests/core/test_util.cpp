#include "test_util.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "memfs/path.hpp"

namespace memfs::test {

std::string error_name(std::errc e) {
  return std::make_error_condition(e).message();
}

std::string error_name(memfs::errc e) {
  return "memfs:" + make_error_code(e).message();
}

std::string error_name(const std::error_code& ec) {
  if (!ec) return "success";
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) +
         " (" + ec.message() + ")";
}

void make_tree(FileSystem& fs, std::initializer_list<std::string> paths) {
  for (const std::string& p : paths) {
    if (!p.empty() && p.back() == '/') {
      fs.create_directories(p);
    } else {
      fs.create_directories(parent_path(p));
      fs.write_file(p, p);
    }
  }
}

NodeCounts count_nodes(FileSystem& fs) {
  NodeCounts n;
  for (const WalkEntry& e : fs.walk("/")) {
    n.directories += 1;
    n.files += e.files.size();
  }
  return n;
}

std::uint64_t sum_of_file_sizes(FileSystem& fs) {
  std::uint64_t total = 0;
  for (const WalkEntry& e : fs.walk("/")) {
    for (const std::string& f : e.files)
      total += fs.file_size(join_path(e.path, f));
  }
  return total;
}

namespace {

// Printable form of file contents: short data escaped, long data summarized
// by a hash so that the picture stays readable.
std::string show_bytes(const std::string& data) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (char c : data) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  std::ostringstream out;
  const std::size_t shown = data.size() < 32 ? data.size() : 32;
  out << '"';
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out << data[i];
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out << buf;
    }
  }
  out << (shown < data.size() ? "\"..." : "\"") << " #" << std::hex << hash;
  return out.str();
}

long long ticks(std::chrono::system_clock::time_point t) {
  return static_cast<long long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
          .count());
}

}  // namespace

std::string describe_state(FileSystem& fs) {
  std::ostringstream out;
  for (const WalkEntry& e : fs.walk("/")) {
    out << "dir  " << e.path << '\n';
    for (const std::string& name : e.files) {
      const std::string path = join_path(e.path, name);
      const FileStatus st = fs.status(path);
      out << "file " << path << " size=" << st.size << " gen=" << st.generation
          << " created=" << ticks(st.created)
          << " modified=" << ticks(st.modified)
          << " data=" << show_bytes(fs.read_file(path)) << '\n';
    }
  }
  const Stats s = fs.stats();
  out << "stats used=" << s.used << " files=" << s.file_count
      << " dirs=" << s.directory_count << " handles=" << s.open_handles << '\n';
  return out.str();
}

Clock::time_point WaitCountingClock::now() const { return real_->now(); }

Clock::steady_point WaitCountingClock::steady_now() const {
  return real_->steady_now();
}

void WaitCountingClock::wait_until(std::condition_variable& cv,
                                   std::unique_lock<std::mutex>& lock,
                                   steady_point deadline) {
  // The caller holds the filesystem's mutex here; mutex_ is only ever taken
  // briefly and never while waiting for the filesystem, so this cannot
  // deadlock.
  {
    std::lock_guard<std::mutex> guard(mutex_);
    ++waiters_;
  }
  changed_.notify_all();
  real_->wait_until(cv, lock, deadline);
  {
    std::lock_guard<std::mutex> guard(mutex_);
    --waiters_;
  }
  changed_.notify_all();
}

void WaitCountingClock::sleep_for(std::chrono::nanoseconds d) {
  // A polled lock wait (DiskFileSystem) sleeps instead of waiting on a
  // condition variable: it counts as a waiter while it sleeps.
  {
    std::lock_guard<std::mutex> guard(mutex_);
    ++waiters_;
  }
  changed_.notify_all();
  real_->sleep_for(d);
  {
    std::lock_guard<std::mutex> guard(mutex_);
    --waiters_;
  }
  changed_.notify_all();
}

bool WaitCountingClock::await_waiters(std::uint64_t n) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::minutes(1),
                           [&] { return waiters_ >= n; });
}

std::uint64_t WaitCountingClock::waiters() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return waiters_;
}

}  // namespace memfs::test
