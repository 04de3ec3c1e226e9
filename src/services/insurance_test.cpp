// The insurance history as the HR systems feed it (R-R1), on both store engines:
// idempotent feeding, a conflicting record that adds nothing, fields checked in order.
#include "services/insurance.hpp"

#include <gtest/gtest.h>

#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "store/insurance_repository.hpp"
#include "store/person_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

class InsuranceRecordsTest : public ::testing::Test {
 protected:
  InsuranceRecordsTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    id_ = testing::make_id_number("33020219900307123");
    EXPECT_TRUE(
        p().registry.add_person(clerk_, {"张三", id_, "330200", std::nullopt, true, true}).ok());
  }

  Platform& p() { return t_.platform(); }

  static domain::InsuranceRecordInput item(std::string insurance, std::string period,
                                           std::int64_t base = 800000,
                                           std::string employer = "宁波港集团") {
    return {std::move(insurance), std::move(period),   base,    base * 16 / 100,
            base * 8 / 100,       std::move(employer), "330200"};
  }

  std::vector<domain::InsuranceRecord> held() {
    return t_.ctx().db.read([&](store::Connection& c) {
      const auto person = store::find_person_by_id_number(c, t_.ctx().vault, id_);
      return store::insurance_records_of(c, person->person_id);
    });
  }

  testing::TestPlatform t_;
  Actor clerk_ = Actor::command_line();
  std::string id_;
};

TEST_F(InsuranceRecordsTest, R_R1_FeedingTwiceAddsOnceAndCountsTheRestUnchanged) {
  const std::vector items{item("pension", "2025-01"), item("medical", "2025-01"),
                          item("pension", "2025-02")};
  auto first = p().insurance.add(clerk_, id_, items);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->added, 3);
  EXPECT_EQ(first->unchanged, 0);
  auto again = p().insurance.add(clerk_, id_, {items[2], item("unemployment", "2025-02")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 1);
  EXPECT_EQ(again->unchanged, 1);
  const auto rows = held();
  ASSERT_EQ(rows.size(), 4U);
  // In the law's order of the insurances, then by month.
  EXPECT_EQ(rows[0].insurance, domain::InsuranceKind::kPension);
  EXPECT_EQ(rows[0].period.str(), "2025-01");
  EXPECT_EQ(rows[1].period.str(), "2025-02");
  EXPECT_EQ(rows[2].insurance, domain::InsuranceKind::kMedical);
  EXPECT_EQ(rows[3].insurance, domain::InsuranceKind::kUnemployment);
  EXPECT_EQ(rows[0].base_fen, 800000);
  EXPECT_EQ(rows[0].employer_fen, 128000);
  EXPECT_EQ(rows[0].personal_fen, 64000);
  EXPECT_EQ(rows[0].employer_name, "宁波港集团");
}

TEST_F(InsuranceRecordsTest, R_R1_AConflictingRecordAddsNothingOfTheRequest) {
  ASSERT_TRUE(p().insurance.add(clerk_, id_, {item("pension", "2025-01")}).ok());
  auto conflict = p().insurance.add(
      clerk_, id_, {item("pension", "2025-02"), item("pension", "2025-01", 900000)});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_EQ(conflict.error().extras.field.value_or(""), "items[1]");
  EXPECT_EQ(held().size(), 1U);  // 2025-02 was not added either
  // The same month with another employer is another record (a second job).
  auto second_job =
      p().insurance.add(clerk_, id_, {item("pension", "2025-01", 900000, "宁波银行")});
  ASSERT_TRUE(second_job.ok());
  EXPECT_EQ(second_job->added, 1);
}

TEST_F(InsuranceRecordsTest, R_R1_FieldsAreCheckedInOrderAndTheFirstBadOneIsNamed) {
  const auto code_and_field = [&](const domain::InsuranceRecordInput& bad) {
    auto r = p().insurance.add(clerk_, id_, {item("pension", "2025-01"), bad});
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::pair{ErrorCode::kInternal, std::string()}
                  : std::pair{r.error().code, r.error().extras.field.value_or("")};
  };
  auto bad = item("housing", "2025-13");
  EXPECT_EQ(code_and_field(bad),
            (std::pair{ErrorCode::kInvalidRequest, std::string("items[1].insurance")}));
  bad.insurance = "maternity";
  EXPECT_EQ(code_and_field(bad).second, "items[1].period");
  bad.period = "2025-12";
  bad.base_fen = -1;
  EXPECT_EQ(code_and_field(bad),
            (std::pair{ErrorCode::kInvalidAmount, std::string("items[1].base_fen")}));
  bad.base_fen = 100;
  bad.employer_fen = 101;
  EXPECT_EQ(code_and_field(bad).second, "items[1].employer_fen");
  bad.employer_fen = 0;
  bad.personal_fen = 101;
  EXPECT_EQ(code_and_field(bad).second, "items[1].personal_fen");
  bad.personal_fen = 0;
  bad.employer_name = "";
  EXPECT_EQ(code_and_field(bad).second, "items[1].employer_name");
  bad.employer_name = "宁波港集团";
  bad.region_code = "990000";
  EXPECT_EQ(code_and_field(bad).second, "items[1].region_code");
  EXPECT_TRUE(held().empty());
  bad.region_code = "330200";
  EXPECT_TRUE(p().insurance.add(clerk_, id_, {bad}).ok());
}

