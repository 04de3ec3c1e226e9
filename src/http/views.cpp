#include "http/views.hpp"

#include "common/clock.hpp"
#include "common/masking.hpp"

namespace essc::http {

boost::json::object person_view(const services::PersonView& view) {
  const auto& p = view.person;
  boost::json::object o;
  o["name"] = p.name;
  o["id_number"] = p.id_number;
  o["region_code"] = p.region_code;
  if (p.phone) o["phone"] = *p.phone;
  o["photo_on_file"] = boost::json::object{{"police", p.photo_police}, {"cardholder", p.photo_cardholder}};
  if (view.card) {
    o["card"] = boost::json::object{{"card_no", view.card->card_no},
                                    {"status", domain::to_string(view.card->status)}};
  }
  return o;
}

boost::json::object card_view(const services::CardView& view) {
  const auto& c = view.card;
  boost::json::object o;
  o["card_no"] = c.card_no;
  o["status"] = domain::to_string(c.status);
  o["id_number_masked"] = mask_id_number(view.holder.id_number);
  o["name_masked"] = mask_name(view.holder.name);
  o["bank_code"] = c.bank_code;
  o["region_code"] = c.region_code;
  o["financial_active"] = c.financial_active;
  if (c.bank_account_no) o["bank_account_no_masked"] = mask_bank_account(*c.bank_account_no);
  if (c.reserved_phone) o["reserved_phone_masked"] = mask_phone(*c.reserved_phone);
  if (c.replaces_card_no) o["replaces_card_no"] = *c.replaces_card_no;
  if (view.replaced_by) o["replaced_by"] = *view.replaced_by;
  o["updated_at"] = format_rfc3339(c.updated_at_ms);
  return o;
}

boost::json::object client_view(const store::ClientRecord& client) {
  boost::json::object o;
  o["client_id"] = client.client_id;
  o["kind"] = store::to_string(client.kind);
  o["name"] = client.name;
  if (client.channel_type) o["channel_type"] = *client.channel_type;
  if (client.institution_type) o["institution_type"] = *client.institution_type;
  if (client.region_code) o["region_code"] = *client.region_code;
  if (client.webhook_url) o["webhook_url"] = *client.webhook_url;
  o["status"] = client.suspended ? "suspended" : "active";
  return o;
}

boost::json::object movement_view(const store::AccountMovement& m) {
  return {{"movement_id", m.movement_id}, {"kind", m.kind},
          {"amount_fen", m.amount_fen},   {"balance_after_fen", m.balance_after_fen},
          {"memo", m.memo},               {"at", format_rfc3339(m.at_ms)}};
}

boost::json::object benefit_view(const store::BenefitRecord& b) {
  return {{"benefit_id", b.benefit_id}, {"kind", b.kind},
          {"period", b.period},         {"amount_fen", b.amount_fen},
          {"card_no_masked", mask_card_no(b.card_no)}, {"at", format_rfc3339(b.at_ms)}};
}

}  // namespace essc::http
