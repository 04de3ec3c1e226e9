// The regional policies in force (POLICY.md), by insured region code. The folder's policy
// files may change while the server runs (cli/policy_files.hpp's watch replaces them
// whole); a reader keeps the version it found for as long as it holds the pointer, so one
// settlement is limited and priced under one version of its region's file, never parts
// of two.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "domain/settlement.hpp"

namespace essc::services {

class RegionPolicies {
 public:
  using Map = std::map<std::string, domain::RegionPolicy, std::less<>>;

  explicit RegionPolicies(Map policies = {});

  // The region's policy, or nullptr when it has none.
  std::shared_ptr<const domain::RegionPolicy> find(std::string_view region_code) const;
  // Every region's policy, in code order (where the platform settles), as one version.
  std::shared_ptr<const Map> current() const;
  void replace(Map policies);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Map> map_;  // guarded by mutex_; the map itself is never changed
};

}  // namespace essc::services
