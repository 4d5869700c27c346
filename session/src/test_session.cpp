// TestSession: the lazily created filesystem + injector of one test run, and
// finish(), which exports per policy and writes the report. Naming and the
// environment are in test_session_env.cpp.
#include "memfs/test_session.hpp"

#include <atomic>
#include <exception>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>

#include "memfs/snapshot.hpp"
#include "session_registry.hpp"
#include "snapshot_packing.hpp"

namespace memfs {
namespace {

constexpr std::string_view kCommandPlaceholder = "<test command>";

// The session whose real-disk recording runs (the recording is
// process-wide; see start_real_disk_recording()).
std::atomic<const TestSession*> g_recording_owner{nullptr};

// describe_log() with its "<test command>" placeholder replaced by `command`.
std::string fault_summary(const FaultInjector& faults,
                          const std::string& command) {
  std::string text = faults.describe_log();
  if (command.empty()) return text;
  auto at = text.rfind(kCommandPlaceholder);
  if (at != std::string::npos)
    text.replace(at, kCommandPlaceholder.size(), command);
  return text;
}

// The "reproduce with: ..." line of a summary, without its newline.
std::string reproduce_line(const std::string& summary) {
  constexpr std::string_view kPrefix = "reproduce with: ";
  auto at = summary.rfind(kPrefix);
  if (at == std::string::npos) return {};
  auto end = summary.find('\n', at);
  return summary.substr(at + kPrefix.size(), end == std::string::npos
                                                 ? std::string::npos
                                                 : end - at - kPrefix.size());
}

JsonValue test_section(const TestIdentity& id) {
  JsonValue test = JsonValue::object();
  test.set("name", id.full_name);
  test.set("framework", id.framework);
  test.set("parameter", id.parameter);
  test.set("file", id.file);
  test.set("line", id.line);
  test.set("location", id.file + ":" + std::to_string(id.line));
  test.set("run", id.run_suffix);
  test.set("command", id.command);
  return test;
}

JsonValue faults_section(const FaultInjector& faults,
                         const std::string& summary) {
  JsonValue section = JsonValue::object();
  section.set("seed", faults.seed());
  JsonValue rules = JsonValue::array();
  for (const auto& rule : faults.rules()) rules.push_back(rule.text);
  section.set("rules", std::move(rules));
  JsonValue log = JsonValue::array();
  for (const auto& entry : faults.log()) log.push_back(to_string(entry));
  section.set("log", std::move(log));
  section.set("dropped", faults.log_dropped());
  section.set("summary", summary);
  section.set("reproduce", reproduce_line(summary));
  JsonValue timeline = JsonValue::array();
  for (const auto& entry : faults.log()) {
    JsonValue e = JsonValue::object();
    e.set("sequence", entry.sequence);
    e.set("op", op_name(entry.op));
    e.set("path", entry.path);
    e.set("path2", entry.path2);
    e.set("rule_id", static_cast<std::uint64_t>(entry.rule_id));
    e.set("rule", entry.rule);
    e.set("action", entry.action);
    e.set("call", entry.call);
    timeline.push_back(std::move(e));
  }
  section.set("timeline", std::move(timeline));
  return section;
}

// True when the fault log is worth showing to a person.
bool faults_worth_reporting(const FaultInjector& faults) {
  return !faults.rules().empty() || !faults.log().empty() ||
         faults.log_dropped() != 0;
}

// Appends `message` to sections.failures of the manifest in `folder`,
// written to a temporary file renamed over it (a reader sees the old or the
// new manifest, never half of one). Best effort: a failure leaves it as is.
void append_failure_to_manifest(const std::filesystem::path& folder,
                                const std::string& message) {
  const std::filesystem::path path = folder / "manifest.json";
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  std::error_code ec;
  JsonValue manifest = JsonValue::parse(text, ec);
  const JsonValue* found = manifest.find("sections");
  if (ec || found == nullptr || found->find("failures") == nullptr) return;
  JsonValue sections = *found;
  JsonValue failures = *sections.find("failures");
  failures.push_back(message);
  sections.set("failures", std::move(failures));
  manifest.set("sections", std::move(sections));
  const std::filesystem::path temporary = folder / "manifest.json.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << manifest.dump() << "\n";
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) std::filesystem::remove(temporary, ec);
}

}  // namespace

