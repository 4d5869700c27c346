// Placeholder so memfs::catch2 builds (a library needs at least one source)
// before its module lands. Delete this file when the first real source of
// catch2_adapter/src/ is added.

namespace memfs::detail {

/// The name of the library this translation unit belongs to.
const char* catch2_module_name() noexcept;
const char* catch2_module_name() noexcept { return "memfs::catch2"; }

}  // namespace memfs::detail
