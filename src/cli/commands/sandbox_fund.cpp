// essc sandbox fund: money into a sandbox bank account.
#include <cstdint>
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"
#include "domain/bank_account.hpp"

namespace essc::cli {

Verb add_sandbox_fund_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    std::string account;
    std::int64_t amount_fen = 0;
  };
  auto options = std::make_shared<Options>();
  auto* sandbox_cmd = cli.add_subcommand("sandbox", "Sandbox adapters")->require_subcommand(1);
  auto* fund = sandbox_cmd->add_subcommand("fund", "Add money to a sandbox bank account");
  add_data_dir_option(*fund, options->data_dir);
  fund->add_option("BANK_ACCOUNT_NO", options->account, "Bank account number")->required();
  fund->add_option("AMOUNT_FEN", options->amount_fen, "Amount in fen")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  return {fund, [options] {
            value_or_fail(domain::BankAccountNo::parse(options->account));
            App app(DataDir{options->data_dir}, true);
            const auto balance = app.sandbox_bank()->fund(options->account, options->amount_fen);
            std::cout << "balance_fen=" << balance << "\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
