// Regional settlement policies (POLICY.md): `policies/<region_code>.toml` in the data
// folder, one file a region. Every key must be known and every value in range; a bad
// file stops start-up with a message naming it, and a running server's watch keeps the
// policies in force until the folder loads again.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/periodic_task.hpp"
#include "domain/settlement.hpp"
#include "services/region_policies.hpp"

namespace essc::cli {

std::map<std::string, domain::RegionPolicy, std::less<>> load_region_policies(
    const std::filesystem::path& folder);
// The text of a policy file with these values (essc init writes 330200.toml).
std::string region_policy_text(const domain::RegionPolicy& policy);

// A server's watch on its policy folder: every limits::kPolicyFolderWatchMs it compares
// the names, sizes and change times of the folder's policy files with what it last read,
// and on a change loads them all and puts them in force (`policies.replace`; the first
// check always does, so an edit between start-up and start() is not missed). A folder
// that does not load (a file being written, a bad value) is logged once with its file and
// line, and the policies in force stay until the next change.
// Thread safety: start() and stop() from the owner.
class PolicyFolderWatch {
 public:
  PolicyFolderWatch(std::filesystem::path folder, services::RegionPolicies& policies);
  void start();
  void stop();

 private:
  void check();

  std::filesystem::path folder_;
  services::RegionPolicies& policies_;
  std::string stamp_;  // of the folder last read
  PeriodicTask task_;
};

}  // namespace essc::cli
