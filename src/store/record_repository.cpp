#include "store/record_repository.hpp"

#include "store/audit_log.hpp"

namespace essc::store {
namespace {

#define ESSC_INSERT_AUDITED_BY(entry)                                                      \
  "INSERT INTO contributions (contribution_id, person_id, binding_id, insurance, period, " \
  "amount_fen, at_ms, audit_entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, " entry ")"
constexpr char kInsertContributionPostgres[] =
    ESSC_INSERT_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_POSTGRES);
constexpr char kInsertContributionSqlite[] = ESSC_INSERT_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_SQLITE);
#undef ESSC_INSERT_AUDITED_BY
constexpr char kFindContribution[] =
    "SELECT contribution_id, person_id, binding_id, insurance, period, amount_fen, at_ms FROM "
    "contributions "
    "WHERE person_id = ? AND insurance = ? AND period = ?";
constexpr char kInsertAuth[] =
    "INSERT INTO auth_events (person_id, client_id, kind, outcome, at_ms, detail) VALUES (?, ?, ?, "
    "?, ?, ?)";
constexpr char kFindAuth[] =
    "SELECT event_id, person_id, client_id, kind, outcome, at_ms, not_me_at_ms FROM auth_events "
    "WHERE event_id = ?";
constexpr char kMarkAuthNotMe[] = "UPDATE auth_events SET not_me_at_ms = ? WHERE event_id = ?";
constexpr char kLastSession[] =
    "SELECT MAX(at_ms) FROM auth_events WHERE person_id = ? AND client_id = ? AND kind = "
    "'session_open' AND "
    "outcome = 'ok'";

// Each list selects (cursor, at_ms, then its own columns) with the same four filters.
constexpr char kSettlements[] =
    "SELECT rowid, at_ms, settlement_id, order_id, visit, self_pay_method, CASE WHEN "
    "refunded_at_ms IS NULL THEN "
    "'settled' ELSE 'refunded' END, COALESCE((SELECT name FROM clients WHERE clients.client_id = "
    "settlements.institution_id), ''), total_fen, fund_fen, account_fen, self_pay_fen, "
    "(SELECT seq FROM audit_entries WHERE entry_id = settlements.audit_entry_id), "
    "(SELECT seq FROM audit_entries WHERE entry_id = settlements.refund_audit_entry_id) FROM "
    "settlements "
    "WHERE person_id = ? AND at_ms >= ? AND at_ms < ? AND (CAST(? AS BIGINT) = 0 OR rowid < ?) "
    "ORDER BY rowid DESC LIMIT ?";
constexpr char kContributions[] =
    "SELECT rowid, at_ms, contribution_id, insurance, period, amount_fen, "
    "(SELECT seq FROM audit_entries WHERE entry_id = contributions.audit_entry_id) FROM "
    "contributions "
    "WHERE person_id = ? AND at_ms >= ? AND at_ms < ? AND (CAST(? AS BIGINT) = 0 OR rowid < ?) "
    "ORDER BY rowid DESC LIMIT ?";
constexpr char kBenefits[] =
    "SELECT rowid, at_ms, benefit_id, kind, period, amount_fen FROM benefits "
    "WHERE person_id = ? AND at_ms >= ? AND at_ms < ? AND (CAST(? AS BIGINT) = 0 OR rowid < ?) "
    "ORDER BY rowid DESC LIMIT ?";
constexpr char kAccount[] =
    "SELECT movement_id, at_ms, kind, memo, amount_fen, balance_after_fen FROM account_movements "
    "WHERE person_id = ? AND at_ms >= ? AND at_ms < ? AND (CAST(? AS BIGINT) = 0 OR movement_id < "
    "?) ORDER BY movement_id DESC LIMIT ?";
constexpr char kAuth[] =
    "SELECT event_id, at_ms, kind, outcome, COALESCE((SELECT name FROM clients WHERE "
    "clients.client_id = auth_events.client_id), ''), detail, "
    "CASE WHEN not_me_at_ms IS NULL THEN 'recorded' ELSE 'not_me' END, event_id FROM auth_events "
    "WHERE person_id = ? AND at_ms >= ? AND at_ms < ? AND (CAST(? AS BIGINT) = 0 OR event_id < ?) "
    "ORDER BY event_id DESC LIMIT ?";

