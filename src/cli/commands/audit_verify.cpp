// essc audit verify: the audit log's tree recomputed from its entries and held against
// every checkpoint the platform signed and the newest each witness cosigned (R-S6, R-S7).
#include <iostream>
#include <memory>

#include "adapters/http_client.hpp"
#include "cli/app.hpp"
#include "cli/commands/verb.hpp"
#include "common/limits.hpp"
#include "services/audit_sequencer.hpp"

namespace essc::cli {
namespace {

// What each witness says it cosigned last; a witness that cannot be asked fails the check,
// since it is the part that protects against a rolled-back store.
std::optional<std::vector<std::pair<services::Witness, std::string>>> witnessed(
    const std::vector<services::Witness>& witnesses, const std::string& origin) {
  std::vector<std::pair<services::Witness, std::string>> notes;
  for (const auto& w : witnesses) {
    adapters::HttpCall call;
    call.method = "GET";
    call.url = w.url + "/checkpoint?origin=" + origin;
    call.timeout_ms = limits::kAuditWitnessTimeoutMs;
    const auto reply = adapters::http_call(call);
    if (reply.ok() && reply->status == 404) continue;  // it has cosigned nothing yet
    if (!reply.ok() || reply->status != 200) {
      std::cerr << "essc: witness " << w.url << " does not answer its checkpoint"
                << (reply.ok() ? " (HTTP " + std::to_string(reply->status) + ")" : "") << "\n";
      return std::nullopt;
    }
    notes.emplace_back(w, reply->body);
  }
  return notes;
}

}  // namespace

Verb add_audit_verify_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto* audit_cmd = cli.add_subcommand("audit", "The audit log")->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "Recompute the log's tree and hold it against every checkpoint and witness");
  add_data_dir_option(*audit_verify, *data_dir);
  return {audit_verify, [data_dir] {
            const DataDir dir{*data_dir};
            App app(dir, false);
            auto& log = app.platform().audit;
            const auto notes = witnessed(app.audit_witnesses(), log.key().origin);
            if (!notes) return kExitFailure;
            const auto result = log.verify(*notes);
            if (!result.ok()) {
              std::cerr << "essc: the audit log does not verify: " << *result.problem << "\n";
              return kExitFailure;
            }
            // What verified is signed, as a server's sequencer would have: commands run
            // without a server leave their entries unsigned until then.
            services::AuditSequencer sequencer(app.platform().ctx.clock, app.platform().ctx.db, log,
                                               app.platform().checkpoint_delays);
            const bool signed_now = sequencer.sequence();
            std::cout << "audit log ok: " << result.entries << " entries, " << result.checkpoints
                      << " signed checkpoints, " << result.witnessed << " witnesses' checkpoints"
                      << (signed_now ? "" : "; a server's sequencer holds the log") << "\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
