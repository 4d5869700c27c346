// Placeholder so memfs::fault builds (a library needs at least one source)
// before its module lands. Delete this file when the first real source of
// fault_injection/src/ is added.

namespace memfs::detail {

/// The name of the library this translation unit belongs to.
const char* fault_module_name() noexcept;
const char* fault_module_name() noexcept { return "memfs::fault"; }

}  // namespace memfs::detail
