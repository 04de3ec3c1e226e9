// The `essc` command line (API.md "Command line"): exit 0 on success, 2 on a usage
// error, 1 on any other failure with a one-line reason on standard error.
#pragma once

namespace essc::cli {

int run(int argc, char** argv);

}  // namespace essc::cli