TestSession::TestSession(TestIdentity id) : id_(std::move(id)) {}

TestSession::~TestSession() {
  end_mount_locked();  // the Mount refers to fs_
  try {
    stop_real_disk_locked();  // no other thread may use a dying session
  } catch (...) {
    // Out of memory copying what was recorded: it is dropped with us.
  }
  if (remove_folder_) {  // MEMFS_SNAPSHOT_FORMAT=tar.gz: the archive stays
    std::error_code ignored;
    std::filesystem::remove_all(exported_, ignored);
  }
  if (fs_) detail::unregister_session(fs_.get());
  faults_.reset();  // detaches from fs_, so it must go first
  fs_.reset();
}

namespace {

std::string already_in_use(const TestIdentity& id, const char* what) {
  return "memfs: the filesystem of test '" + id.full_name +
         "' is already in use, so its " + what +
         " can no longer change; set it before the first fs()/faults() call "
         "(for a "
         "GoogleTest fixture: override memory_options()/golden_tree() or call "
         "set_memory_options()/use_golden() first)";
}

// The manifest's "golden" section and the report's lines about it.
JsonValue golden_section(const GoldenTree& golden,
                         const std::vector<TreeDifference>& diffs) {
  JsonValue list = JsonValue::array();
  for (std::size_t i = 0;
       i < diffs.size() && i < TestSession::kMaxGoldenDifferences; ++i) {
    JsonValue d = JsonValue::object();
    d.set("kind", detail::tree_difference_kind_name(diffs[i].kind));
    d.set("path", diffs[i].path);
    d.set("directory", diffs[i].directory);
    list.push_back(std::move(d));
  }
  JsonValue section = JsonValue::object();
  section.set("name", golden.name());
  section.set("source", golden.source());
  section.set("differences_total", static_cast<std::uint64_t>(diffs.size()));
  section.set("differences", std::move(list));
  return section;
}

std::string golden_report(const GoldenTree& golden,
                          const std::vector<TreeDifference>& diffs) {
  std::string text =
      "memfs: started from golden tree '" + golden.name() + "' (" +
      golden.source() + "); " + std::to_string(diffs.size()) +
      (diffs.size() == 1 ? " path differs" : " paths differ") + " from it";
  if (diffs.empty()) return text + "\n";
  return text + ":\n" + indent_lines(describe_tree_diff(diffs, 10), "  ") +
         "\n";
}

}  // namespace

void TestSession::set_options(const MemoryOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fs_ && pristine_mount_locked()) {
    options_ = options;
    rebuild_locked();
    return;
  }
  if (fs_) throw std::logic_error(already_in_use(id_, "options"));
  options_ = options;
}

void TestSession::set_golden(const GoldenTree& golden) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fs_ && pristine_mount_locked()) {  // only mounted so far: start over
    golden_ = golden;
    rebuild_locked();
    return;
  }
  if (fs_) throw std::logic_error(already_in_use(id_, "golden tree"));
  golden_ = golden;
}

const GoldenTree* TestSession::golden() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return golden_ ? &*golden_ : nullptr;
}

void TestSession::create_locked() {
  if (!fs_) rebuild_locked();
}

void TestSession::rebuild_locked() {
  auto fs =
      golden_ ? golden_->clone() : std::make_unique<MemoryFileSystem>(options_);
  auto faults = std::make_unique<FaultInjector>(*fs);
  faults->load_from_env();  // throws on bad rules; `faults` detaches first
  const bool remount = mount_ != nullptr;
  mount_.reset();  // the old filesystem's mount, if any; TMPDIR stays
  if (fs_) detail::unregister_session(fs_.get());
  faults_ = std::move(faults);  // the old injector goes before its fs
  fs_ = std::move(fs);
  detail::register_session(fs_.get(), this);
  if (remount) mount_locked();
}