TEST_F(InsuranceRecordsTest, R_R1_AnUnknownPersonOrTooManyItemsIsRefused) {
  EXPECT_EQ(
      p().insurance
          .add(clerk_, testing::make_id_number("11010119800101001"), {item("pension", "2025-01")})
          .error()
          .code,
      ErrorCode::kNotFound);
  std::vector<domain::InsuranceRecordInput> many;
  many.reserve(601);
  for (int i = 0; i < 601; ++i) many.push_back(item("pension", "2025-01"));
  EXPECT_EQ(p().insurance.add(clerk_, id_, many).error().extras.field.value_or(""), "items");
  EXPECT_EQ(p().insurance.add(clerk_, id_, {}).error().extras.field.value_or(""), "items");
  many.pop_back();
  auto most = p().insurance.add(clerk_, id_, many);
  ASSERT_TRUE(most.ok());
  EXPECT_EQ(most->added, 1);
  EXPECT_EQ(most->unchanged, 599);
}

// 社保查询: months per insurance, a month of two employers counted once, the gap between
// two jobs, the months per year, and the status on the test's day (2026-11-26).
TEST_F(InsuranceRecordsTest, R_R2_HistoryCountsMonthsGapsYearsAndStatus) {
  std::vector<domain::InsuranceRecordInput> items;
  const auto month = [](int year, int m) {
    return std::to_string(year) + "-" + (m < 10 ? "0" : "") + std::to_string(m);
  };
  for (int m = 1; m <= 6; ++m) items.push_back(item("pension", month(2024, m), 600000, "甲公司"));
  items.push_back(item("pension", "2024-05", 200000, "乙兼职"));
  for (int i = 9; i < 9 + 25; ++i) {  // 2024-10 … 2026-10
    items.push_back(item("pension", month(2024 + i / 12, i % 12 + 1), 800000, "丙公司"));
  }
  items.push_back(item("medical", "2025-12"));
  ASSERT_TRUE(p().insurance.add(clerk_, id_, items).ok());

  BindingView holder;
  holder.person = *t_.ctx().db.read([&](store::Connection& c) {
    return store::find_person_by_id_number(c, t_.ctx().vault, id_);
  });
  const auto history = p().insurance.history(holder);
  ASSERT_EQ(history.size(), 5U);
  const auto& pension = history[0];
  EXPECT_EQ(pension.insurance, domain::InsuranceKind::kPension);
  EXPECT_EQ(pension.months.size(), 32U);  // every record, the month of two employers twice
  EXPECT_EQ(pension.summary.months_paid, 31);
  EXPECT_EQ(pension.summary.first->str(), "2024-01");
  EXPECT_EQ(pension.summary.last->str(), "2026-10");
  ASSERT_EQ(pension.summary.gaps.size(), 1U);
  EXPECT_EQ(pension.summary.gaps[0].from.str(), "2024-07");
  EXPECT_EQ(pension.summary.gaps[0].to.str(), "2024-09");
  EXPECT_EQ(pension.summary.gaps[0].months, 3);
  EXPECT_EQ(pension.summary.months_per_year,
            (std::vector<std::pair<int, std::int64_t>>{{2024, 9}, {2025, 12}, {2026, 10}}));
  EXPECT_EQ(pension.summary.employers, (std::vector<std::string>{"甲公司", "乙兼职", "丙公司"}));
  EXPECT_EQ(pension.status, "paying");
  EXPECT_EQ(history[1].insurance, domain::InsuranceKind::kMedical);
  EXPECT_EQ(history[1].status, "interrupted");
  EXPECT_EQ(history[1].summary.months_paid, 1);
  EXPECT_EQ(history[2].status, "none");
  EXPECT_TRUE(history[2].months.empty());
  EXPECT_FALSE(history[2].summary.first.has_value());
}

}  // namespace
}  // namespace essc::services
