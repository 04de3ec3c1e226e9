// Self-service queries (R-U7): the personal account and pages of the cardholder's
// settlements, contributions, benefits, account movements and authentication history.
// Any binding of the channel may read them, whatever its level (R-E3: query is level 1).
#pragma once

#include <vector>

#include "common/clock.hpp"
#include "domain/client.hpp"
#include "services/ecards.hpp"
#include "store/database.hpp"
#include "store/record_repository.hpp"

namespace essc::services {

struct AccountSummary {
  std::int64_t balance_fen = 0;
  std::int64_t year = 0;
  std::int64_t fund_paid_fen = 0;
  std::int64_t deductible_used_fen = 0;
};

struct RecordQuery {
  std::string kind;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = INT64_MAX;
  std::int64_t before = 0;  // the cursor
  std::int64_t limit = 50;
};

struct RecordPage {
  std::vector<store::RecordRow> items;
  std::optional<std::int64_t> next_before;
};

class RecordService {
 public:
  RecordService(const Clock& clock, store::Database& db, EcardService& ecards)
      : clock_(clock), db_(db), ecards_(ecards) {}
  Result<AccountSummary> account(const domain::Client& client, std::string_view binding_id);
  Result<RecordPage> list(const domain::Client& client, std::string_view binding_id,
                          const RecordQuery& query);
  // The same page for a person the caller has already authorised (a family member, R-F3).
  RecordPage list_of_person(std::int64_t person_id, const RecordQuery& query);

 private:
  const Clock& clock_;
  store::Database& db_;
  EcardService& ecards_;
};

}  // namespace essc::services
