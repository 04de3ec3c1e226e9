// The medical-insurance split of a bill (R-U4, docs: ../shared/docs/POLICY.md): what the
// pooled fund (统筹基金), the personal account (个人账户) and the cardholder (自付) pay.
//
// Pure arithmetic on integer fen; every product is rounded down to whole fen.
// Invariants of every Split: fund + account + self_pay = total; no part is negative;
// account <= the balance given; fund <= what remains under the annual cap.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/risk.hpp"

namespace essc::domain {

// R-K4 (POLICY.md "Quantity limits"): at most `max_quantity` units of the item `code` for
// one person across every institution within `window_days` days (the settlement's day
// and the ones before it, China Standard Time).
struct ItemLimit {
  std::string code;
  std::int64_t max_quantity = 0;
  std::int64_t window_days = 30;
};

struct RegionPolicy {
  std::int64_t b_first_self_ratio_bp = 1000;        // 乙类先行自付
  std::int64_t outpatient_deductible_fen = 60000;   // 起付线
  std::int64_t outpatient_fund_ratio_bp = 6000;     // 统筹支付比例
  std::int64_t outpatient_annual_cap_fen = 500000;  // 封顶线
  std::int64_t daily_settlement_limit = 20;         // settlements per e-card per day (R-S4)
  // Contributions (R-U5): what one period costs, and how many months back arrears may be
  // paid (resident medical insurance by the year, the flexible pension by the month).
  std::int64_t resident_medical_annual_fen = 38000;
  std::int64_t flexible_pension_monthly_fen = 96000;
  std::int64_t contribution_arrears_months = 12;
  std::vector<ItemLimit> item_limits;  // at most one per code
  RiskThresholds risk;                 // [risk] (R-K2, R-K3)

  const ItemLimit* item_limit(std::string_view code) const;
};

enum class ItemCategory { kA, kB, kC };
enum class Visit { kPharmacy, kOutpatient };
// Who pays the self-pay part: the cardholder at the till, or the card's bank account
// through the financial function (R-U4, R-C3).
enum class SelfPayMethod { kCash, kBank };

// The API's and the store's spellings: "pharmacy" | "outpatient"; "cash" | "bank".
std::string_view to_string(Visit visit);
std::optional<Visit> parse_visit(std::string_view text);
std::string_view to_string(SelfPayMethod method);
std::optional<SelfPayMethod> parse_self_pay_method(std::string_view text);

struct BillItem {
  std::string code;
  std::string name;
  ItemCategory category = ItemCategory::kA;
  std::int64_t quantity = 1;
  std::int64_t unit_price_fen = 0;
};

// The person's running figures for the calendar year (China Standard Time).
struct YearFigures {
  std::int64_t deductible_used_fen = 0;
  std::int64_t fund_paid_fen = 0;
};

// Units of one item code settled outside the catalogue because of its quantity cap
// (R-K4): the settlement's `flags`.
struct QuantityOver {
  std::string item_code;
  std::int64_t quantity_over = 0;
};

// Adds `over` units of `code` to its flag, or a flag of its own for a code not yet named.
void add_quantity_over(std::vector<QuantityOver>& flags, std::string_view code, std::int64_t over);

// Per bill line, how many of its units a cap settles as category C; and the flags, one
// per code over its cap, in the order the bill first names them.
struct QuantityCheck {
  std::vector<std::int64_t> units_outside;
  std::vector<QuantityOver> flags;
};

// `already(limit)` is the quantity of the limit's code the person bought in its window
// before this bill (refunds excluded). Lines of one code share what remains, first come
// first served.
QuantityCheck check_quantities(const RegionPolicy& policy, const std::vector<BillItem>& items,
                               const std::function<std::int64_t(const ItemLimit&)>& already);

struct Split {
  std::int64_t total_fen = 0;
  std::int64_t in_catalogue_fen = 0;
  std::int64_t eligible_fen = 0;
  std::int64_t deductible_part_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
};

// One settlement as recorded (R-U4, R-X1): the split, who paid the rest, and the
// idempotency key of the institution's order.
struct Settlement {
  std::string settlement_id;
  std::string institution_id;
  std::string order_id;
  std::string request_hash;  // raw SHA-256 of the canonical request, for idempotency
  std::string binding_id;
  std::int64_t person_id = 0;
  Visit visit = Visit::kPharmacy;
  std::int64_t total_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
  std::int64_t deductible_part_fen = 0;
  SelfPayMethod self_pay_method = SelfPayMethod::kCash;
  std::int64_t balance_after_fen = 0;
  std::int64_t year = 0;
  std::string day;  // YYYY-MM-DD, China Standard Time
  std::int64_t at_ms = 0;
  std::optional<std::int64_t> refunded_at_ms;
  std::optional<std::string> refund_reason;
  std::string insured_region;    // 参保地: whose policy and fund (R-X1)
  std::string treatment_region;  // 就医地: the institution's region
  // The audit log's indices of the settlement and of its refund (R-S8); unset while the
  // entry waits for the sequencer.
  std::optional<std::int64_t> audit_index;
  std::optional<std::int64_t> refund_audit_index;
  std::vector<QuantityOver> quantity_flags;  // R-K4
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

// In this order: INVALID_REQUEST for an empty bill or a line without code or name, a
// quantity below 1 or a negative price; INVALID_AMOUNT naming the field for a bill past
// the limits:: bounds (item count, quantity, unit price, total). Nothing is capped.
Status validate_bill(const std::vector<BillItem>& items);

// REQUIRES: validate_bill(items) succeeded; balance and figures not negative;
// `units_outside` empty or one per line, none above its line's quantity. Those units are
// paid as category C whatever their line's category (R-K4).
Split split_bill(const RegionPolicy& policy, Visit visit, const std::vector<BillItem>& items,
                 std::int64_t account_balance_fen, const YearFigures& year,
                 const std::vector<std::int64_t>& units_outside = {});

// `floor(amount * bp / 10000)` without overflow for the bounded amounts above.
std::int64_t apply_ratio(std::int64_t amount_fen, std::int64_t ratio_bp);

}  // namespace essc::domain
