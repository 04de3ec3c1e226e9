// essc store copy: the SQLite store into an empty PostgreSQL database, verified, and the
// folder switched to it.
#include "cli/store_copy.hpp"

#include <memory>

#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_store_copy_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    std::string to;
  };
  auto options = std::make_shared<Options>();
  auto* store_cmd = cli.add_subcommand("store", "The folder's store")->require_subcommand(1);
  auto* store_copy = store_cmd->add_subcommand("copy",
                                               "Copy the SQLite store into an empty PostgreSQL "
                                               "database, verify it, and switch the folder to it");
  add_data_dir_option(*store_copy, options->data_dir);
  store_copy->add_option("--to", options->to, "postgresql:// URL of an empty database")->required();
  return {store_copy, [options] {
            copy_store(DataDir{options->data_dir}, options->to);
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
