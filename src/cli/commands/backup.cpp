// essc backup: a consistent archive of a data folder taken while its server runs (R-S9;
// cli/backup.hpp).
#include "cli/backup.hpp"

#include <iostream>
#include <memory>

#include "cli/commands/verb.hpp"
#include "common/clock.hpp"

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
  auto textfile = std::make_shared<std::string>();
  backup->add_option("--textfile", *textfile,
                     "Then write when it finished to this file for node_exporter's textfile "
                     "collector (e.g. /var/lib/prometheus/node-exporter/essc_backup.prom)");
  return {backup, [data_dir, to, textfile] {
            const DataDir dir{*data_dir};
            back_up(dir, *to, std::cout, std::cerr);
            if (!textfile->empty())
              write_backup_textfile(dir, *to, *textfile, SystemClock().now_ms());
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
