// Verification sessions (R-S3): who may continue them, what they proved, their limits.
#pragma once

#include <optional>

#include "store/records.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_verification(Connection& c, const VerificationRecord& v);
std::optional<VerificationRecord> find_verification(Connection& c, std::string_view verification_id);
// Writes every mutable column.
void update_verification(Connection& c, const VerificationRecord& v);

// R-S3: how many codes this phone (by blind index) was sent on `day`; and one more.
std::int64_t sms_sent_on(Connection& c, std::string_view phone_index, std::string_view day);
void count_sms_sent(Connection& c, std::string_view phone_index, std::string_view day);

// R-E4: how many bank four-factor checks count against this person on `day`, across
// every verification and channel; one more; and one given back (a match).
std::int64_t four_factor_checks_on(Connection& c, std::int64_t person_id, std::string_view day);
void count_four_factor_check(Connection& c, std::int64_t person_id, std::string_view day);
void uncount_four_factor_check(Connection& c, std::int64_t person_id, std::string_view day);

}  // namespace essc::store
