// The data half of index.html: capped, base64-encoded file contents and the
// escaped JSON blob. The markup, style and script are in page_assets.cpp.
#include "snapshot/snapshot_page.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace memfs::detail {

namespace {

void append_number(std::string& out, std::uint64_t n) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

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
  if (!files_.empty()) files_ += ',';
  files_ += "{\"entry\":";
  append_number(files_, entry);
  files_ += ",\"data\":\"";
  append_base64(files_, data.substr(0, static_cast<std::size_t>(keep)));
  files_ += "\",\"size\":";
  append_number(files_, data.size());
  files_ += keep < data.size() ? ",\"cut\":true}" : ",\"cut\":false}";
  embedded_ += keep;
}

void PageContents::append_json(std::string& out) const {
  const std::pair<const char*, std::uint64_t> counts[] = {
      {"{\"per_file\":", per_file_},
      {",\"total\":", total_},
      {",\"embedded\":", embedded_},
      {",\"cut_files\":", cut_files_},
      {",\"omitted_files\":", omitted_files_}};
  for (const auto& [key, n] : counts) {
    out += key;
    append_number(out, n);
  }
  out += ",\"files\":[";
  out += files_;
  out += "]}";
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t at = out.size();
  out.resize(at + (bytes.size() + 2) / 3 * 4, '=');
  char* o = out.data() + at;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, o += 4) {
    const std::uint32_t v =
        std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    o[0] = kDigits[v >> 18];
    o[1] = kDigits[(v >> 12) & 63];
    o[2] = kDigits[(v >> 6) & 63];
    o[3] = kDigits[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
    o[0] = kDigits[v >> 18];
    o[1] = kDigits[(v >> 12) & 63];
    if (rest == 2) o[2] = kDigits[(v >> 6) & 63];  // o[3] (and o[2]) stay '='
  }
}

std::string render_page(const JsonValue& manifest,
                        const PageContents& contents) {
  // The same text as JsonValue {"manifest": ..., "contents": ...}.dump(0),
  // with '<' written as \u003c: it only occurs inside JSON strings, where
  // \u003c means the same, and with none left the element cannot be closed
  // or commented out early. Only the manifest can hold one.
  const std::string json = manifest.dump(0);
  std::string page = kPageHead;
  page.reserve(page.size() + json.size() + contents.json_size_bound() + 65536);
  page += "{\"manifest\":";
  std::size_t from = 0;
  for (std::size_t at = json.find('<'); at != std::string::npos;
       at = json.find('<', from)) {
    page.append(json, from, at - from);
    page += "\\u003c";
    from = at + 1;
  }
  page.append(json, from, std::string::npos);
  page += ",\"contents\":";
  contents.append_json(page);
  page += '}';
  page += kPageTail;
  return page;
}

}  // namespace memfs::detail
