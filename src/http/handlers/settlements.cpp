// Institutions: identity checks (R-U3) and medical-insurance settlement (R-U4, R-U5).
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "domain/risk_case.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

boost::json::object settlement_view(const domain::Settlement& s) {
  boost::json::object o{{"settlement_id", s.settlement_id},
                        {"order_id", s.order_id},
                        {"visit", domain::to_string(s.visit)},
                        {"total_fen", s.total_fen},
                        {"fund_fen", s.fund_fen},
                        {"account_fen", s.account_fen},
                        {"self_pay_fen", s.self_pay_fen},
                        {"self_pay_method", domain::to_string(s.self_pay_method)},
                        {"account_balance_after_fen", s.balance_after_fen},
                        {"at", format_rfc3339(s.at_ms)},
                        {"insured_region", s.insured_region},
                        {"treatment_region", s.treatment_region},
                        {"status", s.refunded_at_ms ? "refunded" : "settled"}};
  if (s.refunded_at_ms) o["refunded_at"] = format_rfc3339(*s.refunded_at_ms);
  // R-S8: where the log holds it; null for the moment it waits for the sequencer.
  o["audit_index"] = s.audit_index ? boost::json::value(*s.audit_index) : nullptr;
  if (s.refunded_at_ms) {
    o["refund_audit_index"] =
        s.refund_audit_index ? boost::json::value(*s.refund_audit_index) : nullptr;
  }
  add_region_name(o, "insured", s.insured_region);
  add_region_name(o, "treatment", s.treatment_region);
  // POLICY.md "Quantity limits": what a risk rule changed, empty when none did.
  boost::json::array flags;
  for (const auto& f : s.quantity_flags) {
    flags.push_back(boost::json::object{{"rule", domain::kRuleItemQuantityLimit},
                                        {"item_code", f.item_code},
                                        {"quantity_over", f.quantity_over}});
  }
  o["flags"] = std::move(flags);
  return o;
}

// One settlement with the cardholder its receipt names: the till never saw the person,
// only a code.
boost::json::object receipt_view(const domain::Settlement& s,
                                 const std::optional<services::ReceiptHolder>& holder) {
  auto o = settlement_view(s);
  if (holder) {
    o["cardholder"] = boost::json::object{{"name_masked", holder->name_masked},
                                          {"card_no_masked", holder->card_no_masked}};
  }
  return o;
}

Result<std::vector<domain::BillItem>> read_items(const JsonBody& body) {
  const auto* items = body.fields().if_contains("items");
  if (!items || !items->is_array()) return Error::invalid_field("items");
  std::vector<domain::BillItem> out;
  std::size_t index = 0;
  for (const auto& value : items->as_array()) {
    const auto field = [&](const char* name) {
      return "items[" + std::to_string(index) + "]." + name;
    };
    if (!value.is_object()) return Error::invalid_field("items[" + std::to_string(index) + "]");
    const auto& o = value.as_object();
    domain::BillItem item;
    const auto text = [&](const char* name, std::string& target) -> Status {
      const auto* v = o.if_contains(name);
      if (!v || !v->is_string()) return Error::invalid_field(field(name));
      target = std::string(v->as_string());
      return {};
    };
    const auto integer = [&](const char* name, std::int64_t& target) -> Status {
      const auto* v = o.if_contains(name);
      if (!v || !v->is_int64()) return Error::invalid_field(field(name));
      target = v->as_int64();
      return {};
    };
    ESSC_TRY(text("code", item.code));
    ESSC_TRY(text("name", item.name));
    std::string category;
    ESSC_TRY(text("category", category));
    if (category == "A") {
      item.category = domain::ItemCategory::kA;
    } else if (category == "B") {
      item.category = domain::ItemCategory::kB;
    } else if (category == "C") {
      item.category = domain::ItemCategory::kC;
    } else {
      return Error::invalid_field(field("category"));
    }
    ESSC_TRY(integer("quantity", item.quantity));
    ESSC_TRY(integer("unit_price_fen", item.unit_price_fen));
    out.push_back(std::move(item));
    if (++index > limits::kBillItemsMax)
      return Error::with_field(ErrorCode::kInvalidAmount, "items");
  }
  return out;
}

}  // namespace

void add_settlement_routes(Router& router, services::UsageService& usage,
                           services::SettlementService& settlements) {
  router.add(
      "POST", "/v1/identity/verify", Access::kInstitution, {}, [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        ESSC_ASSIGN_OR_RETURN(auto token, body.string("qr_token"));
        ESSC_ASSIGN_OR_RETURN(auto identity, usage.verify_identity(*call.actor.client, token));
        boost::json::object answer{{"name_masked", identity.name_masked},
                                   {"id_number_masked", identity.id_number_masked},
                                   {"card_status", domain::to_string(identity.card_status)},
                                   {"level", identity.level},
                                   {"region_code", identity.region_code}};
        add_place_names(answer, identity.region_code);
        return json_response(200, std::move(answer));
      });

  router.add(
      "POST", "/v1/settlements", Access::kInstitution, {}, [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        services::SettlementRequest request;
        ESSC_ASSIGN_OR_RETURN(request.qr_token, body.string("qr_token"));
        ESSC_ASSIGN_OR_RETURN(request.order_id, body.string("order_id"));
        ESSC_ASSIGN_OR_RETURN(request.visit, body.string("visit"));
        ESSC_ASSIGN_OR_RETURN(request.items, read_items(body));
        if (body.fields().contains("self_pay_from_bank")) {
          ESSC_ASSIGN_OR_RETURN(request.self_pay_from_bank, body.boolean("self_pay_from_bank"));
        }
        ESSC_ASSIGN_OR_RETURN(auto outcome, settlements.settle(*call.actor.client, request));
        // A settlement just recorded names its cardholder from the rows its write read.
        const auto holder =
            outcome.receipt ? outcome.receipt : settlements.receipt_holder(outcome.settlement);
        return json_response(outcome.replayed ? 200 : 201,
                             receipt_view(outcome.settlement, holder));
      });

  router.add("GET", "/v1/settlements/{settlement_id}", Access::kInstitution, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(
                   auto s, settlements.get(*call.actor.client, call.param("settlement_id")));
               return json_response(200, receipt_view(s, settlements.receipt_holder(s)));
             });

  router.add("POST", "/v1/settlements/{settlement_id}/refund", Access::kInstitution, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto reason, body.string("reason"));
               ESSC_ASSIGN_OR_RETURN(
                   auto s,
                   settlements.refund(*call.actor.client, call.param("settlement_id"), reason));
               return json_response(200, receipt_view(s, settlements.receipt_holder(s)));
             });

  router.add("GET", "/v1/settlements", Access::kInstitution, {},
             [&](Call& call) -> Result<Response> {
               const auto date = call.query_value("date");
               if (!date) return Error::invalid_field("date");
               ESSC_ASSIGN_OR_RETURN(auto day, settlements.day(*call.actor.client, *date));
               boost::json::array items;
               for (const auto& s : day.settlements) items.push_back(settlement_view(s));
               return json_response(
                   200, boost::json::object{
                            {"date", *date},
                            {"items", std::move(items)},
                            {"next_cursor", nullptr},
                            {"totals", boost::json::object{{"count", day.count},
                                                           {"refunded_count", day.refunded_count},
                                                           {"total_fen", day.total_fen},
                                                           {"fund_fen", day.fund_fen},
                                                           {"account_fen", day.account_fen},
                                                           {"self_pay_fen", day.self_pay_fen}}}});
             });
}

}  // namespace essc::http
