// JsonValue: construction, rendering and a small recursive-descent parser.
#include "memfs/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "snapshot/utf8.hpp"

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
  // %.17g always round-trips; try shorter precisions first for readability.
  char buf[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

std::uint64_t JsonValue::as_uint64() const noexcept {
  if (kind_ != Kind::number) return 0;
  std::uint64_t v = 0;
  const char* end = text_.data() + text_.size();
  const auto [ptr, ec] = std::from_chars(text_.data(), end, v);
  return (ec == std::errc() && ptr == end) ? v : 0;
}

double JsonValue::as_double() const noexcept {
  return kind_ == Kind::number ? std::strtod(text_.c_str(), nullptr) : 0.0;
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

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto escape_byte = [&](unsigned char c) {
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  };
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
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
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
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
    out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(level),
               ' ');
  };
  switch (v.kind()) {
    case JsonValue::Kind::null: out += "null"; return;
    case JsonValue::Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case JsonValue::Kind::number: out += v.text(); return;
    case JsonValue::Kind::string: append_json_string(out, v.text()); return;
    case JsonValue::Kind::array:
    case JsonValue::Kind::object: break;
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

// Recursive descent over RFC 8259. Every function returns false on malformed
// input; the caller turns that into invalid_argument.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  bool parse_document(JsonValue& out) {
    return value(out, 0) && (skip_ws(), pos_ == s_.size());
  }

 private:
  static constexpr int kMaxDepth = 512;

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                                s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return false;
    skip_ws();
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      std::string str;
      if (!string(str)) return false;
      out = JsonValue(std::move(str));
      return true;
    }
    if (literal("null")) return out = JsonValue(), true;
    if (literal("true")) return out = JsonValue(true), true;
    if (literal("false")) return out = JsonValue(false), true;
    return number(out);
  }

  bool object(JsonValue& out, int depth) {
    ++pos_;  // '{'
    out = JsonValue::object();
    if (eat('}')) return true;
    do {
      std::string key;
      JsonValue member;
      skip_ws();
      if (!string(key) || !eat(':') || !value(member, depth + 1)) return false;
      out.set(std::move(key), std::move(member));
    } while (eat(','));
    return eat('}');
  }

  bool array(JsonValue& out, int depth) {
    ++pos_;  // '['
    out = JsonValue::array();
    if (eat(']')) return true;
    do {
      JsonValue item;
      if (!value(item, depth + 1)) return false;
      out.push_back(std::move(item));
    } while (eat(','));
    return eat(']');
  }

  bool number(JsonValue& out) {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (pos_ < s_.size() && s_[pos_] == '.' && (++pos_, !digits())) return false;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    out = JsonValue::raw_number(std::string(s_.substr(start, pos_ - start)));
    return true;
  }

  bool hex4(unsigned& out) {
    if (s_.size() - pos_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  bool escape(std::string& out) {
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_++];
    switch (c) {
      case '"': case '\\': case '/': out += c; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    unsigned cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
      unsigned low = 0;
      if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return false;
    }
    detail::append_utf8(out, cp);
    return true;
  }

  bool string(std::string& out) {
    if (pos_ >= s_.size() || s_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      } else {
        out += c;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string JsonValue::dump(int indent) const {
  std::string out;
  dump_into(*this, out, indent, 0);
  return out;
}

JsonValue JsonValue::parse(std::string_view text, std::error_code& ec) {
  JsonValue out;
  Parser parser(text);
  if (!parser.parse_document(out)) {
    ec = std::make_error_code(std::errc::invalid_argument);
    return JsonValue();
  }
  ec.clear();
  return out;
}

}  // namespace memfs
