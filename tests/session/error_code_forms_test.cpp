// Every std::error_code& overload of the snapshot, JSON and fault-injection
// headers is noexcept, as std::filesystem's are: checked at compile time.
#include <string_view>
#include <system_error>
#include <utility>

#include <gtest/gtest.h>

#include "memfs/fault_injection.hpp"
#include "memfs/json.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs {
namespace {

// Arguments by std::declval: only the calls themselves are checked.

static_assert(noexcept(JsonValue::parse(std::string_view(),
                                        std::declval<std::error_code&>())));
static_assert(noexcept(export_to_disk(
    std::declval<const FileSystem&>(),
    std::declval<const std::filesystem::path&>(),
    std::declval<const ExportOptions&>(), std::declval<std::error_code&>())));
static_assert(noexcept(import_from_disk(
    std::declval<FileSystem&>(), std::declval<const std::filesystem::path&>(),
    std::string_view(), std::declval<std::error_code&>())));
static_assert(noexcept(std::declval<FaultInjector&>().add(
    std::declval<const FaultRule&>(), std::declval<std::error_code&>())));
static_assert(noexcept(parse_rule(std::string_view(),
                                  std::declval<std::error_code&>())));

TEST(ErrorCodeForms, ReportAnEmptyDocumentThroughTheCode) {
  std::error_code ec;
  const JsonValue value = JsonValue::parse("", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_TRUE(value.is_null());
}

}  // namespace
}  // namespace memfs
