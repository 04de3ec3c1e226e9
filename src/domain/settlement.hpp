// The medical-insurance split of a bill (R-U4, docs: ../shared/docs/POLICY.md): what the
// pooled fund (统筹基金), the personal account (个人账户) and the cardholder (自付) pay.
//
// Pure arithmetic on integer fen; every product is rounded down to whole fen.
// Invariants of every Split: fund + account + self_pay = total; no part is negative;
// account <= the balance given; fund <= what remains under the annual cap.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace essc::domain {

struct RegionPolicy {
  std::int64_t b_first_self_ratio_bp = 1000;       // 乙类先行自付
  std::int64_t outpatient_deductible_fen = 60000;  // 起付线
  std::int64_t outpatient_fund_ratio_bp = 6000;    // 统筹支付比例
  std::int64_t outpatient_annual_cap_fen = 500000; // 封顶线
  std::int64_t daily_settlement_limit = 20;        // settlements per e-card per day (R-S4)
};

enum class ItemCategory { kA, kB, kC };
enum class Visit { kPharmacy, kOutpatient };

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

struct Split {
  std::int64_t total_fen = 0;
  std::int64_t in_catalogue_fen = 0;
  std::int64_t eligible_fen = 0;
  std::int64_t deductible_part_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
};

// In this order: INVALID_REQUEST for an empty bill or a line without code or name, a
// quantity below 1 or a negative price; INVALID_AMOUNT naming the field for a bill past
// the limits:: bounds (item count, quantity, unit price, total). Nothing is capped.
Status validate_bill(const std::vector<BillItem>& items);

// REQUIRES: validate_bill(items) succeeded; balance and figures not negative.
Split split_bill(const RegionPolicy& policy, Visit visit, const std::vector<BillItem>& items,
                 std::int64_t account_balance_fen, const YearFigures& year);

// `floor(amount * bp / 10000)` without overflow for the bounded amounts above.
std::int64_t apply_ratio(std::int64_t amount_fen, std::int64_t ratio_bp);

}  // namespace essc::domain
