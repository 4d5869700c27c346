// memfs/json.hpp — a small JSON value for snapshot manifests.
//
// Snapshot manifests (snapshot.hpp) are JSON, and the test-framework adapters
// add their own sections to them (test id, failure messages, fault log,
// seed). JsonValue is the little document type both sides use: a null, bool,
// number, string, array or object, with objects keeping their keys in
// insertion order so a manifest reads top to bottom the way it was built.
//
// ```cpp
// memfs::JsonValue v = memfs::JsonValue::object();
// v.set("test", "Suite.Case");
// v.set("seed", std::uint64_t{42});
// v.set("failures", memfs::JsonValue::array({"expected 3, got 4"}));
// std::string text = v.dump();   // pretty-printed, 2-space indent
// EXPECT_THAT(text, ::testing::StartsWith("{\n  \"test\": \"Suite.Case\",\n"
//                                         "  \"seed\": 42,\n"));
// ```
//
// Strings are bytes. dump() writes valid UTF-8 through unchanged, escapes
// quotes, backslashes and control characters, and writes each byte that is
// not part of valid UTF-8 as \u00XX (that is, read as Latin-1: readable, but
// not reversible — where exact bytes matter, the manifest carries a
// percent-encoded copy as well). parse() reads standard JSON (RFC 8259):
// the text must be valid UTF-8 (a UTF-8 byte order mark is skipped).
//
// Numbers keep their text: 64-bit integers (seeds) survive a round trip
// exactly, and so does the text of a parsed number with a fraction or an
// exponent, or of an integer too large for 64 bits. A double is written in
// its shortest form that reads back as the same double (std::to_chars).
//
// Thread-safety: a JsonValue is a plain value (const members may be called
// concurrently; mutation needs exclusive access).
#pragma once

#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace memfs {

/// A JSON document node. See the top of this file.
class JsonValue {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  /// null.
  JsonValue() noexcept = default;
  JsonValue(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor)
  JsonValue(bool b) noexcept             // NOLINT(google-explicit-constructor)
      : kind_(Kind::boolean), bool_(b) {}
  /// Any integer or floating-point number (bool excluded). Non-finite
  /// floating-point values become null, as JSON has no spelling for them.
  template <class T, std::enable_if_t<std::is_arithmetic_v<T> &&
                                          !std::is_same_v<T, bool>,
                                      int> = 0>
  JsonValue(T number)  // NOLINT(google-explicit-constructor)
      : JsonValue(number_text(number)) {}
  JsonValue(const char* s)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::string), text_(s) {}
  JsonValue(std::string s) noexcept  // NOLINT(google-explicit-constructor)
      : kind_(Kind::string), text_(std::move(s)) {}
  JsonValue(std::string_view s)  // NOLINT(google-explicit-constructor)
      : kind_(Kind::string), text_(s) {}

  /// An array of `items`.
  [[nodiscard]] static JsonValue array(std::vector<JsonValue> items = {});
  [[nodiscard]] static JsonValue array(std::initializer_list<JsonValue> items);
  /// An empty object.
  [[nodiscard]] static JsonValue object();
  /// A number from its JSON text, unchecked (used by the parser).
  [[nodiscard]] static JsonValue raw_number(std::string text);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_null() const noexcept { return kind_ == Kind::null; }
  [[nodiscard]] bool is_string() const noexcept {
    return kind_ == Kind::string;
  }
  [[nodiscard]] bool is_array() const noexcept { return kind_ == Kind::array; }
  [[nodiscard]] bool is_object() const noexcept {
    return kind_ == Kind::object;
  }

  /// The boolean (false unless kind() is boolean).
  [[nodiscard]] bool as_bool() const noexcept { return bool_; }
  /// The string, or the number's text; empty for other kinds.
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  /// The number as an unsigned 64-bit integer; 0 if it is not one.
  [[nodiscard]] std::uint64_t as_uint64() const noexcept;
  /// The number as a double; 0 if it is not a number.
  [[nodiscard]] double as_double() const noexcept;

  /// Elements of an array, or the values of an object (in key order).
  [[nodiscard]] const std::vector<JsonValue>& items() const noexcept {
    return items_;
  }
  /// Keys of an object, parallel to items().
  [[nodiscard]] const std::vector<std::string>& keys() const noexcept {
    return keys_;
  }
  /// Number of elements (arrays) or members (objects); 0 otherwise.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }

  /// Appends to an array (a null value becomes an empty array first).
  JsonValue& push_back(JsonValue v);
  /// Sets an object member, replacing an existing key in place or appending
  /// a new one (a null value becomes an empty object first). Returns *this.
  JsonValue& set(std::string key, JsonValue v);
  /// The member named `key`, or nullptr (also for non-objects).
  [[nodiscard]] const JsonValue* find(std::string_view key) const noexcept;

  /// Renders the value. indent > 0: pretty-printed with that many spaces per
  /// level and a newline between members; indent == 0: one line, no spaces.
  [[nodiscard]] std::string dump(int indent = 2) const;

  /// Parses JSON text (one value, surrounding whitespace allowed).
  /// Errors: std::errc::invalid_argument for malformed text or nesting deeper
  /// than 512 levels; the result is then null.
  [[nodiscard]] static JsonValue parse(std::string_view text,
                                       std::error_code& ec) noexcept;

  friend bool operator==(const JsonValue& a, const JsonValue& b);
  friend bool operator!=(const JsonValue& a, const JsonValue& b) {
    return !(a == b);
  }

 private:
  struct NumberText {
    std::string text;
  };
  explicit JsonValue(NumberText n)
      : kind_(n.text.empty() ? Kind::null : Kind::number),
        text_(std::move(n.text)) {}

  template <class T>
  static NumberText number_text(T number) {
    if constexpr (std::is_integral_v<T>) {
      char buf[48];  // any integer type's digits and sign
      const auto result = std::to_chars(buf, buf + sizeof buf, number);
      return {std::string(buf, result.ptr)};
    } else {
      return {format_double(static_cast<double>(number))};
    }
  }
  // Shortest round-trip text; empty for NaN and infinities.
  static std::string format_double(double d);

  Kind kind_ = Kind::null;
  bool bool_ = false;
  std::string text_;               // string value, or number text
  std::vector<JsonValue> items_;   // array elements / object values
  std::vector<std::string> keys_;  // object keys, parallel to items_
};

/// Appends `s` to `out` as a quoted JSON string, escaped as dump() does.
void append_json_string(std::string& out, std::string_view s);

}  // namespace memfs
