#include "services/outbox_worker.hpp"

#include <boost/json/parse.hpp>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace essc::services {

std::int64_t outbox_retry_delay_ms(std::int64_t attempts) {
  std::int64_t delay = limits::kOutboxFirstRetryMs;
  for (std::int64_t i = 1; i < attempts && delay < limits::kOutboxRetryCapMs; ++i) delay *= 2;
  return std::min(delay, limits::kOutboxRetryCapMs);
}

std::vector<GivenUpEvent> given_up_events(Context& ctx, std::int64_t limit) {
  std::vector<GivenUpEvent> out;
  for (auto& e : ctx.db.read([&](store::Connection& c) { return ctx.outbox.given_up(c, limit); })) {
    out.push_back({std::move(e.event_id), std::move(e.kind), std::move(e.client_id), e.attempts,
                   e.last_error.value_or(""), e.created_at_ms});
  }
  return out;
}

OutboxWorker::OutboxWorker(Context& context, WebhookPoster post) : ctx_(context), post_(std::move(post)) {}

OutboxWorker::~OutboxWorker() { stop(); }

Status OutboxWorker::deliver(const store::OutboxRecord& event) {
  if (event.kind == "sms") {
    boost::system::error_code ec;
    const auto payload = boost::json::parse(event.payload, ec);
    if (ec || !payload.is_object() || !event.destination) return Error(ErrorCode::kInternal, "malformed sms event");
    const auto* text = payload.as_object().if_contains("text");
    if (!text || !text->is_string()) return Error(ErrorCode::kInternal, "sms event without text");
    return ctx_.sms.send(*event.destination, std::string(text->as_string()));
  }
  const auto client = ctx_.db.read([&](store::Connection& c) { return ctx_.clients.find(c, *event.client_id); });
  if (!client || !client->webhook_url || !client->webhook_secret) {
    return Error(ErrorCode::kNotFound, "channel has no webhook any more");
  }
  // V1 signs the body alone, so a captured delivery could be replayed as it was; V2
  // signs the time of this attempt too, and a receiver refuses one that is old.
  const std::string timestamp = std::to_string(ctx_.clock.now_seconds());
  const auto& secret = *client->webhook_secret;
  WebhookRequest request{*client->webhook_url,
                         {{"Content-Type", "application/json"},
                          {"X-Essc-Event-Id", event.event_id},
                          {"X-Essc-Signature", crypto::to_hex(crypto::hmac_sha256(secret, event.payload))},
                          {"X-Essc-Webhook-Timestamp", timestamp},
                          {"X-Essc-Signature-V2",
                           crypto::to_hex(crypto::hmac_sha256(secret, timestamp + "." + event.payload))}},
                         event.payload};
  ESSC_ASSIGN_OR_RETURN(const int status, post_(request));
  if (status < 200 || status > 299) return Error(ErrorCode::kUnavailable, "channel answered " + std::to_string(status));
  return {};
}

std::size_t OutboxWorker::run_once() {
  const auto now = ctx_.clock.now_ms();
  auto claimed = ctx_.db.write<std::vector<store::OutboxRecord>>(
      [&](store::Connection& c) -> Result<std::vector<store::OutboxRecord>> {
        return ctx_.outbox.claim_due(c, now, limits::kOutboxLeaseMs, limits::kOutboxBatchMax);
      });
  if (!claimed) return 0;
  const auto& due = *claimed;
  for (const auto& event : due) {
    const auto delivered = deliver(event);
    const auto attempts = event.attempts + 1;
    const auto at = ctx_.clock.now_ms();
    (void)ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
      if (delivered.ok()) {
        ctx_.outbox.mark_delivered(c, event.event_id, attempts, at);
      } else {
        const bool give_up = attempts >= limits::kOutboxAttemptsMax;
        const std::string reason = delivered.error().detail.empty()
                                       ? std::string(error_code_name(delivered.error().code))
                                       : delivered.error().detail;
        ctx_.outbox.mark_failed(c, event.event_id, attempts, at + outbox_retry_delay_ms(attempts), give_up, reason);
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
  return due.size();
}

void OutboxWorker::start() {
  poller_.start("outbox_worker_error", std::chrono::milliseconds(limits::kOutboxPollMs), true, [this] { run_once(); });
}

void OutboxWorker::stop() { poller_.stop(); }

}  // namespace essc::services
