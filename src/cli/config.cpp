#include "cli/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>

namespace essc::cli {
namespace {

// One entry per setting: where it lives in the file and how to store it.
struct Setting {
  std::string section;
  std::string key;
  std::function<void(Config&, const std::string&)> assign;
};

// "age1…, ssh-ed25519 AAAA…" → one recipient each; throws naming anything else.
std::vector<std::string> to_recipients(const std::string& text) {
  std::vector<std::string> recipients;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    auto item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) {
      if (!item.starts_with("age1") && !item.starts_with("ssh-ed25519 ") &&
          !item.starts_with("ssh-rsa ")) {
        throw std::runtime_error(
            "config: backup.recipients must be age1… or ssh-ed25519/ssh-rsa public keys, "
            "separated by commas, not '" +
            item + "'");
      }
      recipients.push_back(item);
    }
    start = comma + 1;
  }
  return recipients;
}

// "url vkey, url vkey" → (url, vkey) each; throws naming anything else.
std::vector<std::pair<std::string, std::string>> to_witnesses(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> witnesses;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    auto item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    const auto space = item.find(' ');
    if (!item.empty()) {
      if (space == std::string::npos ||
          !(item.starts_with("http://") || item.starts_with("https://")))
        throw std::runtime_error(
            "config: audit.witnesses needs an http(s) URL and a vkey for each witness, not '" +
            item + "'");
      auto url = item.substr(0, space);
      while (url.ends_with('/')) url.pop_back();  // the paths are appended to it
      witnesses.emplace_back(std::move(url), item.substr(space + 1));
    }
    start = comma + 1;
  }
  return witnesses;
}

std::int64_t to_integer(const std::string& name, const std::string& text, std::int64_t min,
                        std::int64_t max) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
    throw std::runtime_error("config: " + name + " must be a whole number from " +
                             std::to_string(min) + " to " + std::to_string(max) + ", not '" + text +
                             "'");
  }
  return value;
}

