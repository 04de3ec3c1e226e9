#include "services/usage.hpp"

#include "common/assert.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "services/audit.hpp"
#include "services/risk_control.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/record_repository.hpp"
#include "store/usage_repository.hpp"

namespace essc::services {

Result<EcardSession> UsageService::open_session(const domain::Client& client,
                                                std::string_view binding_id,
                                                std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, ecards_.owned_binding(client, binding_id, BindingUse::kRead));
  ESSC_ASSIGN_OR_RETURN(const auto checked,
                        ecards_.check_password(view.binding.ecard_id, password, client));
  const auto now = clock_.now_ms();
  EcardSession session{crypto::random_token(32), now + limits::kEcardSessionMs};
  const auto token_hash = crypto::sha256(session.token);
  const auto thresholds = risk_thresholds(policies_, view.person.region_code);
  RiskGate risk(db_, notifier_);
  return risk.settle(db_.write<EcardSession>([&](store::Connection& c) -> Result<EcardSession> {
    // R-W3: a change or reset that committed after the check ended every session; one
    // opened with the old password must not begin after it.
    const auto ecard = store::find_ecard(c, checked.ecard_id);
    if (!ecard || ecard->password_hash != checked.password_hash)
      return Error(ErrorCode::kPasswordIncorrect);
    const auto binding = store::find_binding(c, view.binding.binding_id);
    ESSC_INVARIANT(binding.has_value());  // read before the write; bindings are never deleted
    ESSC_TRY(binding_serves(*binding, BindingUse::kRead));
    ESSC_TRY(risk.check(c,
                        RiskQuestion::on_account(view.person.person_id, view.binding.ecard_id,
                                                 client.client_id, domain::kActionSession, now),
                        thresholds));
    store::delete_expired_ecard_sessions(c, now);
    store::delete_used_qr_tokens_expired(c, now - limits::kQrUsedTokenKeptAfterExpiryMs);
    store::insert_ecard_session(
        c, token_hash,
        {view.binding.binding_id, client.client_id, session.expires_at_ms, view.person.person_id});
    store::append_audit(c, now, client_audit_name(client.client_id), "ecard.session_open",
                        view.binding.binding_id, "ok");
    store::insert_auth_event(c, view.person.person_id, client.client_id, "session_open", "ok", now);
    return session;
  }));
}

Result<BindingView> UsageService::authenticate_session(const domain::Client& client,
                                                       std::string_view binding_id,
                                                       std::string_view session_token,
                                                       BindingUse use) {
  if (session_token.empty() || session_token.size() > limits::kSessionTokenCharsMax)
    return Error(ErrorCode::kSessionInvalid);
  const auto now = clock_.now_ms();
  const auto token_hash = crypto::sha256(session_token);
  return db_.read([&](store::Connection& c) -> Result<BindingView> {
    // Neither read needs the other's answer: on PostgreSQL they share one round trip.
    send_binding_view_ahead(c, binding_id);
    const auto session = store::find_ecard_session(c, token_hash);
    if (!session || session->expires_at_ms <= now || session->binding_id != binding_id ||
        session->client_id != client.client_id) {
      return Error(ErrorCode::kSessionInvalid);
    }
    return ecards_.owned_binding(c, client, binding_id, use);
  });
}

Result<QrIssued> UsageService::issue_qr(const BindingView& holder, std::string_view purpose,
                                        crypto::QrFormat format) {
  if (purpose == "payment") ESSC_TRY(within_risk_rules(holder));
  return codes_.issue(holder, purpose, std::nullopt, format);
}

Status UsageService::within_risk_rules(const BindingView& holder) {
  const auto policy = policies_.find(holder.person.region_code);
  if (!policy) return {};  // REGION_NOT_COVERED comes at the till
  const RiskQuestion question{holder.person.person_id,
                              holder.binding.ecard_id,
                              holder.binding.client_id,
                              domain::kActionPaymentCode,
                              0,
                              false,
                              clock_.now_ms(),
                              true};
  const auto decision =
      db_.read([&](store::Connection& c) { return risk_decision(c, question, policy->risk); });
  if (decision) return record_decision(db_, notifier_, *decision);
  return {};
}

Result<IdentityCheck> UsageService::verify_identity(const domain::Client& institution,
                                                    std::string_view qr_token) {
  const auto now = clock_.now_ms();
  const std::string actor = client_audit_name(institution.client_id);
  const auto scanned_code = codes_.check(qr_token);
  auto checked = db_.write<IdentityCheck>([&](store::Connection& c) -> Result<IdentityCheck> {
    ESSC_ASSIGN_OR_RETURN(auto scanned,
                          codes_.consume(c, scanned_code, "identity", institution.client_id, now));
    const auto& h = scanned.holder;
    store::append_audit(c, now, actor, "identity.verify", scanned.claims.token_id, "ok");
    // R-F3: a member's code stands for the member at level 1 (identity and settlement; a
    // bank payment needs the member's own e-card), whatever level the holder's binding has.
    const auto level = scanned.family_member_id ? domain::kLevelIdentity : h.binding.level;
    return IdentityCheck{mask_name(h.person.name), mask_id_number(h.person.id_number),
                         h.card.status, level, h.card.region_code};
  });
  if (!checked) audit_refusal(db_, actor, "identity.verify", "-", checked.error().code, now);
  return checked;
}

}  // namespace essc::services
