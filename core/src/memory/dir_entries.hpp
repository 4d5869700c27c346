// Internal: a directory's entries (DirNode::children), name -> what the
// child is, in bytewise order of the names.
//
// A std::map costs a red-black node per entry, its rebalancing per insert
// and a walk of the tree per teardown (~4 % of small_files). Here the
// entries are sorted runs of at most kRun, the runs in order: a name past
// the last (files usually arrive in order: f001, f002, ...) is appended in
// place; any other insert or erase moves at most kRun entries and, when a
// run splits or empties, the run list (n / kRun handles), so a directory of
// any size never goes quadratic. Reads (listing, lookups) change nothing,
// so readers may share it under the tree lock held shared.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace memfs::detail {

// A directory's entry: what its child is (the index holds the node, which
// copy-on-write may replace by a copy with the same id).
struct ChildRef {
  std::uint64_t id = 0;
  bool is_dir = false;
};

class DirEntries {
 public:
  using Entry = std::pair<std::string, ChildRef>;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = const Entry*;
    using reference = const Entry&;

    const_iterator() = default;
    reference operator*() const { return (*runs_)[run_][at_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      if (++at_ == (*runs_)[run_].size()) {
        ++run_;
        at_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.run_ == b.run_ && a.at_ == b.at_;
    }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) {
      return !(a == b);
    }

   private:
    friend class DirEntries;
    const_iterator(const std::vector<std::vector<Entry>>* runs, std::size_t run)
        : runs_(runs), run_(run) {}
    const std::vector<std::vector<Entry>>* runs_ = nullptr;
    std::size_t run_ = 0;
    std::size_t at_ = 0;
  };

  [[nodiscard]] const_iterator begin() const { return {&runs_, 0}; }
  [[nodiscard]] const_iterator end() const { return {&runs_, runs_.size()}; }
  [[nodiscard]] bool empty() const noexcept { return runs_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  // The entry named `name`; nullptr if none.
  [[nodiscard]] ChildRef* find(std::string_view name) noexcept {
    const Place p = place_of(name);
    return p.found ? &runs_[p.run][p.at].second : nullptr;
  }
  [[nodiscard]] const ChildRef* find(std::string_view name) const noexcept {
    return const_cast<DirEntries*>(this)->find(name);
  }

  // Adds `name` (absent). Strong guarantee: on bad_alloc nothing changed.
  void insert(std::string_view name, ChildRef ref) {
    if (runs_.empty() || std::string_view(runs_.back().back().first) < name) {
      if (runs_.empty() || runs_.back().size() == kRun) {
        std::vector<Entry> run;  // built first, so a throw changes nothing
        run.reserve(kRun);
        run.emplace_back(std::string(name), ref);
        runs_.push_back(std::move(run));
      } else {
        runs_.back().emplace_back(std::string(name), ref);
      }
      ++size_;
      return;
    }
    const Place p = place_of(name);
    std::vector<Entry>& run = runs_[p.run];
    if (run.size() == kRun) {
      // Split: the upper half becomes a run of its own (built first, so a
      // throw changes nothing), then the entry goes where it belongs.
      std::vector<Entry> upper;
      upper.reserve(kRun);
      upper.assign(run.begin() + kRun / 2, run.end());
      runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(p.run) + 1,
                   std::move(upper));
      runs_[p.run].resize(kRun / 2);
      insert(name, ref);
      return;
    }
    run.emplace(run.begin() + static_cast<std::ptrdiff_t>(p.at),
                std::string(name), ref);
    ++size_;
  }

  // Removes `name`; false if absent.
  bool erase(std::string_view name) noexcept {
    const Place p = place_of(name);
    if (!p.found) return false;
    std::vector<Entry>& run = runs_[p.run];
    run.erase(run.begin() + static_cast<std::ptrdiff_t>(p.at));
    if (run.empty())
      runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(p.run));
    --size_;
    return true;
  }

 private:
  static constexpr std::size_t kRun = 64;

  // Where `name` is, or would go: the first run whose last name is not
  // below it (the last run if none), and the position in it.
  struct Place {
    std::size_t run = 0;
    std::size_t at = 0;
    bool found = false;
  };
  [[nodiscard]] Place place_of(std::string_view name) const noexcept {
    if (runs_.empty()) return {};
    const auto last_below = [](const std::vector<Entry>& run,
                               std::string_view n) {
      return std::string_view(run.back().first) < n;
    };
    auto r = std::lower_bound(runs_.begin(), runs_.end(), name, last_below);
    if (r == runs_.end()) --r;
    const auto e = std::lower_bound(r->begin(), r->end(), name,
                                    [](const Entry& entry, std::string_view n) {
                                      return std::string_view(entry.first) < n;
                                    });
    return {static_cast<std::size_t>(r - runs_.begin()),
            static_cast<std::size_t>(e - r->begin()),
            e != r->end() && e->first == name};
  }

  std::vector<std::vector<Entry>> runs_;  // none empty
  std::size_t size_ = 0;
};

}  // namespace memfs::detail
