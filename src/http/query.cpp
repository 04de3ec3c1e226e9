#include "http/query.hpp"

#include <charconv>

#include "common/clock.hpp"
#include "common/limits.hpp"

namespace essc::http {

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

Result<std::uint64_t> count_parameter(const Call& call, std::string_view name) {
  const auto text = call.query_value(name);
  const auto value = text ? parse_int(*text) : std::nullopt;
  if (!value || *value < 0) return Error::invalid_field(std::string(name));
  return static_cast<std::uint64_t>(*value);
}

Result<std::int64_t> page_limit(const Call& call) {
  const auto text = call.query_value("limit");
  if (!text) return limits::kPageSizeDefault;
  const auto value = parse_int(*text);
  if (!value || *value < 1 || *value > limits::kPageSizeMax) return Error::invalid_field("limit");
  return *value;
}

Result<std::int64_t> cursor_number(const Call& call) {
  const auto text = call.query_value("cursor");
  if (!text) return std::int64_t{0};
  const auto value = parse_int(*text);
  if (!value || *value < 0) return Error::invalid_field("cursor");
  return *value;
}

Result<std::optional<std::int64_t>> time_parameter(const Call& call, std::string_view name) {
  const auto text = call.query_value(name);
  if (!text) return std::optional<std::int64_t>{};
  const auto ms = parse_rfc3339(*text);
  if (!ms) return Error::invalid_field(std::string(name));
  return std::optional<std::int64_t>(*ms);
}

Result<services::RecordQuery> record_query(const Call& call) {
  services::RecordQuery query;
  const auto kind = call.query_value("kind");
  if (!kind) return Error::invalid_field("kind");
  query.kind = *kind;
  ESSC_ASSIGN_OR_RETURN(query.limit, page_limit(call));
  ESSC_ASSIGN_OR_RETURN(query.before, cursor_number(call));
  ESSC_ASSIGN_OR_RETURN(auto from, time_parameter(call, "from"));
  ESSC_ASSIGN_OR_RETURN(auto to, time_parameter(call, "to"));
  if (from) query.from_ms = *from;
  if (to) query.to_ms = *to;
  return query;
}

Result<bool> wants_png(const Call& call, const JsonBody& body) {
  ESSC_ASSIGN_OR_RETURN(const auto asked, body.optional_boolean("png"));
  return asked.value_or(call.actor.client->qr_png);
}

Result<crypto::QrFormat> qr_format(const JsonBody& body) {
  ESSC_ASSIGN_OR_RETURN(const auto format, body.optional_string("format"));
  if (!format || *format == "ESSC1") return crypto::QrFormat::kEssc1;
  if (*format == "compact") return crypto::QrFormat::kCompact;
  return Error::invalid_field("format", "ESSC1 or compact");
}

}  // namespace essc::http
