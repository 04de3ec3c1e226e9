#include "cli/key_file.hpp"

#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

std::string key_file_text(const crypto::KeySet& keys) {
  std::string text =
      "# essc secret keys. Keep this file private (mode 0600) and backed up: without it no\n"
      "# sealed personal data can be read and no password can be checked.\n";
  text += "password_pepper = \"" + crypto::to_base64(keys.password_pepper) + "\"\n";
  text += "pii_key = \"" + crypto::to_base64(keys.pii_key) + "\"\n";
  text += "blind_index_key = \"" + crypto::to_base64(keys.blind_index_key) + "\"\n";
  text += "audit_log_key = \"" + crypto::to_base64(keys.audit_log_seed) + "\"\n";
  for (const auto& key : keys.qr_signing_keys) {
    text += "\n[[qr_signing_keys]]\n";
    text += "kid = \"" + key.kid + "\"\n";
    text += "algorithm = \"" + key.algorithm + "\"\n";
    text += "seed = \"" + crypto::to_base64(key.seed) + "\"\n";
    text += "created_at = \"" + format_rfc3339(key.created_at_ms) + "\"\n";
    if (key.retired_at_ms != 0)
      text += "retired_at = \"" + format_rfc3339(key.retired_at_ms) + "\"\n";
  }
  for (const auto& key : keys.retired_pii_keys) {
    text += "\n[[retired_pii_keys]]\n";
    text += "key = \"" + crypto::to_base64(key.key) + "\"\n";
    text += "retired_at = \"" + format_rfc3339(key.retired_at_ms) + "\"\n";
  }
  for (const auto& key : keys.retired_audit_keys) {
    text += "\n[[retired_audit_log_keys]]\n";
    text += "public_key = \"" + crypto::to_base64(key.public_key) + "\"\n";
    text += "retired_at = \"" + format_rfc3339(key.retired_at_ms) + "\"\n";
  }
  return text;
}

}  // namespace

void write_key_file(const std::filesystem::path& file, const crypto::KeySet& keys) {
  write_private_file(file, key_file_text(keys));
}

void replace_key_file(const std::filesystem::path& file, const crypto::KeySet& keys) {
  const auto next = std::filesystem::path(file.string() + ".next");
  std::filesystem::remove(next);  // what a rotation that died before its rename left
  write_private_file(next, key_file_text(keys));
  if (::rename(next.c_str(), file.c_str()) != 0)
    throw std::runtime_error("cannot replace " + file.string() + ": " + std::strerror(errno));
  const int folder = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = folder >= 0 && ::fsync(folder) == 0;
  if (folder >= 0) ::close(folder);
  if (!synced) throw std::runtime_error("cannot sync " + file.parent_path().string());
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
  // Key files of earlier versions have none: App adds one (cli/app.cpp).
  if (table.contains("audit_log_key"))
    keys.audit_log_seed = secret(table["audit_log_key"], "audit_log_key", crypto::kSecretKeyBytes);
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
      if (const auto retired = view["retired_at"].value<std::string>()) {
        const auto at = parse_rfc3339(*retired);
        if (!at || *at == 0)
          throw std::runtime_error("key file: qr signing key '" + key.kid +
                                   "' has a bad retired_at");
        key.retired_at_ms = *at;
      }
      if (key.kid.empty() || key.algorithm.empty()) {
        throw std::runtime_error("key file: a qr signing key needs a kid and an algorithm");
      }
      keys.qr_signing_keys.push_back(std::move(key));
    }
  }
  if (keys.qr_signing_keys.empty()) throw std::runtime_error("key file: no qr_signing_keys");
  if (const auto* retired = table["retired_pii_keys"].as_array()) {
    for (const auto& entry : *retired) {
      const auto* t = entry.as_table();
      if (!t) throw std::runtime_error("key file: retired_pii_keys entries must be tables");
      const toml::node_view<const toml::node> view{t};
      crypto::RetiredPiiKey key;
      key.key = secret(view["key"], "retired_pii_keys.key", crypto::kSecretKeyBytes);
      const auto at = parse_rfc3339(view["retired_at"].value_or(std::string()));
      if (!at || *at == 0)
        throw std::runtime_error("key file: a retired pii key has a bad retired_at");
      key.retired_at_ms = *at;
      keys.retired_pii_keys.push_back(std::move(key));
    }
  }
  if (const auto* retired = table["retired_audit_log_keys"].as_array()) {
    for (const auto& entry : *retired) {
      const auto* t = entry.as_table();
      if (!t) throw std::runtime_error("key file: retired_audit_log_keys entries must be tables");
      const toml::node_view<const toml::node> view{t};
      crypto::RetiredAuditKey key;
      key.public_key =
          secret(view["public_key"], "retired_audit_log_keys.public_key", crypto::kSecretKeyBytes);
      const auto at = parse_rfc3339(view["retired_at"].value_or(std::string()));
      if (!at || *at == 0)
        throw std::runtime_error("key file: a retired audit log key has a bad retired_at");
      key.retired_at_ms = *at;
      keys.retired_audit_keys.push_back(std::move(key));
    }
  }
  return keys;
}

}  // namespace essc::cli
