// The SMS gateway: verification codes (R-S3) and notifications (R-L6).
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/sqlite.hpp"

namespace essc::adapters {

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // UNAVAILABLE when the gateway cannot take the message.
  virtual Status send(std::string_view phone, std::string_view text) = 0;
};

struct SandboxSms {
  std::string phone;
  std::string text;
  std::int64_t at_ms = 0;
};

// A server with no SMS gateway configured: sending fails with UNAVAILABLE.
class UnconfiguredSmsGateway final : public SmsGateway {
 public:
  Status send(std::string_view, std::string_view) override {
    return Error(ErrorCode::kUnavailable, "no SMS gateway is configured");
  }
};

// Keeps every message for GET /v1/sandbox/sms (sandbox mode only) in its own SQLite file
// (`sandbox_sms.db` in the data folder, beside the sandbox bank's), so that every
// `essc serve` on one folder shows a code whichever of them sent it: behind a balancer
// the code's read and its send reach different processes. The newest kMessagesMax are
// kept, so a long demo cannot grow without bound.
class SandboxSmsGateway final : public SmsGateway {
 public:
  // `path` is the file (":memory:" keeps the messages in this process only).
  SandboxSmsGateway(const std::string& path, std::function<std::int64_t()> now_ms);
  Status send(std::string_view phone, std::string_view text) override;
  // Messages to `phone`, newest first.
  std::vector<SandboxSms> messages_to(std::string_view phone) const;

 private:
  static constexpr std::int64_t kMessagesMax = 10'000;
  std::function<std::int64_t()> now_ms_;
  mutable std::mutex mutex_;
  mutable store::SqliteConnection connection_;
};

}  // namespace essc::adapters