MemoryFileSystem& TestSession::fs() {
  std::lock_guard<std::mutex> lock(mutex_);
  create_locked();
  handed_out_ = true;
  return *fs_;
}

FaultInjector& TestSession::faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  create_locked();
  handed_out_ = true;
  return *faults_;
}

void TestSession::set_identity(TestIdentity id) {
  std::lock_guard<std::mutex> lock(mutex_);
  id_ = std::move(id);
}

bool TestSession::used() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return handed_out_;
}

void TestSession::add_failure(std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exported_.empty()) append_failure_to_manifest(exported_, message);
  if (!archive_.empty()) detail::repack_snapshot(exported_, archive_);
  failures_.push_back(std::move(message));
}

std::vector<std::string> TestSession::failures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_;
}

std::string TestSession::open_handles_failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!fs_) return {};
  const std::vector<HandleInfo> handles = fs_->open_handles();
  if (handles.empty()) return {};
  std::string text = "memfs: " + std::to_string(handles.size()) +
                     (handles.size() == 1 ? " file" : " files") +
                     " still open at the end of " + id_.full_name +
                     " (a File that outlives its test, e.g. in a static; from "
                     "now on it fails with bad_file_descriptor):";
  for (const HandleInfo& h : handles) {
    text += "\n  " + h.path + " (mode \"" + h.mode + "\"";
    if (h.lock) {
      text += *h.lock == LockMode::shared ? ", shared lock held"
                                          : ", exclusive lock held";
    }
    if (h.removed) text += ", removed since";
    text += ", opened during " + id_.full_name + " by " + h.owner + ")";
  }
  return text;
}

void TestSession::start_real_disk_recording() {
  const RealDiskMode mode = real_disk_mode_from_env();
  const detail::RealDiskHooks* hooks = detail::real_disk_hooks();
  std::lock_guard<std::mutex> lock(mutex_);
  real_disk_mode_ = mode;
  if (mode == RealDiskMode::allow || hooks == nullptr || recording_) return;
  // Taken from a session that never stopped (a run cut short), whose
  // destructor then leaves this recording alone.
  g_recording_owner.store(this);
  hooks->start();
  recording_ = true;
  hooks->allow_for_recording(snapshot_root().string());
}

std::string TestSession::stop_real_disk_recording() {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_real_disk_locked();
  if (real_disk_mode_ != RealDiskMode::fail) return {};
  return describe_real_disk_accesses(real_disk_, id_.full_name,
                                     real_disk_mode_);
}

void TestSession::stop_real_disk_locked() {
  if (!recording_) return;
  recording_ = false;
  const TestSession* self = this;
  if (!g_recording_owner.compare_exchange_strong(self, nullptr)) return;
  std::vector<RealDiskAccess> found = detail::real_disk_hooks()->stop();
  real_disk_.insert(real_disk_.end(), found.begin(), found.end());
}

std::vector<RealDiskAccess> TestSession::real_disk_accesses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return real_disk_;
}

void TestSession::add_tree_diff(JsonValue diff) {
  std::lock_guard<std::mutex> lock(diffs_mutex_);
  const auto& items = tree_diffs_.items();
  if (items.size() >= kMaxTreeDiffs || (!items.empty() && items.back() == diff))
    return;
  tree_diffs_.push_back(std::move(diff));
}

