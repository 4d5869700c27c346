// What a user reads stays free of the backend vocabulary: the headers of the
// FileSystem interface declare ErrorInfo (hooks name it) but define it only in
// <memfs/backend.hpp>, with throw_error(), for people who write a backend.
// This file includes no backend header. That file.hpp and the other users'
// headers do not even name ErrorInfo or throw_error is the user-header rule
// of scripts/check-structure.sh (CTest structure.check).
#include <type_traits>

#include <gtest/gtest.h>

#include "memfs/error.hpp"
#include "memfs/file.hpp"
#include "memfs/file_system.hpp"
#include "memfs/hook.hpp"
#include "memfs/path.hpp"

namespace memfs {
namespace {

template <class T, class = void>
struct is_complete : std::false_type {};
template <class T>
struct is_complete<T, std::void_t<decltype(sizeof(T))>> : std::true_type {};

static_assert(
    !is_complete<ErrorInfo>::value,
    "ErrorInfo belongs in <memfs/backend.hpp>, not in the user's headers");
static_assert(
    !is_complete<OpenFile>::value,
    "OpenFile belongs in <memfs/backend.hpp>, not in the user's headers");

TEST(PublicSurface, AUserSeesErrorsAsCodesAndExceptions) {
  std::error_code ec = errc::quota_exceeded;
  EXPECT_EQ(ec, std::errc::no_space_on_device);
}

}  // namespace
}  // namespace memfs
