#include "services/refusal_log.hpp"

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "store/audit_log.hpp"

namespace essc::services {
namespace {

std::int64_t minute_of(std::int64_t ms) { return ms - ms % limits::kRefusalAuditMinuteMs; }

std::string_view kind_name(RefusalSource source) {
  return source == RefusalSource::kClient ? "client" : "operator";
}

}  // namespace

RefusalLog::~RefusalLog() {
  try {
    stop();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "refusal_log_flush_failed"}, {"detail", std::string_view(e.what())}});
  }
}

void RefusalLog::record(RefusalSource source, std::string_view known_id, ErrorCode reason) {
  const auto now = clock_.now_ms();
  const auto minute = minute_of(now);
  const std::string kind(kind_name(source));
  const std::string reason_name(error_code_name(reason));
  bool minute_over = false;
  {
    std::lock_guard lock(mutex_);
    ++pending_[{kind + ":" + (known_id.empty() ? std::string("(unknown)") : std::string(known_id)),
                reason_name, minute}];
    ++totals_[{kind, reason_name}];
    minute_over = oldest_pending_minute_ms_ < minute;
    oldest_pending_minute_ms_ = std::min(oldest_pending_minute_ms_, minute);
  }
  if (!minute_over) return;
  // A flush under way writes these minutes or leaves them to the next. Its caller may be
  // a fiber of this very thread, suspended in the store's write: waiting for it here
  // would block the thread it needs to resume.
  std::unique_lock flushing(flush_mutex_, std::try_to_lock);
  if (flushing) write_due(false);
}

std::size_t RefusalLog::flush(bool everything) {
  std::lock_guard flushing(flush_mutex_);
  return write_due(everything);
}

// REQUIRES: flush_mutex_ held.
std::size_t RefusalLog::write_due(bool everything) {
  const auto now = clock_.now_ms();
  std::map<Key, std::int64_t> due;
  {
    std::lock_guard lock(mutex_);
    const auto current = minute_of(now);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (everything || std::get<2>(it->first) < current) {
        due.insert(pending_.extract(it++));
      } else {
        ++it;
      }
    }
    oldest_pending_minute_ms_ = pending_.empty() ? INT64_MAX : current;
  }
  if (due.empty()) return 0;
  auto written = db_.write<std::size_t>([&](store::Connection& c) -> Result<std::size_t> {
    for (const auto& [key, count] : due) {
      const auto& [source, reason, minute] = key;
      const auto action =
          source.starts_with("client:") ? "client.authenticate" : "operator.authenticate";
      store::append_audit(
          c, now, "anonymous", action, source.substr(source.find(':') + 1),
          reason + " count=" + std::to_string(count) + " minute=" + format_rfc3339(minute));
    }
    return due.size();
  });
  if (!written) {
    log_event(spdlog::level::err, {{"event", "refusal_audit_failed"},
                                   {"entries", static_cast<std::int64_t>(due.size())}});
    return 0;
  }
  return *written;
}

void RefusalLog::start() {
  flusher_.start("refusal_log_error", std::chrono::milliseconds(limits::kRefusalFlushPollMs), true,
                 [this] { flush(); });
}

void RefusalLog::stop() {
  flusher_.stop();
  flush(true);
}

std::vector<RefusalLog::Total> RefusalLog::totals() const {
  std::lock_guard lock(mutex_);
  std::vector<Total> out;
  out.reserve(totals_.size());
  for (const auto& [key, count] : totals_) out.push_back({key.first, key.second, count});
  return out;
}

}  // namespace essc::services
