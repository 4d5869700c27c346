// Rules that can never match or fire are rejected with invalid_argument and
// a message that says why, when built, parsed or armed.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

struct Rejected {
  const char* text;    // the rule, in text form
  const char* reason;  // a substring of the message
};

class NeverMatchingRules : public ::testing::TestWithParam<Rejected> {};

TEST_P(NeverMatchingRules, AreRejectedEverywhere) {
  const Rejected& r = GetParam();
  // Parsing validates.
  std::error_code ec;
  std::string message;
  (void)parse_rule(r.text, ec, &message);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_NE(message.find(r.reason), std::string::npos) << message;
  EXPECT_EQ(message.rfind("rule can never match: ", 0), 0u) << message;
  // So does arming, in both forms.
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  EXPECT_THROW(faults.add(r.text), fault_rule_error);
  EXPECT_TRUE(faults.rules().empty());
}

INSTANTIATE_TEST_SUITE_P(
    , NeverMatchingRules,
    ::testing::Values(
        Rejected{"write db/*.log always fail=EIO", "is not absolute"},
        Rejected{"write /db/../x always fail=EIO", "has a '..' component"},
        Rejected{"open /db/ always fail=EIO",
                 "'open' acts on files and can never match the "
                 "directory-only glob '/db/'"},
        Rejected{"writes / always fail=EIO", "directory-only glob '/'"},
        Rejected{"all /db/ always fail=EIO", "'open' acts on files"},
        Rejected{"read,list /db/ always fail=EIO", "'read' acts on files"},
        Rejected{"stat /a mode=shared always fail=EIO",
                 "mode= applies to open and lock only, not to 'stat'"},
        Rejected{"write /a every=0 fail=EIO", "every=0 can never fire"},
        Rejected{"write /a probability=0 fail=EIO",
                 "probability must be in (0, 1]"},
        Rejected{"write /a probability=1.5 fail=EIO", "probability must be in"},
        Rejected{
            "read /a file_exceeds=10 fail=EFBIG",
            "file_exceeds applies to write and truncate only, not to 'read'"},
        Rejected{"open /a always fail=EIO recover_after=0", "never fails"},
        Rejected{"writes /a always short=1",
                 "short applies to read and write only, not to 'truncate'"},
        Rejected{"read,write /a always corrupt",
                 "corrupt applies to read only, not to 'write'"},
        Rejected{"sync,close /a once crash",
                 "crash applies to every operation but close only, not to "
                 "'close'"}));

TEST(RuleValidation, RejectsWhatTheTextFormCannotEvenSay) {
  std::string message;
  EXPECT_EQ(validate(FaultRule{}, &message), std::errc::invalid_argument);
  EXPECT_NE(message.find("names no operation"), std::string::npos);
  EXPECT_TRUE(
      validate(FaultRule{Op::open, "", Trigger::always(), Action::io_error()},
               &message));
  EXPECT_NE(message.find("is empty"), std::string::npos);
  EXPECT_TRUE(validate(FaultRule{Op::open, std::string("/a\0b", 4),
                                 Trigger::always(), Action::io_error()},
                       &message));
  EXPECT_NE(message.find("contains NUL"), std::string::npos);
  EXPECT_TRUE(validate(FaultRule{Op::open, "/a", Trigger::always(),
                                 Action::fail(std::error_code())},
                       &message));
  EXPECT_NE(message.find("needs an error code"), std::string::npos);
  EXPECT_TRUE(validate(FaultRule{Op::open, "/a", Trigger::always(),
                                 Action::delay(std::chrono::seconds(-1))},
                       &message));
  EXPECT_NE(message.find("must not be negative"), std::string::npos);
}

TEST(RuleValidation, AcceptsWhatCanMatch) {
  for (const char* text : {
           "list,create,remove,stat /db/ always fail=EIO",  // directories
           "sync / once fail=EIO",           // FileSystem::sync_directory("/")
           "list /db/LOCK always fail=EIO",  // undecidable: maybe a directory
           "write \\db\\*.log always fail=EIO",  // '\' reads as '/'
           "write /db//./x always fail=EIO",     // normalized when armed
           "open,lock /x mode=exclusive always fail=lock_timeout",
           "all /** probability=1 delay=0s",
       }) {
    std::error_code ec;
    std::string message;
    (void)parse_rule(text, ec, &message);
    EXPECT_FALSE(ec) << text << ": " << message;
  }
}

TEST(RuleValidation, TheErrorCodeFormOfAddReportsWithoutThrowing) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  std::error_code ec;
  RuleId id = faults.add(
      FaultRule{Op::read, "relative", Trigger::always(), Action::io_error()},
      ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_EQ(id, RuleId{});
  EXPECT_TRUE(faults.rules().empty());
}

}  // namespace
}  // namespace memfs
