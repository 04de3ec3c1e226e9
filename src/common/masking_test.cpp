#include "common/masking.hpp"

#include <gtest/gtest.h>

namespace essc {
namespace {

TEST(Masking, R_U3_NameKeepsLastCharacter) {
  EXPECT_EQ(mask_name("张三"), "*三");
  EXPECT_EQ(mask_name("欧阳娜娜"), "***娜");
  EXPECT_EQ(mask_name("李"), "*");
  EXPECT_EQ(mask_name("Li Lei"), "*****i");
  EXPECT_EQ(mask_name(""), "");
}

TEST(Masking, R_U3_IdNumberKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_id_number("11010519491231002X"), "110***********002X");
  EXPECT_EQ(mask_id_number("1234567"), "*******");
}

TEST(Masking, R_S5_PhoneAccountAndCardNumber) {
  EXPECT_EQ(mask_phone("13800138000"), "138****8000");
  EXPECT_EQ(mask_bank_account("6222021234567890128"), "***************0128");
  EXPECT_EQ(mask_bank_account("123"), "***");
  EXPECT_EQ(mask_card_no("B12345678"), "B******78");
}

}  // namespace
}  // namespace essc
