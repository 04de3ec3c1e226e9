#include "domain/bank_account.hpp"

namespace essc::domain {

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

Result<BankAccountNo> BankAccountNo::parse(std::string_view text) {
  if (text.size() < 12 || text.size() > 19 || !luhn_valid(text)) {
    return Error::with_field(ErrorCode::kInvalidBankAccount, "bank_account_no");
  }
  return BankAccountNo(std::string(text));
}

}  // namespace essc::domain
