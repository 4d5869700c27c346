// Internal: a snapshot's index.html, a page a person opens in any browser
// (see memfs/snapshot.hpp, "The page").
//
// The page is one self-contained file: the manifest and the file contents are
// embedded as JSON in a <script type="application/json"> element, and a small
// inline script renders them with DOM calls (textContent, never innerHTML), so
// no name or content can become markup. The JSON is made safe inside <script>
// by writing every '<' as \u003c, so "</script>" and "<!--" cannot occur.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/json.hpp"

namespace memfs::detail {

/// The file contents a page embeds, capped per file and in total.
class PageContents {
 public:
  PageContents(std::uint64_t per_file, std::uint64_t total)
      : per_file_(per_file), total_(total) {}

  /// Offers the contents of the manifest entry number `entry`: keeps up to
  /// the caps' worth of it, and notes what was cut or left out.
  void add(std::size_t entry, std::string_view data);

  /// Appends the JSON object {"per_file", "total", "embedded", "cut_files",
  /// "omitted_files", "files": [{"entry", "data" (base64), "size", "cut"}]}
  /// to `out`. It holds no '<' and nothing to escape.
  void append_json(std::string& out) const;
  /// At least the length append_json appends.
  [[nodiscard]] std::size_t json_size_bound() const noexcept {
    return files_.size() + 256;  // the five counts, their keys, brackets
  }

 private:
  std::uint64_t per_file_;
  std::uint64_t total_;
  std::uint64_t embedded_ = 0;
  std::uint64_t cut_files_ = 0;
  std::uint64_t omitted_files_ = 0;
  /// The "files" elements, comma-separated, written as they come: a large
  /// tree's page holds megabytes of base64, which no JsonValue needs to see.
  std::string files_;
};

/// Appends `bytes` in base64 (RFC 4648, with padding) to `out`.
void append_base64(std::string& out, std::string_view bytes);

/// The whole index.html for `manifest` and `contents`.
std::string render_page(const JsonValue& manifest,
                        const PageContents& contents);

/// The page's template, split around the place of the data: kPageHead,
/// then the escaped JSON, then kPageTail (page_assets.cpp).
extern const char* const kPageHead;
extern const char* const kPageTail;

}  // namespace memfs::detail
