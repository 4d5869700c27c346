// The crash-point workload and recovery check that the settings suites of
// both frameworks run: settings saved once ("theme=light", acknowledged),
// then saved again ("theme=dark") by the save function under test. After a
// crash at any point, once the first save was acknowledged, the settings must
// be one of the two values, never missing or empty.
#pragma once

#include <cstddef>
#include <string>
#include <system_error>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"
#include "settings.hpp"

namespace example {

class SettingsCrashCheck {
 public:
  using Save = std::error_code (*)(memfs::FileSystem&, std::string_view,
                                   std::string_view);
  explicit SettingsCrashCheck(Save save) : save_(save) {}

  void operator()(memfs::FileSystem& fs) {
    if (!save_settings(fs, "/settings", "theme=light")) {
      first_acked_at_ = memfs::current_crash_point();
    }
    (void)save_(fs, "/settings", "theme=dark");
  }

  std::string check(memfs::MemoryFileSystem& crashed) const {
    if (memfs::current_crash_point() < first_acked_at_)
      return "";  // nothing promised
    if (!crashed.exists("/settings")) return "settings lost";
    const std::string text = crashed.read_file("/settings");
    if (text != "theme=light" && text != "theme=dark")
      return "settings are \"" + text + "\"";
    return "";
  }

 private:
  Save save_;
  std::size_t first_acked_at_ = static_cast<std::size_t>(-1);
};

}  // namespace example
