// One verb of the `essc` command line: the subcommand it adds (its options bound to state
// the verb owns) and what it does when it is the one chosen. One file per verb here;
// cli/commands.cpp parses the line and runs the chosen verb.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/result.hpp"

namespace essc::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A failure the user can act on: printed as one line, exit status 1.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Verb {
  // The (innermost) subcommand: true once the line chose it.
  const CLI::App* command = nullptr;
  // Runs the verb after parsing; returns the exit status or throws (exit status 1).
  std::function<int()> run;
};

// The error's English message, naming the field when it has one.
std::string describe(const Error& error);

template <class T>
T value_or_fail(Result<T> result) {
  if (!result) throw CommandError(describe(result.error()));
  return std::move(result).value();
}

// The --password flag's value, or a line of standard input with --password-stdin.
std::string read_password(const std::optional<std::string>& flag, bool from_stdin);

// Adds a `--data-dir` option (required) bound to `data_dir`.
void add_data_dir_option(CLI::App& command, std::string& data_dir);

Verb add_init_verb(CLI::App& cli);
Verb add_migrate_verb(CLI::App& cli);
Verb add_serve_verb(CLI::App& cli);
Verb add_demo_verb(CLI::App& cli);
Verb add_operator_add_verb(CLI::App& cli);
Verb add_client_add_verb(CLI::App& cli);
Verb add_sandbox_fund_verb(CLI::App& cli);
Verb add_seed_verb(CLI::App& cli);
Verb add_audit_verify_verb(CLI::App& cli);
// `audit witness init|serve`; after add_audit_verify_verb, whose `audit` they join.
Verb add_audit_witness_init_verb(CLI::App& cli);
Verb add_audit_witness_serve_verb(CLI::App& cli);
Verb add_store_copy_verb(CLI::App& cli);
Verb add_backup_verb(CLI::App& cli);
Verb add_restore_verb(CLI::App& cli);
Verb add_import_insurance_verb(CLI::App& cli);
// `keys` with its two subcommands: the first call adds `keys`, the second finds it.
Verb add_keys_rotate_verb(CLI::App& cli);
Verb add_keys_status_verb(CLI::App& cli);

}  // namespace essc::cli
