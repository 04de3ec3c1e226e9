#include "domain/bank_account.hpp"

namespace essc::domain {
namespace {

// Bank card numbers (PANs) in China run from 12 to 19 digits (ISO/IEC 7812 allows
// 8…19; UnionPay issues 16…19, some older debit cards fewer).
constexpr std::size_t kDigitsMin = 12;
constexpr std::size_t kDigitsMax = 19;

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool doubled = false;  // every second digit from the right, the check digit not
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

Result<BankAccountNo> BankAccountNo::parse(std::string_view text) {
  if (text.size() < kDigitsMin || text.size() > kDigitsMax || !luhn_valid(text)) {
    return Error::with_field(ErrorCode::kInvalidBankAccount, "bank_account_no");
  }
  return BankAccountNo(std::string(text));
}

}  // namespace essc::domain
