// What a cardholder can look up about themselves (R-U6, R-U7): contributions, the
// authentication history, and pages of every kind of record, newest first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct ContributionRecord {
  std::string contribution_id;
  std::int64_t person_id = 0;
  std::string binding_id;
  std::string insurance;
  std::string period;
  std::int64_t amount_fen = 0;
  std::int64_t at_ms = 0;
};

// Audited by the entry the transaction appended last (store/audit_log.hpp).
void insert_contribution(Connection& c, const ContributionRecord& r);
std::optional<ContributionRecord> find_contribution(Connection& c, std::int64_t person_id,
                                                    std::string_view insurance,
                                                    std::string_view period);

// `detail`: who acted for the person, when not the person (R-F4: the holder, masked).
void insert_auth_event(Connection& c, std::int64_t person_id, std::string_view client_id,
                       std::string_view kind, std::string_view outcome, std::int64_t at_ms,
                       std::string_view detail = {});

// One use in a person's authentication history, as "not me" (R-K5) reads it.
struct AuthEvent {
  std::int64_t event_id = 0;
  std::int64_t person_id = 0;
  std::string client_id;
  std::string kind;
  std::string outcome;
  std::int64_t at_ms = 0;
  bool answered_not_me = false;
};
std::optional<AuthEvent> find_auth_event(Connection& c, std::int64_t event_id);
// R-K5: the cardholder answered the use "not me" at `at_ms`.
void mark_auth_event_not_me(Connection& c, std::int64_t event_id, std::int64_t at_ms);

// When the person last opened an e-card session in this channel (R-E9's "last use").
std::optional<std::int64_t> last_session_at(Connection& c, std::int64_t person_id,
                                            std::string_view client_id);

// One record of any kind as a list shows it: a cursor position and its fields.
struct RecordRow {
  std::int64_t cursor = 0;
  std::int64_t at_ms = 0;
  std::vector<std::pair<std::string, std::string>> text;
  std::vector<std::pair<std::string, std::int64_t>> numbers;
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> optional_numbers;
};

// kind: settlements | contributions | benefits | account | auth. Rows with
// from_ms <= at < to_ms and cursor < before (0: from the newest), newest first.
std::vector<RecordRow> list_records(Connection& c, std::string_view kind, std::int64_t person_id,
                                    std::int64_t from_ms, std::int64_t to_ms, std::int64_t before,
                                    std::int64_t limit);

}  // namespace essc::store
