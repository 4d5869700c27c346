// Test support: a googletest TestIdentity with every field set, as the tests
// that export sessions build them.
#pragma once

#include <string>
#include <utility>

#include "memfs/test_session.hpp"

namespace memfs::test_support {

/// googletest's identity of `full_name` (value parameter `parameter`),
/// defined at `file`:`line`, run alone by `command`, distinct by
/// `run_suffix`.
inline memfs::TestIdentity gtest_identity(std::string full_name,
                                          std::string parameter,
                                          std::string file, int line,
                                          std::string command,
                                          std::string run_suffix = {}) {
  memfs::TestIdentity id;
  id.full_name = std::move(full_name);
  id.framework = "googletest";
  id.parameter = std::move(parameter);
  id.file = std::move(file);
  id.line = line;
  id.run_suffix = std::move(run_suffix);
  id.command = std::move(command);
  return id;
}

}  // namespace memfs::test_support
