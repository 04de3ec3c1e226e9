// essc audit witness init|serve (API.md "Command line"): a witness of the platform's audit
// log (R-S7; c2sp.org/tlog-witness), run by a party other than the platform's operator.
// `init` makes the folder (cli/witness_folder.hpp) and prints the vkey the platform lists
// in `[audit] witnesses`; `serve --log VKEY` answers POST /add-checkpoint and
// GET /checkpoint over HTTP with services::TlogWitness for the logs of those keys.
#include <boost/url/parse.hpp>
#include <iostream>
#include <memory>

#include "cli/commands/verb.hpp"
#include "cli/config.hpp"
#include "cli/private_file.hpp"
#include "cli/witness_folder.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "http/server.hpp"

namespace essc::cli {
namespace {

constexpr char kDefaultListen[] = "127.0.0.1:8090";
constexpr std::string_view kSizeType = services::kTlogSizeContentType;

CLI::App& witness_command(CLI::App& cli) {
  const auto audit = cli.get_subcommands([](CLI::App* sub) { return sub->get_name() == "audit"; });
  CLI::App* parent = audit.empty()
                         ? cli.add_subcommand("audit", "The audit log")->require_subcommand(1)
                         : audit.front();
  const auto found =
      parent->get_subcommands([](CLI::App* sub) { return sub->get_name() == "witness"; });
  if (!found.empty()) return *found.front();
  return *parent->add_subcommand("witness", "Witness another party's audit log (R-S7)")
              ->require_subcommand(1);
}

http::Response to_response(services::WitnessAnswer answer) {
  http::Response response;
  response.status = answer.status;
  response.content_type = std::move(answer.content_type);
  response.body = std::move(answer.body);
  return response;
}

http::Response plain(int status, std::string body) {
  return to_response({status, "text/plain; charset=utf-8", std::move(body)});
}

// The two routes of c2sp.org/tlog-witness, on a witness whose URL prefix is the root.
http::Response handle(services::TlogWitness& witness, const http::Request& request) {
  const auto target = boost::urls::parse_origin_form(request.target);
  if (!target) return plain(400, "malformed request target\n");
  const auto path = target->path();
  if (path == "/add-checkpoint") {
    if (request.method != "POST") return plain(405, "POST only\n");
    auto answer = witness.add_checkpoint(request.body);
    // A fork (409 without a size) or a proof that fails (422) of a checkpoint the log
    // signed is what witnessing exists to catch: the operator must hear of it.
    const bool misbehaviour =
        answer.status == 422 || (answer.status == 409 && answer.content_type != kSizeType);
    if (answer.status != 200) {
      log_event(misbehaviour ? spdlog::level::err : spdlog::level::info,
                {{"event", "witness_refused"},
                 {"status", std::int64_t{answer.status}},
                 {"reason", std::string_view(answer.body).substr(0, answer.body.find('\n'))}});
    }
    return to_response(std::move(answer));
  }
  if (path == "/checkpoint") {
    if (request.method != "GET") return plain(405, "GET only\n");
    std::optional<std::string> origin;
    for (const auto& param : target->params()) {
      if (param.key == "origin") origin = param.value;
    }
    return to_response(witness.latest(origin));
  }
  return plain(404, "not found\n");
}

int serve_witness(const std::string& dir, const std::string& listen,
                  const std::vector<std::string>& log_keys) {
  configure_logging("info");
  const auto address = parse_listen(listen);
  auto logs = parse_witnessed_logs(log_keys);
  auto identity = read_witness_folder(dir);
  keep_private(dir);
  const SystemClock clock;
  services::TlogWitness witness(dir, std::move(identity), std::move(logs), [&clock] {
    return static_cast<std::uint64_t>(clock.now_seconds());
  });
  http::ServerOptions options;
  options.host = address.host;
  options.port = address.port;
  options.io_threads = 1;
  http::Server server(options,
                      [&witness](http::Request& request) { return handle(witness, request); });
  std::cout << "essc witness " << witness.vkey() << " listening on http://" << address.host << ":"
            << server.port() << std::endl;
  server.run();
  return kExitSuccess;
}

}  // namespace

Verb add_audit_witness_init_verb(CLI::App& cli) {
  auto dir = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto* init = witness_command(cli).add_subcommand(
      "init", "Make a witness folder with a new key (0600); prints the witness's vkey");
  init->add_option("--data-dir", *dir, "The witness's folder (created, mode 0700)")->required();
  init->add_option("--name", *name, "The witness's key name, e.g. witness.example.gov.cn/w1")
      ->required();
  return {init, [dir, name] {
            std::cout << init_witness_folder(*dir, *name) << "\n";
            return kExitSuccess;
          }};
}

Verb add_audit_witness_serve_verb(CLI::App& cli) {
  auto dir = std::make_shared<std::string>();
  auto listen = std::make_shared<std::string>(kDefaultListen);
  auto logs = std::make_shared<std::vector<std::string>>();
  auto* serve = witness_command(cli).add_subcommand(
      "serve", "Cosign the checkpoints of the logs of these keys (c2sp.org/tlog-witness)");
  serve->add_option("--data-dir", *dir, "The folder `essc audit witness init` made")->required();
  serve->add_option("--listen", *listen, "HOST:PORT to listen on")->capture_default_str();
  serve
      ->add_option("--log", *logs,
                   "A log's note verifier key (GET /v1/audit/key), or ORIGIN=VKEY when its "
                   "origin is not its key name; repeat for more logs, or for a log's new key "
                   "after it rotated (both keys of one origin are accepted)")
      ->required()
      ->take_all();
  return {serve, [dir, listen, logs] { return serve_witness(*dir, *listen, *logs); }};
}

}  // namespace essc::cli
