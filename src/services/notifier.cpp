#include "services/notifier.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "common/masking.hpp"
#include "crypto/random.hpp"
#include "domain/money.hpp"
#include "domain/notification.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/notification_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::services {
namespace {

struct Message {
  std::string_view title_zh;
  std::string_view title_en;
  std::string_view body_zh;
  std::string_view body_en;
};

Message message_for(EcardEvent event) {
  switch (event) {
    case EcardEvent::kSuspended:
      return {"电子社保卡暂停使用", "E-card suspended",
              "您的实体社保卡已挂失或锁定，所有渠道的电子社保卡暂停使用。",
              "Your physical card is reported lost or locked; your e-card is suspended in every "
              "channel."};
    case EcardEvent::kRestored:
      return {"电子社保卡恢复使用", "E-card restored",
              "您的实体社保卡已恢复正常，电子社保卡在各渠道恢复可用。",
              "Your physical card is usable again; your e-card is restored in every channel."};
    case EcardEvent::kUnlinked:
      return {"电子社保卡解除关联", "E-card unlinked",
              "您的电子社保卡已在该渠道解除关联，其他渠道的电子社保卡不受影响。",
              "Your e-card was unlinked from this channel; the other channels keep theirs."};
    case EcardEvent::kCardReplaced:
      return {"电子社保卡解除关联", "E-card unlinked",
              "您的实体社保卡已补换，原电子社保卡在所有渠道解除关联。请领取并激活新卡后重新申领电子"
              "社保卡。",
              "Your card was replaced, so your e-card was unlinked in every channel. Collect and "
              "activate the new card, then apply for the e-card again."};
    case EcardEvent::kCardCancelled:
      return {"电子社保卡解除关联", "E-card unlinked",
              "您的实体社保卡已注销，电子社保卡在所有渠道解除关联。",
              "Your card was cancelled, so your e-card was unlinked in every channel."};
    case EcardEvent::kPasswordChanged:
      return {
          "电子社保卡密码已变更", "E-card password changed",
          "您的电子社保卡密码已修改或重置，新密码在所有渠道同时生效。",
          "Your e-card password was changed or reset; the new password applies in every channel."};
    case EcardEvent::kLevelChanged:
      return {"电子社保卡已开通缴费结算", "Payments available",
              "您的电子社保卡已完成二级签发，开通缴费结算功能。",
              "Your e-card reached level 2: payments are now available."};
    case EcardEvent::kStepUpRequired:
      return {
          "请确认是本人操作", "Confirm it was you",
          "您的电子社保卡有一笔操作需要先确认是本人：请在APP中完成刷脸或短信验证。如非本人操作，"
          "请点“不是我本人”挂失并拨打12333。",
          "An action with your e-card needs you to confirm it was you: pass a face or SMS "
          "check in the app. If it was not you, tap \"Not me\" to report the card lost and "
          "call 12333."};
    case EcardEvent::kRiskDenied:
      return {
          "一项操作已被拒绝", "An action was refused",
          "您的电子社保卡短时间内多次进行同一操作，为保护您的账户，本次操作已被拒绝，请稍后再试。"
          "如非本人操作，请点“不是我本人”挂失并拨打12333。",
          "The same action was tried with your e-card many times in a short while, so this "
          "one was refused to protect your account; try again later. If it was not you, tap "
          "\"Not me\" to report the card lost and call 12333."};
    case EcardEvent::kIssued:
      return {"电子社保卡签发成功", "E-card issued",
              "您已在新的渠道领取电子社保卡。如非本人操作，请立即拨打12333。",
              "Your e-card was issued in a new channel. If this was not you, call 12333 at once."};
  }
  return {"", "", "", ""};
}

}  // namespace

void tell(store::Connection& c, domain::Notification note, std::int64_t now_ms) {
  note.at_ms = now_ms;
  store::insert_notification(c, note);
}

std::string_view webhook_type(EcardEvent event) {
  switch (event) {
    case EcardEvent::kSuspended:
      return "ecard.suspended";
    case EcardEvent::kRestored:
      return "ecard.restored";
    case EcardEvent::kUnlinked:
    case EcardEvent::kCardReplaced:
    case EcardEvent::kCardCancelled:
      return "ecard.unlinked";
    case EcardEvent::kPasswordChanged:
      return "ecard.password_changed";
    case EcardEvent::kLevelChanged:
      return "ecard.level_changed";
    case EcardEvent::kStepUpRequired:
      return "ecard.step_up_required";
    case EcardEvent::kRiskDenied:
    case EcardEvent::kIssued:
      return "";
  }
  return "";
}

