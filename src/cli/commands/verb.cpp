#include "cli/commands/verb.hpp"

#include <iostream>

namespace essc::cli {

std::string describe(const Error& error) {
  std::string text(error.info().message_en);
  if (error.extras.field) text += " (field: " + *error.extras.field + ")";
  return text;
}

std::string read_password(const std::optional<std::string>& flag, bool from_stdin) {
  if (flag) return *flag;
  if (!from_stdin) throw CommandError("give --password or --password-stdin");
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void add_data_dir_option(CLI::App& command, std::string& data_dir) {
  command.add_option("--data-dir", data_dir, "Data folder")->required();
}

}  // namespace essc::cli
