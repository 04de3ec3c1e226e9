#include "services/family.hpp"

#include <cstdio>

#include "common/assert.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "domain/id_number.hpp"
#include "domain/notification.hpp"
#include "domain/person_name.hpp"
#include "services/risk_control.hpp"
#include "services/verifications.hpp"
#include "store/audit_log.hpp"
#include "store/person_repository.hpp"
#include "store/record_repository.hpp"

namespace essc::services {
namespace {

bool known_relation(std::string_view r) {
  return r == "spouse" || r == "child" || r == "parent" || r == "other";
}

void tell_family(store::Connection& c, std::int64_t person_id, std::string type,
                 std::string body_zh, std::string body_en, std::int64_t now_ms) {
  domain::Notification note;
  note.person_id = person_id;
  note.type = std::move(type);
  note.title_zh = "亲情账户";
  note.title_en = "Family account";
  note.body_zh = std::move(body_zh);
  note.body_en = std::move(body_en);
  tell(c, std::move(note), now_ms);
}

std::string channel_name(store::Connection& c, const store::ClientCache& clients,
                         std::string_view client_id) {
  const auto client = clients.find(c, client_id);
  return client ? client->name : std::string(client_id);
}

// Both sides hear of a membership added or ended (R-F4).
void tell_both(store::Connection& c, const store::ClientCache& clients,
               const domain::Person& holder, const domain::Person& member, bool added,
               std::string_view client_id, std::int64_t now) {
  const auto channel = channel_name(c, clients, client_id);
  const std::string type = added ? "family.added" : "family.removed";
  if (added) {
    tell_family(
        c, holder.person_id, type,
        "您已在" + channel + "添加亲情账户成员" + mask_name(member.name) + "。",
        "You added " + mask_name(member.name) + " to your family account in " + channel + ".", now);
    tell_family(c, member.person_id, type,
                mask_name(holder.name) + "已在" + channel +
                    "将您添加为亲情账户成员，可代您出示电子社保卡二维码。",
                mask_name(holder.name) + " added you to their family account in " + channel +
                    " and may show your e-card code for you.",
                now);
  } else {
    tell_family(c, holder.person_id, type, "亲情账户成员" + mask_name(member.name) + "已解除。",
                mask_name(member.name) + " is no longer in your family account.", now);
    tell_family(c, member.person_id, type, mask_name(holder.name) + "的亲情账户已不再包含您。",
                "You are no longer in " + mask_name(holder.name) + "'s family account.", now);
  }
}

}  // namespace

int age_on(std::string_view id_number, std::int64_t now_ms) {
  auto id = domain::IdNumber::parse(id_number);
  if (!id) return 0;
  const auto today = format_cst_date(now_ms);  // YYYY-MM-DD
  int year = 0, month = 0, day = 0;
  if (std::sscanf(today.c_str(), "%d-%d-%d", &year, &month, &day) != 3) return 0;
  const bool before_birthday =
      month < id->birth_month() || (month == id->birth_month() && day < id->birth_day());
  return year - id->birth_year() - (before_birthday ? 1 : 0);
}

Result<domain::Person> FamilyService::member_person(store::Connection& c, const BindingView& holder,
                                                    const NewMember& r) const {
  ESSC_ASSIGN_OR_RETURN(auto id, domain::IdNumber::parse(r.id_number));
  ESSC_ASSIGN_OR_RETURN(auto name, domain::parse_person_name(r.name));
  auto person = store::find_person_by_id_number(c, vault_, id.str());
  // As at issuance (R-E5): an unknown ID number and a wrong name answer alike.
  if (!person || person->name != name) return Error(ErrorCode::kNameIdMismatch);
  if (person->person_id == holder.person.person_id)
    return Error::invalid_field("id_number", "the holder themself");
  ESSC_TRY(usable_card(c, vault_, person->person_id));  // R-F1, refused as R-E5 would
  if (store::find_family_pair(c, holder.person.person_id, person->person_id))
    return Error(ErrorCode::kConflict);
  if (store::members_of_holder(c, holder.person.person_id).size() >=
          limits::kFamilyMembersPerHolderMax ||
      store::holders_of_member(c, person->person_id).size() >= limits::kFamilyHoldersPerMemberMax) {
    return Error(ErrorCode::kFamilyLimit);
  }
  return std::move(*person);
}

Result<MemberView> FamilyService::add(const domain::Client& client, const BindingView& holder,
                                      const NewMember& request) {
  if (!known_relation(request.relation)) return Error::invalid_field("relation");
  const auto now = clock_.now_ms();
  const auto thresholds = risk_thresholds(policies_, holder.person.region_code);
  RiskGate risk(db_, notifier_);
  return risk.settle(db_.write<MemberView>([&](store::Connection& c) -> Result<MemberView> {
    ESSC_ASSIGN_OR_RETURN(auto member, member_person(c, holder, request));
    // R-K2: a member added soon after a changed credential would spend the member's account.
    ESSC_TRY(risk.check(c,
                        RiskQuestion::on_account(holder.person.person_id, holder.binding.ecard_id,
                                                 client.client_id, domain::kActionFamilyAdd, now),
                        thresholds));
    const bool needs_consent = age_on(member.id_number, now) >= limits::kFamilyConsentAge;
    if (needs_consent) {
      if (!request.verification_id) return Error(ErrorCode::kFamilyConsentRequired);
      ESSC_ASSIGN_OR_RETURN(
          auto v,
          consume_verification(c, client.client_id, *request.verification_id,
                               domain::VerificationPurpose::kFamilyConsent, std::nullopt, now));
      if (v.person_id != member.person_id)
        return Error::invalid_field("verification_id", "another person's");
    }
    store::FamilyMemberRecord record{
        std::string(kFamilyMemberIdPrefix) + crypto::random_token(kFamilyMemberIdRandomBytes),
        holder.person.person_id,
        member.person_id,
        request.relation,
        needs_consent,
        client.client_id,
        now};
    store::insert_family_member(c, record);
    tell_both(c, clients_, holder.person, member, true, client.client_id, now);
    store::append_audit(c, now, client_audit_name(client.client_id), "family.add", record.member_id,
                        "ok");
    auto id = channel_id_of(client.client_id, record.member_id, Side::kHolder);
    return MemberView{std::move(record), std::move(member), std::move(id)};
  }));
}

std::vector<MemberView> FamilyService::members(const BindingView& holder) {
  return db_.read([&](store::Connection& c) {
    std::vector<MemberView> out;
    for (auto& m : store::members_of_holder(c, holder.person.person_id)) {
      auto person = store::find_person(c, vault_, m.person_id);
      ESSC_INVARIANT(person);  // a membership references two persons, never deleted
      auto id = channel_id_of(holder.binding.client_id, m.member_id, Side::kHolder);
      out.push_back({std::move(m), std::move(*person), std::move(id)});
    }
    return out;
  });
}

std::string FamilyService::channel_id_of(std::string_view client_id, std::string_view member_id,
                                         Side side) const {
  const std::string seen_by = side == Side::kHolder ? "holder\n" : "member\n";
  const auto keyed = vault_.blind_index(
      "family_member_id", seen_by + std::string(client_id) + "\n" + std::string(member_id));
  return "fm_" + crypto::to_hex(keyed).substr(0, limits::kRecordIdHexChars);
}

std::optional<store::FamilyMemberRecord> FamilyService::named(
    std::vector<store::FamilyMemberRecord> rows, std::string_view client_id,
    std::string_view channel_id, Side side) const {
  for (auto& m : rows) {
    if (channel_id_of(client_id, m.member_id, side) == channel_id) return std::move(m);
  }
  return std::nullopt;
}

Result<MemberView> FamilyService::member_of(store::Connection& c, const BindingView& holder,
                                            std::string_view member_id) const {
  auto m = named(store::members_of_holder(c, holder.person.person_id), holder.binding.client_id,
                 member_id, Side::kHolder);
  if (!m) return Error(ErrorCode::kNotFound);
  auto person = store::find_person(c, vault_, m->person_id);
  ESSC_INVARIANT(person);
  return MemberView{std::move(*m), std::move(*person), std::string(member_id)};
}

Result<MemberView> FamilyService::member_of(const BindingView& holder,
                                            std::string_view member_id) const {
  return db_.read(
      [&](store::Connection& c) -> Result<MemberView> { return member_of(c, holder, member_id); });
}

Status FamilyService::remove(const domain::Client& client, const BindingView& holder,
                             std::string_view member_id) {
  return end_membership(client, "family.remove", [&](store::Connection& c) {
    return named(store::members_of_holder(c, holder.person.person_id), client.client_id, member_id,
                 Side::kHolder);
  });
}

Status FamilyService::end_membership(
    const domain::Client& client, std::string_view action,
    const std::function<std::optional<store::FamilyMemberRecord>(store::Connection&)>& ours) {
  const auto now = clock_.now_ms();
  auto done = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    auto m = ours(c);
    if (!m) return Error(ErrorCode::kNotFound);
    store::delete_family_member(c, m->member_id);
    tell_both(c, clients_, *store::find_person(c, vault_, m->holder_person_id),
              *store::find_person(c, vault_, m->person_id), false, client.client_id, now);
    store::append_audit(c, now, client_audit_name(client.client_id), std::string(action),
                        m->member_id, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<QrIssued> FamilyService::issue_qr(const BindingView& holder, std::string_view member_id,
                                         std::string_view purpose, crypto::QrFormat format) {
  // A code the pharmacy cannot use helps no one: the member's card state refuses at once.
  ESSC_ASSIGN_OR_RETURN(const auto member,
                        db_.read([&](store::Connection& c) -> Result<MemberView> {
                          ESSC_ASSIGN_OR_RETURN(auto found, member_of(c, holder, member_id));
                          ESSC_TRY(usable_card(c, vault_, found.person.person_id));
                          return found;
                        }));
  return codes_.issue(holder, purpose, member.record.member_id, format);
}

Result<RecordPage> FamilyService::records(const BindingView& holder, std::string_view member_id,
                                          const RecordQuery& query) {
  if (query.kind != "settlements" && query.kind != "account") return Error::invalid_field("kind");
  ESSC_ASSIGN_OR_RETURN(auto member, member_of(holder, member_id));
  return records_.list_of_person(member.person.person_id, query);
}

std::vector<MemberView> FamilyService::guardians(const BindingView& member) {
  return db_.read([&](store::Connection& c) {
    std::vector<MemberView> out;
    for (auto& m : store::holders_of_member(c, member.person.person_id)) {
      auto person = store::find_person(c, vault_, m.holder_person_id);
      ESSC_INVARIANT(person);
      auto id = channel_id_of(member.binding.client_id, m.member_id, Side::kMember);
      out.push_back({std::move(m), std::move(*person), std::move(id)});
    }
    return out;
  });
}

Status FamilyService::withdraw(const domain::Client& client, const BindingView& member,
                               std::string_view guardian_id) {
  // R-F2: consent is the member's own to withdraw once they give it for themselves.
  if (age_on(member.person.id_number, clock_.now_ms()) < limits::kFamilyConsentAge) {
    return Error(ErrorCode::kForbidden, "a member under 16 is removed by the holder");
  }
  return end_membership(client, "family.withdraw", [&](store::Connection& c) {
    return named(store::holders_of_member(c, member.person.person_id), client.client_id,
                 guardian_id, Side::kMember);
  });
}

Result<BindingView> family_scan(store::Connection& c, const crypto::PiiVault& vault,
                                const store::ClientCache& clients,
                                const domain::Binding& holder_binding,
                                const store::FamilyMemberRecord& m, std::string_view used_by,
                                std::int64_t now_ms) {
  ESSC_TRY(require_usable(holder_binding));
  ESSC_ASSIGN_OR_RETURN(auto card, usable_card(c, vault, m.person_id));
  auto member = store::find_person(c, vault, m.person_id);
  const auto holder = store::find_person(c, vault, m.holder_person_id);
  const auto channel = channel_name(c, clients, holder_binding.client_id);
  const auto institution = channel_name(c, clients, used_by);
  store::insert_auth_event(c, member->person_id, holder_binding.client_id, "family_code", "ok",
                           now_ms, mask_name(holder->name));
  tell_family(c, member->person_id, "family.code_used",
              mask_name(holder->name) + "在" + channel + "代您出示了电子社保卡二维码，已在" +
                  institution + "使用。",
              mask_name(holder->name) + " showed your e-card code in " + channel +
                  "; it was used at " + institution + ".",
              now_ms);
  return BindingView{holder_binding, std::move(card), std::move(*member)};
}

}  // namespace essc::services
