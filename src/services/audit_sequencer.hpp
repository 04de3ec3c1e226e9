// The sequencer of the audit log (R-S6, R-S7; store/audit_log.hpp): every
// limits::kAuditSequencerIntervalMs it integrates the pending entries and signs a
// checkpoint of the grown tree; every limits::kAuditWitnessPushIntervalMs it sends the
// newest checkpoint to each witness with a consistency proof from the size that witness
// holds, and keeps the cosignatures it gets back. Every server runs one; on PostgreSQL
// the store lets one of them integrate at a time, and the others' ticks find the log held
// and do nothing, until that server is gone.
//
// Thread safety: sequence() and witness() may be called from any thread, one call of
// each at a time; start() and stop() by the owner.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/periodic_task.hpp"
#include "services/audit.hpp"
#include "store/audit_checkpoints.hpp"
#include "store/database.hpp"

namespace essc::services {

// How long writes waited for the checkpoint that covers them: the signing time less the
// arrival of the oldest entry it newly covers (GET /metrics,
// essc_audit_checkpoint_delay_seconds).
class CheckpointDelays {
 public:
  static constexpr std::array<double, 8> kBucketsSeconds{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  void record(double seconds);
  std::string render() const;  // Prometheus text

 private:
  mutable std::mutex mutex_;
  std::array<std::uint64_t, kBucketsSeconds.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

// A witness's answer to one checkpoint (c2sp.org/tlog-witness).
struct WitnessReply {
  enum class Kind { kCosigned, kConflict, kFailed };
  Kind kind = Kind::kFailed;
  std::string cosignature;      // kCosigned: the line, verified with the witness's key
  std::uint64_t size_held = 0;  // kConflict: the size the witness holds
  std::string detail;           // kFailed: why, for the log
};
using WitnessPush =
    std::function<WitnessReply(const Witness& witness, std::string_view note,
                               std::uint64_t old_size, const std::vector<std::string>& proof)>;

class AuditSequencer {
 public:
  AuditSequencer(const Clock& clock, store::Database& db, AuditService& log,
                 CheckpointDelays& delays, std::vector<Witness> witnesses = {},
                 WitnessPush push = {})
      : clock_(clock),
        db_(db),
        log_(log),
        delays_(delays),
        witnesses_(std::move(witnesses)),
        push_(std::move(push)) {}
  ~AuditSequencer() { stop(); }
  AuditSequencer(const AuditSequencer&) = delete;
  AuditSequencer& operator=(const AuditSequencer&) = delete;

  // Integrates what is pending; signs a checkpoint when the tree outgrew the newest one
  // (or there is none). false when another server's sequencer holds the log.
  bool sequence();
  // Sends the newest checkpoint to every witness that has not cosigned it; answers how
  // many cosigned it now.
  int witness();

  void start();
  void stop();  // and sequences once more, so what was acknowledged is signed

 private:
  int send_to(const Witness& witness, const store::StoredCheckpoint& checkpoint);

  const Clock& clock_;
  store::Database& db_;
  AuditService& log_;
  CheckpointDelays& delays_;
  std::vector<Witness> witnesses_;
  WitnessPush push_;
  std::map<std::string, std::uint64_t> witness_sizes_;  // url → the size it said it holds
  bool started_ = false;
  PeriodicTask sequencer_;
  PeriodicTask pusher_;
};

}  // namespace essc::services
