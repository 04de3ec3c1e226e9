// Settlements (R-U4) and the yearly running figures they move (POLICY.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/settlement.hpp"
#include "store/sql.hpp"

namespace essc::store {

struct SettlementRecord {
  std::string settlement_id;
  std::string institution_id;
  std::string order_id;
  std::string request_hash;  // raw SHA-256 of the canonical request, for idempotency
  std::string binding_id;
  std::int64_t person_id = 0;
  std::string visit;  // pharmacy | outpatient
  std::int64_t total_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
  std::int64_t deductible_part_fen = 0;
  std::string self_pay_method;  // cash | bank
  std::int64_t balance_after_fen = 0;
  std::int64_t year = 0;
  std::string day;  // YYYY-MM-DD, China Standard Time
  std::int64_t at_ms = 0;
  std::optional<std::int64_t> refunded_at_ms;
  std::optional<std::string> refund_reason;
  std::string insured_region;    // 参保地: whose policy and fund (R-X1)
  std::string treatment_region;  // 就医地: the institution's region
};

// R-X3: one pair of insured and treatment region on one day, refunds netted: a refunded
// settlement counts in `refunds` and pays nothing, as in an institution's reconciliation.
struct ClearingLine {
  std::string insured_region;
  std::string treatment_region;
  std::int64_t settlements = 0;
  std::int64_t refunds = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
};

void insert_settlement(Connection& c, const SettlementRecord& s);
std::optional<SettlementRecord> find_settlement(Connection& c, std::string_view settlement_id);
std::optional<SettlementRecord> find_settlement_by_order(Connection& c, std::string_view institution_id,
                                                         std::string_view order_id);
void mark_refunded(Connection& c, std::string_view settlement_id, std::int64_t at_ms, std::string_view reason);
std::vector<SettlementRecord> settlements_of_day(Connection& c, std::string_view institution_id, std::string_view day);
std::vector<ClearingLine> clearing_of_day(Connection& c, std::string_view day);
std::int64_t settlements_of_person_on(Connection& c, std::int64_t person_id, std::string_view day);

domain::YearFigures year_figures(Connection& c, std::int64_t person_id, std::int64_t year);
// Adds the deltas (negative on refunds) to the person's figures for the year.
void add_year_figures(Connection& c, std::int64_t person_id, std::int64_t year, std::int64_t deductible_delta_fen,
                      std::int64_t fund_delta_fen);

}  // namespace essc::store
