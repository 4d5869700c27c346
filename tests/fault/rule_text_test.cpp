// The one-line text form of fault rules: canonical printing, exact round
// trips, and parse errors that say where and what was expected.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/fault_rule.hpp"

namespace memfs {
namespace {

using std::chrono::milliseconds;

TEST(RuleText, PrintsTheDocumentedExamples) {
  EXPECT_EQ(to_string(FaultRule{Op::write, "/db/*.log", Trigger::nth(3),
                                Action::quota_exceeded()}),
            "write /db/*.log nth=3 fail=quota_exceeded");
  EXPECT_EQ(to_string(FaultRule{Op::lock, "/db/LOCK", Trigger::nth(2),
                                Action::lock_timeout(), LockMode::exclusive}),
            "lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout");
  EXPECT_EQ(
      to_string(FaultRule{OpSet::reads(), "/data/**",
                          Trigger::probability(0.1, 42), Action::corrupt()}),
      "read /data/** probability=0.1 seed=42 corrupt");
  EXPECT_EQ(to_string(FaultRule{OpSet::writes(), "/**",
                                Trigger::written_exceeds(1 << 20),
                                Action::quota_exceeded()}),
            "writes /** written_exceeds=1MiB fail=quota_exceeded");
}

TEST(RuleText, OpSetsPrintGroupsFirstThenSingleOps) {
  EXPECT_EQ(to_string(OpSet::all()), "all");
  EXPECT_EQ(to_string(OpSet::reads() | OpSet::writes()), "writes,read");
  EXPECT_EQ(parse_rule("reads /a always corrupt").ops, OpSet(Op::read));
  EXPECT_EQ(to_string(OpSet::metadata() | Op::open), "metadata,open");
  EXPECT_EQ(to_string(Op::write | Op::truncate), "write,truncate");
  EXPECT_EQ(parse_rule("write,truncate,sync,flush /a always fail=EIO").ops,
            OpSet::writes());
}

TEST(RuleText, UnitsPrintInTheLargestExactUnit) {
  EXPECT_EQ(to_string(Trigger::file_exceeds(1536)), "file_exceeds=1536");
  EXPECT_EQ(to_string(Trigger::file_exceeds(3 << 10)), "file_exceeds=3KiB");
  EXPECT_EQ(to_string(Trigger::file_exceeds(2ull << 30)), "file_exceeds=2GiB");
  EXPECT_EQ(to_string(Action::delay(milliseconds(1500))), "delay=1500ms");
  EXPECT_EQ(to_string(Action::delay(std::chrono::minutes(2))), "delay=2min");
  EXPECT_EQ(to_string(Action::delay(std::chrono::nanoseconds(0))), "delay=0s");
  EXPECT_EQ(to_string(Action::short_transfer(0)), "short=0");
}

TEST(RuleText, ErrorCodesHaveReadableNames) {
  EXPECT_EQ(error_code_name(make_error_code(errc::node_limit_exceeded)),
            "node_limit_exceeded");
  EXPECT_EQ(error_code_name(std::make_error_code(std::errc::io_error)), "EIO");
  EXPECT_EQ(error_code_name(std::make_error_code(std::errc::file_too_large)),
            "EFBIG");
  EXPECT_EQ(error_code_name(std::error_code(5, std::system_category())),
            "system:5");
  // std::errc names and lowercase errno names are accepted too.
  EXPECT_EQ(parse_rule("open /a always fail=permission_denied").action.code,
            std::errc::permission_denied);
  EXPECT_EQ(parse_rule("open /a always fail=emfile").action.code,
            std::errc::too_many_files_open);
}

// Every rule here must print and parse back to an equal rule.
std::vector<FaultRule> sample_rules() {
  std::vector<FaultRule> rules = {
      {Op::write, "/db/*.log", Trigger::nth(3), Action::quota_exceeded()},
      {Op::lock, "/db/LOCK", Trigger::nth(2), Action::lock_timeout(),
       LockMode::exclusive},
      {Op::open, "/db/LOCK", Trigger::once(), Action::lock_timeout(),
       LockMode::shared},
      {OpSet::reads(), "/data/**", Trigger::probability(0.1, 42),
       Action::corrupt()},
      {Op::read, "/data/**", Trigger::probability(1.0 / 3), Action::corrupt(7)},
      {Op::sync, "/db/*.log", Trigger::nth(3), Action::crash()},
      {OpSet::writes(), "/**", Trigger::written_exceeds(1 << 20),
       Action::quota_exceeded()},
      {Op::write | Op::truncate, "/f", Trigger::file_exceeds(4096),
       Action::file_too_large()},
      {OpSet::metadata(), "/etc/", Trigger::after(5),
       Action::read_only_file_system()},
      {OpSet::all(), "/**", Trigger::every(7), Action::delay(milliseconds(3))},
      {Op::read | Op::write, "/my dir/*.txt", Trigger::always(),
       Action::short_transfer(1)},
      {Op::open, "/q\"uote\\d;#x", Trigger::always(),
       Action::permission_denied()},
      {Op::open, "/etc/*", Trigger::always(),
       Action::fail_then_recover(std::make_error_code(std::errc::io_error), 2)},
      {Op::sync, "/db/MANIFEST-*", Trigger::once(),
       Action::delay(std::chrono::seconds(30))},
      {Op::create, "/[a-c]?/**", Trigger::always(),
       Action::node_limit_exceeded()},
      {Op::close, "/x", Trigger::always(), Action::too_many_files_open()},
      {Op::rename | Op::copy, "/a/*", Trigger::always(),
       Action::fail(std::error_code(123, std::system_category()))},
      {Op::stat, "/a", Trigger::always(), Action::fail(errc::injected_fault)},
      {Op::list, "/", Trigger::always(), Action::fail(std::errc::io_error)},
      {Op::remove, "/x", Trigger::probability(1e-9, 18446744073709551615ull),
       Action::io_error()},
      {Op::write, "/big", Trigger::file_exceeds(18446744073709551615ull),
       Action::short_transfer(3ull << 30)},
  };
  return rules;
}

TEST(RuleText, EveryRuleRoundTripsExactly) {
  for (const FaultRule& rule : sample_rules()) {
    const std::string text = to_string(rule);
    SCOPED_TRACE(text);
    EXPECT_FALSE(validate(rule));
    std::error_code ec;
    std::string message;
    FaultRule back = parse_rule(text, ec, &message);
    ASSERT_FALSE(ec) << message;
    EXPECT_EQ(back, rule);
    EXPECT_EQ(to_string(back), text);
  }
}

TEST(RuleText, ClausesMayComeInAnyOrderAndDefaultToAlways) {
  EXPECT_EQ(
      parse_rule("  lock  /db/LOCK  fail=lock_timeout nth=2 mode=exclusive "),
      parse_rule("lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout"));
  EXPECT_EQ(parse_rule("open /x fail=EIO").trigger, Trigger::always());
  EXPECT_EQ(parse_rule("write /x short=1KiB").action.bytes, 1024u);
}

TEST(RuleText, ParsesManyRulesSeparatedByNewlinesAndSemicolons) {
  auto rules = parse_rules(
      "# header comment\n"
      "write /a once fail=EIO; read \"/b;c\" corrupt  # trailing comment\n"
      "\n ;; sync /** every=2 delay=1ms\n");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].path, "/a");
  EXPECT_EQ(rules[1].path, "/b;c");
  EXPECT_EQ(rules[2].ops, OpSet(Op::sync));
}

