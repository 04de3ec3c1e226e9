#include "adapters/http_services.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "adapters/http_client.hpp"
#include "crypto/encoding.hpp"

namespace essc::adapters {
namespace {

Result<HttpReply> post_json(const ServiceEndpoint& endpoint, const std::string& url,
                            const boost::json::object& body) {
  return http_call(
      {"POST",
       url,
       {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + endpoint.api_key}},
       boost::json::serialize(body),
       endpoint.timeout_ms});
}

// The member `name` of a JSON object reply, or nullptr; it points into `reply`.
const boost::json::value* member(const boost::json::value& reply, const char* name) {
  return reply.is_object() ? reply.as_object().if_contains(name) : nullptr;
}

boost::json::value parse_reply(const std::string& body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : value;
}

}  // namespace

FaceOutcome HttpFaceVerifier::verify(const FaceRequest& request) {
  boost::json::array sources;
  if (request.photo_police) sources.emplace_back("police");
  if (request.photo_cardholder) sources.emplace_back("cardholder");
  const auto reply = post_json(endpoint_, endpoint_.url,
                               {{"id_number", request.id_number},
                                {"name", request.name},
                                {"image_base64", crypto::to_base64(request.image)},
                                {"reference_sources", std::move(sources)}});
  if (!reply || reply->status != 200) return FaceOutcome::kServiceFailure;
  const auto answer = parse_reply(reply->body);
  const auto* result = member(answer, "result");
  if (!result || !result->is_string()) return FaceOutcome::kServiceFailure;
  const auto& text = result->as_string();
  if (text == "match") return FaceOutcome::kMatch;
  if (text == "mismatch") return FaceOutcome::kMismatch;
  if (text == "liveness_failed") return FaceOutcome::kLivenessFailed;
  if (text == "no_reference_photo") return FaceOutcome::kNoReferencePhoto;
  return FaceOutcome::kServiceFailure;
}

Status HttpSmsGateway::send(std::string_view phone, std::string_view text) {
  ESSC_ASSIGN_OR_RETURN(const auto reply,
                        post_json(endpoint_, endpoint_.url, {{"phone", phone}, {"text", text}}));
  if (reply.status < 200 || reply.status > 299) {
    return Error(ErrorCode::kUnavailable, "SMS gateway answered " + std::to_string(reply.status));
  }
  return {};
}

Result<bool> HttpBank::four_factor_check(const FourFactors& presented, const FourFactors&) {
  ESSC_ASSIGN_OR_RETURN(const auto reply, post_json(endpoint_, endpoint_.url + "/four-factor",
                                                    {{"name", presented.name},
                                                     {"id_number", presented.id_number},
                                                     {"bank_account_no", presented.bank_account_no},
                                                     {"phone", presented.phone}}));
  const auto answer = parse_reply(reply.body);
  const auto* match = member(answer, "match");
  if (reply.status != 200 || !match || !match->is_bool()) {
    return Error(ErrorCode::kUnavailable,
                 "bank four-factor answer " + std::to_string(reply.status));
  }
  return match->as_bool();
}

Status HttpBank::move(const char* path, std::string_view account_no, std::int64_t amount_fen,
                      std::string_view reference) {
  ESSC_ASSIGN_OR_RETURN(const auto reply, post_json(endpoint_, endpoint_.url + path,
                                                    {{"bank_account_no", account_no},
                                                     {"amount_fen", amount_fen},
                                                     {"reference", reference}}));
  // 409: the bank has this reference already, so the movement happened once.
  if (reply.status == 200 || reply.status == 409) return {};
  const auto answer = parse_reply(reply.body);
  const auto* error = member(answer, "error");
  if (reply.status == 422 && error && error->is_string() &&
      error->as_string() == "insufficient_funds") {
    return Error(ErrorCode::kInsufficientFunds);
  }
  return Error(ErrorCode::kUnavailable,
               std::string("bank ") + path + " answered " + std::to_string(reply.status));
}

Status HttpBank::credit(std::string_view account_no, std::int64_t amount_fen,
                        std::string_view reference) {
  return move("/credits", account_no, amount_fen, reference);
}

Status HttpBank::debit(std::string_view account_no, std::int64_t amount_fen,
                       std::string_view reference) {
  return move("/debits", account_no, amount_fen, reference);
}

}  // namespace essc::adapters
