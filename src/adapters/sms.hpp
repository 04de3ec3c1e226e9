// The SMS gateway: verification codes (R-S3) and notifications (R-L6). The sandbox
// gateway is in sandbox_sms.hpp.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <string_view>

#include "common/result.hpp"

namespace essc::adapters {

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // UNAVAILABLE when the gateway cannot take the message.
  virtual Status send(std::string_view phone, std::string_view text) = 0;
};

// A server with no SMS gateway configured: sending fails with UNAVAILABLE.
class UnconfiguredSmsGateway final : public SmsGateway {
 public:
  Status send(std::string_view, std::string_view) override {
    return Error(ErrorCode::kUnavailable, "no SMS gateway is configured");
  }
};

}  // namespace essc::adapters
