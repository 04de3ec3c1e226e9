#include "store/person_repository.hpp"

#include "store/sealed_column.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO persons (id_number_index, id_number_sealed, name_sealed, region_code, "
    "phone_sealed, photo_police, photo_cardholder, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING person_id";
constexpr char kByIndex[] =
    "SELECT person_id, id_number_sealed, name_sealed, region_code, phone_sealed, photo_police, "
    "photo_cardholder, created_at_ms FROM persons WHERE id_number_index = ?";
constexpr char kById[] =
    "SELECT person_id, id_number_sealed, name_sealed, region_code, phone_sealed, photo_police, "
    "photo_cardholder, created_at_ms FROM persons WHERE person_id = ?";

// FOR NO KEY UPDATE: rows that merely reference the person (a notification, an audit
// entry) take KEY SHARE on it and do not wait.
constexpr char kLock[] = "SELECT person_id FROM persons WHERE person_id = ? FOR NO KEY UPDATE";

}  // namespace

void lock_person(Connection& c, std::int64_t person_id) {
  // The embedded store's one writer already runs each job alone.
  if (c.dialect() != Dialect::kPostgres) return;
  c.prepare(kLock).bind_all(person_id).run();
}

void insert_person(Connection& c, const crypto::PiiVault& vault, domain::Person& person) {
  auto& s = c.prepare(kInsert);
  s.bind_blob(1, vault.blind_index("id_number", person.id_number));
  s.bind_blob(2, vault.seal("id_number", person.id_number));
  s.bind_blob(3, vault.seal("name", person.name));
  s.bind(4, person.region_code);
  bind_sealed(s, 5, vault, "phone", person.phone);
  s.bind(6, person.photo_police).bind(7, person.photo_cardholder).bind(8, person.created_at_ms);
  person.person_id = *s.first([](const Statement& row) { return row.int64(0); });
}

std::optional<domain::Person> find_person_by_id_number(Connection& c, const crypto::PiiVault& vault,
                                                       std::string_view id_number) {
  auto& s = c.prepare(kByIndex);
  s.bind_blob(1, vault.blind_index("id_number", id_number));
  return s.first([&](const Statement& row) { return person_from_row(vault, row); });
}

std::optional<domain::Person> find_person(Connection& c, const crypto::PiiVault& vault,
                                          std::int64_t person_id) {
  auto& s = c.prepare(kById);
  s.bind(1, person_id);
  return s.first([&](const Statement& row) { return person_from_row(vault, row); });
}

domain::Person person_from_row(const crypto::PiiVault& vault, const Statement& s, int first) {
  domain::Person p;
  p.person_id = s.int64(first);
  p.id_number = vault.open("id_number", s.blob(first + 1)).value();
  p.name = vault.open("name", s.blob(first + 2)).value();
  p.region_code = s.text(first + 3);
  if (auto phone = s.optional_blob(first + 4)) p.phone = vault.open("phone", *phone).value();
  p.photo_police = s.int64(first + 5) != 0;
  p.photo_cardholder = s.int64(first + 6) != 0;
  p.created_at_ms = s.int64(first + 7);
  return p;
}

}  // namespace essc::store
