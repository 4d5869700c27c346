// The data half of index.html: capped, base64-encoded file contents and the
// escaped JSON blob. The markup, style and script are in page_assets.cpp.
#include "snapshot/snapshot_page.hpp"

#include <algorithm>

namespace memfs::detail {

void PageContents::add(std::size_t entry, std::string_view data) {
  const std::uint64_t left = total_ - std::min(total_, embedded_);
  const std::uint64_t keep =
      std::min<std::uint64_t>({data.size(), per_file_, left});
  if (keep < data.size()) {
    if (keep == 0 && !data.empty()) {
      ++omitted_files_;
    } else {
      ++cut_files_;
    }
  }
  JsonValue f = JsonValue::object();
  f.set("entry", static_cast<std::uint64_t>(entry));
  f.set("data", base64_encode(data.substr(0, static_cast<std::size_t>(keep))));
  f.set("size", static_cast<std::uint64_t>(data.size()));
  f.set("cut", keep < data.size());
  files_.push_back(std::move(f));
  embedded_ += keep;
}

JsonValue PageContents::to_json() const {
  JsonValue j = JsonValue::object();
  j.set("per_file", per_file_);
  j.set("total", total_);
  j.set("embedded", embedded_);
  j.set("cut_files", cut_files_);
  j.set("omitted_files", omitted_files_);
  j.set("files", files_);
  return j;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6)
      out += kDigits[(v >> shift) & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = byte(i) << 16;
    if (rest == 2) v |= byte(i + 1) << 8;
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += rest == 2 ? kDigits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string render_page(const JsonValue& manifest,
                        const PageContents& contents) {
  JsonValue data = JsonValue::object();
  data.set("manifest", manifest);
  data.set("contents", contents.to_json());
  const std::string json = data.dump(0);
  std::string page = kPageHead;
  page.reserve(page.size() + json.size() + json.size() / 16 + 65536);
  // '<' only occurs inside JSON strings, where \u003c means the same; with
  // no '<' left, the element cannot be closed or commented out early.
  std::size_t from = 0;
  for (std::size_t at = json.find('<'); at != std::string::npos;
       at = json.find('<', from)) {
    page.append(json, from, at - from);
    page += "\\u003c";
    from = at + 1;
  }
  page.append(json, from, std::string::npos);
  page += kPageTail;
  return page;
}

}  // namespace memfs::detail
