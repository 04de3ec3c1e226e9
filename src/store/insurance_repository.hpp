// The insurance history (R-R1): rows of insurance_records, one per person, insurance,
// month and employer. Feeding is idempotent: a row already held with the same values is
// left as it is; the service decides what a row with other values means.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/insurance_record.hpp"
#include "store/sql.hpp"

namespace essc::store {

// What feeding one record did.
enum class InsuranceFeed { kAdded, kUnchanged, kConflict };

// Adds `r` for the person unless a row of the same insurance, month and employer is
// held: kUnchanged when that row has the same values, kConflict (nothing written) when
// not. Two prepared statements per record, so a bulk import runs at the engine's pace.
InsuranceFeed feed_insurance_record(Connection& c, std::int64_t person_id,
                                    const domain::InsuranceRecord& r, std::int64_t now_ms);

// The person's records, by insurance (kInsuranceKinds order), then month, then employer;
// months from `from` to `to` inclusive when given.
std::vector<domain::InsuranceRecord> insurance_records_of(
    Connection& c, std::int64_t person_id, std::optional<domain::Period> from = std::nullopt,
    std::optional<domain::Period> to = std::nullopt);

}  // namespace essc::store
