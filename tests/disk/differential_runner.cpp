#include "differential_runner.hpp"

#include <algorithm>
#include <sstream>
#include <system_error>
#include <utility>

namespace memfs::test {
namespace {

enum Kind : int {
  kWriteFile,
  kPwrite,
  kAppend,
  kResize,
  kRename,
  kRemove,
  kRemoveAll,
  kMkdir,
  kMkdirs,
  kList,
  kStat,
  kRead,
  kCopyFile,
  kCopy,
  kImport,
  kOpenClose,
  kHandleOpen,
  kHandleWrite,
  kHandlePwrite,
  kHandleRead,
  kHandleTruncate,
  kHandleTryLock,
  kHandleUnlock,
  kHandleSize,
  kHandleClose,
  kKindCount
};

constexpr const char* kKindNames[] = {"write_file",
                                      "pwrite",
                                      "append",
                                      "resize_file",
                                      "rename",
                                      "remove",
                                      "remove_all",
                                      "create_directory",
                                      "create_directories",
                                      "list",
                                      "status",
                                      "read_file",
                                      "copy_file",
                                      "copy",
                                      "import_tree",
                                      "open+close",
                                      "handle.open",
                                      "handle.write",
                                      "handle.pwrite",
                                      "handle.pread",
                                      "handle.truncate",
                                      "handle.try_lock",
                                      "handle.unlock",
                                      "handle.size",
                                      "handle.close"};

// How often each kind is drawn (namespace changes and writes dominate).
constexpr int kWeights[] = {12, 8, 6, 5, 12, 7, 3, 9, 4, 5, 5, 5, 3,
                            3,  3, 4, 4, 4,  3, 3, 2, 2, 2, 1, 4};
static_assert(sizeof kWeights / sizeof kWeights[0] == kKindCount);

std::string error_text(const std::error_code& ec) {
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) +
         " (" + ec.message() + ")";
}

std::string outcome(const std::error_code& ec, const std::string& value = {}) {
  return ec ? "error " + error_text(ec) : "ok " + value;
}

// Bytes as printable text: tests compare and print it.
std::string show(const std::string& data) {
  std::ostringstream out;
  out << '"';
  for (char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out << static_cast<char>(c);
    } else {
      out << "\\x"
          << "0123456789abcdef"[c >> 4] << "0123456789abcdef"[c & 15];
    }
  }
  out << '"';
  return out.str();
}

std::string describe(const FileStatus& st) {
  if (st.is_directory()) return "directory";
  return "file size=" + std::to_string(st.size);
}

}  // namespace

DifferentialRunner::DifferentialRunner(std::uint64_t seed)
    : rng_(seed),
      memory_(std::make_unique<MemoryFileSystem>()),
      disk_(DiskFileSystem::create_temporary()) {}

DifferentialRunner::~DifferentialRunner() {
  handles_.clear();  // every File before its filesystem
}

std::uint64_t DifferentialRunner::below(std::uint64_t n) {
  return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
}

std::string DifferentialRunner::random_name() {
  static const char* const kNames[] = {"a", "b", "c"};
  return kNames[below(3)];
}

// Few names and shallow depth, so operations collide often; sometimes a
// trailing slash, sometimes the root.
std::string DifferentialRunner::random_path() {
  if (below(40) == 0) return "/";
  std::string p;
  const std::uint64_t depth = 1 + below(3);
  for (std::uint64_t i = 0; i < depth; ++i) p += "/" + random_name();
  if (below(10) == 0) p += "/";
  return p;
}

std::string DifferentialRunner::random_data() {
  std::string s(below(41), '\0');
  for (char& c : s) {
    c = below(8) == 0 ? static_cast<char>(below(256))
                      : static_cast<char>('a' + below(26));
  }
  return s;
}

std::string DifferentialRunner::random_mode() {
  static const char* const kModes[] = {"r",  "r+", "w",   "w+", "a",
                                       "a+", "wx", "w+x", "ax", "rb"};
  return kModes[below(10)];
}

