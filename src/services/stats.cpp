#include "services/stats.hpp"

#include <charconv>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "services/regions.hpp"

namespace essc::services {
namespace {

// An audit outcome as refusals: "CODE" is one; the refusal log's minute entry
// "CODE count=N minute=…" is N (services/refusal_log.hpp).
std::pair<std::string_view, std::int64_t> refusals_in(std::string_view outcome) {
  const auto space = outcome.find(' ');
  const auto code = outcome.substr(0, space);
  constexpr std::string_view kCount = " count=";
  if (space == std::string_view::npos || outcome.substr(space, kCount.size()) != kCount)
    return {code, 1};
  std::int64_t count = 0;
  const auto digits = outcome.substr(space + kCount.size());
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (error != std::errc() || count < 1) return {code, 1};
  return {code, count};
}

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
// China Standard Time is UTC+8 all year: a CST day starts 8 hours before the UTC one.
constexpr std::int64_t kCstOffsetMs = 8LL * 3600 * 1000;

DayStats& day_of(std::vector<DayStats>& days, std::int64_t first_day_ms, std::int64_t at_ms) {
  return days[static_cast<std::size_t>((at_ms - first_day_ms) / kDayMs)];
}

void count_issuance(DayStats& day, const store::IssuanceRow& row) {
  for (auto& i : day.issuances) {
    if (i.channel_id == row.channel_id && i.level == row.level) {
      ++i.count;
      return;
    }
  }
  day.issuances.push_back({row.channel_id, row.channel_name, row.level, 1});
}

}  // namespace

Result<Stats> StatsService::range(std::string_view from, std::string_view to) {
  const auto from_utc = parse_date(from);
  if (!from_utc) return Error::invalid_field("from");
  const auto to_utc = parse_date(to);
  if (!to_utc || *to_utc < *from_utc || (*to_utc - *from_utc) / kDayMs >= limits::kStatsDaysMax) {
    return Error::invalid_field("to");
  }
  const auto first = *from_utc - kCstOffsetMs;
  const auto end = *to_utc - kCstOffsetMs + kDayMs;
  Stats stats{std::string(from), std::string(to), {}, {}};
  for (auto at = first; at < end; at += kDayMs)
    stats.days.push_back({format_cst_date(at), {}, {}, {}, 0, {}, {}});
  db_.read([&](store::Connection& c) {
    for (const auto& row : store::issuances_between(c, first, end))
      count_issuance(day_of(stats.days, first, row.at_ms), row);
    for (auto& row : store::settlements_by_day(c, from, to)) {
      const auto at = parse_date(row.day);
      if (at) day_of(stats.days, first, *at - kCstOffsetMs).settlements.push_back(std::move(row));
    }
    for (const auto& row : store::refusals_between(c, first, end)) {
      // Only refusals the catalogue names: an outcome is "ok" or an error code.
      const auto [code, count] = refusals_in(row.outcome);
      if (error_code_from_name(code))
        day_of(stats.days, first, row.at_ms).refusals[std::string(code)] += count;
    }
    for (const auto at : store::family_added_between(c, first, end))
      ++day_of(stats.days, first, at).family_members_added;
    for (const auto& row : store::risk_cases_between(c, first, end))
      ++day_of(stats.days, first, row.at_ms).risk_cases[row.rule];
    for (const auto& row : store::risk_decisions_between(c, first, end))
      ++day_of(stats.days, first, row.at_ms).risk_decisions[row.rule];
    stats.live_bindings = store::live_bindings_by_status(c);
    return 0;
  });
  return stats;
}

}  // namespace essc::services
