#include "services/region_policies.hpp"

#include <utility>

namespace essc::services {

RegionPolicies::RegionPolicies(Map policies)
    : map_(std::make_shared<const Map>(std::move(policies))) {}

std::shared_ptr<const RegionPolicies::Map> RegionPolicies::current() const {
  std::lock_guard lock(mutex_);
  return map_;
}

std::shared_ptr<const domain::RegionPolicy> RegionPolicies::find(
    std::string_view region_code) const {
  auto map = current();
  const auto it = map->find(region_code);
  if (it == map->end()) return nullptr;
  // Shares the map's ownership: the policy outlives a replace() while it is held.
  return {map, &it->second};
}

void RegionPolicies::replace(Map policies) {
  auto next = std::make_shared<const Map>(std::move(policies));
  std::lock_guard lock(mutex_);
  map_ = std::move(next);
}

}  // namespace essc::services
