#include "services/audit_sequencer.hpp"

#include <chrono>
#include <cstdio>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "common/prometheus_text.hpp"
#include "crypto/merkle.hpp"
#include "crypto/signed_note.hpp"

namespace essc::services {

void CheckpointDelays::record(double seconds) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

std::string CheckpointDelays::render() const {
  std::lock_guard lock(mutex_);
  const std::string name = "essc_audit_checkpoint_delay_seconds";
  std::string out;
  append_metric_header(out, name,
                       "From an audit entry's write to the signed checkpoint that covers it.",
                       "histogram");
  char number[32];
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    std::snprintf(number, sizeof number, "%g", kBucketsSeconds[i]);
    out += name + "_bucket{le=\"" + number + "\"} " + std::to_string(buckets_[i]) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  std::snprintf(number, sizeof number, "%.6f", sum_);
  out += name + "_sum " + number + "\n" + name + "_count " + std::to_string(count_) + "\n";
  return out;
}

namespace {

bool signed_by_one_of(std::string_view note, const AuditLogKey& key) {
  for (const auto& vkey : key.vkeys()) {
    if (crypto::verify_note(note, vkey)) return true;
  }
  return false;
}

}  // namespace

bool AuditSequencer::sequence() {
  const auto key = log_.key();  // as it is now: a rotation signs the next checkpoint
  std::optional<double> delay_seconds;
  const auto held = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    delay_seconds.reset();
    const auto integration = store::integrate_audit(c, limits::kAuditSequencerBatchMax);
    if (!integration) return false;
    const auto& tree = integration->tree;
    const auto latest = store::latest_audit_checkpoint(c);
    if (latest && latest->size >= tree.size) return true;
    const auto now = clock_.now_ms();
    // Signed by a key this server's key file does not show yet (another server of the
    // folder saw a rotation first): the next checkpoint waits for the file's watch, so
    // that none signed by a retired key follows one signed by its successor. A few
    // watches later it signs anyway: a log that stops is worse than a late old key.
    if (latest && now - latest->at_ms < limits::kAuditCheckpointKeyWaitMs &&
        !signed_by_one_of(latest->note, key))
      return true;
    const auto body = crypto::checkpoint_body({key.origin, tree.size, tree.root});
    store::insert_audit_checkpoint(
        c, {tree.size, tree.root, now, crypto::sign_note(body, key.origin, key.seed)});
    const auto oldest_new =
        store::audit_entry_at(c, latest ? static_cast<std::int64_t>(latest->size) : 0);
    if (oldest_new) delay_seconds = static_cast<double>(now - oldest_new->at_ms) / 1000.0;
    return true;
  });
  if (!held.ok()) {
    log_event(spdlog::level::warn,
              {{"event", "audit_sequencer_failed"}, {"detail", held.error().detail}});
    return false;
  }
  if (delay_seconds) delays_.record(*delay_seconds);
  return *held;
}

int AuditSequencer::send_to(const Witness& witness, const store::StoredCheckpoint& checkpoint) {
  auto& held = witness_sizes_[witness.url];
  for (int attempt = 0; attempt < limits::kAuditWitnessAttemptsMax; ++attempt) {
    if (held >= checkpoint.size) {
      if (held > checkpoint.size) {
        log_event(spdlog::level::critical,
                  {{"event", "audit_witness_ahead"},
                   {"witness", witness.url},
                   {"witness_size", static_cast<std::int64_t>(held)},
                   {"log_size", static_cast<std::int64_t>(checkpoint.size)}});
      }
      return 0;
    }
    std::vector<std::string> proof;
    if (held > 0) {
      proof = db_.read([&](store::Connection& c) {
        return crypto::merkle_consistency_proof(store::audit_nodes(c), held, checkpoint.size);
      });
    }
    const auto reply = push_(witness, checkpoint.note, held, proof);
    switch (reply.kind) {
      case WitnessReply::Kind::kCosigned:
        (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
          store::add_audit_cosignature(c, checkpoint.size, witness.vkey, reply.cosignature,
                                       clock_.now_ms());
          return true;
        });
        held = checkpoint.size;
        return 1;
      case WitnessReply::Kind::kConflict:
        held = reply.size_held;
        continue;
      case WitnessReply::Kind::kFailed:
        log_event(spdlog::level::warn, {{"event", "audit_witness_refused"},
                                        {"witness", witness.url},
                                        {"detail", reply.detail}});
        return 0;
    }
  }
  return 0;
}

int AuditSequencer::witness() {
  if (witnesses_.empty() || !push_) return 0;
  const auto latest =
      db_.read([](store::Connection& c) { return store::latest_audit_checkpoint(c); });
  if (!latest || latest->size == 0) return 0;
  int cosigned = 0;
  for (const auto& w : witnesses_) cosigned += send_to(w, *latest);
  return cosigned;
}

void AuditSequencer::start() {
  started_ = true;
  sequencer_.start("audit_sequencer_failed",
                   std::chrono::milliseconds(limits::kAuditSequencerIntervalMs), true,
                   [this] { (void)sequence(); });
  if (!witnesses_.empty()) {
    pusher_.start("audit_witness_failed",
                  std::chrono::milliseconds(limits::kAuditWitnessPushIntervalMs), true,
                  [this] { (void)witness(); });
  }
}

void AuditSequencer::stop() {
  pusher_.stop();
  sequencer_.stop();
  if (!std::exchange(started_, false)) return;
  try {
    (void)sequence();
    (void)witness();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "audit_sequencer_failed"}, {"detail", std::string_view(e.what())}});
  }
}

}  // namespace essc::services
