#include "store/migrations.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/audit_log.hpp"

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

// E-cards, their channel bindings, verification sessions and notifications (R-E*, R-W*,
// R-L*, R-S3). A binding's status is stored and changed in the same transaction as the
// card change that causes it, together with the notifications that announce it.
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE ecards (
  ecard_id                  INTEGER PRIMARY KEY,
  card_no                   TEXT NOT NULL UNIQUE REFERENCES cards(card_no),
  person_id                 INTEGER NOT NULL REFERENCES persons(person_id),
  password_hash             TEXT NOT NULL,
  password_failures         INTEGER NOT NULL DEFAULT 0,
  password_locked_until_ms  BIGINT,
  created_at_ms             BIGINT NOT NULL,
  updated_at_ms             BIGINT NOT NULL
);

CREATE TABLE bindings (
  binding_id     TEXT PRIMARY KEY,
  ecard_id       INTEGER NOT NULL REFERENCES ecards(ecard_id),
  client_id      TEXT NOT NULL REFERENCES clients(client_id),
  level          INTEGER NOT NULL,
  status         TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
);
-- R-E2: one live binding of an e-card per channel.
CREATE UNIQUE INDEX bindings_one_live_per_channel ON bindings(ecard_id, client_id)
  WHERE status <> 'unlinked';
CREATE INDEX bindings_by_ecard ON bindings(ecard_id);

CREATE TABLE verifications (
  verification_id    TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL REFERENCES clients(client_id),
  purpose            TEXT NOT NULL,
  person_id          INTEGER NOT NULL REFERENCES persons(person_id),
  card_no            TEXT NOT NULL,
  binding_id         TEXT,
  verified_level     INTEGER,
  face_attempts      INTEGER NOT NULL DEFAULT 0,
  factor_attempts    INTEGER NOT NULL DEFAULT 0,
  otp_hash           BLOB,
  otp_sent_at_ms     BIGINT,
  otp_expires_at_ms  BIGINT,
  otp_attempts       INTEGER NOT NULL DEFAULT 0,
  consumed           INTEGER NOT NULL DEFAULT 0,
  expires_at_ms      BIGINT NOT NULL,
  created_at_ms      BIGINT NOT NULL
);

-- R-S3: SMS codes sent per phone per China Standard Time day.
CREATE TABLE sms_daily_counts (
  phone_index  BLOB NOT NULL,
  day          TEXT NOT NULL,
  sent         INTEGER NOT NULL,
  PRIMARY KEY (phone_index, day)
);

-- R-L6: the cardholder's inbox.
CREATE TABLE notifications (
  notification_id  INTEGER PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES persons(person_id),
  type             TEXT NOT NULL,
  binding_id       TEXT,
  title_zh         TEXT NOT NULL,
  body_zh          TEXT NOT NULL,
  body_en          TEXT NOT NULL,
  at_ms            BIGINT NOT NULL
);
CREATE INDEX notifications_by_person ON notifications(person_id, notification_id);

-- R-L6: messages to deliver after the change commits, at least once: webhooks to
-- channels and SMS to cardholders.
CREATE TABLE outbox (
  event_id            TEXT PRIMARY KEY,
  kind                TEXT NOT NULL,
  client_id           TEXT,
  destination_sealed  BLOB,
  payload             TEXT NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms  BIGINT NOT NULL,
  delivered_at_ms     BIGINT,
  gave_up             INTEGER NOT NULL DEFAULT 0,
  last_error          TEXT,
  created_at_ms       BIGINT NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at_ms) WHERE delivered_at_ms IS NULL AND gave_up = 0;
)sql";

// Using the e-card (R-U1…R-U4): sessions, issued QR codes, the yearly running figures
// of medical insurance, settlements and their refunds.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE ecard_sessions (
  token_hash     BLOB PRIMARY KEY,
  binding_id     TEXT NOT NULL REFERENCES bindings(binding_id),
  client_id      TEXT NOT NULL,
  expires_at_ms  BIGINT NOT NULL
);

