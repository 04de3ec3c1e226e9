#include "domain/settlement.hpp"

#include <algorithm>
#include <map>

#include "common/assert.hpp"
#include "common/limits.hpp"
#include "domain/enum_names.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 2> kVisits{"pharmacy", "outpatient"};
constexpr std::array<std::string_view, 2> kSelfPayMethods{"cash", "bank"};

}  // namespace

std::string_view to_string(Visit visit) { return name_in(kVisits, visit); }
std::optional<Visit> parse_visit(std::string_view text) { return parse_in<Visit>(kVisits, text); }
std::string_view to_string(SelfPayMethod method) { return name_in(kSelfPayMethods, method); }
std::optional<SelfPayMethod> parse_self_pay_method(std::string_view text) {
  return parse_in<SelfPayMethod>(kSelfPayMethods, text);
}

std::int64_t apply_ratio(std::int64_t amount_fen, std::int64_t ratio_bp) {
  // Amounts are bounded by limits::kBillTotalFenMax (2×10^7) and ratios by 10^4: the
  // product stays far below 2^63. Non-negative operands
  // make integer division a floor.
  return amount_fen * ratio_bp / 10000;
}

Status validate_bill(const std::vector<BillItem>& items) {
  if (items.empty()) return Error::invalid_field("items");
  if (items.size() > limits::kBillItemsMax)
    return Error::with_field(ErrorCode::kInvalidAmount, "items");
  std::int64_t total_fen = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const auto field = [&](const char* name) { return "items[" + std::to_string(i) + "]." + name; };
    if (item.code.empty() || item.code.size() > limits::kIdCharsMax)
      return Error::invalid_field(field("code"));
    if (item.name.empty() || item.name.size() > limits::kTextBytesMax)
      return Error::invalid_field(field("name"));
    if (item.quantity < 1) return Error::invalid_field(field("quantity"));
    if (item.quantity > limits::kItemQuantityMax)
      return Error::with_field(ErrorCode::kInvalidAmount, field("quantity"));
    if (item.unit_price_fen < 0 || item.unit_price_fen > limits::kItemUnitPriceFenMax) {
      return Error::with_field(ErrorCode::kInvalidAmount, field("unit_price_fen"));
    }
    // Each line is below 10^10 fen and the running total below 2×10^7 before it: no overflow.
    total_fen += item.quantity * item.unit_price_fen;
    if (total_fen > limits::kBillTotalFenMax)
      return Error::with_field(ErrorCode::kInvalidAmount, "items");
  }
  return {};
}

const ItemLimit* RegionPolicy::item_limit(std::string_view code) const {
  const auto it = std::find_if(item_limits.begin(), item_limits.end(),
                               [&](const ItemLimit& l) { return l.code == code; });
  return it == item_limits.end() ? nullptr : &*it;
}

void add_quantity_over(std::vector<QuantityOver>& flags, std::string_view code, std::int64_t over) {
  const auto flag = std::find_if(flags.begin(), flags.end(),
                                 [&](const QuantityOver& f) { return f.item_code == code; });
  if (flag == flags.end()) {
    flags.push_back({std::string(code), over});
  } else {
    flag->quantity_over += over;
  }
}

QuantityCheck check_quantities(const RegionPolicy& policy, const std::vector<BillItem>& items,
                               const std::function<std::int64_t(const ItemLimit&)>& already) {
  QuantityCheck check;
  check.units_outside.assign(items.size(), 0);
  std::map<std::string_view, std::int64_t> left;  // per limited code of the bill
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* limit = policy.item_limit(items[i].code);
    if (!limit) continue;
    auto [it, first] = left.try_emplace(limit->code, 0);
    if (first) it->second = std::max<std::int64_t>(0, limit->max_quantity - already(*limit));
    const auto within = std::min(it->second, items[i].quantity);
    it->second -= within;
    const auto over = items[i].quantity - within;
    if (over == 0) continue;
    check.units_outside[i] = over;
    add_quantity_over(check.flags, limit->code, over);
  }
  return check;
}

Split split_bill(const RegionPolicy& policy, Visit visit, const std::vector<BillItem>& items,
                 std::int64_t account_balance_fen, const YearFigures& year,
                 const std::vector<std::int64_t>& units_outside) {
  ESSC_ASSERT(validate_bill(items).ok());
  ESSC_ASSERT(account_balance_fen >= 0 && year.deductible_used_fen >= 0 && year.fund_paid_fen >= 0);
  ESSC_ASSERT(units_outside.empty() || units_outside.size() == items.size());
  std::int64_t sum_a = 0, sum_b = 0, sum_c = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const auto outside = units_outside.empty() ? 0 : units_outside[i];
    ESSC_ASSERT(outside >= 0 && outside <= item.quantity);
    sum_c += outside * item.unit_price_fen;
    (item.category == ItemCategory::kA   ? sum_a
     : item.category == ItemCategory::kB ? sum_b
                                         : sum_c) +=
        (item.quantity - outside) * item.unit_price_fen;
  }
  Split s;
  s.total_fen = sum_a + sum_b + sum_c;
  s.in_catalogue_fen = sum_a + sum_b;
  s.eligible_fen = sum_a + sum_b - apply_ratio(sum_b, policy.b_first_self_ratio_bp);
  if (visit == Visit::kOutpatient) {
    const auto deductible_left =
        std::max<std::int64_t>(0, policy.outpatient_deductible_fen - year.deductible_used_fen);
    s.deductible_part_fen = std::min(s.eligible_fen, deductible_left);
    const auto cap_left =
        std::max<std::int64_t>(0, policy.outpatient_annual_cap_fen - year.fund_paid_fen);
    s.fund_fen = std::min(
        apply_ratio(s.eligible_fen - s.deductible_part_fen, policy.outpatient_fund_ratio_bp),
        cap_left);
  }
  s.account_fen = std::min(account_balance_fen, s.in_catalogue_fen - s.fund_fen);
  s.self_pay_fen = s.total_fen - s.fund_fen - s.account_fen;
  // Every fen of the bill is paid by exactly one of the three, none of them negative.
  ESSC_INVARIANT(s.fund_fen >= 0 && s.account_fen >= 0 && s.self_pay_fen >= 0);
  ESSC_INVARIANT(s.fund_fen + s.account_fen + s.self_pay_fen == s.total_fen);
  return s;
}

}  // namespace essc::domain
