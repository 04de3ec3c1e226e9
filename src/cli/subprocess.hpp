// Runs another program (tar, age) as a child process and waits for it: no shell, so no
// argument is ever parsed as shell text. Its standard error is the caller's, so a tool's
// own message reaches the operator.
#pragma once

#include <string>
#include <vector>

namespace essc::cli {

// Runs argv[0] (looked up in PATH) with argv and waits. Throws std::runtime_error naming
// the program when it cannot be started (with `install_hint`, e.g. "Debian package age")
// or exits with a status other than 0.
// REQUIRES: !argv.empty().
void run_program(const std::vector<std::string>& argv, const std::string& install_hint);

}  // namespace essc::cli
