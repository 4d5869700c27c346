// What FileSystem's and File's operations share: the hook consultation and
// the argument checks. See funnel.hpp.
#include "api/funnel.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include "path/path_detail.hpp"

namespace memfs::detail {

bool normalize(std::string_view in, NormalizedPath& out, ErrorInfo& err) {
  if (normalize_reusing(in, out)) return true;
  err.set(std::errc::invalid_argument);
  return false;
}

void explain_missing_parent(ErrorInfo& err) noexcept {
  // (Compared only when set: comparing with an errc makes virtual calls.)
  if (err.code && err.code == std::errc::no_such_file_or_directory) {
    err.detail = "parent does not exist";
  }
}

bool refuse_short_write(const OpContext& ctx, const Injection& inj,
                        ErrorInfo& err) noexcept {
  if (allowed(inj, ctx.length) == ctx.length) return false;
  err.set(errc::injected_fault);
  err.detail = "short write refused (all or nothing)";
  return true;
}

bool refuse_root(const NormalizedPath& p, ErrorInfo& err) noexcept {
  if (!p.is_root()) return false;
  err.set(std::errc::invalid_argument);
  return true;
}

NormalizedPath* ScratchPath::make_slot() {
  struct Release {
    Release() = default;
    Release(const Release&) = delete;
    Release& operator=(const Release&) = delete;
    ~Release() {
      delete slot_;
      slot_ = nullptr;
      busy_ = true;  // for good: later uses get a path of their own
    }
  };
  static thread_local Release release;  // registered on first use
  slot_ = new NormalizedPath();
  return slot_;
}

OpContext op_context(Op op, std::string_view path, std::string_view path2,
                     Transfer transfer) noexcept {
  OpContext ctx;
  ctx.op = op;
  ctx.path = path;
  ctx.path2 = path2;
  ctx.offset = transfer.offset;
  ctx.length = transfer.length;
  ctx.file_size = transfer.file_size;
  return ctx;
}

bool consult(FileSystemHook* hook, const OpContext& ctx, ErrorInfo& err,
             Injection* inj) {
  if (hook == nullptr) return true;
  Injection asked = hook->before(ctx);
  if (asked.error) {
    err.set(asked.error);
    return false;
  }
  if (inj != nullptr) *inj = std::move(asked);
  return true;
}

void refused(FileSystemHook* hook, const OpContext& ctx, const ErrorInfo& err) {
  if (err && hook != nullptr) hook->after_error(ctx, err);
}

}  // namespace memfs::detail
