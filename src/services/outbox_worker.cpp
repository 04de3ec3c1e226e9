#include "services/outbox_worker.hpp"

#include <boost/json/parse.hpp>
#include <map>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "store/notification_repository.hpp"

namespace essc::services {
namespace {

// A lane thread outlives any one failure: what throws is logged and the loop goes on.
template <typename Job>
void guarded(Job&& job) {
  try {
    job();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "outbox_worker_error"}, {"detail", std::string_view(e.what())}});
  }
}

}  // namespace

std::int64_t outbox_retry_delay_ms(std::int64_t attempts) {
  std::int64_t delay = limits::kOutboxFirstRetryMs;
  for (std::int64_t i = 1; i < attempts && delay < limits::kOutboxRetryCapMs; ++i) delay *= 2;
  return std::min(delay, limits::kOutboxRetryCapMs);
}

OutboxWorker::OutboxWorker(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                           const store::ClientCache& clients, adapters::SmsGateway& sms,
                           WebhookPoster post)
    : clock_(clock), db_(db), vault_(vault), clients_(clients), sms_(sms), post_(std::move(post)) {}

OutboxWorker::~OutboxWorker() {
  // Giving the claimed lanes back reads the store, which may fail while the process
  // stops: the leases then run out and another server, or the next start, takes them.
  try {
    stop();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err, {{"event", "outbox_stop_failed"}, {"error", e.what()}});
  } catch (...) {
    log_event(spdlog::level::err, {{"event", "outbox_stop_failed"}});
  }
}

Status OutboxWorker::deliver(const store::OutboxRecord& event) {
  if (event.kind == "sms") {
    boost::system::error_code ec;
    const auto payload = boost::json::parse(event.payload, ec);
    if (ec || !payload.is_object() || !event.destination)
      return Error(ErrorCode::kInternal, "malformed sms event");
    const auto* text = payload.as_object().if_contains("text");
    if (!text || !text->is_string()) return Error(ErrorCode::kInternal, "sms event without text");
    return sms_.send(*event.destination, std::string(text->as_string()));
  }
  const auto client =
      db_.read([&](store::Connection& c) { return clients_.find(c, *event.client_id); });
  if (!client || !client->webhook_url || !client->webhook_secret) {
    return Error(ErrorCode::kNotFound, "channel has no webhook any more");
  }
  // V1 signs the body alone, so a captured delivery could be replayed as it was; V2
  // signs the time of this attempt too, and a receiver refuses one that is old.
  const std::string timestamp = std::to_string(clock_.now_seconds());
  const auto& secret = *client->webhook_secret;
  WebhookRequest request{
      *client->webhook_url,
      {{"Content-Type", "application/json"},
       {"X-Essc-Event-Id", event.event_id},
       {"X-Essc-Signature", crypto::to_hex(crypto::hmac_sha256(secret, event.payload))},
       {"X-Essc-Webhook-Timestamp", timestamp},
       {"X-Essc-Signature-V2",
        crypto::to_hex(crypto::hmac_sha256(secret, timestamp + "." + event.payload))}},
      event.payload};
  ESSC_ASSIGN_OR_RETURN(const int status, post_(request));
  if (status < 200 || status > 299)
    return Error(ErrorCode::kUnavailable, "channel answered " + std::to_string(status));
  return {};
}

std::vector<OutboxWorker::Lane> OutboxWorker::claim() {
  const auto now = clock_.now_ms();
  auto claimed = db_.write<Lane>([&](store::Connection& c) -> Result<Lane> {
    return store::claim_due_outbox_events(c, vault_, now, limits::kOutboxLeaseMs,
                                          limits::kOutboxBatchMax);
  });
  std::vector<Lane> lanes;
  if (!claimed) return lanes;
  std::map<std::string, std::size_t> lane_of;  // channel id, or the SMS event's own id
  for (auto& event : *claimed) {
    const auto key = event.client_id.value_or(event.event_id);
    const auto [it, added] = lane_of.try_emplace(key, lanes.size());
    if (added) lanes.emplace_back();
    lanes[it->second].push_back(std::move(event));
  }
  return lanes;
}

void OutboxWorker::attempt(const store::OutboxRecord& event) {
  const auto delivered = deliver(event);
  const auto attempts = event.attempts + 1;
  const auto at = clock_.now_ms();
  (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    if (delivered.ok()) {
      store::mark_outbox_event_delivered(c, event.event_id, attempts, at);
    } else {
      const bool give_up = attempts >= limits::kOutboxAttemptsMax;
      const std::string reason = delivered.error().detail.empty()
                                     ? std::string(error_code_name(delivered.error().code))
                                     : delivered.error().detail;
      store::mark_outbox_event_failed(c, event.event_id, attempts,
                                      at + outbox_retry_delay_ms(attempts), give_up, reason);
    }
    return true;
  });
  if (!delivered.ok()) {
    log_event(spdlog::level::warn, {{"event", "outbox_delivery_failed"},
                                    {"event_id", event.event_id},
                                    {"kind", event.kind},
                                    {"attempts", attempts},
                                    {"detail", delivered.error().detail}});
  }
}

// In order; a server that is stopping gives the rest back at once rather than holding
// them for the lease.
void OutboxWorker::deliver_lane(const Lane& lane) {
  for (const auto& event : lane) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (!stopping) {
      attempt(event);
      continue;
    }
    (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::release_outbox_event(c, event.event_id, clock_.now_ms());
      return true;
    });
  }
}

std::size_t OutboxWorker::run_once() {
  const auto lanes = claim();
  std::vector<std::thread> running;
  std::size_t attempted = 0;
  for (std::size_t first = 0; first < lanes.size(); first += limits::kOutboxLanesMax) {
    const auto last =
        std::min(lanes.size(), first + static_cast<std::size_t>(limits::kOutboxLanesMax));
    for (auto i = first; i < last; ++i)
      running.emplace_back([this, &lanes, i] { deliver_lane(lanes[i]); });
    for (auto& t : running) t.join();
    running.clear();
  }
  for (const auto& lane : lanes) attempted += lane.size();
  return attempted;
}

// One of the lane threads: whoever finds the queue empty claims the next batch (at most
// once per poll interval across the threads); the others take its lanes.
void OutboxWorker::serve_lanes() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = clock_.now_ms();
    if (!queue_.empty()) {
      auto lane = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      guarded([&] { deliver_lane(lane); });
      lock.lock();
    } else if (!claiming_ && now >= next_claim_at_ms_) {
      claiming_ = true;
      lock.unlock();
      std::vector<Lane> lanes;
      guarded([&] { lanes = claim(); });
      lock.lock();
      claiming_ = false;
      if (lanes.empty()) next_claim_at_ms_ = now + limits::kOutboxPollMs;
      for (auto& l : lanes) queue_.push_back(std::move(l));
      wake_.notify_all();
    } else {
      wake_.wait_for(lock, std::chrono::milliseconds(limits::kOutboxPollMs));
    }
  }
}

void OutboxWorker::start() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  for (std::int64_t i = 0; i < limits::kOutboxLanesMax; ++i)
    threads_.emplace_back([this] { serve_lanes(); });
}

void OutboxWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Lanes claimed as the threads stopped: given back now rather than held for the lease.
  for (const auto& lane : queue_) deliver_lane(lane);
  queue_.clear();
}

}  // namespace essc::services
