// JsonValue: the manifest's document type (rendering, escaping, parsing).
#include "memfs/json.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace memfs {
namespace {

JsonValue parse_ok(std::string_view text) {
  std::error_code ec;
  JsonValue v = JsonValue::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return v;
}

TEST(Json, ObjectsKeepInsertionOrderAndReplaceKeysInPlace) {
  JsonValue v = JsonValue::object();
  v.set("zeta", 1).set("alpha", true).set("zeta", "again");
  EXPECT_EQ(v.dump(0), R"({"zeta":"again","alpha":true})");
  ASSERT_NE(v.find("alpha"), nullptr);
  EXPECT_TRUE(v.find("alpha")->as_bool());
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, PrettyPrintsWithTwoSpaces) {
  JsonValue v = JsonValue::object();
  v.set("list", JsonValue::array({1, "two", nullptr}));
  v.set("empty", JsonValue::object());
  EXPECT_EQ(v.dump(),
            "{\n  \"list\": [\n    1,\n    \"two\",\n    null\n  ],\n  "
            "\"empty\": {}\n}");
}

TEST(Json, EscapesQuotesBackslashesAndControlCharacters) {
  std::string s = "q\"b\\n\nt\tc";
  s += '\x01';
  s += '\x7f';
  EXPECT_EQ(JsonValue(s).dump(), R"("q\"b\\n\nt\tc\u0001\u007f")");
}

TEST(Json, KeepsValidUtf8AndEscapesInvalidBytesAsLatin1) {
  EXPECT_EQ(JsonValue("caf\xc3\xa9 \xe2\x82\xac").dump(),
            "\"caf\xc3\xa9 \xe2\x82\xac\"");
  EXPECT_EQ(JsonValue("bad\xff\xc3").dump(), R"("bad\u00ff\u00c3")");
  EXPECT_EQ(JsonValue("\xed\xa0\x80").dump(),
            R"("\u00ed\u00a0\u0080")");                          // surrogate
  EXPECT_EQ(JsonValue("\xc0\xaf").dump(), R"("\u00c0\u00af")");  // overlong '/'
}

TEST(Json, NumbersKeepTheirText) {
  const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(JsonValue(big).dump(), "18446744073709551615");
  EXPECT_EQ(parse_ok("18446744073709551615").as_uint64(), big);
  EXPECT_EQ(JsonValue(-5).dump(), "-5");
  EXPECT_EQ(JsonValue(0.5).dump(), "0.5");
  EXPECT_TRUE(JsonValue(std::numeric_limits<double>::infinity()).is_null());
  EXPECT_DOUBLE_EQ(parse_ok("-1.25e2").as_double(), -125.0);
}

TEST(Json, WritesTheShortestTextThatReadsBackAsTheSameDouble) {
  EXPECT_EQ(JsonValue(5e-324).dump(), "5e-324");  // not 4.94065645841247e-324
  EXPECT_EQ(JsonValue(0.1).dump(), "0.1");
  EXPECT_EQ(JsonValue(1.0 / 3).dump(), "0.3333333333333333");
  EXPECT_EQ(JsonValue(-2.5e-7).dump(), "-2.5e-07");
  EXPECT_EQ(parse_ok(JsonValue(1.0 / 3).dump()).as_double(), 1.0 / 3);
}

TEST(Json, KeepsTheTextOfNumbersBeyondSixtyFourBits) {
  const std::string huge = "123456789012345678901234567890";
  EXPECT_EQ(parse_ok(huge).text(), huge);
  EXPECT_EQ(parse_ok(huge).dump(), huge);
  EXPECT_EQ(parse_ok("[1.50E+3]").items().at(0).text(), "1.50E+3");
  EXPECT_EQ(parse_ok("-9223372036854775808").text(), "-9223372036854775808");
}

TEST(Json, RejectsTextThatIsNotUtf8) {
  for (const char* bad : {"\"bad\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\""}) {
    std::error_code ec;
    const JsonValue v = JsonValue::parse(bad, ec);
    EXPECT_EQ(ec, std::errc::invalid_argument) << bad;
    EXPECT_TRUE(v.is_null()) << bad;
  }
}

TEST(Json, ParsesWhatItDumps) {
  JsonValue v = JsonValue::object();
  v.set("s", "line\nbreak \"quoted\" \xe2\x82\xac");
  v.set("n", JsonValue::array({0, -1, 3.25, true, false, nullptr}));
  v.set("o", JsonValue::object().set("k", JsonValue::array()));
  EXPECT_EQ(parse_ok(v.dump()), v);
  EXPECT_EQ(parse_ok(v.dump(0)), v);
}

TEST(Json, DecodesUnicodeEscapesAndSurrogatePairs) {
  EXPECT_EQ(parse_ok(R"("\u00e9\u20ac\ud83d\ude00\/")").text(),
            "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80/");
}

TEST(Json, RejectsMalformedText) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\"}", "01", "1.", "tru", "\"\\x\"", "\"\\ud800\"",
        "\"unterminated", "[1] 2", "{\"a\":1,}", "\"tab\there\""}) {
    std::error_code ec;
    const JsonValue v = JsonValue::parse(bad, ec);
    EXPECT_EQ(ec, std::errc::invalid_argument) << bad;
    EXPECT_TRUE(v.is_null()) << bad;
  }
}

TEST(Json, RejectsExcessiveNesting) {
  std::error_code ec;
  (void)JsonValue::parse(std::string(600, '[') + std::string(600, ']'), ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  (void)JsonValue::parse(std::string(100, '[') + std::string(100, ']'), ec);
  EXPECT_FALSE(ec);
}

TEST(Json, NestsAtMost512Levels) {
  std::error_code ec;
  (void)JsonValue::parse(std::string(512, '[') + std::string(512, ']'), ec);
  EXPECT_FALSE(ec);
  (void)JsonValue::parse(std::string(513, '[') + std::string(513, ']'), ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

}  // namespace
}  // namespace memfs