CREATE TABLE qr_codes (
  token_id       TEXT PRIMARY KEY,
  binding_id     TEXT NOT NULL REFERENCES bindings(binding_id),
  purpose        TEXT NOT NULL,
  expires_at_ms  BIGINT NOT NULL,
  used_at_ms     BIGINT,
  used_by        TEXT
);

CREATE TABLE medical_years (
  person_id            INTEGER NOT NULL REFERENCES persons(person_id),
  year                 INTEGER NOT NULL,
  deductible_used_fen  BIGINT NOT NULL,
  fund_paid_fen        BIGINT NOT NULL,
  PRIMARY KEY (person_id, year)
);

CREATE TABLE settlements (
  settlement_id        TEXT PRIMARY KEY,
  institution_id       TEXT NOT NULL REFERENCES clients(client_id),
  order_id             TEXT NOT NULL,
  request_hash         BLOB NOT NULL,
  binding_id           TEXT NOT NULL,
  person_id            INTEGER NOT NULL REFERENCES persons(person_id),
  visit                TEXT NOT NULL,
  total_fen            BIGINT NOT NULL,
  fund_fen             BIGINT NOT NULL,
  account_fen          BIGINT NOT NULL,
  self_pay_fen         BIGINT NOT NULL,
  deductible_part_fen  BIGINT NOT NULL,
  self_pay_method      TEXT NOT NULL,
  balance_after_fen    BIGINT NOT NULL,
  year                 INTEGER NOT NULL,
  day                  TEXT NOT NULL,
  at_ms                BIGINT NOT NULL,
  refunded_at_ms       BIGINT,
  refund_reason        TEXT,
  UNIQUE (institution_id, order_id)
);
CREATE INDEX settlements_by_day ON settlements(institution_id, day);
CREATE INDEX settlements_by_person ON settlements(person_id, at_ms);
)sql";

// Contributions paid from the bank account (R-U5) and the e-card's authentication
// history for self-service queries (R-U7).
constexpr std::string_view kMigration4 = R"sql(
CREATE TABLE contributions (
  contribution_id  TEXT PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES persons(person_id),
  binding_id       TEXT NOT NULL,
  insurance        TEXT NOT NULL,
  period           TEXT NOT NULL,
  amount_fen       BIGINT NOT NULL,
  at_ms            BIGINT NOT NULL,
  UNIQUE (person_id, insurance, period)
);

CREATE TABLE auth_events (
  event_id    INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES persons(person_id),
  client_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  at_ms       BIGINT NOT NULL
);
CREATE INDEX auth_events_by_person ON auth_events(person_id, event_id);
CREATE INDEX benefits_by_person ON benefits(person_id, at_ms);
)sql";

// Bank credits owed until they are known done (store/bank_transfer_repository.hpp): a
// crash between a bank call and the commit must not keep or lose a cardholder's money.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE due_bank_transfers (
  reference       TEXT PRIMARY KEY,
  account_sealed  BLOB NOT NULL,
  amount_fen      BIGINT NOT NULL,
  undoes          TEXT,
  created_at_ms   BIGINT NOT NULL
);
)sql";

// The daily settlement count (R-S4's velocity limit) reads only the day's entries of one
// person: with settlements_by_person alone it read every settlement the person ever
// made, row by row, so each settlement cost more than the one before.
constexpr std::string_view kMigration6 = R"sql(
CREATE INDEX settlements_by_person_day ON settlements(person_id, day);
)sql";

// Consecutive failed operator logins per username (known or not, so a lock tells nothing
// of which usernames exist), and the lock they earn (OWASP ASVS 2.2.1). In the store, not
// in a process, so several servers share one count.
constexpr std::string_view kMigrationLoginThrottle = R"sql(
CREATE TABLE operator_login_failures (
  username         TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL,
  locked_until_ms  BIGINT,
  updated_at_ms    BIGINT NOT NULL
);
)sql";

