// Regional settlement policies (POLICY.md): `policies/<region_code>.toml` in the data
// folder, one file a region. Every key must be known and every value in range; a bad
// file stops start-up with a message naming it.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "domain/settlement.hpp"

namespace essc::cli {

std::map<std::string, domain::RegionPolicy, std::less<>> load_region_policies(
    const std::filesystem::path& folder);
// The text of a policy file with these values (essc init writes 330200.toml).
std::string region_policy_text(const domain::RegionPolicy& policy);

}  // namespace essc::cli
