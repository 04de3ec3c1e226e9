// Settlements (R-U4) and the yearly running figures they move (POLICY.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "domain/settlement.hpp"
#include "store/sql.hpp"

namespace essc::store {

// Audited by the entry the transaction appended last (store/audit_log.hpp), whose seq the
// reads answer as its audit_index; so is the refund mark_refunded() records.
void insert_settlement(Connection& c, const domain::Settlement& s);
// The two finds read the settlement's quantity flags (R-K4) too; settlements_of_day()
// leaves them empty.
std::optional<domain::Settlement> find_settlement(Connection& c, std::string_view settlement_id);
// Sets the log indices of the entries that audit `s` and its refund, as sequenced now.
void read_audit_indices(Connection& c, domain::Settlement& s);
std::optional<domain::Settlement> find_settlement_by_order(Connection& c,
                                                           std::string_view institution_id,
                                                           std::string_view order_id);
// The account a bank self-pay debited, sealed in the settlement's row (R-S5), so that a
// refund credits that account whatever became of the card since (POLICY.md "Refund").
void record_settlement_debit(Connection& c, const crypto::PiiVault& vault,
                             std::string_view settlement_id, std::string_view account_no);
// Absent for a cash self-pay and for a settlement recorded before accounts were kept.
std::optional<std::string> settlement_debit_account(Connection& c, const crypto::PiiVault& vault,
                                                    std::string_view settlement_id);
void mark_refunded(Connection& c, std::string_view settlement_id, std::int64_t at_ms,
                   std::string_view reason);
std::vector<domain::Settlement> settlements_of_day(Connection& c, std::string_view institution_id,
                                                   std::string_view day);
std::vector<domain::ClearingLine> clearing_of_day(Connection& c, std::string_view day);
std::int64_t settlements_of_person_on(Connection& c, std::int64_t person_id, std::string_view day);
// The reads settlements_of_person_on() and year_figures() make, sent ahead of them
// (Statement::send_ahead()).
void send_settlements_of_person_on_ahead(Connection& c, std::int64_t person_id,
                                         std::string_view day);
void send_year_figures_ahead(Connection& c, std::int64_t person_id, std::int64_t year);

// R-K4: the bill's lines, with the units of each that a quantity cap settled outside the
// catalogue (`units_outside`: empty, or one per line).
void insert_settlement_items(Connection& c, const domain::Settlement& s,
                             const std::vector<domain::BillItem>& items,
                             const std::vector<std::int64_t>& units_outside);
// Units of `code` in the person's settlements from `first_day` on (YYYY-MM-DD, China
// Standard Time), refunded ones excluded.
std::int64_t quantity_bought_since(Connection& c, std::int64_t person_id, std::string_view code,
                                   std::string_view first_day);

domain::YearFigures year_figures(Connection& c, std::int64_t person_id, std::int64_t year);
// Adds the deltas (negative on refunds) to the person's figures for the year.
void add_year_figures(Connection& c, std::int64_t person_id, std::int64_t year,
                      std::int64_t deductible_delta_fen, std::int64_t fund_delta_fen);

}  // namespace essc::store