struct Shape {
  std::string_view kind;
  const char* sql;
  std::vector<std::string> text;     // names of the text columns after (cursor, at_ms)
  std::vector<std::string> numbers;  // then the integer columns
  std::vector<std::string> optional_numbers = {};  // then those that may be NULL
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all{
      {"settlements",
       kSettlements,
       {"settlement_id", "order_id", "visit", "self_pay_method", "status", "institution_name"},
       {"total_fen", "fund_fen", "account_fen", "self_pay_fen"},
       {"audit_index", "refund_audit_index"}},
      {"contributions",
       kContributions,
       {"contribution_id", "insurance", "period"},
       {"amount_fen"},
       {"audit_index"}},
      {"benefits", kBenefits, {"benefit_id", "kind", "period"}, {"amount_fen"}},
      {"account", kAccount, {"kind", "memo"}, {"amount_fen", "balance_after_fen"}},
      {"auth", kAuth, {"kind", "outcome", "channel_name", "detail", "status"}, {"event_id"}},
  };
  return all;
}

}  // namespace

void insert_contribution(Connection& c, const ContributionRecord& r) {
  c.prepare(c.dialect() == Dialect::kPostgres ? kInsertContributionPostgres
                                              : kInsertContributionSqlite)
      .bind_all(r.contribution_id, r.person_id, r.binding_id, r.insurance, r.period, r.amount_fen,
                r.at_ms)
      .run();
}

std::optional<ContributionRecord> find_contribution(Connection& c, std::int64_t person_id,
                                                    std::string_view insurance,
                                                    std::string_view period) {
  return c.prepare(kFindContribution)
      .bind_all(person_id, insurance, period)
      .first([](const Statement& s) {
        return ContributionRecord{s.text(0), s.int64(1), s.text(2), s.text(3),
                                  s.text(4), s.int64(5), s.int64(6)};
      });
}

void insert_auth_event(Connection& c, std::int64_t person_id, std::string_view client_id,
                       std::string_view kind, std::string_view outcome, std::int64_t at_ms,
                       std::string_view detail) {
  // An empty view may have no data pointer, which would bind NULL.
  c.prepare(kInsertAuth)
      .bind_all(person_id, client_id, kind, outcome, at_ms, std::string(detail))
      .run();
}

std::optional<AuthEvent> find_auth_event(Connection& c, std::int64_t event_id) {
  return c.prepare(kFindAuth).bind_all(event_id).first([](const Statement& s) {
    return AuthEvent{s.int64(0), s.int64(1), s.text(2),    s.text(3),
                     s.text(4),  s.int64(5), !s.is_null(6)};
  });
}

void mark_auth_event_not_me(Connection& c, std::int64_t event_id, std::int64_t at_ms) {
  c.prepare(kMarkAuthNotMe).bind_all(at_ms, event_id).run();
}

std::optional<std::int64_t> last_session_at(Connection& c, std::int64_t person_id,
                                            std::string_view client_id) {
  return c.prepare(kLastSession)
      .bind_all(person_id, client_id)
      .first([](const Statement& s) { return s.optional_int64(0); })
      .value_or(std::nullopt);
}

std::vector<RecordRow> list_records(Connection& c, std::string_view kind, std::int64_t person_id,
                                    std::int64_t from_ms, std::int64_t to_ms, std::int64_t before,
                                    std::int64_t limit) {
  std::vector<RecordRow> rows;
  for (const auto& shape : shapes()) {
    if (shape.kind != kind) continue;
    auto& s = c.prepare(shape.sql).bind_all(person_id, from_ms, to_ms, before, before, limit);
    while (s.step()) {
      RecordRow row{s.int64(0), s.int64(1), {}, {}, {}};
      int column = 2;
      for (const auto& name : shape.text) row.text.emplace_back(name, s.text(column++));
      for (const auto& name : shape.numbers) row.numbers.emplace_back(name, s.int64(column++));
      for (const auto& name : shape.optional_numbers)
        row.optional_numbers.emplace_back(name, s.optional_int64(column++));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace essc::store
