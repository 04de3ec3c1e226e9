#include "services/audit_checkpoints.hpp"

#include <stdexcept>
#include <utility>

#include "common/limits.hpp"
#include "common/log.hpp"

namespace essc::services {

std::optional<std::string> AuditCheckpoints::problem_with(store::Connection& c,
                                                          const store::AuditCheckpoint& cp) const {
  const auto entry = "entry " + std::to_string(cp.seq);
  if (!ctx_.qr.verify_statement(cp.kid, store::checkpoint_statement(cp.seq, cp.hash, cp.at_ms),
                                cp.signature)) {
    return "the checkpoint of " + entry + " does not carry the platform's signature";
  }
  const auto hash = store::audit_hash_at(c, cp.seq);
  if (!hash)
    return "the chain ends before the signed checkpoint of " + entry +
           ": its newest entries were removed";
  if (*hash != cp.hash) return entry + " differs from its signed checkpoint";
  return std::nullopt;
}

// REQUIRES: mutex_ held.
const std::optional<store::AuditCheckpoint>& AuditCheckpoints::last() {
  if (!loaded_) {
    auto all = file_.read_all();
    if (!all) throw std::runtime_error("unreadable audit checkpoint file: " + all.error().detail);
    if (!all->empty()) last_ = all->back();
    loaded_ = true;
  }
  return last_;
}

// REQUIRES: mutex_ held; the chain holds last().
void AuditCheckpoints::sign_head(store::Connection& c) {
  const auto head = store::audit_head(c);
  if (!head || (last() && head->first <= last()->seq)) return;
  const auto now = ctx_.clock.now_ms();
  auto signature =
      ctx_.qr.sign_statement(store::checkpoint_statement(head->first, head->second, now));
  store::AuditCheckpoint cp{head->first, head->second, now, std::move(signature.kid),
                            std::move(signature.bytes)};
  file_.append(cp);
  last_ = std::move(cp);
}

AuditCheck AuditCheckpoints::verify() {
  std::lock_guard lock(mutex_);
  auto all = file_.read_all();
  return ctx_.db.read([&](store::Connection& c) {
    AuditCheck check{store::verify_audit(c), 0, std::nullopt};
    if (!all) {
      check.checkpoint_problem = "unreadable checkpoint file (" + all.error().detail + ")";
      return check;
    }
    for (const auto& cp : *all) {
      ++check.checkpoints;
      check.checkpoint_problem = problem_with(c, cp);
      if (check.checkpoint_problem) return check;
    }
    loaded_ = true;
    last_ = all->empty() ? std::nullopt : std::optional(all->back());
    if (check.ok()) sign_head(c);
    return check;
  });
}

bool AuditCheckpoints::checkpoint() {
  std::lock_guard lock(mutex_);
  return ctx_.db.read([&](store::Connection& c) {
    if (last()) {
      if (auto problem = problem_with(c, *last())) {
        log_event(spdlog::level::err,
                  {{"event", "audit_checkpoint_mismatch"}, {"detail", *problem}});
        return false;
      }
    }
    sign_head(c);
    return true;
  });
}

void AuditCheckpoints::start() {
  started_ = true;
  task_.start("audit_checkpoint_failed",
              std::chrono::milliseconds(limits::kAuditCheckpointIntervalMs), false,
              [this] { (void)checkpoint(); });
}

void AuditCheckpoints::stop() {
  task_.stop();
  if (!std::exchange(started_, false)) return;
  try {
    (void)checkpoint();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "audit_checkpoint_failed"}, {"detail", std::string_view(e.what())}});
  }
}

}  // namespace essc::services
