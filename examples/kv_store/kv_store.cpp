// KvStore: append, replay and compaction on a memfs::FileSystem.
#include "kv_store.hpp"

#include <cstdlib>
#include <utility>

#include "atomic_file.hpp"
#include "memfs/file.hpp"

namespace example {
namespace {

std::string put_record(std::string_view key, std::string_view value) {
  return "put " + std::to_string(key.size()) + " " +
         std::to_string(value.size()) + "\n" + std::string(key) +
         std::string(value) + "\n";
}

std::string del_record(std::string_view key) {
  return "del " + std::to_string(key.size()) + "\n" + std::string(key) + "\n";
}

// Reads a decimal number at `pos`, followed by `end`; false if malformed.
bool read_number(const std::string& s, std::size_t& pos, char end,
                 std::size_t& out) {
  const std::size_t stop = s.find(end, pos);
  if (stop == std::string::npos || stop == pos) return false;
  out = 0;
  for (std::size_t i = pos; i < stop; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<std::size_t>(s[i] - '0');
  }
  pos = stop + 1;
  return true;
}

}  // namespace

KvStore::KvStore(memfs::FileSystem& fs, std::string dir)
    : fs_(fs), log_(std::move(dir) + "/wal.log") {
  if (!fs_.exists(log_)) {
    // A new store: its directories must survive a crash before the first
    // acknowledged put does (each name is durable once its parent is synced).
    std::string_view d = memfs::parent_path(log_);
    fs_.create_directories(d);
    for (; d != "/"; d = memfs::parent_path(d))
      fs_.sync_directory(memfs::parent_path(d));
    return;
  }
  const std::string log = fs_.read_file(log_);
  const std::size_t valid = replay(log);
  if (valid != log.size()) fs_.resize_file(log_, valid);  // drop a torn tail
}

std::size_t KvStore::replay(const std::string& log) {
  std::size_t pos = 0;
  while (pos < log.size()) {
    std::size_t at = pos + 4, klen = 0, vlen = 0;
    const std::string op = log.substr(pos, 4);
    if (op == "put " && read_number(log, at, ' ', klen) &&
        read_number(log, at, '\n', vlen) && at + klen + vlen < log.size() &&
        log[at + klen + vlen] == '\n') {
      index_[log.substr(at, klen)] = log.substr(at + klen, vlen);
      pos = at + klen + vlen + 1;
    } else if (op == "del " && read_number(log, at, '\n', klen) &&
               at + klen < log.size() && log[at + klen] == '\n') {
      index_.erase(log.substr(at, klen));
      pos = at + klen + 1;
    } else {
      break;  // a torn or garbled record: everything from here is dropped
    }
  }
  return pos;
}

std::error_code KvStore::append(const std::string& record) {
  std::error_code ec;
  memfs::File file = fs_.open(log_, "a", ec);
  if (ec) return ec;
  const std::uint64_t before = file.size(ec);
  if (!ec && file.write(record, ec) != record.size() && !ec) {
    ec = std::make_error_code(std::errc::io_error);  // a short write
  }
  if (!ec) file.sync(ec);
  // The first record created the log: its name is durable once /db is synced.
  if (!ec && before == 0) fs_.sync_directory(memfs::parent_path(log_), ec);
  if (ec) {
    std::error_code ignored;
    file.truncate(before, ignored);  // no half record stays in the log
  }
  std::error_code close_ec;
  file.close(close_ec);
  return ec ? ec : close_ec;
}

std::error_code KvStore::put(std::string_view key, std::string_view value) {
  const std::error_code ec = append(put_record(key, value));
  if (!ec) index_[std::string(key)] = std::string(value);
  return ec;
}

std::error_code KvStore::erase(std::string_view key) {
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  const std::error_code ec = append(del_record(key));
  if (!ec) index_.erase(it);
  return ec;
}

std::optional<std::string> KvStore::get(std::string_view key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::error_code KvStore::compact() {
  std::string data;
  for (const auto& [key, value] : index_) data += put_record(key, value);
  return replace_file_atomically(fs_, log_, data, ".compact");
}

}  // namespace example