// Checks of a person's secrets per kind and China Standard Time day, across every
// verification and channel (store/verification_repository.hpp): a per-session limit
// alone let them be probed without bound by opening session after session.
constexpr std::string_view kMigrationDailyChecks = R"sql(
CREATE TABLE daily_checks (
  person_id  INTEGER NOT NULL REFERENCES persons(person_id),
  kind       TEXT NOT NULL,
  day        TEXT NOT NULL,
  checks     INTEGER NOT NULL,
  PRIMARY KEY (person_id, kind, day)
);
)sql";

// R-S4: each client's own request quota a minute; existing clients keep the one
// quota all had before (limits::kClientRequestsPerMinuteDefault).
constexpr std::string_view kMigrationClientQuotas = R"sql(
ALTER TABLE clients ADD COLUMN requests_per_minute BIGINT NOT NULL DEFAULT 6000;
)sql";

// Request nonces and rate windows shared by every server on one PostgreSQL
// (store/postgres_nonces.hpp); the embedded store keeps them in its process, so this
// version adds nothing to a SQLite file.
constexpr std::string_view kMigrationSharedNonces = "";
constexpr std::string_view kPostgresSharedNonces = R"sql(
CREATE TABLE request_nonces (
  client_id      TEXT NOT NULL,
  nonce          TEXT NOT NULL,
  expires_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (client_id, nonce)
);
CREATE INDEX request_nonces_by_expiry ON request_nonces(expires_at_ms);
CREATE TABLE rate_windows (
  counter_key      TEXT NOT NULL,
  window_start_ms  BIGINT NOT NULL,
  hits             BIGINT NOT NULL,
  PRIMARY KEY (counter_key, window_start_ms)
);
)sql";

// R-X1…R-X3: a settlement records the insured region (参保地, the person's) and the
// treatment region (就医地, the institution's), so the day's clearing reads one table;
// settlements made before are given the regions their person and institution have now.
// Cross-province outpatient care needs a filing (异地就医备案) covering the day.
constexpr std::string_view kMigrationRegions = R"sql(
ALTER TABLE settlements ADD COLUMN insured_region TEXT NOT NULL DEFAULT '';
ALTER TABLE settlements ADD COLUMN treatment_region TEXT NOT NULL DEFAULT '';
UPDATE settlements SET insured_region = (SELECT region_code FROM persons WHERE persons.person_id = settlements.person_id);
UPDATE settlements SET treatment_region = COALESCE((SELECT region_code FROM clients
  WHERE clients.client_id = settlements.institution_id), insured_region);
CREATE INDEX settlements_by_day_regions ON settlements(day, insured_region, treatment_region);

CREATE TABLE region_filings (
  filing_id         TEXT PRIMARY KEY,
  person_id         INTEGER NOT NULL REFERENCES persons(person_id),
  treatment_region  TEXT NOT NULL,
  from_day          TEXT NOT NULL,
  to_day            TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  created_at_ms     BIGINT NOT NULL
);
CREATE INDEX region_filings_by_person ON region_filings(person_id, treatment_region);
)sql";

// R-F1…R-F4: family accounts (亲情账户). A holder shows a member's code; the code row
// names the membership it was issued under, and the member's authentication history
// names who used it (`detail`: the holder, masked).
constexpr std::string_view kMigrationFamily = R"sql(
CREATE TABLE family_members (
  member_id         TEXT PRIMARY KEY,
  holder_person_id  INTEGER NOT NULL REFERENCES persons(person_id),
  person_id         INTEGER NOT NULL REFERENCES persons(person_id),
  relation          TEXT NOT NULL,
  consented         INTEGER NOT NULL,
  client_id         TEXT NOT NULL,
  created_at_ms     BIGINT NOT NULL,
  UNIQUE (holder_person_id, person_id)
);
CREATE INDEX family_members_by_person ON family_members(person_id);