struct BadText {
  const char* text;
  const char* message;  // a substring of the explanation
};

class RuleParseErrors : public ::testing::TestWithParam<BadText> {};

TEST_P(RuleParseErrors, SayWhereAndWhatWasExpected) {
  const BadText& bad = GetParam();
  std::error_code ec;
  std::string message;
  FaultRule rule = parse_rule(bad.text, ec, &message);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_NE(message.find(bad.message), std::string::npos) << message;
  EXPECT_EQ(rule, FaultRule{});
  try {
    (void)parse_rule(bad.text);
    ADD_FAILURE() << "no exception for " << bad.text;
  } catch (const fault_rule_error& e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument);
    EXPECT_EQ(e.message(), message);
    EXPECT_NE(std::string(e.what()).find(bad.message), std::string::npos);
    EXPECT_EQ(e.operation(), "parse_rule");
  }
}

INSTANTIATE_TEST_SUITE_P(
    , RuleParseErrors,
    ::testing::Values(
        BadText{"", "column 1: expected an operation"},
        BadText{"wirte /a fail=EIO", "column 1: expected an operation"},
        BadText{"read,wirte /a fail=EIO", "column 6: expected an operation"},
        BadText{"write", "column 6: expected a path glob after 'write'"},
        BadText{"write /a", "column 9: expected an action"},
        BadText{"write /a nht=3 fail=EIO", "column 10: expected a trigger"},
        BadText{"write /a nth=x fail=EIO",
                "column 10: expected a whole number after 'nth=', got 'x'"},
        BadText{"write /a nth= fail=EIO", "expected a number after 'nth='"},
        BadText{"write /a once=2 fail=EIO", "'once' takes no value"},
        BadText{"write /a once nth=2 fail=EIO", "column 15: a second trigger"},
        BadText{"write /a fail=EIO short=1", "a second action"},
        BadText{"write /a fail=ENOPE", "expected an error code"},
        BadText{"write /a probability=lots fail=EIO", "expected a probability"},
        BadText{"write /a seed=1 fail=EIO", "'seed=' must follow"},
        BadText{"write /a recover_after=1", "'recover_after=' must follow"},
        BadText{"write /a delay=5", "expected a duration with a unit"},
        BadText{"write /a short=1TB", "expected a byte count"},
        BadText{"open /a mode=both fail=EIO", "'shared' or 'exclusive'"},
        BadText{"write \"/a fail=EIO", "column 7: unterminated quoted path"},
        BadText{"write /a nth=0 fail=EIO", "rule can never match: nth=0"}));

TEST(RuleText, ParseRulesNamesTheFailingRule) {
  try {
    (void)parse_rules("write /a fail=EIO\nwrite /b fial=EIO");
    ADD_FAILURE() << "no exception";
  } catch (const fault_rule_error& e) {
    EXPECT_EQ(e.message().rfind("rule 2, column 10: expected a trigger", 0), 0u)
        << e.message();
  }
}

}  // namespace
}  // namespace memfs
