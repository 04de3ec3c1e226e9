#include "domain/person_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace essc::domain {
namespace {

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(PersonName, R_P2_AcceptsChineseAndMinorityNames) {
  EXPECT_EQ(*parse_person_name("张三"), "张三");
  EXPECT_EQ(*parse_person_name("阿依古丽·买买提"), "阿依古丽·买买提");  // U+00B7
  EXPECT_EQ(*parse_person_name("Li Lei"), "Li Lei");                    // inner space kept
}

TEST(PersonName, R_P2_TrimsAsciiSpacesOnly) {
  EXPECT_EQ(*parse_person_name("  张三 "), "张三");
  // An ideographic space (U+3000) is not trimmed, and is an ordinary character.
  EXPECT_EQ(*parse_person_name("\u3000张三"), "\u3000张三");
}

TEST(PersonName, R_P2_CountsCodePointsNotBytes) {
  EXPECT_TRUE(parse_person_name(repeat("娜", 30)).ok());  // 90 bytes
  EXPECT_FALSE(parse_person_name(repeat("娜", 31)).ok());
  EXPECT_TRUE(parse_person_name(std::string(30, 'a')).ok());
  EXPECT_FALSE(parse_person_name(std::string(31, 'a')).ok());
  EXPECT_TRUE(parse_person_name("𠮷").ok());  // outside the BMP: one code point, four bytes
}

TEST(PersonName, R_P2_RejectsEmptyControlCharactersAndInvalidUtf8) {
  for (std::string_view text :
       {"", "   ", "张\n三", "张\t三", "张\x7f三", "张\u0085三", "张\u2028三",
        "\xe5\xbc",      // truncated UTF-8
        "\xc0\xaf",      // overlong '/'
        "\xed\xa0\x80",  // a UTF-16 surrogate
        "\xff"}) {
    auto name = parse_person_name(text);
    ASSERT_FALSE(name.ok()) << text;
    EXPECT_EQ(name.error().code, ErrorCode::kInvalidRequest);
    EXPECT_EQ(name.error().extras.field, "name");
  }
  EXPECT_FALSE(parse_person_name(std::string_view("张\0三", 7)).ok());  // embedded NUL
}

TEST(PersonName, R_P2_RejectsBidiControlsAndNamesThatShowNothing) {
  for (std::string_view text :
       {"张\u202e三", "\u202e三张", "张\u2066三\u2069", "张\u200f三", "\u200b",
        "\u200b\u200c\u200d", "\u3000\u3000", "\ufeff", "\u3164\u3164", "\u2060"}) {
    auto name = parse_person_name(text);
    ASSERT_FALSE(name.ok()) << text;
    EXPECT_EQ(name.error().extras.field, "name");
  }
  // An invisible character beside visible ones is the caller's business (e.g. U+3000).
  EXPECT_TRUE(parse_person_name("\u3000张三").ok());
}

}  // namespace
}  // namespace essc::domain
