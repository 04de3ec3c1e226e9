// essc keys rotate --kind qr|pii|audit and essc keys status (R-S9; cli/keys.hpp).
#include "cli/keys.hpp"

#include <iostream>
#include <memory>

#include "cli/commands/verb.hpp"

namespace essc::cli {
namespace {

CLI::App& keys_command(CLI::App& cli) {
  const auto found = cli.get_subcommands([](CLI::App* sub) { return sub->get_name() == "keys"; });
  if (!found.empty()) return *found.front();
  return *cli.add_subcommand("keys", "The folder's keys (R-S9)")->require_subcommand(1);
}

}  // namespace

Verb add_keys_rotate_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>();
  auto* rotate = keys_command(cli).add_subcommand(
      "rotate",
      "A new key signs from now on; running servers of the folder take it within seconds");
  add_data_dir_option(*rotate, *data_dir);
  rotate->add_option("--kind", *kind, "qr, pii or audit")
      ->required()
      ->check(CLI::IsMember({"qr", "pii", "audit"}));
  return {rotate, [data_dir, kind] {
            if (*kind == "pii") {
              rotate_pii_key(DataDir{*data_dir}, std::cout);
            } else if (*kind == "audit") {
              rotate_audit_key(DataDir{*data_dir}, std::cout);
            } else {
              rotate_qr_key(DataDir{*data_dir}, std::cout);
            }
            return kExitSuccess;
          }};
}

Verb add_keys_status_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto* status = keys_command(cli).add_subcommand(
      "status", "The keys, which signs or seals, which are retired, re-sealing's progress");
  add_data_dir_option(*status, *data_dir);
  return {status, [data_dir] {
            print_key_status(DataDir{*data_dir}, std::cout);
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
