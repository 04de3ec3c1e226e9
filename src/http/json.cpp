#include "http/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/limits.hpp"

namespace essc::http {

Result<JsonBody> JsonBody::parse(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = limits::kJsonDepthMax;
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec, {}, options);
  if (ec) return Error::invalid_field("body", "malformed JSON: " + ec.message());
  if (!value.is_object()) return Error::invalid_field("body", "the body is not a JSON object");
  return JsonBody(std::move(value.as_object()));
}

Result<std::string> JsonBody::string(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v || !v->is_string()) return Error::invalid_field(std::string(key));
  return std::string(v->as_string());
}

Result<std::optional<std::string>> JsonBody::optional_string(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return Error::invalid_field(std::string(key));
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::int64_t> JsonBody::integer(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v) return Error::invalid_field(std::string(key));
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return Error::invalid_field(std::string(key), "integer out of range");
  // 100.0 is not a whole number of fen as far as the contract goes: integers only.
  return Error::invalid_field(std::string(key));
}

Result<std::optional<std::int64_t>> JsonBody::optional_integer(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  ESSC_ASSIGN_OR_RETURN(const auto value, integer(key));
  return std::optional<std::int64_t>(value);
}

Result<bool> read_bool(const boost::json::object& object, std::string_view key,
                       std::string_view path) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_bool()) return Error::invalid_field(std::string(path));
  return v->as_bool();
}

Result<bool> JsonBody::boolean(std::string_view key) const { return read_bool(object_, key, key); }

Result<std::optional<bool>> JsonBody::optional_boolean(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>{};
  ESSC_ASSIGN_OR_RETURN(const auto value, boolean(key));
  return std::optional<bool>(value);
}

Result<const boost::json::object*> JsonBody::object(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  if (!v || !v->is_object()) return Error::invalid_field(std::string(key));
  return &v->as_object();
}

Response json_response(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response error_response(const Error& error, std::string_view request_id) {
  const auto& info = error.info();
  boost::json::object e;
  e["code"] = info.code;
  std::string message_zh(info.message_zh);
  std::string message_en(info.message_en);
  // The field is named in `field` for the developer, never in the message a page shows
  // to a cardholder.
  if (error.extras.field) e["field"] = *error.extras.field;
  e["message"] = message_zh;
  e["message_en"] = message_en;
  e["hotline"] = "12333";
  e["request_id"] = request_id;
  const auto& x = error.extras;
  if (x.tries_left) e["tries_left"] = *x.tries_left;
  if (x.unlock_at) e["unlock_at"] = *x.unlock_at;
  if (x.retry_after) e["retry_after"] = *x.retry_after;
  if (x.level_required) e["level_required"] = *x.level_required;
  if (x.fallback) e["fallback"] = *x.fallback;
  if (x.reason) e["reason"] = *x.reason;
  if (x.risk_id) e["risk_id"] = *x.risk_id;
  if (!x.methods.empty()) {
    boost::json::array methods;
    for (const auto& m : x.methods) methods.emplace_back(m);
    e["methods"] = std::move(methods);
  }
  boost::json::object body;
  body["error"] = std::move(e);
  Response r = json_response(info.http_status, body);
  if (x.retry_after) r.headers.emplace_back("Retry-After", std::to_string(*x.retry_after));
  return r;
}

}  // namespace essc::http
