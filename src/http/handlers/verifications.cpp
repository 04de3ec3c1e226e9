// POST /v1/verifications and its face, sms and sms/verify steps (R-E3…R-E6, R-S3).
#include "common/clock.hpp"
#include "http/api.hpp"
#include "http/json.hpp"

namespace essc::http {

namespace {

// A passed verification, with whether the person already has an e-card password (R-E7).
Result<Response> verified(Call& call, services::VerificationService& verifications,
                          std::int64_t level) {
  ESSC_ASSIGN_OR_RETURN(const auto has_ecard,
                        verifications.has_ecard(*call.actor.client, call.param("verification_id")));
  return json_response(
      200, boost::json::object{{"verified", true}, {"level", level}, {"password_set", has_ecard}});
}

}  // namespace

void add_verification_routes(Router& router, services::VerificationService& verifications) {
  router.add(
      "POST", "/v1/verifications", Access::kChannel, {}, [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        services::NewVerification request;
        ESSC_ASSIGN_OR_RETURN(request.purpose, body.string("purpose"));
        ESSC_ASSIGN_OR_RETURN(request.name, body.optional_string("name"));
        ESSC_ASSIGN_OR_RETURN(request.id_number, body.optional_string("id_number"));
        ESSC_ASSIGN_OR_RETURN(request.binding_id, body.optional_string("binding_id"));
        ESSC_ASSIGN_OR_RETURN(request.risk_id, body.optional_string("risk_id"));
        ESSC_ASSIGN_OR_RETURN(auto started, verifications.start(*call.actor.client, request));
        boost::json::array methods;
        for (const auto& m : started.methods) methods.emplace_back(m);
        return json_response(
            201, boost::json::object{{"verification_id", started.verification_id},
                                     {"methods", std::move(methods)},
                                     {"expires_at", format_rfc3339(started.expires_at_ms)},
                                     {"card_no_masked", started.card_no_masked}});
      });

  router.add("POST", "/v1/verifications/{verification_id}/face", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto image, body.string("image_base64"));
               ESSC_ASSIGN_OR_RETURN(
                   auto level,
                   verifications.face(*call.actor.client, call.param("verification_id"), image));
               return verified(call, verifications, level);
             });

  router.add(
      "POST", "/v1/verifications/{verification_id}/sms", Access::kChannel, {},
      [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        ESSC_ASSIGN_OR_RETURN(auto account, body.string("bank_account_no"));
        ESSC_ASSIGN_OR_RETURN(auto phone, body.string("phone"));
        ESSC_ASSIGN_OR_RETURN(
            auto sent, verifications.send_sms(*call.actor.client, call.param("verification_id"),
                                              account, phone));
        return json_response(200, boost::json::object{{"sent", true},
                                                      {"phone_masked", sent.phone_masked},
                                                      {"resend_after", sent.resend_after_seconds}});
      });

  router.add("POST", "/v1/verifications/{verification_id}/sms/verify", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto code, body.string("code"));
               ESSC_ASSIGN_OR_RETURN(auto level,
                                     verifications.verify_sms(*call.actor.client,
                                                              call.param("verification_id"), code));
               return verified(call, verifications, level);
             });
}

}  // namespace essc::http
