// The demo data `essc demo` loads (issue: a platform a newcomer can click through): a
// cardholder for every situation of the FAQ, a gov, a bank and a third-party channel, a
// pharmacy, a hospital and a service hall, and one operator of each role. Loading it
// again changes nothing.
#pragma once

#include <string>
#include <vector>

#include "adapters/sandbox_bank.hpp"
#include "services/platform.hpp"

namespace essc::cli {

struct DemoLogin {
  std::string what;
  std::string detail;
};

// Returns the logins and clients to print; empty when the data was already there.
std::vector<DemoLogin> load_demo_data(services::Platform& platform, adapters::SandboxBank& bank);

}  // namespace essc::cli
