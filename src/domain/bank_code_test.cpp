#include "domain/bank_code.hpp"

#include <gtest/gtest.h>

#include <string>

namespace essc::domain {
namespace {

TEST(BankCode, R_C2_AcceptsAndUpperCasesCodes) {
  EXPECT_EQ(*parse_bank_code("ICBC"), "ICBC");
  EXPECT_EQ(*parse_bank_code("nbcb"), "NBCB");
  EXPECT_EQ(*parse_bank_code("Bk01"), "BK01");
  EXPECT_EQ(*parse_bank_code("BC"), "BC");                      // shortest
  EXPECT_EQ(*parse_bank_code("ABCDEFGHIJ12"), "ABCDEFGHIJ12");  // longest
}

TEST(BankCode, R_C2_RejectsOtherShapesNamingTheField) {
  for (std::string_view text :
       {"", "B", "ABCDEFGHIJ123", "IC BC", "IC-BC", "ICBC ", "工商银行", "ＩＣＢＣ"}) {
    auto code = parse_bank_code(text);
    ASSERT_FALSE(code.ok()) << text;
    EXPECT_EQ(code.error().code, ErrorCode::kInvalidRequest);
    EXPECT_EQ(code.error().extras.field, "bank_code");
  }
  EXPECT_EQ(parse_bank_code("?", "issuing_bank").error().extras.field, "issuing_bank");
}

TEST(BankCode, R_C2_NamesKnownBanksAndNoOther) {
  EXPECT_EQ(bank_name("NBCB")->zh, "宁波银行");
  EXPECT_EQ(bank_name("NBCB")->en, "Bank of Ningbo");
  EXPECT_EQ(bank_name("ICBC")->zh, "中国工商银行");
  EXPECT_FALSE(bank_name("BK01"));
  EXPECT_FALSE(bank_name("nbcb"));  // codes are stored upper-cased
}

}  // namespace
}  // namespace essc::domain
