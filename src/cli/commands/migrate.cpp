// essc migrate: applies pending schema migrations (opening the store does).
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_migrate_verb(CLI::App& cli) {
  auto data_dir = std::make_shared<std::string>();
  auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");
  add_data_dir_option(*migrate, *data_dir);
  return {migrate, [data_dir] {
            App app(DataDir{*data_dir}, false);
            std::cout << "schema version " << app.platform().ctx.db.schema_version() << "\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
