#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <vector>

#include "cli/commands/verb.hpp"

namespace essc::cli {

int run(int argc, char** argv) {
  CLI::App cli{"essc — the electronic social security card platform"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("essc ") + ESSC_VERSION);
  std::vector<Verb> verbs = {
      add_init_verb(cli),         add_migrate_verb(cli),      add_serve_verb(cli),
      add_demo_verb(cli),         add_operator_add_verb(cli), add_client_add_verb(cli),
      add_sandbox_fund_verb(cli), add_seed_verb(cli),         add_audit_verify_verb(cli),
      add_store_copy_verb(cli),   add_backup_verb(cli),       add_restore_verb(cli),
      add_keys_rotate_verb(cli),  add_keys_status_verb(cli),  add_import_insurance_verb(cli),
  };
  verbs.push_back(add_audit_witness_init_verb(cli));  // joins `audit`: after audit verify
  verbs.push_back(add_audit_witness_serve_verb(cli));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? kExitSuccess : kExitUsage;
  }
  try {
    for (const auto& verb : verbs) {
      if (*verb.command) return verb.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "essc: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}

}  // namespace essc::cli
