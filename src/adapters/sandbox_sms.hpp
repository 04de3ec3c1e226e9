// The SMS gateway of sandbox mode and tests. It keeps every message for
// GET /v1/sandbox/sms in its own SQLite file (`sandbox_sms.db` in the data folder, beside
// the sandbox bank's), so that every `essc serve` on one folder shows a code whichever of
// them sent it: behind a balancer the code's read and its send reach different processes.
// The newest kMessagesMax are kept, so a long demo cannot grow without bound.
//
// Thread safety: all methods are safe from any thread (one connection behind a mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sms.hpp"

namespace essc::store {
class SqliteConnection;
}  // namespace essc::store

namespace essc::adapters {

struct SandboxSms {
  std::string phone;
  std::string text;
  std::int64_t at_ms = 0;
};

class SandboxSmsGateway final : public SmsGateway {
 public:
  // `path` is the file (":memory:" keeps the messages in this process only).
  SandboxSmsGateway(const std::string& path, std::function<std::int64_t()> now_ms);
  ~SandboxSmsGateway() override;
  SandboxSmsGateway(const SandboxSmsGateway&) = delete;
  SandboxSmsGateway& operator=(const SandboxSmsGateway&) = delete;

  Status send(std::string_view phone, std::string_view text) override;
  // Messages to `phone`, newest first.
  std::vector<SandboxSms> messages_to(std::string_view phone) const;

 private:
  static constexpr std::int64_t kMessagesMax = 10'000;
  std::function<std::int64_t()> now_ms_;
  mutable std::mutex mutex_;
  std::unique_ptr<store::SqliteConnection> connection_;
};

}  // namespace essc::adapters
