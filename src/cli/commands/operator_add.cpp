// essc operator add: an operator (the first admin is made here).
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_operator_add_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    std::string username;
    std::string role;
    std::optional<std::string> bank_code;
    std::optional<std::string> password;
    bool password_stdin = false;
  };
  auto options = std::make_shared<Options>();
  auto* operator_cmd = cli.add_subcommand("operator", "Manage operators")->require_subcommand(1);
  auto* operator_add =
      operator_cmd->add_subcommand("add", "Add an operator (the first admin is made here)");
  add_data_dir_option(*operator_add, options->data_dir);
  operator_add->add_option("--username", options->username, "Login name")->required();
  operator_add->add_option("--role", options->role, "admin | hr_clerk | bank_teller | auditor")
      ->required()
      ->check(CLI::IsMember({"admin", "hr_clerk", "bank_teller"}));
  operator_add->add_option("--bank-code", options->bank_code,
                           "The teller's bank (bank_teller only)");
  auto* password_opt = operator_add->add_option("--password", options->password,
                                                "Password (prefer --password-stdin)");
  operator_add
      ->add_flag("--password-stdin", options->password_stdin,
                 "Read the password from standard input")
      ->excludes(password_opt);
  return {operator_add, [options] {
            App app(DataDir{options->data_dir}, false);
            services::NewOperator request{options->username,
                                          read_password(options->password, options->password_stdin),
                                          options->role, options->bank_code};
            const auto op = value_or_fail(
                app.platform().operators.add(services::Actor::command_line(), request));
            std::cout << "operator " << op.username << " added (" << domain::to_string(op.role)
                      << ")\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