TestSession::Outcome TestSession::finish(bool failed) noexcept {
  Outcome out;
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    // Unmounted first: the test is over, and so is its environment.
    end_mount_locked();
    if (finished_) return out;
    stop_real_disk_locked();
    if (real_disk_mode_ == RealDiskMode::report && !real_disk_.empty()) {
      out.report = describe_real_disk_accesses(real_disk_, id_.full_name,
                                               real_disk_mode_) +
                   "\n";
    }
    if (!fs_) {
      real_disk_.clear();  // reported once
      return out;
    }
    finished_ = true;
    const SnapshotPolicy policy = policy_from_env();
    const bool wanted = policy == SnapshotPolicy::always ||
                        (policy == SnapshotPolicy::on_failure && failed);
    if (!wanted && !failed) return out;

    const std::string summary = fault_summary(*faults_, id_.command);
    std::string& text = out.report;
    std::vector<TreeDifference> golden_diffs;
    if (golden_) golden_diffs = golden_differences(*golden_, *fs_);
    if (wanted) {
      ExportOptions opts;
      opts.name = folder_name(id_);
      opts.sections.emplace_back("test", test_section(id_));
      JsonValue failures = JsonValue::array();
      for (const auto& f : failures_) failures.push_back(f);
      opts.sections.emplace_back("failures", std::move(failures));
      opts.sections.emplace_back("faults", faults_section(*faults_, summary));
      if (!mount_path_.empty())
        opts.sections.emplace_back("mount_path", JsonValue(mount_path_));
      {
        std::lock_guard<std::mutex> diffs_lock(diffs_mutex_);
        if (tree_diffs_.size() > 0)
          opts.sections.emplace_back("tree_diffs", tree_diffs_);
      }
      if (!real_disk_.empty())
        opts.sections.emplace_back("real_disk_accesses",
                                   real_disk_section(real_disk_));
      if (golden_)
        opts.sections.emplace_back("golden",
                                   golden_section(*golden_, golden_diffs));
      const auto root = snapshot_root();
      SnapshotFormat format = SnapshotFormat::dir;
      std::string format_error;  // an unknown format: the folder is written
      try {
        format = format_from_env();
      } catch (const std::invalid_argument& e) {
        format_error = e.what();
      }
      std::error_code ec;
      ExportReport report;
      std::string why;
      try {
        report = export_to_disk(*fs_, root, opts, ec);
        if (ec) why = ec.message();
      } catch (const std::exception& e) {
        why = e.what();
      }
      if (why.empty()) {
        out.exported = true;
        exported_ = report.folder;
        if (format != SnapshotFormat::dir) {
          try {
            archive_ = detail::pack_snapshot(report.folder);
          } catch (const std::exception& e) {
            format_error = "memfs: could not pack the snapshot of " +
                           id_.full_name + " into a .tar.gz (the folder " +
                           "stays): " + e.what();
          }
        }
        out.archive = archive_;
        remove_folder_ = format == SnapshotFormat::tar_gz && !archive_.empty();
        if (!remove_folder_) out.folder = report.folder;
        text += "memfs: snapshot of " + id_.full_name + " written to " +
                out.artifact().string();
        if (!out.folder.empty() && !out.archive.empty())
          text += " and " + out.archive.string();
        text += "\n";
        if (!format_error.empty()) {
          out.error = format_error;
          text += out.error + "\n";
        }
        for (const auto& s : report.skipped) {
          text += "memfs: not in the snapshot (unreadable): " + s.path + " (" +
                  s.error.message() + ")\n";
        }
      } else {
        out.error = "memfs: could not export the snapshot of " + id_.full_name +
                    " to " + root.string() + ": " + why;
        text += out.error + "\n";
      }
    } else {
      text += "memfs: filesystem of " + id_.full_name +
              " at the end of the test (not exported: MEMFS_SNAPSHOT=never)\n";
    }
    if (!failed) return out;  // `always` on a passing test: one line is enough
    RenderOptions render;
    render.max_lines = kReportTreeLines;
    text += render_tree(*fs_, "/", render);
    if (!text.empty() && text.back() != '\n') text += '\n';
    if (golden_) text += golden_report(*golden_, golden_diffs);
    if (faults_worth_reporting(*faults_)) text += summary;
  } catch (const std::exception& e) {
    out.error =
        std::string("memfs: could not finish the test session: ") + e.what();
    out.report += out.error + "\n";
  } catch (...) {
    out.error = "memfs: could not finish the test session: unknown error";
    out.report += out.error + "\n";
  }
  return out;
}

}  // namespace memfs
