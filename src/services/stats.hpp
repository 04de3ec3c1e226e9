// Statistics for the people who run the platform (GET /v1/stats): per China Standard
// Time day, issuances by channel and level, settlements by visit, refusals by error code,
// family members added and risk cases opened by rule; and the live bindings by status now.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/stats_repository.hpp"

namespace essc::services {

struct IssuanceCount {
  std::string channel_id;
  std::string channel_name;
  std::int64_t level = 1;
  std::int64_t count = 0;
};

struct DayStats {
  std::string date;
  std::vector<IssuanceCount> issuances;
  std::vector<store::SettlementDayRow> settlements;  // day left as is
  std::map<std::string, std::int64_t> refusals;      // error code → count
  std::int64_t family_members_added = 0;
  std::map<std::string, std::int64_t> risk_cases;      // rule → cases opened (R-K6)
  std::map<std::string, std::int64_t> risk_decisions;  // rule → step-ups asked (R-K1)
};

struct Stats {
  std::string from;
  std::string to;
  std::vector<DayStats> days;  // every day of the range, oldest first
  std::vector<std::pair<std::string, std::int64_t>> live_bindings;
};

class StatsService {
 public:
  explicit StatsService(store::Database& db) : db_(db) {}
  // `from`, `to`: YYYY-MM-DD inclusive, at most limits::kStatsDaysMax days.
  Result<Stats> range(std::string_view from, std::string_view to);

 private:
  store::Database& db_;
};

}  // namespace essc::services
