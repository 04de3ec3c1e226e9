#include "http/server/wire.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <random>

#include "common/assert.hpp"
#include "common/json_string.hpp"
#include "common/log.hpp"

namespace essc::http::wire {
namespace {

constexpr std::string_view kServerName = "essc";
constexpr std::string_view kHex = "0123456789abcdef";

// RFC 9110 token characters: what a header name may be made of.
bool is_token(std::string_view text) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           kSymbols.find(ch) != std::string_view::npos;
  });
}

// A value with CR, LF or NUL would let a handler split the response (header injection).
bool is_safe_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Framing is the server's: a handler's Content-Length or Connection would contradict it.
bool is_framing_header(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A handler's headers, less what is malformed (logged) or framing.
void copy_headers(const Response& response, BeastResponse& message, std::string_view request_id) {
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_safe_value(value)) {
      log_event(spdlog::level::err, {{"event", "response_header_dropped"},
                                     {"request_id", request_id},
                                     {"reason", "invalid name or value"}});
      continue;
    }
    if (is_framing_header(name)) continue;
    message.insert(name, value);
  }
}

}  // namespace

std::string new_request_id() {
  // A per-thread Mersenne Twister will do: the ids only have to differ.
  thread_local std::mt19937_64 generator{(std::uint64_t{std::random_device{}()} << 32) ^
                                         std::uint64_t{std::random_device{}()}};
  std::uint64_t value = generator();
  std::string id(16, '0');
  for (std::size_t i = id.size(); i-- > 0;) {
    id[i] = kHex[value & 0xF];
    value >>= 4;
  }
  return id;
}

Response error_answer(ErrorCode code, std::string_view request_id) {
  const ErrorInfo& info = error_info(code);
  Response response;
  response.status = info.http_status;
  response.body = R"({"error":{"code":)";
  append_json_string(response.body, info.code);
  response.body += R"(,"message":)";
  append_json_string(response.body, info.message_zh);
  response.body += R"(,"message_en":)";
  append_json_string(response.body, info.message_en);
  response.body += R"(,"hotline":"12333","request_id":)";
  append_json_string(response.body, request_id);
  response.body += "}}";
  return response;
}

bool has_faulty_framing(const bhttp::request_header<>& header) {
  std::size_t codings = 0;
  bool chunked_only = true;
  for (auto [it, end] = header.equal_range(bhttp::field::transfer_encoding); it != end; ++it) {
    ++codings;
    chunked_only = chunked_only && beast::iequals(trim_whitespace(it->value()), "chunked");
  }
  if (codings > 0 && header.version() < 11) return true;
  return codings > 1 || !chunked_only;
}

bool has_obs_fold(std::string_view header_block) {
  for (auto at = header_block.find("\r\n"); at != std::string_view::npos;
       at = header_block.find("\r\n", at + 2)) {
    if (at + 2 < header_block.size() &&
        (header_block[at + 2] == ' ' || header_block[at + 2] == '\t'))
      return true;
  }
  return false;
}

Request to_request(BeastRequest& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.request_id = new_request_id();
  return request;
}

BeastResponse to_message(Response&& response, std::string_view request_id, unsigned version,
                         bool head, bool close) {
  ESSC_INVARIANT(response.status >= 200 && response.status <= 599);
  BeastResponse message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  message.set(bhttp::field::server, kServerName);
  if (!response.content_type.empty() && is_safe_value(response.content_type)) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  copy_headers(response, message, request_id);
  message.set("X-Request-Id", request_id);
  message.keep_alive(!close);
  const auto status = message.result();
  // These statuses have no body by definition (RFC 9110); Beast refuses to frame one.
  if (status != bhttp::status::no_content && status != bhttp::status::not_modified) {
    message.body() = std::move(response.body);
  }
  message.prepare_payload();
  // A HEAD answer states the length a GET would have, without the body.
  if (head) message.body().clear();
  return message;
}

std::optional<ErrorCode> answer_for_read_error(const beast::error_code& error) {
  if (error == bhttp::error::body_limit) return ErrorCode::kPayloadTooLarge;
  if (error == bhttp::error::end_of_stream || error == bhttp::error::partial_message) {
    return std::nullopt;
  }
  if (error.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ErrorCode::kInvalidRequest;  // malformed line or headers, header_limit, …
  }
  return std::nullopt;  // timeout, reset, cancelled by stop()
}

std::function<void(std::exception_ptr)> log_escaped(std::string_view what) {
  return [what](const std::exception_ptr& escaped) {
    if (!escaped) return;
    try {
      std::rethrow_exception(escaped);
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, {{"event", "coroutine_exception"},
                                     {"where", what},
                                     {"detail", std::string_view(e.what())}});
    } catch (...) {
      log_event(spdlog::level::err, {{"event", "coroutine_exception"}, {"where", what}});
    }
  };
}

}  // namespace essc::http::wire
