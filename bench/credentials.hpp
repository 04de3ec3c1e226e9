// What `essc seed` leaves for the load generator (src/cli/seed.hpp) and the signing of
// calls as a channel or an institution signs them (API.md "Authentication").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/http_load.hpp"

namespace essc::bench {

struct ClientKeys {
  std::string id;
  std::string secret;
};

struct SeedCredentials {
  std::int64_t persons = 0;
  std::string password;
  std::string binding_prefix;
  std::vector<ClientKeys> channels;
  std::vector<ClientKeys> institutions;

  // The seed's rule: binding i is the prefix and i in 9 digits, held by channel i mod channels.
  std::string binding_id(std::int64_t person) const;
  const ClientKeys& channel_of(std::int64_t person) const;

  // Throws std::runtime_error naming what is missing or malformed.
  static SeedCredentials read(const std::filesystem::path& file);
};

// Adds the X-Essc-* headers with the current time and a nonce never used before by
// this process (a random prefix and a counter).
class Signer {
 public:
  Signer();
  void sign(HttpCall& call, const ClientKeys& client);

 private:
  std::string nonce_prefix_;
  std::uint64_t counter_ = 0;
};

}  // namespace essc::bench