ALTER TABLE qr_codes ADD COLUMN family_member_id TEXT;
ALTER TABLE auth_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
)sql";

// GET /v1/stats reads a range of days: issuances by when the binding was made, refusals
// from the audit log by time, without reading either table whole.
constexpr std::string_view kMigrationStats = R"sql(
CREATE INDEX bindings_by_created ON bindings(created_at_ms);
CREATE INDEX audit_log_by_time ON audit_log(at_ms);
CREATE INDEX family_members_by_created ON family_members(created_at_ms);
)sql";

// R-U2 without a write per issued code: a code carries its binding, signed, and only its
// use is stored, inside the consuming transaction (docs/architecture.md "QR codes").
// Rows go once the code has expired (delete_used_qr_tokens_expired); `person_id` is the
// shard key (docs/scale-out.md). qr_codes stays for servers of the previous version
// during a rolling upgrade; nothing reads it. A client may also choose whether its
// codes come with an image by default (existing clients keep the image).
constexpr std::string_view kMigrationStatelessQr = R"sql(
CREATE TABLE used_qr_tokens (
  token_id       TEXT PRIMARY KEY,
  person_id      INTEGER NOT NULL REFERENCES persons(person_id),
  expires_at_ms  BIGINT NOT NULL,
  used_at_ms     BIGINT NOT NULL,
  used_by        TEXT NOT NULL
);
CREATE INDEX used_qr_tokens_by_expiry ON used_qr_tokens(expires_at_ms);
ALTER TABLE clients ADD COLUMN qr_png INTEGER NOT NULL DEFAULT 1;
)sql";

// Outbox lanes: the lease of a claimed event, so that a channel's other events wait while
// one is being delivered (store/notification_repository.cpp).
constexpr std::string_view kMigrationOutboxLanes = R"sql(
ALTER TABLE outbox ADD COLUMN lease_until_ms BIGINT;
CREATE INDEX outbox_leased ON outbox(lease_until_ms) WHERE lease_until_ms IS NOT NULL;
)sql";

// Every person-owned table carries the person key, so that a sharded engine can keep each
// request's rows on one shard (docs/scale-out.md): bindings and e-card sessions had it
// only through their e-card.
constexpr std::string_view kMigrationPersonKeys = R"sql(
ALTER TABLE bindings ADD COLUMN person_id INTEGER NOT NULL DEFAULT 0;
UPDATE bindings SET person_id = (SELECT e.person_id FROM ecards e WHERE e.ecard_id = bindings.ecard_id);
CREATE INDEX bindings_by_person ON bindings(person_id);
ALTER TABLE ecard_sessions ADD COLUMN person_id INTEGER NOT NULL DEFAULT 0;
UPDATE ecard_sessions SET person_id = (SELECT b.person_id FROM bindings b WHERE b.binding_id = ecard_sessions.binding_id);
)sql";

// A mark per cached table that every write to it changes, so that a server may keep
// decoded rows in memory and know inside each request's own snapshot whether they are
// still the committed ones (ClientCache::find). A random value, not a counter: the
// mark of a rolled-back write is never committed by another.
constexpr std::string_view kMigrationGenerations = R"sql(
CREATE TABLE generations (
  name        TEXT PRIMARY KEY,
  generation  TEXT NOT NULL
);
)sql";

// A bank-paid settlement keeps the account it debited (sealed, like every account
// number), so that its refund credits that account even after the card was replaced or
// cancelled (POLICY.md "Refund"). Inbox messages carry an English title and the figures
// of the payment they announce, as JSON (R-U7).
constexpr std::string_view kMigrationPaymentNotices = R"sql(
ALTER TABLE settlements ADD COLUMN bank_account_sealed BLOB;
ALTER TABLE notifications ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';
)sql";

