#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string>

#include "cli/app.hpp"
#include "cli/demo_data.hpp"
#include "cli/seed.hpp"
#include "cli/store_copy.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "common/periodic_task.hpp"
#include "domain/bank_account.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "http/site.hpp"
#include "services/audit_checkpoints.hpp"
#include "services/bank_transfers.hpp"
#include "store/operator_repository.hpp"

namespace essc::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// A failure the user can act on: printed as one line, exit status 1.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string describe(const Error& error) {
  std::string text(error.info().message_en);
  if (error.extras.field) text += " (field: " + *error.extras.field + ")";
  return text;
}

template <class T>
T value_or_fail(Result<T> result) {
  if (!result) throw CommandError(describe(result.error()));
  return std::move(result).value();
}

std::string read_password(const std::optional<std::string>& flag, bool from_stdin) {
  if (flag) return *flag;
  if (!from_stdin) throw CommandError("give --password or --password-stdin");
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

struct ServeOptions {
  std::optional<std::string> listen;
  std::optional<std::string> web_dir;
  bool sandbox = false;
};

http::StaticSite web_pages(const std::optional<std::string>& web_dir) {
  if (!web_dir) return http::StaticSite();
  if (!std::filesystem::is_directory(*web_dir))
    throw CommandError("--web-dir " + *web_dir + " is not a folder");
  return http::StaticSite(std::filesystem::path(*web_dir));
}

// What a crash, or a failover that hid a commit's outcome, left owed to cardholders' bank
// accounts.
void complete_owed_bank_transfers(App& app, std::int64_t min_age_ms) {
  if (const auto completed =
          services::complete_due_bank_transfers(app.platform().ctx, min_age_ms)) {
    log_event(spdlog::level::warn, {{"event", "due_bank_transfers_completed"},
                                    {"count", static_cast<std::int64_t>(completed)}});
  }
}

int serve(App& app, const ServeOptions& serve_options,
          std::vector<http::DemoClient> demo_clients = {},
          const std::vector<DemoLogin>& demo_logins = {}) {
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
  app.start_nonces();
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
  store::AuditCheckpointFile checkpoint_file(app.data_dir().audit_checkpoints());
  services::AuditCheckpoints checkpoints(app.platform().ctx, checkpoint_file);
  checkpoints.start();
  app.outbox_worker().start();
  app.platform().refusals.start();
  for (const auto& login : demo_logins)
    std::cout << "  " << login.what << ": " << login.detail << "\n";
  const auto origin =
      "http://" +
      (address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host) +
      ":" + std::to_string(server.port());
  if (!demo_logins.empty()) {
    std::cout << "open " << origin << "/ : cardholder app " << origin << "/app/ , pharmacy till "
              << origin << "/till/ , counter console " << origin << "/console/\n";
  }
  std::cout << "essc listening on " << origin << (sandbox ? " (sandbox adapters)" : "")
            << std::endl;
  server.run();
  app.outbox_worker().stop();
  owed_sweep.stop();
  app.platform().refusals.stop();  // the last minutes' refusal counts reach the audit log
  checkpoints.stop();              // then the head they end on is signed
  app.stop_nonces();
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App cli{"essc — the electronic social security card platform"};
  cli.require_subcommand(1);
  std::string data_dir;

  auto* init = cli.add_subcommand(
      "init", "Create config, key file (0600) and database; idempotent, never replaces keys");
  init->add_option("--data-dir", data_dir, "Data folder")->required();
  std::optional<std::string> store_url;
  init->add_option("--store-url", store_url,
                   "A postgresql:// URL: the folder's store is that database");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");
  migrate->add_option("--data-dir", data_dir, "Data folder")->required();

  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
  serve_cmd->add_option("--data-dir", data_dir, "Data folder")->required();
  ServeOptions serve_options;
  serve_cmd->add_option("--listen", serve_options.listen,
                        "HOST:PORT to listen on (default from essc.toml)");
  serve_cmd->add_flag("--sandbox", serve_options.sandbox,
                      "Use the sandbox adapters (bank, SMS, face)");
  serve_cmd->add_option("--web-dir", serve_options.web_dir,
                        "Serve the web pages from this folder instead of the built-in copy");

  auto* demo = cli.add_subcommand(
      "demo", "Initialise a data folder with demo data and serve it with sandbox adapters");
  std::string demo_dir = "essc-demo";
  demo->add_option("--data-dir", demo_dir, "Data folder (default ./essc-demo)");
  demo->add_option("--listen", serve_options.listen,
                   "HOST:PORT to listen on (default from essc.toml)");
  demo->add_option("--web-dir", serve_options.web_dir,
                   "Serve the web pages from this folder instead of the built-in copy");

  auto* operator_cmd = cli.add_subcommand("operator", "Manage operators")->require_subcommand(1);
  auto* operator_add =
      operator_cmd->add_subcommand("add", "Add an operator (the first admin is made here)");
  operator_add->add_option("--data-dir", data_dir, "Data folder")->required();
  std::string username, role;
  std::optional<std::string> bank_code, password;
  bool password_stdin = false;
  operator_add->add_option("--username", username, "Login name")->required();
  operator_add->add_option("--role", role, "admin | hr_clerk | bank_teller")
      ->required()
      ->check(CLI::IsMember({"admin", "hr_clerk", "bank_teller"}));
  operator_add->add_option("--bank-code", bank_code, "The teller's bank (bank_teller only)");
  auto* password_opt =
      operator_add->add_option("--password", password, "Password (prefer --password-stdin)");
  operator_add
      ->add_flag("--password-stdin", password_stdin, "Read the password from standard input")
      ->excludes(password_opt);

  auto* client_cmd =
      cli.add_subcommand("client", "Manage channels and institutions")->require_subcommand(1);
  auto* client_add = client_cmd->add_subcommand(
      "add", "Register a channel or institution; prints its secrets once");
  client_add->add_option("--data-dir", data_dir, "Data folder")->required();
  services::NewClient new_client;
  client_add->add_option("--kind", new_client.kind, "channel | institution")
      ->required()
      ->check(CLI::IsMember({"channel", "institution"}));
  client_add->add_option("--name", new_client.name, "Display name")->required();
  client_add->add_option("--channel-type", new_client.channel_type, "gov | bank | third_party");
  client_add->add_option("--institution-type", new_client.institution_type,
                         "pharmacy | hospital | service_hall");
  client_add->add_option("--region-code", new_client.region_code, "6-digit region code");
  client_add->add_option("--webhook-url", new_client.webhook_url,
                         "Where lifecycle events are sent (channels)");
  client_add->add_option("--requests-per-minute", new_client.requests_per_minute,
                         "Signed requests allowed a minute (default 6000)");
  client_add->add_option(
      "--qr-png", new_client.qr_png,
      "Channels: whether QR codes come with their PNG unless a request says (default true)");

  auto* sandbox_cmd = cli.add_subcommand("sandbox", "Sandbox adapters")->require_subcommand(1);
  auto* fund = sandbox_cmd->add_subcommand("fund", "Add money to a sandbox bank account");
  fund->add_option("--data-dir", data_dir, "Data folder")->required();
  std::string account;
  std::int64_t amount_fen = 0;
  fund->add_option("BANK_ACCOUNT_NO", account, "Bank account number")->required();
  fund->add_option("AMOUNT_FEN", amount_fen, "Amount in fen")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));

  auto* seed = cli.add_subcommand(
      "seed", "Fill a new data folder with cardholders for load tests (docs/performance.md)");
  seed->add_option("--data-dir", data_dir, "Data folder")->required();
  SeedOptions seed_options;
  seed->add_option("--persons", seed_options.persons,
                   "Persons, each with an active card, an e-card and a binding")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, kSeedPersonsMax));
  seed->add_option("--channels", seed_options.channels,
                   "Channels the bindings are spread over (default 200)")
      ->check(CLI::Range(1, 10'000));
  seed->add_option("--institutions", seed_options.institutions, "Pharmacies (default 50)")
      ->check(CLI::Range(1, 10'000));

  auto* audit_cmd = cli.add_subcommand("audit", "The audit log")->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "Check the hash chain end to end");
  audit_verify->add_option("--data-dir", data_dir, "Data folder")->required();

  auto* store_cmd = cli.add_subcommand("store", "The folder's store")->require_subcommand(1);
  auto* store_copy = store_cmd->add_subcommand("copy",
                                               "Copy the SQLite store into an empty PostgreSQL "
                                               "database, verify it, and switch the folder to it");
  store_copy->add_option("--data-dir", data_dir, "Data folder")->required();
  std::string copy_to;
  store_copy->add_option("--to", copy_to, "postgresql:// URL of an empty database")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  const DataDir dir{data_dir};
  try {
    if (*init) {
      const auto created = initialize_data_dir(dir, store_url);
      for (const auto& line : created) std::cout << line << "\n";
      if (created.empty())
        std::cout << dir.root.string() << " is already initialised; nothing changed\n";
      return 0;
    }
    if (*migrate) {
      App app(dir, false);
      std::cout << "schema version " << app.platform().ctx.db.schema_version() << "\n";
      return 0;
    }
    if (*serve_cmd) {
      App app(dir, serve_options.sandbox);
      return serve(app, serve_options);
    }
    if (*demo) {
      const DataDir demo_data_dir{demo_dir};
      initialize_data_dir(demo_data_dir);
      write_demo_policies(demo_data_dir.policies());
      App app(demo_data_dir, true);
      auto logins =
          load_demo_data(app.platform(), *app.sandbox_bank(), demo_data_dir.demo_clients());
      if (logins.empty())
        logins.push_back({"demo data", "already loaded in " + demo_dir + "; nothing changed"});
      serve_options.sandbox = true;
      std::vector<http::DemoClient> demo_clients;
      try {
        demo_clients = read_demo_clients(demo_data_dir.demo_clients());
      } catch (const std::runtime_error& e) {
        std::cout << "  demo client backend off (" << e.what() << "); remove " << demo_dir
                  << " and run essc demo again to reload the demo\n";
      }
      return serve(app, serve_options, std::move(demo_clients), logins);
    }
    if (*operator_add) {
      App app(dir, false);
      services::NewOperator request{username, read_password(password, password_stdin), role,
                                    bank_code};
      const auto op =
          value_or_fail(app.platform().operators.add(services::Actor::command_line(), request));
      std::cout << "operator " << op.username << " added (" << domain::to_string(op.role) << ")\n";
      return 0;
    }
    if (*client_add) {
      App app(dir, false);
      const auto client =
          value_or_fail(app.platform().clients.add(services::Actor::command_line(), new_client));
      std::cout << "client_id=" << client.client_id << "\nclient_secret=" << client.secret << "\n";
      if (client.webhook_secret) std::cout << "webhook_secret=" << *client.webhook_secret << "\n";
      std::cout << "requests_per_minute=" << client.requests_per_minute << "\n"
                << "qr_png=" << (client.qr_png ? "true" : "false") << "\n";
      return 0;
    }
    if (*fund) {
      value_or_fail(domain::BankAccountNo::parse(account));
      App app(dir, true);
      const auto balance = app.sandbox_bank()->fund(account, amount_fen);
      std::cout << "balance_fen=" << balance << "\n";
      return 0;
    }
    if (*seed) {
      run_seed_command(dir, seed_options);
      return 0;
    }
    if (*store_copy) {
      copy_store(dir, copy_to);
      return 0;
    }
    if (*audit_verify) {
      App app(dir, false);
      store::AuditCheckpointFile file(dir.audit_checkpoints());
      const auto result = services::AuditCheckpoints(app.platform().ctx, file).verify();
      if (!result.chain.ok) {
        std::cerr << "essc: audit chain broken at entry " << *result.chain.first_bad_seq << " of "
                  << result.chain.entries << "\n";
        return kExitFailure;
      }
      if (result.checkpoint_problem) {
        std::cerr << "essc: audit chain does not match its signed checkpoints: "
                  << *result.checkpoint_problem << "\n";
        return kExitFailure;
      }
      std::cout << "audit chain ok: " << result.chain.entries << " entries, " << result.checkpoints
                << " signed checkpoints\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "essc: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}

}  // namespace essc::cli
