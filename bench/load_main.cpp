// essc-load: the load generator and reference benchmarks of docs/performance.md.
// Every verb prints `measure …` lines on standard output (bench/report.hpp);
// scripts/bench.sh collects them and `essc-load report` prints the table and ratios.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "bench/machine_cpu.hpp"
#include "bench/references.hpp"
#include "bench/rss.hpp"
#include "bench/scenarios.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/sodium.hpp"

namespace {

using namespace essc::bench;

// The scenarios' budgets (docs/performance.md): bounded in count and in time.
constexpr std::int64_t kWarmUpCalls = 2'000;
constexpr int kSessionConnections = 16;
constexpr int kFloodConnections = 500;
constexpr double kFloodSecondsMax = 300;
constexpr std::int64_t kQrCodesMax = 20'000;
constexpr double kCodeScenarioSecondsMax = 8;  // QR codes live 60 s: issue, then use them
constexpr int kSettleConnections = 64;

void print(const Measurement& m) { std::cout << measure_line(m) << std::endl; }

constexpr char kRoundTrips[] = "essc_db_round_trips_total";

// A server counter's growth over a scenario, per operation; nothing where it did not grow
// (round trips are counted on PostgreSQL only).
void print_per_operation(const std::string& name, double grown, const Measurement& m) {
  if (grown > 0 && m.count > 0)
    std::cout << value_line(name, grown / static_cast<double>(m.count)) << std::endl;
}

Target target_at(const std::string& host, int port) {
  return Target{host, static_cast<std::uint16_t>(port)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"essc-load — load generator and reference benchmarks (docs/performance.md)"};
  cli.require_subcommand(1);
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string credentials_file, label = "run", path = "/", name = "http", dir = ".";
  int connections = 64, server_pid = 0;
  std::vector<int> metrics_ports;
  double seconds = 10, rate = 0, report_every = 10;
  std::int64_t requests = 1'000'000, sessions = 500;
  std::uint64_t argon2_ops = essc::crypto::kArgon2OpsLimitDefault,
                argon2_memory_kib = essc::crypto::kArgon2MemoryKibDefault;

  const auto server_options = [&](CLI::App* verb) {
    verb->add_option("--host", host, "Server address (loopback)");
    verb->add_option("--port", port, "Server port")->required();
    verb->add_option("--credentials", credentials_file, "seed-credentials.txt written by essc seed")
        ->required();
    verb->add_option("--label", label, "Suffix of the measurement names (10k, 1m)");
    verb->add_option("--server-pid", server_pid, "The server's process id, for its memory");
    verb->add_option("--metrics-port", metrics_ports,
                     "Ports of the processes behind --port whose /metrics count round trips "
                     "(default: --port)");
  };
  auto* essc_verb =
      cli.add_subcommand("essc", "Every scenario against essc serve on a seeded folder");
  server_options(essc_verb);
  essc_verb->add_option("--connections", connections,
                        "Connections for reads, QR codes and identity checks");
  essc_verb->add_option("--seconds", seconds, "Time budget of each scenario");
  essc_verb->add_option("--requests", requests, "Call budget of each scenario");
  essc_verb->add_option("--sessions", sessions, "Sessions to open (20 settlements each at most)");

  auto* flood_verb = cli.add_subcommand(
      "flood", "500 connections open e-card sessions at once; the server's peak RSS");
  server_options(flood_verb);

  auto* soak_verb =
      cli.add_subcommand("soak", "QR code + settlement at a fixed rate for a long time");
  server_options(soak_verb);
  soak_verb->add_option("--rate", rate, "Settlements a second")->required();
  soak_verb->add_option("--seconds", seconds, "Duration");
  soak_verb->add_option("--sessions", sessions, "Sessions the settlements are spread over");
  soak_verb->add_option("--report-every", report_every, "Seconds between progress lines");

  auto* http_verb =
      cli.add_subcommand("http", "GET one path with signed headers (the nginx reference)");
  http_verb->add_option("--host", host, "Server address");
  http_verb->add_option("--port", port, "Server port")->required();
  http_verb->add_option("--path", path, "Path to GET");
  http_verb->add_option("--name", name, "Measurement name");
  http_verb->add_option("--connections", connections, "Connections");
  http_verb->add_option("--seconds", seconds, "Time budget");
  http_verb->add_option("--requests", requests, "Call budget");

  auto* references_verb =
      cli.add_subcommand("references", "SQLite durable commits, Argon2id, Ed25519 on this machine");
  references_verb->add_option("--dir", dir, "A folder on the disk the data folders are on");
  references_verb->add_option("--seconds", seconds, "Time budget of each");
  references_verb->add_option("--argon2-ops", argon2_ops,
                              "The server's Argon2id passes (essc.toml)");
  references_verb->add_option("--argon2-memory-kib", argon2_memory_kib,
                              "The server's Argon2id memory (essc.toml)");

  auto* report_verb =
      cli.add_subcommand("report", "The table and ratio/figure lines from collected measure lines");
  std::string results_file;
  report_verb->add_option("FILE", results_file, "File of measure lines")->required();

  CLI11_PARSE(cli, argc, argv);
  try {
    essc::crypto::initialize_sodium();
    if (*report_verb) {
      std::ifstream in(results_file);
      if (!in) throw std::runtime_error("cannot read " + results_file);
      print_report(in, std::cout);
      return 0;
    }
    if (*references_verb) {
      print(sqlite_commits(dir, seconds));
      print(argon2_hashes(seconds, argon2_ops, argon2_memory_kib));
      print(ed25519_signatures(seconds));
      std::cout << value_line("cores", std::max(1u, std::thread::hardware_concurrency()))
                << std::endl;
      return 0;
    }
    if (*http_verb) {
      LoadOptions options;
      options.host = host;
      options.port = static_cast<std::uint16_t>(port);
      options.connections = connections;
      const ClientKeys anonymous{"ch_reference", "reference-secret"};
      Signer signer;
      const auto first = [&](std::int64_t) -> std::optional<HttpCall> {
        HttpCall call{"GET", path, {}, {}};
        signer.sign(call, anonymous);
        return call;
      };
      const auto follow = [](std::int64_t, const HttpReply& reply) {
        return Verdict{reply.status == 200, std::nullopt};
      };
      options.operations_max = kWarmUpCalls;
      run_load(options, first, follow);
      options.operations_max = requests;
      options.seconds_max = seconds;
      auto result = run_load(options, first, follow);
      if (!result.first_error.empty())
        std::cerr << name << ": first error: " << result.first_error << "\n";
      print(summarize(name, result));
      return 0;
    }

    EsscLoad load(target_at(host, port), SeedCredentials::read(credentials_file));
    if (metrics_ports.empty()) metrics_ports.push_back(port);
    const auto round_trips = [&] {
      double sum = 0;
      for (const int p : metrics_ports)
        sum += load.server_counter(kRoundTrips, static_cast<std::uint16_t>(p));
      return sum;
    };
    if (*essc_verb) {
      if (server_pid > 0)
        std::cout << value_line("idle_rss_mb_" + label, rss_mb(server_pid)) << std::endl;
      load.status_reads("warm_up", {connections, kWarmUpCalls, seconds});
      const double cpu_before = server_pid > 0 ? cpu_seconds(server_pid) : 0;
      const double trips_before = round_trips();
      const auto status = load.status_reads("status_" + label, {connections, requests, seconds});
      print(status);
      if (server_pid > 0 && status.count > 0) {
        const double cpu_us =
            (cpu_seconds(server_pid) - cpu_before) * 1e6 / static_cast<double>(status.count);
        std::cout << value_line("status_cpu_us_" + label, cpu_us) << std::endl;
      }
      print_per_operation("status_round_trips_" + label, round_trips() - trips_before, status);
      print(load.open_sessions("session_" + label, {kSessionConnections, sessions, seconds * 6}));
      print(load.issue_qr("qr_" + label, "identity",
                          {connections, std::min(requests, kQrCodesMax), kCodeScenarioSecondsMax}));
      // The compact form with its image, as the demo app asks: the smaller symbol. Before
      // qr_token_, whose ESSC1 codes identity_ then uses.
      print(load.issue_qr("qr_compact_" + label, "identity",
                          {connections, std::min(requests, kQrCodesMax), kCodeScenarioSecondsMax},
                          /*png=*/true, /*compact=*/true));
      print(load.issue_qr("qr_token_" + label, "identity",
                          {connections, std::min(requests, kQrCodesMax), kCodeScenarioSecondsMax},
                          /*png=*/false));
      print(load.verify_identity("identity_" + label, {connections, requests, seconds * 4}));
      print(load.issue_qr("qr_payment_" + label, "payment",
                          {connections, std::min(requests, kQrCodesMax), kCodeScenarioSecondsMax}));
      const auto ticks_before = machine_cpu_ticks();
      const double settle_trips_before = round_trips();
      const auto settled =
          load.settle("settle_" + label, {kSettleConnections, requests, seconds * 4});
      print(settled);
      std::cout << value_line("settle_idle_pct_" + label,
                              idle_percent(ticks_before, machine_cpu_ticks()))
                << std::endl;
      print_per_operation("settle_round_trips_" + label, round_trips() - settle_trips_before,
                          settled);
      return 0;
    }
    if (*flood_verb) {
      if (server_pid <= 0) throw std::runtime_error("flood needs --server-pid");
      RssPeak peak(server_pid);
      // Every session waits its turn for an Argon2id slot: the last may wait minutes.
      print(load.open_sessions("flood_sessions_" + label, {kFloodConnections, kFloodConnections,
                                                           kFloodSecondsMax, kFloodSecondsMax}));
      std::cout << value_line("flood_rss_mb_" + label, peak.stop()) << std::endl;
      return 0;
    }
    if (*soak_verb) {
      if (server_pid <= 0) throw std::runtime_error("soak needs --server-pid");
      print(load.open_sessions("soak_sessions", {kSessionConnections, sessions, 600}));
      const double rss_before = rss_mb(server_pid);
      print(load.soak("soak",
                      {kSettleConnections, static_cast<std::int64_t>(rate * seconds) + 1, seconds},
                      rate, server_pid, report_every, std::cout));
      std::cout << value_line("soak_rss_start_mb", rss_before) << "\n"
                << value_line("soak_rss_end_mb", rss_mb(server_pid)) << std::endl;
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "essc-load: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
