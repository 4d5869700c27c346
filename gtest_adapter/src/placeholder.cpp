// Placeholder so memfs::gtest builds (a library needs at least one source)
// before its module lands. Delete this file when the first real source of
// gtest_adapter/src/ is added.

namespace memfs::detail {

/// The name of the library this translation unit belongs to.
const char* gtest_module_name() noexcept;
const char* gtest_module_name() noexcept { return "memfs::gtest"; }

}  // namespace memfs::detail
