// Verification sessions (R-S3): who may continue them, what they proved, their limits.
#pragma once

#include <optional>

#include "domain/verification.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_verification(Connection& c, const domain::Verification& v);
std::optional<domain::Verification> find_verification(Connection& c,
                                                      std::string_view verification_id);
// Writes every mutable column.
void update_verification(Connection& c, const domain::Verification& v);

// R-S3: how many codes this phone (by blind index) was sent on `day`; and one more.
std::int64_t sms_sent_on(Connection& c, std::string_view phone_index, std::string_view day);
void count_sms_sent(Connection& c, std::string_view phone_index, std::string_view day);

// Checks of a person's secrets that count against them per China Standard Time day,
// across every verification and channel: bank four-factor checks (R-E4) and new
// e-card passwords compared with the card PINs (R-W2), and contribution debits the bank
// may refuse for want of funds (R-U5), each an answer about a secret.
enum class DailyCheck { kFourFactor, kCardPin, kBankDebit };
std::int64_t daily_checks_on(Connection& c, std::int64_t person_id, DailyCheck kind,
                             std::string_view day);
// One more; and one given back (a four-factor match tells nothing new).
void count_daily_check(Connection& c, std::int64_t person_id, DailyCheck kind,
                       std::string_view day);
void uncount_daily_check(Connection& c, std::int64_t person_id, DailyCheck kind,
                         std::string_view day);

}  // namespace essc::store
