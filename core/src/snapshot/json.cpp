// JsonValue: construction, rendering, and parsing through nlohmann-json.
#include "memfs/json.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "shared/exception_code.hpp"
#include "shared/hex.hpp"
#include "shared/utf8_sequence.hpp"

namespace memfs {

JsonValue JsonValue::array(std::vector<JsonValue> items) {
  JsonValue v;
  v.kind_ = Kind::array;
  v.items_ = std::move(items);
  return v;
}

JsonValue JsonValue::array(std::initializer_list<JsonValue> items) {
  return array(std::vector<JsonValue>(items));
}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind_ = Kind::object;
  return v;
}

JsonValue JsonValue::raw_number(std::string text) {
  return JsonValue(NumberText{std::move(text)});
}

std::string JsonValue::format_double(double d) {
  if (!std::isfinite(d)) return {};
  char buf[32];  // the longest shortest form, -2.2250738585072014e-308, is 24
  const auto result = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, result.ptr);
}

std::uint64_t JsonValue::as_uint64() const noexcept {
  if (kind_ != Kind::number) return 0;
  std::uint64_t v = 0;
  const char* end = text_.data() + text_.size();
  const auto [ptr, ec] = std::from_chars(text_.data(), end, v);
  return (ec == std::errc() && ptr == end) ? v : 0;
}

double JsonValue::as_double() const noexcept {
  // from_chars, not strtod: the C locale's decimal point, whatever the
  // program's locale says.
  double v = 0.0;
  if (kind_ != Kind::number) return v;
  const char* end = text_.data() + text_.size();
  const auto [ptr, ec] = std::from_chars(text_.data(), end, v);
  return (ec == std::errc() && ptr == end) ? v : 0.0;
}

JsonValue& JsonValue::push_back(JsonValue v) {
  if (kind_ == Kind::null) kind_ = Kind::array;
  items_.push_back(std::move(v));
  return *this;
}

JsonValue& JsonValue::set(std::string key, JsonValue v) {
  if (kind_ == Kind::null) kind_ = Kind::object;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) {
      items_[i] = std::move(v);
      return *this;
    }
  }
  keys_.push_back(std::move(key));
  items_.push_back(std::move(v));
  return *this;
}

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  if (kind_ != Kind::object) return nullptr;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  return a.kind_ == b.kind_ && a.bool_ == b.bool_ && a.text_ == b.text_ &&
         a.items_ == b.items_ && a.keys_ == b.keys_;
}

namespace {
/// A byte append_json_string writes as it is: printable ASCII but '"', '\\'.
constexpr bool plain_json_byte(unsigned char c) noexcept {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  auto escape_byte = [&](unsigned char c) {
    out += "\\u00";
    detail::append_hex_byte(out, c);
  };
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    // Most text needs no escape: append a run of such bytes at once (a
    // snapshot page holds megabytes of base64).
    std::size_t run = i;
    while (run < s.size() &&
           plain_json_byte(static_cast<unsigned char>(s[run])))
      ++run;
    if (run > i) {
      out.append(s, i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = detail::utf8_sequence_length(s.substr(i));
      if (n == 0) {
        escape_byte(c);  // not valid UTF-8: the byte, read as Latin-1
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          escape_byte(c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

namespace {

void dump_into(const JsonValue& v, std::string& out, int indent, int depth) {
  auto newline = [&](int level) {
    if (indent <= 0) return;
    out += '\n';
    out.append(
        static_cast<std::size_t>(indent) * static_cast<std::size_t>(level),
        ' ');
  };
  switch (v.kind()) {
    case JsonValue::Kind::null:
      out += "null";
      return;
    case JsonValue::Kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case JsonValue::Kind::number:
      out += v.text();
      return;
    case JsonValue::Kind::string:
      append_json_string(out, v.text());
      return;
    case JsonValue::Kind::array:
    case JsonValue::Kind::object:
      break;
  }
  const bool is_object = v.is_object();
  out += is_object ? '{' : '[';
  if (v.size() == 0) {
    out += is_object ? '}' : ']';
    return;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ',';
    newline(depth + 1);
    if (is_object) {
      append_json_string(out, v.keys()[i]);
      out += indent > 0 ? ": " : ":";
    }
    dump_into(v.items()[i], out, indent, depth + 1);
  }
  newline(depth);
  out += is_object ? '}' : ']';
}

// Builds a JsonValue from nlohmann-json's SAX events. nlohmann reads the text
// (RFC 8259, UTF-8 checked); the writer above stays ours because the manifest
// format needs what nlohmann's dump() cannot give (see CONTRIBUTING.md,
// "JSON"). A container is built in its frame and moved into its parent when
// it closes, so no pointer into a growing vector is ever held.
class Builder {
 public:
  static constexpr std::size_t kMaxDepth = 512;

  JsonValue result;

  bool null() { return put(JsonValue()); }
  bool boolean(bool b) { return put(JsonValue(b)); }
  bool number_integer(std::int64_t n) { return put(JsonValue(n)); }
  bool number_unsigned(std::uint64_t n) { return put(JsonValue(n)); }
  // Floating-point numbers (and integers too large for 64 bits) keep the
  // text they were written with.
  bool number_float(double /*value*/, const std::string& text) {
    return put(JsonValue::raw_number(text));
  }
  bool string(std::string& s) { return put(JsonValue(std::move(s))); }
  bool binary(nlohmann::json::binary_t& /*unused*/) { return false; }
  bool start_object(std::size_t /*size*/) { return open(JsonValue::object()); }
  bool key(std::string& k) {
    stack_.back().key = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*size*/) { return open(JsonValue::array()); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::json::exception& /*error*/) {
    return false;
  }

 private:
  struct Frame {
    JsonValue value;
    std::string key;  // an object's member being read
  };

  bool put(JsonValue v) {
    if (stack_.empty()) {
      result = std::move(v);
    } else if (Frame& top = stack_.back(); top.value.is_object()) {
      top.value.set(std::move(top.key), std::move(v));
    } else {
      top.value.push_back(std::move(v));
    }
    return true;
  }
  bool open(JsonValue container) {
    if (stack_.size() == kMaxDepth) return false;
    stack_.push_back({std::move(container), {}});
    return true;
  }
  bool close() {
    JsonValue done = std::move(stack_.back().value);
    stack_.pop_back();
    return put(std::move(done));
  }

  std::vector<Frame> stack_;
};

}  // namespace

std::string JsonValue::dump(int indent) const {
  std::string out;
  dump_into(*this, out, indent, 0);
  return out;
}

JsonValue JsonValue::parse(std::string_view text,
                           std::error_code& ec) noexcept {
  try {
    Builder builder;
    // strict: nothing but whitespace may follow the value. No parse
    // exceptions: a SAX parse reports errors through Builder::parse_error
    // (only an allocation can throw).
    if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                   nlohmann::json::input_format_t::json,
                                   /*strict=*/true,
                                   /*ignore_comments=*/false)) {
      ec = std::make_error_code(std::errc::invalid_argument);
      return JsonValue();
    }
    ec.clear();
    return std::move(builder.result);
  } catch (...) {
    ec = detail::current_exception_code();
  }
  return JsonValue();
}

}  // namespace memfs
