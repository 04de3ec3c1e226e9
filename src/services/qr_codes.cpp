#include "services/qr_codes.hpp"

#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "services/family.hpp"
#include "store/family_repository.hpp"
#include "store/usage_repository.hpp"

namespace essc::services {

Status require_usable(const domain::Binding& binding) {
  return binding_serves(binding, BindingUse::kUse);
}

namespace {

// The key of the codes' references, drawn from the blind-index key: one more secret of
// the vault, no new key to deploy, and a leak of a reference key exposes no field.
std::string reference_key(const crypto::PiiVault& vault) {
  return vault.blind_index("qr_reference", "v1");
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

std::string seal_reference(const crypto::PiiVault& vault, const std::string& token_id,
                           const CodeReference& r, crypto::QrFormat format) {
  return crypto::qr_reference_cipher(
      reference_key(vault), token_id,
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
Result<QrIssued> QrCodes::issue(const BindingView& holder, std::string_view purpose,
                                std::optional<std::string> family_member_id,
                                crypto::QrFormat format) const {
  if (purpose != "identity" && purpose != "payment") return Error::invalid_field("purpose");
  const auto now = clock_.now_ms();
  const auto now_s = now / 1000;
  const bool compact = format == crypto::QrFormat::kCompact;
  crypto::QrClaims claims;
  claims.token_id = crypto::random_token(compact ? crypto::kQrCompactTokenIdBytes : 16);
  // A pseudonym of the binding for this code alone: keyed by the code's own id, so two
  // codes of one cardholder share nothing an institution could link visits by. The
  // compact form leaves it out: its token id is as unlinkable.
  if (!compact)
    claims.subject = crypto::to_base64url(
        vault_.blind_index("qr_subject", holder.binding.binding_id + "\n" + claims.token_id)
            .substr(0, 16));
  claims.purpose = std::string(purpose);
  claims.issued_at_s = now_s;
  claims.expires_at_s = now_s + limits::kQrTtlSeconds;
  claims.reference = seal_reference(
      vault_, claims.token_id, {holder.binding.binding_id, std::move(family_member_id)}, format);
  return QrIssued{qr_.sign(claims, format), claims.expires_at_s * 1000,
                  limits::kQrRefreshAfterSeconds};
}

CheckedCode QrCodes::check(std::string_view qr_token) const {
  CheckedCode checked{qr_.verify(qr_token), {}, std::nullopt};
  if (!checked.claims) return checked;
  const auto& claims = *checked.claims;
  auto bytes =
      crypto::qr_reference_cipher(reference_key(vault_), claims.token_id, claims.reference);
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
Result<ScannedCode> QrCodes::consume(store::Connection& c, const CheckedCode& code,
                                     std::string_view purpose, std::string_view used_by,
                                     std::int64_t now_ms) const {
  if (!code.claims) return code.claims.error();
  const auto& claims = *code.claims;
  if (claims.purpose != purpose) return Error(ErrorCode::kQrPurposeMismatch);
  if (now_ms >= claims.expires_at_s * 1000) return Error(ErrorCode::kQrExpired);
  auto holder = find_binding_view(c, vault_, code.binding_id);
  // Signed by us, so only a binding deleted since (none is) or a key mix-up lands here.
  if (!holder) return Error(ErrorCode::kQrInvalid, "signed for no binding");
  if (code.family_member_id) {
    const auto m = store::find_family_member(c, *code.family_member_id);
    if (!m) return Error(ErrorCode::kQrInvalid, "the membership was removed");
    ESSC_TRY(use_once(c, claims, m->person_id, used_by, now_ms));
    ESSC_ASSIGN_OR_RETURN(auto member,
                          family_scan(c, vault_, clients_, holder->binding, *m, used_by, now_ms));
    return ScannedCode{claims, std::move(member), code.family_member_id};
  }
  ESSC_TRY(use_once(c, claims, holder->person.person_id, used_by, now_ms));
  ESSC_TRY(require_usable(holder->binding));
  return ScannedCode{claims, std::move(*holder), std::nullopt};
}

void send_scanned_holder_ahead(store::Connection& c, const CheckedCode& code) {
  if (code.claims) send_binding_view_ahead(c, code.binding_id);
}

}  // namespace essc::services
