#include "services/usage.hpp"

#include "common/assert.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "services/audit.hpp"
#include "services/family.hpp"
#include "services/risk_control.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/family_repository.hpp"
#include "store/record_repository.hpp"
#include "store/usage_repository.hpp"

namespace essc::services {

Status require_usable(const domain::Binding& binding) {
  return binding_serves(binding, BindingUse::kUse);
}

Result<EcardSession> UsageService::open_session(const domain::Client& client,
                                                std::string_view binding_id,
                                                std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, ecards_.owned_binding(client, binding_id, BindingUse::kRead));
  ESSC_ASSIGN_OR_RETURN(const auto checked,
                        ecards_.check_password(view.binding.ecard_id, password, client));
  const auto now = ctx_.clock.now_ms();
  EcardSession session{crypto::random_token(32), now + limits::kEcardSessionMs};
  const auto token_hash = crypto::sha256(session.token);
  const auto thresholds = risk_thresholds(policies_, view.person.region_code);
  RiskGate risk(ctx_.db, notifier_);
  return risk.settle(ctx_.db.write<EcardSession>([&](store::Connection& c) -> Result<EcardSession> {
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
    store::append_audit(c, now, "client:" + client.client_id, "ecard.session_open",
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
  const auto now = ctx_.clock.now_ms();
  const auto session = ctx_.db.read([&](store::Connection& c) {
    return store::find_ecard_session(c, crypto::sha256(session_token));
  });
  if (!session || session->expires_at_ms <= now || session->binding_id != binding_id ||
      session->client_id != client.client_id) {
    return Error(ErrorCode::kSessionInvalid);
  }
  return ecards_.owned_binding(client, binding_id, use);
}

Result<QrIssued> UsageService::issue_qr(const BindingView& holder, std::string_view purpose,
                                        crypto::QrFormat format) {
  if (purpose == "payment") ESSC_TRY(within_risk_rules(holder));
  return issue_code(ctx_, holder, purpose, std::nullopt, format);
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
                              ctx_.clock.now_ms(),
                              true};
  const auto decision =
      ctx_.db.read([&](store::Connection& c) { return risk_decision(c, question, policy->risk); });
  if (decision) return record_decision(ctx_.db, notifier_, *decision);
  return {};
}

namespace {

// The key of the codes' references, drawn from the blind-index key: one more secret of
// the vault, no new key to deploy, and a leak of a reference key exposes no field.
std::string reference_key(const Context& ctx) {
  return ctx.vault.blind_index("qr_reference", "v1");
}

// What a code stands for, in its enciphered `ref`: the binding, then the membership.
struct CodeReference {
  std::string binding_id;
  std::optional<std::string> family_member_id;
};

// The ESSC1 form: the ids as text, a newline between them.
std::string reference_text(const CodeReference& r) {
  return r.family_member_id ? r.binding_id + "\n" + *r.family_member_id : r.binding_id;
}

CodeReference read_reference_text(std::string text) {
  CodeReference r;
  const auto newline = text.find('\n');
  if (newline != std::string::npos) {
    if (newline + 1 < text.size()) r.family_member_id = text.substr(newline + 1);
    text.resize(newline);
  }
  r.binding_id = std::move(text);
  return r;
}

// The random bytes of an id of the platform's shape (`prefix` and their base64url).
std::optional<std::string> id_bytes(std::string_view id, std::string_view prefix,
                                    std::size_t bytes) {
  if (!id.starts_with(prefix)) return std::nullopt;
  auto raw = crypto::from_base64url(id.substr(prefix.size()));
  if (!raw || raw->size() != bytes) return std::nullopt;
  return raw;
}

constexpr std::size_t kPackedBindingBytes = kBindingIdRandomBytes;
constexpr std::size_t kPackedMemberBytes = kBindingIdRandomBytes + kFamilyMemberIdRandomBytes;

// The compact form: the binding id's random bytes, then the membership's, so that a
// member's code stays a version-7 symbol. The length says which: 18 or 30 bytes are
// packed ids; any other length is the text form, kept for an id of another shape (a
// text of 18 or 30 bytes gets a newline more, which reading it takes off).
std::string reference_compact(const CodeReference& r) {
  const auto binding = id_bytes(r.binding_id, kBindingIdPrefix, kBindingIdRandomBytes);
  const auto member = r.family_member_id ? id_bytes(*r.family_member_id, kFamilyMemberIdPrefix,
                                                    kFamilyMemberIdRandomBytes)
                                         : std::nullopt;
  if (binding && (!r.family_member_id || member)) return *binding + member.value_or("");
  auto text = reference_text(r);
  if (text.size() == kPackedBindingBytes || text.size() == kPackedMemberBytes) text += '\n';
  return text;
}

CodeReference read_reference_compact(std::string bytes) {
  if (bytes.size() != kPackedBindingBytes && bytes.size() != kPackedMemberBytes) {
    const bool padded =
        bytes.size() == kPackedBindingBytes + 1 || bytes.size() == kPackedMemberBytes + 1;
    if (padded && bytes.back() == '\n') bytes.pop_back();
    return read_reference_text(std::move(bytes));
  }
  const std::string_view packed(bytes);
  CodeReference r{
      std::string(kBindingIdPrefix) + crypto::to_base64url(packed.substr(0, kBindingIdRandomBytes)),
      std::nullopt};
  if (bytes.size() == kPackedMemberBytes)
    r.family_member_id = std::string(kFamilyMemberIdPrefix) +
                         crypto::to_base64url(packed.substr(kBindingIdRandomBytes));
  return r;
}

std::string seal_reference(const Context& ctx, const std::string& token_id, const CodeReference& r,
                           crypto::QrFormat format) {
  return crypto::qr_reference_cipher(
      reference_key(ctx), token_id,
      format == crypto::QrFormat::kCompact ? reference_compact(r) : reference_text(r));
}

// R-U2: the use of the code, durable with the consuming change; QR_USED the second time.
Status use_once(store::Connection& c, const crypto::QrClaims& claims, std::int64_t person_id,
                std::string_view used_by, std::int64_t now_ms) {
  const store::UsedQrToken used{claims.token_id, person_id, claims.expires_at_s * 1000, now_ms,
                                std::string(used_by)};
  if (!store::use_qr_token(c, used)) return Error(ErrorCode::kQrUsed);
  return {};
}

}  // namespace

// Nothing is written: the code carries its binding (enciphered) under the signature, and
// the only state of a code, its use, begins when it is consumed.
Result<QrIssued> issue_code(Context& ctx, const BindingView& holder, std::string_view purpose,
                            std::optional<std::string> family_member_id, crypto::QrFormat format) {
  if (purpose != "identity" && purpose != "payment") return Error::invalid_field("purpose");
  const auto now = ctx.clock.now_ms();
  const auto now_s = now / 1000;
  const bool compact = format == crypto::QrFormat::kCompact;
  crypto::QrClaims claims;
  claims.token_id = crypto::random_token(compact ? crypto::kQrCompactTokenIdBytes : 16);
  // A pseudonym of the binding for this code alone: keyed by the code's own id, so two
  // codes of one cardholder share nothing an institution could link visits by. The
  // compact form leaves it out: its token id is as unlinkable.
  if (!compact)
    claims.subject = crypto::to_base64url(
        ctx.vault.blind_index("qr_subject", holder.binding.binding_id + "\n" + claims.token_id)
            .substr(0, 16));
  claims.purpose = std::string(purpose);
  claims.issued_at_s = now_s;
  claims.expires_at_s = now_s + limits::kQrTtlSeconds;
  claims.reference = seal_reference(
      ctx, claims.token_id, {holder.binding.binding_id, std::move(family_member_id)}, format);
  return QrIssued{ctx.qr.sign(claims, format), claims.expires_at_s * 1000,
                  limits::kQrRefreshAfterSeconds};
}

CheckedCode check_scanned_code(const Context& ctx, std::string_view qr_token) {
  CheckedCode checked{ctx.qr.verify(qr_token), {}, std::nullopt};
  if (!checked.claims) return checked;
  const auto& claims = *checked.claims;
  auto bytes = crypto::qr_reference_cipher(reference_key(ctx), claims.token_id, claims.reference);
  auto reference = qr_token.starts_with(crypto::kQrCompactPrefix)
                       ? read_reference_compact(std::move(bytes))
                       : read_reference_text(std::move(bytes));
  checked.binding_id = std::move(reference.binding_id);
  checked.family_member_id = std::move(reference.family_member_id);
  return checked;
}

// The state a code's use depends on is read here, in the consuming transaction: the
// binding's status (a loss report suspends it), the membership and the member's card.
// The job may run more than once: it copies from `code`, never moves out of it.
Result<ScannedCode> consume_scanned_code(store::Connection& c, Context& ctx,
                                         const CheckedCode& code, std::string_view purpose,
                                         std::string_view used_by, std::int64_t now_ms) {
  if (!code.claims) return code.claims.error();
  const auto& claims = *code.claims;
  if (claims.purpose != purpose) return Error(ErrorCode::kQrPurposeMismatch);
  if (now_ms >= claims.expires_at_s * 1000) return Error(ErrorCode::kQrExpired);
  auto holder = find_binding_view(c, ctx.vault, code.binding_id);
  // Signed by us, so only a binding deleted since (none is) or a key mix-up lands here.
  if (!holder) return Error(ErrorCode::kQrInvalid, "signed for no binding");
  if (code.family_member_id) {
    const auto m = store::find_family_member(c, *code.family_member_id);
    if (!m) return Error(ErrorCode::kQrInvalid, "the membership was removed");
    ESSC_TRY(use_once(c, claims, m->person_id, used_by, now_ms));
    ESSC_ASSIGN_OR_RETURN(auto member, family_scan(c, ctx, holder->binding, *m, used_by, now_ms));
    return ScannedCode{claims, std::move(member), code.family_member_id};
  }
  ESSC_TRY(use_once(c, claims, holder->person.person_id, used_by, now_ms));
  ESSC_TRY(require_usable(holder->binding));
  return ScannedCode{claims, std::move(*holder), std::nullopt};
}

void send_scanned_holder_ahead(store::Connection& c, const CheckedCode& code) {
  if (code.claims) send_binding_view_ahead(c, code.binding_id);
}

Result<IdentityCheck> UsageService::verify_identity(const domain::Client& institution,
                                                    std::string_view qr_token) {
  const auto now = ctx_.clock.now_ms();
  const std::string actor = "client:" + institution.client_id;
  const auto scanned_code = check_scanned_code(ctx_, qr_token);
  auto checked = ctx_.db.write<IdentityCheck>([&](store::Connection& c) -> Result<IdentityCheck> {
    ESSC_ASSIGN_OR_RETURN(auto scanned, consume_scanned_code(c, ctx_, scanned_code, "identity",
                                                             institution.client_id, now));
    const auto& h = scanned.holder;
    store::append_audit(c, now, actor, "identity.verify", scanned.claims.token_id, "ok");
    // R-F3: a member's code stands for the member at level 1 (identity and settlement; a
    // bank payment needs the member's own e-card), whatever level the holder's binding has.
    const auto level = scanned.family_member_id ? domain::kLevelIdentity : h.binding.level;
    return IdentityCheck{mask_name(h.person.name), mask_id_number(h.person.id_number),
                         h.card.status, level, h.card.region_code};
  });
  if (!checked) audit_refusal(ctx_.db, actor, "identity.verify", "-", checked.error().code, now);
  return checked;
}

}  // namespace essc::services
