// One card across the country (全国通用; R-X2, R-X3): cross-region care filings made at
// the HR counter, and the day's clearing between insured and treatment regions. The
// settlement itself applies the insured region's policy (services/settlements.hpp).
#pragma once

#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/filing.hpp"
#include "domain/person.hpp"
#include "domain/settlement.hpp"
#include "services/context.hpp"
#include "store/database.hpp"

namespace essc::services {

struct NewFiling {
  std::string treatment_region;
  std::string from;  // YYYY-MM-DD, China Standard Time
  std::string to;
};

struct ClearingDay {
  std::vector<domain::ClearingLine> lines;
  domain::ClearingLine totals;  // regions empty
};

class RegionService {
 public:
  RegionService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault)
      : clock_(clock), db_(db), vault_(vault) {}

  Result<domain::Filing> add_filing(const Actor& actor, std::string_view id_number,
                                    const NewFiling& request);
  Result<std::vector<domain::Filing>> filings(std::string_view id_number);
  Status remove_filing(const Actor& actor, std::string_view id_number, std::string_view filing_id);
  // The filings of the person a binding belongs to (the cardholder's own view).
  std::vector<domain::Filing> filings_of_person(std::int64_t person_id);

  // R-X3: every settlement of the day (China Standard Time) by insured and treatment region.
  Result<ClearingDay> clearing(std::string_view date);

 private:
  Result<domain::Person> find_person(store::Connection& c, std::string_view id_number) const;

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
};

// The day's start in Unix ms when `date` is a real YYYY-MM-DD, else nullopt.
std::optional<std::int64_t> parse_date(std::string_view date);

}  // namespace essc::services
