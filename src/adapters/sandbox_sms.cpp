#include "adapters/sandbox_sms.hpp"

#include "store/sqlite.hpp"

namespace essc::adapters {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, phone TEXT NOT "
    "NULL, "
    "text TEXT NOT NULL, at_ms BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS messages_by_phone ON messages (phone, seq)";
constexpr char kInsert[] = "INSERT INTO messages (phone, text, at_ms) VALUES (?, ?, ?)";
constexpr char kTrim[] = "DELETE FROM messages WHERE seq <= (SELECT MAX(seq) FROM messages) - ?";
constexpr char kToPhone[] =
    "SELECT phone, text, at_ms FROM messages WHERE phone = ? ORDER BY seq DESC";

}  // namespace

SandboxSmsGateway::SandboxSmsGateway(const std::string& path, std::function<std::int64_t()> now_ms)
    : now_ms_(std::move(now_ms)),
      connection_(std::make_unique<store::SqliteConnection>(path, /*synchronous_full=*/false)) {
  connection_->exec(kSchema);
}

SandboxSmsGateway::~SandboxSmsGateway() = default;

Status SandboxSmsGateway::send(std::string_view phone, std::string_view text) {
  std::lock_guard lock(mutex_);
  try {
    connection_->prepare(kInsert).bind_all(phone, text, now_ms_()).run();
    connection_->prepare(kTrim).bind_all(kMessagesMax).run();
  } catch (const store::StoreError& e) {
    return Error(ErrorCode::kUnavailable, e.what());
  }
  return {};
}

std::vector<SandboxSms> SandboxSmsGateway::messages_to(std::string_view phone) const {
  std::lock_guard lock(mutex_);
  std::vector<SandboxSms> out;
  auto& rows = connection_->prepare(kToPhone).bind_all(phone);
  while (rows.step()) out.push_back({rows.text(0), rows.text(1), rows.int64(2)});
  rows.reset();
  return out;
}

}  // namespace essc::adapters
