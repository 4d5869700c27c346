// The definition behind the adapters' weak reference (detail::mount_for_test
// in memfs/intercept.hpp): linking this OBJECT library is what makes
// mount_path() work, with no registration step that could run too late or
// be dropped by the linker.
#include "memfs/intercept.hpp"

namespace memfs::detail {

std::shared_ptr<void> mount_for_test(FileSystem& fs,
                                     const std::string& host_dir) {
  return std::make_shared<Mount>(fs, host_dir);
}

}  // namespace memfs::detail
