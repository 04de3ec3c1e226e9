// essc restore: an archive of essc backup into a new or empty folder, after its manifest
// and audit log check out (R-S9; cli/backup.hpp).
#include <iostream>
#include <memory>
#include <optional>

#include "cli/backup.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_restore_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>();
  auto identity = std::make_shared<std::optional<std::string>>();
  auto* restore_cmd = cli.add_subcommand(
      "restore",
      "Restore an archive of `essc backup` into a new or empty folder, checking its manifest "
      "and audit log");
  restore_cmd->add_option("--from", *from, "The archive")->required();
  add_data_dir_option(*restore_cmd, *data_dir);
  restore_cmd->add_option("--identity", *identity,
                          "An age identity file, for an encrypted archive");
  return {restore_cmd, [data_dir, from, identity] {
            restore(*from, DataDir{*data_dir},
                    *identity ? std::optional<std::filesystem::path>(**identity) : std::nullopt,
                    std::cout);
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