namespace {

// The inbox names an event as its webhook does; the inbox-only ones have names of their own.
std::string inbox_type(EcardEvent event) {
  if (event == EcardEvent::kIssued) return "ecard.issued";
  if (event == EcardEvent::kRiskDenied) return "ecard.risk_denied";
  return std::string(webhook_type(event));
}

}  // namespace

void Notifier::announce(store::Connection& c, const domain::Person& person, EcardEvent event,
                        const std::vector<domain::Binding>& affected, std::int64_t now_ms,
                        std::string_view risk_id) const {
  const auto message = message_for(event);
  domain::Notification note;
  note.person_id = person.person_id;
  note.type = inbox_type(event);
  if (affected.size() == 1) note.binding_id = affected.front().binding_id;
  note.title_zh = message.title_zh;
  note.title_en = message.title_en;
  note.body_zh = message.body_zh;
  note.body_en = message.body_en;
  if (!risk_id.empty())
    note.detail_json = boost::json::serialize(boost::json::object{{"risk_id", risk_id}});
  tell(c, std::move(note), now_ms);

  if (person.phone) {
    boost::json::object sms{{"text", "【电子社保卡】" + std::string(message.body_zh)}};
    store::insert_outbox_event(
        c, vault_,
        {"sms_" + crypto::random_token(12), "sms", std::nullopt, *person.phone,
         boost::json::serialize(sms), 0, now_ms, std::nullopt, false, std::nullopt, now_ms});
  }
  if (webhook_type(event).empty()) return;
  for (const auto& binding : affected) {
    const auto client = clients_.find(c, binding.client_id);
    if (!client || !client->webhook_url) continue;
    const std::string event_id = "ev_" + crypto::random_token(16);
    boost::json::object payload{{"event_id", event_id},
                                {"type", webhook_type(event)},
                                {"binding_id", binding.binding_id},
                                {"status", domain::to_string(binding.status)},
                                {"level", binding.level},
                                {"at", format_rfc3339(now_ms)}};
    if (!risk_id.empty()) payload["risk_id"] = risk_id;
    store::insert_outbox_event(
        c, vault_,
        {event_id, "webhook", client->client_id, std::nullopt, boost::json::serialize(payload), 0,
         now_ms, std::nullopt, false, std::nullopt, now_ms});
  }
}

void Notifier::announce(store::Connection& c, std::int64_t person_id, EcardEvent event,
                        const std::vector<domain::Binding>& affected, std::int64_t now_ms,
                        std::string_view risk_id) const {
  if (const auto person = store::find_person(c, vault_, person_id))
    announce(c, *person, event, affected, now_ms, risk_id);
}

void Notifier::sync_bindings_with_card(store::Connection& c, const domain::Card& card,
                                       std::int64_t now_ms) const {
  const auto ecard = store::find_ecard_by_card(c, card.card_no);
  if (!ecard) return;
  const auto target = domain::binding_status_for(card.status);
  std::vector<domain::Binding> changed;
  for (auto binding : store::live_bindings(c, ecard->ecard_id)) {
    if (binding.status == target) continue;
    binding.status = target;
    binding.updated_at_ms = now_ms;
    store::update_binding(c, binding);
    changed.push_back(std::move(binding));
  }
  if (changed.empty()) return;
  const auto event = target == domain::BindingStatus::kUsable       ? EcardEvent::kRestored
                     : target == domain::BindingStatus::kSuspended  ? EcardEvent::kSuspended
                     : card.status == domain::CardStatus::kReplaced ? EcardEvent::kCardReplaced
                                                                    : EcardEvent::kCardCancelled;
  announce(c, card.person_id, event, changed, now_ms);
  store::append_audit(c, now_ms, "system",
                      std::string("bindings.") + std::string(domain::to_string(target)),
                      card.card_no, std::to_string(changed.size()) + " binding(s)");
}

