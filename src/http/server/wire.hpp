// The server's shared vocabulary (server.hpp): the Boost names, and the conversions
// between Beast's messages and the platform's Request and Response. Included only by
// the files of this folder, the one place of src/ that sees Boost.Beast and Boost.Asio.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "http/message.hpp"

namespace essc::http::wire {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Milliseconds = std::chrono::milliseconds;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// Every awaited operation reports its error as a value: a client that hangs up or
// times out is ordinary, not exceptional.
inline constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// 64 random bits as 16 lowercase hex characters (request ids correlate a client's report
// with the logs; they are not secrets).
std::string new_request_id();

// The API.md error body with the catalogue's messages, for the answers the server gives
// itself (400, 413, 500), without pulling Boost.JSON into the server.
Response error_answer(ErrorCode code, std::string_view request_id);

// RFC 9112 §6.1, §6.3: whether the body's length is unknowable or the framing faulty (a
// transfer coding other than one final `chunked`, or any in an HTTP/1.0 request), so that
// reading on would let a request be smuggled.
bool has_faulty_framing(const bhttp::request_header<>& header);

// RFC 9112 §5.2: whether a header block (the bytes up to its empty line) continues a field
// line on the next (obs-fold), which Beast would join into the value and a proxy might not.
bool has_obs_fold(std::string_view header_block);

// The platform's Request (header names lower-cased, a fresh request id) from Beast's.
Request to_request(BeastRequest& message);

// Beast's answer for a Response: framing headers are the server's, a header a handler
// built badly is dropped and logged, a HEAD answer has the length without the body.
// REQUIRES: response.status in [200, 599] (the caller turns anything else into a 500).
BeastResponse to_message(Response&& response, std::string_view request_id, unsigned version,
                         bool head, bool close);

// What a failed read deserves: an answer for a request the client got wrong, silence for
// a client that went away or was too slow.
std::optional<ErrorCode> answer_for_read_error(const beast::error_code& error);

// A completion handler for co_spawn that logs what escaped a coroutine: a broken
// connection must not end the process.
std::function<void(std::exception_ptr)> log_escaped(std::string_view what);

}  // namespace essc::http::wire
