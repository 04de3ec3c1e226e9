// essc demo: a data folder with demo data (loaded once), served with the sandbox adapters
// and the demo client backend.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "cli/commands/serve.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_demo_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir = "essc-demo";
    ServeOptions serve;
  };
  auto options = std::make_shared<Options>();
  auto* demo = cli.add_subcommand(
      "demo", "Initialise a data folder with demo data and serve it with sandbox adapters");
  demo->add_option("--data-dir", options->data_dir, "Data folder (default ./essc-demo)");
  demo->add_option("--listen", options->serve.listen,
                   "HOST:PORT to listen on (default from essc.toml)");
  demo->add_option("--web-dir", options->serve.web_dir,
                   "Serve the web pages from this folder instead of the built-in copy");
  return {demo, [options] {
            const DataDir dir{options->data_dir};
            initialize_data_dir(dir);
            write_demo_policies(dir.policies());
            App app(dir, true);
            auto logins = load_demo_data(app.platform(), *app.sandbox_bank(), dir.demo_clients());
            if (logins.empty()) {
              logins.push_back(
                  {"demo data", "already loaded in " + options->data_dir + "; nothing changed"});
            }
            options->serve.sandbox = true;
            std::vector<http::DemoClient> demo_clients;
            try {
              demo_clients = read_demo_clients(dir.demo_clients());
            } catch (const std::runtime_error& e) {
              std::cout << "  demo client backend off (" << e.what() << "); remove "
                        << options->data_dir << " and run essc demo again to reload the demo\n";
            }
            return serve(app, options->serve, std::move(demo_clients), logins);
          }};
}

}  // namespace essc::cli