namespace {

std::string_view insurance_name_zh(std::string_view insurance) {
  return insurance == "resident_medical" ? "城乡居民医疗保险" : "灵活就业养老保险";
}

std::string_view insurance_name_en(std::string_view insurance) {
  return insurance == "resident_medical" ? "resident medical insurance"
                                         : "flexible-employment pension";
}

}  // namespace

void announce_settlement(store::Connection& c, const SettlementNotice& notice,
                         std::int64_t now_ms) {
  const auto& s = notice.settlement;
  boost::json::object detail{{"settlement_id", s.settlement_id},
                             {"institution_name", notice.institution_name},
                             {"total_fen", s.total_fen},
                             {"fund_fen", s.fund_fen},
                             {"account_fen", s.account_fen},
                             {"self_pay_fen", s.self_pay_fen},
                             {"self_pay_method", domain::to_string(s.self_pay_method)}};
  const std::string place(notice.institution_name);
  const auto total = domain::format_yuan(s.total_fen);
  const auto paid_by_insurance = domain::format_yuan(s.fund_fen + s.account_fen);
  const auto self_pay = domain::format_yuan(s.self_pay_fen);
  const bool bank = s.self_pay_method == domain::SelfPayMethod::kBank;
  // Whose payment it was, in the words of the inbox it enters: "you" for the person paid
  // for; for the holder who showed a family member's code (R-F4), the member by name.
  const auto write = [&](domain::Notification& note, const std::string& who_zh,
                         const std::string& subject_en, const std::string& object_en,
                         const std::string& whose_en) {
    if (notice.refund) {
      note.body_zh = place + "已为" + who_zh + "退费" + total + "：医保" + paid_by_insurance +
                     "已退回，自付" + self_pay + (bank ? "已退回银行账户。" : "由机构退还。");
      note.body_en =
          place + " refunded " + total + " to " + object_en + ": " + paid_by_insurance +
          " back to " + whose_en + " insurance, " + self_pay +
          (bank ? " back to the bank account." : " self-pay returned by the institution.");
    } else {
      note.body_zh = who_zh + "在" + place + "医保结算" + total + "：统筹基金" +
                     domain::format_yuan(s.fund_fen) + "，个人账户" +
                     domain::format_yuan(s.account_fen) + "，自付" + self_pay + "。";
      note.body_en = subject_en + " paid " + total + " at " + place + ": pooled fund " +
                     domain::format_yuan(s.fund_fen) + ", personal account " +
                     domain::format_yuan(s.account_fen) + ", self-pay " + self_pay + ".";
    }
  };
  domain::Notification note;
  note.binding_id = s.binding_id;
  note.type = notice.refund ? "settlement.refunded" : "settlement.paid";
  note.title_zh = notice.refund ? "医保退费" : "医保支付成功";
  note.title_en = notice.refund ? "Medical bill refunded" : "Medical bill paid";
  note.person_id = s.person_id;
  note.detail_json = boost::json::serialize(detail);
  write(note, "您", "You", "you", "your");
  tell(c, note, now_ms);
  if (notice.holder_person_id == s.person_id) return;
  const auto member = mask_name(notice.paid_for.name);
  detail["member_name_masked"] = member;
  note.person_id = notice.holder_person_id;
  note.detail_json = boost::json::serialize(detail);
  write(note, "亲情账户成员" + member, "Family member " + member, "family member " + member,
        member + "'s");
  tell(c, std::move(note), now_ms);
}

void announce_contribution(store::Connection& c, const store::ContributionRecord& r) {
  boost::json::object detail{{"contribution_id", r.contribution_id},
                             {"insurance", r.insurance},
                             {"period", r.period},
                             {"amount_fen", r.amount_fen}};
  domain::Notification note;
  note.person_id = r.person_id;
  note.binding_id = r.binding_id;
  note.type = "contribution.paid";
  note.title_zh = "缴费成功";
  note.title_en = "Contribution paid";
  const auto amount = domain::format_yuan(r.amount_fen);
  note.body_zh = std::string(insurance_name_zh(r.insurance)) + " " + r.period +
                 " 已从银行账户缴费" + amount + "。";
  note.body_en = "You paid " + amount + " of " + std::string(insurance_name_en(r.insurance)) +
                 " for " + r.period + " from your bank account.";
  note.detail_json = boost::json::serialize(detail);
  tell(c, std::move(note), r.at_ms);
}

}  // namespace essc::services
