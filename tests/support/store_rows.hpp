// Rows for the store's contract tests (src/store/*_repository_test.cpp): each runs on
// SQLite and again on PostgreSQL (TestPlatform's store), through the repositories alone.
#pragma once

#include <cstdint>
#include <string>

#include "domain/card.hpp"
#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "domain/person.hpp"
#include "store/database.hpp"
#include "support/test_platform.hpp"

namespace essc::testing {

// Runs f(Connection&) as one write transaction; CONFLICT when it breaks a constraint.
template <class F>
Status write_rows(store::Database& db, F&& f) {
  auto result = db.write<bool>([&](store::Connection& c) -> Result<bool> {
    f(c);
    return true;
  });
  if (!result) return result.error();
  return {};
}

// Reads f(Connection&) in one snapshot.
template <class F>
auto read_rows(store::Database& db, F&& f) {
  return db.read([&](store::Connection& c) { return f(c); });
}

// The first column of the first row of `sql` run with `parameters`, as an integer.
template <class... Parameters>
std::int64_t first_int(store::Connection& c, const char* sql, const Parameters&... parameters) {
  return c.prepare(sql)
      .bind_all(parameters...)
      .first([](const store::Statement& s) { return s.int64(0); })
      .value();
}

// A fresh row of each kind, stored through its repository with every optional field set,
// so that a round trip shows each one. `n` makes its unique fields unique.
domain::Person stored_person(TestPlatform& t, int n);
domain::Card stored_card(TestPlatform& t, std::int64_t person_id, int n);
domain::Client stored_channel(TestPlatform& t, int n);
domain::Ecard stored_ecard(TestPlatform& t, const domain::Card& card);

}  // namespace essc::testing
