// Risk control's step-up decisions (R-K1…R-K3, R-K5) and what they read: the signals
// that open the takeover window and the cardholder's recent settlements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/risk.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_risk_signal(Connection& c, std::int64_t person_id, std::string_view kind,
                        std::int64_t at_ms);
std::optional<domain::RiskSignal> latest_risk_signal(Connection& c, std::int64_t person_id);
// The latest of any kind but `kind`.
std::optional<domain::RiskSignal> latest_risk_signal_but(Connection& c, std::int64_t person_id,
                                                         std::string_view kind);
// R-K1's repeat limits: the person's signals of one kind after a time, and the e-card
// sessions opened after a time.
std::int64_t risk_signals_after(Connection& c, std::int64_t person_id, std::string_view kind,
                                std::int64_t after_ms);
std::int64_t sessions_opened_after(Connection& c, std::int64_t person_id, std::int64_t after_ms);

void insert_risk_event(Connection& c, const domain::RiskEvent& e);
std::optional<domain::RiskEvent> find_risk_event(Connection& c, std::string_view risk_id);
// The person's decisions, newest first.
std::vector<domain::RiskEvent> risk_events_of_person(Connection& c, std::int64_t person_id,
                                                     std::int64_t limit);
// Moves a decision from `from` to `to`; false when it was not in `from`.
bool resolve_risk_event(Connection& c, std::string_view risk_id, domain::RiskEventStatus from,
                        domain::RiskEventStatus to, std::int64_t at_ms);
// When a step-up last cleared a decision that named `rule`.
std::optional<std::int64_t> last_step_up_passed(Connection& c, std::int64_t person_id,
                                                std::string_view rule);

// R-K3's figures: the person's settlements since a time, and the institutions of a day.
std::int64_t settlements_of_person_since(Connection& c, std::int64_t person_id,
                                         std::int64_t since_ms);
std::vector<std::string> institutions_of_person_on(Connection& c, std::int64_t person_id,
                                                   std::string_view day);
// The reads of the two above, sent ahead of them (Statement::send_ahead()).
void send_settlements_of_person_since_ahead(Connection& c, std::int64_t person_id,
                                            std::int64_t since_ms);
void send_institutions_of_person_on_ahead(Connection& c, std::int64_t person_id,
                                          std::string_view day);

}  // namespace essc::store
