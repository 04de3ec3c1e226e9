#include "adapters/sms.hpp"

namespace essc::adapters {

Status SandboxSmsGateway::send(std::string_view phone, std::string_view text) {
  std::lock_guard lock(mutex_);
  if (messages_.size() >= kMessagesMax) messages_.erase(messages_.begin());
  messages_.push_back({std::string(phone), std::string(text), now_ms_()});
  return {};
}

std::vector<SandboxSms> SandboxSmsGateway::messages_to(std::string_view phone) const {
  std::lock_guard lock(mutex_);
  std::vector<SandboxSms> out;
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
    if (it->phone == phone) out.push_back(*it);
  }
  return out;
}

}  // namespace essc::adapters