// The audit log becomes a Merkle tree (R-S6, store/audit_log.hpp): entries are appended
// unsequenced, with their salt and the cardholder they concern, and the sequencer gives
// them their index. The code that runs this migration verifies the hash chain of earlier
// versions (audit_log), adopts it as the first leaves and drops it. Records that are
// audited changes keep the entry that audits them (R-S8).
constexpr std::string_view kMigrationTransparencyLog = R"sql(
CREATE TABLE audit_entries (
  entry_id    INTEGER PRIMARY KEY,
  seq         INTEGER UNIQUE,
  at_ms       BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  salt        BLOB NOT NULL,
  chain_hash  BLOB,
  person_id   INTEGER
);
CREATE INDEX audit_entries_pending ON audit_entries(entry_id) WHERE seq IS NULL;
CREATE INDEX audit_entries_by_time ON audit_entries(at_ms);
CREATE TABLE audit_nodes (
  level  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  hash   BLOB NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE audit_checkpoints (
  size   BIGINT NOT NULL PRIMARY KEY,
  root   BLOB NOT NULL,
  at_ms  BIGINT NOT NULL,
  note   TEXT NOT NULL
);
CREATE TABLE audit_cosignatures (
  size     BIGINT NOT NULL,
  witness  TEXT NOT NULL,
  line     TEXT NOT NULL,
  at_ms    BIGINT NOT NULL,
  PRIMARY KEY (size, witness)
);
ALTER TABLE settlements ADD COLUMN audit_entry_id INTEGER;
ALTER TABLE settlements ADD COLUMN refund_audit_entry_id INTEGER;
ALTER TABLE contributions ADD COLUMN audit_entry_id INTEGER;
)sql";

// The insurance history (R-R1): one row per person, insurance, month and employer, as
// the HR and tax systems feed it; `person_id` first, as on every person-owned table
// (docs/scale-out.md), so one person's history is one range of the key. Amounts and the
// employer are not personal data; the person is known only by the key.
constexpr std::string_view kMigrationInsuranceRecords = R"sql(
CREATE TABLE insurance_records (
  person_id      INTEGER NOT NULL REFERENCES persons(person_id),
  insurance      TEXT NOT NULL,
  period         TEXT NOT NULL,
  employer_name  TEXT NOT NULL,
  base_fen       BIGINT NOT NULL,
  employer_fen   BIGINT NOT NULL,
  personal_fen   BIGINT NOT NULL,
  region_code    TEXT NOT NULL,
  added_at_ms    BIGINT NOT NULL,
  PRIMARY KEY (person_id, insurance, period, employer_name)
);
)sql";

// Risk control (SPEC §8). The items of each settlement, so that a region's quantity cap
// (R-K4) counts what one person bought across every institution in its window, refunds
// excluded; `quantity_over` is how many of the line's units the cap settled outside the
// catalogue, which the settlement's answer names again on a replay. The review cases
// the rules open (R-K6), for the auditors; `detail` holds no personal data.
constexpr std::string_view kMigrationRiskControl = R"sql(
CREATE TABLE settlement_items (
  settlement_id  TEXT NOT NULL REFERENCES settlements(settlement_id),
  line           INTEGER NOT NULL,
  person_id      INTEGER NOT NULL REFERENCES persons(person_id),
  code           TEXT NOT NULL,
  quantity       BIGINT NOT NULL,
  quantity_over  BIGINT NOT NULL,
  day            TEXT NOT NULL,
  PRIMARY KEY (settlement_id, line)
);
CREATE INDEX settlement_items_by_person ON settlement_items(person_id, code, day);
CREATE TABLE risk_cases (
  case_id        TEXT PRIMARY KEY,
  opened_at_ms   BIGINT NOT NULL,
  rule           TEXT NOT NULL,
  risk_id        TEXT,
  settlement_id  TEXT,
  person_id      INTEGER NOT NULL REFERENCES persons(person_id),
  detail         TEXT NOT NULL,
  status         TEXT NOT NULL,
  outcome        TEXT,
  note           TEXT,
  closed_at_ms   BIGINT,
  closed_by      TEXT
);
CREATE INDEX risk_cases_by_status ON risk_cases(status, opened_at_ms, case_id);
CREATE INDEX risk_cases_by_time ON risk_cases(opened_at_ms);
)sql";

