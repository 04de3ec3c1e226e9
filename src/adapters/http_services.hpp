// The production adapters: face verification, SMS gateway and issuing bank reached
// over HTTPS with a bearer key (docs/adapters.md gives the wire protocol). Every
// timeout, refusal or malformed answer becomes the service-failure outcome: face →
// kServiceFailure (the applicant is offered SMS, R-E6), SMS and bank → UNAVAILABLE.
//
// Thread safety: immutable after construction; call from any thread.
#pragma once

#include <string>

#include "adapters/bank.hpp"
#include "adapters/face.hpp"
#include "adapters/sms.hpp"

namespace essc::adapters {

struct ServiceEndpoint {
  std::string url;
  std::string api_key;
  std::int64_t timeout_ms = 5000;
};

class HttpFaceVerifier final : public FaceVerifier {
 public:
  explicit HttpFaceVerifier(ServiceEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  FaceOutcome verify(const FaceRequest& request) override;

 private:
  ServiceEndpoint endpoint_;
};

class HttpSmsGateway final : public SmsGateway {
 public:
  explicit HttpSmsGateway(ServiceEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  Status send(std::string_view phone, std::string_view text) override;

 private:
  ServiceEndpoint endpoint_;
};

class HttpBank final : public Bank {
 public:
  // endpoint.url is the base: /four-factor, /credits and /debits are appended.
  explicit HttpBank(ServiceEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  Result<bool> four_factor_check(const FourFactors& presented, const FourFactors& on_file) override;
  Status credit(std::string_view account_no, std::int64_t amount_fen,
                std::string_view reference) override;
  Status debit(std::string_view account_no, std::int64_t amount_fen,
               std::string_view reference) override;

 private:
  Status move(const char* path, std::string_view account_no, std::int64_t amount_fen,
              std::string_view reference);
  ServiceEndpoint endpoint_;
};

}  // namespace essc::adapters
