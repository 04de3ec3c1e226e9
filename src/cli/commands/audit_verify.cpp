// essc audit verify: the audit log's hash chain end to end, against its signed checkpoints.
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"
#include "services/audit_checkpoints.hpp"

namespace essc::cli {

Verb add_audit_verify_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto* audit_cmd = cli.add_subcommand("audit", "The audit log")->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "Check the hash chain end to end");
  add_data_dir_option(*audit_verify, *data_dir);
  return {audit_verify, [data_dir] {
            const DataDir dir{*data_dir};
            App app(dir, false);
            store::AuditCheckpointFile file(dir.audit_checkpoints());
            const auto result = services::AuditCheckpoints(app.platform().ctx, file).verify();
            if (!result.chain.ok) {
              std::cerr << "essc: audit chain broken at entry " << *result.chain.first_bad_seq
                        << " of " << result.chain.entries << "\n";
              return kExitFailure;
            }
            if (result.checkpoint_problem) {
              std::cerr << "essc: audit chain does not match its signed checkpoints: "
                        << *result.checkpoint_problem << "\n";
              return kExitFailure;
            }
            std::cout << "audit chain ok: " << result.chain.entries << " entries, "
                      << result.checkpoints << " signed checkpoints\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
