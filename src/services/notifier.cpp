#include "services/notifier.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "crypto/random.hpp"
#include "domain/notification.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"

namespace essc::services {
namespace {

struct Message {
  std::string_view title_zh;
  std::string_view body_zh;
  std::string_view body_en;
};

Message message_for(EcardEvent event) {
  switch (event) {
    case EcardEvent::kSuspended:
      return {"电子社保卡暂停使用", "您的实体社保卡已挂失或锁定，所有渠道的电子社保卡暂停使用。",
              "Your physical card is reported lost or locked; your e-card is suspended in every "
              "channel."};
    case EcardEvent::kRestored:
      return {"电子社保卡恢复使用", "您的实体社保卡已恢复正常，电子社保卡在各渠道恢复可用。",
              "Your physical card is usable again; your e-card is restored in every channel."};
    case EcardEvent::kUnlinked:
      return {
          "电子社保卡解除关联",
          "您的电子社保卡已解除关联。如实体社保卡已补换，请领取并激活新卡后重新申领电子社保卡。",
          "Your e-card was unlinked. If your card was replaced, collect and activate the new card, "
          "then "
          "apply for the e-card again."};
    case EcardEvent::kPasswordChanged:
      return {
          "电子社保卡密码已变更", "您的电子社保卡密码已修改或重置，新密码在所有渠道同时生效。",
          "Your e-card password was changed or reset; the new password applies in every channel."};
    case EcardEvent::kLevelChanged:
      return {"电子社保卡已开通缴费结算", "您的电子社保卡已完成二级签发，开通缴费结算功能。",
              "Your e-card reached level 2: payments are now available."};
    case EcardEvent::kIssued:
      return {"电子社保卡签发成功", "您已在新的渠道领取电子社保卡。如非本人操作，请立即拨打12333。",
              "Your e-card was issued in a new channel. If this was not you, call 12333 at once."};
  }
  return {"", "", ""};
}

}  // namespace

std::string_view webhook_type(EcardEvent event) {
  switch (event) {
    case EcardEvent::kSuspended:
      return "ecard.suspended";
    case EcardEvent::kRestored:
      return "ecard.restored";
    case EcardEvent::kUnlinked:
      return "ecard.unlinked";
    case EcardEvent::kPasswordChanged:
      return "ecard.password_changed";
    case EcardEvent::kLevelChanged:
      return "ecard.level_changed";
    case EcardEvent::kIssued:
      return "";
  }
  return "";
}

void announce(store::Connection& c, Context& ctx, const domain::Person& person, EcardEvent event,
              const std::vector<domain::Binding>& affected, std::int64_t now_ms) {
  const auto message = message_for(event);
  domain::Notification note;
  note.person_id = person.person_id;
  note.type = event == EcardEvent::kIssued ? "ecard.issued" : std::string(webhook_type(event));
  if (affected.size() == 1) note.binding_id = affected.front().binding_id;
  note.title_zh = message.title_zh;
  note.body_zh = message.body_zh;
  note.body_en = message.body_en;
  note.at_ms = now_ms;
  store::insert_notification(c, note);

  if (person.phone) {
    boost::json::object sms{{"text", "【电子社保卡】" + std::string(message.body_zh)}};
    ctx.outbox.insert(
        c, {"sms_" + crypto::random_token(12), "sms", std::nullopt, *person.phone,
            boost::json::serialize(sms), 0, now_ms, std::nullopt, false, std::nullopt, now_ms});
  }
  if (event == EcardEvent::kIssued) return;
  for (const auto& binding : affected) {
    const auto client = ctx.clients.find(c, binding.client_id);
    if (!client || !client->webhook_url) continue;
    const std::string event_id = "ev_" + crypto::random_token(16);
    boost::json::object payload{{"event_id", event_id},
                                {"type", webhook_type(event)},
                                {"binding_id", binding.binding_id},
                                {"status", domain::to_string(binding.status)},
                                {"level", binding.level},
                                {"at", format_rfc3339(now_ms)}};
    ctx.outbox.insert(
        c, {event_id, "webhook", client->client_id, std::nullopt, boost::json::serialize(payload),
            0, now_ms, std::nullopt, false, std::nullopt, now_ms});
  }
}

void sync_bindings_with_card(store::Connection& c, Context& ctx, const domain::Card& card,
                             std::int64_t now_ms) {
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
  const auto person = ctx.persons.find(c, card.person_id);
  if (!person) return;
  const auto event = target == domain::BindingStatus::kUsable      ? EcardEvent::kRestored
                     : target == domain::BindingStatus::kSuspended ? EcardEvent::kSuspended
                                                                   : EcardEvent::kUnlinked;
  announce(c, ctx, *person, event, changed, now_ms);
  store::append_audit(c, now_ms, "system",
                      std::string("bindings.") + std::string(domain::to_string(target)),
                      card.card_no, std::to_string(changed.size()) + " binding(s)");
}

}  // namespace essc::services