// Empty, or an origin a browser and a phone's camera can open: http or https, a host, an
// optional port, nothing else (no path, query, fragment, credentials or spaces); a trailing slash
// is dropped.
std::string checked_public_url(std::string url) {
  if (url.empty()) return url;
  if (url.back() == '/') url.pop_back();
  const auto scheme_end = url.find("://");
  const auto scheme = url.substr(0, scheme_end == std::string::npos ? 0 : scheme_end);
  const auto host = scheme_end == std::string::npos ? "" : url.substr(scheme_end + 3);
  const bool plain = std::all_of(host.begin(), host.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']';
  });
  if ((scheme != "https" && scheme != "http") || host.empty() || !plain) {
    throw std::runtime_error(
        "config: server.public_url must be an origin such as "
        "https://essc.example.cn, not '" +
        url + "'");
  }
  return url;
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all{
      {"server", "listen",
       [](Config& c, const std::string& v) {
         parse_listen(v);
         c.listen = v;
       }},
      {"server", "public_url",
       [](Config& c, const std::string& v) { c.public_url = checked_public_url(v); }},
      {"server", "io_threads",
       [](Config& c, const std::string& v) {
         c.io_threads = static_cast<int>(to_integer("server.io_threads", v, 0, 256));
       }},
      {"server", "worker_threads",
       [](Config& c, const std::string& v) {
         c.worker_threads = static_cast<int>(to_integer("server.worker_threads", v, 0, 1024));
       }},
      {"security", "argon2_ops_limit",
       [](Config& c, const std::string& v) {
         c.argon2_ops_limit =
             static_cast<std::uint64_t>(to_integer("security.argon2_ops_limit", v, 1, 10));
       }},
      {"security", "argon2_memory_kib",
       [](Config& c, const std::string& v) {
         c.argon2_memory_kib = static_cast<std::uint64_t>(
             to_integer("security.argon2_memory_kib", v, 8, std::int64_t{4} * 1024 * 1024));
       }},
      {"security", "argon2_concurrent_hashes_max",
       [](Config& c, const std::string& v) {
         c.argon2_concurrent_hashes_max =
             static_cast<int>(to_integer("security.argon2_concurrent_hashes_max", v, 0, 256));
       }},
      {"adapters", "face_url", [](Config& c, const std::string& v) { c.face_url = v; }},
      {"adapters", "face_api_key", [](Config& c, const std::string& v) { c.face_api_key = v; }},
      {"adapters", "sms_url", [](Config& c, const std::string& v) { c.sms_url = v; }},
      {"adapters", "sms_api_key", [](Config& c, const std::string& v) { c.sms_api_key = v; }},
      {"adapters", "bank_url", [](Config& c, const std::string& v) { c.bank_url = v; }},
      {"adapters", "bank_api_key", [](Config& c, const std::string& v) { c.bank_api_key = v; }},
      {"adapters", "timeout_ms",
       [](Config& c, const std::string& v) {
         c.adapter_timeout_ms = to_integer("adapters.timeout_ms", v, 100, 60'000);
       }},
      {"security", "qr_algorithm",
       [](Config& c, const std::string& v) {
         if (v != "Ed25519" && v != "SM2")
           throw std::runtime_error("config: security.qr_algorithm must be Ed25519 or SM2");
         c.qr_algorithm = v;
       }},
      {"webhooks", "allow_private_targets",
       [](Config& c, const std::string& v) {
         if (v != "true" && v != "false")
           throw std::runtime_error("config: webhooks.allow_private_targets must be true or false");
         c.webhooks_allow_private_targets = v == "true";
       }},
      {"store", "url",
       [](Config& c, const std::string& v) {
         if (!v.empty() && !v.starts_with("postgresql://") && !v.starts_with("postgres://")) {
           throw std::runtime_error(
               "config: store.url must be empty (SQLite) or a postgresql:// URL");
         }
         c.store_url = v;
       }},
      {"store", "pool_size",
       [](Config& c, const std::string& v) {
         c.store_pool_size = to_integer("store.pool_size", v, 1, 1024);
       }},
      {"store", "password_file",
       [](Config& c, const std::string& v) { c.store_password_file = v; }},
      {"backup", "recipients",
       [](Config& c, const std::string& v) { c.backup_recipients = to_recipients(v); }},
      {"audit", "origin",
       [](Config& c, const std::string& v) {
         if (v.find_first_of(" \t\n+") != std::string::npos)
           throw std::runtime_error("config: audit.origin must have no spaces and no '+'");
         c.audit_origin = v;
       }},
      {"audit", "witnesses",
       [](Config& c, const std::string& v) { c.audit_witnesses = to_witnesses(v); }},
      {"log", "level",
       [](Config& c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") {
           throw std::runtime_error("config: log.level must be debug, info, warn or error");
         }
         c.log_level = v;
       }},
  };
  return all;
}

// An array of {url, vkey} tables ([audit] witnesses) reads as "url vkey, url vkey", the
// form its environment variable takes.
std::string witnesses_text(const toml::array& array, const std::string& name) {
  std::string text;
  for (const auto& item : array) {
    const auto* t = item.as_table();
    const auto url = t ? (*t)["url"].value<std::string>() : std::nullopt;
    const auto vkey = t ? (*t)["vkey"].value<std::string>() : std::nullopt;
    if (!url || !vkey || t->size() != 2)
      throw std::runtime_error("config: " + name +
                               " must be a list of {url = \"…\", vkey = \"…\"}");
    text += (text.empty() ? "" : ", ") + *url + " " + *vkey;
  }
  return text;
}

std::string node_text(const toml::node& node, const std::string& name) {
  if (const auto* array = node.as_array()) return witnesses_text(*array, name);
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (auto s = node.value<std::string>()) return *s;
  if (auto i = node.value<std::int64_t>()) return std::to_string(*i);
  throw std::runtime_error("config: " + name + " must be a string or an integer");
}

}  // namespace

std::string default_config_text() {
  return R"(# essc configuration. Every key may be overridden by an environment variable
# ESSC_<SECTION>_<KEY>, e.g. ESSC_SERVER_LISTEN=0.0.0.0:8080.

[server]
listen = "127.0.0.1:8080"
# The address the platform is reached at, e.g. "https://essc.example.cn" behind a TLS
# proxy: certificates' QR codes point under it. Empty: http:// and the listen address.
public_url = ""
io_threads = 0        # 0: one per core
worker_threads = 0    # blocking work (database, Argon2id); 0: four per core

[security]
# Argon2id for passwords and PINs (R-W5): 2 passes over 19 MiB, about 40 hashes a second
# a core. Lowering these weakens every stored password.
argon2_ops_limit = )" +
         std::to_string(crypto::kArgon2OpsLimitDefault) + R"(
