#include "domain/person_name.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

TEST(PersonName, R_P2_AcceptsChineseAndMinorityNames) {
  EXPECT_EQ(*parse_person_name(" 张三 "), "张三");
  EXPECT_TRUE(parse_person_name("阿依古丽·买买提").ok());
}

TEST(PersonName, R_P2_RejectsEmptyOverlongAndControlCharacters) {
  EXPECT_FALSE(parse_person_name("").ok());
  EXPECT_FALSE(parse_person_name("   ").ok());
  EXPECT_FALSE(parse_person_name(std::string(31, 'a')).ok());
  EXPECT_FALSE(parse_person_name("张\n三").ok());
  EXPECT_FALSE(parse_person_name("\xe5\xbc").ok());  // truncated UTF-8
  EXPECT_EQ(parse_person_name("\xc0\xaf").error().extras.field, "name");  // overlong
}

}  // namespace
}  // namespace essc::domain
