// A cross-region care filing (异地就医备案, R-X2): the person may be treated as an
// outpatient in another province's region between two China Standard Time days.
#pragma once

#include <cstdint>
#include <string>

namespace essc::domain {

struct Filing {
  std::string filing_id;
  std::int64_t person_id = 0;
  std::string treatment_region;
  std::string from_day;  // YYYY-MM-DD, inclusive
  std::string to_day;    // YYYY-MM-DD, inclusive
  std::string created_by;
  std::int64_t created_at_ms = 0;
};

}  // namespace essc::domain
