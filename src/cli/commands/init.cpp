// essc init: config, key file (0600) and database; idempotent, never replaces keys.
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_init_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    std::optional<std::string> store_url;
  };
  auto options = std::make_shared<Options>();
  auto* init = cli.add_subcommand(
      "init", "Create config, key file (0600) and database; idempotent, never replaces keys");
  add_data_dir_option(*init, options->data_dir);
  init->add_option("--store-url", options->store_url,
                   "A postgresql:// URL: the folder's store is that database");
  return {init, [options] {
            const DataDir dir{options->data_dir};
            const auto created = initialize_data_dir(dir, options->store_url);
            for (const auto& line : created) std::cout << line << "\n";
            if (created.empty())
              std::cout << dir.root.string() << " is already initialised; nothing changed\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
