// Time as the platform sees it. Injected everywhere (STYLE.md rule 7) so tests can
// move time forward instead of sleeping.
//
// Thread safety: every Clock is safe to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essc {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual std::int64_t now_ms() const = 0;
  std::int64_t now_seconds() const { return now_ms() / 1000; }
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms) : now_ms_(start_ms) {}
  std::int64_t now_ms() const override { return now_ms_.load(); }
  void advance_ms(std::int64_t delta_ms) { now_ms_ += delta_ms; }
  void set_ms(std::int64_t value_ms) { now_ms_ = value_ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

// RFC 3339 UTC with seconds, e.g. "2026-11-26T08:00:00Z" (API.md times).
std::string format_rfc3339(std::int64_t unix_ms);

// Parses RFC 3339 ("2026-11-26T08:00:00Z", fractional seconds and ±HH:MM offsets
// allowed) to Unix milliseconds; nullopt for anything else or an impossible date.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// China Standard Time keeps no daylight saving: every day is this long.
inline constexpr std::int64_t kMsPerDay = 86'400'000;

// Calendar date in China Standard Time (UTC+8), "YYYY-MM-DD" (API.md dates).
std::string format_cst_date(std::int64_t unix_ms);

// The calendar year in China Standard Time (POLICY.md running figures).
int cst_year(std::int64_t unix_ms);

}  // namespace essc