// R-R3: the 参保证明 issued. `person_id` first in its index, as on every person-owned
// table; what a certificate certifies (the masked name and ID number, the summary per
// insurance, the verify code and address), from which its PDF renders again byte for
// byte, is sealed. The verify code is looked up by its blind index, never stored in
// clear. The PDF is not stored: its SHA-256 and the platform's signature over it are.
constexpr std::string_view kMigrationCertificates = R"sql(
CREATE TABLE certificates (
  certificate_id     TEXT PRIMARY KEY,
  person_id          INTEGER NOT NULL REFERENCES persons(person_id),
  verify_code_index  BLOB NOT NULL UNIQUE,
  period_from        TEXT NOT NULL,
  period_to          TEXT NOT NULL,
  issued_at_ms       BIGINT NOT NULL,
  expires_at_ms      BIGINT NOT NULL,
  document_sha256    TEXT NOT NULL,
  signature_kid      TEXT NOT NULL,
  signature          TEXT NOT NULL,
  content_sealed     BLOB NOT NULL,
  issued_by          TEXT NOT NULL,
  revoked_at_ms      BIGINT
);
CREATE INDEX certificates_by_person ON certificates(person_id, issued_at_ms);
)sql";

// R-K1…R-K3, R-K5: what opens the takeover window (a password reset, a first issuance in
// a new channel, a changed bank-reserved phone), the step-up decisions taken, and which
// decision a step-up verification answers. Person-keyed, read by person and time.
constexpr std::string_view kMigrationStepUp = R"sql(
CREATE TABLE risk_signals (
  person_id  INTEGER NOT NULL REFERENCES persons(person_id),
  at_ms      BIGINT NOT NULL,
  kind       TEXT NOT NULL
);
CREATE INDEX risk_signals_by_person ON risk_signals(person_id, at_ms);
CREATE TABLE risk_events (
  risk_id         TEXT PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES persons(person_id),
  client_id       TEXT NOT NULL,
  action          TEXT NOT NULL,
  decision        TEXT NOT NULL,
  rules           TEXT NOT NULL,
  figures         TEXT NOT NULL,
  status          TEXT NOT NULL,
  at_ms           BIGINT NOT NULL,
  resolved_at_ms  BIGINT
);
CREATE INDEX risk_events_by_person ON risk_events(person_id, at_ms);
CREATE INDEX risk_events_by_time ON risk_events(at_ms);
ALTER TABLE verifications ADD COLUMN risk_id TEXT;
)sql";

// R-S9: how far re-sealing under each PII vault key has come, per sealed table
// (store/pii_reseal_repository.hpp).
constexpr std::string_view kMigrationPiiReseal = R"sql(
CREATE TABLE pii_reseal_progress (
  key_id      TEXT NOT NULL,
  table_name  TEXT NOT NULL,
  after_key   TEXT,
  checked     INTEGER NOT NULL DEFAULT 0,
  resealed    INTEGER NOT NULL DEFAULT 0,
  unreadable  INTEGER NOT NULL DEFAULT 0,
  done        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, table_name)
);
)sql";

// R-K5: a use of the authentication history the cardholder answered "not me".
constexpr std::string_view kMigrationAuthNotMe = R"sql(
ALTER TABLE auth_events ADD COLUMN not_me_at_ms BIGINT;
)sql";

