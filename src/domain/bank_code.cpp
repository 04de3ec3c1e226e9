#include "domain/bank_code.hpp"

#include <array>

namespace essc::domain {
namespace {

// Abbreviations in use are 3 to 6 characters (BOC, ICBC, NBCB, PSBC); 2…12 admits any
// code a region may configure without admitting free text.
constexpr std::size_t kLengthMin = 2;
constexpr std::size_t kLengthMax = 12;

struct Named {
  std::string_view code;
  BankName name;
};

// The national banks and the Zhejiang banks that issue social security cards.
constexpr std::array<Named, 14> kBanks{{
    {"ICBC", {"中国工商银行", "Industrial and Commercial Bank of China"}},
    {"ABC", {"中国农业银行", "Agricultural Bank of China"}},
    {"BOC", {"中国银行", "Bank of China"}},
    {"CCB", {"中国建设银行", "China Construction Bank"}},
    {"BOCOM", {"交通银行", "Bank of Communications"}},
    {"PSBC", {"中国邮政储蓄银行", "Postal Savings Bank of China"}},
    {"CMB", {"招商银行", "China Merchants Bank"}},
    {"CITIC", {"中信银行", "China CITIC Bank"}},
    {"SPDB", {"浦发银行", "Shanghai Pudong Development Bank"}},
    {"NBCB", {"宁波银行", "Bank of Ningbo"}},
    {"HZCB", {"杭州银行", "Bank of Hangzhou"}},
    {"ZJRCU", {"浙江农商银行", "Zhejiang Rural Commercial Bank"}},
    {"CZBANK", {"浙商银行", "China Zheshang Bank"}},
    {"YINZHOU", {"宁波鄞州农商银行", "Ningbo Yinzhou Rural Commercial Bank"}},
}};

}  // namespace

std::optional<BankName> bank_name(std::string_view code) {
  for (const auto& bank : kBanks) {
    if (bank.code == code) return bank.name;
  }
  return std::nullopt;
}

Result<std::string> parse_bank_code(std::string_view text, std::string_view field_name) {
  const auto invalid = [&] { return Error::invalid_field(std::string(field_name)); };
  if (text.size() < kLengthMin || text.size() > kLengthMax) return invalid();
  std::string code(text);
  for (auto& ch : code) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    const bool allowed = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!allowed) return invalid();
  }
  return code;
}

}  // namespace essc::domain
