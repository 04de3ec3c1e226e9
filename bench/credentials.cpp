#include "bench/credentials.hpp"

#include <ctime>
#include <fstream>
#include <map>
#include <stdexcept>

#include "crypto/random.hpp"
#include "crypto/request_signature.hpp"

namespace essc::bench {
namespace {

constexpr int kBindingDigits = 9;
constexpr std::size_t kNonceCounterHexDigits = 16;

std::string hex16(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kNonceCounterHexDigits, '0');
  for (std::size_t i = kNonceCounterHexDigits; i-- > 0; value >>= 4) out[i] = kDigits[value & 0xF];
  return out;
}

}  // namespace

std::string SeedCredentials::binding_id(std::int64_t person) const {
  auto digits = std::to_string(person);
  if (digits.size() < kBindingDigits) digits.insert(0, kBindingDigits - digits.size(), '0');
  return binding_prefix + digits;
}

const ClientKeys& SeedCredentials::channel_of(std::int64_t person) const {
  return channels[static_cast<std::size_t>(person % static_cast<std::int64_t>(channels.size()))];
}

SeedCredentials SeedCredentials::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string() + " (run essc seed first)");
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos)
      throw std::runtime_error(file.string() + ": a line without '='");
    values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  const auto get = [&](const std::string& key) {
    const auto found = values.find(key);
    if (found == values.end())
      throw std::runtime_error(file.string() + ": '" + key + "' is missing");
    return found->second;
  };
  const auto clients = [&](const std::string& kind) {
    std::vector<ClientKeys> out;
    const auto count = std::stoi(get(kind + "s"));
    for (int i = 0; i < count; ++i) {
      const auto prefix = kind + "." + std::to_string(i) + ".";
      out.push_back({get(prefix + "id"), get(prefix + "secret")});
    }
    if (out.empty()) throw std::runtime_error(file.string() + ": no " + kind);
    return out;
  };
  SeedCredentials c;
  c.persons = std::stoll(get("persons"));
  c.password = get("password");
  c.binding_prefix = get("binding_prefix");
  c.channels = clients("channel");
  c.institutions = clients("institution");
  return c;
}

Signer::Signer() : nonce_prefix_(crypto::random_token(9)) {}

void Signer::sign(HttpCall& call, const ClientKeys& client) {
  const auto timestamp = std::to_string(std::time(nullptr));
  const auto nonce = nonce_prefix_ + hex16(++counter_);
  const auto canonical =
      crypto::canonical_request(call.method, call.target, timestamp, nonce, call.body);
  call.headers.emplace_back("X-Essc-Client", client.id);
  call.headers.emplace_back("X-Essc-Timestamp", timestamp);
  call.headers.emplace_back("X-Essc-Nonce", nonce);
  call.headers.emplace_back("X-Essc-Signature", crypto::sign_request(client.secret, canonical));
}

}  // namespace essc::bench
