// Cross-region care filings (异地就医备案, R-X2): a person may be treated as an
// outpatient in another province's region between two China Standard Time days.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/filing.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_filing(Connection& c, const domain::Filing& f);
std::vector<domain::Filing> filings_of_person(Connection& c, std::int64_t person_id);
// True when one of the person's filings names this treatment region and covers the day.
bool filing_covers(Connection& c, std::int64_t person_id, std::string_view treatment_region,
                   std::string_view day);
// False when the person has no such filing.
bool delete_filing(Connection& c, std::int64_t person_id, std::string_view filing_id);

}  // namespace essc::store