std::string DifferentialRunner::apply(FileSystem& fs, File* handle, int kind) {
  using std::filesystem::copy_options;
  const Args& a = args_;
  std::error_code ec;
  switch (kind) {
    case kWriteFile:
      fs.write_file(a.a, a.data, ec);
      return outcome(ec);
    case kPwrite:
    case kAppend: {
      File f = fs.open(a.a, kind == kPwrite ? "r+" : "a", ec);
      if (ec) return "open " + outcome(ec);
      const std::size_t n = kind == kPwrite ? f.pwrite(a.offset, a.data, ec)
                                            : f.write(a.data, ec);
      const std::uint64_t at = ec ? 0 : f.tell();
      if (!ec) f.close(ec);
      return outcome(
          ec, "wrote=" + std::to_string(n) + " tell=" + std::to_string(at));
    }
    case kResize:
      fs.resize_file(a.a, a.size, ec);
      return outcome(ec);
    case kRename:
      fs.rename(a.a, a.b, ec);
      return outcome(ec);
    case kRemove: {
      const bool r = fs.remove(a.a, ec);
      return outcome(ec, r ? "removed" : "nothing");
    }
    case kRemoveAll: {
      const std::uint64_t n = fs.remove_all(a.a, ec);
      return outcome(ec, std::to_string(n));
    }
    case kMkdir: {
      const bool r = fs.create_directory(a.a, ec);
      return outcome(ec, r ? "created" : "existed");
    }
    case kMkdirs: {
      const bool r = fs.create_directories(a.a, ec);
      return outcome(ec, r ? "created" : "existed");
    }
    case kList: {
      std::string names;
      for (const DirEntry& e : fs.list_entries(a.a, ec)) {
        names += e.name + (e.type == FileType::directory ? "/ " : " ");
      }
      return outcome(ec, names);
    }
    case kStat: {
      const FileStatus st = fs.status(a.a, ec);
      return outcome(ec, ec ? "" : describe(st));
    }
    case kRead: {
      const std::string data = fs.read_file(a.a, ec);
      return outcome(ec, show(data));
    }
    case kCopyFile: {
      const copy_options opts[] = {copy_options::none,
                                   copy_options::skip_existing,
                                   copy_options::overwrite_existing};
      const bool r = fs.copy_file(a.a, a.b, opts[a.size % 3], ec);
      return outcome(ec, r ? "copied" : "skipped");
    }
    case kCopy: {
      const copy_options opts[] = {copy_options::none,
                                   copy_options::skip_existing,
                                   copy_options::overwrite_existing};
      fs.copy(a.a, a.b, opts[a.size % 3], ec);
      return outcome(ec);
    }
    case kImport:
      fs.import_tree({{a.a, a.data}, {a.b, a.mode}}, ec);
      return outcome(ec);
    case kOpenClose: {
      File f = fs.open(a.a, OpenMode(a.mode), ec);
      if (ec) return "open " + outcome(ec);
      if (f.mode().can_write()) (void)f.write(a.data, ec);
      if (!ec) f.close(ec);
      return outcome(ec);
    }
    default:
      break;
  }
  // Operations on an open handle.
  if (kind == kHandleWrite)
    return outcome(ec, std::to_string(handle->write(a.data, ec)));
  if (kind == kHandlePwrite) {
    return outcome(ec, std::to_string(handle->pwrite(a.offset, a.data, ec)));
  }
  if (kind == kHandleRead) {
    std::string buf(a.size, '\0');
    buf.resize(handle->pread(a.offset, buf.data(), buf.size(), ec));
    return outcome(ec, show(buf));
  }
  if (kind == kHandleTruncate) return handle->truncate(a.size, ec), outcome(ec);
  if (kind == kHandleTryLock) {
    const bool got = handle->try_lock(
        a.size % 2 ? LockMode::exclusive : LockMode::shared, ec);
    return outcome(ec, got ? "locked" : "busy");
  }
  if (kind == kHandleUnlock) return handle->unlock(ec), outcome(ec);
  if (kind == kHandleSize) return outcome(ec, std::to_string(handle->size(ec)));
  return "unknown operation";
}

