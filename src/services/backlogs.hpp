// What waits in the store to be done, as gauges for GET /metrics and the operators'
// alerts (deploy/prometheus/essc-rules.yml): audit entries not yet in the log's tree,
// checkpoints a witness has not cosigned, undelivered messages per channel, and bank
// movements owed to cardholders past the grace of any request still settling them. The
// store is read by refresh(), which `essc serve` calls every
// limits::kBacklogRefreshIntervalMs; a scrape renders the last reading, its ages counted
// to the scrape, so it never waits on the store. Operators list the messages whose
// delivery was given up with given_up().
//
// Thread safety: refresh() and render() from any threads.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "domain/notification.hpp"
#include "services/audit.hpp"
#include "store/backlog_repository.hpp"
#include "store/database.hpp"

namespace essc::services {

class Backlogs {
 public:
  Backlogs(const Clock& clock, store::Database& db) : clock_(clock), db_(db) {}

  // Reads the store: owed movements count once older than `owed_grace_ms`; each of
  // `witnesses` is compared with the newest checkpoint.
  void refresh(std::int64_t owed_grace_ms, const std::vector<Witness>& witnesses);
  std::string render() const;  // Prometheus text; empty before the first refresh()
  // The newest `limit` webhooks and SMS whose retries ran out (R-L6), read now.
  std::vector<domain::GivenUpDelivery> given_up(std::int64_t limit) const;

 private:
  struct WitnessLag {
    std::string name;           // the witness's key name
    std::uint64_t entries = 0;  // the newest checkpoint's size less what it cosigned
  };
  struct Reading {
    std::int64_t at_ms = 0;
    store::Waiting audit;
    std::vector<store::OutboxWaiting> outbox;
    store::Waiting owed;
    std::vector<WitnessLag> witnesses;
  };

  const Clock& clock_;
  store::Database& db_;
  mutable std::mutex mutex_;
  std::optional<Reading> last_;
};

}  // namespace essc::services
