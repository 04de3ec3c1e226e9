// The demo data `essc demo` loads (issue: a platform a newcomer can click through): a
// cardholder for every situation of the FAQ, a gov, a bank and a third-party channel, a
// pharmacy, a hospital and a service hall (and a pharmacy and a hospital in Shanghai, for
// treatment in another province), and one operator of each role. Loading it again
// changes nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/sandbox_bank.hpp"
#include "http/demo_backend.hpp"
#include "services/platform.hpp"

namespace essc::cli {

struct DemoLogin {
  std::string what;
  std::string detail;
};

// Returns the logins and clients to print; empty when the data was already there. The
// demo clients' credentials go to clients_file (mode 0600) for the demo client backend,
// since the platform itself keeps secrets only sealed and shows them once.
std::vector<DemoLogin> load_demo_data(services::Platform& platform, adapters::SandboxBank& bank,
                                      const std::filesystem::path& clients_file);

// The Shanghai policy (policies/310100.toml) beside the Ningbo one essc init writes, so
// the demo's Shanghai institutions settle (R-X1). Before the platform loads policies;
// an existing file is kept.
void write_demo_policies(const std::filesystem::path& folder);

// The credentials load_demo_data wrote. Throws std::runtime_error when the file is
// missing, readable by others or malformed.
std::vector<http::DemoClient> read_demo_clients(const std::filesystem::path& clients_file);

}  // namespace essc::cli
