// Query parameters shared by list endpoints (API.md: `?limit=` default 50, max 500;
// `?cursor=`; times as RFC 3339).
#pragma once

#include <optional>

#include "crypto/qr_token.hpp"
#include "http/json.hpp"
#include "http/router.hpp"
#include "services/records.hpp"

namespace essc::http {

// A decimal integer, nothing else; nullopt for anything else.
std::optional<std::int64_t> parse_int(std::string_view text);
// A required `?name=` count or index (0 or more).
Result<std::uint64_t> count_parameter(const Call& call, std::string_view name);

Result<std::int64_t> page_limit(const Call& call);
// The cursor of this platform's lists is the last seen sequence number; 0 when absent.
Result<std::int64_t> cursor_number(const Call& call);
Result<std::optional<std::int64_t>> time_parameter(const Call& call, std::string_view name);

// `?kind=` (required), `limit`, `cursor`, `from` and `to` of a records list (R-U7).
Result<services::RecordQuery> record_query(const Call& call);

// Whether an issued QR code comes with its PNG: the body's `png`, else the channel's
// default (docs/qr-token.md "Images"). An app that draws the code from the token asks
// for none: the image is most of an issuance's CPU and of its answer's bytes.
Result<bool> wants_png(const Call& call, const JsonBody& body);

// The form of an issued QR code: the body's `format`, "ESSC1" (the default, so clients
// that do not ask keep what they had) or "compact" (docs/qr-token.md).
Result<crypto::QrFormat> qr_format(const JsonBody& body);

}  // namespace essc::http
