#include "services/witness_client.hpp"

#include <charconv>

#include "adapters/http_client.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/signed_note.hpp"

namespace essc::services {
namespace {

WitnessReply failed(std::string detail) {
  return {WitnessReply::Kind::kFailed, {}, 0, std::move(detail)};
}

// The line of the reply that is the witness's cosignature of `note`.
std::optional<std::string> verified_cosignature(std::string_view note, std::string_view reply,
                                                std::string_view vkey) {
  while (!reply.empty()) {
    const auto end = reply.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    const std::string line(reply.substr(0, end + 1));
    reply.remove_prefix(end + 1);
    if (crypto::verify_cosignature(std::string(note) + line, vkey)) return line;
  }
  return std::nullopt;
}

}  // namespace

WitnessReply push_to_witness(const Witness& witness, std::string_view note, std::uint64_t old_size,
                             const std::vector<std::string>& proof) {
  adapters::HttpCall call;
  call.url = witness.url + "/add-checkpoint";
  call.timeout_ms = limits::kAuditWitnessTimeoutMs;
  call.body = "old " + std::to_string(old_size) + "\n";
  for (const auto& hash : proof) call.body += crypto::to_base64(hash) + "\n";
  call.body += "\n";
  call.body += note;
  const auto reply = adapters::http_call(call);
  if (!reply.ok()) return failed("the witness did not answer");
  if (reply->status == 409) {
    std::uint64_t held = 0;
    const auto& body = reply->body;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), held);
    if (ec != std::errc() || ptr == body.data() || ptr == body.data() + body.size() || *ptr != '\n')
      return failed("the witness refused the checkpoint (409): it forks what it cosigned");
    return {WitnessReply::Kind::kConflict, {}, held, {}};
  }
  if (reply->status != 200)
    return failed("the witness refused the checkpoint (HTTP " + std::to_string(reply->status) +
                  ")");
  auto line = verified_cosignature(note, reply->body, witness.vkey);
  if (!line) return failed("the witness's answer holds no cosignature its key verifies");
  return {WitnessReply::Kind::kCosigned, std::move(*line), 0, {}};
}

}  // namespace essc::services
