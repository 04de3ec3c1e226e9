// Family accounts (亲情账户, R-F1…R-F4): which persons a holder may show the code of.
// A row is one holder and one member; removing or withdrawing deletes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct FamilyMemberRecord {
  std::string member_id;
  std::int64_t holder_person_id = 0;
  std::int64_t person_id = 0;  // the member
  std::string relation;        // spouse | child | parent | other
  bool consented = false;      // by the member's own verification (16 or over)
  std::string client_id;       // the channel it was added in
  std::int64_t created_at_ms = 0;
};

void insert_family_member(Connection& c, const FamilyMemberRecord& r);
std::optional<FamilyMemberRecord> find_family_member(Connection& c, std::string_view member_id);
std::optional<FamilyMemberRecord> find_family_pair(Connection& c, std::int64_t holder_person_id,
                                                   std::int64_t person_id);
std::vector<FamilyMemberRecord> members_of_holder(Connection& c, std::int64_t holder_person_id);
std::vector<FamilyMemberRecord> holders_of_member(Connection& c, std::int64_t person_id);
void delete_family_member(Connection& c, std::string_view member_id);

}  // namespace essc::store
