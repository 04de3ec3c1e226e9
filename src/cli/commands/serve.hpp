// Serving a data folder over HTTP: what `essc serve` and `essc demo` share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/demo_data.hpp"
#include "http/demo_backend.hpp"

namespace essc::cli {

struct ServeOptions {
  std::optional<std::string> listen;
  std::optional<std::string> web_dir;
  bool sandbox = false;
};

// Serves until the process is told to stop (SIGINT, SIGTERM); returns the exit status.
// With `demo_clients`, the demo client backend runs too; `demo_logins` are printed first.
int serve(App& app, const ServeOptions& serve_options,
          std::vector<http::DemoClient> demo_clients = {},
          const std::vector<DemoLogin>& demo_logins = {});

}  // namespace essc::cli
