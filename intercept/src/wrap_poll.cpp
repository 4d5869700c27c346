// Readiness calls on parked descriptors (placeholders.cpp): the kernel sees
// an open memfd there, the program a closed number. poll/ppoll report
// POLLNVAL for it (and their _FORTIFY_SOURCE forms), select/pselect and epoll_ctl fail with EBADF, as for a
// closed descriptor. Live memfs descriptors go to their placeholder, which
// is always ready for reading and writing, as a regular file is.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include <climits>
#include <vector>

#include "common.hpp"

namespace memfs::idetail {
namespace {

// True when some descriptor is parked (one cache line read).
bool parked_any() noexcept { return t_depth == 0 && any_parked(); }

// Runs `call(timeout_zero)` with the parked entries of fds hidden (a
// negative fd is skipped by the kernel), then marks them POLLNVAL. When one
// is parked the call must not wait: POLLNVAL is an event.
template <class Call>
int poll_parked(struct pollfd* fds, nfds_t n, Call call) {
  std::vector<nfds_t> hidden;
  try {
    for (nfds_t i = 0; i < n; ++i)
      if (is_parked(fds[i].fd)) hidden.push_back(i);
  } catch (...) {
    return fail_errno(ENOMEM);
  }
  for (nfds_t i : hidden) fds[i].fd = ~fds[i].fd;
  const int r = call(!hidden.empty());
  for (nfds_t i : hidden) {
    fds[i].fd = ~fds[i].fd;
    fds[i].revents = POLLNVAL;
  }
  return r < 0 ? r : r + static_cast<int>(hidden.size());
}

// True when a set holds a parked descriptor below nfds.
bool sets_hold_parked(int nfds, const fd_set* r, const fd_set* w,
                      const fd_set* x) {
  for (int fd = 0; fd < nfds && fd < FD_SETSIZE; ++fd) {
    if (!is_parked(fd)) continue;
    if ((r && FD_ISSET(fd, r)) || (w && FD_ISSET(fd, w)) ||
        (x && FD_ISSET(fd, x)))
      return true;
  }
  return false;
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

int poll(struct pollfd* fds, nfds_t n, int timeout) {
  if (!parked_any() || fds == nullptr) return MEMFS_PASS(poll, fds, n, timeout);
  return poll_parked(fds, n, [&](bool now) {
    return MEMFS_PASS(poll, fds, n, now ? 0 : timeout);
  });
}
int ppoll(struct pollfd* fds, nfds_t n, const struct timespec* timeout,
          const sigset_t* mask) {
  if (!parked_any() || fds == nullptr)
    return MEMFS_PASS(ppoll, fds, n, timeout, mask);
  const struct timespec zero {};
  return poll_parked(fds, n, [&](bool now) {
    return MEMFS_PASS(ppoll, fds, n, now ? &zero : timeout, mask);
  });
}
// _FORTIFY_SOURCE's forms: glibc's call its internal poll/ppoll.
int __poll_chk(struct pollfd* fds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd* fds, nfds_t n, const struct timespec* timeout,
                const sigset_t* mask, size_t fdslen);
int __poll_chk(struct pollfd* fds, nfds_t n, int timeout, size_t fdslen) {
  if (!parked_any()) return MEMFS_PASS(__poll_chk, fds, n, timeout, fdslen);
  if (fdslen / sizeof *fds < n) __chk_fail();
  return poll(fds, n, timeout);
}
int __ppoll_chk(struct pollfd* fds, nfds_t n, const struct timespec* timeout,
                const sigset_t* mask, size_t fdslen) {
  if (!parked_any())
    return MEMFS_PASS(__ppoll_chk, fds, n, timeout, mask, fdslen);
  if (fdslen / sizeof *fds < n) __chk_fail();
  return ppoll(fds, n, timeout, mask);
}
int select(int nfds, fd_set* r, fd_set* w, fd_set* x, struct timeval* tv) {
  if (parked_any() && sets_hold_parked(nfds, r, w, x)) return fail_errno(EBADF);
  return MEMFS_PASS(select, nfds, r, w, x, tv);
}
int pselect(int nfds, fd_set* r, fd_set* w, fd_set* x,
            const struct timespec* timeout, const sigset_t* mask) {
  if (parked_any() && sets_hold_parked(nfds, r, w, x)) return fail_errno(EBADF);
  return MEMFS_PASS(pselect, nfds, r, w, x, timeout, mask);
}
int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event) {
  if (parked_any() && (is_parked(epfd) || is_parked(fd)))
    return fail_errno(EBADF);
  return MEMFS_PASS(epoll_ctl, epfd, op, fd, event);
}

}  // extern "C"
