// essc serve: the HTTP server on a data folder (with --sandbox, the sandbox adapters).
#include "cli/commands/serve.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands/verb.hpp"
#include "cli/keys.hpp"
#include "cli/policy_files.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "common/periodic_task.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "http/site.hpp"
#include "services/audit_sequencer.hpp"
#include "services/bank_transfers.hpp"
#include "services/witness_client.hpp"

namespace essc::cli {
namespace {

http::StaticSite web_pages(const std::optional<std::string>& web_dir) {
  if (!web_dir) return http::StaticSite();
  if (!std::filesystem::is_directory(*web_dir))
    throw CommandError("--web-dir " + *web_dir + " is not a folder");
  return http::StaticSite(std::filesystem::path(*web_dir));
}

// What a crash, or a failover that hid a commit's outcome, left owed to cardholders' bank
// accounts.
void complete_owed_bank_transfers(App& app, std::int64_t min_age_ms) {
  if (const auto completed = app.platform().bank_transfers.complete_due(min_age_ms)) {
    log_event(spdlog::level::warn, {{"event", "due_bank_transfers_completed"},
                                    {"count", static_cast<std::int64_t>(completed)}});
  }
}

// Where the platform is reached when [server] public_url is not set: the listen address,
// or this machine's name when it listens on every interface.
std::string public_origin(const ListenAddress& address, std::uint16_t port) {
  auto host = address.host;
  if (host == "0.0.0.0" || host == "::" || host.empty()) {
    std::array<char, 256> name{};
    host = ::gethostname(name.data(), name.size() - 1) == 0 ? name.data() : "localhost";
  }
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port);
}

}  // namespace

int serve(App& app, const ServeOptions& serve_options, std::vector<http::DemoClient> demo_clients,
          const std::vector<DemoLogin>& demo_logins) {
  configure_logging(app.config().log_level);
  const auto address = parse_listen(serve_options.listen.value_or(app.config().listen));
  const bool sandbox = serve_options.sandbox;
  // Before the first request; on a shared store other servers' requests are in flight.
  const bool shared_store = !app.config().store_url.empty();
  const auto grace = services::owed_transfer_grace_ms(app.config().adapter_timeout_ms);
  complete_owed_bank_transfers(app, shared_store ? grace : 0);
  PeriodicTask owed_sweep;
  owed_sweep.start("due_bank_transfers_error",
                   std::chrono::milliseconds(limits::kDueBankTransferSweepMs), false,
                   [&app, grace] { complete_owed_bank_transfers(app, grace); });
  PeriodicTask backlog_reader;
  backlog_reader.start("backlogs_error",
                       std::chrono::milliseconds(limits::kBacklogRefreshIntervalMs), true,
                       [&app, grace, witnesses = app.audit_witnesses()] {
                         app.platform().backlogs.refresh(grace, witnesses);
                       });
  app.start_nonces();
  // R-S9: rotation, no restart
  KeyFileWatch key_watch(app.data_dir().keys(),
                         [&app](const crypto::KeySet& keys) { app.apply_keys(keys); });
  key_watch.start();
  PeriodicTask pii_resealing;
  pii_resealing.start("pii_reseal_error", std::chrono::milliseconds(limits::kPiiResealPeriodMs),
                      false, [&app] { app.reseal_pii_batch(); });
  PolicyFolderWatch policy_watch(app.data_dir().policies(), app.platform().settlements.policies());
  policy_watch.start();
  http::Api api(app.platform());
  std::optional<http::DemoBackend> demo;
  if (!demo_clients.empty()) demo.emplace(api, app.platform().ctx.clock, std::move(demo_clients));
  http::Site site(api, web_pages(serve_options.web_dir), std::move(demo));
  http::ServerOptions options;
  options.host = address.host;
  options.port = address.port;
  options.io_threads = app.config().io_threads;
  options.worker_threads = app.config().worker_threads;
  http::Server server(
      options, [&site](http::Request& request) { return site.handle(request); },
      [&site](const http::Request& request) { return site.runs_inline(request); });
  services::AuditSequencer sequencer(app.platform().ctx.clock, app.platform().ctx.db,
                                     app.platform().audit, app.platform().checkpoint_delays,
                                     app.audit_witnesses(), services::push_to_witness);
  sequencer.start();
  app.outbox_worker().start();
  app.platform().refusals.start();
  for (const auto& login : demo_logins)
    std::cout << "  " << login.what << ": " << login.detail << "\n";
  const auto origin =
      "http://" +
      (address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host) +
      ":" + std::to_string(server.port());
  // Certificates' QR codes point here, never under the Host a request names (the client's
  // to choose: a signed certificate must not point at a host of its choosing).
  const auto public_url = app.config().public_url.empty() ? public_origin(address, server.port())
                                                          : app.config().public_url;
  app.platform().certificates.use_public_url(public_url);
  if (app.config().public_url.empty() && address.host != "127.0.0.1" && address.host != "::1" &&
      address.host != "localhost") {
    log_event(spdlog::level::warn,
              {{"event", "public_url_not_set"},
               {"detail", std::string_view("certificates' QR codes point at " + public_url)}});
  }
  if (!demo_logins.empty()) {
    std::cout << "open " << origin << "/ : cardholder app " << origin << "/app/ , pharmacy till "
              << origin << "/till/ , counter console " << origin << "/console/\n";
  }
  std::cout << "essc listening on " << origin << (sandbox ? " (sandbox adapters)" : "")
            << std::endl;
  server.run();
  app.outbox_worker().stop();
  pii_resealing.stop();
  key_watch.stop();
  policy_watch.stop();
  owed_sweep.stop();
  backlog_reader.stop();
  app.platform().refusals.stop();  // the last minutes' refusal counts reach the audit log
  sequencer.stop();                // then the tree they end on is signed
  app.stop_nonces();
  return 0;
}

Verb add_serve_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    ServeOptions serve;
  };
  auto options = std::make_shared<Options>();
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
  add_data_dir_option(*serve_cmd, options->data_dir);
  serve_cmd->add_option("--listen", options->serve.listen,
                        "HOST:PORT to listen on (default from essc.toml)");
  serve_cmd->add_flag("--sandbox", options->serve.sandbox,
                      "Use the sandbox adapters (bank, SMS, face)");
  serve_cmd->add_option("--web-dir", options->serve.web_dir,
                        "Serve the web pages from this folder instead of the built-in copy");
  return {serve_cmd, [options] {
            App app(DataDir{options->data_dir}, options->serve.sandbox);
            return serve(app, options->serve);
          }};
}

}  // namespace essc::cli
