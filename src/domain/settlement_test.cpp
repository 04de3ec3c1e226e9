#include "domain/settlement.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>

#include "common/limits.hpp"

namespace essc::domain {
namespace {

TEST(Settlement, R_U4_PolicyWorkedExample) {
  // POLICY.md: region 330200, a new year, balance 100000 fen.
  const std::vector<BillItem> bill{{"A1", "甲类药", ItemCategory::kA, 1, 20000},
                                   {"B1", "乙类药", ItemCategory::kB, 1, 50000},
                                   {"C1", "丙类药", ItemCategory::kC, 1, 10000}};
  ASSERT_TRUE(validate_bill(bill).ok());
  const auto s = split_bill(RegionPolicy{}, Visit::kOutpatient, bill, 100000, {});
  EXPECT_EQ(s.total_fen, 80000);
  EXPECT_EQ(s.in_catalogue_fen, 70000);
  EXPECT_EQ(s.eligible_fen, 65000);
  EXPECT_EQ(s.deductible_part_fen, 60000);
  EXPECT_EQ(s.fund_fen, 3000);
  EXPECT_EQ(s.account_fen, 67000);
  EXPECT_EQ(s.self_pay_fen, 10000);
}

TEST(Settlement, R_U4_PharmacyFundPaysNothing) {
  const std::vector<BillItem> bill{{"A1", "药", ItemCategory::kA, 2, 1500},
                                   {"C1", "保健品", ItemCategory::kC, 1, 900}};
  const auto s = split_bill(RegionPolicy{}, Visit::kPharmacy, bill, 2000, {});
  EXPECT_EQ(s.fund_fen, 0);
  EXPECT_EQ(s.account_fen, 2000);
  EXPECT_EQ(s.self_pay_fen, 1900);
}

TEST(Settlement, R_U4_CapAndDeductibleCarryAcrossTheYear) {
  const std::vector<BillItem> bill{{"A1", "检查", ItemCategory::kA, 1, 1'000'000}};
  const auto s = split_bill(RegionPolicy{}, Visit::kOutpatient, bill, 0, {60000, 499000});
  EXPECT_EQ(s.deductible_part_fen, 0);
  EXPECT_EQ(s.fund_fen, 1000);  // only what is left under the 5,000-yuan cap
  EXPECT_EQ(s.self_pay_fen, 999000);
}

TEST(Settlement, R_U4_RoundsDownToTheFen) {
  const std::vector<BillItem> bill{{"B1", "乙类", ItemCategory::kB, 1, 60009}};
  const auto s = split_bill(RegionPolicy{}, Visit::kOutpatient, bill, 0, {60000, 0});
  EXPECT_EQ(s.eligible_fen, 60009 - 6000);  // floor(60009 × 0.1) = 6000
  EXPECT_EQ(s.fund_fen, (60009 - 6000) * 6000 / 10000);
}

TEST(Settlement, R_U4_RejectsBadBills) {
  EXPECT_EQ(validate_bill({}).error().extras.field, "items");
  EXPECT_EQ(validate_bill({{"A1", "药", ItemCategory::kA, 0, 100}}).error().extras.field,
            "items[0].quantity");
  EXPECT_EQ(validate_bill({{"A1", "药", ItemCategory::kA, 1, -1}}).error().code,
            ErrorCode::kInvalidAmount);
}

// The attack: one line of 2×10^14 fen drew the year's whole fund cap. Every bound is
// refused with INVALID_AMOUNT naming what broke it, and nothing is capped silently.
TEST(Settlement, R_U4_BillsPastTheNamedLimitsAreRefusedNotCapped) {
  // "CODE field" of the refusal, or "ok".
  const auto refusal = [](const std::vector<BillItem>& bill) -> std::string {
    const auto status = validate_bill(bill);
    if (status.ok()) return "ok";
    return std::string(error_code_name(status.error().code)) + " " +
           status.error().extras.field.value_or("");
  };
  const auto line = [](std::int64_t quantity, std::int64_t price) {
    return BillItem{"A1", "药", ItemCategory::kA, quantity, price};
  };
  EXPECT_EQ(refusal({line(10'000, 100'000'000)}), "INVALID_AMOUNT items[0].quantity");
  EXPECT_EQ(refusal({line(1, limits::kItemUnitPriceFenMax + 1)}),
            "INVALID_AMOUNT items[0].unit_price_fen");
  EXPECT_EQ(refusal({line(limits::kItemQuantityMax + 1, 1)}), "INVALID_AMOUNT items[0].quantity");
  EXPECT_EQ(refusal(std::vector<BillItem>(limits::kBillItemsMax + 1, line(1, 1))),
            "INVALID_AMOUNT items");
  EXPECT_EQ(refusal({line(2, limits::kItemUnitPriceFenMax), line(1, 1)}), "INVALID_AMOUNT items");
  // At the bounds exactly, the bill is taken.
  EXPECT_EQ(refusal({line(2, limits::kItemUnitPriceFenMax)}), "ok");
  EXPECT_EQ(
      refusal(std::vector<BillItem>(limits::kBillItemsMax, line(limits::kItemQuantityMax, 100))),
      "ok");
}

TEST(Settlement, R_U4_PropertiesHoldOnRandomBills) {
  std::mt19937_64 rng(20261126);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const RegionPolicy policy;
  for (int round = 0; round < 20000; ++round) {
    std::vector<BillItem> bill;
    const auto n = pick(1, 8);
    for (int i = 0; i < n; ++i) {
      bill.push_back(
          {"X", "x", static_cast<ItemCategory>(pick(0, 2)), pick(1, 20), pick(0, 500000)});
    }
    if (!validate_bill(bill).ok()) continue;  // split_bill's precondition: a valid bill
    const auto balance = pick(0, 300000);
    const YearFigures year{pick(0, 60000), pick(0, 500000)};
    const auto visit = pick(0, 1) ? Visit::kOutpatient : Visit::kPharmacy;
    const auto s = split_bill(policy, visit, bill, balance, year);
    ASSERT_EQ(s.fund_fen + s.account_fen + s.self_pay_fen, s.total_fen);
    ASSERT_GE(s.fund_fen, 0);
    ASSERT_GE(s.account_fen, 0);
    ASSERT_GE(s.self_pay_fen, 0);
    ASSERT_LE(s.account_fen, balance);
    ASSERT_LE(year.fund_paid_fen + s.fund_fen, policy.outpatient_annual_cap_fen);
    ASSERT_LE(year.deductible_used_fen + s.deductible_part_fen, policy.outpatient_deductible_fen);
  }
}

RegionPolicy statin_capped() {
  RegionPolicy policy;
  policy.item_limits.push_back({"YP-ATV-20", 60, 30});
  return policy;
}

TEST(Settlement, R_K4_QuantityLimitWorkedExample) {
  // POLICY.md "Quantity limits": cap 60 in 30 days, 40 bought, 40 more the next day.
  const auto policy = statin_capped();
  const std::vector<BillItem> bill{{"YP-ATV-20", "阿托伐他汀钙片", ItemCategory::kA, 40, 1000}};
  const auto first = check_quantities(policy, bill, [](const ItemLimit&) { return 0; });
  EXPECT_TRUE(first.flags.empty());
  EXPECT_EQ(split_bill(policy, Visit::kPharmacy, bill, 100000, {}, first.units_outside).account_fen,
            40000);

  const auto second = check_quantities(policy, bill, [](const ItemLimit& l) {
    EXPECT_EQ(l.code, "YP-ATV-20");
    return 40;
  });
  ASSERT_EQ(second.flags.size(), 1u);
  EXPECT_EQ(second.flags[0].item_code, "YP-ATV-20");
  EXPECT_EQ(second.flags[0].quantity_over, 20);
  const auto s = split_bill(policy, Visit::kPharmacy, bill, 100000, {}, second.units_outside);
  EXPECT_EQ(s.in_catalogue_fen, 20000);
  EXPECT_EQ(s.account_fen, 20000);
  EXPECT_EQ(s.self_pay_fen, 20000);
}

TEST(Settlement, R_K4_LinesOfOneCodeShareWhatIsLeftAndOtherCodesAreUntouched) {
  const auto policy = statin_capped();
  const std::vector<BillItem> bill{{"YP-ATV-20", "他汀", ItemCategory::kB, 5, 300},
                                   {"A1", "药", ItemCategory::kA, 100, 10},
                                   {"YP-ATV-20", "他汀", ItemCategory::kA, 10, 300}};
  int reads = 0;
  const auto check = check_quantities(policy, bill, [&](const ItemLimit&) {
    ++reads;
    return 52;  // 8 left
  });
  EXPECT_EQ(reads, 1);  // one read per limited code, not per line
  EXPECT_EQ(check.units_outside, (std::vector<std::int64_t>{0, 0, 7}));
  ASSERT_EQ(check.flags.size(), 1u);
  EXPECT_EQ(check.flags[0].quantity_over, 7);
  // Already past the cap: nothing left, and never a negative remainder.
  const auto past = check_quantities(policy, bill, [](const ItemLimit&) { return 75; });
  EXPECT_EQ(past.units_outside, (std::vector<std::int64_t>{5, 0, 10}));
  EXPECT_EQ(past.flags[0].quantity_over, 15);
}

TEST(Settlement, R_K4_UnitsOverTheCapNeverChangeTheTotalOnRandomBills) {
  std::mt19937_64 rng(20261204);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  RegionPolicy policy;
  policy.item_limits = {{"L1", 30, 30}, {"L2", 5, 7}};
  for (int round = 0; round < 5000; ++round) {
    std::vector<BillItem> bill;
    static const std::array<std::string, 3> kCodes{"L1", "L2", "L3"};  // L3 has no cap
    for (auto i = pick(1, 6); i > 0; --i) {
      bill.push_back({kCodes[static_cast<std::size_t>(pick(0, 2))], "x",
                      static_cast<ItemCategory>(pick(0, 2)), pick(1, 40), pick(0, 5000)});
    }
    const auto already = pick(0, 40);
    const auto check = check_quantities(policy, bill, [&](const ItemLimit&) { return already; });
    const auto plain = split_bill(policy, Visit::kOutpatient, bill, 100000, {});
    const auto capped =
        split_bill(policy, Visit::kOutpatient, bill, 100000, {}, check.units_outside);
    ASSERT_EQ(capped.total_fen, plain.total_fen);
    ASSERT_LE(capped.in_catalogue_fen, plain.in_catalogue_fen);
    ASSERT_GE(capped.self_pay_fen, plain.self_pay_fen);
    std::int64_t over = 0, flagged = 0;
    for (const auto units : check.units_outside) over += units;
    for (const auto& flag : check.flags) flagged += flag.quantity_over;
    ASSERT_EQ(over, flagged);
  }
}

}  // namespace
}  // namespace essc::domain
