// Delivers the outbox (R-L6) after the changes that wrote it have committed: signed
// webhooks to channels (API.md "Webhooks") and SMS to cardholders, at least once, with
// exponential backoff; after limits::kOutboxAttemptsMax tries an event is marked given
// up and stays visible to operators.
//
// Thread safety: run_once() from one thread at a time (the worker's own thread, or a
// test); start() and stop() from the owner.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/periodic_task.hpp"
#include "services/context.hpp"

namespace essc::services {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
// Returns the HTTP status the channel answered, or an error when it could not be reached.
using WebhookPoster = std::function<Result<int>(const WebhookRequest&)>;

class OutboxWorker {
 public:
  OutboxWorker(Context& context, WebhookPoster post);
  ~OutboxWorker();

  // Attempts every event due now; returns how many were attempted.
  std::size_t run_once();
  void start();
  void stop();

 private:
  Status deliver(const store::OutboxRecord& event);
  Context& ctx_;
  WebhookPoster post_;
  PeriodicTask poller_;
};

// An event whose retries ran out, as operators see it: no payload, no SMS destination.
struct GivenUpEvent {
  std::string event_id;
  std::string kind;
  std::optional<std::string> client_id;
  std::int64_t attempts = 0;
  std::string last_error;
  std::int64_t created_at_ms = 0;
};

// The newest `limit` events given up (R-L6).
std::vector<GivenUpEvent> given_up_events(Context& ctx, std::int64_t limit);

// The delay before retry number `attempts` (1-based): 1 s, 2 s, 4 s, … up to the cap.
std::int64_t outbox_retry_delay_ms(std::int64_t attempts);

}  // namespace essc::services
