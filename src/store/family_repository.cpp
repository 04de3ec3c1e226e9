#include "store/family_repository.hpp"

namespace essc::store {
namespace {

#define ESSC_FAMILY_COLUMNS \
  "member_id, holder_person_id, person_id, relation, consented, client_id, created_at_ms"
constexpr char kInsert[] =
    "INSERT INTO family_members (" ESSC_FAMILY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kFind[] = "SELECT " ESSC_FAMILY_COLUMNS " FROM family_members WHERE member_id = ?";
constexpr char kPair[] = "SELECT " ESSC_FAMILY_COLUMNS
                         " FROM family_members WHERE holder_person_id = ? AND person_id = ?";
constexpr char kOfHolder[] =
    "SELECT " ESSC_FAMILY_COLUMNS
    " FROM family_members WHERE holder_person_id = ? ORDER BY created_at_ms, member_id";
constexpr char kOfMember[] =
    "SELECT " ESSC_FAMILY_COLUMNS
    " FROM family_members WHERE person_id = ? ORDER BY created_at_ms, member_id";
#undef ESSC_FAMILY_COLUMNS
constexpr char kDelete[] = "DELETE FROM family_members WHERE member_id = ?";

FamilyMemberRecord from_row(const Statement& s) {
  return {s.text(0), s.int64(1), s.int64(2), s.text(3), s.int64(4) != 0, s.text(5), s.int64(6)};
}

std::vector<FamilyMemberRecord> all(Statement& s) {
  std::vector<FamilyMemberRecord> out;
  while (s.step()) out.push_back(from_row(s));
  return out;
}

}  // namespace

void insert_family_member(Connection& c, const FamilyMemberRecord& r) {
  c.prepare(kInsert)
      .bind_all(r.member_id, r.holder_person_id, r.person_id, r.relation, r.consented, r.client_id,
                r.created_at_ms)
      .run();
}

std::optional<FamilyMemberRecord> find_family_member(Connection& c, std::string_view member_id) {
  return c.prepare(kFind).bind_all(member_id).first(from_row);
}

std::optional<FamilyMemberRecord> find_family_pair(Connection& c, std::int64_t holder_person_id,
                                                   std::int64_t person_id) {
  return c.prepare(kPair).bind_all(holder_person_id, person_id).first(from_row);
}

std::vector<FamilyMemberRecord> members_of_holder(Connection& c, std::int64_t holder_person_id) {
  return all(c.prepare(kOfHolder).bind_all(holder_person_id));
}

std::vector<FamilyMemberRecord> holders_of_member(Connection& c, std::int64_t person_id) {
  return all(c.prepare(kOfMember).bind_all(person_id));
}

void delete_family_member(Connection& c, std::string_view member_id) {
  c.prepare(kDelete).bind_all(member_id).run();
}

}  // namespace essc::store
