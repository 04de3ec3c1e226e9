// essc seed: a new data folder filled with cardholders for load tests.
#include "cli/seed.hpp"

#include <memory>

#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_seed_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    SeedOptions seed;
  };
  auto options = std::make_shared<Options>();
  auto* seed = cli.add_subcommand(
      "seed", "Fill a new data folder with cardholders for load tests (docs/performance.md)");
  add_data_dir_option(*seed, options->data_dir);
  seed->add_option("--persons", options->seed.persons,
                   "Persons, each with an active card, an e-card and a binding")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, kSeedPersonsMax));
  seed->add_option("--channels", options->seed.channels,
                   "Channels the bindings are spread over (default 200)")
      ->check(CLI::Range(1, 10'000));
  seed->add_option("--institutions", options->seed.institutions, "Pharmacies (default 50)")
      ->check(CLI::Range(1, 10'000));
  return {seed, [options] {
            run_seed_command(DataDir{options->data_dir}, options->seed);
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
