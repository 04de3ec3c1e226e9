#include "services/regions.hpp"

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/random.hpp"
#include "domain/id_number.hpp"
#include "domain/region_code.hpp"
#include "store/audit_log.hpp"
#include "store/filing_repository.hpp"
#include "store/person_repository.hpp"
#include "store/settlement_repository.hpp"

namespace essc::services {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

Status validate(const NewFiling& r) {
  ESSC_TRY(domain::parse_region_code(r.treatment_region, "treatment_region"));
  const auto from = parse_date(r.from);
  if (!from) return Error::invalid_field("from");
  const auto to = parse_date(r.to);
  if (!to || *to < *from || (*to - *from) / kDayMs >= limits::kRegionFilingDaysMax)
    return Error::invalid_field("to");
  return {};
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view date) {
  if (date.size() != 10) return std::nullopt;
  return parse_rfc3339(std::string(date) + "T00:00:00Z");
}

Result<domain::Person> RegionService::find_person(store::Connection& c,
                                                  std::string_view id_number) const {
  auto id = domain::IdNumber::parse(id_number);
  if (!id) return std::move(id).error();
  auto person = store::find_person_by_id_number(c, vault_, id->str());
  if (!person) return Error(ErrorCode::kNotFound);
  return std::move(*person);
}

Result<domain::Filing> RegionService::add_filing(const Actor& actor, std::string_view id_number,
                                                 const NewFiling& request) {
  ESSC_TRY(validate(request));
  const auto now = clock_.now_ms();
  return db_.write<domain::Filing>([&](store::Connection& c) -> Result<domain::Filing> {
    ESSC_ASSIGN_OR_RETURN(auto person, find_person(c, id_number));
    if (store::filings_of_person(c, person.person_id).size() >=
        limits::kRegionFilingsPerPersonMax) {
      return Error(ErrorCode::kConflict, "too many filings");
    }
    domain::Filing filing{"fl_" + crypto::random_token(12),
                          person.person_id,
                          request.treatment_region,
                          request.from,
                          request.to,
                          actor.audit_name,
                          now};
    store::insert_filing(c, filing);
    store::append_audit(c, now, actor.audit_name, "filing.create", filing.filing_id, "ok");
    return filing;
  });
}

Result<std::vector<domain::Filing>> RegionService::filings(std::string_view id_number) {
  return db_.read([&](store::Connection& c) -> Result<std::vector<domain::Filing>> {
    ESSC_ASSIGN_OR_RETURN(auto person, find_person(c, id_number));
    return store::filings_of_person(c, person.person_id);
  });
}

std::vector<domain::Filing> RegionService::filings_of_person(std::int64_t person_id) {
  return db_.read([&](store::Connection& c) { return store::filings_of_person(c, person_id); });
}

Status RegionService::remove_filing(const Actor& actor, std::string_view id_number,
                                    std::string_view filing_id) {
  const auto now = clock_.now_ms();
  auto removed = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    ESSC_ASSIGN_OR_RETURN(auto person, find_person(c, id_number));
    if (!store::delete_filing(c, person.person_id, filing_id)) return Error(ErrorCode::kNotFound);
    store::append_audit(c, now, actor.audit_name, "filing.delete", std::string(filing_id), "ok");
    return true;
  });
  if (!removed) return std::move(removed).error();
  return {};
}

Result<ClearingDay> RegionService::clearing(std::string_view date) {
  if (!parse_date(date)) return Error::invalid_field("date");
  ClearingDay day;
  day.lines = db_.read([&](store::Connection& c) { return store::clearing_of_day(c, date); });
  for (const auto& line : day.lines) {
    day.totals.settlements += line.settlements;
    day.totals.refunds += line.refunds;
    day.totals.fund_fen += line.fund_fen;
    day.totals.account_fen += line.account_fen;
  }
  return day;
}

}  // namespace essc::services
