#include "http/views.hpp"

#include <boost/json/parse.hpp>

#include "common/clock.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "domain/bank_code.hpp"
#include "domain/region_code.hpp"
#include "domain/service_catalogue.hpp"
#include "services/qr_image.hpp"

namespace essc::http {

void add_place_names(boost::json::object& o, std::string_view region_code,
                     std::string_view bank_code) {
  if (const auto region = domain::region_name(region_code)) {
    o["region_name"] = region->zh;
    o["region_name_en"] = region->en;
  }
  if (bank_code.empty()) return;
  if (const auto bank = domain::bank_name(bank_code)) {
    o["bank_name"] = bank->zh;
    o["bank_name_en"] = bank->en;
  }
}

boost::json::object person_view(const services::PersonView& view) {
  const auto& p = view.person;
  boost::json::object o;
  // The ID number is what the operator looked the person up by; a masked view hides the rest.
  o["name"] = view.masked ? mask_name(p.name) : p.name;
  o["id_number"] = p.id_number;
  o["region_code"] = p.region_code;
  add_place_names(o, p.region_code);
  if (p.phone) o["phone"] = view.masked ? mask_phone(*p.phone) : *p.phone;
  if (view.masked) o["masked"] = true;
  o["photo_on_file"] =
      boost::json::object{{"police", p.photo_police}, {"cardholder", p.photo_cardholder}};
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
  add_place_names(o, c.region_code, c.bank_code);
  o["financial_active"] = c.financial_active;
  if (c.bank_account_no) o["bank_account_no_masked"] = mask_bank_account(*c.bank_account_no);
  if (c.reserved_phone) o["reserved_phone_masked"] = mask_phone(*c.reserved_phone);
  if (c.replaces_card_no) o["replaces_card_no"] = *c.replaces_card_no;
  if (view.replaced_by) o["replaced_by"] = *view.replaced_by;
  if (view.ecard) {
    boost::json::array channels;
    for (const auto& b : view.ecard->channels) {
      boost::json::object channel{{"channel_name", b.channel_name},
                                  {"level", b.level},
                                  {"status", domain::to_string(b.status)},
                                  {"since", format_rfc3339(b.since_ms)}};
      if (b.channel_type) channel["channel_type"] = domain::to_string(*b.channel_type);
      channels.push_back(std::move(channel));
    }
    o["ecard"] = boost::json::object{{"level", view.ecard->level},
                                     {"bindings", view.ecard->bindings},
                                     {"channels", std::move(channels)}};
  }
  o["updated_at"] = format_rfc3339(c.updated_at_ms);
  return o;
}

boost::json::object client_view(const domain::Client& client) {
  boost::json::object o;
  o["client_id"] = client.client_id;
  o["kind"] = domain::to_string(client.kind);
  o["name"] = client.name;
  if (client.channel_type) o["channel_type"] = domain::to_string(*client.channel_type);
  if (client.institution_type) o["institution_type"] = domain::to_string(*client.institution_type);
  if (client.region_code) o["region_code"] = *client.region_code;
  if (client.webhook_url) o["webhook_url"] = *client.webhook_url;
  o["status"] = client.suspended ? "suspended" : "active";
  o["requests_per_minute"] = client.requests_per_minute;
  o["qr_png"] = client.qr_png;
  return o;
}

Result<boost::json::object> qr_code_view(const services::QrIssued& code, bool png) {
  boost::json::object o{{"token", code.token},
                        {"expires_at", format_rfc3339(code.expires_at_ms)},
                        {"refresh_after", code.refresh_after_seconds}};
  if (png) {
    ESSC_ASSIGN_OR_RETURN(auto image, services::render_qr_png(code.token));
    o["png_base64"] = crypto::to_base64(image);
  }
  return o;
}

boost::json::object movement_view(const domain::AccountMovement& m) {
  return {{"movement_id", m.movement_id},
          {"kind", m.kind},
          {"amount_fen", m.amount_fen},
          {"balance_after_fen", m.balance_after_fen},
          {"memo", m.memo},
          {"at", format_rfc3339(m.at_ms)}};
}

boost::json::object benefit_view(const domain::Benefit& b) {
  return {{"benefit_id", b.benefit_id},
          {"kind", b.kind},
          {"period", b.period},
          {"amount_fen", b.amount_fen},
          {"card_no_masked", mask_card_no(b.card_no)},
          {"at", format_rfc3339(b.at_ms)}};
}

boost::json::object binding_view(const services::BindingView& view) {
  const auto& b = view.binding;
  boost::json::object card{{"name_masked", mask_name(view.person.name)},
                           {"id_number_masked", mask_id_number(view.person.id_number)},
                           {"card_no_masked", mask_card_no(view.card.card_no)},
                           {"card_status", domain::to_string(view.card.status)},
                           // Level 2 and contributions need it (R-E4): the app says so
                           // before sending the cardholder to an upgrade that cannot pass.
                           {"financial_active", view.card.financial_active},
                           {"region_code", view.card.region_code},
                           {"bank_code", view.card.bank_code}};
  add_place_names(card, view.card.region_code, view.card.bank_code);
  // The account a contribution is debited from, for the confirm sheet (R-U5).
  if (view.card.bank_account_no)
    card["bank_account_no_masked"] = mask_bank_account(*view.card.bank_account_no);
  boost::json::array services;
  for (const auto& service : domain::service_catalogue()) {
    services.push_back(boost::json::object{
        {"code", service.code},
        {"name", service.name_zh},
        {"level_required", service.level_required},
        {"available",
         b.status == domain::BindingStatus::kUsable && b.level >= service.level_required}});
  }
  return {{"binding_id", b.binding_id},
          {"status", domain::to_string(b.status)},
          {"level", b.level},
          {"card", std::move(card)},
          {"services", std::move(services)},
          {"issued_at", format_rfc3339(b.created_at_ms)}};
}

boost::json::object notification_view(const domain::Notification& n) {
  boost::json::object o{{"notification_id", n.notification_id},
                        {"type", n.type},
                        {"title", n.title_zh},
                        {"title_en", n.title_en},
                        {"message", n.body_zh},
                        {"message_en", n.body_en},
                        {"at", format_rfc3339(n.at_ms)}};
  if (n.binding_id) o["binding_id"] = *n.binding_id;
  if (n.channel_name) o["channel_name"] = *n.channel_name;
  // The payment's figures (settlement.paid, settlement.refunded, contribution.paid), written
  // by the platform as a JSON object: the phone's 支付成功 page reads them.
  if (!n.detail_json.empty()) {
    boost::system::error_code ec;
    auto detail = boost::json::parse(n.detail_json, ec);
    if (!ec && detail.is_object()) o["detail"] = std::move(detail);
  }
  return o;
}

boost::json::object records_view(std::string_view kind, const services::RecordPage& page) {
  boost::json::array items;
  for (const auto& row : page.items) {
    boost::json::object item{{"at", format_rfc3339(row.at_ms)}};
    for (const auto& [name, value] : row.text) item[name] = value;
    for (const auto& [name, value] : row.numbers) item[name] = value;
    for (const auto& [name, value] : row.optional_numbers)
      item[name] = value ? boost::json::value(*value) : nullptr;
    items.push_back(std::move(item));
  }
  boost::json::object body{{"kind", kind}, {"items", std::move(items)}};
  body["next_cursor"] =
      page.next_before ? boost::json::value(std::to_string(*page.next_before)) : nullptr;
  return body;
}

void add_region_name(boost::json::object& o, std::string_view side, std::string_view region_code) {
  if (const auto name = domain::region_name(region_code)) {
    o[std::string(side) + "_region_name"] = name->zh;
    o[std::string(side) + "_region_name_en"] = name->en;
  }
}

}  // namespace essc::http
