// essc backup: a consistent archive of a data folder taken while its server runs (R-S9;
// cli/backup.hpp).
#include "cli/backup.hpp"

#include <iostream>
#include <memory>

#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_backup_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto* backup = cli.add_subcommand(
      "backup",
      "Write a consistent archive of the folder (store, keys, config, policies, audit "
      "checkpoints) while its server runs; encrypted to [backup] recipients");
  add_data_dir_option(*backup, *data_dir);
  backup->add_option("--to", *to, "The archive to write (a new file)")->required();
  return {backup, [data_dir, to] {
            back_up(DataDir{*data_dir}, *to, std::cout, std::cerr);
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
