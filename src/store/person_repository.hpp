// Persons (R-P1, R-P2), looked up by the blind index of their ID number.
#pragma once

#include <optional>

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

 private:
  domain::Person from_row(const Statement& s) const;
  const crypto::PiiVault& vault_;
};

}  // namespace essc::store
