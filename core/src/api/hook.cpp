// op_name() of memfs/hook.hpp.
#include "memfs/hook.hpp"

namespace memfs {

std::string_view op_name(Op op) noexcept {
  switch (op) {
    case Op::open:
      return "open";
    case Op::read:
      return "read";
    case Op::write:
      return "write";
    case Op::truncate:
      return "truncate";
    case Op::sync:
      return "sync";
    case Op::flush:
      return "flush";
    case Op::close:
      return "close";
    case Op::create:
      return "create";
    case Op::remove:
      return "remove";
    case Op::rename:
      return "rename";
    case Op::copy:
      return "copy";
    case Op::stat:
      return "stat";
    case Op::list:
      return "list";
    case Op::lock:
      return "lock";
  }
  return "unknown";
}

}  // namespace memfs
