#include "domain/region_code.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace essc::domain {
namespace {

const std::set<int> kProvinceLevel{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                   35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                   53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

TEST(RegionCode, R_P2_AcceptsPrefectureAndProvinceLevelCodes) {
  EXPECT_EQ(*parse_region_code("330200"), "330200");  // Ningbo
  EXPECT_EQ(*parse_region_code("330000"), "330000");  // Zhejiang itself
  EXPECT_EQ(*parse_region_code("110105"), "110105");
}

TEST(RegionCode, R_P2_OnlyRealProvincePrefixesAreAccepted) {
  for (int prefix = 0; prefix <= 99; ++prefix) {
    const std::string code = std::to_string(prefix / 10) + std::to_string(prefix % 10) + "0100";
    EXPECT_EQ(parse_region_code(code).ok(), kProvinceLevel.contains(prefix)) << code;
  }
}

TEST(RegionCode, R_P2_RejectsMalformedCodesNamingTheField) {
  for (std::string_view text : {"", "33020", "3302000", "33020a", " 33020", "３３０２００"}) {
    auto code = parse_region_code(text);
    ASSERT_FALSE(code.ok()) << text;
    EXPECT_EQ(code.error().code, ErrorCode::kInvalidRequest);
    EXPECT_EQ(code.error().extras.field, "region_code");
  }
  EXPECT_EQ(parse_region_code("990000", "issuing_region").error().extras.field, "issuing_region");
}

TEST(RegionCode, R_P2_NamesTheCityOrElseTheProvince) {
  EXPECT_EQ(region_name("330200")->zh, "宁波市");
  EXPECT_EQ(region_name("330200")->en, "Ningbo");
  EXPECT_EQ(region_name("330000")->zh, "浙江省");
  EXPECT_EQ(region_name("110105")->zh, "北京市");
  EXPECT_EQ(region_name("820000")->en, "Macao");
  EXPECT_FALSE(region_name("990000"));
  EXPECT_FALSE(region_name("3302"));
}

}  // namespace
}  // namespace essc::domain
