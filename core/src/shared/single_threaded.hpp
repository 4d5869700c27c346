// Internal (shared by every memfs module): atomic read-modify-writes that
// are plain loads and stores while the process has never had a second
// thread.
//
// A locked instruction costs 5-10 ns on the machines memfs is measured on,
// and most test programs never start a thread: an open + read + close took
// six of them in the engine's locks alone (benchmarks/NOTES.md). glibc sets
// __libc_single_threaded false in pthread_create, before the new thread
// exists, and never sets it back; what this thread stored before then is
// visible to the new one (pthread_create synchronizes with its start), so a
// lock taken with a plain store is seen held by a thread made inside the
// hold, and released with the locked instruction once the flag has turned.
// glibc's stdio and libstdc++'s shared_ptr counts skip their locked
// instructions on the same flag. Not for words that a signal handler or
// another process may touch.
#pragma once

#include <atomic>

#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define MEMFS_HAVE_LIBC_SINGLE_THREADED 1
#endif

namespace memfs::detail {

/// True while no other thread can run: the process never had a second one.
inline bool single_threaded() noexcept {
#ifdef MEMFS_HAVE_LIBC_SINGLE_THREADED
  return __libc_single_threaded != 0;
#else
  return false;
#endif
}

/// `locked(word)`, an atomic read-modify-write, or while single_threaded()
/// a plain load of the old value and a store of `next(old)`. Returns the
/// old value.
template <class T, class Locked, class Next>
T read_modify_write_st(std::atomic<T>& word, Locked locked,
                       Next next) noexcept {
  if (!single_threaded()) return locked(word);
  const T old = word.load(std::memory_order_relaxed);
  word.store(next(old), std::memory_order_relaxed);
  return old;
}

/// word.fetch_add(n) / fetch_sub / fetch_and / fetch_or / exchange with
/// `order`, plain while single_threaded(). Return the old value.
template <class T>
T fetch_add_st(std::atomic<T>& word, T n,
               std::memory_order order = std::memory_order_seq_cst) noexcept {
  return read_modify_write_st(
      word, [&](std::atomic<T>& w) { return w.fetch_add(n, order); },
      [&](T old) { return static_cast<T>(old + n); });
}
template <class T>
T fetch_sub_st(std::atomic<T>& word, T n,
               std::memory_order order = std::memory_order_seq_cst) noexcept {
  return read_modify_write_st(
      word, [&](std::atomic<T>& w) { return w.fetch_sub(n, order); },
      [&](T old) { return static_cast<T>(old - n); });
}
template <class T>
T fetch_and_st(std::atomic<T>& word, T mask,
               std::memory_order order = std::memory_order_seq_cst) noexcept {
  return read_modify_write_st(
      word, [&](std::atomic<T>& w) { return w.fetch_and(mask, order); },
      [&](T old) { return static_cast<T>(old & mask); });
}
template <class T>
T fetch_or_st(std::atomic<T>& word, T bits,
              std::memory_order order = std::memory_order_seq_cst) noexcept {
  return read_modify_write_st(
      word, [&](std::atomic<T>& w) { return w.fetch_or(bits, order); },
      [&](T old) { return static_cast<T>(old | bits); });
}
template <class T>
T exchange_st(std::atomic<T>& word, T value,
              std::memory_order order = std::memory_order_seq_cst) noexcept {
  return read_modify_write_st(
      word, [&](std::atomic<T>& w) { return w.exchange(value, order); },
      [&](T) { return value; });
}
/// word.compare_exchange_strong(expected, desired, order, relaxed), as a
/// plain load and store while single_threaded().
template <class T>
bool compare_exchange_st(
    std::atomic<T>& word, T& expected, T desired,
    std::memory_order order = std::memory_order_seq_cst) noexcept {
  if (!single_threaded())
    return word.compare_exchange_strong(expected, desired, order,
                                        std::memory_order_relaxed);
  const T old = word.load(std::memory_order_relaxed);
  if (old != expected) {
    expected = old;
    return false;
  }
  word.store(desired, std::memory_order_relaxed);
  return true;
}

}  // namespace memfs::detail