std::string DifferentialRunner::compare_state() {
  auto picture = [](FileSystem& fs) {
    std::ostringstream out;
    std::error_code ec;
    for (const WalkEntry& e : fs.walk("/", ec)) {
      out << "d " << e.path << "\n";
      for (const std::string& f : e.files) {
        const std::string path = e.path == "/" ? "/" + f : e.path + "/" + f;
        out << "f " << path << " " << show(fs.read_file(path, ec)) << "\n";
      }
    }
    if (ec) out << "walk error " << error_text(ec) << "\n";
    const Stats s = fs.stats();
    out << "stats used=" << s.used << " files=" << s.file_count
        << " dirs=" << s.directory_count << " handles=" << s.open_handles
        << "\n";
    // open_handles() is sorted by path only; the order of handles on one
    // path is unspecified, so compare them as a sorted set.
    std::vector<std::string> handles;
    for (const HandleInfo& h : fs.open_handles()) {
      handles.push_back(
          "handle " + h.path + " " + h.mode + " lock=" +
          (h.lock ? (*h.lock == LockMode::shared ? "shared" : "exclusive")
                  : "none") +
          (h.removed ? " removed" : "") + "\n");
    }
    std::sort(handles.begin(), handles.end());
    for (const std::string& h : handles) out << h;
    return out.str();
  };
  const std::string m = picture(*memory_);
  const std::string d = picture(*disk_);
  if (m == d) return {};
  return "state differs\n--- memory\n" + m + "--- disk\n" + d;
}

std::string DifferentialRunner::step() {
  int sum = 0;
  for (int w : kWeights) sum += w;
  const int pick = static_cast<int>(below(static_cast<std::uint64_t>(sum)));
  int kind = 0;
  for (int total = kWeights[0]; pick >= total; total += kWeights[++kind]) {
  }
  if (kind > kHandleOpen && handles_.empty()) kind = kHandleOpen;
  args_ = Args{random_path(),
               random_path(),
               random_data(),
               random_mode(),
               below(64),
               below(80),
               handles_.empty() ? 0 : below(handles_.size())};
  std::string what =
      std::to_string(steps_) + ": " + kKindNames[kind] + " " + args_.a;
  if (kind == kRename || kind == kCopyFile || kind == kCopy ||
      kind == kImport) {
    what += " -> " + args_.b;
  }
  if (kind == kOpenClose || kind == kHandleOpen) what += " mode " + args_.mode;
  if (kind > kHandleOpen)
    what += " [handle " + std::to_string(args_.handle) + "]";
  what += " (data " + show(args_.data) + ", offset " +
          std::to_string(args_.offset) + ", size " +
          std::to_string(args_.size) + ")";
  history_.push_back(what);
  if (history_.size() > 25) history_.pop_front();
  ++steps_;

  std::string m, d;
  if (kind == kHandleOpen) {
    if (handles_.size() >= 4) return {};
    std::error_code mec, dec;
    HandlePair pair{memory_->open(args_.a, OpenMode(args_.mode), mec),
                    disk_->open(args_.a, OpenMode(args_.mode), dec), args_.a,
                    args_.mode};
    m = outcome(mec);
    d = outcome(dec);
    if (!mec || !dec) handles_.push_back(std::move(pair));
  } else if (kind == kHandleClose) {
    std::error_code mec, dec;
    handles_[args_.handle].memory.close(mec);
    handles_[args_.handle].disk.close(dec);
    handles_.erase(handles_.begin() +
                   static_cast<std::ptrdiff_t>(args_.handle));
    m = outcome(mec);
    d = outcome(dec);
  } else {
    HandlePair* h = kind > kHandleOpen ? &handles_[args_.handle] : nullptr;
    m = apply(*memory_, h ? &h->memory : nullptr, kind);
    d = apply(*disk_, h ? &h->disk : nullptr, kind);
  }
  std::string problem;
  if (m != d)
    problem = "outcomes differ\n  memory: " + m + "\n  disk:   " + d + "\n";
  if (problem.empty()) problem = compare_state();
  if (problem.empty()) return {};
  std::string report = problem + "recent operations:\n";
  for (const std::string& h : history_) report += "  " + h + "\n";
  return report;
}

}  // namespace memfs::test
