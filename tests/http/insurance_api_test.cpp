// The insurance history over HTTP (R-R1): who may feed it, 201 {added, unchanged},
// 409 for a conflicting item with nothing of the request added, the item limit.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/operator.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

class InsuranceApiTest : public ::testing::Test {
 protected:
  InsuranceApiTest()
      : clerk_(server_.login_as(domain::OperatorRole::kHrClerk)),
        teller_(server_.login_as(domain::OperatorRole::kBankTeller, "NBCB")),
        id_(make_id_number("33020219900307123")) {
    EXPECT_EQ(
        server_
            .as(clerk_, "POST", "/v1/persons",
                R"({"name":"张三","id_number":")" + id_ +
                    R"(","region_code":"330200","photo_on_file":{"police":true,"cardholder":true}})")
            .status,
        201);
  }

  static std::string item(const std::string& insurance, const std::string& period,
                          std::int64_t base = 800000) {
    return R"({"insurance":")" + insurance + R"(","period":")" + period + R"(","base_fen":)" +
           std::to_string(base) +
           R"(,"employer_fen":128000,"personal_fen":64000,"employer_name":"宁波港集团","region_code":"330200"})";
  }

  HttpAnswer feed(const std::string& token, const std::vector<std::string>& items) {
    std::string body = R"({"items":[)";
    for (std::size_t i = 0; i < items.size(); ++i) body += (i ? "," : "") + items[i];
    return server_.as(token, "POST", "/v1/persons/" + id_ + "/insurance-records", body + "]}");
  }

  TestServer server_;
  std::string clerk_, teller_, id_;
};

TEST_F(InsuranceApiTest, R_R1_FeedIsIdempotentAndAConflictAddsNothing) {
  auto first = feed(clerk_, {item("pension", "2025-01"), item("medical", "2025-01")});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json().at("added").as_int64(), 2);
  EXPECT_EQ(first.json().at("unchanged").as_int64(), 0);
  auto again = feed(clerk_, {item("pension", "2025-01"), item("pension", "2025-02")});
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.json().at("added").as_int64(), 1);
  EXPECT_EQ(again.json().at("unchanged").as_int64(), 1);
  auto conflict = feed(clerk_, {item("pension", "2025-03"), item("medical", "2025-01", 900000)});
  ASSERT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(conflict.error_code(), "CONFLICT");
  EXPECT_EQ(conflict.json().at("error").at("field").as_string(), "items[1]");
  // 2025-03 was not added: feeding it alone adds it now.
  auto after = feed(clerk_, {item("pension", "2025-03")});
  EXPECT_EQ(after.json().at("added").as_int64(), 1);
}

TEST_F(InsuranceApiTest, R_R1_OnlyClerksAndAdminsFeedAndBadItemsAreNamed) {
  EXPECT_EQ(feed(teller_, {item("pension", "2025-01")}).status, 403);
  const auto admin = server_.login_as(domain::OperatorRole::kAdmin);
  EXPECT_EQ(feed(admin, {item("pension", "2025-01")}).status, 201);
  auto bad = feed(clerk_, {item("pension", "2025-02"), item("pension", "2025-13")});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("error").at("field").as_string(), "items[1].period");
  auto missing = server_.as(clerk_, "POST", "/v1/persons/" + id_ + "/insurance-records",
                            R"({"items":[{"insurance":"pension"}]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().at("error").at("field").as_string(), "items[0].period");
  std::vector<std::string> many(601, item("pension", "2025-01"));
  auto too_many = feed(clerk_, many);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.json().at("error").at("field").as_string(), "items");
  auto nobody = server_.as(
      clerk_, "POST", "/v1/persons/" + make_id_number("11010119800101001") + "/insurance-records",
      R"({"items":[)" + item("pension", "2025-01") + "]}");
  EXPECT_EQ(nobody.status, 404);
}

}  // namespace
}  // namespace essc::testing
