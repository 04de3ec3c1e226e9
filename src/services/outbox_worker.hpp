// Delivers the outbox (R-L6) after the changes that wrote it have committed: signed
// webhooks to channels (API.md "Webhooks") and SMS to cardholders, at least once, with
// exponential backoff; after limits::kOutboxAttemptsMax tries an event is marked given
// up and stays visible to operators.
//
// Thread safety: run_once() from one thread at a time, and not while started (a test);
// start() and stop() from the owner.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/sms.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/pii_vault.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"
#include "store/notification_repository.hpp"

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
  OutboxWorker(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
               const store::ClientCache& clients, adapters::SmsGateway& sms, WebhookPoster post);
  ~OutboxWorker();

  // Claims what is due now and delivers it, the lanes (one per channel; each SMS alone)
  // side by side, each in order; returns how many events were attempted.
  std::size_t run_once();
  // limits::kOutboxLanesMax threads that claim and deliver until stop(): a slow channel
  // holds one of them and delays no other channel.
  void start();
  void stop();

 private:
  using Lane = std::vector<store::OutboxRecord>;
  std::vector<Lane> claim();
  void deliver_lane(const Lane& lane);
  void attempt(const store::OutboxRecord& event);
  Status deliver(const store::OutboxRecord& event);
  void serve_lanes();

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  const store::ClientCache& clients_;
  adapters::SmsGateway& sms_;
  WebhookPoster post_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Lane> queue_;
  std::int64_t next_claim_at_ms_ = 0;
  bool claiming_ = false;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The delay before retry number `attempts` (1-based): 1 s, 2 s, 4 s, … up to the cap.
std::int64_t outbox_retry_delay_ms(std::int64_t attempts);

}  // namespace essc::services
