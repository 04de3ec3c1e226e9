#include "store/migrations.hpp"

#include <array>
#include <string>
#include <string_view>

namespace essc::store {
namespace {

// Personal data (names, ID numbers, phones, bank accounts) is stored only sealed
// (`*_sealed`, XChaCha20-Poly1305) with a keyed blind index (`*_index`) where the
// platform must look a value up (R-S5). Money is integer fen.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE persons (
  person_id         INTEGER PRIMARY KEY,
  id_number_index   BLOB NOT NULL UNIQUE,
  id_number_sealed  BLOB NOT NULL,
  name_sealed       BLOB NOT NULL,
  region_code       TEXT NOT NULL,
  phone_sealed      BLOB,
  photo_police      INTEGER NOT NULL,
  photo_cardholder  INTEGER NOT NULL,
  created_at_ms     BIGINT NOT NULL
);

CREATE TABLE cards (
  card_no                TEXT PRIMARY KEY,
  person_id              INTEGER NOT NULL REFERENCES persons(person_id),
  status                 TEXT NOT NULL,
  region_code            TEXT NOT NULL,
  bank_code              TEXT NOT NULL,
  hr_pin_hash            TEXT,
  financial_pin_hash     TEXT,
  financial_active       INTEGER NOT NULL DEFAULT 0,
  bank_account_sealed    BLOB,
  reserved_phone_sealed  BLOB,
  replaces_card_no       TEXT,
  created_at_ms          BIGINT NOT NULL,
  updated_at_ms          BIGINT NOT NULL
);
-- R-C1: a person has at most one card that is not cancelled or replaced.
CREATE UNIQUE INDEX cards_one_live_per_person ON cards(person_id)
  WHERE status NOT IN ('cancelled', 'replaced');
CREATE INDEX cards_by_person ON cards(person_id);

CREATE TABLE operators (
  username       TEXT PRIMARY KEY,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL,
  bank_code      TEXT,
  created_at_ms  BIGINT NOT NULL
);

CREATE TABLE operator_sessions (
  token_hash     BLOB PRIMARY KEY,
  username       TEXT NOT NULL REFERENCES operators(username),
  expires_at_ms  BIGINT NOT NULL
);

CREATE TABLE clients (
  client_id              TEXT PRIMARY KEY,
  kind                   TEXT NOT NULL,
  name                   TEXT NOT NULL,
  channel_type           TEXT,
  institution_type       TEXT,
  region_code            TEXT,
  webhook_url            TEXT,
  secret_sealed          BLOB NOT NULL,
  webhook_secret_sealed  BLOB,
  suspended              INTEGER NOT NULL DEFAULT 0,
  created_at_ms          BIGINT NOT NULL
);

CREATE TABLE medical_accounts (
  person_id    INTEGER PRIMARY KEY REFERENCES persons(person_id),
  balance_fen  BIGINT NOT NULL CHECK (balance_fen >= 0)
);

CREATE TABLE account_movements (
  movement_id        INTEGER PRIMARY KEY,
  person_id          INTEGER NOT NULL REFERENCES persons(person_id),
  kind               TEXT NOT NULL,
  amount_fen         BIGINT NOT NULL,
  balance_after_fen  BIGINT NOT NULL,
  memo               TEXT NOT NULL,
  reference          TEXT,
  at_ms              BIGINT NOT NULL
);
CREATE INDEX account_movements_by_person ON account_movements(person_id, movement_id);
CREATE UNIQUE INDEX account_movements_by_reference ON account_movements(reference);

CREATE TABLE benefits (
  benefit_id     TEXT PRIMARY KEY,
  person_id      INTEGER NOT NULL REFERENCES persons(person_id),
  card_no        TEXT NOT NULL,
  kind           TEXT NOT NULL,
  period         TEXT NOT NULL,
  amount_fen     BIGINT NOT NULL,
  at_ms          BIGINT NOT NULL,
  UNIQUE (person_id, kind, period)
);

-- R-S6: append-only, each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  at_ms      BIGINT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL,
  outcome    TEXT NOT NULL,
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL
);
)sql";

constexpr std::array<std::string_view, 1> kMigrations{kMigration1};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int current_schema_version(Connection& c) {
  c.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at_ms BIGINT NOT NULL)");
  static constexpr char kSql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
  auto& s = c.prepare(kSql);
  s.step();
  const auto version = static_cast<int>(s.int64(0));
  s.reset();
  return version;
}

int apply_migrations(Connection& c, std::int64_t now_ms) {
  c.exec("BEGIN IMMEDIATE");
  try {
    const int from = current_schema_version(c);
    if (from > latest_schema_version()) {
      throw SqliteError(SQLITE_MISMATCH, "the database schema (version " + std::to_string(from) +
                                             ") is newer than this essc (version " +
                                             std::to_string(latest_schema_version()) + ")");
    }
    for (int v = from + 1; v <= latest_schema_version(); ++v) {
      c.exec(kMigrations[static_cast<std::size_t>(v - 1)]);
      static constexpr char kRecord[] =
          "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)";
      c.prepare(kRecord).bind_all(v, now_ms).run();
    }
    c.exec("COMMIT");
    return latest_schema_version() - from;
  } catch (...) {
    c.exec("ROLLBACK");
    throw;
  }
}

}  // namespace essc::store
