// Anchoring the audit chain outside the database (R-S6; store/audit_checkpoint_file.hpp).
// The server signs the chain's head into the checkpoint file every
// limits::kAuditCheckpointIntervalMs and when it stops; `essc audit verify` holds the
// chain against every checkpoint, then signs the head it verified.
//
// Thread safety: every method may be called from any thread; start() and stop() by the
// owner.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "common/periodic_task.hpp"
#include "services/context.hpp"
#include "store/audit_checkpoint_file.hpp"
#include "store/audit_log.hpp"

namespace essc::services {

struct AuditCheck {
  store::AuditVerification chain;
  std::int64_t checkpoints = 0;                   // signed heads the chain was held against
  std::optional<std::string> checkpoint_problem;  // why it does not match them, for the operator
  bool ok() const { return chain.ok && !checkpoint_problem; }
};

class AuditCheckpoints {
 public:
  AuditCheckpoints(Context& context, store::AuditCheckpointFile& file)
      : ctx_(context), file_(file) {}
  ~AuditCheckpoints() { task_.stop(); }
  AuditCheckpoints(const AuditCheckpoints&) = delete;
  AuditCheckpoints& operator=(const AuditCheckpoints&) = delete;

  // The chain end to end and against every checkpoint; when all holds, the head is
  // signed as a new checkpoint.
  AuditCheck verify();
  // Signs the head when it moved past the last checkpoint, which the chain must still
  // hold; returns false, writing nothing, when the chain no longer holds it.
  bool checkpoint();

  void start();
  void stop();  // and, after start(), signs the head once more

 private:
  std::optional<std::string> problem_with(store::Connection& c,
                                          const store::AuditCheckpoint& cp) const;
  const std::optional<store::AuditCheckpoint>& last();
  void sign_head(store::Connection& c);

  Context& ctx_;
  store::AuditCheckpointFile& file_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::optional<store::AuditCheckpoint> last_;
  bool started_ = false;
  PeriodicTask task_;
};

}  // namespace essc::services