argon2_memory_kib = )" +
         std::to_string(crypto::kArgon2MemoryKibDefault) + R"(
argon2_concurrent_hashes_max = 0   # hashes at once; bounds memory under a flood. 0: one per core
qr_algorithm = "Ed25519"   # or "SM2" (SM2 with SM3, GM/T 0003) for QR code signatures

[log]
level = "info"   # debug | info | warn | error

[adapters]
# External services used without --sandbox (docs/adapters.md). An empty URL leaves the
# service unconfigured: face tries then offer SMS, and SMS and bank calls answer 503.
# Give the keys as ESSC_ADAPTERS_FACE_API_KEY etc. rather than in this file.
face_url = ""
sms_url = ""
bank_url = ""
timeout_ms = 5000

[webhooks]
# Webhook URLs on loopback, link-local or private addresses are refused, so a channel's
# URL cannot reach this machine or its network (API.md "Webhooks"). true allows them
# (a receiver on the same network); --sandbox always does.
allow_private_targets = false

[store]
# Empty: the embedded SQLite file in this folder. A libpq URL selects PostgreSQL, e.g.
# "postgresql://essc@db1,db2/essc?target_session_attrs=read-write" (several hosts: the
# primary is found after a failover); ESSC_STORE_URL overrides it. The password comes
# from the URL, from PGPASSFILE, or from password_file (a file holding it alone).
url = ""
pool_size = 16        # connections this process opens
password_file = ""

[backup]
# `essc backup` encrypts its archive (which holds the key file) to these age recipients:
# age1… public keys (age-keygen) or ssh-ed25519 / ssh-rsa public keys, separated by
# commas. Empty: the archive is written unencrypted, mode 0600, with a warning.
recipients = ""

[audit]
# The name of this platform's audit log in its signed checkpoints (API.md "Audit log");
# empty: essc.local/<the first region policy's code>. Choose it once: witnesses know the
# log by it.
origin = ""
# Witnesses (见证方) that cosign the log's checkpoints (R-S7), each run by someone else
# with `essc audit witness`: [{url = "http://…", vkey = "<the witness's vkey>"}, …]
witnesses = []
)";
}

void set_store_url(const std::filesystem::path& file, const std::string& url) {
  if (url.find_first_of("\"\\\n") != std::string::npos)
    throw std::runtime_error("store URL with a quote or newline");
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string line = "url = \"" + url + "\"";
  const auto section = text.find("\n[store]\n");
  if (section == std::string::npos) {
    text += "\n[store]\n" + line + "\n";
  } else {
    const auto body = section + 9;
    const auto next = text.find("\n[", body);
    const auto key = text.find("\nurl = ", body - 1);
    if (key != std::string::npos && (next == std::string::npos || key < next)) {
      const auto end = text.find('\n', key + 1);
      text.replace(key + 1, (end == std::string::npos ? text.size() : end) - key - 1, line);
    } else {
      text.insert(body, line + "\n");
    }
  }
  std::ofstream(file, std::ios::trunc) << text;
  load_config(file);  // what was written must read back
}

Config load_config(const std::filesystem::path& file) {
  Config config;
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("config: cannot read " + file.string() + ": " +
                             std::string(e.description()));
  }
  for (const auto& [section_name, section] : table) {
    const auto* entries = section.as_table();
    if (!entries)
      throw std::runtime_error("config: unknown key '" + std::string(section_name.str()) + "'");
    for (const auto& [key, value] : *entries) {
      const std::string name = std::string(section_name.str()) + "." + std::string(key.str());
      const Setting* setting = nullptr;
      for (const auto& s : settings()) {
        if (s.section == section_name.str() && s.key == key.str()) setting = &s;
      }
      if (!setting)
        throw std::runtime_error("config: unknown key '" + name + "' in " + file.string());
      setting->assign(config, node_text(value, name));
    }
  }
  for (const auto& s : settings()) {
    std::string variable = "ESSC_" + s.section + "_" + s.key;
    for (auto& ch : variable) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* value = std::getenv(variable.c_str())) s.assign(config, value);
  }
  return config;
}

ListenAddress parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw std::runtime_error("listen address must be HOST:PORT, not '" + text + "'");
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  address.port =
      static_cast<std::uint16_t>(to_integer("listen port", text.substr(colon + 1), 0, 65535));
  return address;
}

}  // namespace essc::cli
