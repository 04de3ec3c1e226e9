#include "store/risk_event_repository.hpp"

namespace essc::store {
namespace {

#define ESSC_EVENT_COLUMNS \
  "risk_id, person_id, client_id, action, decision, rules, figures, status, at_ms, resolved_at_ms"

constexpr char kInsertSignal[] =
    "INSERT INTO risk_signals (person_id, at_ms, kind) VALUES (?, ?, ?)";
constexpr char kLatestSignal[] =
    "SELECT at_ms, kind FROM risk_signals WHERE person_id = ? ORDER BY at_ms DESC LIMIT 1";
constexpr char kLatestSignalBut[] =
    "SELECT at_ms, kind FROM risk_signals WHERE person_id = ? AND kind <> ? "
    "ORDER BY at_ms DESC LIMIT 1";
constexpr char kSignalsAfter[] =
    "SELECT COUNT(*) FROM risk_signals WHERE person_id = ? AND at_ms > ? AND kind = ?";
constexpr char kSessionsAfter[] =
    "SELECT COUNT(*) FROM auth_events WHERE person_id = ? AND kind = 'session_open' "
    "AND at_ms > ?";
constexpr char kInsert[] =
    "INSERT INTO risk_events (" ESSC_EVENT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kFind[] = "SELECT " ESSC_EVENT_COLUMNS " FROM risk_events WHERE risk_id = ?";
constexpr char kOfPerson[] = "SELECT " ESSC_EVENT_COLUMNS
                             " FROM risk_events WHERE person_id = ? ORDER BY at_ms DESC, "
                             "risk_id DESC LIMIT ?";
#undef ESSC_EVENT_COLUMNS
constexpr char kResolve[] =
    "UPDATE risk_events SET status = ?, resolved_at_ms = ? WHERE risk_id = ? AND status = ? "
    "RETURNING risk_id";
// Rules are stored comma-joined; the commas around both sides match whole ids only.
constexpr char kLastStepUp[] =
    "SELECT MAX(resolved_at_ms) FROM risk_events WHERE person_id = ? AND status = 'cleared' "
    "AND (',' || rules || ',') LIKE ?";
constexpr char kSettlementsSince[] =
    "SELECT COUNT(*) FROM settlements WHERE person_id = ? AND at_ms >= ?";
constexpr char kInstitutionsOn[] =
    "SELECT DISTINCT institution_id FROM settlements WHERE person_id = ? AND day = ?";

std::string joined(const std::vector<std::string>& rules) {
  std::string out;
  for (const auto& rule : rules) out += (out.empty() ? "" : ",") + rule;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < text.size()) {
    auto comma = text.find(',', from);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

domain::RiskEvent from_row(const Statement& s) {
  domain::RiskEvent e;
  e.risk_id = s.text(0);
  e.person_id = s.int64(1);
  e.client_id = s.text(2);
  e.action = s.text(3);
  e.decision = s.text(4);
  e.rules = split(s.text(5));
  e.figures = s.text(6);
  e.status = domain::parse_risk_event_status(s.text(7)).value_or(domain::RiskEventStatus::kOpen);
  e.at_ms = s.int64(8);
  e.resolved_at_ms = s.optional_int64(9);
  return e;
}

}  // namespace

void insert_risk_signal(Connection& c, std::int64_t person_id, std::string_view kind,
                        std::int64_t at_ms) {
  c.prepare(kInsertSignal).bind_all(person_id, at_ms, kind).run();
}

std::optional<domain::RiskSignal> latest_risk_signal(Connection& c, std::int64_t person_id) {
  return c.prepare(kLatestSignal).bind_all(person_id).first([](const Statement& s) {
    return domain::RiskSignal{s.int64(0), s.text(1)};
  });
}

std::optional<domain::RiskSignal> latest_risk_signal_but(Connection& c, std::int64_t person_id,
                                                         std::string_view kind) {
  return c.prepare(kLatestSignalBut).bind_all(person_id, kind).first([](const Statement& s) {
    return domain::RiskSignal{s.int64(0), s.text(1)};
  });
}

std::int64_t risk_signals_after(Connection& c, std::int64_t person_id, std::string_view kind,
                                std::int64_t after_ms) {
  return *c.prepare(kSignalsAfter)
              .bind_all(person_id, after_ms, kind)
              .first([](const Statement& s) { return s.int64(0); });
}

std::int64_t sessions_opened_after(Connection& c, std::int64_t person_id, std::int64_t after_ms) {
  return *c.prepare(kSessionsAfter).bind_all(person_id, after_ms).first([](const Statement& s) {
    return s.int64(0);
  });
}

void insert_risk_event(Connection& c, const domain::RiskEvent& e) {
  c.prepare(kInsert)
      .bind_all(e.risk_id, e.person_id, e.client_id, e.action, e.decision, joined(e.rules),
                e.figures, domain::to_string(e.status), e.at_ms, e.resolved_at_ms)
      .run();
}

std::optional<domain::RiskEvent> find_risk_event(Connection& c, std::string_view risk_id) {
  return c.prepare(kFind).bind_all(risk_id).first(from_row);
}

std::vector<domain::RiskEvent> risk_events_of_person(Connection& c, std::int64_t person_id,
                                                     std::int64_t limit) {
  auto& s = c.prepare(kOfPerson).bind_all(person_id, limit);
  std::vector<domain::RiskEvent> out;
  while (s.step()) out.push_back(from_row(s));
  return out;
}

bool resolve_risk_event(Connection& c, std::string_view risk_id, domain::RiskEventStatus from,
                        domain::RiskEventStatus to, std::int64_t at_ms) {
  return c.prepare(kResolve)
      .bind_all(domain::to_string(to), at_ms, risk_id, domain::to_string(from))
      .first([](const Statement&) { return true; })
      .has_value();
}

std::optional<std::int64_t> last_step_up_passed(Connection& c, std::int64_t person_id,
                                                std::string_view rule) {
  return c.prepare(kLastStepUp)
      .bind_all(person_id, "%," + std::string(rule) + ",%")
      .first([](const Statement& s) { return s.optional_int64(0); })
      .value_or(std::nullopt);
}

namespace {

Statement& settlements_since(Connection& c, std::int64_t person_id, std::int64_t since_ms) {
  return c.prepare(kSettlementsSince).bind_all(person_id, since_ms);
}

Statement& institutions_on(Connection& c, std::int64_t person_id, std::string_view day) {
  return c.prepare(kInstitutionsOn).bind_all(person_id, day);
}

}  // namespace

std::int64_t settlements_of_person_since(Connection& c, std::int64_t person_id,
                                         std::int64_t since_ms) {
  return settlements_since(c, person_id, since_ms)
      .first([](const Statement& s) { return s.int64(0); })
      .value_or(0);
}

std::vector<std::string> institutions_of_person_on(Connection& c, std::int64_t person_id,
                                                   std::string_view day) {
  auto& s = institutions_on(c, person_id, day);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void send_settlements_of_person_since_ahead(Connection& c, std::int64_t person_id,
                                            std::int64_t since_ms) {
  settlements_since(c, person_id, since_ms).send_ahead();
}

void send_institutions_of_person_on_ahead(Connection& c, std::int64_t person_id,
                                          std::string_view day) {
  institutions_on(c, person_id, day).send_ahead();
}

}  // namespace essc::store
