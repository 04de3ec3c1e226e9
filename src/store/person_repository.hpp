// Persons (R-P1, R-P2), looked up by the blind index of their ID number.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/pii_vault.hpp"
#include "domain/person.hpp"
#include "store/sql.hpp"

namespace essc::store {

// Inserts the person; sets person.person_id. Throws StoreError (constraint) on a
// duplicate ID number.
void insert_person(Connection& c, const crypto::PiiVault& vault, domain::Person& person);
std::optional<domain::Person> find_person_by_id_number(Connection& c, const crypto::PiiVault& vault,
                                                       std::string_view id_number);
std::optional<domain::Person> find_person(Connection& c, const crypto::PiiVault& vault,
                                          std::int64_t person_id);

// The columns person_from_row decodes, in its order, for queries that join persons AS p.
inline constexpr std::string_view kPersonJoinedColumns =
    "p.person_id, p.id_number_sealed, p.name_sealed, p.region_code, p.phone_sealed, "
    "p.photo_police, p.photo_cardholder, p.created_at_ms";
// The person whose kPersonJoinedColumns begin at column `first` of the row.
domain::Person person_from_row(const crypto::PiiVault& vault, const Statement& s, int first = 0);

// Holds the person's row until the write commits, so that every other write taking it
// waits: what this one reads of the person after it is current (a row-locked write,
// store/database.hpp). A settlement takes it for its person's limits, caps and account.
void lock_person(Connection& c, std::int64_t person_id);

}  // namespace essc::store
