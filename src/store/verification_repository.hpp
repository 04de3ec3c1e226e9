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

}  // namespace essc::store
