#include "cli/key_file.hpp"

#include <toml++/toml.h>

#include <stdexcept>

#include "cli/private_file.hpp"
#include "common/clock.hpp"
#include "crypto/encoding.hpp"

namespace essc::cli {
namespace {

template <class NodeView>
std::string secret(const NodeView& node, const std::string& name, std::size_t bytes) {
  const auto text = node.template value<std::string>();
  if (!text) throw std::runtime_error("key file: '" + name + "' is missing");
  auto raw = crypto::from_base64(*text);
  if (!raw || raw->size() != bytes) {
    throw std::runtime_error("key file: '" + name + "' must be " + std::to_string(bytes) +
                             " bytes of base64");
  }
  return *raw;
}

}  // namespace

void write_key_file(const std::filesystem::path& file, const crypto::KeySet& keys) {
  std::string text =
      "# essc secret keys. Keep this file private (mode 0600) and backed up: without it no\n"
      "# sealed personal data can be read and no password can be checked.\n";
  text += "password_pepper = \"" + crypto::to_base64(keys.password_pepper) + "\"\n";
  text += "pii_key = \"" + crypto::to_base64(keys.pii_key) + "\"\n";
  text += "blind_index_key = \"" + crypto::to_base64(keys.blind_index_key) + "\"\n";
  for (const auto& key : keys.qr_signing_keys) {
    text += "\n[[qr_signing_keys]]\n";
    text += "kid = \"" + key.kid + "\"\n";
    text += "algorithm = \"" + key.algorithm + "\"\n";
    text += "seed = \"" + crypto::to_base64(key.seed) + "\"\n";
    text += "created_at = \"" + format_rfc3339(key.created_at_ms) + "\"\n";
  }
  write_private_file(file, text);
}

crypto::KeySet read_key_file(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error("no key file at " + file.string() + "; run `essc init` first");
  }
  require_private(file);
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("key file: " + std::string(e.description()));
  }
  crypto::KeySet keys;
  keys.password_pepper =
      secret(table["password_pepper"], "password_pepper", crypto::kSecretKeyBytes);
  keys.pii_key = secret(table["pii_key"], "pii_key", crypto::kSecretKeyBytes);
  keys.blind_index_key =
      secret(table["blind_index_key"], "blind_index_key", crypto::kSecretKeyBytes);
  if (const auto* signing = table["qr_signing_keys"].as_array()) {
    for (const auto& entry : *signing) {
      const auto* t = entry.as_table();
      if (!t) throw std::runtime_error("key file: qr_signing_keys entries must be tables");
      const toml::node_view<const toml::node> view{t};
      crypto::SigningKey key;
      key.kid = view["kid"].value_or(std::string());
      key.algorithm = view["algorithm"].value_or(std::string());
      const auto seed = crypto::from_base64(view["seed"].value_or(std::string()));
      // Ed25519 keys are 32-byte seeds; SM2 keys are PKCS#8 DER, checked when loaded.
      if (!seed || (key.algorithm == crypto::kEd25519 && seed->size() != crypto::kSecretKeyBytes)) {
        throw std::runtime_error("key file: qr signing key '" + key.kid + "' has a malformed seed");
      }
      key.seed = *seed;
      key.created_at_ms = parse_rfc3339(view["created_at"].value_or(std::string())).value_or(0);
      if (key.kid.empty() || key.algorithm.empty()) {
        throw std::runtime_error("key file: a qr signing key needs a kid and an algorithm");
      }
      keys.qr_signing_keys.push_back(std::move(key));
    }
  }
  if (keys.qr_signing_keys.empty()) throw std::runtime_error("key file: no qr_signing_keys");
  return keys;
}

}  // namespace essc::cli
