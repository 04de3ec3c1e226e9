#include "common/masking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "common/utf8.hpp"

namespace essc {
namespace {

std::size_t code_points(std::string_view text) {
  const auto decoded = utf8_code_points(text);
  return decoded ? decoded->size() : std::string::npos;
}

TEST(Masking, R_U3_NameKeepsTheLastCharacter) {
  EXPECT_EQ(mask_name("张三"), "*三");
  EXPECT_EQ(mask_name("欧阳娜娜"), "***娜");
  EXPECT_EQ(mask_name("Li Lei"), "***i");
  EXPECT_EQ(mask_name("张𠮷"), "*𠮷");  // a four-byte character kept whole
}

TEST(Masking, R_U3_LongNameStaysShort) {
  EXPECT_EQ(mask_name("阿依古丽·买买提"), "***提");
  EXPECT_EQ(mask_name("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"), "***韩");
  EXPECT_EQ(mask_name(std::string(200, 'a') + "Z"), "***Z");
  EXPECT_EQ(mask_name(std::string(40, '\xff')), "****");  // invalid text: no length told
}

TEST(Masking, R_U3_ShortNamesAreHiddenWhole) {
  EXPECT_EQ(mask_name("李"), "*");
  EXPECT_EQ(mask_name("𠮷"), "*");
  EXPECT_EQ(mask_name("L"), "*");
  EXPECT_EQ(mask_name(""), "");
}

TEST(Masking, R_U3_IdNumberKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_id_number("11010519491231002X"), "110***********002X");
  EXPECT_EQ(mask_id_number("330202199003071236"), "330***********1236");
  EXPECT_EQ(mask_id_number("330202900307123"), "330********7123");  // first-generation, 15 digits
}

TEST(Masking, R_S5_ShortIdNumbersAreHiddenWhole) {
  EXPECT_EQ(mask_id_number(""), "");
  EXPECT_EQ(mask_id_number("1234567"), "*******");
  EXPECT_EQ(mask_id_number("12345678"), "********");
  EXPECT_EQ(mask_id_number("1234567890"), "**********");
  EXPECT_EQ(mask_id_number("12345678901"), "123****8901");  // four hidden: the minimum
}

TEST(Masking, R_S5_PhoneKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("13800138000"), "138****8000");
  EXPECT_EQ(mask_phone("1380013800"), "**********");  // one digit short: hidden whole
  EXPECT_EQ(mask_phone("138"), "***");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(Masking, R_S5_BankAccountKeepsTheLastFour) {
  EXPECT_EQ(mask_bank_account("6222021234567890128"), "***************0128");
  EXPECT_EQ(mask_bank_account("622202123456"), "********3456");
  EXPECT_EQ(mask_bank_account("12345678"), "****5678");
  EXPECT_EQ(mask_bank_account("1234567"), "*******");
  EXPECT_EQ(mask_bank_account("123"), "***");
}

TEST(Masking, R_U3_CardNumberKeepsTheFirstAndTheLastTwo) {
  EXPECT_EQ(mask_card_no("A12345678"), "A******78");
  EXPECT_EQ(mask_card_no("B12345678"), "B******78");
  EXPECT_EQ(mask_card_no("B123456"), "B****56");
  EXPECT_EQ(mask_card_no("B12345"), "******");
  EXPECT_EQ(mask_card_no(""), "");
}

TEST(Masking, R_S5_MultibyteInputKeepsWholeCharacters) {
  // Full-width digits, as a careless form might send them: three bytes each.
  EXPECT_EQ(mask_phone("１３８１２３４５６７８"), "１３８****５６７８");
  EXPECT_EQ(mask_card_no("Ｂ１２３４５６７８"), "Ｂ******７８");
  EXPECT_EQ(mask_bank_account("账号一二三四五六七八"), "******五六七八");
  EXPECT_EQ(mask_id_number("一二三四五六七"), "*******");
}

TEST(Masking, R_S5_InvalidUtf8IsHiddenWhole) {
  EXPECT_EQ(mask_name("\xff\xfe"), "**");
  EXPECT_EQ(mask_name("张\xe4"), "****");  // a truncated character: nothing shown
  EXPECT_EQ(mask_phone("138\xff"
                       "12345678"),
            "************");
  EXPECT_EQ(mask_id_number("11010519491231002\xc3"), std::string(18, '*'));
}

TEST(Masking, R_S5_EveryMaskKeepsTheCharacterCountAndIsValidUtf8) {
  // mask_name keeps the count of names up to kMaskedNameStarsMax + 1 characters and
  // shortens longer ones (R_U3_LongNameStaysShort).
  const std::function<std::string(std::string_view)> masks[] = {mask_id_number, mask_phone,
                                                                mask_bank_account, mask_card_no};
  for (std::string_view input :
       {"", "a", "张", "张三", "欧阳娜娜", "11010519491231002X", "13812345678",
        "6222021234567890128", "A12345678", "１３８１２３４５６７８", "𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷"}) {
    const auto name = mask_name(input);
    EXPECT_EQ(code_points(name),
              std::min<std::size_t>(code_points(input), kMaskedNameStarsMax + 1));
    if (!input.empty()) {
      EXPECT_NE(name, input) << input;
    }
    for (const auto& mask : masks) {
      const auto masked = mask(input);
      EXPECT_EQ(code_points(masked), code_points(input)) << input << " → " << masked;
      if (!input.empty()) {
        EXPECT_NE(masked, input) << input;  // something is always hidden
      }
    }
  }
}

}  // namespace
}  // namespace essc
