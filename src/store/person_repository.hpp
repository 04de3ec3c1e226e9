// Persons (R-P1, R-P2), looked up by the blind index of their ID number.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/pii_vault.hpp"
#include "domain/person.hpp"
#include "store/sql.hpp"

namespace essc::store {

class PersonRepository {
 public:
  explicit PersonRepository(const crypto::PiiVault& vault) : vault_(vault) {}

  // Inserts the person; sets person.person_id. Throws StoreError (constraint) on a
  // duplicate ID number.
  void insert(Connection& c, domain::Person& person) const;
  std::optional<domain::Person> find_by_id_number(Connection& c, std::string_view id_number) const;
  std::optional<domain::Person> find(Connection& c, std::int64_t person_id) const;

  // The columns from_row decodes, in its order, for queries that join persons AS p.
  static constexpr std::string_view kJoinedColumns =
      "p.person_id, p.id_number_sealed, p.name_sealed, p.region_code, p.phone_sealed, "
      "p.photo_police, "
      "p.photo_cardholder, p.created_at_ms";
  // The person whose kJoinedColumns begin at column `first` of the row.
  domain::Person from_row(const Statement& s, int first = 0) const;

 private:
  const crypto::PiiVault& vault_;
};

// Holds the person's row until the write commits, so that every other write taking it
// waits: what this one reads of the person after it is current (a row-locked write,
// store/database.hpp). A settlement takes it for its person's limits, caps and account.
void lock_person(Connection& c, std::int64_t person_id);

}  // namespace essc::store