// R-K1: sessions counted per person and hour, as password resets and new channels are.
constexpr std::string_view kMigrationRiskRepeats = R"sql(
CREATE INDEX auth_events_by_person_kind ON auth_events(person_id, kind, at_ms);
)sql";

constexpr std::array<std::string_view, 26> kMigrations{kMigration1,
                                                       kMigration2,
                                                       kMigration3,
                                                       kMigration4,
                                                       kMigration5,
                                                       kMigration6,
                                                       kMigrationLoginThrottle,
                                                       kMigrationDailyChecks,
                                                       kMigrationClientQuotas,
                                                       kMigrationSharedNonces,
                                                       kMigrationRegions,
                                                       kMigrationFamily,
                                                       kMigrationStats,
                                                       kMigrationStatelessQr,
                                                       kMigrationOutboxLanes,
                                                       kMigrationPersonKeys,
                                                       kMigrationGenerations,
                                                       kMigrationPaymentNotices,
                                                       kMigrationTransparencyLog,
                                                       kMigrationInsuranceRecords,
                                                       kMigrationRiskControl,
                                                       kMigrationCertificates,
                                                       kMigrationStepUp,
                                                       kMigrationPiiReseal,
                                                       kMigrationAuthNotMe,
                                                       kMigrationRiskRepeats};

// PostgreSQL spells three things of the schema differently: a 64-bit integer (SQLite's
// INTEGER is 64-bit, PostgreSQL's 32-bit), an auto-assigned key (SQLite's INTEGER PRIMARY
// KEY is its rowid) and bytes. Everything else of the migrations is the same text.
std::string for_postgres(std::string_view sql) {
  std::string out(sql);
  const auto replace_all = [&](std::string_view from, std::string_view to) {
    for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  };
  replace_all("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  replace_all("INTEGER", "BIGINT");
  replace_all("BLOB", "BYTEA");
  return out;
}

// What PostgreSQL needs beyond the translated migration of the same version: the record
// lists and the latest card are ordered by SQLite's implicit rowid, which PostgreSQL
// tables have only when declared.
constexpr std::array<std::string_view, kMigrations.size()> kPostgresAdditions{
    "ALTER TABLE cards ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE;"
    "ALTER TABLE benefits ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE;",
    "",
    "ALTER TABLE settlements ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE;",
    "ALTER TABLE contributions ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE;",
    "",
    "",
    "",
    "",
    "",
    kPostgresSharedNonces,
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    ""};

void exec_schema(Connection& c, std::string_view sql) {
  c.exec(c.dialect() == Dialect::kPostgres ? for_postgres(sql) : std::string(sql));
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

// REQUIRES: apply_migrations() ran on this store once (it creates schema_migrations).
int current_schema_version(Connection& c) {
  static constexpr char kSql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
  return static_cast<int>(*c.prepare(kSql).first([](const Statement& s) { return s.int64(0); }));
}

int apply_migrations(Connection& c, std::int64_t now_ms) {
  const bool postgres = c.dialect() == Dialect::kPostgres;
  c.exec(postgres ? "BEGIN" : "BEGIN IMMEDIATE");
  try {
    // Servers starting together on one PostgreSQL migrate one after the other.
    if (postgres) c.exec("SELECT pg_advisory_xact_lock(7361)");
    exec_schema(c,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at_ms BIGINT NOT NULL)");
    const int from = current_schema_version(c);
    if (from > latest_schema_version()) {
      throw StoreError(StoreError::Kind::kOther, "the database schema (version " +
                                                     std::to_string(from) +
                                                     ") is newer than this essc (version " +
                                                     std::to_string(latest_schema_version()) + ")");
    }
    for (int v = from + 1; v <= latest_schema_version(); ++v) {
      const auto index = static_cast<std::size_t>(v - 1);
      exec_schema(c, kMigrations[index]);
      if (postgres) c.exec(kPostgresAdditions[index]);
      if (kMigrations[index] == kMigrationTransparencyLog) adopt_audit_chain(c);
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
