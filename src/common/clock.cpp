#include "common/clock.hpp"

#include <chrono>
#include <cstdio>

namespace essc {
namespace {

constexpr std::int64_t kCstOffsetMs = 8LL * 3600 * 1000;

std::chrono::year_month_day civil_date(std::int64_t unix_ms) {
  using namespace std::chrono;
  return year_month_day{floor<days>(sys_time<milliseconds>{milliseconds{unix_ms}})};
}

}  // namespace

std::int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{unix_ms}};
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss<seconds> time{floor<seconds>(t - day)};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return buffer;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view t) {
  using namespace std::chrono;
  auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    if (at + count > t.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      value = value * 10 + (t[i] - '0');
    }
    return value;
  };
  const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
  const auto h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || t.size() < 20 || t[4] != '-' || t[7] != '-' ||
      (t[10] != 'T' && t[10] != 't') || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  std::size_t at = 19;
  std::int64_t fraction_ms = 0;
  if (t[at] == '.') {
    std::size_t count = 0;
    for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9'; ++at, ++count) {
      if (count < 3) fraction_ms = fraction_ms * 10 + (t[at] - '0');
    }
    if (count == 0) return std::nullopt;
    for (; count < 3; ++count) fraction_ms *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (at == t.size() - 1 && (t[at] == 'Z' || t[at] == 'z')) {
    offset_minutes = 0;
  } else if (at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && t[at + 3] == ':') {
    const auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = (t[at] == '+' ? 1 : -1) * (std::int64_t{*oh} * 60 + *om);
  } else {
    return std::nullopt;
  }
  const std::int64_t day_ms = sys_days{date}.time_since_epoch().count() * kMsPerDay;
  return day_ms + ((*h * 60LL + *mi - offset_minutes) * 60 + *s) * 1000 + fraction_ms;
}

std::string format_cst_date(std::int64_t unix_ms) {
  const auto date = civil_date(unix_ms + kCstOffsetMs);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

int cst_year(std::int64_t unix_ms) {
  return static_cast<int>(civil_date(unix_ms + kCstOffsetMs).year());
}

}  // namespace essc
